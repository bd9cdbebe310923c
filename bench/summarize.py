#!/usr/bin/env python3
"""Summarise a zeroscope-bench JSON file (--benchmark_out): GB/s per
primitive and extent (median of the repetitions when there are several),
and each primitive's ratio to memset at the same extent, measured in the
same run. Usage: summarize.py FILE.json"""
import json
import statistics
import sys
from collections import defaultdict

EXTENTS = ["4KiB", "64KiB", "2MiB", "32MiB", "1GiB"]


def main(path):
    with open(path) as f:
        doc = json.load(f)
    gbs = defaultdict(list)  # (primitive, extent) -> [GB/s per repetition]
    thp = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        if not b["run_name"].startswith("zero/"):
            continue  # the stats/ and tsc/ figures are not zeroing rates
        _, prim, extent = b["run_name"].split("/")[:3]
        gbs[(prim, extent)].append(b["GB/s"])
        if "thp" in b:
            thp[extent] = min(thp.get(extent, 1.0), b["thp"])
    if not gbs:
        sys.exit(f"{path}: no benchmark results in the file")
    # Registry order is lost to the random interleaving: sort, memset last.
    prims = sorted({p for p, _ in gbs}, key=lambda p: (p == "memset", p))
    extents = [e for e in EXTENTS if any((p, e) in gbs for p in prims)]
    med = {k: statistics.median(v) for k, v in gbs.items()}
    reps = max(len(v) for v in gbs.values())
    ctx = doc.get("context", {})
    print(f"zeroscope-bench on {ctx.get('host_name', '?')}, cpu {ctx.get('cpu', '?')}, "
          f"{reps} repetition(s), median GB/s (ratio to memset, same run)")
    print(f"{'primitive':<10}" + "".join(f"{e:>18}" for e in extents))
    for p in prims:
        cells = []
        for e in extents:
            if (p, e) not in med:
                cells.append(f"{'-':>18}")
                continue
            ref = med.get(("memset", e))
            ratio = f" ({med[(p, e)] / ref:5.1%})" if ref else ""
            cells.append(f"{med[(p, e)]:>9.1f}{ratio:>9}")
        print(f"{p:<10}" + "".join(cells))
    print("THP-backed fraction of each buffer: " +
          ", ".join(f"{e} {thp[e]:.0%}" for e in extents if e in thp))
    for e in extents:
        ref = med.get(("memset", e))
        best = max((med[(p, e)], p) for p in prims if p != "memset" and (p, e) in med)
        if ref:
            print(f"best at {e}: {best[1]} {best[0]:.1f} GB/s = {best[0] / ref:.1%} of memset")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
