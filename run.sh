#!/usr/bin/env bash
# zeroscope set-up and entry point.
#   ./run.sh                 install what is missing, build, run the main job
#   ./run.sh test            same set-up, then every test (ctest)
#   ./run.sh bench [ARGS]    same set-up, then zeroscope-bench with ARGS
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${ZS_BUILD_DIR:-build}
mode=${1:-main}

# Debian 12 / Ubuntu 24.04 package names. REQUIRED fail the set-up when they
# cannot be installed; OPTIONAL only enable the arm64 cross tests.
REQUIRED=(g++ cmake ninja-build pkg-config libpfm4-dev libeigen3-dev libbenchmark-dev libgtest-dev
          libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev libnuma-dev
          python3-matplotlib python3-numpy python3-scipy)
OPTIONAL=(g++-aarch64-linux-gnu qemu-user)

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
    apt-get update -qq >/dev/null || return 1
    ZS_APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_dependencies() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: install the equivalents of: ${REQUIRED[*]}; trying the build anyway"
    return 0
  fi
  local req opt
  req=$(missing_of "${REQUIRED[@]}")
  opt=$(missing_of "${OPTIONAL[@]}")
  if [ -n "$req" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      say "missing packages: $req"
      say "install them with: sudo apt-get install -y $req"
      exit 1
    fi
    say "installing: $req"
    # shellcheck disable=SC2086
    apt_install $req || { say "apt-get install failed for: $req; fix the package sources and run again"; exit 1; }
  fi
  if [ -n "$opt" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      say "installing (optional, for the arm64 tests): $opt"
      # shellcheck disable=SC2086
      apt_install $opt || say "could not install $opt: the arm64 tests will be reported as skipped"
    else
      say "optional packages missing ($opt): the arm64 tests will be skipped; install with: sudo apt-get install -y $opt"
    fi
  fi
}

build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  # A built tree only rebuilds what changed (cmake re-configures itself when
  # a CMakeLists.txt changes).
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

main_job() {
  local z="$BUILD_DIR/zeroscope"
  echo
  "$z" primitives
  echo
  echo "== the upstream (Linux 7.0) plan for a 2 MiB folio faulted at page 300, as zeroscope trace prints it:"
  "$z" trace --strategy upstream --pages 512 --target 300
  echo
  echo "== the fault experiment: 2 MiB THP, cold caches, each strategy and the kernel's own fault path (zeroscope measure):"
  "$z" measure --reps 20 --warmup 2
  echo
  echo "== every available primitive zeroing huge-page-backed extents (zeroscope-bench; memset is the reference):"
  mkdir -p results
  local out="results/bench-$(date +%Y%m%d-%H%M%S)-$(hostname -s).json"
  # Repetitions in a random interleaved order, so drift does not favour one
  # primitive; the summary gives medians and ratios within this one run.
  "$BUILD_DIR/zeroscope-bench" --benchmark_filter='/(64KiB|2MiB)/' --benchmark_min_time=0.05 \
    --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true \
    --benchmark_display_aggregates_only=true \
    --benchmark_out="$out" --benchmark_out_format=json >/dev/null 2>&1
  python3 bench/summarize.py "$out"
  echo "(raw results: $out)"
}

install_dependencies
build
case "$mode" in
  main) main_job ;;
  test) ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" ;;
  bench) shift; "$BUILD_DIR/zeroscope-bench" "$@" ;;
  *) say "unknown mode '$mode'; allowed: (none), test, bench [ARGS]"; exit 2 ;;
esac
