#!/usr/bin/env bash
# cmake --install gives a working tree: install into a temporary prefix, move
# it (nothing may depend on where it was installed), and run the installed
# zeroscope. It must read its event files from the installed tree, not from
# the source tree. Usage: test_install.sh BUILD_DIR [CMAKE]
set -euo pipefail
build=$1
cmake=${2:-cmake}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zs-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$cmake" --install "$build" --prefix "$tmp/first" >"$tmp/install.log"
mv "$tmp/first" "$tmp/prefix"
prefix=$tmp/prefix
for f in bin/zeroscope share/zeroscope/events/zen4.toml share/zeroscope/plots/all.py \
         share/zeroscope/configs/quick.toml; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; ls -R "$prefix"; exit 1; }
done

"$prefix/bin/zeroscope" events --uarch zen4 >"$tmp/events.txt"
grep -q "^file *$prefix/share/zeroscope/events/zen4.toml\$" "$tmp/events.txt" || {
  echo "FAIL: the installed zeroscope did not read its own event file:"
  cat "$tmp/events.txt"
  exit 1
}
"$prefix/bin/zeroscope" info >"$tmp/info.txt"
[ -s "$tmp/info.txt" ] || { echo "FAIL: zeroscope info printed nothing"; exit 1; }
echo "installed tree works: $(wc -l <"$tmp/events.txt") lines of events, $(wc -l <"$tmp/info.txt") of info"
