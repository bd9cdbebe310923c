"""A results directory read back as `zeroscope run` wrote it (README.md,
"Results directory"): meta.json for the machine, the kernel and the points
(each point's axes as written in the config, keyed by the point key),
samples.csv for the samples.

samples.csv is read and checked by the harness's rules (zsplot/samples.py):
a damaged file (a duplicated row, garbage bytes, a wrong cell count, a file
cut short) is refused with `file:line` and exit 2, or, with --lenient, its
damaged rows are left out and said (Results.notes). Only rows with an empty
`left_out` are used: a sample the harness left out (not huge, backing
unverified, multiplexed) is never plotted. A cell that was not measured is
empty and is skipped, never read as 0.
"""
import json
import math
import os

import numpy as np

from zsplot import samples
from zsplot.question import kernel_path_text
from zsplot.units import fmt_bytes, parse_size


class NoData(Exception):
    """Nothing to plot, or a directory that cannot be read: one line, exit 2."""


def read_samples(csv_path, lenient=False, complete_run=False, keys=None):
    """The checked rows of samples.csv (zsplot.samples.SamplesFile); NoData when damaged."""
    try:
        return samples.read_samples(csv_path, lenient, complete_run, keys)
    except samples.Damaged as e:
        raise NoData(str(e))


def read_meta(path):
    """meta.json as a dict; NoData naming its line when it is cut short or not JSON."""
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except OSError as e:
        raise NoData("%s: cannot read it: %s" % (path, e.strerror))
    fix = "; restore the file from a copy, or rerun the sweep"
    try:
        meta = json.loads(text)
    except ValueError as e:
        pos, line = getattr(e, "pos", 0), getattr(e, "lineno", 1)
        why = "the JSON ends early (the file was cut short)" if pos >= len(text.rstrip()) else "not valid JSON"
        raise NoData("%s:%d: %s%s" % (path, line, why, fix))
    if not isinstance(meta, dict) or not isinstance(meta.get("config"), dict) or not isinstance(
            meta.get("status", ""), str):
        raise NoData("%s: not a zeroscope meta.json (an object with a config and a status expected)%s" % (path, fix))
    return meta


class Point:
    """One point of the sweep, its axes as written in the config."""

    FIELDS = ("key", "backing", "folio_size", "strategy", "primitive", "target", "access", "op",
              "cache", "evict", "batch", "width", "memory")

    def __init__(self, d):
        for f in self.FIELDS:
            setattr(self, f, d.get(f))
        self.folio_size = int(self.folio_size)
        self.target = str(self.target)
        self.memory = self.memory or "recycled"  # older results have no memory axis
        self.resolved_primitive = None  # from samples.csv: what `kernel` resolved to

    @classmethod
    def from_key(cls, key):
        # backing/bytes/strategy/primitive/target/access:op/cache[:evict]/bN/wN,
        # then "/host-reported" for that memory only (recycled adds nothing)
        p = key.split("/")
        if len(p) not in (9, 10) or (len(p) == 10 and p[9] != "host-reported"):
            raise NoData("point key %r is not backing/bytes/strategy/primitive/target/access/cache/b/w" % key)
        access, _, op = p[5].partition(":")
        cache, _, evict = p[6].partition(":")
        none = lambda v: None if v in ("-", "") else v  # noqa: E731
        return cls({"key": key, "backing": p[0], "folio_size": p[1], "strategy": p[2],
                    "primitive": none(p[3]), "target": p[4], "access": access, "op": op or None,
                    "cache": cache, "evict": evict or None,
                    "batch": none(p[7][1:]), "width": none(p[8][1:]),
                    "memory": p[9] if len(p) == 10 else "recycled"})

    def axis_text(self, axis):
        """The value of an axis as a label, or None where it does not apply."""
        v = getattr(self, axis)
        if v is None:
            return None
        if axis == "folio_size":
            return fmt_bytes(v)
        if axis == "primitive":
            r = self.resolved_primitive
            return v if not r or r == v else "%s (%s)" % (v, r)
        if axis == "access":
            return "%s:%s" % (v, self.op) if self.op else v
        if axis == "cache":
            return "%s:%s" % (v, self.evict) if self.evict else v
        if axis == "batch":
            return "batch whole" if str(v) == "0" else "batch %s page%s" % (v, "" if str(v) == "1" else "s")
        if axis == "width":
            return "W=%s" % v
        if axis == "target":
            return "target %s" % v
        return str(v)

    @property
    def folio(self):
        return "%s %s" % (self.backing, fmt_bytes(self.folio_size))



