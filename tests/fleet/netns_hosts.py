#!/usr/bin/env python3
"""Namespaced ssh hosts for the fleet tests: N "lab machines" on this one.

Each host is a network namespace zsfleet-<tag>-<i>, joined to the test (the
root namespace) by a veth pair on a private /30, with its own sshd
(openssh-server of the distribution) listening on the namespace's address
only. Host keys and the client key are generated under the fixture dir D;
root logs in by key only. D/inventory.ini is a standard Ansible inventory
for them (CONTRACT14 section 4): a shared zeroscope_src (the hosts share one
filesystem, so one tree is built once) and a zeroscope_dir per host.

Every process started through a host's sshd stays in its namespace, so
`ip netns pids` finds all of them: killing a host kills its sshd, the
zeroscope runs and the ansible jobs it was given. All traffic stays on the
veth pairs: nothing listens outside the namespaces made here.

  netns_hosts.py up N --dir D [--tag T]   make N hosts (D/inventory.ini, D/fixture.json)
  netns_hosts.py down --dir D | --tag T   remove every process and namespace they made
  netns_hosts.py kill HOST --dir D        kill HOST's sshd and every process of HOST
  netns_hosts.py restart HOST --dir D     start HOST's sshd again
  netns_hosts.py disconnect|reconnect HOST --dir D   take HOST's link down / up (processes go on)
  netns_hosts.py demo CONFIG [-- OPTS]    three hosts, ./run.sh fleet on them, then down

As a module: `with Fleet(3, dir) as f:` ... (down on exit, exceptions,
SIGTERM and SIGINT included); unavailable() says why hosts cannot be made.
"""

import argparse
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

SSHD = "/usr/sbin/sshd"
PREFIX = "zsfleet"  # namespaces zsfleet-<tag>-<i>; test-side veths zf-<tag>-<i>
ALLOC_LOCK = "/tmp/zsfleet-alloc.lock"
REPO = Path(__file__).resolve().parents[2]


class FixtureError(Exception):
    """Hosts cannot be made here; the message is the reason (tests skip with it)."""


