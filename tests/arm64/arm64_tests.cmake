# arm64 under qemu-user, from the x86 host build. With the cross compiler
# (g++-aarch64-linux-gnu), qemu-user and the distribution's arm64 packages
# (multiarch: libpfm4-dev:arm64, libfmt-dev:arm64, ...; ./run.sh test installs
# them as root), the whole project is built again for arm64 in <build>/arm64
# (library, CLI, zeroscope-bench, the test suites) and its tests, labelled
# arm64, join this build's ctest (tests/arm64/qemu_suite.cmake says which
# suites run and why the others cannot). Without the arm64 packages only the
# primitives are built (they need no library), and one skipped test says what
# is missing; without the compiler or qemu, one skipped test says why.
option(ZS_ARM64_TESTS "Cross-build zeroscope for arm64 and run its tests under qemu-user" ON)
find_program(ZS_AARCH64_CXX aarch64-linux-gnu-g++)
find_program(ZS_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)

if(CMAKE_CROSSCOMPILING OR CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  # Native arm64 (or an unusual cross build): the regular tests cover it.
  return()
endif()

# The arm64 packages the whole build needs, by a file each installs
# (Debian/Ubuntu multiarch paths).
set(ZS_ARM64_PACKAGE_FILES
  "libc6:arm64=/lib/ld-linux-aarch64.so.1"
  "libpfm4-dev:arm64=/usr/lib/aarch64-linux-gnu/libpfm.so"
  "libfmt-dev:arm64=/usr/lib/aarch64-linux-gnu/libfmt.so"
  "libgtest-dev:arm64=/usr/lib/aarch64-linux-gnu/libgtest.a"
  "libbenchmark-dev:arm64=/usr/lib/aarch64-linux-gnu/libbenchmark.so"
  "libnuma-dev:arm64=/usr/lib/aarch64-linux-gnu/libnuma.so"
  "zlib1g-dev:arm64=/usr/lib/aarch64-linux-gnu/libz.so"
  "libtomlplusplus-dev:arm64=/usr/lib/aarch64-linux-gnu/pkgconfig/tomlplusplus.pc")
set(ZS_ARM64_MISSING "")
foreach(entry IN LISTS ZS_ARM64_PACKAGE_FILES)
  string(REPLACE "=" ";" pair ${entry})
  list(GET pair 0 package)
  list(GET pair 1 path)
  if(NOT EXISTS ${path})
    list(APPEND ZS_ARM64_MISSING ${package})
  endif()
endforeach()

function(zs_arm64_skip name why)
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: ${why}")
  set_tests_properties(${name} PROPERTIES LABELS arm64 SKIP_REGULAR_EXPRESSION "SKIPPED:")
endfunction()

if(NOT (ZS_ARM64_TESTS AND ZS_AARCH64_CXX AND ZS_QEMU_AARCH64))
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
  zs_arm64_skip(arm64.primitives "arm64 tests not run: ${missing}")
  return()
endif()

set(arm64_dir ${PROJECT_BINARY_DIR}/arm64)
set(full ON)
set(primitives_only OFF)
if(ZS_ARM64_MISSING)
  set(full OFF)
  set(primitives_only ON)
endif()
include(ExternalProject)
# Rebuilt on every build of this tree: its own ninja decides what changed
# (nothing: well under a second).
ExternalProject_Add(arm64_build
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${arm64_dir}
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/aarch64-toolchain.cmake
    -DCMAKE_BUILD_TYPE=Release
    -DZS_WERROR=${ZS_WERROR}
    -DZS_PRIMITIVES_ONLY=${primitives_only}
    -DCMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER}
    -DCMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  BUILD_BYPRODUCTS ${arm64_dir}/zeroscope-primitive-check)

if(full)
  # The arm64 build's own tests (the suites, the CLI, the primitives) join
  # this ctest: CTestTestfile.cmake reads that build's test list.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/arm64_subdir.cmake
       "if(EXISTS \"${arm64_dir}/CTestTestfile.cmake\")\n  subdirs(\"${arm64_dir}\")\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES
               ${CMAKE_CURRENT_BINARY_DIR}/arm64_subdir.cmake)
  # End-to-end checks of the arm64 CLI: its event files against the arm64
  # libpfm4, and a sweep under qemu.
  set(ZS_ARM64_ZEROSCOPE ${arm64_dir}/zeroscope)
  foreach(snippet events_checks sweep_checks)
    if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${snippet}.cmake)
      include(${CMAKE_CURRENT_LIST_DIR}/${snippet}.cmake)
    endif()
  endforeach()
else()
  # The primitives alone (no library needed), as before the multiarch build.
  include(${CMAKE_CURRENT_LIST_DIR}/primitive_tests.cmake)
  zs_arm64_primitive_tests(${ZS_QEMU_AARCH64} ${arm64_dir}/zeroscope-primitive-check)
  list(JOIN ZS_ARM64_MISSING " " pkgs)
  zs_arm64_skip(arm64.harness
    "arm64 harness suites not run, only the primitives: missing ${pkgs} (as root: dpkg --add-architecture arm64 && apt-get update && apt-get install ${pkgs}; ./run.sh test does this)")
endif()
