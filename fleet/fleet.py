#!/usr/bin/env python3
"""zeroscope across a fleet of hosts, on Ansible (docs/fleet.md).

  fleet.py INVENTORY CONFIG [-- RUN_OPTIONS...]
  fleet.py --resume FLEETDIR INVENTORY

Runs fleet.yml against INVENTORY (every host at its own pace), follows each
host through the zs: tasks' results (callback_plugins/zsfleet_events.py),
unpacks each host's results into FLEETDIR/<inventory_hostname>/ and keeps
FLEETDIR/fleet.json up to date. Exit codes: 0 every host completed, 4 some
did not (one line each at the end), 2 bad input (nothing written), 130
interrupted (SIGINT; the hosts' runs were interrupted too and are resumable).
Usually started by `./run.sh fleet`, which installs ansible-core first.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import fleet_state as fs  # noqa: E402

USAGE = ("usage: ./run.sh fleet INVENTORY CONFIG [-- RUN_OPTIONS...] | "
         "./run.sh fleet --resume FLEETDIR INVENTORY")
# RUN_OPTIONS the fleet cannot pass on: it chooses each host's --out itself.
REFUSED_OPTIONS = {
    "--out": "the fleet writes each host's results to {zeroscope_dir}/results/<fleet name>",
    "--resume": "resume a fleet run with ./run.sh fleet --resume FLEETDIR INVENTORY",
    "--dry-run": "run zeroscope run --dry-run CONFIG on one host instead",
    "--restart": "it only goes with --resume",
}
POLL_SECONDS = 2
INTERRUPT_WAIT_SECONDS = 120


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def say(line):
    print(f"fleet: {line}", flush=True)


def refuse(line):
    raise fs.InputError(line)


# --- input ---------------------------------------------------------------------


def parse_args(argv):
    if argv and argv[0] == "--resume":
        if len(argv) != 3:
            refuse(f"--resume takes FLEETDIR INVENTORY; {USAGE}")
        return {"resume": argv[1], "inventory": argv[2]}
    if "--" in argv:
        i = argv.index("--")
        head, opts = argv[:i], argv[i + 1:]
    else:
        head, opts = argv, []
    if len(head) != 2 or any(a.startswith("-") for a in head):
        refuse(f"expected INVENTORY CONFIG; {USAGE}")
    for o in opts:
        flag = o.split("=", 1)[0]
        if flag in REFUSED_OPTIONS:
            refuse(f"{flag}: not a fleet run option: {REFUSED_OPTIONS[flag]}")
    return {"inventory": head[0], "config": head[1], "run_options": opts}


def need_tools():
    for tool in ("ansible-playbook", "ansible-inventory"):
        if shutil.which(tool) is None:
            refuse(f"{tool} not found: install ansible-core (./run.sh fleet installs it)")


def read_inventory(path):
    if not os.path.exists(path):
        refuse(f"{path}: no such inventory; give an Ansible inventory (INI or YAML)")
    if not os.access(path, os.R_OK):
        refuse(f"{path}: not readable; fix its permissions")
    env = dict(os.environ, ANSIBLE_INVENTORY_UNPARSED_FAILED="True",
               ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="True", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_DEPRECATION_WARNINGS="False")
    p = subprocess.run(["ansible-inventory", "-i", path, "--list"], capture_output=True,
                       text=True, env=env, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        why = fs.one_line(fs.last_line(re.sub(r"\[WARNING\]:?", "", p.stderr)), 200)
        refuse(f"{path}: not a readable Ansible inventory ({why}); fix it (INI or YAML)")
    try:
        hosts = fs.inventory_hosts(json.loads(p.stdout))
    except ValueError:
        refuse(f"{path}: ansible-inventory printed no inventory; fix the inventory")
    if not hosts:
        refuse(f"{path}: no hosts in the inventory; add at least one host")
    for h, _ in hosts:
        if "/" in h or h in (".", "..") or h.startswith("."):
            refuse(f"{path}: host name '{h}' cannot name a results directory; rename it")
    return hosts


def git(*args):
    p = subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


def checkout_commit():
    """(commit or None, dirty)."""
    if shutil.which("git") is None or git("rev-parse", "--is-inside-work-tree") != "true":
        return None, False
    top = git("rev-parse", "--show-toplevel")
    if top is None or os.path.realpath(top) != os.path.realpath(ROOT):
        return None, False
    commit = git("rev-parse", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    return commit, dirty


def version_of(commit):
    text = git("show", f"{commit}:CMakeLists.txt") if commit else None
    if text is None:
        try:
            with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
                text = f.read()
        except OSError:
            return None
    m = re.search(r"project\s*\(\s*\w+[^)]*?VERSION\s+([0-9.]+)", text)
    return m.group(1) if m else None


def make_archive(commit, dest_dir):
    """The shipped source as a .tar.gz: git archive of COMMIT, or (not a
    git checkout) the tree without build outputs. Returns (path, id)."""
    path = os.path.join(dest_dir, "source.tar.gz")
    if commit:
        p = subprocess.run(["git", "-C", ROOT, "archive", "--format=tar.gz", "-o", path, commit],
                           capture_output=True, text=True)
        if p.returncode != 0:
            refuse(f"git archive {commit[:12]} failed ({fs.one_line(p.stderr, 160)}); "
                   "fetch that commit into this checkout")
        return path, commit
    skip = re.compile(r"^(build[^/]*|results|\.git|__pycache__)$")
    with tarfile.open(path, "w:gz") as t:
        for name in sorted(os.listdir(ROOT)):
            if not skip.match(name):
                t.add(os.path.join(ROOT, name), arcname=name,
                      filter=lambda ti: None if ti.name.endswith("__pycache__") else ti)
    import hashlib
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    return path, f"tree-{digest}"


def new_fleetdir():
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    # (ZS_FLEET_RESULTS: another parent, for the tests)
    parent = os.environ.get("ZS_FLEET_RESULTS") or os.path.join(ROOT, "results")
    base = os.path.join(parent, f"fleet-{stamp}")
    path, n = base, 1
    while os.path.exists(path):
        n += 1
        path = f"{base}-{n}"
    os.makedirs(path)
    return path


# --- one pass of the playbook ----------------------------------------------------


class Interrupted:
    def __init__(self):
        self.count = 0
        self.proc = None

    def __call__(self, signum, frame):
        self.count += 1
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGINT if self.count == 1 else signal.SIGKILL)
            except ProcessLookupError:
                pass


def ansible_env(work, events):
    env = dict(os.environ)
    env.update({
        "ZS_FLEET_EVENTS": events,
        "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "zsfleet_events",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_PIPELINING": env.get("ANSIBLE_PIPELINING", "True"),
        "ANSIBLE_LOCALHOST_WARNING": "False",
        "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_PYTHON_INTERPRETER": env.get("ANSIBLE_PYTHON_INTERPRETER", "auto_silent"),
        # Short (unix socket paths are short) and ours: closed at the end.
        "ANSIBLE_SSH_CONTROL_PATH_DIR": os.path.join(work, "cp"),
    })
    return env


class Pass:
    """One run of a playbook over some hosts, following their events."""

    def __init__(self, fleet, fleetdir, inventory, work, number, interrupted):
        self.fleet, self.fleetdir, self.inventory = fleet, fleetdir, inventory
        self.work, self.number, self.interrupted = work, number, interrupted
        self.meta = os.path.join(fleetdir, ".fleet")
        self.events = os.path.join(self.meta, f"events-{number}.jsonl")
        self.trackers = {}
        self.offset = 0

    def track(self, names):
        for n in names:
            self.trackers[n] = fs.HostTracker(self.fleet["hosts"][n], self.fleet["commit"])

    def save(self):
        fs.write_fleet_json(self.fleetdir, self.fleet)

    def run(self, playbook, extra, names, timeout=None):
        vars_path = os.path.join(self.meta, f"vars-{self.number}-{os.path.basename(playbook)}.json")
        with open(vars_path, "w", encoding="utf-8") as f:
            json.dump(extra, f, indent=1)
        limit = os.path.join(self.work, f"limit-{self.number}")
        with open(limit, "w", encoding="utf-8") as f:
            f.write("".join(f"{n}\n" for n in names))
        cmd = ["ansible-playbook", "-i", self.inventory, os.path.join(HERE, playbook),
               "-e", f"@{vars_path}", "--limit", f"@{limit}",
               "--forks", str(min(100, max(5, len(names))))]
        with open(os.path.join(self.fleetdir, "fleet.log"), "a", encoding="utf-8") as log:
            log.write(f"\n### {utc_now()} {' '.join(shlex.quote(c) for c in cmd)}\n")
            log.flush()
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True,
                                    env=ansible_env(self.work, self.events))
            self.interrupted.proc = proc
            start = time.monotonic()
            while proc.poll() is None:
                self.follow()
                if timeout and time.monotonic() - start > timeout:
                    os.killpg(proc.pid, signal.SIGKILL)
                time.sleep(0.3)
            self.interrupted.proc = None
            self.follow()
        return proc.returncode

    def log_tail(self):
        """The end of fleet.log (the last pass's ERROR! lines)."""
        with open(os.path.join(self.fleetdir, "fleet.log"), "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 20000))
            return f.read().decode("utf-8", "replace")

    def follow(self):
        try:
            with open(self.events, encoding="utf-8") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return
        end = chunk.rfind("\n") + 1
        self.offset += len(chunk[:end].encode("utf-8"))
        changed = False
        for line in chunk[:end].splitlines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            t = self.trackers.get(ev.get("host"))
            if t is None:
                continue
            if ev["task"] == "zs:interrupt":
                continue
            was = t.done
            note = t.feed(ev)
            changed = True
            if note:
                say(f"{ev['host']}: {note}")
            if t.fetched and not t.done:
                self.unpack(ev["host"], t)
            if t.done and not was:
                h = t.host
                say(f"{ev['host']}: {h['status']}" + (f": {h['reason']}" if h["reason"] else
                                                      f" (results in {self.fleetdir}/{h['results']})"))
        if changed:
            self.save()

    def unpack(self, name, tracker):
        """FLEETDIR/<name>/ from the host's tarball (one top directory)."""
        when = utc_now()
        tmp = tempfile.mkdtemp(prefix=f"unpack-{name}-", dir=self.meta)
        try:
            with tarfile.open(tracker.fetched) as t:
                members = t.getmembers()
                tops = {m.name.split("/", 1)[0] for m in members}
                bad = [m.name for m in members if m.name.startswith("/") or ".." in m.name.split("/")
                       or not (m.isfile() or m.isdir())]
                if len(tops) != 1 or bad:
                    raise ValueError("unexpected members " + ", ".join(sorted(bad or tops))[:120])
                t.extractall(tmp)
            dest = os.path.join(self.fleetdir, name)
            if os.path.exists(dest):
                shutil.rmtree(dest)
            os.rename(os.path.join(tmp, tops.pop()), dest)
            os.unlink(tracker.fetched)
            tracker.unpacked(name, when)
        except (OSError, ValueError, tarfile.TarError) as e:
            tracker.fetched = None
            tracker._finish("failed", f"the results tarball could not be unpacked: {fs.one_line(e)}",
                            when)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def close_ssh_masters(work):
    cp = os.path.join(work, "cp")
    if not os.path.isdir(cp):
        return
    for sock in os.listdir(cp):
        subprocess.run(["ssh", "-o", f"ControlPath={os.path.join(cp, sock)}", "-O", "exit", "x"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)


def fleet_pass(fleet, fleetdir, inventory, plan, config_copy, interrupted):
    """Runs the fleet playbook over plan's hosts; returns True when interrupted."""
    number = fleet["resumes"]
    work = tempfile.mkdtemp(prefix="zsfleet-")
    try:
        tarball, src_id = make_archive(fleet["commit"], work)
        p = Pass(fleet, fleetdir, inventory, work, number, interrupted)
        names = list(plan)
        p.track(names)
        for n in names:
            h = fleet["hosts"][n]
            h["status"], h["reason"] = "pending", ""
            if plan[n]["mode"] == "fresh":
                h["run_started"] = False
        p.save()
        incoming = os.path.join(fleetdir, ".fleet", "incoming")
        os.makedirs(incoming, exist_ok=True)
        extra = {
            "zs_fleet_name": fleet["name"],
            "zs_tarball": tarball,
            "zs_src_id": src_id,
            "zs_config_local": config_copy,
            "zs_run_options": " ".join(shlex.quote(o) for o in fleet["run_options"]),
            "zs_resume_options": " ".join(fs.resume_options(fleet["run_options"])),
            "zs_plan": plan,
            "zs_setup_env": " ".join(f"{k}={shlex.quote(os.environ[k])}" for k in ("ZS_WERROR",)
                                     if os.environ.get(k)),
            "zs_incoming": incoming,
            "zs_min_free_mb": int(os.environ.get("ZS_FLEET_MIN_FREE_MB", "1024")),
            "zs_poll_seconds": int(os.environ.get("ZS_FLEET_POLL_SECONDS", str(POLL_SECONDS))),
            "zs_poll_retries": 10 ** 6,
            "zs_async_seconds": 60 * 60 * 24 * 30,
        }
        why = ""
        if not interrupted.count:
            rc = p.run("fleet.yml", extra, names)
            why = "" if interrupted.count else fs.playbook_error(rc, p.log_tail())
        if interrupted.count:
            running = [n for n in names if p.trackers[n].host["run_started"]
                       and not p.trackers[n].done and p.trackers[n].host["remote_dir"]]
            if running and interrupted.count < 2:
                say("interrupted: stopping the runs on " + ", ".join(running))
                iplan = {n: {"remote_dir": fleet["hosts"][n]["remote_dir"]} for n in running}
                p.run("interrupt.yml", {"zs_plan": iplan,
                                        "zs_interrupt_wait_seconds": INTERRUPT_WAIT_SECONDS},
                      running, timeout=INTERRUPT_WAIT_SECONDS + 60)
        when = utc_now()
        for t in p.trackers.values():
            t.playbook_ended(when, interrupted.count > 0, why)
        p.save()
        return interrupted.count > 0
    finally:
        close_ssh_masters(work)
        shutil.rmtree(work, ignore_errors=True)


def finish(fleet, fleetdir, interrupted):
    fleet["ended"] = utc_now()
    fs.write_fleet_json(fleetdir, fleet)
    hosts = fleet["hosts"]
    done = sum(1 for h in hosts.values() if h["status"] == "completed")
    for line in fs.failure_lines(fleet):
        print(line, file=sys.stderr)
    say(f"{done} of {len(hosts)} hosts completed; fleet directory: {fleetdir}")
    code = fs.exit_code(fleet, interrupted)
    if code != 0:
        say(f"complete the others with: ./run.sh fleet --resume {fleetdir} INVENTORY")
    return code


def main(argv):
    interrupted = Interrupted()
    try:
        args = parse_args(argv)
        need_tools()
        inventory = os.path.abspath(args["inventory"])
        hosts = read_inventory(args["inventory"])
        names = {h for h, _ in hosts}
        if "resume" in args:
            fleetdir = os.path.abspath(args["resume"])
            fleet = fs.read_fleet_json(fleetdir)
            config_copy = os.path.join(fleetdir, ".fleet", "config.toml")
            plan, left_out = fs.resume_plan(fleet, names)
            if fleet["commit"] and git("cat-file", "-e", f"{fleet['commit']}^{{commit}}") is None:
                refuse(f"{fleetdir}: its commit {fleet['commit'][:12]} is not in this checkout; "
                       "fetch it, so that the resumed hosts run the same code")
            if any(p["mode"] == "fresh" for p in plan.values()) and not os.path.isfile(config_copy):
                refuse(f"{config_copy}: missing, a fresh run needs it; restore it or start a new "
                       "fleet run")
        else:
            config = args["config"]
            if not os.path.isfile(config):
                refuse(f"{config}: no such config file; give a sweep file such as configs/quick.toml")
            try:
                with open(config, "rb") as f:
                    config_bytes = f.read()
            except OSError as e:
                refuse(f"{config}: unreadable ({e.strerror}); fix its permissions")
    except fs.InputError as e:
        print(f"fleet: {e}", file=sys.stderr)
        return 2

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    if "resume" in args:
        for name, why in left_out:
            say(f"{name}: left as {fleet['hosts'][name]['status']} ({why})")
        if not plan:
            say("every host of the inventory has completed; nothing to resume")
            return finish(fleet, fleetdir, False)
        fleet["resumes"] += 1
        fleet["ended"] = None
        say(f"resuming {len(plan)} host(s) of {fleetdir}: " + ", ".join(
            f"{n} ({'zeroscope run --resume' if p['mode'] == 'resume' else 'a fresh run'})"
            for n, p in plan.items()))
    else:
        commit, dirty = checkout_commit()
        if dirty:
            say(f"the checkout has uncommitted changes: shipping HEAD {commit[:12]} without them "
                "(commit them to ship them)")
        elif commit is None:
            say("not a git checkout: shipping the tree as it is (fleet.json's commit is null)")
        fleetdir = new_fleetdir()
        os.makedirs(os.path.join(fleetdir, ".fleet"))
        config_copy = os.path.join(fleetdir, ".fleet", "config.toml")
        with open(config_copy, "wb") as f:
            f.write(config_bytes)
        cfg = os.path.abspath(config)
        shown = os.path.relpath(cfg, ROOT) if cfg.startswith(ROOT + os.sep) else cfg
        fleet = fs.new_fleet(os.path.basename(fleetdir), utc_now(), commit, version_of(commit),
                             inventory, shown, args["run_options"], hosts)
        fs.write_fleet_json(fleetdir, fleet)
        plan = {h: {"mode": "fresh", "remote_dir": None} for h, _ in hosts}
        say(f"{len(hosts)} host(s) into {fleetdir}" +
            (f", commit {commit[:12]}" if commit else ""))
    was_interrupted = fleet_pass(fleet, fleetdir, inventory, plan, config_copy, interrupted)
    return finish(fleet, fleetdir, was_interrupted)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
