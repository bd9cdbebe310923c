// SettingGuard on temporary files standing in for sysfs settings: the value
// is written, and the original comes back on every way out -- scope end,
// exception, SIGINT, SIGTERM -- with the state file present exactly while a
// guard lives; a run killed by SIGKILL is repaired by the next one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.h"
#include "machine/sysfs.h"
#include "memory/setting_guard.h"

namespace zs {
namespace {

class SettingGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/zs_guard_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    ::setenv("ZS_STATE_DIR", (dir_ + "/state").c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("ZS_STATE_DIR");
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  std::string file(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << content;
    return path;
  }
  static bool state_exists() { return ::access(settings_state_path().c_str(), F_OK) == 0; }
  static std::string state() { return sysfs::read(settings_state_path()).value_or(""); }

  std::string dir_;
};

TEST_F(SettingGuardTest, WritesTheValueAndRestoresAtScopeEnd) {
  std::string f = file("nr_hugepages", "0\n");
  {
    SettingGuard g(f, "64");
    EXPECT_EQ(sysfs::read(f), "64");
    EXPECT_EQ(g.original(), "0");
    ASSERT_TRUE(state_exists());
    EXPECT_NE(state().find(f + "\t0"), std::string::npos) << state();
    EXPECT_NE(state().find("pid " + std::to_string(::getpid())), std::string::npos) << state();
  }
  EXPECT_EQ(sysfs::read(f), "0");
  EXPECT_FALSE(state_exists());
}

TEST_F(SettingGuardTest, AChoiceListIsRestoredAsItsSelectedWord) {
  std::string f = file("enabled", "always inherit madvise [never]\n");
  {
    SettingGuard g(f, "madvise");
    EXPECT_EQ(g.original(), "never");
  }
  EXPECT_EQ(sysfs::read(f), "never");
}

TEST_F(SettingGuardTest, RestoresWhenAnExceptionUnwinds) {
  std::string f = file("setting", "17\n");
  try {
    SettingGuard g(f, "99");
    ASSERT_EQ(sysfs::read(f), "99");
    throw std::runtime_error("measurement failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(sysfs::read(f), "17");
  EXPECT_FALSE(state_exists());
}

TEST_F(SettingGuardTest, SeveralGuardsAtOnceAndAMove) {
  std::string a = file("hugetlb", "0\n"), b = file("mthp", "always inherit madvise [never]\n");
  {
    SettingGuard ga(a, "32");
    {
      SettingGuard gb(b, "madvise");
      SettingGuard moved(std::move(gb));
      EXPECT_NE(state().find(a + "\t0"), std::string::npos);
      EXPECT_NE(state().find(b + "\tnever"), std::string::npos);
    }
    EXPECT_EQ(sysfs::read(b), "never");
    EXPECT_EQ(sysfs::read(a), "32");
    EXPECT_TRUE(state_exists());
    EXPECT_EQ(state().find(b + "\t"), std::string::npos) << state();
  }
  EXPECT_EQ(sysfs::read(a), "0");
  EXPECT_FALSE(state_exists());
}

TEST_F(SettingGuardTest, AnUnreadableSettingIsOneLineNamingIt) {
  std::string missing = dir_ + "/no_such_dir/nr_hugepages";
  try {
    SettingGuard g(missing, "1");
    FAIL() << "no SetupError";
  } catch (const SetupError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(missing), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  EXPECT_FALSE(state_exists());
}

TEST_F(SettingGuardTest, AnUnwritableSettingIsOneLineAndLeavesNoRecord) {
  // A read-only kernel attribute: writing it fails even for root.
  const std::string ro = "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages";
  auto before = sysfs::read(ro);
  if (!before) GTEST_SKIP() << ro << " is missing (no 2 MiB hugetlb pool on this kernel)";
  try {
    SettingGuard g(ro, "1");
    FAIL() << "no SetupError";
  } catch (const SetupError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(ro), std::string::npos) << msg;
    EXPECT_NE(msg.find("cannot write"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  EXPECT_FALSE(state_exists());
}

// A child makes two guards, says it is ready, and waits to be signalled;
// the parent checks the files after waitpid.
void restored_by_signal(const std::string& a, const std::string& b, int sig, bool* state_left) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(ready[0]);
    install_restore_on_signal();
    try {
      SettingGuard ga(a, "32");
      SettingGuard gb(b, "madvise");
      char c = 'r';
      if (::write(ready[1], &c, 1) != 1) ::_exit(3);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(4);
    }
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1) << "child could not make its guards";
  ::close(ready[0]);
  EXPECT_EQ(sysfs::read(a), "32");
  EXPECT_EQ(sysfs::read(b), "madvise");
  ASSERT_EQ(::kill(pid, sig), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status)) << "status " << status;
  if (WIFSIGNALED(status)) {
    EXPECT_EQ(WTERMSIG(status), sig);
  }
  *state_left = ::access(settings_state_path().c_str(), F_OK) == 0;
}

TEST_F(SettingGuardTest, RestoredBySigint) {
  std::string a = file("nr", "0\n"), b = file("enabled", "always inherit madvise [never]\n");
  bool left = true;
  restored_by_signal(a, b, SIGINT, &left);
  EXPECT_EQ(sysfs::read(a), "0");
  EXPECT_EQ(sysfs::read(b), "never");
  EXPECT_FALSE(left);
}

TEST_F(SettingGuardTest, RestoredBySigterm) {
  std::string a = file("nr", "3\n"), b = file("enabled", "always [inherit] madvise never\n");
  bool left = true;
  restored_by_signal(a, b, SIGTERM, &left);
  EXPECT_EQ(sysfs::read(a), "3");
  EXPECT_EQ(sysfs::read(b), "inherit");
  EXPECT_FALSE(left);
}

// A child that changes `path` and then dies by SIGKILL (nothing restores);
// `comm` names it for the liveness check. Returns its pid; with `stay` it
// waits to be killed by the caller instead.
pid_t changed_by_child(const std::string& path, const char* comm, bool stay) {
  int ready[2];
  if (::pipe(ready) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(ready[0]);
    ::prctl(PR_SET_NAME, comm);
    try {
      SettingGuard g(path, "64");
      char c = 'r';
      if (::write(ready[1], &c, 1) != 1) ::_exit(3);
      if (!stay) ::raise(SIGKILL);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(4);
    }
  }
  ::close(ready[1]);
  char c = 0;
  bool ok = ::read(ready[0], &c, 1) == 1;
  ::close(ready[0]);
  if (!stay) ::waitpid(pid, nullptr, 0);
  return ok ? pid : -1;
}

TEST_F(SettingGuardTest, RecoverRestoresWhatADeadRunLeft) {
  std::string f = file("nr_hugepages", "0\n");
  pid_t pid = changed_by_child(f, "zeroscope", false);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(sysfs::read(f), "64") << "SIGKILL restores nothing";
  ASSERT_TRUE(state_exists()) << "the change was recorded before it was made";
  auto lines = recover_leftover_settings();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(f), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("pid " + std::to_string(pid)), std::string::npos) << lines[0];
  EXPECT_EQ(sysfs::read(f), "0");
  EXPECT_FALSE(state_exists());
  EXPECT_TRUE(recover_leftover_settings().empty());
}

TEST_F(SettingGuardTest, RecoverLeavesALiveZeroscopeAlone) {
  std::string f = file("nr_hugepages", "0\n");
  pid_t pid = changed_by_child(f, "zeroscope", true);
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(recover_leftover_settings().empty());
  EXPECT_EQ(sysfs::read(f), "64");
  EXPECT_TRUE(state_exists());
  // A second run may not change settings while the first holds some.
  std::string other = file("other", "1\n");
  EXPECT_THROW(SettingGuard(other, "2"), SetupError);
  EXPECT_EQ(sysfs::read(other), "1");

  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  EXPECT_EQ(recover_leftover_settings().size(), 1u);
  EXPECT_EQ(sysfs::read(f), "0");
  EXPECT_FALSE(state_exists());
}

TEST_F(SettingGuardTest, RecoverTreatsAReusedPidAsDead) {
  std::string f = file("nr_hugepages", "0\n");
  pid_t pid = changed_by_child(f, "not-ours", true);  // alive, but not a zeroscope process
  ASSERT_GT(pid, 0);
  EXPECT_EQ(recover_leftover_settings().size(), 1u);
  EXPECT_EQ(sysfs::read(f), "0");
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

// The state file's format (memory/settings_state.h), without touching any setting.
TEST(SettingsRecord, RoundTripsAndRefusesWhatItDoesNotWrite) {
  SettingsRecord r{1234, "0b7c-boot", {{"/sys/a/nr_hugepages", "0"}, {"/sys/b/enabled", "never"}}};
  const std::string text = format_settings_record(r);
  EXPECT_EQ(text.rfind("# zeroscope: ", 0), 0u) << text;
  EXPECT_NE(text.find("pid 1234\nboot 0b7c-boot\n/sys/a/nr_hugepages\t0\n/sys/b/enabled\tnever\n"),
            std::string::npos)
      << text;
  auto back = parse_settings_record(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->pid, 1234);
  EXPECT_EQ(back->boot, "0b7c-boot");
  EXPECT_EQ(back->settings, r.settings);
  EXPECT_FALSE(parse_settings_record("boot x\n/sys/a\t0\n").has_value()) << "no pid";
  EXPECT_FALSE(parse_settings_record("pid 12\nsomething else\n").has_value());
  EXPECT_FALSE(parse_settings_record("pid -3\n").has_value());
  EXPECT_FALSE(parse_settings_record("").has_value());
}

TEST(SettingsNotices, TakenOnceInTheOrderNoted) {
  take_settings_notices();
  add_settings_notice("first");
  add_settings_notice("second");
  EXPECT_EQ(take_settings_notices(), (std::vector<std::string>{"first", "second"}));
  EXPECT_TRUE(take_settings_notices().empty());
}

}  // namespace
}  // namespace zs
