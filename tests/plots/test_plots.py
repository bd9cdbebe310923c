#!/usr/bin/python3
"""Tests of the plot scripts (plots/) on the checked-in results directories
(tests/fixtures/results/): every plot is run on a temporary copy, as a user
runs it, and its PNG, SVG and JSON sidecar are checked (files exist and are
what they claim, panel counts, titles name the CPU and kernel, axes carry
units, missing phases are not drawn, empty selections exit 2 with one line;
damaged results are refused with zeroscope's own line, or left out with --lenient).
Prints PASS/FAIL per check and 'N passed, N failed'; exit 1 on any failure,
77 (skipped) where /usr/bin/python3 lacks matplotlib, numpy or scipy.

Run through tests/plots/test_plots.sh (ctest test `plots`).
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_checks import PLOTS, ROOT, Checks, require_plot_modules  # noqa: E402

require_plot_modules()
import numpy as np  # noqa: E402
from scipy import stats as scipy_stats  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "results")
PY = "/usr/bin/python3"
sys.path.insert(0, PLOTS)
import zsplot  # noqa: E402,F401  (first: it explains a python without matplotlib, numpy, scipy)
from zsplot import fit, intervals, question, results, units  # noqa: E402
import damaged  # noqa: E402  (the damaged-results corpus, tests/fixtures/damaged)
import make_results  # noqa: E402  (synthetic results at the shipped configs' sizes)

# Panels each plot must draw for each fixture (see tests/fixtures/results/README.md).
EXPECTED = {
    "medians": {"quick-a": 3, "sizes": 9, "batches": 2},  # zero, fault, access (x3 folios); batches: zero, longest batch (access none: no access panel)
    "distributions": {"quick-a": 2, "sizes": 6, "batches": 1},  # targets (x folios)
    "target_effect": {"quick-a": 1, "sizes": 3, "batches": 1},  # folios
    "folio_size": {"sizes": 2},  # targets (one size: not drawn, test_folio_fit)
    "cost": {"quick-a": 2, "sizes": 6, "fault-anatomy": 2},  # (clearing, access) x folios
    "preempt_latency": {"batches": 1},  # folios
}
# What all.py draws for each results directory (fixtures and tests/plots/make_results.py), by its question.
ALL = {"quick-a": ("cost", ["cost"]), "sizes": ("cost", ["cost", "folio_size"]),
       "batches": ("preempt-latency", ["preempt_latency"]), "fault-anatomy": ("cost", ["cost"]),
       "syn-cover-letter": ("cover-letter", ["strategies_primitives"]),
       "syn-oracle": ("kernel-oracle", ["kernel_oracle"]), "syn-preempt": ("preempt-latency", ["preempt_latency"]),
       "syn-residency": ("residency", ["residency"]), "syn-vendor": ("vendor-compare", ["compare_machines"]),
       "syn-seeds": ("seeds", ["seeds"])}
UNITS = ("(µs)", "(ms)", "(ns)", "(ratio)", "(MiB", "pages)", "fraction of samples")

check = Checks()


def run(script, *args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
    env.setdefault("MPLCONFIGDIR", os.path.join(WORK, ".mplconfig"))
    p = subprocess.run([PY, os.path.join(PLOTS, script)] + list(args), capture_output=True, text=True,
                       env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def machine(d):
    with open(os.path.join(d, "meta.json")) as f:
        cap = json.load(f)["capability"]
    return cap["cpu"]["model_name"], cap["kernel"]["release"]


def check_outputs(out, paths, stem, panels, dirs):
    """The files a plot printed: PNG, SVG, JSON of the stem, sane, with the panels expected."""
    want = [os.path.join(out, stem + ext) for ext in (".png", ".svg", ".json")]
    assert paths == want, "printed %r, expected %r" % (paths, want)
    for p in want:
        assert os.path.isfile(p) and os.path.getsize(p) > 0, "%s missing or empty" % p
    with open(want[0], "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", "%s is not a PNG" % want[0]
    with open(want[1], encoding="utf-8") as f:
        svg = f.read()
    assert svg.startswith("<?xml") and "<svg" in svg, "%s is not an SVG" % want[1]
    with open(want[2]) as f:
        side = json.load(f)
    assert side["panels"] == panels, "%s: %d panels, expected %d" % (stem, side["panels"], panels)
    assert len(side["axes"]) == panels, "%s: %d axes described" % (stem, len(side["axes"]))
    for d in dirs:
        cpu, kernel = machine(d)
        assert cpu in side["title"] and kernel in side["title"], "title %r lacks %s / %s" % (side["title"], cpu, kernel)
    for ax in side["axes"]:
        assert ax["xlabel"] and ax["ylabel"], "%s: panel %r lacks an axis label" % (stem, ax["title"])
        assert any(u in ax["xlabel"] + ax["ylabel"] for u in UNITS), "%s: panel %r: no unit in %r / %r" % (
            stem, ax["title"], ax["xlabel"], ax["ylabel"])
        assert ax["series"], "%s: panel %r draws nothing" % (stem, ax["title"])
    return side


def test_plot(stem, fixture, panels):
    def t():
        d = os.path.join(WORK, fixture)
        rc, out, err = run(stem + ".py", d)
        assert rc == 0, "exit %d: %s" % (rc, err.strip())
        side = check_outputs(os.path.join(d, "plots"), out.split(), stem, panels, [d])
        SIDE[(stem, fixture)] = side
        sidecar_ok(os.path.join(d, "plots", stem + ".json"))
    return t


def test_medians_phases():
    q = SIDE[("medians", "quick-a")]["axes"]
    zero = [a for a in q if "zero phase" in a["title"]]
    fault = [a for a in q if "fault phase" in a["title"]]
    assert len(zero) == 1 and "kernel-fault" not in zero[0]["series"], "kernel-fault drawn in the zero panel"
    assert len(fault) == 1 and fault[0]["series"] == ["kernel-fault"], "fault panel: %r" % fault
    b = SIDE[("medians", "batches")]["axes"]
    assert any("longest batch" in a["title"] for a in b), "batch_max_ns present but no longest-batch panel"
    assert not any("fault phase" in a["title"] for a in b), "a fault panel without fault samples"
    assert not any("access phase" in a["title"] for a in b), "access none drawn as an access cost"


def test_folio_fit():
    s = SIDE[("folio_size", "sizes")]
    assert len(s["fits"]) == 8, "%d fits, expected 4 strategies x 2 targets" % len(s["fits"])
    for f in s["fits"]:
        assert f["sizes"] == 3 and 0.0 <= f["r2"] <= 1.0, "bad fit %r" % f
    assert all("R²" in t for a in s["axes"] for t in a["legend"]), "R² missing from a legend"
    line = expect_refusal("folio_size.py", os.path.join(WORK, "quick-a"))
    assert "one folio size (2 MiB): a fit of cost against folio size needs two sizes or more" in line, line


def test_compare(extra, n_ratios, baseline):
    def t():
        a, b = os.path.join(WORK, "quick-a"), os.path.join(WORK, "quick-b")
        out = os.path.join(WORK, "cmp-%s" % (baseline or "default"))
        rc, so, err = run("compare_machines.py", a, b, "--out", out, *extra)
        assert rc == 0, "exit %d: %s" % (rc, err.strip())
        side = check_outputs(out, so.split(), "compare_machines", 2, [a, b])
        assert len(side["ratios"]) == n_ratios, "%d ratios, expected %d" % (len(side["ratios"]), n_ratios)
        want = "/%s/" % (baseline or "upstream")
        assert all(want in r["baseline"] for r in side["ratios"]), "baseline is not %s" % want
        assert all(r["lo"] <= r["ratio"] <= r["hi"] for r in side["ratios"]), "ratio outside its CI"
        assert all(want not in r["key"] for r in side["ratios"]), "the baseline compared with itself"
    return t


def test_compare_default_dir():
    a, s = os.path.join(WORK, "quick-a"), os.path.join(WORK, "sizes")
    rc, so, err = run("compare_machines.py", a, s)  # sizes has no upstream: its baseline is sequential
    assert rc == 0, "exit %d: %s" % (rc, err.strip())
    side = check_outputs(os.path.join(a, "plots"), so.split(), "compare_machines", 2, [a, s])
    assert {r["baseline"].split("/")[2] for r in side["ratios"]} == {"upstream", "sequential"}


def test_all():
    d = os.path.join(WORK, "quick-b")
    rc, out, err = run("all.py", d)
    assert rc == 0, "exit %d: %s" % (rc, err.strip())
    stems = [os.path.basename(p) for p in out.split()]
    assert stems == ["cost.png", "cost.svg", "cost.json"], "all.py wrote %r" % stems
    assert err == "all.py: %s: folio_size: not drawn: a fit of cost against folio size needs two sizes or more of " \
                  "one backing; this run has thp 2 MiB\n" % d, err
    with open(os.path.join(d, "plots", "cost.json")) as f:
        assert json.load(f)["panels"] == 2


def sidecar_ok(path, max_series=True):
    """The sidecar's own account: at most 8 series an axes, nothing outside the figure."""
    with open(path) as f:
        side = json.load(f)
    for ax in side["axes"]:
        assert ax["series_count"] == len(ax["series"]), "%s: series_count %d" % (path, ax["series_count"])
        if max_series:
            assert ax["series_count"] <= 8, "%s: panel %r draws %d series" % (path, ax["title"], ax["series_count"])
        assert not ax["outside"] and not ax["outside_parts"], "%s: panel %r: outside the figure: %r" % (
            path, ax["title"], ax["outside_parts"])
    assert not side["outside"] and not side["figure_outside_parts"], "%s: outside: %r" % (
        path, side["figure_outside_parts"])
    return side


