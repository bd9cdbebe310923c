// Runs the built zeroscope binary as a user would, capturing stdout, stderr
// and the exit code.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

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

struct RunOptions {
  std::string env;        // "NAME='value' ..." prepended to the command
  std::string stdout_to;  // redirect stdout to this file (out stays empty)
};

inline Result run_zeroscope(const std::string& args, const RunOptions& opt = {}) {
  static int n = 0;
  std::string errfile = ::testing::TempDir() + "/zs_err_" + std::to_string(getpid()) + "_" +
                        std::to_string(n++) + ".txt";
  std::string cmd = (opt.env.empty() ? "" : opt.env + " ") + std::string(ZS_BINARY) + " " + args +
                    " 2>" + errfile + (opt.stdout_to.empty() ? "" : " >" + opt.stdout_to);
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
