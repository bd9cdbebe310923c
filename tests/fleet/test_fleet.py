#!/usr/bin/env python3
"""The fleet system tests (ctest `fleet`): `./run.sh fleet` across three
namespaced sshd hosts (netns_hosts.py) running tests/fleet/fleet_tiny.toml.

  1. every host completes: results under fleet-<stamp>/<host>/ of the results
     root (results/; here the test's own, ZS_FLEET_RESULTS), fleet.json
     says completed, each host has the sample count of the config;
  2. one host's sshd and zeroscope are killed mid-run (rows already in its
     samples.csv): it is failed with a reason, the others complete, exit 4;
     after a restart, --resume completes it with exactly the samples of an
     uninterrupted run, none twice, and the completed hosts' files untouched;
  3. a host with no sshd from the start (unreachable) and one whose run
     zeroscope refuses: each named with its reason, exit 4, the other
     completes; once both are fixed, --resume runs them afresh;
  4. a host cut off mid-run (its link to the test gone, its run going on):
     failed, exit 4; --resume finds its run complete and fetches it, with
     nothing measured twice.
A mid-run stop needs a run of seconds: fleet_tiny.toml's host-reported
samples wait 1 s each where free page reporting is active; elsewhere the run
is over too soon and 2 and 4 skip, saying so.

One fixture serves all four, so the shipped tree is built once (the hosts
share this filesystem and one zeroscope_src). Every namespace and process
made here is removed at the end, also on failure, and checked.

  test_fleet.py [BUILD_DIR]   exit 0 passed, 1 failed, 77 skipped (with the reason)
"""

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import netns_hosts  # noqa: E402

CONFIG = "tests/fleet/fleet_tiny.toml"
BUILD = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO / "build"
FLEET_TIMEOUT = 240  # one fleet run, the first one's build of the shipped tree included
SKIP = 77


RUNNING = []  # ./run.sh fleet processes not yet finished (each its own process group)


