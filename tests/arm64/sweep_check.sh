#!/bin/bash
# arm64.sweep.vendor-compare (sweep_checks.cmake): QEMU ZEROSCOPE CONFIG.
# Runs the shipped sweep file unchanged under qemu-user with few
# repetitions and a small pool (a functional test: qemu's timings mean
# nothing; the automatic pool of 4x the LLC left most THP samples not huge
# under qemu), then checks the results directory and the report. Exit 77
# (skipped) with the reason when this machine cannot run it.
set -u
qemu=$1 zs=$2 config=$3
reps=3 pool=8
fail() { echo "FAILED: $*"; exit 1; }
skip() { echo "SKIPPED: $*"; exit 77; }

[ -x "$zs" ] || skip "no arm64 zeroscope at $zs"
[ -x "$qemu" ] || skip "no qemu-aarch64 at $qemu"
[ "$(id -u)" = 0 ] || skip "needs root (THP settings, the pools' pagemap checks)"
thp=/sys/kernel/mm/transparent_hugepage/enabled
mode=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp" 2>/dev/null)
[ -n "$mode" ] || skip "no THP on this kernel ($thp)"
[ "$mode" = never ] && skip "THP is disabled on this kernel ($thp: never)"
# The 2 MiB size must follow the top-level setting this test changes.
pmd=/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled
if [ -f "$pmd" ] && ! grep -Eq '\[(inherit|always)\]' "$pmd"; then
  skip "$pmd is '$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$pmd")', not inherit or always"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/vendor-compare

points=$("$qemu" "$zs" run "$config" --dry-run | sed -n 's/^# \([0-9]*\) points x.*/\1/p')
[ -n "$points" ] || fail "run --dry-run did not say how many points $config has"

# qemu-user 7.2 answers madvise() without passing it on: with THP
# 'madvise' no folio is huge, and the run must say so in one line.
if [ "$mode" = madvise ]; then
  "$qemu" "$zs" run "$config" --out "$tmp/refused" --repetitions $reps --pool $pool \
    >"$tmp/refused.out" 2>"$tmp/refused.err"
  rc=$?
  cat "$tmp/refused.err"
  [ $rc != 0 ] || fail "a run with THP 'madvise' under qemu-user was not refused"
  grep -q "needs madvise(MADV_HUGEPAGE), which this emulator ignores" "$tmp/refused.err" ||
    fail "the refusal does not say that the emulator ignores madvise"
  [ ! -e "$tmp/refused" ] || fail "the refused run left a results directory"
fi

# qemu-user 7.2's mmap of MAP_HUGETLB fails (EINVAL): hugetlb is refused
# in one line, before any pool is touched.
"$qemu" "$zs" measure --backing hugetlb --folio-size 2MB --reps 1 --pool 1 \
  >"$tmp/hugetlb.out" 2>"$tmp/hugetlb.err"
rc=$?
cat "$tmp/hugetlb.err"
if grep -q "emulation_hugetlb_mmap\": *\"ok\"" <("$qemu" "$zs" info --json); then
  echo "note: hugetlb mmap works under this qemu: no refusal expected"
else
  [ $rc != 0 ] || fail "hugetlb under qemu-user was not refused"
  grep -q "mmap(MAP_HUGETLB) fails under this emulator" "$tmp/hugetlb.err" ||
    fail "the hugetlb refusal does not name the emulator's mmap"
fi

# THP 'always' for the run (the kernel then backs the pools without
# MADV_HUGEPAGE), restored at exit; held like zeroscope holds a setting
# (settings_lock.h: an flock on the setting's own file).
exec 9<"$thp"
flock -n 9 || skip "another process owns $thp"
trap 'echo "$mode" >"$thp"; rm -rf "$tmp"' EXIT
echo always >"$thp" || skip "cannot write $thp"

start=$(date +%s)
"$qemu" "$zs" run "$config" --out "$out" --repetitions $reps --pool $pool \
  >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
echo "run: exit $rc after $(($(date +%s) - start)) s ($points points x $reps repetitions, pool $pool)"
cat "$tmp/run.err" "$tmp/run.out"
[ $rc = 0 ] || fail "zeroscope run under qemu exited $rc"

# Every point has its samples: summary.csv's zero-phase ns row per point, n = reps.
summary=$out/summary.csv
[ -f "$summary" ] || fail "no $summary"
rows=$(awk -F, -v reps=$reps '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["column"] == "ns" && ($col["phase"] == "zero" || $col["phase"] == "fault") {
    if ($col["n"] != reps) { print "short: " $0 > "/dev/stderr"; bad = 1 }
    n++
  }
  END { print (bad ? -1 : n) }' "$summary")
[ "$rows" = "$points" ] || fail "summary.csv has $rows complete points of $points"

meta=$out/meta.json
grep -Eq '"emulation": *"qemu-user"' "$meta" || fail "the capability record does not say qemu-user"
grep -Eq '"signal": *"/proc/cpuinfo of an x86_64 kernel"' "$meta" ||
  fail "the record's emulation evidence lacks the x86_64 cpuinfo"
zva=$(grep -A3 '"dc_zva"' "$meta" | sed -n 's/.*"block_bytes": *\([0-9]*\).*/\1/p')
[ -n "$zva" ] || fail "no cpu.dc_zva.block_bytes in the capability record"
echo "DC ZVA block under qemu: $zva bytes"
grep -q '^zeroscope run: WARNING: measured under qemu-user emulation' "$tmp/run.err" ||
  fail "run did not warn at its start"
grep -q '^warning: measured under qemu-user emulation' "$tmp/run.out" ||
  fail "run did not warn with its results"

"$qemu" "$zs" report "$out" >"$tmp/report.txt" 2>"$tmp/report.err" ||
  { cat "$tmp/report.err"; fail "report under qemu failed"; }
head -4 "$tmp/report.txt"
sed -n 2p "$tmp/report.txt" | grep -q '^WARNING: measured under qemu-user emulation' ||
  fail "report's second line is not the emulation warning"
echo "PASSED: $points points x $reps samples under qemu-user, warned, DC ZVA $zva bytes"
