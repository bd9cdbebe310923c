# Cross build for arm64 with Debian's g++-aarch64-linux-gnu and the
# distribution's multiarch arm64 packages (libpfm4-dev:arm64, libfmt-dev:arm64,
# ...: headers in /usr/include, libraries in /usr/lib/aarch64-linux-gnu). The
# programs run under qemu-user (tests/arm64/arm64_tests.cmake); the arm64
# loader and libraries of libc6:arm64 sit where qemu looks for them.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# find_package/find_library look in lib/aarch64-linux-gnu, never in the
# host's lib/x86_64-linux-gnu; pkg-config reads only the arm64 .pc files.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# gtest_discover_tests and add_test run the arm64 programs through qemu.
find_program(ZS_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(ZS_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${ZS_QEMU_AARCH64})
endif()
