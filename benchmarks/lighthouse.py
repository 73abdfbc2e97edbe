#!/usr/bin/env python3
"""Lighthouse (npm, pinned in package.json) in its mobile mode (a slow-4G, 4×-CPU-throttled
Moto G-class phone) on the example town served over HTTP: the home page, a document, a village
page and a search with results. Writes the scores to one JSON file and fails (exit 1) unless
every page has performance ≥ 95, accessibility 100 and SEO ≥ 95 (issue 20) and a cumulative layout
shift below 0.1 (issue 19: results arriving on the search page move nothing).

    CHROME_PATH=/usr/bin/chromium python benchmarks/lighthouse.py --out benchmarks/out/lighthouse.json

Each page is audited `--runs` times (default 3) and its median score kept: performance on a
shared 2-core machine moves by a few points from run to run."""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {
    "home": "index.html",
    "document": "documents/2024/gaoling-jintie-shenling-fafang-banfa.html",
    "village": "villages/jingtou.html",
    "search": "search.html?q=%E4%BD%8E%E4%BF%9D",  # 低保
}
THRESHOLDS = {"performance": 95, "accessibility": 100, "seo": 95}
MAX_CLS = 0.1
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def audit(url: str, chrome: str, out: Path) -> dict[str, object]:
    subprocess.run(["node", str(LIGHTHOUSE), url, "--only-categories=performance,accessibility,seo",
                    "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"],
                   check=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    metrics = {k: report["audits"][k]["numericValue"] for k in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")}
    failing = sorted(k for k, a in report["audits"].items()
                     if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary")
    return {"scores": scores, "metrics": metrics, "failing_binary_audits": failing,
            "form_factor": report["configSettings"]["formFactor"], "lighthouse": report["lighthouseVersion"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "lighthouse.json")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not LIGHTHOUSE.is_file():
        print(f"lighthouse: 错误: 找不到 {LIGHTHOUSE}（请运行 npm ci）", file=sys.stderr)
        return 1
    from gongkai.build import BuildOptions, build

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = build(BuildOptions(content=REPO / "content", output=site, templates=REPO / "templates",
                                    today=date(2026, 11, 26), project=REPO, jobs=1))
        if not result.ok:
            print("\n".join(d.text() for d in result.diagnostics.errors), file=sys.stderr)
            return 1
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        pages: dict[str, object] = {}
        ok = True
        try:
            for name, path in PAGES.items():
                runs = [audit(base + path, chrome, Path(tmp) / f"{name}-{n}.json") for n in range(args.runs)]
                median = {k: statistics.median_low(r["scores"][k] for r in runs) for k in THRESHOLDS}  # type: ignore[index]
                cls = statistics.median_low(r["metrics"]["cumulative-layout-shift"] for r in runs)  # type: ignore[index]
                passed = all(median[k] >= floor for k, floor in THRESHOLDS.items()) and cls < MAX_CLS
                ok &= passed
                pages[name] = {"path": path, "median": median, "cls": cls, "passed": passed, "runs": runs}
                print(f"{name:9} performance {median['performance']:3}  accessibility {median['accessibility']:3}  "
                      f"seo {median['seo']:3}  CLS {cls:.3f}  {'ok' if passed else 'BELOW THRESHOLD'}")
        finally:
            server.shutdown()
            server.server_close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"thresholds": {**THRESHOLDS, "max_cls": MAX_CLS}, "runs_per_page": args.runs, "pages": pages, "passed": ok},
                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