class Results:
    """A results directory: meta.json, the points, the kept samples."""

    def __init__(self, path, where=None, lenient=False):
        self.path = os.path.abspath(path)
        self.lenient = lenient
        self.name = os.path.basename(self.path.rstrip("/"))
        meta_path = os.path.join(path, "meta.json")
        csv_path = os.path.join(path, "samples.csv")
        if not os.path.isdir(path):
            raise NoData("%s: not a directory" % path)
        for p in (meta_path, csv_path):
            if not os.path.isfile(p):
                raise NoData("%s: missing; not a zeroscope results directory, or a damaged one (restore the "
                             "file from a copy, or rerun the sweep)" % p)
        self.meta = read_meta(meta_path)
        cap = self.meta.get("capability") or {}
        self.cpu = cpu_name(cap)
        self.kernel = ((cap.get("kernel") or {}).get("release")) or "unknown kernel"
        self.host = ((cap.get("host") or {}).get("name")) or ""
        self.label = self.meta.get("label") or ""
        self.status = self.meta.get("status") or "unknown"
        self.page_bytes = base_page_bytes(cap)

        self.points = {}
        for d in (self.meta.get("config") or {}).get("points") or []:
            if d.get("key"):
                self.points[d["key"]] = Point(d)

        self._values = {}  # (key, phase) -> list of row dicts
        keys = {d["key"] for d in (self.meta.get("config") or {}).get("points") or [] if d.get("key")}
        complete = self.status == "complete"
        f = read_samples(csv_path, lenient, complete, keys if keys else None)
        if f.rows_read == 0:
            raise NoData("%s:1: no samples (only the header line); nothing to report (restore the file, or complete "
                         "the run with zeroscope run --resume %s)" % (csv_path, path))
        self.notes = [f.summary()] if f.damaged else []
        want = (self.meta.get("samples") or {}).get("rows")
        have = f.rows_read - sum(1 for d in f.damaged if d[1] == "duplicated")
        if complete and isinstance(want, int) and have < want:
            if not lenient:
                raise NoData("%s:%d: ends after %d rows where meta.json counts %d; the file was cut short (restore "
                             "it, or rerun with --lenient to report the rows that are left)" % (
                                 csv_path, have + 2, have, want))
            self.notes.append("samples.csv holds %d of the %d rows meta.json counts: the file was cut short; the "
                              "missing samples are not in these numbers" % (have, want))
        if f.unfinished or f.torn:
            self.notes.append("left out the last sample of samples.csv (%d row%s%s): the run was interrupted while "
                              "writing it" % (f.unfinished, "" if f.unfinished == 1 else "s",
                                              " and a torn last line" if f.torn else ""))
        if not f.rows:
            raise NoData("%s: no samples left after leaving out %d damaged or unfinished rows; nothing to report "
                         "(restore the file, or rerun the sweep)" % (csv_path, len(f.damaged) + f.unfinished))
        total = 0
        for row in f.rows:
            total += 1
            if row.get("left_out", ""):
                continue
            key = row["key"]
            if key not in self.points:
                self.points[key] = Point.from_key(key)
            pt = self.points[key]
            if pt.resolved_primitive is None and row.get("primitive"):
                pt.resolved_primitive = row["primitive"]
            self._values.setdefault((key, row["phase"]), []).append(row)
        self.rows_total = total
        self.where = where or []
        kept = {k for k, _ in self._values}
        self.keys = [k for k in self.points if k in kept and self._matches(self.points[k])]
        if not self.keys:
            if total == 0:
                raise NoData("%s: no samples" % csv_path)
            why = "no kept samples" if not kept else "no kept samples match %s" % " ".join(
                "--where %s" % w for w in self.where)
            raise NoData("%s: %s (%d rows)" % (csv_path, why, total))

    def _matches(self, pt):
        for w in self.where:
            axis, _, values = w.partition("=")
            values = values.split(",")
            v = getattr(pt, axis, None)
            if axis == "folio_size":
                try:
                    if pt.folio_size not in {parse_size(x) for x in values}:
                        return False
                except ValueError:
                    raise NoData("--where %s: not a size" % w)
            elif str(v if v is not None else "-") not in values:
                return False
        return True

    # -- samples
    def has(self, key, phase, column="ns"):
        return any(r.get(column, "") != "" for r in self._values.get((key, phase), []))

    def values(self, key, phase, column="ns"):
        """The kept, measured values of one column, as floats (empty cells skipped)."""
        return np.array([float(r[column]) for r in self._values.get((key, phase), [])
                         if r.get(column, "") != ""], dtype=float)

    def by_rep(self, key, phase, column="ns"):
        return {r["rep"]: float(r[column]) for r in self._values.get((key, phase), [])
                if r.get(column, "") != ""}

    def target_page(self, key):
        """The page the target resolved to (samples.csv `target`), or None when it varies (random)."""
        pages = {r.get("target", "") for rows in (self._values.get((key, ph), []) for ph in ("zero", "fault"))
                 for r in rows}
        pages.discard("")
        return int(pages.pop()) if len(pages) == 1 else None

    def cost_phase(self, key):
        """The phase that pays for the zeroing: fault for kernel-fault, else zero."""
        return "fault" if self.has(key, "fault") else "zero"

    def cost_values(self, key):
        return self.values(key, self.cost_phase(key))

    def cost_plus_access(self, key):
        """Per sample: zero (or fault) + access of the same repetition, both kept."""
        a = self.by_rep(key, self.cost_phase(key))
        b = self.by_rep(key, "access")
        return np.array([a[r] + b[r] for r in a if r in b], dtype=float)

    # -- describing
    def title(self, what):
        line = "%s · Linux %s" % (self.cpu, self.kernel)
        if self.host:
            line += " · host %s" % self.host
        line += " · " + kernel_path_text(self.meta, {self.points[k].folio for k in self.keys})
        if self.status != "complete":
            s = self.meta.get("samples") or {}
            line += " · %s: %s of %s samples" % (self.status.upper(), s.get("done", "?"), s.get("expected", "?"))
        return "%s\n%s" % (what, line)

    def footnote(self, extra=""):
        z = self.meta.get("zeroscope") or {}
        s = self.meta.get("samples") or {}
        lo = s.get("left_out") or {}
        left = ", ".join("%s %s" % (v, k) for k, v in lo.items()) if lo else "none"
        text = "results %s (%s) · zeroscope %s %s · started %s · samples kept %s of %s, left out: %s" % (
            self.name, self.label or "no label", z.get("version", "?"), z.get("commit", "?"),
            self.meta.get("started", "?"), s.get("kept", "?"), s.get("done", "?"), left)
        if self.notes:
            text += "\n" + "; ".join(self.notes)
        return text + ("\n" + extra if extra else "")

    def n_range(self, counts):
        counts = [c for c in counts if c]
        if not counts:
            return "n = 0"
        lo, hi = min(counts), max(counts)
        return "n = %d samples per point" % lo if lo == hi else "n = %d..%d samples per point" % (lo, hi)


