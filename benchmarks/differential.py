"""The long differential campaign: random edit sequences on a small town, after every edit the
rebuilt `site/` and diagnostics must equal a clean build's, byte for byte.

    python benchmarks/differential.py [--sequences 2000] [--steps 4] [--seed 1] [--edits all|display]

The town and the edits are `tests/difftown.py`, shared with `tests/test_differential.py` (which
runs 200 derandomised sequences). Writes benchmarks/out/differential.json: {sequences, steps,
ways (how the rebuilds went: quick, full, failed), failures (the first problems found, each with
its shrunk sequence), seconds} and exits 1 if any sequence found a difference.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))

from difftown import display_edits, edits, run_sequence, scratch
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=4, help="longest sequence")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", choices=["all", "display"], default="all",
                        help="display: only bodies, titles, summaries, keywords and the day (the quick path)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "differential.json")
    args = parser.parse_args(argv)
    tally: dict[str, int] = {}
    failures: list[dict[str, object]] = []
    count = 0
    started = time.perf_counter()
    tmp = scratch()
    try:
        root = tmp / "town"

        @seed(args.seed)
        @settings(max_examples=args.sequences, deadline=None, database=None, print_blob=False,
                  suppress_health_check=list(HealthCheck))
        @given(sequence=st.lists(edits() if args.edits == "all" else display_edits(), min_size=1, max_size=args.steps))
        def campaign(sequence: list[tuple]) -> None:  # type: ignore[type-arg]
            nonlocal count
            count += 1
            try:
                problems = run_sequence(root, sequence, tally)
            except Exception as exc:  # noqa: BLE001 - a build that raises is a bug like any difference
                problems = [f"{type(exc).__name__}: {exc}"]
            if problems:
                failures.append({"sequence": [list(e) for e in sequence], "problems": problems})
                raise AssertionError(problems[0])

        try:
            campaign()
        except AssertionError:
            pass  # hypothesis shrank it: the last failure recorded is the smallest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    seconds = round(time.perf_counter() - started, 1)
    report = {"edits": args.edits, "seed": args.seed, "sequences": count, "steps": sum(tally.values()), "ways": tally,
              "failures": failures[-1:] if failures else [], "seconds": seconds}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
