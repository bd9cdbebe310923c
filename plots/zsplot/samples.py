"""samples.csv read and checked by the rules of the harness's reader
(harness/results/samples_reader.cc; the same `file:line` and the same
counts): every row has the header's cell count, text where text belongs (no
NUL, control character or invalid UTF-8), numbers where numbers belong, a
phase its strategy has and a key of the run; no (key, rep, phase) twice;
every sample has all its phase rows (zero, or fault for kernel-fault; then
access). A last line without its line end, and a partial last sample, are a
crash's leftovers of an interrupted run (left out, said); of a completed run
they are damage. Damage raises Damaged("file:line: problem; fix"), or, lenient,
the row is left out and counted.
"""
import math
import re

LEADING = ("key", "backing", "folio_size", "strategy", "primitive", "target", "access", "op",
           "cache", "evict", "batch", "width", "rep", "phase", "ns", "tsc")
TRAILING = ("batch_max_ns", "batches", "huge", "multiplexed", "pass", "left_out")
# After left_out since the fault anatomy; files written before end at left_out.
ANATOMY = ("fault_alloc_ns", "fault_zero_ns", "fault_map_ns", "fault_untraced")
# After the anatomy since the alias strategies: map/unmap without the clears.
ALIAS = ("alias_map_ns",)
SETTLE = ("host_settle_ns", "host_settle_slow")
UINT = ("folio_size", "target", "batch", "width", "rep", "ns")
OPT_UINT = ("tsc", "batches", "pass", "fault_alloc_ns", "fault_zero_ns", "fault_map_ns", "alias_map_ns",
            "host_settle_ns", "host_settle_slow")
