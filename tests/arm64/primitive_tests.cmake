# arm64.primitive.<name>: the standalone primitive check (tests/arm64/
# primitive_check_main.cc) for every arm64 primitive, one ctest test each so
# that an unavailable one (exit 77) shows as skipped with its reason. ARGN is
# the command that runs the check program: the target itself in the arm64
# build (run under its emulator), qemu and the program's path in the host
# build's primitives-only fallback.
function(zs_arm64_primitive_tests)
  foreach(p IN ITEMS dc-zva stnp stp mops memset kernel)
    add_test(NAME arm64.primitive.${p} COMMAND ${ARGN} --primitive ${p})
    set_tests_properties(arm64.primitive.${p} PROPERTIES LABELS arm64 SKIP_RETURN_CODE 77)
  endforeach()
endfunction()
