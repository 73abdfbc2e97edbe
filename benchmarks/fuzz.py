"""Fuzz the content checker in-process: ≥ 10,000 mutated files through the `gongkai check` path.

    python benchmarks/fuzz.py [--cases 10000] [--seed 1]

Each case mutates one valid file of some content kind (see tests/test_fuzz_loader.py), runs
load + validate + cross-references + governance rules exactly as `gongkai check` does, formats
the diagnostics in all three output formats, and records:

- crashes: any exception that escaped (each is a bug in the loader or validator);
- diagnostics_without_location: diagnostics without a path, with line/col < 1, with a line past
  the end of the file, or without a Chinese message.

Writes benchmarks/out/fuzz.json: {cases, crashes, diagnostics_without_location, seconds, ...}
and exits 1 if any crash or unlocated diagnostic was found.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))

from test_fuzz_loader import SEEDS, check_bytes, fuzz_tree, mutate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "fuzz.json")
    args = parser.parse_args(argv)

    rnd = random.Random(args.seed)
    kinds = sorted(SEEDS)
    crashes: list[dict[str, str]] = []
    unlocated: list[dict[str, str]] = []
    codes: Counter[str] = Counter()
    clean = 0
    started = time.perf_counter()
    with fuzz_tree() as content:
        for case in range(args.cases):
            kind = kinds[case % len(kinds)]
            rel, original = SEEDS[kind]
            data = mutate(original, random.Random(rnd.getrandbits(64)))
            try:
                diags, problems = check_bytes(content, rel, data, original)
            except Exception as exc:  # noqa: BLE001 - the point is to catch everything
                crashes.append({"case": str(case), "kind": kind, "input": data.decode("utf-8", "replace"),
                                "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
                continue
            for problem in problems:
                unlocated.append({"case": str(case), "kind": kind, "input": data.decode("utf-8", "replace"), "problem": problem})
            if not diags.errors:
                clean += 1
            codes.update(d.code or "?" for d in diags.errors)
    seconds = round(time.perf_counter() - started, 2)
    report = {
        "cases": args.cases,
        "crashes": len(crashes),
        "diagnostics_without_location": len(unlocated),
        "seconds": seconds,
        "seed": args.seed,
        "cases_without_errors": clean,
        "error_codes": dict(codes.most_common()),
        "crash_examples": crashes[:20],
        "unlocated_examples": unlocated[:20],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{args.cases} cases, {len(crashes)} crashes, {len(unlocated)} diagnostics without location, "
          f"{seconds} s → {args.out}")
    return 1 if crashes or unlocated else 0


if __name__ == "__main__":
    raise SystemExit(main())
