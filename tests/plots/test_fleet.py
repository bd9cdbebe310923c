#!/usr/bin/python3
"""Tests of the fleet directory in the plots (plots/zsplot/fleet.py and
compare_machines.py on a FLEETDIR), on tests/fixtures/fleet/: the reader's
order, vendors and refusals (the same lines as the harness, from
tests/fixtures/fleet/damaged/expected.txt), and the per-machine grid drawn
from a fleet: a panel per completed host, one row per vendor, the host and
its CPU in each title, each host over its own baseline (the replica of its
kernel path where measured), nothing drawn that the host did not measure.
Prints PASS/FAIL per check and 'N passed, N failed'; exit 1 on any failure,
77 (skipped) where /usr/bin/python3 lacks matplotlib, numpy or scipy.

Run through tests/plots/test_plots.sh --fleet (ctest test `plots_fleet`).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_checks import PLOTS, ROOT, Checks, require_plot_modules  # noqa: E402

require_plot_modules()
FLEET = os.path.join(ROOT, "tests", "fixtures", "fleet", "fleet-20261129-013000")
DAMAGED = os.path.join(ROOT, "tests", "fixtures", "fleet", "damaged")
sys.path.insert(0, PLOTS)
from zsplot import fleet  # noqa: E402
from zsplot.results import NoData  # noqa: E402

WORK = tempfile.mkdtemp(prefix="zs_fleet_plots_")


def copy_fleet(name):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(FLEET, d)
    return d


def run_plot(*args):
    p = subprocess.run(["/usr/bin/python3", os.path.join(PLOTS, "compare_machines.py")] + list(args),
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def test_reader():
    f = fleet.read_fleet(FLEET)
    assert [h.name for h in f.hosts] == ["lab-epyc", "lab-xeon", "lab-n1", "lab-old", "lab-xeon-2"]
    assert [h.name for h in f.not_completed()] == ["lab-old"]
    assert "lost the connection" in f.not_completed()[0].reason
    _, hosts = fleet.fleet_results(FLEET)
    assert [r.fleet_host for r in hosts] == ["lab-epyc", "lab-xeon", "lab-xeon-2", "lab-n1"], \
        [r.fleet_host for r in hosts]
    assert [r.vendor for r in hosts] == ["AMD", "Intel", "Intel", "ARM (arm64)"]
    assert hosts[3].groups == ["arm64", "lab"]
    assert fleet.is_fleet_dir(FLEET) and not fleet.is_fleet_dir(os.path.join(FLEET, "lab-xeon"))


def test_damaged():
    cases = []
    with open(os.path.join(DAMAGED, "expected.txt")) as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                name, _, expect = line.rstrip("\n").partition(": ")
                cases.append((name, expect))
    assert len(cases) >= 15
    for name, expect in cases:
        d = copy_fleet("damaged-" + name)
        os.remove(os.path.join(d, "fleet.json"))
        if name == "directory":
            os.mkdir(os.path.join(d, "fleet.json"))
        src = os.path.join(DAMAGED, name + ".json")
        if os.path.exists(src):
            shutil.copy(src, os.path.join(d, "fleet.json"))
        try:
            fleet.fleet_results(d)
            got = "accepted"
        except NoData as e:
            got = str(e)
        want = expect.replace("DIR", d)
        assert got == want, "%s:\n got  %s\n want %s" % (name, got, want)
    # Through the script: exit 2 and the same line.
    d = os.path.join(WORK, "damaged-schema-newer")
    rc, _, err = run_plot(d)
    assert rc == 2 and err == "compare_machines.py: %s/fleet.json: schema 'zeroscope-fleet/2' is not " \
                              "zeroscope-fleet/1; read it with the zeroscope that wrote it\n" % d, (rc, err)


def test_fleet_grid():
    d = copy_fleet("grid")
    rc, out, err = run_plot(d)
    assert rc == 0, err
    plots = os.path.join(d, "plots")
    for ext in ("png", "svg", "json"):
        assert os.path.getsize(os.path.join(plots, "compare_machines." + ext)) > 0, ext
    with open(os.path.join(plots, "compare_machines.json")) as fh:
        side = json.load(fh)
    assert side["panels"] == 4, side["panels"]
    assert not side["outside"], side
    titles = [a["title"] for a in side["axes"]]
    for host, cpu in (("lab-epyc", "AMD EPYC"), ("lab-xeon", "Platinum 8480+"), ("lab-xeon-2", "Gold 6338"),
                      ("lab-n1", "ARM part 0xd0c")):
        assert any(t.startswith(host + " (") and cpu in t for t in titles), (host, titles)
    assert "baseline upstream (its kernel path's replica not measured)" in titles[0], titles[0]
    assert "baseline left-right (replica of its kernel path)" in titles[1], titles[1]
    for a in side["axes"]:
        assert a["ylabel"].startswith("median / median of ") and a["xlabel"].startswith("target")
    assert "one row of panels per vendor" in side["title"], side["title"]
    # Nothing lab-n1 did not measure is drawn: its extent at the last page.
    n1 = [r for r in side["ratios"] if r["dir"] == "lab-n1"]
    assert n1 and not any("/extent/" in r["key"] and "/last/" in r["key"] for r in n1)
    for r in side["ratios"]:
        assert r["lo"] <= r["ratio"] <= r["hi"], r
    # Each ratio is over the host's own baseline.
    assert all("/upstream/" in r["baseline"] for r in side["ratios"] if r["dir"] == "lab-epyc")
    assert all("/left-right/" in r["baseline"] for r in side["ratios"] if r["dir"] != "lab-epyc")


def test_fleet_with_other_dirs():
    d = copy_fleet("mixed")
    out = os.path.join(WORK, "mixed-out")
    rc, _, err = run_plot(os.path.join(ROOT, "tests", "fixtures", "results", "quick-a"), d, "--out", out)
    assert rc == 0, err
    with open(os.path.join(out, "compare_machines.json")) as fh:
        side = json.load(fh)
    assert side["panels"] == 5, side["panels"]
    # The same host twice is refused, as zeroscope compare refuses it.
    rc, _, err = run_plot(d, os.path.join(d, "lab-xeon"))
    assert rc == 2 and "are the same results directory" in err, err


def main():
    checks = [("fleet reader: order, vendors, not completed", test_reader),
              ("damaged fleet directories: the harness's lines", test_damaged),
              ("compare_machines FLEETDIR: a panel per completed host, by vendor", test_fleet_grid),
              ("compare_machines DIR FLEETDIR: mixed", test_fleet_with_other_dirs)]
    check = Checks()
    for name, fn in checks:
        check(name, fn)
    shutil.rmtree(WORK, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
