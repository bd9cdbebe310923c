#!/bin/sh
# The plot tests (ctest test `plots`): every script of plots/ on the results
# directories in tests/fixtures/results/. The plots need the Debian python
# with python3-matplotlib, python3-numpy and python3-scipy: without them this test is
# skipped (exit 77, ctest SKIP_RETURN_CODE), never passed.
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if [ ! -x "$py" ]; then
  echo "SKIPPED: $py not found (the plots need the distribution's python3 with python3-matplotlib, python3-numpy, python3-scipy)"
  exit 77
fi
if ! "$py" -c 'import matplotlib, numpy, scipy' >/dev/null 2>&1; then
  echo "SKIPPED: $py lacks matplotlib, numpy or scipy; install them with: apt-get install python3-matplotlib python3-numpy python3-scipy"
  exit 77
fi
# --fleet: the fleet directory's plots (test_fleet.py, ctest test `plots_fleet`).
if [ "$1" = --fleet ]; then
  shift
  exec "$py" "$here/test_fleet.py" "$@"
fi
exec "$py" "$here/test_plots.py" "$@"