def test_question_figure(name):
    def t():
        d = os.path.join(WORK, name)
        with open(os.path.join(d, "meta.json")) as f:
            meta = json.load(f)
        want_q, stems = ALL[name]
        assert question.recognise(meta) == want_q, "question %r, expected %r" % (question.recognise(meta), want_q)
        rc, out, err = run("all.py", d)
        assert rc == 0, "exit %d: %s" % (rc, err.strip())
        assert "Warning" not in err and "not applied" not in err, err
        assert [os.path.basename(p) for p in out.split()] == [s + e for s in stems for e in (".png", ".svg", ".json")], out
        for stem in stems:
            side = sidecar_ok(os.path.join(d, "plots", stem + ".json"))
            cpu, kernel = machine(d)
            assert cpu in side["title"] and kernel in side["title"] and "kernel path" in side["title"], side["title"]
            SIDE[(stem, name)] = side
    return t


def test_question_details():
    cl = SIDE[("strategies_primitives", "syn-cover-letter")]
    assert cl["panels"] == 18, "cover letter: %d panels, expected 3 folios x 2 access x 3 targets" % cl["panels"]
    assert all(len(a["series"]) == 5 for a in cl["axes"]), "4 primitives and kernel-fault a panel"
    assert "left-right (folio_zero_user" in cl["title"], cl["title"]
    ko = SIDE[("kernel_oracle", "syn-oracle")]
    assert ko["panels"] == 4 and len(ko["ratios"]) == 12, (ko["panels"], len(ko["ratios"]))
    assert all(r["lo"] <= r["ratio"] <= r["hi"] for r in ko["ratios"])
    assert any("fault: allocation to the next (the zeroing)" in a["series"] for a in ko["axes"])
    assert any("fault, not split (see the panel)" in a["series"] for a in ko["axes"]), "hugetlb is untraced"
    rs = SIDE[("residency", "syn-residency")]
    ends = {e["key"].split("/")[2]: e for e in rs["ends"]}
    assert ends["three-region"]["first_pages_ns"] < 10 < ends["three-region"]["last_pages_ns"], ends
    assert ends["sequential"]["last_pages_ns"] < 10 < ends["sequential"]["first_pages_ns"], ends
    sd = SIDE[("seeds", "syn-seeds")]
    assert sd["panels"] == 3, "seeds: clearing, zero + access, temporary mapping; %d panels" % sd["panels"]
    assert sd["axes"][0]["yscale"] == "log", sd["axes"][0]
    assert sorted(sd["axes"][0]["series"]) == sorted(["left-right (this kernel's path)", "prezeroed", "alloc-init",
                                                      "double", "kernel-fault"]), sd["axes"][0]["series"]
    assert len(sd["axes"][2]["series"]) == 2, sd["axes"][2]
    q = SIDE[("cost", "quick-a")]
    assert [s for s in q["axes"][0]["series"]] == sorted(["left-right", "upstream", "extent", "kernel-fault"]), q
    line = expect_refusal("residency.py", os.path.join(WORK, "quick-a"))
    assert "residency.csv: missing" in line, line


