"""County benchmark: a generated county of N townships × M documents built as one site.

    python benchmarks/county.py --towns 3 --docs 500 --out benchmarks/out/county-3x500.json
    python benchmarks/county.py --towns 18 --docs 3000 --out benchmarks/out/county-18x3000.json   # full size

Each township is `benchmarks/generate.py` content (seed = its number, its site.yaml renamed);
the county is `towns/tNN/` plus a `county.yaml`. In one run, each as a `gongkai build`
subprocess on the county (as a user runs it: of a copy of the code, compiled to bytecode as an
installed package is):

* clean build: empty cache and output — wall and CPU seconds, peak PSS of the build's process
  tree (sampled, shared pages once: `run.Sampler`) and peak RSS of the largest process;
* no-change rebuild;
* one-document edit: one body in one township — wall seconds of the command and the build's
  own time (`$GONGKAI_TIMINGS`, without interpreter start-up);
* county-wide first query: bytes the county search page needs before its first results, for
  the queries of `run.QUERIES` — from the files (`run.estimate_query_bytes`, an upper bound)
  and, with `--browser`, counted in headless Chromium over HTTP (`search_bench.measure`).

Targets (issue 22) at 18 × 3,000: peak RSS ≤ 2 GB, edit ≤ 1 s, first query ≤ 400 KB.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import TOWN, generate
from run import QUERIES, estimate_query_bytes, load_average, snapshot_code
from run import run_build as timed_build

TODAY = "2026-11-26"
NUMERALS = "一二三四五六七八九十"


def town_name(i: int) -> str:
    """青溪一镇 … 青溪十八镇 (synthetic, like the generator's 青溪镇)."""
    if i <= 10:
        n = NUMERALS[i - 1]
    else:
        n = ("" if i < 20 else NUMERALS[i // 10 - 1]) + "十" + (NUMERALS[i % 10 - 1] if i % 10 else "")
    return f"青溪{n}镇"


def make_county(root: Path, towns: int, docs: int) -> Path:
    """`root`/county.yaml and towns/t01… (kept when already made with the same sizes)."""
    stamp = root / ".made"
    want = f"{towns}x{docs}"
    if stamp.is_file() and stamp.read_text() == want:
        return root
    shutil.rmtree(root, ignore_errors=True)
    slugs = [f"t{i:02d}" for i in range(1, towns + 1)]
    for i, slug in enumerate(slugs, start=1):
        out = root / "towns" / slug
        generate(out, docs, seed=i)
        site = out / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace(TOWN, town_name(i)), encoding="utf-8")
    (root / "county.yaml").write_text(
        "# 基准测试用合成县（benchmarks/county.py 生成，非真实机构）\nname: 示范县\n"
        f"towns: [{', '.join(slugs)}]\n", encoding="utf-8")
    stamp.write_text(want)
    return root


CODE: Path = ROOT  # main() sets a snapshot: the builds of one run use the same code (cf. run.snapshot_code)


def run_build(county: Path, out: Path, cache: Path, timings: Path, sample: bool = False) -> dict[str, Any]:
    """`run.run_build` of the county, plus the build's own time and the largest process's RSS."""
    figures = timed_build(county.resolve(), out.resolve(), cache, timings, sample, code=CODE)
    figures["build_s"] = round(sum(figures["timings"].values()), 3)
    figures["rss_peak_mb_largest_process"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return figures


def edit_one(county: Path, n: int) -> Path:
    """Change one sentence of one 主动公开 body in the first township (as staff would)."""
    docs = sorted((county / "towns" / "t01" / "documents").rglob("*.md"))
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        if re.search(r"^attribute: \"?主动公开", text, re.MULTILINE):
            doc.write_text(text.rstrip("\n") + f"\n\n（补充说明：本条为基准测试第{n}次修改。）\n", encoding="utf-8")
            return doc
    raise SystemExit("no 主动公开 document to edit")


def site_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--towns", type=int, default=3)
    p.add_argument("--docs", type=int, default=500, help="documents per township")
    p.add_argument("--out", type=Path, required=True, help="JSON file for the figures")
    p.add_argument("--work", type=Path, default=HERE / "work")
    p.add_argument("--browser", action="store_true", help="also count first-query bytes in headless Chromium")
    args = p.parse_args(argv)
    name = f"county-{args.towns}x{args.docs}"
    global CODE
    CODE = snapshot_code(name, args.work)
    # compiled as `pip install` compiles an installed package: with PYTHONDONTWRITEBYTECODE set (as
    # in CI images and this machine's sessions), every build would otherwise compile gongkai from
    # source, a fixed cost no installed gongkai has, and a large part of a one-document edit
    compileall.compile_dir(str(CODE / "gongkai"), quiet=1)
    figures: dict[str, Any] = {"towns": args.towns, "docs_per_town": args.docs, "documents": args.towns * args.docs,
                               "cpus": os.cpu_count(), "load_average_before": load_average()}
    t = time.perf_counter()
    county = make_county(args.work / name, args.towns, args.docs)
    figures["generate_s"] = round(time.perf_counter() - t, 2)
    out, cache, timings = args.work / f"{name}-site", args.work / f"{name}-cache", args.work / f"{name}-timings.json"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    figures["clean"] = run_build(county, out, cache, timings, sample=True)
    figures["site_mb"] = round(site_bytes(out) / 1e6, 1)
    figures["county_search_mb"] = round(site_bytes(out / "search") / 1e6, 1)
    figures["no_change"] = run_build(county, out, cache, timings)
    edits = []
    for n in range(3):
        edit_one(county, n + 1)
        edits.append(run_build(county, out, cache, timings))
    figures["edit"] = edits
    figures["edit_build_s_median"] = statistics.median(e["build_s"] for e in edits)
    figures["edit_wall_s_median"] = statistics.median(e["wall_s"] for e in edits)
    estimates = {q: estimate_query_bytes(out, q) for q in QUERIES}
    figures["first_query_bytes_estimate"] = {"median": int(statistics.median(estimates.values())),
                                             "max": max(estimates.values()), "per_query": estimates}
    if args.browser:
        from search_bench import measure

        counted = measure(out, QUERIES[:8], repeats=1)
        sizes = [v["bytes_before_results"] for v in counted.values()]
        figures["first_query_bytes_browser"] = {"median": int(statistics.median(sizes)), "max": max(sizes),
                                                "per_query": {q: v["bytes_before_results"] for q, v in counted.items()}}
    # the browser's count is the figure (what a reader's phone loads); the file-size estimate only
    # stands in when --browser was not given
    first_query = figures.get("first_query_bytes_browser", figures["first_query_bytes_estimate"])["median"]
    figures["targets"] = {
        "rss_le_2gb": (figures["clean"]["pss_peak_mb"] or 0) <= 2048,
        "edit_le_1s": figures["edit_build_s_median"] <= 1.0,
        "first_query_le_400kb": first_query <= 400_000,
    }
    figures["load_average_after"] = load_average()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    brief = {k: figures[k] for k in ("documents", "site_mb", "county_search_mb", "edit_build_s_median", "edit_wall_s_median", "targets")}
    brief["clean_wall_s"] = figures["clean"]["wall_s"]
    brief["clean_pss_peak_mb"] = figures["clean"]["pss_peak_mb"]
    brief["first_query_median"] = first_query
    print(json.dumps(brief, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
