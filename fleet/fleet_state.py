"""The fleet's record and the pure decisions of the driver (docs/fleet.md).

fleet.json (schema zeroscope-fleet/1), how a host's status follows from
what ansible reported for its "zs:" tasks (callback_plugins/zsfleet_events.py),
which hosts a --resume pass takes, and the reading of an inventory from
`ansible-inventory --list`. No processes, no ssh: fleet.py does those, the
tests (tests/fleet/test_fleet_driver.py) drive this module directly.
"""
from __future__ import annotations

import json
import os
import re
import tempfile

SCHEMA = "zeroscope-fleet/1"
STATUSES = ("completed", "failed", "unreachable", "refused", "interrupted", "pending")

# zeroscope run's exit codes (README: "exit code of run").
EXIT_REFUSED = 2
EXIT_TIME_BUDGET = 3
EXIT_WRITE_FAILED = 4
EXIT_INTERRUPTED = 130


class InputError(Exception):
    """Bad input: one line naming the cause and the fix (exit 2)."""


def one_line(text, limit=400):
    """Collapses whitespace; keeps the end of a long text (where the cause is)."""
    s = re.sub(r"\s+", " ", str(text or "")).strip()
    return s if len(s) <= limit else "..." + s[-(limit - 3):]


def last_line(text, prefix=None):
    """The last non-empty line of `text`, or of its lines starting with prefix."""
    lines = [ln.strip() for ln in str(text or "").splitlines() if ln.strip()]
    if prefix:
        tagged = [ln for ln in lines if ln.startswith(prefix)]
        if tagged:
            return tagged[-1][len(prefix):].strip()
    return lines[-1] if lines else ""


# --- fleet.json ----------------------------------------------------------------


def new_host(groups):
    return {
        "status": "pending",
        "reason": "",
        "results": None,
        "remote_dir": None,
        "run_started": False,
        "groups": list(groups),
        "started": None,
        "ended": None,
        "commit": None,
    }


def new_fleet(name, started, commit, version, inventory, config, run_options, hosts):
    """hosts: [(inventory_hostname, [groups])] in inventory order."""
    return {
        "schema": SCHEMA,
        "name": name,
        "started": started,
        "ended": None,
        "commit": commit,
        "zeroscope_version": version,
        "inventory": inventory,
        "config": config,
        "run_options": list(run_options),
        "resumes": 0,
        "hosts": {h: new_host(g) for h, g in hosts},
    }


def write_fleet_json(fleetdir, fleet):
    """Atomically: a reader sees the old record or the new one, never half."""
    fd, tmp = tempfile.mkstemp(prefix=".fleet.json.", dir=fleetdir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(fleet, f, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(fleetdir, "fleet.json"))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_fleet_json(fleetdir):
    """The record of FLEETDIR, or InputError naming the cause and the fix."""
    path = os.path.join(fleetdir, "fleet.json")
    if not os.path.isdir(fleetdir):
        raise InputError(f"{fleetdir}: no such directory; give a fleet directory (results/fleet-*)")
    try:
        with open(path, encoding="utf-8") as f:
            fleet = json.load(f)
    except FileNotFoundError:
        raise InputError(f"{fleetdir}: not a fleet directory (no fleet.json); "
                         "give a directory written by ./run.sh fleet") from None
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: unreadable ({one_line(e, 120)}); "
                         "restore it or start a new fleet run") from None
    if not isinstance(fleet, dict) or fleet.get("schema") != SCHEMA \
            or not isinstance(fleet.get("hosts"), dict):
        raise InputError(f"{path}: not a {SCHEMA} record; give a directory written by ./run.sh fleet")
    for name, h in fleet["hosts"].items():
        if not isinstance(h, dict) or h.get("status") not in STATUSES:
            raise InputError(f"{path}: host {name}: no valid status; "
                             "restore the file or start a new fleet run")
    return fleet


# --- the inventory -------------------------------------------------------------


def inventory_hosts(listing):
    """[(host, [groups])] from `ansible-inventory --list`'s JSON, in the
    inventory's order; groups are every group containing the host, through
    children, except 'all' and 'ungrouped'."""
    groups = {k: v for k, v in listing.items() if k != "_meta" and isinstance(v, dict)}
    order, member = [], {}

    def walk(group, trail):
        g = groups.get(group, {})
        for h in g.get("hosts", []):
            if h not in member:
                member[h] = []
                order.append(h)
            for t in trail + [group]:
                if t not in ("all", "ungrouped") and t not in member[h]:
                    member[h].append(t)
        for c in g.get("children", []):
            if c not in trail:
                walk(c, trail + [group])

    walk("all", [])
    for name in groups:  # groups not reachable from all (should not happen)
        walk(name, [])
    return [(h, member[h]) for h in order]


