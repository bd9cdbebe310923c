"""Which question a results directory asks, read from meta.json (the
config's axes and settings, then its label), and the question's own words
(the config's first comment, "# Question: ..."), so that `all.py` draws the
one figure that answers it. The file name is never consulted: a copy of
quick.toml under another name still asks quick's question.

  residency        access = ["residency"]: where the folio's lines are after the zero phase
  seeds            memory host-reported, or the seeds' strategies (prezeroed, alloc-init, double,
                   alias-range, alias-page), or label seeds: host-zeroed memory and zeroing
                   through a temporary mapping
  preempt-latency  record_batches, or several batch sizes: the worst batch against batch size
  kernel-oracle    kernel-fault and kernel (its replica) with at most one other strategy, or
                   label kernel-oracle:
                   the fault against its replica, and where the fault's time goes
  vendor-compare   label vendor-compare: machines side by side
  cover-letter     several store primitives: strategies x primitives per folio and access
  cost             anything else (quick): cost per strategy at each target
"""
import re

from zsplot.units import fmt_bytes

SEEDS_STRATEGIES = {"prezeroed", "alloc-init", "double", "alias-range", "alias-page"}
QUESTIONS = ("residency", "seeds", "preempt-latency", "kernel-oracle", "vendor-compare", "cover-letter", "cost")


def _axis(meta, name):
    return [str(v) for v in (((meta.get("config") or {}).get("axes") or {}).get(name) or [])]


def recognise(meta):
    cfg = meta.get("config") or {}
    settings = cfg.get("settings") or {}
    label = str(meta.get("label") or settings.get("label") or "")
    strategies = set(_axis(meta, "strategy"))
    if "residency" in _axis(meta, "access"):
        return "residency"
    memory = {m.rstrip("?") for m in _axis(meta, "memory")}
    if label == "seeds" or "host-reported" in memory or strategies & SEEDS_STRATEGIES:
        return "seeds"
    if settings.get("record_batches") or len(set(_axis(meta, "batch"))) > 1:
        return "preempt-latency"
    # The kernel's fault against the replica of its path, and at most one other order beside them.
    oracle = {"kernel", "kernel-fault"} <= strategies and len(strategies - {"kernel", "kernel-fault"}) <= 1
    if label == "kernel-oracle" or oracle:
        return "kernel-oracle"
    if label == "vendor-compare":
        return "vendor-compare"
    if len(set(_axis(meta, "primitive")) - {"kernel"}) >= 2:
        return "cover-letter"
    return "cost"


def question_text(meta):
    """The config's "# Question: ..." paragraph, its first sentence; '' when it has none."""
    text = (meta.get("config") or {}).get("text") or ""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if not lines and not body.lower().startswith("question:"):
            return ""
        if lines and not body:
            break
        lines.append(body)
    para = " ".join(lines)[len("question:"):].strip()
    m = re.match(r"(.+?[?.])(\s|$)", para)
    return m.group(1) if m else para


def kernel_path_text(meta, folios=None):
    """How this kernel zeroes the folios plotted: meta.json kernel_strategy (the resolved
    points), else capability.kernel.zeroing, e.g. 'thp 2 MiB: left-right (folio_zero_user ...)'."""
    entries = meta.get("kernel_strategy")
    if not isinstance(entries, list) or not entries:
        entries = ((meta.get("capability") or {}).get("kernel") or {}).get("zeroing")
    if not isinstance(entries, list):
        return "kernel path not recorded"
    out = {}  # description -> folios: one kernel path named once
    for e in entries:
        if not isinstance(e, dict):
            continue
        folio = "%s %s" % (e.get("backing"), fmt_bytes(int(e.get("folio_size") or 0)))
        if folios is not None and folio not in folios:
            continue
        fn = str(e.get("function") or "").split(":")[0].strip()
        what = e.get("strategy") or "not covered"
        extra = "".join(" %s %s" % (k, e[k]) for k in ("width", "batch") if e.get(k) is not None)
        out.setdefault("%s%s%s" % (what, extra, " (%s)" % fn if fn else ""), []).append(folio)
    if not out:
        return "kernel path not recorded for these folios"
    return "kernel path " + "; ".join("%s: %s" % (", ".join(f), d) for d, f in out.items())


def replica_of(meta, backing, folio_size):
    """The strategy (and width, batch) that replicates this kernel's fault of a folio, or None."""
    for src in (meta.get("kernel_strategy"), ((meta.get("capability") or {}).get("kernel") or {}).get("zeroing")):
        for e in src if isinstance(src, list) else []:
            if isinstance(e, dict) and e.get("backing") == backing and int(e.get("folio_size") or 0) == folio_size:
                return e if e.get("strategy") else None
    return None