def test_outside_detected():
    """The outside check can fail: a label pushed past the right edge is named."""
    from zsplot import figure
    fig, axes = figure.new_figure(1, 1)
    ax = axes[0][0]
    ax.plot([0, 1], [0, 1])
    ax.text(1.6, 0.5, "far right", transform=ax.transAxes)
    figure.tag(ax, "line")
    figure.finish(fig, "t", "foot")
    out = os.path.join(WORK, "outside")
    with open(os.devnull, "w") as null:
        old, sys.stdout = sys.stdout, null
        try:
            figure.save(fig, out, "probe", "t", [ax], out_dir=out)
        finally:
            sys.stdout = old
    with open(os.path.join(out, "probe.json")) as f:
        side = json.load(f)
    assert side["outside"] and side["axes"][0]["outside_parts"] == ["label 'far right'"], side["axes"][0]


def expect_refusal(script, *args):
    rc, out, err = run(script, *args)
    assert rc == 2, "exit %d, expected 2 (stderr %r)" % (rc, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, "stderr is not one line: %r" % err
    assert not out.strip(), "wrote %r" % out
    return lines[0]


def test_empty_selection():
    d = os.path.join(WORK, "quick-a")
    for script in ("medians.py", "distributions.py", "target_effect.py", "folio_size.py", "all.py"):
        line = expect_refusal(script, d, "--where", "strategy=no-such-strategy")
        assert "no kept samples match" in line, line
    expect_refusal("compare_machines.py", d, os.path.join(WORK, "quick-b"), "--where", "target=middle")
    expect_refusal("medians.py", os.path.join(WORK, "no-such-dir"))
    line = expect_refusal("compare_machines.py", d, os.path.join(WORK, "quick-b"), "--baseline", "sequential")
    assert "sequential" in line, line


def rewrite(src, dst, mark):
    """Copy a results directory, setting left_out where mark(row) says."""
    shutil.copytree(src, dst)
    with open(os.path.join(src, "samples.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    with open(os.path.join(dst, "samples.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in rows:
            if mark(r):
                r["left_out"] = "not huge"
            w.writerow(r)


def test_left_out():
    src = os.path.join(WORK, "quick-a")
    d = os.path.join(WORK, "left-out-kf")
    rewrite(src, d, lambda r: r["strategy"] == "kernel-fault")
    rc, out, err = run("medians.py", d)
    assert rc == 0, err
    side = check_outputs(os.path.join(d, "plots"), out.split(), "medians", 2, [d])
    assert not any("kernel-fault" in a["series"] for a in side["axes"]), "left-out samples plotted"
    res = results.Results(d)
    assert not any(res.points[k].strategy == "kernel-fault" for k in res.keys)
    assert all(res.values(k, "zero").size == 8 for k in res.keys), "kept samples lost"
    d2 = os.path.join(WORK, "left-out-all")
    rewrite(src, d2, lambda r: True)
    assert "no kept samples" in expect_refusal("medians.py", d2)


def test_stats():
    x = np.array([5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 7.0, 6.0])
    m, lo, hi = intervals.median_ci(x)
    assert m == 4.5 and lo <= m <= hi and lo >= 1.0 and hi <= 9.0, (m, lo, hi)
    assert intervals.median_ci(x) == (m, lo, hi), "bootstrap not seeded"
    # The interval is scipy's BCa, nothing of our own.
    want = scipy_stats.bootstrap((x,), lambda s, axis: np.median(s, axis=axis), n_resamples=intervals.N_BOOT,
                                 method="BCa", vectorized=True,
                                 **{intervals._RNG_ARG: np.random.default_rng(intervals.SEED)}).confidence_interval
    assert (lo, hi) == (want.low, want.high), ((lo, hi), want)
    assert intervals.median_ci([3.0] * 5) == (3.0, 3.0, 3.0)
    m1, lo1, hi1 = intervals.median_ci([2.0])
    assert m1 == 2.0 and np.isnan(lo1) and np.isnan(hi1), "n = 1 has no interval"
    # Tied middle values: BCa has no acceleration; the percentile interval of the same resamples.
    tied = [370.0, 391.0, 400.0, 401.0, 401.0, 430.0, 431.0, 431.0]
    mt, lot, hit = intervals.median_ci(tied)
    assert mt == 401.0 and 370.0 <= lot <= mt <= hit <= 431.0 and lot < hit, (mt, lot, hit)
    r, rlo, rhi = intervals.ratio_ci(x, 2 * x)
    assert r == 0.5 and rlo <= r <= rhi, (r, rlo, rhi)
    fixed, per_page, r2 = fit.fit_fixed_per_page([16, 128, 512], [3.0 + 0.25 * p for p in (16, 128, 512)])
    assert abs(fixed - 3.0) < 1e-9 and abs(per_page - 0.25) < 1e-12 and abs(r2 - 1.0) < 1e-12
    assert units.parse_size("2MB") == units.parse_size("2MiB") == 2097152 and units.parse_size("64KB") == 65536
    assert units.fmt_bytes(65536) == "64 KiB" and units.fmt_bytes(2097152) == "2 MiB"
    assert results.base_page_bytes({"thp": {"pmd_bytes": 2097152}}) == 4096
    assert results.base_page_bytes({"thp": {"pmd_bytes": 512 << 20}}) == 65536


def test_fit_matches_the_report():
    """folio_size.py's fit of the sizes fixture is the one `zeroscope report` prints (Eigen there): both fit the
    cost medians, checked against numpy in tests/stats/reference.json."""
    with open(os.path.join(ROOT, "tests", "stats", "reference.json")) as f:
        ref = json.load(f)["folio_fit"]
    for s in ref["series"]:
        fixed, per_page, r2 = fit.fit_fixed_per_page(s["pages"], s["medians_ns"])
        assert abs(fixed - s["fixed_ns"]) <= 1e-6 * max(1.0, abs(s["fixed_ns"])), (s["series"], fixed)
        assert abs(per_page - s["per_page_ns"]) <= 1e-9 * abs(s["per_page_ns"]), (s["series"], per_page)
        assert abs(r2 - s["r2"]) <= 1e-12, (s["series"], r2)


def test_quoted_cells_and_a_torn_line():
    """samples.csv is read as CSV (RFC 4180): a quoted cell with a comma and a quote is one cell; a last
    line cut short is ignored; a short line before the end refuses the directory."""
    src = os.path.join(WORK, "quick-a")
    d = os.path.join(WORK, "quoted")
    shutil.copytree(src, d)
    path = os.path.join(d, "samples.csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("left_out")
    rows[1][col] = 'not huge, "split" folio'
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
        f.write(",".join(rows[2][:5]))  # torn: a run killed while writing
    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    meta["status"] = "interrupted"  # of a completed run, a torn line is damage (test_damaged_corpus)
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f)
    res = results.Results(d)
    first = rows[1][rows[0].index("key")], rows[1][rows[0].index("phase")]
    kept = res.values(*first).size
    assert kept == sum(1 for r in rows[2:] if (r[0], r[rows[0].index("phase")]) == first), kept
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows[:3] + [rows[3][:5]] + rows[4:])
    try:
        results.Results(d)
        raise AssertionError("a short line inside samples.csv was accepted")
    except results.NoData as e:
        assert "samples.csv:4: 5 cells where the header has 41" in str(e), str(e)


def test_damaged_corpus():
    """tests/fixtures/damaged: each case refused with zeroscope's own line (exit 2), and with --lenient plotted,
    the damaged rows left out and counted on stderr, or the same refusal."""
    n = 0
    for case in damaged.cases():
        fields, d = damaged.make(case, os.path.join(WORK, "damaged-" + case[:-4]))
        for flags, want in (([], fields["expect"]), (["--lenient"], fields["lenient"])):
            rc, out, err = run("medians.py", d, *flags)
            what = "%s %s" % (case, " ".join(flags))
            if want.startswith("accepted"):
                assert rc == 0, "%s: exit %d: %s" % (what, rc, err)
                notes = want.partition("says: ")[2].split(" | ")
                assert err.splitlines() == ["medians.py: %s: %s" % (d, note) for note in notes], (what, err)
            else:
                message = fields["expect"] if want == "refused, the same" else want
                assert rc == 2, "%s: exit %d" % (what, rc)
                assert err == "medians.py: %s\n" % message.replace("DIR", d), (what, err)
        n += 1
    assert n >= 15, n


def test_same_directory_twice():
    d = os.path.join(WORK, "quick-a")
    os.symlink(d, os.path.join(WORK, "link-a"))
    for other in (d, d + "/", os.path.join(WORK, ".", "quick-a"), os.path.join(WORK, "link-a")):
        line = expect_refusal("compare_machines.py", d, other)
        assert "are the same results directory" in line, line


def test_loader():
    res = results.Results(os.path.join(WORK, "quick-a"))
    cpu, kernel = machine(res.path)
    assert res.cpu.startswith(cpu) and res.kernel == kernel
    assert len(res.keys) == 8, res.keys
    kf = [k for k in res.keys if res.points[k].strategy == "kernel-fault"]
    assert kf and all(res.cost_phase(k) == "fault" and not res.has(k, "zero") for k in kf)
    assert {res.points[k].target for k in res.keys} == {"first", "last"}
    assert {res.target_page(k) for k in res.keys} == {0, 511}
    assert all(res.cost_plus_access(k).size == 8 for k in res.keys)


def test_reproducible():
    d = os.path.join(WORK, "quick-a")
    with open(os.path.join(d, "plots", "medians.svg"), "rb") as f:
        first = f.read()
    rc, _, err = run("medians.py", d)
    assert rc == 0, err
    with open(os.path.join(d, "plots", "medians.svg"), "rb") as f:
        assert f.read() == first, "the same data gave a different SVG"


def main():
    global WORK
    WORK = tempfile.mkdtemp(prefix="zs-plots-test-")
    try:
        for name in ("quick-a", "quick-b", "sizes", "batches", "fault-anatomy"):
            shutil.copytree(os.path.join(FIXTURES, name), os.path.join(WORK, name))
        for name in ("cover_letter", "oracle", "preempt", "residency", "vendor", "seeds"):
            getattr(make_results, name)(os.path.join(WORK, "syn-" + name.replace("_", "-")),
                                        os.path.join(FIXTURES, "quick-a"))
        check("stats", test_stats)
        check("loader", test_loader)
        check("fit is the report's (numpy reference)", test_fit_matches_the_report)
        check("quoted cells and a torn last line", test_quoted_cells_and_a_torn_line)
        for stem, fixtures in EXPECTED.items():
            for fixture, panels in fixtures.items():
                check("%s %s (%d panel%s)" % (stem, fixture, panels, "" if panels == 1 else "s"), test_plot(stem, fixture, panels))
        check("medians draws only the phases measured", test_medians_phases)
        check("folio_size fit and one-size title", test_folio_fit)
        check("compare_machines quick-a quick-b (default baseline upstream)", test_compare([], 12, None))
        check("compare_machines --baseline extent", test_compare(["--baseline", "extent"], 12, "extent"))
        check("compare_machines without --out, mixed baselines", test_compare_default_dir)
        check("all.py quick-b", test_all)
        for name in ALL:
            check("all.py %s: %s, <= 8 series an axes, nothing outside" % (name, ALL[name][0]),
                  test_question_figure(name))
        check("the question figures' contents", test_question_details)
        check("text outside the figure is detected", test_outside_detected)
        check("empty selections exit 2 with one line", test_empty_selection)
        check("left-out samples are not plotted", test_left_out)
        check("same data, same SVG", test_reproducible)
        check("damaged results refused, or left out and counted with --lenient", test_damaged_corpus)
        check("compare_machines refuses a directory given twice", test_same_directory_twice)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    return check.summary()


SIDE = {}
WORK = None

if __name__ == "__main__":
    sys.exit(main())
