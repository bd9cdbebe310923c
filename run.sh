#!/usr/bin/env bash
# zeroscope set-up and entry point.
#   ./run.sh                 install what is missing, build zeroscope, run the quick sweep
#   ./run.sh CONFIG [OPTS]   same set-up, then zeroscope run CONFIG OPTS
#   ./run.sh test            same set-up (and the arm64 packages), build everything (tests, bench,
#                            the arm64 cross build, fuzz), run ctest
#   ./run.sh bench [ARGS]    same set-up, build zeroscope-bench, run it with ARGS
#   ./run.sh fuzz [SECONDS]  same set-up, build the libFuzzer targets (clang), run each
#                            for SECONDS (default 60) over its corpus: one summary line each
#   ./run.sh format          apply .clang-format to every tracked .cc/.h (tools/check-format.sh)
#   ./run.sh setup           install what is missing (no optional packages), build zeroscope only:
#                            the set-up a fleet host runs on the commit shipped to it
#   ./run.sh fleet INVENTORY CONFIG [-- RUN_OPTIONS]
#                            install ansible-core when missing, then run CONFIG on every host of
#                            the Ansible INVENTORY into results/fleet-<stamp>/ (docs/fleet.md)
#   ./run.sh fleet --resume FLEETDIR INVENTORY
#                            complete the hosts of FLEETDIR that did not complete
# One build directory for all modes: `./run.sh test` after `./run.sh` reuses
# the objects of the first. ZS_WERROR=ON makes warnings errors (CI does).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${ZS_BUILD_DIR:-build}
mode=${1:-main}

# Debian 12 / Ubuntu 24.04 package names. REQUIRED fail the set-up when they
# cannot be installed; OPTIONAL only enable the arm64 cross tests (cross g++,
# qemu), the fuzz targets (clang with its sanitizer and fuzzer runtime) and
# the fleet tests (sshd in network namespaces, ansible-core).
REQUIRED=(g++ cmake ninja-build pkg-config libpfm4-dev libeigen3-dev libbenchmark-dev libgtest-dev
          libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev libnuma-dev zlib1g-dev
          python3-matplotlib python3-numpy python3-scipy)
# ccache: the fleet test's hosts build the same commit with the same flags,
# and reuse this build's objects through it (without it they compile
# everything again, minutes on two cores).
OPTIONAL=(g++-aarch64-linux-gnu qemu-user clang libclang-rt-dev openssh-server ansible-core ccache)
# The arm64 builds of the libraries, for the arm64 cross build of the whole
# project that ./run.sh test runs under qemu (tests/arm64/arm64_tests.cmake);
# multiarch: installed beside the host's, after dpkg --add-architecture arm64.
ARM64=(libc6:arm64 libpfm4-dev:arm64 libfmt-dev:arm64 libgtest-dev:arm64 libbenchmark-dev:arm64
       libnuma-dev:arm64 zlib1g-dev:arm64 libtomlplusplus-dev:arm64)
# The fleet's controller (./run.sh fleet): Ansible, ssh, git archive.
FLEET=(ansible-core openssh-client git)

say() { printf 'run.sh: %s\n' "$*" >&2; }

