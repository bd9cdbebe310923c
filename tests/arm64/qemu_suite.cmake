# The test suites of the arm64 cross build, run under qemu-user on the x86
# host (included by tests/CMakeLists.txt when CMAKE_CROSSCOMPILING; the host
# build's ctest reads this build's tests through tests/arm64/arm64_tests.cmake).
#
# Every gtest case becomes arm64.<Suite>.<test>, labelled arm64. qemu-user
# translates the instructions but shares the host's kernel: /proc, sysfs,
# pagemap, THP and hugetlb settings, perf_event_open and the clock are the
# x86 host's. The suites listed below depend on those facts (or change them)
# and are not run under qemu; each one is a skipped test carrying its reason,
# so that `ctest -L arm64` lists them.

set(ZS_QEMU_KERNEL_STATE_REASON
    "changes or reads this host's kernel state (hugetlb pools, THP/mTHP settings, fault counters), which qemu-user shares with the x86 host: run natively on arm64")
set(ZS_QEMU_TIMING_REASON
    "times accesses or faults; under qemu-user the times are the emulator's: run natively on arm64")
# name (the test program without test_) -> reason. The others run, those
# that read (not change) the host's settings under the system tests' lock.
set(ZS_QEMU_EXCLUDED
  hugetlb_pool folio_pool setting_guard thp_settings backing experiment sweep_run
  cli_measure cli_counters mmap_bench cache_placement sweep_durability settings_owner
  replicates_run residency_run memory_axis host_reported_run alias_executor alias_sweep
  drift_run access_sensitivity tsc counters)
set(ZS_QEMU_TIMING access_sensitivity drift_run tsc)
set(ZS_QEMU_PERF counters)
set(ZS_QEMU_PERF_REASON
    "opens perf events: qemu-user 7.2 does not implement perf_event_open (ENOSYS), and the PMU would be the x86 host's: run natively on arm64")
set(ZS_QEMU_LOCKED capability sweep_config kernel_strategy hostile_input fault_tracer)

# The programs a test starts (run_binary.h: ZS_BINARY) are arm64 programs: a
# wrapper starts them under qemu, since the host kernel cannot execute them.
set(ZS_TEST_BINARY ${PROJECT_BINARY_DIR}/zeroscope-qemu)
file(WRITE ${ZS_TEST_BINARY}
     "#!/bin/sh\n# zeroscope of the arm64 build, under qemu-user (tests/arm64/qemu_suite.cmake)\n"
     "exec ${CMAKE_CROSSCOMPILING_EMULATOR} ${PROJECT_BINARY_DIR}/zeroscope \"$@\"\n")
file(CHMOD ${ZS_TEST_BINARY} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
     GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

include(${CMAKE_CURRENT_LIST_DIR}/primitive_tests.cmake)

function(zs_qemu_skip name reason)
  add_test(NAME arm64.${name} COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED under qemu-user: ${reason}")
  set_tests_properties(arm64.${name} PROPERTIES LABELS arm64 SKIP_REGULAR_EXPRESSION "SKIPPED")
endfunction()

# One gtest program of tests/: its cases under qemu, or one skipped test.
function(zs_qemu_register target short)
  if(short IN_LIST ZS_QEMU_EXCLUDED)
    set(reason ${ZS_QEMU_KERNEL_STATE_REASON})
    if(short IN_LIST ZS_QEMU_TIMING)
      set(reason ${ZS_QEMU_TIMING_REASON})
    elseif(short IN_LIST ZS_QEMU_PERF)
      set(reason ${ZS_QEMU_PERF_REASON})
    endif()
    zs_qemu_skip(${short} "${reason}")
    return()
  endif()
  # Listing a program's tests runs it under qemu: allow for a loaded host.
  set(lock "")
  if(short IN_LIST ZS_QEMU_LOCKED)
    set(lock RESOURCE_LOCK system_memory_settings)
  endif()
  gtest_discover_tests(${target} TEST_PREFIX "arm64." DISCOVERY_TIMEOUT 120
                       PROPERTIES LABELS arm64 TIMEOUT 600 ${lock})
endfunction()

# The CLI as a user runs it, and the primitives' standalone check; targets as
# COMMAND run under CMAKE_CROSSCOMPILING_EMULATOR.
function(zs_qemu_cli_tests)
  zs_arm64_primitive_tests(zeroscope-primitive-check)
  add_test(NAME arm64.strategies COMMAND zeroscope-primitive-check --strategies)
  add_test(NAME arm64.kernel-choice COMMAND zeroscope-primitive-check --kernel-choice)
  add_test(NAME arm64.platform COMMAND zeroscope-primitive-check --platform)

  add_test(NAME arm64.cli.strategies COMMAND zeroscope strategies)
  add_test(NAME arm64.cli.primitives COMMAND zeroscope primitives)
  add_test(NAME arm64.cli.trace COMMAND zeroscope trace --strategy left-right --pages 512 --target 300)
  add_test(NAME arm64.cli.info COMMAND zeroscope info)
  add_test(NAME arm64.cli.dry-run COMMAND zeroscope run ${PROJECT_SOURCE_DIR}/configs/vendor-compare.toml --dry-run)
  # (report and compare against the golden files: test_cli_report's cases.)
  add_test(NAME arm64.bench.list COMMAND zeroscope-bench --benchmark_list_tests)
  get_property(all DIRECTORY PROPERTY TESTS)
  list(FILTER all INCLUDE REGEX "^arm64\\.(primitive|strategies|kernel-choice|platform|cli|bench)")
  set_tests_properties(${all} PROPERTIES LABELS arm64 TIMEOUT 600)
endfunction()