def cpu_name(cap):
    cpu = cap.get("cpu") or {}
    name = cpu.get("model_name")
    if not name:
        if cpu.get("arch") == "arm64" and cpu.get("vendor"):  # arm64's cpuinfo has no model name: the MIDR
            name = "%s part 0x%x" % (cpu.get("vendor"), int(cpu.get("part") or 0))
        elif cpu.get("vendor"):
            name = "%s family %s model %s" % (cpu.get("vendor"), cpu.get("family"), cpu.get("model"))
        else:
            return "unknown CPU (meta.json has no capability.cpu)"
    extra = []
    if cpu.get("uarch") and cpu["uarch"].lower() not in name.lower():
        extra.append(cpu["uarch"])
    hv = cpu.get("hypervisor") or {}
    if hv.get("present"):
        extra.append("%s guest" % (hv.get("vendor") or "VM").split()[0])
    return "%s (%s)" % (name, ", ".join(extra)) if extra else name


def base_page_bytes(cap):
    """The base page size: a PMD maps (page / 8) pages of `page` bytes, so page = sqrt(8 * pmd)."""
    pmd = (cap.get("thp") or {}).get("pmd_bytes")
    if pmd:
        page = int(round(math.sqrt(8 * pmd)))
        if page * page == 8 * pmd:
            return page
    return 4096
