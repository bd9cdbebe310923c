# The libFuzzer targets (fuzz/) as a second build with the distribution's
# clang, in <build>/fuzz, linking this build's core libraries; ctest runs
# each target for a few seconds over its seed corpus (fuzz.<name>), and
# `./run.sh fuzz [SECONDS]` for longer. Without clang or its fuzzer runtime
# (libclang-rt-<version>-dev on Debian), one test says why and skips.
set(ZS_FUZZ_TARGETS sweep_config events samples residency)
option(ZS_FUZZ_TESTS "Build the libFuzzer targets with clang and run them briefly in ctest" ON)
find_program(ZS_FUZZ_CXX NAMES clang++ clang++-19 clang++-18 clang++-17 clang++-16 clang++-15 clang++-14)
find_program(ZS_FUZZ_CC NAMES clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14)

# Whether this clang links a fuzzer with both sanitizers (the runtime is a
# separate package); asked once per compiler.
if(ZS_FUZZ_CXX AND NOT DEFINED ZS_FUZZ_WORKS_${ZS_FUZZ_CXX})
  set(probe ${CMAKE_CURRENT_BINARY_DIR}/fuzz_probe)
  file(WRITE ${probe}.cc
    "#include <cstddef>\n#include <cstdint>\n"
    "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n")
  execute_process(COMMAND ${ZS_FUZZ_CXX} -fsanitize=fuzzer,address,undefined ${probe}.cc -o ${probe}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    set(works ON)
  else()
    set(works OFF)
  endif()
  set(ZS_FUZZ_WORKS_${ZS_FUZZ_CXX} ${works} CACHE INTERNAL "clang links -fsanitize=fuzzer")
endif()

set(run_fuzz ${PROJECT_SOURCE_DIR}/fuzz/run_fuzz.sh)
if(ZS_FUZZ_TESTS AND ZS_FUZZ_CXX AND ZS_FUZZ_WORKS_${ZS_FUZZ_CXX})
  include(ExternalProject)
  set(launcher "")
  if(CMAKE_CXX_COMPILER_LAUNCHER)
    set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER})
  endif()
  ExternalProject_Add(zs_fuzz
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${PROJECT_BINARY_DIR}/fuzz
    CMAKE_ARGS
      -DZS_FUZZ=ON
      -DZS_CORE_BUILD=${PROJECT_BINARY_DIR}
      -DCMAKE_CXX_COMPILER=${ZS_FUZZ_CXX}
      -DCMAKE_C_COMPILER=${ZS_FUZZ_CC}
      -DCMAKE_BUILD_TYPE=Release
      -DCMAKE_CXX_FLAGS_RELEASE=-O1
      -DZS_WERROR=${ZS_WERROR}
      ${launcher}
    INSTALL_COMMAND ""
    # The inner ninja rebuilds only what changed (readers, targets, the
    # core libraries it links); a no-op costs a fraction of a second.
    BUILD_ALWAYS ON)
  add_dependencies(zs_fuzz zeroscope_core zs_primitives zs_strategies zs_platform)
  foreach(t IN LISTS ZS_FUZZ_TARGETS)
    add_test(NAME fuzz.${t} COMMAND ${run_fuzz} ${PROJECT_BINARY_DIR}/fuzz ${t} 5)
    set_tests_properties(fuzz.${t} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
  endforeach()
else()
  set(missing "")
  if(NOT ZS_FUZZ_TESTS)
    set(missing "disabled with -DZS_FUZZ_TESTS=OFF")
  elseif(NOT ZS_FUZZ_CXX)
    set(missing "clang++ not found (apt-get install clang)")
  else()
    set(missing "${ZS_FUZZ_CXX} cannot link -fsanitize=fuzzer,address,undefined (apt-get install libclang-rt-dev)")
  endif()
  add_test(NAME fuzz.targets
           COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: fuzz tests not run: ${missing}")
  set_tests_properties(fuzz.targets PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPED:")
endif()