# --- classification ------------------------------------------------------------


def _msg(result):
    r = result or {}
    for key in ("stderr", "module_stderr", "msg", "stdout", "module_stdout"):
        # ansible's msg is one statement however wrapped; outputs end with the cause.
        line = one_line(r.get(key)) if key == "msg" else last_line(r.get(key))
        if line:
            return one_line(line)
    return ""


def _tagged(result, tag):
    """The last line that starts with `tag` in stderr, else _msg."""
    r = result or {}
    if tag in str(r.get("stderr", "")):
        return one_line(last_line(r["stderr"], tag))
    return _msg(r)


def run_exit_reason(rc, stderr, msg=""):
    """(status, reason) for zeroscope run's exit code on the host; msg:
    ansible's, when the job has no exit code (its module was killed)."""
    said = last_line(stderr, "zeroscope run:") or last_line(stderr)
    said = one_line(said)
    if rc == EXIT_REFUSED:
        return "refused", said or "zeroscope run refused the run (exit 2)"
    if rc == EXIT_INTERRUPTED:
        return "interrupted", said or "zeroscope run was interrupted (exit 130); resumable"
    if rc == EXIT_TIME_BUDGET:
        return "failed", said or "the config's time budget was reached (exit 3); resumable"
    if rc is None:
        why = one_line(last_line(msg), 160)
        return "failed", said or ("zeroscope run's job ended without its exit status (killed?)"
                                  + (f": {why}" if why else "") + "; resumable")
    if rc < 0 or rc > 128:
        sig = -rc if rc < 0 else rc - 128
        return "failed", f"zeroscope run died (signal {sig})" + (f": {said}" if said else "")
    return "failed", f"zeroscope run failed (exit {rc})" + (f": {said}" if said else "")


PHASES = {
    "zs:check": "checking the prerequisites",
    "zs:ship": "copying the source archive and the config",
    "zs:build": "setting up and building (./run.sh setup)",
    "zs:aside": "starting zeroscope run",
    "zs:launch": "starting zeroscope run",
    "zs:poll": "waiting for zeroscope run",
    "zs:wait": "waiting for zeroscope run",
    "zs:pack": "packing the results",
    "zs:fetch": "fetching the results",
}


