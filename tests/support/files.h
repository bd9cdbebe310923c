// Reading test inputs: a whole file as bytes, and a fixture of
// tests/fixtures/<folder>/ by name (a missing fixture fails the test that
// asked for it, naming the file).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace zs::test {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string fixture_text(const std::string& folder, const std::string& name) {
  const std::filesystem::path p =
      std::filesystem::path(ZS_SOURCE_DIR) / "tests" / "fixtures" / folder / name;
  EXPECT_TRUE(std::filesystem::is_regular_file(p)) << p;
  return slurp(p);
}

}  // namespace zs::test