missing_of() {
  local p out=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
  done
  echo "${out[@]:-}"
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${ZS_APT_UPDATED:-}" ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null || return 1
    ZS_APT_UPDATED=1
  fi
  # (a lock timeout: fleet hosts sharing one machine may set up at once)
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

# apt_install, with no service started by the packages (openssh-server would
# start a system sshd listening on every interface; the fleet test starts
# its own, inside its namespaces): a policy-rc.d that refuses every start,
# present only for the install (an existing one is left as it is).
apt_install_no_start() {
  local policy=/usr/sbin/policy-rc.d rc=0
  if [ -e "$policy" ]; then
    apt_install "$@" || rc=$?
    return $rc
  fi
  printf '#!/bin/sh\n# run.sh: no service starts while it installs packages\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt_install "$@" || rc=$?
  rm -f "$policy"
  trap - EXIT
  return $rc
}

# Packages that must be there: installed as root, else the exact command and exit 1.
install_or_exit() {
  if [ "$(id -u)" -ne 0 ]; then
    say "missing packages: $*"
    say "install them with: sudo apt-get install -y $*"
    exit 1
  fi
  say "installing: $*"
  apt_install "$@" || { say "apt-get install failed for: $*; fix the package sources and run again"; exit 1; }
}

install_dependencies() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: install the equivalents of: ${REQUIRED[*]}; trying the build anyway"
    return 0
  fi
  local req opt
  req=$(missing_of "${REQUIRED[@]}")
  opt=$(missing_of "${OPTIONAL[@]}")
  # shellcheck disable=SC2086
  [ -z "$req" ] || install_or_exit $req
  if [ -n "$opt" ] && [ "${1:-}" != required ]; then
    if [ "$(id -u)" -eq 0 ]; then
      say "installing (optional, for the arm64, fuzz and fleet tests, and ccache): $opt"
      # shellcheck disable=SC2086
      apt_install_no_start $opt || say "could not install $opt: the arm64, fuzz or fleet tests will be reported as skipped"
    else
      say "optional packages missing ($opt): the arm64, fuzz or fleet tests will be skipped; install with: sudo apt-get install -y $opt"
    fi
  fi
}

# The arm64 packages (test mode only, as root, where the cross compiler and
# qemu are there). A machine whose package sources have no arm64 (Ubuntu's
# main archive serves only amd64) gets its architecture list back as it was
# and the arm64 suites are skipped with the reason.
install_arm64_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 && command -v qemu-aarch64 >/dev/null 2>&1 || return 0
  local missing added=""
  missing=$(missing_of "${ARM64[@]}")
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "arm64 packages missing ($missing): only the arm64 primitives are tested; install with: sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install -y $missing"
    return 0
  fi
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64 || { say "dpkg --add-architecture arm64 failed: only the arm64 primitives are tested"; return 0; }
    added=1
    ZS_APT_UPDATED=  # the arm64 package lists are new
  fi
  say "installing (optional, for the arm64 suites under qemu): $missing"
  # shellcheck disable=SC2086
  if ! apt_install $missing; then
    say "could not install $missing (do the package sources serve arm64?): only the arm64 primitives are tested"
    if [ -n "$added" ]; then
      if ! { dpkg --remove-architecture arm64 && apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null; }; then
        say "could not take arm64 back out of dpkg's architectures: dpkg --remove-architecture arm64"
      fi
    fi
  fi
}

