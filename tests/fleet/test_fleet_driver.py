"""The fleet driver's own logic, without ansible or ssh (fleet/fleet_state.py,
fleet/fleet.py): fleet.json, the status of a host from recorded ansible
events, the hosts a --resume takes, input validation, and a pass following
an events file and unpacking a host's results tarball."""
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "fleet"))

import fleet as driver  # noqa: E402
import fleet_state as fs  # noqa: E402

T0, T1 = "2026-11-29T01:30:00Z", "2026-11-29T01:31:00Z"
COMMIT = "a" * 40


def ev(task, status="ok", when=T0, **result):
    return {"time": when, "host": "h1", "task": task, "status": status, "result": result}


CHECK_OUT = ("zs_dist=Debian GNU/Linux 12 (bookworm)\nzs_kernel=6.18.0\nzs_free_mb=5000\n"
             "zs_dir=/root/zeroscope\nzs_src=/root/zeroscope/src/x\n"
             "zs_remote_dir=/root/zeroscope/results/fleet-1\n")
UP_TO_WAIT = [ev("zs:check", stdout=CHECK_OUT), ev("zs:ship"), ev("zs:build", stdout="zs_build=built /s"),
              ev("zs:launch", ansible_job_id="j1")]


def fleet_with(*hosts):
    return fs.new_fleet("fleet-1", T0, COMMIT, "0.3.0", "/inv.ini", "configs/quick.toml", [],
                        [(h, ["lab"]) for h in hosts])


def tracked(events, commit=COMMIT):
    t = fs.HostTracker(fs.new_host(["lab"]), commit)
    for e in events:
        t.feed(e)
    return t


class FleetJsonTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="zs-fleet-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_written_atomically_and_read_back(self):
        f = fleet_with("h1", "h2")
        fs.write_fleet_json(self.dir, f)
        f["hosts"]["h1"]["status"] = "completed"
        fs.write_fleet_json(self.dir, f)
        self.assertEqual(os.listdir(self.dir), ["fleet.json"])  # no temporary file left
        back = fs.read_fleet_json(self.dir)
        self.assertEqual(back["schema"], "zeroscope-fleet/1")
        self.assertEqual(list(back["hosts"]), ["h1", "h2"])
        self.assertEqual(back["hosts"]["h1"]["status"], "completed")
        for key in ("status", "reason", "results", "remote_dir", "run_started", "groups", "started",
                    "ended", "commit"):
            self.assertIn(key, back["hosts"]["h2"])
        self.assertIsNone(back["ended"])

    def test_damaged_records_are_refused_with_the_fix(self):
        with self.assertRaisesRegex(fs.InputError, "not a fleet directory.*run.sh fleet"):
            fs.read_fleet_json(self.dir)
        with self.assertRaisesRegex(fs.InputError, "no such directory"):
            fs.read_fleet_json(os.path.join(self.dir, "nope"))
        with open(os.path.join(self.dir, "fleet.json"), "w") as f:
            f.write('{"schema": "zeroscope-fleet/1", "hosts": {')
        with self.assertRaisesRegex(fs.InputError, "fleet.json: unreadable"):
            fs.read_fleet_json(self.dir)
        with open(os.path.join(self.dir, "fleet.json"), "w") as f:
            json.dump({"schema": "other/1", "hosts": {}}, f)
        with self.assertRaisesRegex(fs.InputError, "not a zeroscope-fleet/1 record"):
            fs.read_fleet_json(self.dir)
        with open(os.path.join(self.dir, "fleet.json"), "w") as f:
            json.dump({"schema": "zeroscope-fleet/1", "hosts": {"h1": {"status": "done"}}}, f)
        with self.assertRaisesRegex(fs.InputError, "host h1: no valid status"):
            fs.read_fleet_json(self.dir)


class InventoryTest(unittest.TestCase):
    def test_hosts_in_order_with_their_groups_through_children(self):
        listing = {
            "_meta": {"hostvars": {}},
            "all": {"children": ["ungrouped", "lab"]},
            "lab": {"children": ["intel", "amd"]},
            "intel": {"hosts": ["i1", "i2"]},
            "amd": {"hosts": ["a1"]},
            "ungrouped": {"hosts": ["solo"]},
        }
        self.assertEqual(fs.inventory_hosts(listing),
                         [("solo", []), ("i1", ["lab", "intel"]), ("i2", ["lab", "intel"]),
                          ("a1", ["lab", "amd"])])

    def test_empty_inventory_has_no_hosts(self):
        self.assertEqual(fs.inventory_hosts({"_meta": {}, "all": {"children": ["ungrouped"]}}), [])