def stop(p):
    """Kill a ./run.sh fleet and everything it started on this side (ansible, ssh)."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# The fleet directories go to a results root of the test's own (the driver's
# ZS_FLEET_RESULTS), removed at the end; results/ is searched too, so that
# whatever a driver writes there instead is found and removed as well.
RESULTS = BUILD / "fleet-test-results"


def fleet_dirs():
    return {p for root in (RESULTS, REPO / "results") for p in root.glob("fleet-*") if p.is_dir()}


def samples(host_dir):
    """(distinct samples, duplicated (key, rep, phase) rows) of a results directory."""
    seen, dups = set(), 0
    with open(host_dir / "samples.csv", newline="") as f:
        for row in csv.DictReader(f):
            k = (row["key"], row["rep"], row["phase"])
            dups += k in seen
            seen.add(k)
    return len({(k, r) for k, r, _ in seen}), dups


def data_rows(path):
    try:
        with open(path) as f:
            return max(0, sum(1 for _ in f) - 1)
    except OSError:
        return 0


def run_complete(samples_csv):
    meta = samples_csv.parent / "meta.json"
    try:
        return json.loads(meta.read_text()).get("status") == "complete"
    except (OSError, ValueError):
        return False


TOO_QUICK = ("the run completed before it could be stopped mid-run (fleet_tiny.toml lasts seconds "
             "only where free page reporting is active)")


def digest(tree):
    """path -> sha256 of every file under tree (what "left alone" compares)."""
    return {str(p.relative_to(tree)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file()}


class FleetTest(unittest.TestCase):
    fixture = None
    made = set()  # fleet dirs this test created under results/
    expected = None  # samples per host of an uninterrupted run
    skip_reason = None  # the hosts could not be made after all

    @classmethod
    def setUpClass(cls):
        d = BUILD / "fleet-test"
        shutil.rmtree(RESULTS, ignore_errors=True)
        RESULTS.mkdir(parents=True)
        if d.exists():  # a crashed earlier run: remove what it left
            if (d / "fixture.json").exists():
                netns_hosts.Fleet.load(d).down()
            shutil.rmtree(d)
        # The hosts share one tree, BUILD/fleet-src, kept between runs (see build_options).
        src, env = netns_hosts.build_options(BUILD)
        cls.fixture = netns_hosts.Fleet(3, d, src=src, env=env)
        try:
            cls.fixture.__enter__()
        except netns_hosts.FixtureError as e:
            cls.skip_reason = str(e)
            raise unittest.SkipTest(str(e))
        cls.t0 = time.monotonic()

    @classmethod
    def tearDownClass(cls):
        cls.fixture.__exit__(None, None, None)
        shutil.rmtree(cls.fixture.dir, ignore_errors=True)

    # -- helpers -----------------------------------------------------------
    def fleet(self, *args, wait=True):
        # (a 1 s poll of the runs instead of 2 s: the runs here last seconds)
        env = dict(os.environ, ZS_BUILD_DIR=str(BUILD), ZS_FLEET_POLL_SECONDS="1",
                   ZS_FLEET_RESULTS=str(RESULTS))
        before = fleet_dirs()
        p = subprocess.Popen([str(REPO / "run.sh"), "fleet", *map(str, args)], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
        p.before = before
        RUNNING.append(p)
        return self.finish(p) if wait else p

    def finish(self, p):
        try:
            out, _ = p.communicate(timeout=FLEET_TIMEOUT)
        except subprocess.TimeoutExpired:
            stop(p)
            out, _ = p.communicate()
            FleetTest.made |= fleet_dirs() - p.before
            self.fail(f"./run.sh fleet ran past {FLEET_TIMEOUT} s:\n{out[-3000:]}")
        RUNNING.remove(p)
        new = fleet_dirs() - p.before
        FleetTest.made |= new
        print(out, flush=True)
        return p.returncode, out, (sorted(new)[-1] if new else None)

    def record(self, fleetdir):
        self.assertIsNotNone(fleetdir, "no results/fleet-* directory was made")
        rec = json.loads((fleetdir / "fleet.json").read_text())
        self.assertEqual(rec["schema"], "zeroscope-fleet/1")
        self.assertEqual(rec["name"], fleetdir.name)
        self.assertIsNotNone(rec["ended"], "fleet.json: ended is null after the run")
        return rec

    def assert_completed(self, fleetdir, rec, host):
        h = rec["hosts"][host]
        self.assertEqual(h["status"], "completed", f"{host}: {h.get('reason')}")
        d = fleetdir / (h["results"] or host)
        self.assertEqual(d, fleetdir / host)
        for f in ("meta.json", "samples.csv"):
            self.assertTrue((d / f).is_file(), f"{host}: {f} missing in {d}")
        n, dups = samples(d)
        self.assertEqual(dups, 0, f"{host}: rows measured twice")
        meta = json.loads((d / "meta.json").read_text())
        self.assertEqual(meta["status"], "complete", host)
        self.assertTrue(h["started"] and h["ended"], f"{host}: start and end in fleet.json")
        self.assertEqual(h["commit"], rec["commit"], f"{host}: the commit it ran")
        if FleetTest.expected is None:
            FleetTest.expected = meta["samples"]["expected"]
            self.assertIn(FleetTest.expected, (4, 8), "fleet_tiny.toml: 1 or 2 points x 4")
        self.assertEqual(n, FleetTest.expected, f"{host}: samples")

    def start_and_wait_for_rows(self, inventory, host):
        """Starts a fleet run; returns it and HOST's samples.csv once that has rows."""
        runs = self.fixture.host_dir(host) / "results"
        old = set(runs.glob("fleet-*"))
        p = self.fleet(inventory, CONFIG, wait=False)
        deadline, partial = time.monotonic() + FLEET_TIMEOUT, None
        while partial is None and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.1)
            partial = next((c / "samples.csv" for c in set(runs.glob("fleet-*")) - old
                            if data_rows(c / "samples.csv") > 0), None)
        if partial is None:
            stop(p)
            self.finish(p)
            self.fail(f"{host}'s run never had rows in its samples.csv")
        return p, partial

    def resume_completes(self, fd, inventory, hosts, others):
        """--resume FLEETDIR completes HOSTS exactly and leaves the others alone."""
        rec = self.record(fd)
        before = {h: digest(fd / h) for h in others}
        entries = {h: rec["hosts"][h] for h in others}
        t = time.monotonic()
        rc, out, _ = self.fleet("--resume", fd, inventory)
        log(f"fleet --resume: {time.monotonic() - t:.0f} s")
        self.assertEqual(rc, 0, out[-2000:])
        after = self.record(fd)
        self.assertEqual(after["resumes"], rec["resumes"] + 1)
        for h in [hosts] if isinstance(hosts, str) else hosts:
            self.assert_completed(fd, after, h)
        for h in others:
            self.assertEqual(digest(fd / h), before[h], f"{h}: files changed by --resume")
            self.assertEqual(after["hosts"][h], entries[h], f"{h}: fleet.json entry changed by --resume")

    def assert_named(self, out, rec, host, status):
        h = rec["hosts"][host]
        self.assertEqual(h["status"], status, f"{host}: {h}")
        self.assertTrue(h["reason"].strip(), f"{host}: no reason")
        self.assertIn(f"fleet: {host}: {status}: ", out)

    # -- the scenarios --------------------------------------------------------
    def test_1_every_host_completes(self):
        f, t = self.fixture, time.monotonic()
        rc, out, fd = self.fleet(f.inventory, CONFIG)
        log(f"fleet run, 3 hosts (build included): {time.monotonic() - t:.0f} s")
        self.assertEqual(rc, 0, out[-2000:])
        rec = self.record(fd)
        self.assertEqual(set(rec["hosts"]), set(f.names))
        self.assertEqual(fd.parent, RESULTS, "ZS_FLEET_RESULTS: the fleet directory's parent")
        self.assertRegex(fd.name, r"^fleet-\d{8}-\d{6}(-\d+)?$")
        for host in f.names:
            self.assert_completed(fd, rec, host)

    def test_2_killed_host_fails_then_resumes(self):
        f, t = self.fixture, time.monotonic()
        p, partial = self.start_and_wait_for_rows(f.inventory, "host2")
        f.kill("host2")
        too_late = run_complete(partial)
        log(f"killed host2 with {data_rows(partial)} rows in {partial}")
        rc, out, fd = self.finish(p)
        log(f"fleet run with a kill: {time.monotonic() - t:.0f} s")
        if too_late:
            self.skipTest(TOO_QUICK)
        self.assertEqual(rc, 4, out[-2000:])
        rec = self.record(fd)
        self.assert_named(out, rec, "host2", "failed")
        self.assertTrue(rec["hosts"]["host2"]["run_started"])
        for host in ("host1", "host3"):
            self.assert_completed(fd, rec, host)
        f.restart("host2")
        self.resume_completes(fd, f.inventory, "host2", ("host1", "host3"))

    def test_3_unreachable_and_refused_hosts(self):
        f, t = self.fixture, time.monotonic()
        f.kill("host3")  # no sshd at its address from the start
        try:
            inv = f.write_inventory(f.dir / "inventory-failures.ini",
                                    host_vars={"host2": {"zeroscope_run_options": "--restart"}})
            rc, out, fd = self.fleet(inv, CONFIG)
        finally:
            f.restart("host3")
        log(f"fleet run, unreachable + refused: {time.monotonic() - t:.0f} s")
        self.assertEqual(rc, 4, out[-2000:])
        rec = self.record(fd)
        self.assert_completed(fd, rec, "host1")
        self.assert_named(out, rec, "host3", "unreachable")
        self.assert_named(out, rec, "host2", "refused")
        self.assertIn("--restart", rec["hosts"]["host2"]["reason"])
        # Fixed (host3's sshd back, host2 without the refused option): --resume
        # runs both afresh (neither run started) and leaves host1 alone.
        self.assertFalse(rec["hosts"]["host3"]["run_started"])
        self.resume_completes(fd, f.inventory, ("host2", "host3"), ("host1",))

    def test_4_lost_connection_run_goes_on(self):
        # host1's link is cut mid-run while its zeroscope goes on and finishes
        # alone: failed now; --resume then finds the run complete, fetches it,
        # and measures nothing twice.
        f, t = self.fixture, time.monotonic()
        inv = f.write_inventory(f.dir / "inventory-two.ini", hosts=["host1", "host3"])
        p, partial = self.start_and_wait_for_rows(inv, "host1")
        f.disconnect("host1")
        too_late = run_complete(partial)
        try:
            log(f"cut host1 off with {data_rows(partial)} rows in {partial}")
            rc, out, fd = self.finish(p)
        finally:
            f.reconnect("host1")
        log(f"fleet run with a lost connection: {time.monotonic() - t:.0f} s")
        if too_late:
            self.skipTest(TOO_QUICK)
        self.assertEqual(rc, 4, out[-2000:])
        rec = self.record(fd)
        self.assertEqual(set(rec["hosts"]), {"host1", "host3"})
        self.assert_named(out, rec, "host1", "failed")
        self.assert_completed(fd, rec, "host3")
        self.resume_completes(fd, inv, "host1", ("host3",))