class HostTracker:
    """One host's state through a pass, fed the events in the order ansible
    reported them. `host` is its fleet.json entry, updated in place."""

    def __init__(self, host, commit=None):
        self.host = host
        self.commit = commit
        self.contacted = False
        self.done = False          # a final status was set in this pass
        self.fetched = None        # the controller's path of the results tarball
        self.facts = {}

    def _finish(self, status, reason, when):
        self.host["status"] = status
        self.host["reason"] = reason
        self.host["ended"] = when
        self.done = True

    def feed(self, ev):
        """Returns a short progress note for the console, or None."""
        if self.done:
            return None
        task, status, r, when = ev["task"], ev["status"], ev.get("result") or {}, ev.get("time")
        h = self.host
        if status == "skipped":
            return None
        if status == "unreachable":
            why = _msg(r) or "unreachable"
            if not self.contacted and not h["run_started"]:
                self._finish("unreachable", why, when)
            elif task in ("zs:poll", "zs:wait"):
                self._finish("failed", f"lost the connection while zeroscope ran: {why}", when)
            else:
                self._finish("failed", f"lost the connection while {PHASES.get(task, task)}: {why}",
                             when)
            return None
        self.contacted = True
        if task == "zs:check":
            if status != "ok":
                self._finish("failed", f"prerequisites: {_tagged(r, 'fleet-check:')}", when)
                return None
            for ln in str(r.get("stdout", "")).splitlines():
                if ln.startswith("zs_") and "=" in ln:
                    k, v = ln.split("=", 1)
                    self.facts[k[3:]] = v
            if h["started"] is None:
                h["started"] = when
            if self.facts.get("remote_dir"):
                h["remote_dir"] = self.facts["remote_dir"]
            return "reachable ({}, kernel {}, {} MiB free)".format(
                self.facts.get("dist", "?"), self.facts.get("kernel", "?"),
                self.facts.get("free_mb", "?"))
        if status != "ok":
            if task == "zs:build":
                self._finish("failed", f"set-up failed: {_tagged(r, 'fleet-build:')}", when)
            elif task == "zs:poll":
                self._finish("failed", _tagged(r, "fleet-wait:"), when)
            elif task == "zs:wait":
                if r.get("finished"):
                    st, reason = run_exit_reason(r.get("rc"), r.get("stderr"), r.get("msg"))
                    self._finish(st, reason, when)
                else:
                    self._finish("failed", f"waiting for zeroscope run failed: {_msg(r)}", when)
            else:
                self._finish("failed", f"{PHASES.get(task, task)} failed: {_msg(r)}", when)
            return None
        if task == "zs:ship":
            return "source shipped"
        if task == "zs:build":
            how = last_line(r.get("stdout"), "zs_build=")
            return "reused the build in " + how[len("reused "):] if how.startswith("reused") \
                else "built" + (f" in {how[len('built '):]}" if how.startswith("built") else "")
        if task == "zs:launch":
            h["run_started"] = True
            h["reason"] = ""
            h["commit"] = self.commit
            return f"zeroscope run started in {h['remote_dir']}"
        if task == "zs:wait":
            if r.get("finished") and r.get("rc", 0) != 0:  # ok but nonzero: be safe
                st, reason = run_exit_reason(r.get("rc"), r.get("stderr"), r.get("msg"))
                self._finish(st, reason, when)
                return None
            return "zeroscope run finished"
        if task == "zs:fetch":
            self.fetched = r.get("dest")
            return None
        return None

    def unpacked(self, results, when):
        """The fetched tarball is unpacked into FLEETDIR/<results>."""
        self.host["results"] = results
        self._finish("completed", "", when)

    def playbook_ended(self, when, interrupted, why=""):
        """The pass is over; a host without a final status gets one. `why`:
        ansible-playbook's own error (exit status and its ERROR! line), if any."""
        if self.done:
            return
        h = self.host
        if interrupted:
            self._finish("interrupted", "the fleet run was interrupted (SIGINT)"
                         + ("; the run on the host was interrupted and is resumable"
                            if h["run_started"] else ""), when)
        elif why:
            self._finish("failed", why, when)
        elif not self.contacted and not h["run_started"]:
            self._finish("unreachable", "no result from ansible for this host (see fleet.log)", when)
        else:
            self._finish("failed", "the playbook ended before this host finished (see fleet.log)",
                         when)


def playbook_error(rc, log_tail):
    """ansible-playbook's own failure, for hosts it left without a result:
    "" when rc is one of its per-host outcomes (0, 2 failed, 4 unreachable)."""
    if rc in (0, 2, 4):
        return ""
    err = [ln for ln in str(log_tail or "").splitlines() if ln.startswith("ERROR!")]
    said = one_line(err[-1][len("ERROR!"):], 240) if err else "see fleet.log"
    return f"ansible-playbook failed (exit {rc}): {said}"


# --- resume ----------------------------------------------------------------------


def resume_plan(fleet, inventory_names):
    """Which hosts a --resume pass takes: (plan, left_out).

    plan: {host: {"mode": "resume"|"fresh", "remote_dir": dir or None}} for
    every host of fleet.json that did not complete and is in the inventory;
    "resume" where its run had started (zeroscope run --resume), "fresh"
    where none had or it was refused. left_out: [(host, why)] for hosts of fleet.json missing
    from the inventory (they keep their status)."""
    plan, left_out = {}, []
    for name, h in fleet["hosts"].items():
        if h["status"] == "completed":
            continue
        if name not in inventory_names:
            left_out.append((name, "not in the inventory given to --resume"))
            continue
        started = bool(h.get("run_started")) and bool(h.get("remote_dir"))
        # A refused run usually made no directory; the host resumes one if it
        # did (it has a meta.json), else runs afresh into the same place.
        again = started and h["status"] != "refused"
        plan[name] = {"mode": "resume" if again else "fresh",
                      "remote_dir": h.get("remote_dir") if started else None}
    return plan, left_out


def resume_options(run_options):
    """What a `zeroscope run --resume` takes again of the first run's options:
    --wait (the rest is remembered in the results directory's meta.json)."""
    return [o for o in run_options if o == "--wait"]


def failure_lines(fleet):
    return [f"fleet: {name}: {h['status']}: {h['reason']}"
            for name, h in fleet["hosts"].items() if h["status"] != "completed"]


def exit_code(fleet, interrupted):
    if interrupted:
        return EXIT_INTERRUPTED
    return 0 if all(h["status"] == "completed" for h in fleet["hosts"].values()) else 4