def run(*cmd, check=True, **kw):
    r = subprocess.run(list(cmd), capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise FixtureError(f"{' '.join(cmd)}: {(r.stderr or r.stdout).strip() or f'exit {r.returncode}'}")
    return r


def ensure_sshd():
    """openssh-server from the distribution, installed with apt-get when missing."""
    if os.access(SSHD, os.X_OK) and shutil.which("ssh") and shutil.which("ssh-keygen"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise FixtureError(f"{SSHD} not found: install openssh-server (apt-get install openssh-server)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "openssh-server", "openssh-client"]):
        if subprocess.run(cmd, capture_output=True, env=env).returncode != 0 and cmd[1] == "install":
            raise FixtureError(f"{SSHD} not found and apt-get install openssh-server failed")
    if not os.access(SSHD, os.X_OK):
        raise FixtureError(f"{SSHD} still missing after installing openssh-server")


def unavailable():
    """Why namespaced hosts cannot be made here, or None."""
    if os.geteuid() != 0:
        return "network namespaces and veth pairs need root"
    if not shutil.which("ip"):
        return "the ip command (iproute2) is missing"
    try:
        ensure_sshd()
    except FixtureError as e:
        return str(e)
    probe = f"{PREFIX}-probe{os.getpid()}"
    r = run("ip", "netns", "add", probe, check=False)
    if r.returncode != 0:
        return f"cannot create a network namespace: {r.stderr.strip()}"
    try:
        r = run("ip", "link", "add", f"zfp{os.getpid() % 100000}", "type", "veth", "peer", "name", "eth0",
                "netns", probe, check=False)
        if r.returncode != 0:
            return f"cannot create a veth pair: {r.stderr.strip()}"
    finally:
        run("ip", "link", "del", f"zfp{os.getpid() % 100000}", check=False)
        run("ip", "netns", "del", probe, check=False)
    return None


def namespaces(tag):
    out = run("ip", "netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith(f"{PREFIX}-{tag}-")]


def ns_pids(ns):
    r = run("ip", "netns", "pids", ns, check=False)
    return [int(p) for p in r.stdout.split() if p.isdigit()]


def pids_mentioning(text):
    """Processes whose command line names `text` (a fixture path), not this one or its parents."""
    mine, p = set(), os.getpid()
    while p > 1:
        mine.add(p)
        try:
            p = int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and int(d.name) not in mine:
            try:
                if text.encode() in (d / "cmdline").read_bytes():
                    found.append(int(d.name))
            except OSError:
                pass
    return found


def kill_all(pids):
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() and not zombie(p) for p in pids):
        time.sleep(0.05)


def zombie(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def free_subnet():
    """A 10.231.X.0/24 that no address or route here uses (one per fixture, so two can coexist)."""
    used = run("ip", "-4", "-o", "addr", "show").stdout + run("ip", "-4", "route", "show", "table", "all").stdout
    for x in range(1, 255):
        if f"10.231.{x}." not in used:
            return x
    raise FixtureError("no free 10.231.X.0/24 subnet for the test hosts")


class Fleet:
    """N namespaced sshd hosts under `dir`; a context manager that always cleans up."""

    def __init__(self, n=3, dir=None, tag=None, names=None, src=None, env=None):
        self.dir = Path(dir).resolve()
        # zeroscope_src: one tree for all hosts (default D/src); a caller may keep it
        # outside D so that the next fixture finds it built.
        self.src = Path(src).resolve() if src else self.dir / "src"
        self.env = dict(env or {})  # set in every ssh session of the hosts (sshd SetEnv)
        self.tag = tag or secrets.token_hex(3)
        if not re.fullmatch(r"[a-z0-9]{1,8}", self.tag):
            raise FixtureError(f"tag '{self.tag}': use 1-8 of a-z, 0-9")
        self.names = names or [f"host{i + 1}" for i in range(n)]
        self.hosts = {}  # name -> {ns, veth, addr, peer, dir}
        self._old_handlers = {}
        self._children = []  # sshds started by this process, reaped after a kill

    # -- state ---------------------------------------------------------
    @property
    def inventory(self):
        return self.dir / "inventory.ini"

    @property
    def key(self):
        return self.dir / "keys" / "client_ed25519"

    def host_dir(self, name):
        return self.dir / "hosts" / name

    def _save(self):
        state = {"tag": self.tag, "names": self.names, "hosts": self.hosts, "src": str(self.src),
                 "env": self.env}
        tmp = self.dir / "fixture.json.tmp"
        tmp.write_text(json.dumps(state, indent=1))
        tmp.rename(self.dir / "fixture.json")

    @classmethod
    def load(cls, dir):
        state = json.loads((Path(dir) / "fixture.json").read_text())
        f = cls(dir=dir, tag=state["tag"], names=state["names"], src=state.get("src"), env=state.get("env"))
        f.hosts = state["hosts"]
        return f

    # -- up / down -------------------------------------------------------
    def up(self):
        ensure_sshd()
        (self.dir / "keys").mkdir(parents=True, exist_ok=True)
        (self.dir / "cp").mkdir(exist_ok=True)
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation dir
        if not self.key.exists():
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"zsfleet-{self.tag}", "-f", str(self.key))
        (self.dir / "keys" / "authorized_keys").write_text(Path(f"{self.key}.pub").read_text())
        with open(ALLOC_LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            x = free_subnet()
            for i, name in enumerate(self.names):
                ns, veth = f"{PREFIX}-{self.tag}-{i + 1}", f"zf-{self.tag}-{i + 1}"
                addr, peer = f"10.231.{x}.{4 * i + 1}", f"10.231.{x}.{4 * i + 2}"
                self.hosts[name] = {"ns": ns, "veth": veth, "addr": addr, "peer": peer,
                                    "dir": str(self.host_dir(name))}
                self._save()  # before anything is made, so down finds it after a crash
                run("ip", "netns", "add", ns)
                run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
                run("ip", "addr", "add", f"{addr}/30", "dev", veth)
                run("ip", "link", "set", veth, "up")
                run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
                run("ip", "netns", "exec", ns, "ip", "addr", "add", f"{peer}/30", "dev", "eth0")
                run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up")
        for name in self.names:
            self.host_dir(name).mkdir(parents=True, exist_ok=True)
            hk = self.dir / "keys" / f"{name}_host_ed25519"
            if not hk.exists():
                run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(hk))
            self.restart(name)
        self.write_known_hosts()
        self.write_inventory()
        return self

    def down(self):
        """Remove every process and namespace of this tag (and any process naming the dir)."""
        for ns in namespaces(self.tag):
            kill_all(ns_pids(ns))
        kill_all(pids_mentioning(str(self.dir) + "/"))  # ssh control masters, strays
        for ns in namespaces(self.tag):
            run("ip", "netns", "del", ns, check=False)
        out = run("ip", "-o", "link", "show", check=False).stdout
        for veth in re.findall(rf"\d+: (zf-{self.tag}-\d+)@", out):
            run("ip", "link", "del", veth, check=False)
        self._reap()

    def leftovers(self):
        """What down would still find: namespaces and processes (empty when clean)."""
        left = [f"namespace {ns}" for ns in namespaces(self.tag)]
        left += [f"pid {p}" for p in pids_mentioning(str(self.dir) + "/") if not zombie(p)]
        return left

    # -- hosts -----------------------------------------------------------
    def restart(self, name):
        h = self.hosts[name]
        hd = self.host_dir(name)
        cfg = hd / "sshd_config"
        cfg.write_text("\n".join([
            f"ListenAddress {h['peer']}", "Port 22",
            f"HostKey {self.dir}/keys/{name}_host_ed25519",
            f"PidFile {hd}/sshd.pid",
            f"AuthorizedKeysFile {self.dir}/keys/authorized_keys",
            "PermitRootLogin prohibit-password", "PubkeyAuthentication yes",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
            "StrictModes no",  # the fixture dir may sit under a group-writable tree
            "AllowAgentForwarding no", "AllowTcpForwarding no", "X11Forwarding no",
            "PermitUserEnvironment no", "PrintMotd no", "UseDNS no",
            "MaxStartups 64", "MaxSessions 64",
            "Subsystem sftp internal-sftp", "LogLevel VERBOSE",
            *([f"SetEnv {' '.join(f'{k}={v}' for k, v in self.env.items())}"] if self.env else []), ""]))
        run("ip", "netns", "exec", h["ns"], SSHD, "-t", "-f", str(cfg))
        self._children.append(subprocess.Popen(
            ["ip", "netns", "exec", h["ns"], SSHD, "-D", "-f", str(cfg), "-E", str(hd / "sshd.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection((h["peer"], 22), timeout=1).close()
                return
            except OSError as e:
                if time.monotonic() > deadline:
                    log = (hd / "sshd.log").read_text()[-300:] if (hd / "sshd.log").exists() else ""
                    raise FixtureError(f"sshd of {name} did not listen on {h['peer']}:22: {e} {log}".strip())
                time.sleep(0.05)

    def kill(self, name):
        """Kill the host: its sshd and every process in its namespace or naming its zeroscope_dir."""
        kill_all(ns_pids(self.hosts[name]["ns"]) + pids_mentioning(str(self.host_dir(name)) + "/"))
        self._reap()
        # This side's ssh connection master to the host, if any: a new connection
        # must find the host dead, not a master that has not noticed yet.
        master, common = self.ssh_options()
        subprocess.run(["ssh", *master, *common, "-O", "exit", f"root@{self.hosts[name]['peer']}"],
                       capture_output=True, timeout=10)

    def _reap(self):
        self._children = [c for c in self._children if c.poll() is None]

    def disconnect(self, name):
        """Cut the host off (its processes go on): a lost connection, not a dead host.
        The host's address leaves its namespace, so packets to it die on the veth
        pair; the link and route stay up, so nothing is routed anywhere else."""
        h = self.hosts[name]
        run("ip", "netns", "exec", h["ns"], "ip", "addr", "del", f"{h['peer']}/30", "dev", "eth0")

    def reconnect(self, name):
        h = self.hosts[name]
        run("ip", "netns", "exec", h["ns"], "ip", "addr", "replace", f"{h['peer']}/30", "dev", "eth0")

    def write_known_hosts(self):
        lines = []
        for name, h in self.hosts.items():
            pub = (self.dir / "keys" / f"{name}_host_ed25519.pub").read_text().split()
            lines.append(f"{h['peer']} {pub[0]} {pub[1]}")
        (self.dir / "known_hosts").write_text("\n".join(lines) + "\n")

    def ssh_options(self):
        cp = self.dir / "cp" / "%C"
        master = (["-o", "ControlMaster=auto", "-o", "ControlPersist=30s", "-o", f"ControlPath={cp}"]
                  if len(str(cp)) + 40 < 100 else ["-o", "ControlMaster=no", "-o", "ControlPath=none"])
        common = ["-F", "/dev/null", "-o", f"UserKnownHostsFile={self.dir}/known_hosts",
                  "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
                  "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
                  "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=3"]
        return master, common

    def write_inventory(self, path=None, hosts=None, host_vars=None, extra=None):
        """An INI inventory for `hosts` (default all); host_vars: {name: {var: value}};
        extra: {name: address} for entries pointing at an address of one of the namespaces."""
        master, common = self.ssh_options()
        lines = ["[fleet]"]
        for name in hosts or self.names:
            v = {"ansible_host": self.hosts[name]["peer"], "zeroscope_dir": self.host_dir(name)}
            v.update((host_vars or {}).get(name, {}))
            lines.append(name + "".join(f" {k}={quote(val)}" for k, val in v.items()))
        for name, addr in (extra or {}).items():
            self.host_dir(name).mkdir(parents=True, exist_ok=True)
            lines.append(f"{name} ansible_host={addr} zeroscope_dir={quote(self.host_dir(name))}")
        lines += ["", "[fleet:vars]", "ansible_user=root", f"ansible_ssh_private_key_file={self.key}",
                  f"ansible_ssh_args={quote(' '.join(master))}",
                  f"ansible_ssh_common_args={quote(' '.join(common))}",
                  "ansible_python_interpreter=/usr/bin/python3", f"zeroscope_src={quote(self.src)}", ""]
        path = Path(path) if path else self.inventory
        path.write_text("\n".join(lines))
        return path

    def ssh(self, name, command, timeout=30):
        master, common = self.ssh_options()
        return subprocess.run(["ssh", *common, "-o", "ControlMaster=no", "-o", "ControlPath=none",
                               "-i", str(self.key), f"root@{self.hosts[name]['peer']}", command],
                              capture_output=True, text=True, timeout=timeout)

    # -- context manager -------------------------------------------------
    def __enter__(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._old_handlers[sig] = signal.signal(sig, _raise_on_signal)
        try:
            self.up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        try:
            self.down()
        finally:
            for sig, old in self._old_handlers.items():
                signal.signal(sig, old)
            self._old_handlers.clear()
        return False


def _raise_on_signal(sig, _frame):
    raise KeyboardInterrupt(f"signal {sig}")


def quote(v):
    v = str(v)
    return f"'{v}'" if re.search(r"[\s'\"]", v) else v


def build_options(build):
    """(zeroscope_src, session env) for hosts of the checkout whose build dir is BUILD:
    one tree in BUILD/fleet-src, kept between fixtures, built with BUILD's ZS_WERROR,
    so that the hosts' compile lines are BUILD's and ccache (where there is one)
    serves them."""
    cache = Path(build) / "CMakeCache.txt"
    m = re.search(r"^ZS_WERROR:BOOL=(\w+)", cache.read_text(), re.M) if cache.exists() else None
    return Path(build) / "fleet-src", ({"ZS_WERROR": m.group(1)} if m else {})


def demo(config, run_options):
    """Three namespaced hosts, `./run.sh fleet INVENTORY CONFIG` on them, its output, then down.
    The fleet directory stays in results/."""
    build = Path(os.environ.get("ZS_BUILD_DIR", "build"))
    build = build if build.is_absolute() else REPO / build
    d = build / "fleet-demo"
    Fleet(dir=d, tag="demo").down()  # what a demo killed before its clean-up left
    shutil.rmtree(d, ignore_errors=True)
    src, env = build_options(build)
    shown = ["./run.sh", "fleet", "INVENTORY", config] + (["--", *run_options] if run_options else [])
    with Fleet(3, d, tag="demo", src=src, env=env) as f:
        print("# hosts: " + ", ".join(f"{n} (root@{h['peer']}, netns {h['ns']})" for n, h in f.hosts.items()),
              flush=True)
        print("$ " + " ".join(shown), flush=True)
        cmd = [str(REPO / "run.sh"), "fleet", str(f.inventory), *shown[3:]]
        rc = subprocess.run(cmd, cwd=REPO, env=dict(os.environ, ZS_BUILD_DIR=str(build))).returncode
        print(f"# exit code {rc}", flush=True)
    shutil.rmtree(d, ignore_errors=True)
    return rc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("up")
    p.add_argument("n", type=int)
    p.add_argument("--dir", required=True)
    p.add_argument("--tag")
    p = sub.add_parser("down")
    p.add_argument("--dir")
    p.add_argument("--tag")
    for c in ("kill", "restart", "disconnect", "reconnect"):
        p = sub.add_parser(c)
        p.add_argument("host")
        p.add_argument("--dir", required=True)
    p = sub.add_parser("demo")
    p.add_argument("config")
    p.add_argument("run_options", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "up":
            if not 1 <= a.n <= 63:
                raise FixtureError("N must be 1..63")
            f = Fleet(a.n, a.dir, a.tag)
            try:
                f.up()
            except BaseException:
                f.down()
                raise
            for name, h in f.hosts.items():
                print(f"{name}: root@{h['peer']} in {h['ns']}")
            print(f"inventory: {f.inventory}")
        elif a.cmd == "down":
            if a.dir and (Path(a.dir) / "fixture.json").exists():
                f = Fleet.load(a.dir)
            elif a.tag:
                f = Fleet(dir=a.dir or f"/nonexistent-{PREFIX}-{a.tag}", tag=a.tag)
            else:
                raise FixtureError("down: give --dir D (with its fixture.json) or --tag T")
            f.down()
            left = f.leftovers()
            if left:
                raise FixtureError("still there: " + ", ".join(left))
        elif a.cmd in ("kill", "restart", "disconnect", "reconnect"):
            f = Fleet.load(a.dir)
            if a.host not in f.hosts:
                raise FixtureError(f"no host '{a.host}' in {a.dir}; hosts: {', '.join(f.hosts)}")
            getattr(f, a.cmd)(a.host)
        elif a.cmd == "demo":
            opts = a.run_options[1:] if a.run_options[:1] == ["--"] else a.run_options
            return demo(a.config, opts)
    except FixtureError as e:
        print(f"netns_hosts: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
