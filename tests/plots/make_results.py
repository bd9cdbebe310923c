#!/usr/bin/python3
"""Synthetic results directories for the plot tests, made at test time (nothing
large is checked in): the machine of a real fixture (its meta.json capability),
the points of a sweep written as its config would expand them, and samples
drawn from a seeded generator, so that the figures of every question can be
drawn at the size the shipped configs have (the cover letter: 3 folios x 7
strategies x 4 primitives x 3 targets x 2 access patterns).

    make(dst, base_dir, label, axes, reps=6, question="...", ...)

writes dst/meta.json, dst/samples.csv and, with residency, dst/residency.csv
(`key,rep,page,ns,level`)."""
import csv
import itertools
import json
import os

import numpy as np

PAGE = 4096
PRIM_COST = {"stosb": 0, "stosq": 1, "movq": 2, "nt": 3, "memset": 1}


def _key(p):
    return "%s/%d/%s/%s/%s/%s:%s/%s:%s/b%s/w%s%s" % (
        p["backing"], p["folio_size"], p["strategy"], p["primitive"] or "-", p["target"], p["access"],
        p["op"], p["cache"], p["evict"], "-" if p["batch"] is None else p["batch"], "-",
        "/host-reported" if p.get("memory") == "host-reported" else "")


def points(axes):
    out, seen = [], set()
    for backing, size, strategy, prim, target, access, batch, memory in itertools.product(
            axes["backing"], axes["folio_size"], axes["strategy"], axes["primitive"], axes["target"],
            axes["access"], axes.get("batch", [None]), axes.get("memory", ["recycled"])):
        if strategy in ("kernel-fault", "prezeroed"):
            prim, batch = None, None
        p = {"backing": backing, "folio_size": size, "strategy": strategy, "primitive": prim, "target": target,
             "access": access, "op": None if access == "residency" else "write", "cache": "cold",
             "evict": "pool", "batch": batch, "width": None, "memory": memory}
        p["key"] = _key(p)
        if p["key"] not in seen:
            seen.add(p["key"])
            out.append(p)
    return out