def clean_check(fixture):
    """What the test left behind: namespaces of its tag and live processes naming its dir."""
    ns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    left = [line for line in ns.splitlines() if line.startswith(f"zsfleet-{fixture.tag}-")]
    for path in (fixture.dir, fixture.src):
        pg = subprocess.run(["pgrep", "-f", str(path) + "/"], capture_output=True, text=True).stdout
        left += [f"pid {p} ({path})" for p in pg.split() if not netns_hosts.zombie(int(p))]
    return left


def main():
    why = netns_hosts.unavailable()
    if not why and not (REPO / "fleet" / "fleet.py").exists():
        why = "this checkout has no fleet driver (fleet/fleet.py)"
    if not why and not shutil.which("ansible-playbook"):
        why = "ansible-core is not installed (./run.sh test installs it as an optional package, as root)"
    if why:
        print(f"SKIPPED: the fleet tests need namespaced sshd hosts: {why}")
        return SKIP
    t, ok = time.monotonic(), False
    try:
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(FleetTest)
        ok = unittest.TextTestRunner(verbosity=2, failfast=True).run(suite).wasSuccessful()
    finally:  # also on SIGINT/SIGTERM (KeyboardInterrupt) past unittest's own clean-up
        for p in RUNNING:
            stop(p)
        if FleetTest.fixture is not None:
            FleetTest.fixture.down()
            for p in sorted(FleetTest.made):
                if not ok and (p / "fleet.log").exists():
                    print(f"--- {p}/fleet.log (last lines)\n" + "\n".join(
                        (p / "fleet.log").read_text(errors="replace").splitlines()[-25:]))
                shutil.rmtree(p, ignore_errors=True)
            shutil.rmtree(RESULTS, ignore_errors=True)
            left = clean_check(FleetTest.fixture)
            if left:
                print("left behind:", ", ".join(left))
                ok = False
    if FleetTest.skip_reason:
        print(f"SKIPPED: the fleet tests need namespaced sshd hosts: {FleetTest.skip_reason}")
        return SKIP
    log(f"fleet tests: {time.monotonic() - t:.0f} s in all")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