class ClassificationTest(unittest.TestCase):
    def test_completed(self):
        t = tracked(UP_TO_WAIT + [ev("zs:wait", finished=1, rc=0), ev("zs:pack"),
                                  ev("zs:fetch", dest="/f/h1.tar.gz")])
        self.assertEqual(t.fetched, "/f/h1.tar.gz")
        self.assertFalse(t.done)
        t.unpacked("h1", T1)
        h = t.host
        self.assertEqual((h["status"], h["reason"], h["results"]), ("completed", "", "h1"))
        self.assertEqual(h["remote_dir"], "/root/zeroscope/results/fleet-1")
        self.assertTrue(h["run_started"])
        self.assertEqual((h["started"], h["ended"], h["commit"]), (T0, T1, COMMIT))

    def test_unreachable_from_the_start(self):
        t = tracked([ev("zs:check", "unreachable",
                        msg="Failed to connect to the host via ssh: ssh: connect to host "
                            "10.0.0.2 port 22: Connection refused")])
        self.assertEqual(t.host["status"], "unreachable")
        self.assertIn("Connection refused", t.host["reason"])
        self.assertFalse(t.host["run_started"])
        self.assertIsNone(t.host["remote_dir"])

    def test_lost_mid_run_is_failed_and_resumable(self):
        t = tracked(UP_TO_WAIT + [ev("zs:wait", "unreachable", msg="Data could not be sent\nto "
                                     "remote host")])
        h = t.host
        self.assertEqual(h["status"], "failed")
        self.assertEqual(h["reason"], "lost the connection while zeroscope ran: "
                                      "Data could not be sent to remote host")
        self.assertTrue(h["run_started"])
        self.assertIsNone(h["results"])

    def test_lost_during_the_build(self):
        t = tracked(UP_TO_WAIT[:2] + [ev("zs:build", "unreachable", msg="timed out")])
        self.assertEqual(t.host["status"], "failed")
        self.assertIn("while setting up and building", t.host["reason"])
        self.assertFalse(t.host["run_started"])

    def test_refused_run_gives_zeroscopes_line(self):
        stderr = ("zeroscope run: hugetlb 2 MiB pool: the run needs 960 pages, 0 are free; "
                  "rerun with --reserve-hugetlb as root\n")
        t = tracked(UP_TO_WAIT + [ev("zs:wait", "failed", finished=1, rc=2, stderr=stderr)])
        self.assertEqual(t.host["status"], "refused")
        self.assertEqual(t.host["reason"], "hugetlb 2 MiB pool: the run needs 960 pages, 0 are "
                                           "free; rerun with --reserve-hugetlb as root")

    def test_killed_run(self):
        t = tracked(UP_TO_WAIT + [ev("zs:wait", "failed", finished=1, rc=-9, stderr="")])
        self.assertEqual((t.host["status"], t.host["reason"]),
                         ("failed", "zeroscope run died (signal 9)"))
        self.assertEqual(fs.run_exit_reason(137, "")[1], "zeroscope run died (signal 9)")
        self.assertEqual(fs.run_exit_reason(130, "")[0], "interrupted")
        self.assertEqual(fs.run_exit_reason(None, "", "Traceback\nValueError: No start of json")[1],
                         "zeroscope run's job ended without its exit status (killed?): "
                         "ValueError: No start of json; resumable")
        st, why = fs.run_exit_reason(4, "zeroscope run: failed after 3 of 8 samples: disk full\n")
        self.assertEqual((st, why), ("failed", "zeroscope run failed (exit 4): failed after 3 of 8 samples: disk full"))

    def test_run_gone_without_a_result(self):
        t = tracked(UP_TO_WAIT + [ev("zs:poll", "failed", rc=1, stderr="fleet-wait: zeroscope run "
                                     "(pid 7) is gone and its ansible job has no result\n")])
        self.assertEqual((t.host["status"], t.host["reason"]),
                         ("failed", "zeroscope run (pid 7) is gone and its ansible job has no result"))
        self.assertTrue(t.host["run_started"])
        t = tracked(UP_TO_WAIT + [ev("zs:poll", "unreachable", msg="Connection timed out")])
        self.assertEqual(t.host["reason"], "lost the connection while zeroscope ran: Connection "
                                           "timed out")
        t = tracked(UP_TO_WAIT + [ev("paths of this host", "failed", msg="no zs_dir line")])
        self.assertEqual(t.host["reason"], "paths of this host failed: no zs_dir line")

    def test_prerequisite_and_build_failures_name_the_cause(self):
        t = tracked([ev("zs:check", "failed", rc=1, msg="non-zero return code",
                        stderr="fleet-check: only 12 MiB free under /z, 1024 MiB needed\n")])
        self.assertEqual((t.host["status"], t.host["reason"]),
                         ("failed", "prerequisites: only 12 MiB free under /z, 1024 MiB needed"))
        t = tracked(UP_TO_WAIT[:2] + [ev("zs:build", "failed", rc=1, stderr="noise\nfleet-build: "
                                         "./run.sh setup failed in /s: ninja: build stopped\n")])
        self.assertEqual(t.host["reason"],
                         "set-up failed: ./run.sh setup failed in /s: ninja: build stopped")
        t = tracked(UP_TO_WAIT + [ev("zs:wait", finished=1, rc=0),
                                  ev("zs:fetch", "failed", msg="file not found: /x.tar.gz")])
        self.assertEqual(t.host["reason"], "fetching the results failed: file not found: /x.tar.gz")

    def test_events_after_the_final_status_are_ignored(self):
        t = tracked([ev("zs:check", "unreachable", msg="refused"), ev("zs:check", stdout=CHECK_OUT)])
        self.assertEqual(t.host["status"], "unreachable")

    def test_end_of_pass(self):
        t = tracked(UP_TO_WAIT)
        t.playbook_ended(T1, interrupted=True)
        self.assertEqual(t.host["status"], "interrupted")
        self.assertIn("resumable", t.host["reason"])
        t = tracked([])
        t.playbook_ended(T1, interrupted=False)
        self.assertEqual(t.host["status"], "unreachable")
        t = tracked([])
        t.playbook_ended(T1, False, fs.playbook_error(1, "x\nERROR! the playbook: y could not "
                                                         "be found\n"))
        self.assertEqual((t.host["status"], t.host["reason"]),
                         ("failed", "ansible-playbook failed (exit 1): the playbook: y could not "
                                    "be found"))
        self.assertEqual(fs.playbook_error(4, "ERROR! x"), "")


