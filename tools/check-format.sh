#!/usr/bin/env bash
# .clang-format over every tracked .cc/.h file.
#   tools/check-format.sh          fail (exit 1) naming each file that differs
#   tools/check-format.sh --fix    rewrite those files in place (./run.sh format)
# clang-format's output changes between major versions: the checked-in
# formatting is that of the version CI installs (Debian 12: clang-format 14).
# Set CLANG_FORMAT to use another binary.
set -euo pipefail
cd "$(dirname "$0")/.."

cf=${CLANG_FORMAT:-clang-format}
if ! command -v "$cf" >/dev/null 2>&1; then
  echo "check-format: $cf not found; install it with: sudo apt-get install -y clang-format" >&2
  exit 2
fi

mapfile -d '' files < <(git ls-files -z -- '*.cc' '*.h')
if [ ${#files[@]} -eq 0 ]; then
  echo "check-format: no tracked .cc/.h files (not a git checkout?)" >&2
  exit 2
fi

if [ "${1:-}" = "--fix" ]; then
  "$cf" -i --style=file "${files[@]}"
  echo "check-format: formatted ${#files[@]} files with $("$cf" --version)"
  exit 0
fi

# One run over all files; each violation is reported as "FILE:LINE:COL: error: ...".
rc=0
out=$("$cf" --dry-run --Werror --style=file "${files[@]}" 2>&1) || rc=$?
mapfile -t bad < <(sed -n 's/^\(.*\.\(cc\|h\)\):[0-9]*:[0-9]*: error: .*/\1/p' <<<"$out" | sort -u)
if [ "$rc" -ne 0 ] && [ ${#bad[@]} -eq 0 ]; then
  printf '%s\n' "$out" | tail -20 >&2
  echo "check-format: $cf failed (exit $rc) without naming a file" >&2
  exit 2
fi
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files differ from .clang-format:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "check-format: see the changes with: $cf --dry-run --style=file FILE; apply them with: ./run.sh format" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files match .clang-format ($("$cf" --version))"
