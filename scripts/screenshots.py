#!/usr/bin/env python3
"""Build the example town and take the README screenshots (desktop 1280 px and phone 360 px),
and two phone-only shots at 360 px: an item page (its rows wrap, nothing runs off the screen)
and a document's wide table (it scrolls inside its own box, with the hint above it).

    python scripts/screenshots.py          # writes docs/screenshots/*.png
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gongkai.build import BuildOptions, build

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = [
    ("index.html", "home"),
    ("documents/2024/gaoling-jintie-shenling-fafang-banfa.html", "document"),
    ("villages/jingtou.html", "village"),
]

# phone only (360 px): (page, file name, element scrolled to the top of the screen or None)
PHONE_SHOTS = [
    ("items/ylfw-gaoling-fafang.html", "item-phone", None),
    ("documents/2024/yusuan-2024.html", "document-table-phone", ".body .table-scroll"),
]


def main() -> int:
    from playwright.sync_api import sync_playwright

    out_dir = REPO / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = build(BuildOptions(content=REPO / "content", output=site, templates=REPO / "templates",
                                    today=date(2026, 11, 26), project=REPO, jobs=1))
        if not result.ok:
            print("\n".join(d.text() for d in result.diagnostics.errors))
            return 1
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for rel, name in SHOTS:
                target = site / rel
                if not target.exists():  # fall back to the first document when content changes
                    target = next(p for p in sorted((site / "documents").rglob("*.html")) if p.name != "index.html")
                for width, suffix, scale in ((1280, "desktop", 1), (360, "phone", 2)):
                    page = browser.new_page(viewport={"width": width, "height": 860}, device_scale_factor=scale)
                    page.goto(target.resolve().as_uri())
                    page.screenshot(path=str(out_dir / f"{name}-{suffix}.png"), full_page=False)
                    page.close()
                    print(f"wrote docs/screenshots/{name}-{suffix}.png")
            for rel, name, anchor in PHONE_SHOTS:
                page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
                page.goto((site / rel).resolve().as_uri())
                if anchor:  # the element near the top, the heading above it still in view
                    page.evaluate(f"window.scrollTo(0, document.querySelector({anchor!r}).getBoundingClientRect().top + scrollY - 120)")
                page.screenshot(path=str(out_dir / f"{name}.png"), full_page=False)
                page.close()
                print(f"wrote docs/screenshots/{name}.png")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
