"""Lighthouse (npm, pinned) in mobile mode on home, a document, a village page and a search
with results, over HTTP: accessibility 100 and SEO ≥ 95. Performance, a timing, is measured
by `benchmarks/lighthouse.py` (≥ 95 there), never asserted in a test."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
PAGES = ["index.html", "documents/2024/gaoling-jintie-shenling-fafang-banfa.html", "villages/jingtou.html",
         "search.html?q=%E4%BD%8E%E4%BF%9D"]


@pytest.mark.parametrize("path", PAGES, ids=["home", "document", "village", "search"])
def test_lighthouse_mobile_accessibility_100_and_seo_95(example_site: Path, serve_dir, tmp_path: Path, path: str) -> None:  # type: ignore[no-untyped-def]
    if not LIGHTHOUSE.is_file():
        pytest.fail(f"{LIGHTHOUSE} is missing: run `npm ci` (lighthouse is pinned in package.json)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup.sh --test`")
    out = tmp_path / "report.json"
    subprocess.run(["node", str(LIGHTHOUSE), serve_dir(example_site) + path, "--only-categories=accessibility,seo",
                    "--output=json", f"--output-path={out}", "--quiet",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
                   check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["configSettings"]["formFactor"] == "mobile"
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    failing = [k for k, a in report["audits"].items() if a.get("score") == 0 and a.get("scoreDisplayMode") == "binary"]
    assert scores["accessibility"] == 100, failing
    assert scores["seo"] >= 95, failing
