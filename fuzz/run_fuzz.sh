#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS over its seed corpus and prints one
# line: executions, coverage (cov: edges, ft: features) and corpus size.
#   fuzz/run_fuzz.sh FUZZ_BUILD_DIR NAME SECONDS
# New inputs go to FUZZ_BUILD_DIR/corpus/NAME (kept between runs, never
# into the checked-in fuzz/corpus/NAME); a crash leaves its input in
# FUZZ_BUILD_DIR/crashes/ and fails with the sanitizer's report.
# Exit 77 (ctest's skip) when the target was not built.
set -uo pipefail
dir=$1 name=$2 seconds=${3:-60}
src=$(cd "$(dirname "$0")" && pwd)
bin=$dir/${name}_fuzz
if [ ! -x "$bin" ]; then
  echo "SKIPPED: fuzz target ${name}_fuzz not built in $dir"
  exit 77
fi
seeds=$src/corpus/$name
work=$dir/corpus/$name
mkdir -p "$work" "$dir/crashes"
log=$dir/$name.log
# -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that
# grows memory without bound fails instead of taking the machine.
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$dir/crashes/$name-" "$work" "$seeds" >"$log" 2>&1
rc=$?
done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1)
cov=$(echo "$done_line" | grep -Eo 'cov: [0-9]+' | grep -Eo '[0-9]+')
ft=$(echo "$done_line" | grep -Eo 'ft: [0-9]+' | grep -Eo '[0-9]+')
corp=$(echo "$done_line" | grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' | cut -d' ' -f2)
if [ $rc -ne 0 ] || [ -z "$done_line" ]; then
  tail -n 60 "$log"
  echo "fuzz $name: FAILED (exit $rc) after ${execs:-?} executions; input in $dir/crashes/, log $log"
  exit 1
fi
echo "fuzz $name: ${execs:-?} executions in ${seconds} s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?} (inputs/bytes); no crash"