FLAGS = ("huge", "multiplexed")
FIX = "; the file is damaged (rerun with --lenient to leave the damaged rows out, or restore the file)"
KINDS = ("malformed", "duplicated", "in an incomplete sample", "torn")
_UINT_RE = re.compile(r"[0-9]+\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _trailing(header):
    """The header's trailing columns: with the anatomy, alias and settle columns, or an older file's."""
    for cols in (TRAILING + ANATOMY + ALIAS + SETTLE, TRAILING + ANATOMY + ALIAS, TRAILING + ANATOMY):
        if tuple(header[-len(cols):]) == cols:
            return cols
    return TRAILING


class Damaged(Exception):
    """A damaged samples.csv or meta.json: one line, file:line first."""


def _records(text):
    """(line, cells, malformed) per record as the harness's csv.cc reads
    RFC 4180, and (torn_line or 0)."""
    out, cells, cell = [], [], []
    line, start = 1, 1
    quoted = after = started = bad = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        started = True
        if quoted:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    cell.append('"')
                    i += 1
                else:
                    quoted, after = False, True
            else:
                line += c == "\n"
                cell.append(c)
        elif c == ",":
            cells.append("".join(cell))
            cell, after = [], False
        elif c == "\n" or (c == "\r" and i + 1 < n and text[i + 1] == "\n"):
            i += c == "\r"
            cells.append("".join(cell))
            out.append((start, cells, bad))
            cells, cell = [], []
            line += 1
            start = line
            after = started = bad = False
        elif c == '"' and not cell and not after:
            quoted = True
        else:
            if c == '"' or after:
                bad = True
            cell.append(c)
        i += 1
    return out, (start if started else 0)


def _not_text(s):
    if "\x00" in s:
        return "a NUL byte"
    m = _CONTROL.search(s)
    if m:
        return "control character 0x%02x" % ord(m.group(0))
    if any("\udc80" <= ch <= "\udcff" for ch in s):
        return "bytes that are not UTF-8"
    return ""


def _cost_phase(row):
    return "fault" if row["strategy"] == "kernel-fault" else "zero"


def _check_row(cells, malformed, header, keys):
    """The row as a dict, or the problem (str)."""
    if malformed:
        return "a quote inside an unquoted cell or after a quoted one"
    if len(cells) != len(header):
        return "%d cell%s where the header has %d" % (len(cells), "" if len(cells) == 1 else "s", len(header))
    for name, v in zip(header, cells):
        why = _not_text(v)
        if why:
            return "column '%s' holds %s" % (name, why)
    row = dict(zip(header, cells))

    def bad(col, what):
        v = row[col]
        return "column '%s': '%s' is not %s" % (col, v if len(v) <= 40 else v[:37] + "...", what)
    if keys is not None and row["key"] not in keys:
        return bad("key", "a point of the run (meta.json's config.points)")
    for i, col in enumerate(header):
        v = row[col]
        if col == "phase" and v not in ("access", _cost_phase(row)):
            return bad(col, "a phase of strategy %s (%s, access)" % (row["strategy"], _cost_phase(row)))
        if col in UINT or (col in OPT_UINT and v):
            if not _UINT_RE.match(v) or int(v) >= 2 ** 64:
                return bad(col, "an unsigned integer")
        elif col in FLAGS and v not in ("", "0", "1"):
            return bad(col, "0, 1 or empty")
        elif (len(LEADING) <= i < len(header) - len(_trailing(header)) or col == "batch_max_ns") and v:
            try:
                ok = math.isfinite(float(v)) and v.strip() == v and "_" not in v and v[0] != "+"
            except ValueError:
                ok = False
            if not ok:
                return bad(col, "a number")
    return row


class SamplesFile:
    def __init__(self):
        self.rows, self.damaged = [], []  # damaged: (line, kind, "file:line: problem")
        self.torn, self.unfinished, self.rows_read = False, 0, 0

    def summary(self, name="samples.csv"):
        """'left out 2 damaged rows of samples.csv: 2 duplicated (the first at line 130)' or ''."""
        if not self.damaged:
            return ""
        parts = ["%d %s" % (sum(1 for d in self.damaged if d[1] == k), k) for k in KINDS
                 if any(d[1] == k for d in self.damaged)]
        n = len(self.damaged)
        return "left out %d damaged row%s of %s: %s (the first at line %d)" % (
            n, "" if n == 1 else "s", name, ", ".join(parts), self.damaged[0][0])


def read_samples(path, lenient=False, complete_run=False, keys=None):
    """The checked rows of samples.csv (SamplesFile); raises Damaged."""
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "surrogateescape")
    except OSError as e:
        raise Damaged("%s: cannot read it: %s" % (path, e.strerror))
    records, torn_line = _records(text)
    if not records:
        raise Damaged("%s: no header line; not a samples.csv, or written by a run that stopped "
                      "before its first sample" % path)
    _, header, bad = records[0]
    trailing = _trailing(header)
    if (bad or len(header) < len(LEADING) + len(trailing) or tuple(header[:len(LEADING)]) != LEADING
            or tuple(header[-len(trailing):]) != trailing or any(not h or _not_text(h) for h in header)):
        raise Damaged("%s:1: the header is not samples.csv's (%s ... %s expected); written by another "
                      "zeroscope version?" % (path, ",".join(LEADING), ",".join(TRAILING + ANATOMY + ALIAS + SETTLE)))
    f = SamplesFile()

    def damage(line, kind, problem):
        f.damaged.append((line, kind, "%s:%d: %s" % (path, line, problem)))
    good, samples = [], {}  # good: [line, row, out]; samples: (key, rep) -> {phase: index}
    for line, cells, malformed in records[1:]:
        f.rows_read += 1
        row = _check_row(cells, malformed, header, keys)
        if isinstance(row, str):
            damage(line, "malformed", row)
            continue
        phases = samples.setdefault((row["key"], row["rep"]), {})
        if row["phase"] in phases:
            damage(line, "duplicated", "sample %s of %s: a second %s row (the first is line %d)" % (
                row["rep"], row["key"], row["phase"], good[phases[row["phase"]]][0]))
            continue
        phases[row["phase"]] = len(good)
        good.append([line, row, False])
    if torn_line:
        rest = text[sum(len(x) + 1 for x in text.split("\n")[:torn_line - 1]):]
        lines = rest.count("\n") + (not rest.endswith("\n"))
        if lines > 1:
            for k in range(lines):
                damage(torn_line + k, "malformed",
                       "a quote opened here is never closed (the lines after it are lost in one cell)" if k == 0
                       else "lost in the unclosed quote of line %d" % torn_line)
            f.rows_read += lines
        elif complete_run:
            damage(torn_line, "torn", "the last line has no line end (cut short), but meta.json says "
                                      "the run completed")
        else:
            f.torn = True
    last = good[-1][0] if good else 0
    for (key, rep), phases in sorted(samples.items()):
        if not phases:
            continue
        first = good[min(phases.values())][1]
        missing = [p for p in (_cost_phase(first), "access") if p not in phases]
        if not missing:
            continue
        for i in phases.values():
            good[i][2] = True
        if not complete_run and max(good[i][0] for i in phases.values()) == last:
            f.unfinished += len(phases)
            continue
        for i in phases.values():
            damage(good[i][0], "in an incomplete sample",
                   "sample %s of %s has no %s row" % (rep, key, " or ".join(missing)))
    f.damaged.sort(key=lambda d: d[0])
    if f.damaged and not lenient:
        more = len(f.damaged) - 1
        raise Damaged(f.damaged[0][2] + (" (and %d more damaged row%s)" % (more, "" if more == 1 else "s")
                                         if more else "") + FIX)
    f.rows = [row for _, row, out in good if not out]
    return f
