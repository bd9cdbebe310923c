// SettingGuard on temporary files standing in for sysfs settings: the value
// is written, and the original comes back on every way out -- scope end,
// exception, SIGINT, SIGTERM -- with a record present exactly while a guard
// lives; a run killed by SIGKILL is repaired by the next one; a live owner,
// whatever its name, is never touched (its flock is the proof).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
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
  static bool state_exists() { return !settings_records_in(settings_state_dir()).empty(); }
  static std::string state() {
    std::string all;
    for (const auto& f : settings_records_in(settings_state_dir()))
      all += sysfs::read(f).value_or("") + "\n";
    return all;
  }

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
  *state_left = !settings_records_in(settings_state_dir()).empty();
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

// Ownership is the kernel's lock, not a name: a live owner called anything
// is left alone; a second owner of the same setting is refused naming it,
// while other settings stay free.
TEST_F(SettingGuardTest, RecoverNeverTouchesALiveOwnerWhateverItsName) {
  std::string f = file("nr_hugepages", "0\n");
  pid_t pid = changed_by_child(f, "not-zeroscope", true);
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(recover_leftover_settings().empty());
  EXPECT_EQ(sysfs::read(f), "64");
  EXPECT_TRUE(state_exists());
  try {
    SettingGuard g(f, "128");
    FAIL() << "a second owner of the same setting";
  } catch (const SetupError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("pid " + std::to_string(pid)), std::string::npos) << msg;
    EXPECT_NE(msg.find("test_setting_guard"), std::string::npos) << "its command line: " << msg;
    EXPECT_NE(msg.find(option_ref(Option::wait)), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  EXPECT_EQ(sysfs::read(f), "64") << "the live owner's value stays";
  std::string other = file("other", "1\n");
  {
    SettingGuard g(other, "2");  // another setting: not blocked
    EXPECT_EQ(sysfs::read(other), "2");
  }
  EXPECT_EQ(sysfs::read(other), "1");

  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  auto lines = recover_leftover_settings();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("restored " + f + " to 0"), std::string::npos) << lines[0];
  EXPECT_EQ(sysfs::read(f), "0");
  EXPECT_FALSE(state_exists());
}

// A pid in a record says nothing about ownership: the record of a process
// that is alive (here this test's parent) but holds no lock is recovered.
TEST_F(SettingGuardTest, ALivePidWithoutTheLockIsNotAnOwner) {
  std::string f = file("nr_hugepages", "64\n");
  ensure_state_dir(settings_state_dir());
  SettingsRecord r{
      static_cast<long>(::getppid()), boot_id(), "zeroscope run x.toml", 1, {{f, "0"}}};
  ASSERT_EQ(
      write_private_file(settings_record_path(settings_state_dir(), f), format_settings_record(r)),
      0);
  auto lines = recover_leftover_settings();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("(zeroscope run x.toml)"), std::string::npos) << lines[0];
  EXPECT_EQ(sysfs::read(f), "0");
  EXPECT_FALSE(state_exists());
}

TEST_F(SettingGuardTest, ARecordFromAnotherBootIsRemovedUntouched) {
  std::string f = file("nr_hugepages", "7\n");
  ensure_state_dir(settings_state_dir());
  SettingsRecord r{12345, "another-boot", "", 1, {{f, "0"}}};
  ASSERT_EQ(
      write_private_file(settings_record_path(settings_state_dir(), f), format_settings_record(r)),
      0);
  auto lines = recover_leftover_settings();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("before a reboot"), std::string::npos) << lines[0];
  EXPECT_EQ(sysfs::read(f), "7");
  EXPECT_FALSE(state_exists());
}

// With --wait (set_wait_for_setting_owners), a second owner waits for the
// first to finish, then reads the true original, not the first one's value.
TEST_F(SettingGuardTest, ASecondOwnerWaitsAndReadsTheTrueOriginal) {
  std::string f = file("nr_hugepages", "0\n");
  pid_t pid = changed_by_child(f, "zs-first", true);
  ASSERT_GT(pid, 0);
  std::vector<std::string> waits;
  set_wait_for_setting_owners(true, [&](const std::string& l) { waits.push_back(l); });
  std::thread ender([pid] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    ::kill(pid, SIGKILL);  // dies: its record is restored once the lock is free
  });
  {
    SettingGuard g(f, "32");
    EXPECT_EQ(g.original(), "0") << "not the first owner's 64";
    EXPECT_EQ(sysfs::read(f), "32");
  }
  ender.join();
  ::waitpid(pid, nullptr, 0);
  set_wait_for_setting_owners(false);
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_NE(waits[0].find("pid " + std::to_string(pid)), std::string::npos) << waits[0];
  EXPECT_EQ(sysfs::read(f), "0");
  EXPECT_FALSE(state_exists());
}

// The lock alone, on temporary files: a child holding it is live; once
// killed, the kernel has released it.
TEST_F(SettingGuardTest, TheKernelReleasesADeadOwnersLock) {
  std::string f = file("setting", "1\n");
  int ready[2], stop[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(stop), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    try {
      SettingLock lock(f);
      char c = 'r';
      if (::write(ready[1], &c, 1) != 1) ::_exit(3);
      if (::read(stop[0], &c, 1) != 1) ::_exit(0);
      ::_exit(0);
    } catch (...) {
      ::_exit(4);
    }
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  int err = 0;
  EXPECT_EQ(try_lock_setting(f, &err), -1);
  EXPECT_EQ(err, EWOULDBLOCK);
  EXPECT_NE(setting_owner_text(f, -1).find("pid " + std::to_string(pid)), std::string::npos);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  int fd = try_lock_setting(f, &err);
  EXPECT_GE(fd, 0) << std::strerror(err);
  if (fd >= 0) ::close(fd);
  {
    SettingLock mine(f);
    SettingLock again(f);  // shared inside one process
    EXPECT_TRUE(holds_setting_lock(f));
  }
  EXPECT_FALSE(holds_setting_lock(f));
  for (int p : {ready[0], ready[1], stop[0], stop[1]}) ::close(p);
}

// The state file's format (memory/settings_state.h), without touching any setting.
TEST(SettingsRecord, RoundTripsAndRefusesWhatItDoesNotWrite) {
  SettingsRecord r{1234,
                   "0b7c-boot",
                   "zeroscope run x.toml",
                   99,
                   {{"/sys/a/nr_hugepages", "0"}, {"/sys/b/enabled", "never"}}};
  const std::string text = format_settings_record(r);
  EXPECT_EQ(text.rfind("# zeroscope: ", 0), 0u) << text;
  EXPECT_NE(text.find("pid 1234\nboot 0b7c-boot\ncmd zeroscope run x.toml\norder 99\n"
                      "/sys/a/nr_hugepages\t0\n/sys/b/enabled\tnever\n"),
            std::string::npos)
      << text;
  auto back = parse_settings_record(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->pid, 1234);
  EXPECT_EQ(back->boot, "0b7c-boot");
  EXPECT_EQ(back->cmd, "zeroscope run x.toml");
  EXPECT_EQ(back->order, 99u);
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
