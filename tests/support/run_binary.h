// Runs the built zeroscope binary as a user would, capturing stdout, stderr
// and the exit code.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace zs::testing {

struct Result {
  int rc = -1;
  std::string out, err;
};

inline Result run_zeroscope(const std::string& args) {
  static int n = 0;
  std::string errfile = ::testing::TempDir() + "/zs_err_" + std::to_string(n++) + ".txt";
  std::string cmd = std::string(ZS_BINARY) + " " + args + " 2>" + errfile;
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 65536> buf;
  std::size_t got;
  while ((got = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), got);
  int status = pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(errfile);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  return r;
}

inline int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace zs::testing
