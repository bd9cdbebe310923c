# arm64 end to end under qemu-user: the shipped configs/vendor-compare.toml
# run by the arm64 zeroscope (THP on this host's kernel; the `kernel` and
# `memset` primitives; DC ZVA's block size as qemu's CPU reports it), then
# `report` on its results. Checked: the run completes, every point has its
# samples, the capability record says qemu-user with its evidence and holds
# the DC ZVA block size, and run and report print the emulation warning.
# Included by arm64_tests.cmake with ZS_QEMU_AARCH64 and ZS_ARM64_ZEROSCOPE
# set. It runs zeroscope on this kernel (THP, settings): the system lock.
get_filename_component(zs_sweep_config ${CMAKE_CURRENT_LIST_DIR}/../../configs/vendor-compare.toml
                       ABSOLUTE)
add_test(NAME arm64.sweep.vendor-compare
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/sweep_check.sh ${ZS_QEMU_AARCH64}
                 ${ZS_ARM64_ZEROSCOPE} ${zs_sweep_config})
set_tests_properties(arm64.sweep.vendor-compare PROPERTIES
  LABELS arm64 SKIP_RETURN_CODE 77 TIMEOUT 300 RESOURCE_LOCK system_memory_settings)