class ResumeTest(unittest.TestCase):
    def test_only_hosts_that_did_not_complete(self):
        f = fleet_with("done", "lost", "never", "gone", "refused")
        hs = f["hosts"]
        hs["done"].update(status="completed", run_started=True, remote_dir="/r/d")
        hs["lost"].update(status="failed", run_started=True, remote_dir="/r/l")
        hs["never"].update(status="unreachable")
        hs["gone"].update(status="failed", run_started=True, remote_dir="/r/g")
        hs["refused"].update(status="refused", run_started=True, remote_dir="/r/x")
        plan, left = fs.resume_plan(f, {"done", "lost", "never", "refused"})
        self.assertEqual(plan, {"lost": {"mode": "resume", "remote_dir": "/r/l"},
                                "never": {"mode": "fresh", "remote_dir": None},
                                "refused": {"mode": "fresh", "remote_dir": "/r/x"}})
        self.assertEqual(left, [("gone", "not in the inventory given to --resume")])
        self.assertEqual(fs.resume_options(["--reserve-hugetlb", "--wait"]), ["--wait"])

    def test_exit_codes_and_lines(self):
        f = fleet_with("a", "b")
        f["hosts"]["a"]["status"] = "completed"
        f["hosts"]["b"].update(status="unreachable", reason="unreachable: timed out")
        self.assertEqual(fs.failure_lines(f), ["fleet: b: unreachable: unreachable: timed out"])
        self.assertEqual(fs.exit_code(f, False), 4)
        self.assertEqual(fs.exit_code(f, True), 130)
        f["hosts"]["b"]["status"] = "completed"
        self.assertEqual(fs.exit_code(f, False), 0)


