"""The post-build privacy scan alone: CPU of scanning a built site in one process.

    PYTHONPATH=<code> python benchmarks/scan_bench.py benchmarks/work/site-10000 [--check]

Every file `published_scan.scan_files` would scan is read into memory first; then the process
CPU time of `file_findings` over all of them, in order, with empty memos (as one worker starts),
is printed. Run it with PYTHONPATH pointing at two versions of the code, alternately, to compare.

`--check`: also compare, for every HTML file and for a copy of every seventh one with a mobile
number planted at a random place (split by a random line break and separators half the time),
the findings with those of scanning the whole page's text at once (the algorithm before pages
were read in passages): exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 26)  # the build day of the benchmark corpus (`run.py`)


def whole_page(data: bytes) -> list:
    from gongkai.rules.privacy import scan_text
    from gongkai.rules.published_text import join_digit_groups, visible_text

    text = visible_text(data.decode("utf-8", "replace"), True, join=False)
    found: dict = {}
    for line in (*text.split("\n"), *join_digit_groups(text).split("\n")):
        for f in scan_text(line, TODAY):
            digits = "".join(c for c in unicodedata.normalize("NFKC", f.found) if c.isdigit() or c in "Xx")
            found.setdefault((f.kind, digits), f)
    return list(found.values())


def planted(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8")
    number = rng.choice(["13812345678", "138\n1234\n5678", "138 \n1234-5678", "1381234\u200b5678", "１３８１２３４５６７８"])
    at = rng.randrange(len(text) + 1)
    return (text[:at] + number + text[at:]).encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    from gongkai.published_scan import SCANNED, SKIPPED, file_findings

    files = sorted(p.relative_to(args.site).as_posix() for p in args.site.rglob("*") if p.is_file())
    todo = [(rel, (args.site / rel).read_bytes()) for rel in files if rel.endswith(SCANNED) and not rel.startswith(SKIPPED)]
    html = sum(rel.endswith(".html") for rel, _ in todo)
    start = time.process_time()
    hits = sum(bool(file_findings(rel, data, frozenset(), TODAY)) for rel, data in todo)
    print(f"{len(todo)} files ({html} HTML), {hits} with findings: {time.process_time() - start:.2f} CPU-s")
    if not args.check:
        return 0
    rng = random.Random(14)
    compared = differ = hits = 0
    for index, (rel, data) in enumerate(todo):
        if not rel.endswith(".html"):
            continue
        for version in (data, planted(data, rng)) if index % 7 == 0 else (data,):
            compared += 1
            found = file_findings(rel, version, frozenset(), TODAY)
            hits += bool(found)
            if found != whole_page(version):
                differ += 1
                print("differs:", rel)
    print(f"compared {compared} pages ({hits} with findings) with the whole-page scan: {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
