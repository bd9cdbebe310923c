# arm64.events.<uarch>: `zeroscope events --check` of every Arm event file
# (configs/events/neoverse-*.toml, ampere*.toml), run by the arm64 build
# under qemu-aarch64 so that libpfm4's arm64 tables encode each entry and
# the raw fallbacks are compared with them. Included by arm64_tests.cmake
# with ZS_QEMU_AARCH64 and ZS_ARM64_ZEROSCOPE set.
#
# The check sets LIBPFM_FORCE_PMU to the file's table (arm_n1, ...) itself
# before libpfm4 initialises: under qemu-user libpfm4 reads the x86 host's
# /proc/cpuinfo and detects no Arm core. Exit 77 (skip) means the libpfm4 it
# runs with lacks the table; 1 a difference or an entry libpfm4 cannot encode.
file(GLOB zs_arm64_event_files CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/configs/events/neoverse-*.toml
  ${PROJECT_SOURCE_DIR}/configs/events/ampere*.toml)
foreach(file IN LISTS zs_arm64_event_files)
  get_filename_component(uarch ${file} NAME_WE)
  add_test(NAME arm64.events.${uarch}
           COMMAND ${ZS_QEMU_AARCH64} ${ZS_ARM64_ZEROSCOPE} events --uarch ${uarch} --check)
  set_tests_properties(arm64.events.${uarch} PROPERTIES
    LABELS arm64 SKIP_RETURN_CODE 77 TIMEOUT 120
    ENVIRONMENT "ZS_EVENTS_DIR=${PROJECT_SOURCE_DIR}/configs/events")
endforeach()