class InputTest(unittest.TestCase):
    def refused(self, argv):
        with self.assertRaises(fs.InputError) as c:
            driver.parse_args(argv)
        return str(c.exception)

    def test_command_lines(self):
        self.assertEqual(driver.parse_args(["inv.ini", "c.toml", "--", "--reserve-hugetlb"]),
                         {"inventory": "inv.ini", "config": "c.toml",
                          "run_options": ["--reserve-hugetlb"]})
        self.assertEqual(driver.parse_args(["--resume", "results/fleet-1", "inv.ini"]),
                         {"resume": "results/fleet-1", "inventory": "inv.ini"})
        self.assertIn("expected INVENTORY CONFIG", self.refused(["inv.ini"]))
        self.assertIn("--resume takes FLEETDIR INVENTORY", self.refused(["--resume", "d"]))
        self.assertIn("--out: not a fleet run option", self.refused(["i", "c", "--", "--out", "x"]))
        self.assertIn("--dry-run: not a fleet run option", self.refused(["i", "c", "--",
                                                                        "--dry-run"]))

    def test_bad_input_exits_2_and_writes_nothing(self):
        if shutil.which("ansible-inventory") is None:
            self.skipTest("ansible-core is not installed (./run.sh fleet installs it)")
        d = tempfile.mkdtemp(prefix="zs-fleet-test-")
        parent = os.path.join(d, "results")
        os.mkdir(parent)
        os.environ["ZS_FLEET_RESULTS"] = parent
        try:
            inv = os.path.join(d, "inv.ini")
            with open(inv, "w") as f:
                f.write("[lab]\nh1 ansible_host=192.0.2.1\n")
            empty = os.path.join(d, "empty.ini")
            open(empty, "w").close()
            cases = [
                ([os.path.join(d, "none.ini"), "c.toml"], "no such inventory"),
                ([empty, "c.toml"], "no hosts in the inventory"),
                ([inv, os.path.join(d, "none.toml")], "no such config file"),
                (["--resume", d, inv], "not a fleet directory"),
            ]
            for argv, says in cases:
                err = io.StringIO()
                with redirect_stderr(err), redirect_stdout(io.StringIO()):
                    self.assertEqual(driver.main(argv), 2, argv)
                self.assertIn(says, err.getvalue())
                self.assertEqual(err.getvalue().count("\n"), 1, err.getvalue())
            self.assertEqual(os.listdir(parent), [])
        finally:
            del os.environ["ZS_FLEET_RESULTS"]
            shutil.rmtree(d)


class PassTest(unittest.TestCase):
    """A pass fed a recorded events file: the fetched tarball is unpacked
    into FLEETDIR/<host> and fleet.json says completed / refused."""

    def test_follow_and_unpack(self):
        d = tempfile.mkdtemp(prefix="zs-fleet-test-")
        try:
            fleetdir = os.path.join(d, "fleet-1")
            os.makedirs(os.path.join(fleetdir, ".fleet"))
            f = fleet_with("h1", "h2")
            fs.write_fleet_json(fleetdir, f)
            run = os.path.join(d, "remote", "fleet-1")
            os.makedirs(run)
            for name in ("meta.json", "samples.csv"):
                with open(os.path.join(run, name), "w") as out:
                    out.write(name)
            tarball = os.path.join(d, "h1.tar.gz")
            with tarfile.open(tarball, "w:gz") as t:
                t.add(run, arcname="fleet-1")
            p = driver.Pass(f, fleetdir, "/inv.ini", d, 0, driver.Interrupted())
            p.track(["h1", "h2"])
            events = UP_TO_WAIT + [ev("zs:wait", finished=1, rc=0), ev("zs:fetch", dest=tarball)]
            events += [dict(e, host="h2") for e in UP_TO_WAIT]
            events.append(dict(ev("zs:wait", "failed", finished=1, rc=2,
                                  stderr="zeroscope run: no pool\n"), host="h2"))
            with open(p.events, "w") as out:
                out.write("".join(json.dumps(e) + "\n" for e in events) + '{"torn')
            with redirect_stdout(io.StringIO()) as said:
                p.follow()
            back = fs.read_fleet_json(fleetdir)
            self.assertEqual(back["hosts"]["h1"]["status"], "completed")
            self.assertEqual(back["hosts"]["h1"]["results"], "h1")
            self.assertEqual(sorted(os.listdir(os.path.join(fleetdir, "h1"))),
                             ["meta.json", "samples.csv"])
            self.assertFalse(os.path.exists(tarball))
            self.assertEqual((back["hosts"]["h2"]["status"], back["hosts"]["h2"]["reason"]),
                             ("refused", "no pool"))
            self.assertIn("fleet: h2: refused: no pool", said.getvalue())
            # The torn last line is read once it is whole.
            self.assertLess(p.offset, os.path.getsize(p.events))
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