build() {
  local target=${1:-}
  local args=()
  # Paths inside the tree hash relative to it, so another copy of the same
  # commit (a fleet host's unpacked tree) hits the objects of this one.
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
  [ -n "${ZS_WERROR:-}" ] && args+=("-DZS_WERROR=$ZS_WERROR")
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    # ccache when the machine has it; a fresh machine builds without.
    command -v ccache >/dev/null 2>&1 &&
      args+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "${args[@]}" >/dev/null
  elif [ ${#args[@]} -gt 0 ]; then
    cmake -S . -B "$BUILD_DIR" "${args[@]}" >/dev/null
  fi
  # A built tree only rebuilds what changed (cmake re-configures itself when
  # a CMakeLists.txt changes). Without a target: everything, tests included.
  cmake --build "$BUILD_DIR" -j "$(nproc)" ${target:+--target "$target"}
}

main_job() {
  # The quick sweep (configs/quick.toml), or another config with zeroscope
  # run's options: ./run.sh configs/cover-letter.toml --reserve-hugetlb
  local config=${1:-configs/quick.toml}
  [ $# -gt 0 ] && shift
  local dir
  dir="results/$(date +%Y%m%d-%H%M%S)-$(hostname -s)-$(basename "$config" .toml)"
  local rc=0
  "$BUILD_DIR/zeroscope" run "$config" --out "$dir" "$@" || rc=$?
  # An interrupted or budget-limited run still has a valid directory: report it.
  [ -f "$dir/summary.csv" ] || exit "$rc"
  echo
  "$BUILD_DIR/zeroscope" report "$dir" --plots
  echo
  echo "results: $dir (plots in $dir/plots)"
  exit "$rc"
}

# Why the fuzz targets are not built in $BUILD_DIR ("" when they are): the
# reason its configure step wrote into the skipped ctest test fuzz.targets.
fuzz_skip_reason() {
  grep -ho 'SKIPPED: fuzz tests not run: [^"]*' "$BUILD_DIR"/tests/CTestTestfile.cmake 2>/dev/null |
    head -n 1 | sed 's/^SKIPPED: fuzz tests not run: //' || true
}

fuzz_job() {
  # The libFuzzer targets of the readers (fuzz/README.md), built by the
  # main build's zs_fuzz step into $BUILD_DIR/fuzz with clang; each runs for
  # SECONDS, one after the other, new inputs kept in $BUILD_DIR/fuzz/corpus.
  local seconds=${1:-60} t rc=0 why
  # (0 would be libFuzzer's "no limit".)
  case "$seconds" in
    '' | *[!0-9]*) say "fuzz: SECONDS must be a whole number of at least 1, got '$seconds'"; exit 2 ;;
  esac
  [ "$((10#$seconds))" -ge 1 ] || { say "fuzz: SECONDS must be a whole number of at least 1, got '$seconds'"; exit 2; }
  build zeroscope_core
  why=$(fuzz_skip_reason)
  if [ -n "$why" ]; then
    say "fuzz: the fuzz targets cannot be built here: $why"
    exit 1
  fi
  build zs_fuzz
  for t in sweep_config events samples; do
    fuzz/run_fuzz.sh "$BUILD_DIR/fuzz" "$t" "$seconds" || rc=1
  done
  exit "$rc"
}

fleet_usage="usage: ./run.sh fleet INVENTORY CONFIG [-- RUN_OPTIONS...] | ./run.sh fleet --resume FLEETDIR INVENTORY"

install_fleet_dependencies() {
  # ansible-playbook from pip or the distribution: either will do.
  command -v ansible-playbook >/dev/null 2>&1 && command -v git >/dev/null 2>&1 &&
    command -v ssh >/dev/null 2>&1 && return 0
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: install the equivalents of: ${FLEET[*]}"
    exit 1
  fi
  local req
  req=$(missing_of "${FLEET[@]}")
  # shellcheck disable=SC2086
  [ -z "$req" ] || install_or_exit $req
}

if [ "$mode" = format ]; then
  exec tools/check-format.sh --fix
fi
if [ "$mode" = fleet ]; then
  shift
  case "${1:-}" in
    '') say "fleet: INVENTORY and CONFIG are required; $fleet_usage"; exit 2 ;;
    --resume) [ $# -eq 3 ] || { say "fleet: --resume takes FLEETDIR INVENTORY; $fleet_usage"; exit 2; } ;;
    *) [ $# -ge 2 ] || { say "fleet: CONFIG is required; $fleet_usage"; exit 2; } ;;
  esac
  install_fleet_dependencies
  exec python3 fleet/fleet.py "$@"
fi
if [ "$mode" = setup ]; then
  install_dependencies required
  build zeroscope
  exit 0
fi
install_dependencies
case "$mode" in
  main) build zeroscope; main_job ;;
  test)
    install_arm64_packages
    build
    why=$(fuzz_skip_reason)
    [ -z "$why" ] || say "the fuzz tests (fuzz.*) are skipped: $why"
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" ;;
  bench) shift; build zeroscope-bench; "$BUILD_DIR/zeroscope-bench" "$@" ;;
  fuzz) shift; fuzz_job "$@" ;;
  *.toml) build zeroscope; main_job "$@" ;;
  *) say "unknown mode '$mode'; allowed: (none), CONFIG.toml [zeroscope run options], test, bench [ARGS], fuzz [SECONDS], format, setup, fleet"; exit 2 ;;
esac
