# arm64 primitives: cross-built with g++-aarch64-linux-gnu and run under
# qemu-user, one ctest test per primitive so that an unavailable one shows as
# skipped. Without the cross compiler or qemu, one test says why and skips.
set(ZS_ARM64_PRIMITIVES dc-zva stnp stp mops memset kernel)
option(ZS_ARM64_TESTS "Cross-build the arm64 primitives and test them under qemu-user" ON)
find_program(ZS_AARCH64_CXX aarch64-linux-gnu-g++)
find_program(ZS_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)

if(CMAKE_CROSSCOMPILING OR CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  # Native arm64 (or an unusual cross build): the regular tests cover it.
  return()
endif()

if(ZS_ARM64_TESTS AND ZS_AARCH64_CXX AND ZS_QEMU_AARCH64)
  include(ExternalProject)
  ExternalProject_Add(arm64_primitives
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${PROJECT_BINARY_DIR}/arm64
    CMAKE_ARGS
      -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/aarch64-toolchain.cmake
      -DZS_PRIMITIVES_ONLY=ON
      -DCMAKE_BUILD_TYPE=Release
      -DZS_WERROR=${ZS_WERROR}
    INSTALL_COMMAND ""
    BUILD_BYPRODUCTS ${PROJECT_BINARY_DIR}/arm64/zeroscope-primitive-check)
  # Rebuilt only when one of its inputs changes: the primitives and
  # strategies, the check program and the headers it takes from the harness
  # and tests, and the build files that configure it. (Without these the
  # step would run once; with BUILD_ALWAYS it ran on every build.)
  file(GLOB_RECURSE arm64_inputs CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/kernels/*.cc ${PROJECT_SOURCE_DIR}/kernels/*.h
    ${PROJECT_SOURCE_DIR}/kernels/*.S ${PROJECT_SOURCE_DIR}/kernels/CMakeLists.txt
    ${PROJECT_SOURCE_DIR}/tests/arm64/*.cc ${PROJECT_SOURCE_DIR}/tests/support/*.h)
  list(APPEND arm64_inputs
    ${PROJECT_SOURCE_DIR}/harness/measure/executor.h
    ${PROJECT_SOURCE_DIR}/CMakeLists.txt
    ${PROJECT_SOURCE_DIR}/cmake/aarch64-toolchain.cmake)
  ExternalProject_Add_StepDependencies(arm64_primitives build ${arm64_inputs})
  set(check ${PROJECT_BINARY_DIR}/arm64/zeroscope-primitive-check)
  foreach(p IN LISTS ZS_ARM64_PRIMITIVES)
    add_test(NAME arm64.primitive.${p} COMMAND ${ZS_QEMU_AARCH64} ${check} --primitive ${p})
    set_tests_properties(arm64.primitive.${p} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  endforeach()
  add_test(NAME arm64.strategies COMMAND ${ZS_QEMU_AARCH64} ${check} --strategies)
  add_test(NAME arm64.kernel-choice COMMAND ${ZS_QEMU_AARCH64} ${check} --kernel-choice)
  add_test(NAME arm64.platform COMMAND ${ZS_QEMU_AARCH64} ${check} --platform)
  set_tests_properties(arm64.strategies arm64.kernel-choice arm64.platform PROPERTIES TIMEOUT 600)
else()
  set(missing "")
  if(NOT ZS_ARM64_TESTS)
    string(APPEND missing "disabled with -DZS_ARM64_TESTS=OFF ")
  endif()
  if(NOT ZS_AARCH64_CXX)
    string(APPEND missing "aarch64-linux-gnu-g++ not found (apt-get install g++-aarch64-linux-gnu) ")
  endif()
  if(NOT ZS_QEMU_AARCH64)
    string(APPEND missing "qemu-aarch64 not found (apt-get install qemu-user)")
  endif()
  add_test(NAME arm64.primitives
           COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: arm64 tests not run: ${missing}")
  set_tests_properties(arm64.primitives PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPED:")
endif()
