"""Lighthouse on the search page of the example town: mobile performance and layout shift.

    python benchmarks/lighthouse.py --out benchmarks/out/lighthouse.json

Builds `content/` (the example town) into `benchmarks/work/lighthouse-site/`, serves it over
loopback HTTP and runs Lighthouse (npm `lighthouse`, pinned in package.json; `npm ci`) with
Debian's Chromium (`CHROME_PATH=/usr/bin/chromium`) on `search.html?q=低保`, with Lighthouse's
default mobile profile (emulated phone, 4x CPU slowdown, simulated slow 4G). Writes the
performance score and the metrics to `--out` and exits 1 unless performance ≥ 0.95 and
CLS < 0.1 (the targets of issue 19). `--url-path` measures another page of the same site.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TODAY = "2026-11-26"
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index", "interactive")
MIN_PERFORMANCE = 0.95
MAX_CLS = 0.1


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_example(site: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    with tempfile.TemporaryDirectory() as cache:
        subprocess.run([sys.executable, "-m", "gongkai", "build", "--content", str(ROOT / "content"), "--out", str(site),
                        "--today", TODAY, "-q", "--cache", cache], cwd=ROOT, check=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))


def lighthouse(site: Path, url_path: str, chrome: str = "/usr/bin/chromium") -> dict[str, Any]:
    """Run Lighthouse (performance category, mobile) on `url_path` of `site` served over HTTP."""
    cli = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        raise SystemExit("node_modules/lighthouse is missing: run `npm ci` at the repository root")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "report.json"
            url = f"http://127.0.0.1:{server.server_address[1]}/{url_path}"
            subprocess.run(
                ["node", str(cli), url, "--only-categories=performance", "--output=json", f"--output-path={report}",
                 "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                check=True, env=dict(os.environ, CHROME_PATH=chrome), timeout=600,
            )
            data = json.loads(report.read_text(encoding="utf-8"))
    finally:
        server.shutdown()
    audits = data["audits"]
    return {
        "url_path": url_path,
        "lighthouse": data["lighthouseVersion"],
        "form_factor": data["configSettings"]["formFactor"],
        "performance": data["categories"]["performance"]["score"],
        **{name: round(audits[name]["numericValue"], 3) for name in METRICS if name in audits},
        "cpu_benchmark_index": data.get("environment", {}).get("benchmarkIndex"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--url-path", default="search.html?q=" + quote("低保"))
    parser.add_argument("--site", type=Path, help="a built site instead of building the example town")
    args = parser.parse_args(argv)
    site = args.site or HERE / "work" / "lighthouse-site"
    if args.site is None:
        build_example(site)
    figures = lighthouse(site, args.url_path)
    figures["passed"] = figures["performance"] >= MIN_PERFORMANCE and figures["cumulative-layout-shift"] < MAX_CLS
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
