#!/usr/bin/env python3
"""Reliability benchmark: bad input never crashes, nothing leaks, nothing is lost.

Runs, and writes the figures to benchmarks/out/reliability.json:

0. catalogues: every privacy evasion kind of tests/test_privacy_published.py plus attachment
   evasions (CSV, TXT, XLSX, DOCX, PDF, file name) through `check` — caught / tried — and the
   body and template forms through the post-build output scan; hostile attachment types
   (refused / tried); output-path collisions (reserved names, case and NFKC twins, item pages,
   attachments: caught / tried).
1. fuzz: ≥ 10,000 hypothesis-generated content trees (the strategies of tests/test_fuzz_build.py)
   through load + validate in-process; a crash is any exception, or a diagnostic without a file
   and line.
2. builds: ≥ 500 generated trees through the whole build(), each with a 不予公开 and a
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
        if tally.cases % 25 == 0:
            print(f"  builds (seed {rng_seed}): {tally.cases}/{count} done, {tally.accepted} built, "
                  f"{len(tally.crashes)} crashes", flush=True)

    one()
    return tally


def _builds_shard(task: tuple[int, int]) -> tuple[Tally, dict]:  # type: ignore[type-arg]
    count, shard_seed = task
    leaks: dict[str, object] = {"checked_files": 0, "found": [], "canaries": 0}
    return fuzz_builds(count, shard_seed, leaks), leaks


def parallel_builds(count: int, rng_seed: int, jobs: int, leaks: dict) -> Tally:  # type: ignore[type-arg]
    """`fuzz_builds` on `jobs` forked processes, each with its own seed (rng_seed + 1000·k)."""
    import multiprocessing as mp

    shares = [count // jobs + (1 if k < count % jobs else 0) for k in range(jobs)]
    with mp.get_context("fork").Pool(jobs) as pool:
        parts = pool.map(_builds_shard, [(n, rng_seed + 1000 * k) for k, n in enumerate(shares) if n])
    total = Tally()
    for tally, found in parts:
        total.cases += tally.cases
        total.accepted += tally.accepted
        total.refused += tally.refused
        total.crashes += tally.crashes
        leaks["checked_files"] += found["checked_files"]
        leaks["found"] += found["found"]
    return total


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


# --- catalogues: evasions, hostile attachment types, output-path collisions ---------------------


def _check(files: dict[str, str | bytes | None]) -> list:  # type: ignore[type-arg]
    """`gongkai check` of the base town plus `files`, in a fresh folder: the diagnostics."""
    from sitekit import make_site

    from gongkai.validate import check_content

    tmp = Path(tempfile.mkdtemp(prefix="gongkai-reliability-case-"))
    try:
        content = make_site(tmp, files)
        return check_content(content, TODAY)[1].items
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def privacy_evasions() -> dict[str, object]:
    """Every evasion kind through `check`, and the body and template ones through the output scan."""
    from sitekit import doc
    from test_attachment_privacy import ID, MOBILE, docx, pdf, xlsx
    from test_privacy_published import BODY_CASES, FIELD_CASES

    from gongkai.published_scan import file_findings
    from gongkai.render.markup import render_markdown

    cases: list[tuple[str, dict[str, str | bytes | None]]] = []
    for name, body, *_ in BODY_CASES:
        cases.append((f"body: {name}", {"documents/2026/dibao.md": doc(body=body)}))
    for name, fields, *_ in FIELD_CASES:
        extra: dict[str, str | bytes | None] = {"documents/2026/dibao.md": doc(**fields)}
        if "attachments" in fields:
            extra["attachments/a.pdf"] = b"%PDF-1.4\n%%EOF\n"
        cases.append((f"field: {name}", extra))
    attached = {
        "名单.csv": f"户主,身份证号\n张某,{ID}\n".encode(),
        "说明.txt": "联系电话：１３８－１２３４－５６７８\n".encode(),
        "名单.xlsx": xlsx({"A1": "户主", "B2": ID}),
        "电话.xlsx": xlsx({"A1": "电话", "A2": int(MOBILE)}),
        "公示.docx": docx(["公示"], [["张某", ID]]),
        "公示.pdf": pdf(["page one", f"Tel {MOBILE}"]),
        f"张某{MOBILE}.pdf": b"%PDF-1.4\n%%EOF\n",
    }
    for file_name, data in attached.items():
        text = doc(attachments=f"[attachments/2026/{file_name}]")
        cases.append((f"attachment: {file_name}", {"documents/2026/dibao.md": text, f"attachments/2026/{file_name}": data}))
    rows = []
    for name, files in cases:
        caught = any(d.code == "governance.privacy" for d in _check(files))
        rows.append({"kind": name, "caught_by_check": caught})
    # The second line: the output scan of the page each body becomes, rules or not.
    output_caught = 0
    for name, body, *_ in BODY_CASES:
        page = f"<main><h1>通知</h1>{render_markdown(body)}</main>".encode()
        output_caught += bool(file_findings("documents/2026/dibao.html", page, frozenset(), TODAY))
    template_forms = [f"手机{MOBILE}", "手机138<b>1234</b>5678", "手机&#49;3812345678", "手机１３８１２３４５６７８",
                      "手机138\u200b1234\u200b5678", "手机138<!-- x -->12345678", "手机<span>1381234</span>5678"]
    template_caught = sum(bool(file_findings("index.html", f"<footer>{form}</footer>".encode(), frozenset(), TODAY)) for form in template_forms)
    tried = len(rows)
    return {
        "kinds_tried": tried,
        "kinds_caught_by_check": sum(r["caught_by_check"] for r in rows),  # type: ignore[misc]
        "missed": [r["kind"] for r in rows if not r["caught_by_check"]],
        "body_kinds_caught_by_output_scan": output_caught,
        "body_kinds": len(BODY_CASES),
        "template_forms_caught_by_output_scan": template_caught,
        "template_forms": len(template_forms),
    }


HOSTILE_ATTACHMENTS: list[tuple[str, bytes]] = [
    ("a.html", b"<html><script>alert(1)</script></html>"),
    ("a.htm", b"<script>alert(1)</script>"),
    ("a.xhtml", b"<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>"),
    ("a.shtml", b"<!--#exec cmd='id'-->"),
    ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("a.svgz", b"\x1f\x8b\x08\x00"),
    ("a.xml", b"<?xml version='1.0'?><a/>"),
    ("a.xsl", b"<xsl:stylesheet/>"),
    ("a.js", b"alert(1)"),
    ("a.mjs", b"export default 1"),
    ("a.wasm", b"\x00asm\x01\x00\x00\x00"),
    ("a.swf", b"FWS\x09"),
    ("a.exe", b"MZ\x90\x00"),
    ("a.bat", b"@echo off"),
    ("a.ps1", b"Write-Host 1"),
    ("a.hta", b"<hta:application>"),
    ("a.php", b"<?php echo 1; ?>"),
    ("a.jar", b"PK\x03\x04"),
    ("a.pdf", b"<html><script>alert(1)</script></html>"),
    ("a.pdf", b"%PDF-1.4\n<script>alert(1)</script>"),
    ("a.png", b"<svg onload=alert(1)>"),
    ("a.jpg", b"<html><body onload=alert(1)>"),
    ("a.gif", b"GIF89a<script>alert(1)</script>"),
    ("a.txt", b"<script>alert(1)</script>"),
    ("a.csv", b"<html><script>alert(1)</script>"),
    ("a.csv", b"\xff\xfe\x00\x00binary"),
    ("a.doc", b"%PDF-1.4\n%%EOF\n"),
    ("a.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),
    ("a", b"%PDF-1.4\n%%EOF\n"),
    ("a.pdf.html", b"<script>alert(1)</script>"),
]


def attachment_types() -> dict[str, object]:
    from sitekit import doc

    refused = []
    for name, data in HOSTILE_ATTACHMENTS:
        files = {"documents/2026/dibao.md": doc(attachments=f"[attachments/{name}]"), f"attachments/{name}": data}
        refused.append(any(d.code == "xref.attachment_type" for d in _check(files)))
    return {"tried": len(refused), "refused": sum(refused),
            "accepted": [name for (name, _), ok in zip(HOSTILE_ATTACHMENTS, refused, strict=True) if not ok]}


def output_collisions() -> dict[str, object]:
    from sitekit import AREA_YAML, VILLAGE_YAML, doc

    village = VILLAGE_YAML.format(name="东村")
    pdf = b"%PDF-1.4\n%%EOF\n"
    cases: dict[str, dict[str, str | bytes | None]] = {
        "villages/index.yaml": {"villages/index.yaml": village},
        "catalog/index.yaml": {"catalog/index.yaml": AREA_YAML.replace("shjz-", "x-")},
        "guides/index.yaml": {"guides/index.yaml": "title: 指南\n"},
        "consultations/index.md": {"consultations/index.md": "---\ntitle: 征求意见\n---\n正文\n"},
        "documents/index.md": {"documents/index.md": doc()},
        "documents/INDEX.md": {"documents/INDEX.md": doc()},
        "documents/page-2.md": {"documents/page-2.md": doc()},
        "documents/Page-9.md": {"documents/Page-9.md": doc()},
        "documents/ｐａｇｅ-３.md (NFKC)": {"documents/ｐａｇｅ-３.md": doc()},
        "x.md beside x.MD": {"documents/2026/dibao.MD": doc(title="第二份")},
        "x.md beside X.md": {"documents/2026/Dibao.md": doc(title="第二份")},
        "x.md beside ｘ.md (NFKC)": {"documents/2026/ｄｉｂａｏ.md": doc(title="第二份")},
        "a.yaml beside a.yml": {"villages/dong.yaml": village, "villages/dong.yml": village},
        "a.yaml beside A.yaml": {"villages/dong.yaml": village, "villages/Dong.yaml": village},
        "guide a.yaml beside a.yml": {"guides/g.yaml": "title: 指南\n", "guides/g.yml": "title: 指南\n"},
        "list a.yaml beside A.yaml": {"lists/q.yaml": "title: 清单\n", "lists/Q.yaml": "title: 清单\n"},
        "consultation a.md beside a.MD": {"consultations/c.md": "---\ntitle: 征求意见\n---\n正文\n",
                                          "consultations/c.MD": "---\ntitle: 征求意见\n---\n正文\n"},
        "item X-2 beside item X": {"catalog/shjz.yaml": AREA_YAML.replace("id: shjz-guide", "id: shjz-dibao-2")},
        "attachments A.pdf and a.pdf": {
            "attachments/A.pdf": pdf, "attachments/a.pdf": pdf,
            "documents/2026/dibao.md": doc(attachments="[attachments/A.pdf]"),
            "documents/2026/b.md": doc(title="另一份", attachments="[attachments/a.pdf]")},
    }
    caught = {name: any(d.code.startswith("path.") for d in _check(files)) for name, files in cases.items()}
    return {"tried": len(caught), "caught": sum(caught.values()), "missed": [k for k, v in caught.items() if not v]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="generated trees through load + validate")
    parser.add_argument("--builds", type=int, default=500, help="generated trees through build() + leak scan")
    parser.add_argument("--kills", type=int, default=40, help="SIGKILLs in the atomicity campaign")
    parser.add_argument("--docs", type=int, default=1500, help="documents in the kill-campaign town")
    parser.add_argument("--jobs", type=int, default=1, help="processes for the builds (each shard its own seed)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("GONGKAI_SEED", "20261126")))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "reliability.json")
    args = parser.parse_args(argv)

    report: dict[str, object] = {"seed": args.seed}
    timings: dict[str, float] = {}

    start = time.perf_counter()
    evasions = privacy_evasions()
    types = attachment_types()
    collisions = output_collisions()
    timings["catalogues"] = round(time.perf_counter() - start, 1)
    print(f"privacy evasions: {evasions['kinds_caught_by_check']}/{evasions['kinds_tried']} kinds caught by check; "
          f"output scan: {evasions['body_kinds_caught_by_output_scan']}/{evasions['body_kinds']} bodies, "
          f"{evasions['template_forms_caught_by_output_scan']}/{evasions['template_forms']} template leaks; "
          f"attachment types refused: {types['refused']}/{types['tried']}; "
          f"output-path collisions caught: {collisions['caught']}/{collisions['tried']}", flush=True)

    start = time.perf_counter()
    fuzz = fuzz_load_validate(args.cases, args.seed)
    timings["fuzz_load_validate"] = round(time.perf_counter() - start, 1)
    print(f"fuzz: {fuzz.cases} trees, {fuzz.refused} refused, {fuzz.accepted} accepted, {len(fuzz.crashes)} crashes "
          f"({timings['fuzz_load_validate']} s)", flush=True)

    leaks: dict[str, object] = {"checked_files": 0, "found": [], "canaries": 0}
    start = time.perf_counter()
    builds = (parallel_builds(args.builds, args.seed, args.jobs, leaks) if args.jobs > 1
              else fuzz_builds(args.builds, args.seed, leaks))
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
        "privacy_evasion_kinds_tried": evasions["kinds_tried"],
        "privacy_evasion_kinds_caught": evasions["kinds_caught_by_check"],
        "attachment_types_tried": types["tried"],
        "attachment_types_refused": types["refused"],
        "output_path_collisions_tried": collisions["tried"],
        "output_path_collisions_caught": collisions["caught"],
        "check_cases": fuzz.cases,
        "build_cases": builds.cases,
        "bad_input_cases": fuzz.cases + builds.cases,
        "crashes": len(crashes),
        "leaks_checked_files": leaks["checked_files"],
        "leaks": len(leaks["found"]),  # type: ignore[arg-type]
        "kills": campaign.kills if campaign else 0,
        "kills_survived": campaign.survived if campaign else 0,
        "details": {
            "privacy_evasions": evasions,
            "attachment_types": types,
            "output_path_collisions": collisions,
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
    summary = {k: report[k] for k in (
        "privacy_evasion_kinds_tried", "privacy_evasion_kinds_caught", "attachment_types_tried", "attachment_types_refused",
        "output_path_collisions_tried", "output_path_collisions_caught", "check_cases", "build_cases", "crashes",
        "leaks_checked_files", "leaks", "kills", "kills_survived")}
    print(json.dumps(summary, ensure_ascii=False))
    ok = not crashes and not leaks["found"] and (campaign is None or (not campaign.failures and campaign.survived == campaign.kills))
    ok = ok and not evasions["missed"] and not types["accepted"] and not collisions["missed"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