def _page(target, pages):
    return {"first": 0, "middle": pages // 2, "last": pages - 1}[target]


def make(dst, base_dir, label, axes, reps=6, question="", kernel_strategy=None, record_batches=False,
         anatomy=False, residency=False, seed=1):
    rng = np.random.default_rng(seed)
    with open(os.path.join(base_dir, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(base_dir, "samples.csv"), newline="") as f:
        header = next(csv.reader(f))
    alias = any(s.startswith("alias-") for s in axes["strategy"])
    if (anatomy or alias) and "fault_alloc_ns" not in header:
        header += ["fault_alloc_ns", "fault_zero_ns", "fault_map_ns", "fault_untraced"]
    if alias and "alias_map_ns" not in header:
        header += ["alias_map_ns"]
    pts = points(axes)
    text = "".join("# %s\n" % line for line in ("Question: " + question).split("\n")) if question else ""
    meta["label"] = label
    meta["config"].update({"points": pts, "text": text + "[settings]\n", "point_count": len(pts),
                           "axes": {k: [str(x) for x in v] for k, v in axes.items()}})
    meta["config"]["settings"] = dict(meta["config"].get("settings") or {}, label=label,
                                      record_batches=record_batches, repetitions=reps)
    meta["kernel_strategy"] = kernel_strategy or []
    if anatomy:
        meta["fault_anatomy"] = {"available": True}
    os.makedirs(dst, exist_ok=True)
    rows, res_rows = [], []
    cost = {"sequential": 230, "left-right": 225, "three-region": 200, "extent": 198, "upstream": 226,
            "kernel-fault": 235, "prezeroed": 0.05, "alloc-init": 215, "double": 420, "alias-range": 260,
            "alias-page": 900}
    for p in pts:
        pages = p["folio_size"] // PAGE
        base = cost.get(p["strategy"], 210) * pages / 512.0 * (1.0 + 0.05 * PRIM_COST.get(p["primitive"], 0))
        if p["memory"] == "host-reported" and p["strategy"] == "kernel-fault":
            base *= 20  # the host faults the memory back in
        page = _page(p["target"], pages)
        for rep in range(reps):
            phase = "fault" if p["strategy"] == "kernel-fault" else "zero"
            for ph, ns in ((phase, base * 1000 * rng.lognormal(0, 0.05)), ("access", 400 * rng.lognormal(0, 0.2))):
                r = dict.fromkeys(header, "")
                r.update({"key": p["key"], "backing": p["backing"], "folio_size": p["folio_size"],
                          "strategy": p["strategy"], "primitive": p["primitive"] or "", "target": page,
                          "access": p["access"], "op": p["op"] or "", "cache": "cold", "evict": "pool",
                          "batch": p["batch"] or 0, "width": 2, "rep": rep, "phase": ph, "ns": int(ns),
                          "huge": 1, "multiplexed": 0})
                if ph == "zero" and p["strategy"].startswith("alias-"):
                    r["alias_map_ns"] = int(ns * (0.2 if p["strategy"] == "alias-range" else 0.7))
                if ph == "zero" and record_batches:
                    b = int(p["batch"] or pages)
                    r["batch_max_ns"] = int(ns * min(1.0, b / pages) * rng.lognormal(0, 0.1))
                    r["batches"] = -(-pages // b)
                if ph == "fault" and anatomy:
                    if p["backing"] == "hugetlb":
                        r["fault_untraced"] = "hugetlb folio from the reserved pool: no tracepoint lies between"
                    else:
                        r["fault_alloc_ns"], r["fault_zero_ns"] = int(ns * 0.01), int(ns * 0.97)
                        r["fault_map_ns"] = int(ns) - r["fault_alloc_ns"] - r["fault_zero_ns"]
                rows.append(r)
            if residency:
                hot = {"three-region": lambda i: i < 3, "sequential": lambda i: i >= pages - 40}.get(
                    p["strategy"], lambda i: False)
                for i in range(pages):
                    ns = (4.0 if hot(i) else 30.0) * rng.lognormal(0, 0.1)
                    res_rows.append([p["key"], rep, i, "%.1f" % ns, "L2" if ns < 10 else "LLC"])
    with open(os.path.join(dst, "samples.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    n = len(pts) * reps
    meta["samples"] = {"done": n, "done_before": 0, "expected": n, "kept": n, "left_out": {}, "rows": len(rows)}
    meta["status"] = "complete"
    if residency:
        meta["residency"] = {"lines_per_page": 4, "overhead_ns": 20.0, "calibration": {
            "thresholds_ns": {"L1": 2.0, "L2": 10.0, "LLC": 60.0}}}
        with open(os.path.join(dst, "residency.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["key", "rep", "page", "ns", "level"])
            w.writerows(res_rows)
    with open(os.path.join(dst, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return dst


KS = [{"backing": b, "folio_size": s, "strategy": "left-right", "width": None, "batch": None,
       "function": "folio_zero_user -> process_huge_page: page at a time, target last", "source": "synthetic"}
      for b in ("thp", "hugetlb") for s in (2097152, 1 << 30)]


def cover_letter(dst, base):
    """cover-letter.toml's matrix (1 GiB hugetlb included, thp 1 GiB excluded), 4 repetitions."""
    axes = {"backing": ["thp", "hugetlb"], "folio_size": [2097152, 1 << 30],
            "strategy": ["left-right", "sequential", "three-region", "extent", "upstream", "kernel-fault"],
            "primitive": ["stosb", "stosq", "movq", "nt"], "target": ["first", "middle", "last"],
            "access": ["page", "stream"]}
    make(dst, base, "cover-letter", axes, reps=4, kernel_strategy=KS,
         question="the numbers for a patch cover letter. Which clearing order and which store instruction\n"
                  "leave the faulting program fastest?")
    # thp 1 GiB is excluded by the config: drop its points as the expansion does
    with open(os.path.join(dst, "meta.json")) as f:
        meta = json.load(f)
    drop = {p["key"] for p in meta["config"]["points"] if p["backing"] == "thp" and p["folio_size"] == 1 << 30}
    meta["config"]["points"] = [p for p in meta["config"]["points"] if p["key"] not in drop]
    with open(os.path.join(dst, "samples.csv"), newline="") as f:
        rows = [r for r in csv.reader(f)]
    rows = [rows[0]] + [r for r in rows[1:] if r[0] not in drop]
    with open(os.path.join(dst, "samples.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    n = len(meta["config"]["points"]) * 4
    meta["samples"].update({"done": n, "expected": n, "kept": n, "rows": len(rows) - 1})
    with open(os.path.join(dst, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return dst


def oracle(dst, base):
    axes = {"backing": ["thp", "hugetlb"], "folio_size": [2097152], "strategy": ["left-right", "kernel-fault", "extent"],
            "primitive": ["kernel"], "target": ["first", "middle", "last"], "access": ["page"]}
    return make(dst, base, "kernel-oracle", axes, reps=8, kernel_strategy=KS, anatomy=True,
                question="how well do the replicas predict this kernel's faults?")


def preempt(dst, base):
    axes = {"backing": ["thp", "hugetlb"], "folio_size": [2097152], "strategy": ["extent"], "primitive": ["kernel"],
            "target": ["first"], "access": ["none"], "batch": [1, 8, 64, 512]}
    return make(dst, base, "preempt-latency", axes, reps=6, record_batches=True, kernel_strategy=KS,
                question="how long can clearing one huge folio keep the CPU without a preemption point?")


def residency(dst, base):
    axes = {"backing": ["thp"], "folio_size": [2097152], "strategy": ["sequential", "three-region"],
            "primitive": ["kernel"], "target": ["first"], "access": ["residency"]}
    return make(dst, base, "residency", axes, reps=5, residency=True, kernel_strategy=KS,
                question="where are the folio's lines right after the zeroing?")


def vendor(dst, base):
    axes = {"backing": ["thp"], "folio_size": [2097152],
            "strategy": ["left-right", "upstream", "extent", "kernel-fault"], "primitive": ["kernel", "memset"],
            "target": ["first", "middle", "last"], "access": ["page"]}
    return make(dst, base, "vendor-compare", axes, reps=6, kernel_strategy=KS,
                question="how do machines compare?")


def seeds(dst, base):
    """seeds.toml's matrix: the other threads' strategies on recycled and host-reported memory."""
    axes = {"backing": ["thp"], "folio_size": [2097152],
            "strategy": ["left-right", "prezeroed", "alloc-init", "double", "alias-range", "alias-page",
                         "kernel-fault"],
            "primitive": ["kernel"], "target": ["first"], "access": ["page"], "memory": ["recycled", "host-reported"]}
    make(dst, base, "seeds", axes, reps=6, kernel_strategy=KS,
         question="what do the seeds' other two threads change on this machine?")
    with open(os.path.join(dst, "meta.json")) as f:
        meta = json.load(f)
    meta["memory"] = {"report_wait_s": 3.0}
    with open(os.path.join(dst, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return dst
