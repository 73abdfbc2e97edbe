#!/usr/bin/env python3
"""Reliability benchmark: bad input never crashes, nothing leaks, nothing is lost.

Runs, and writes the figures to benchmarks/out/reliability.json:

1. fuzz: ≥ 10,000 hypothesis-generated content trees (the strategies of tests/test_fuzz_build.py)
   through load + validate in-process; a crash is any exception, or a diagnostic without a file
   and line.
2. builds: a few hundred generated trees through the whole build(), each with a 不予公开 and a
   依申请公开 canary document added; every file of every built site is searched for the canaries
   (and checked for scripts coming from content), plus the canary town and the example content
   of tests/test_leaks.py.
3. kills: the SIGKILL campaign of tests/test_atomic_kill.py on a 1,500-document town.

    python benchmarks/reliability.py                  # full run (several minutes)
    python benchmarks/reliability.py --cases 500 --builds 20 --kills 4 --docs 300   # smoke
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

import test_leaks
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from test_atomic_kill import kill_campaign
from test_fuzz_build import FuzzSite, check_result, diagnostic_problems, sites

from gongkai.build import BuildOptions, build
from gongkai.loading import load_content
from gongkai.validate import validate

TODAY = date(2026, 11, 26)


class Tally:
    def __init__(self) -> None:
        self.cases = 0
        self.refused = 0
        self.accepted = 0
        self.crashes: list[dict[str, str]] = []
        self.diagnostics = 0


def record_crash(tally: Tally, site: FuzzSite, what: str) -> None:
    if len(tally.crashes) < 20:
        tally.crashes.append({"error": what[-3000:], "files": json.dumps(
            {k: v.decode("utf-8", "replace")[:500] for k, v in site.files.items()}, ensure_ascii=False)})
    else:
        tally.crashes.append({"error": what.splitlines()[-1] if what else "?"})


def fuzz_load_validate(cases: int, rng_seed: int) -> Tally:
    tally = Tally()
    work = Path(tempfile.mkdtemp(prefix="gongkai-reliability-"))

    @seed(rng_seed)
    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(sites())
    def one(site: FuzzSite) -> None:
        tally.cases += 1
        root = work / str(tally.cases)
        try:
            content = site.write(root)
            raw = load_content(content)
            result, diags = validate(raw, TODAY)
            problems = [p for d in diags.items for p in diagnostic_problems(d)]
            tally.diagnostics += len(diags.items)
            if diags.errors or result is None:
                tally.refused += 1
            else:
                tally.accepted += 1
            if problems:
                record_crash(tally, site, "; ".join(problems))
        except Exception:  # noqa: BLE001 — the point is to count them
            record_crash(tally, site, traceback.format_exc())
        finally:
            shutil.rmtree(root, ignore_errors=True)

    try:
        one()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tally


def canary_files_for_fuzz() -> dict[str, bytes]:
    files = test_leaks.canary_files()
    files.pop("documents/2026/dibao.md")  # the generated tree has its own
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items() if v is not None}


def fuzz_builds(count: int, rng_seed: int, leaks: dict) -> Tally:  # type: ignore[type-arg]
    """Whole builds of generated trees with canary documents added; every output file scanned."""
    tally = Tally()
    needles = test_leaks.needles()
    needles.pop("p_comment")  # the public canary document is replaced by generated ones
    for key in [k for k in needles if k.startswith("p_comment")]:
        needles.pop(key)
    extra = canary_files_for_fuzz()

    @seed(rng_seed + 1)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(sites(), st.booleans())
    def one(site: FuzzSite, with_base_url: bool) -> None:
        tally.cases += 1
        site.files.update(extra)
        tmp = Path(tempfile.mkdtemp(prefix="gongkai-reliability-build-"))
        try:
            content = site.write(tmp)
            out = tmp / "site"
            result = build(BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY, jobs=1,
                                        project=REPO, base_url=test_leaks.BASE_URL if with_base_url else None))
            problems = check_result(result, out)
            if problems:
                record_crash(tally, site, "; ".join(problems))
            if result.ok:
                tally.accepted += 1
                found = test_leaks.scan(out, needles)
                leaks["checked_files"] += found.files
                leaks["found"] += [list(x) for x in found.leaks]
            else:
                tally.refused += 1
        except Exception:  # noqa: BLE001
            record_crash(tally, site, traceback.format_exc())
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    one()
    return tally


def fixed_leak_checks(leaks: dict) -> None:  # type: ignore[type-arg]
    """The canary town and the example content, as in tests/test_leaks.py."""
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-reliability-leaks-"))
    try:
        from sitekit import make_site

        for name, content, needles in [
            ("canary", make_site(tmp / "canary", test_leaks.canary_files()), test_leaks.needles()),
            ("example", REPO / "content", test_leaks.example_canaries(REPO / "content")[0]),
        ]:
            out = tmp / f"{name}-site"
            result = build(BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY,
                                        jobs=1, project=REPO, base_url=test_leaks.BASE_URL))
            if not result.ok:
                leaks["found"].append([name, "build failed", ""])
                continue
            found = test_leaks.scan(out, needles)
            leaks["checked_files"] += found.files
            leaks["found"] += [list(x) for x in found.leaks]
            leaks["canaries"] += len(needles)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="generated trees through load + validate")
    parser.add_argument("--builds", type=int, default=300, help="generated trees through build() + leak scan")
    parser.add_argument("--kills", type=int, default=40, help="SIGKILLs in the atomicity campaign")
    parser.add_argument("--docs", type=int, default=1500, help="documents in the kill-campaign town")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("GONGKAI_SEED", "20261126")))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "reliability.json")
    args = parser.parse_args(argv)

    report: dict[str, object] = {"seed": args.seed}
    timings: dict[str, float] = {}

    start = time.perf_counter()
    fuzz = fuzz_load_validate(args.cases, args.seed)
    timings["fuzz_load_validate"] = round(time.perf_counter() - start, 1)
    print(f"fuzz: {fuzz.cases} trees, {fuzz.refused} refused, {fuzz.accepted} accepted, {len(fuzz.crashes)} crashes "
          f"({timings['fuzz_load_validate']} s)", flush=True)

    leaks: dict[str, object] = {"checked_files": 0, "found": [], "canaries": 0}
    start = time.perf_counter()
    builds = fuzz_builds(args.builds, args.seed, leaks)
    fixed_leak_checks(leaks)
    timings["builds_and_leaks"] = round(time.perf_counter() - start, 1)
    print(f"builds: {builds.cases} trees, {builds.accepted} built, {len(builds.crashes)} crashes; "
          f"leak scan: {leaks['checked_files']} files, {len(leaks['found'])} leaks "
          f"({timings['builds_and_leaks']} s)", flush=True)

    campaign = None
    if args.kills:
        start = time.perf_counter()
        work = REPO / "benchmarks" / "work" / "reliability-kills"
        campaign = kill_campaign(work, n_docs=args.docs, kills=args.kills, seed=args.seed)
        shutil.rmtree(work, ignore_errors=True)
        timings["kills"] = round(time.perf_counter() - start, 1)
        print(f"kills: {campaign.kills} SIGKILLs, {campaign.survived} survived, failures: {campaign.failures} "
              f"({timings['kills']} s)", flush=True)

    crashes = fuzz.crashes + builds.crashes
    report.update({
        "bad_input_cases": fuzz.cases + builds.cases,
        "crashes": len(crashes),
        "leaks_checked_files": leaks["checked_files"],
        "leaks": len(leaks["found"]),  # type: ignore[arg-type]
        "kills": campaign.kills if campaign else 0,
        "kills_survived": campaign.survived if campaign else 0,
        "details": {
            "load_validate": {"cases": fuzz.cases, "refused_with_errors": fuzz.refused, "accepted": fuzz.accepted,
                              "diagnostics": fuzz.diagnostics},
            "builds": {"cases": builds.cases, "built": builds.accepted, "refused_with_errors": builds.refused},
            "canaries_in_fixed_sites": leaks["canaries"],
            "leaks_found": leaks["found"][:50],  # type: ignore[index]
            "crash_examples": crashes[:5],
            "kill_campaign": asdict(campaign) if campaign else None,
            "timings_s": timings,
        },
    })
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    summary = {k: report[k] for k in ("bad_input_cases", "crashes", "leaks_checked_files", "leaks", "kills", "kills_survived")}
    print(json.dumps(summary, ensure_ascii=False))
    ok = not crashes and not leaks["found"] and (campaign is None or (not campaign.failures and campaign.survived == campaign.kills))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
