"""The damaged-results corpus (tests/fixtures/damaged/README.md): each case
file names a fixture (`# base:`), the edits that damage a copy of it
(`# do:`), and what zeroscope says (`# expect:`, `# lenient:`). This module
makes the damaged copies for the plot tests; tests/harness/damaged_results_test.cc
does the same in C++ for report and compare.
"""
import json
import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(ROOT, "tests", "fixtures", "damaged")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "results")


def unescape(text):
    """TEXT with each \\xHH as that byte."""
    return re.sub(rb"\\x([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode())


def load(name):
    """(fields, edits) of one case: fields maps base/expect/lenient to text."""
    fields, edits = {}, []
    with open(os.path.join(CORPUS, name)) as f:
        for line in f:
            m = re.match(r"# (\w+): (.*)$", line.rstrip("\n"))
            if not m:
                continue
            if m.group(1) == "do":
                edits.append(m.group(2))
            else:
                fields[m.group(1)] = m.group(2)
    return fields, edits


def cases():
    return sorted(n for n in os.listdir(CORPUS) if n.endswith(".txt"))


def make(name, where):
    """A damaged copy of the case's fixture at `where`; returns (fields, where)."""
    fields, edits = load(name)
    shutil.copytree(os.path.join(FIXTURES, fields["base"]), where)
    csv_path, meta_path = os.path.join(where, "samples.csv"), os.path.join(where, "meta.json")
    with open(csv_path, "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    lines = [ln + b"\n" for ln in lines]
    header = lines[0].rstrip(b"\n").split(b",")
    for edit in edits:
        op, _, rest = edit.partition(" ")
        a = rest.split(" ")
        if op == "append-lines":
            lines += lines[int(a[0]) - 1:int(a[1])]
        elif op == "insert-line":
            lines.insert(int(a[0]) - 1, unescape(rest.partition(" ")[2]) + b"\n")
        elif op == "insert":
            n, at = int(a[0]) - 1, int(a[1])
            lines[n] = lines[n][:at] + unescape(" ".join(a[2:])) + lines[n][at:]
        elif op == "set-cell":
            n = int(a[0]) - 1
            cells = lines[n].rstrip(b"\n").split(b",")
            cells[header.index(a[1].encode())] = unescape(" ".join(a[2:]))
            lines[n] = b",".join(cells) + b"\n"
        elif op == "keep-lines":
            lines = lines[:int(a[0])]
        elif op == "cut-line":
            n = int(a[0]) - 1
            lines[n] = lines[n][:int(a[1])]
        elif op == "cut-tail":
            text = b"".join(lines)[:-int(a[0])]
            lines = [text]
        elif op == "meta-status":
            with open(meta_path) as f:
                meta = json.load(f)
            meta["status"] = a[0]
            with open(meta_path, "w") as f:
                json.dump(meta, f, indent=2)
        elif op == "cut-meta":
            with open(meta_path, "rb") as f:
                text = f.read()[:int(a[0])]
            with open(meta_path, "wb") as f:
                f.write(text)
        elif op == "remove":
            os.remove(os.path.join(where, a[0]))
        elif op == "write":
            with open(os.path.join(where, a[0]), "wb") as f:
                f.write(unescape(" ".join(a[1:])))
        else:
            raise ValueError("%s: unknown edit %r" % (name, op))
    with open(csv_path, "wb") as f:
        f.write(b"".join(lines))
    return fields, where
