"""Validate stage: raw records → a `Site` model, or every problem found.

Schema errors come from pydantic (mapped to YAML positions), then cross-reference rules run on
whatever validated, then governance rules (timeliness, privacy, review ...) add errors and
warnings. Nothing is written by this stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..diagnostics import Diagnostics, Severity, error
from ..gcpause import gc_paused
from ..loading import RawContent, RawRecord, load_content
from ..models import (
    AnnualData,
    Application,
    Area,
    Consultation,
    Document,
    Guide,
    Institution,
    ServiceList,
    Town,
    Village,
)
from ..site import Entry, Site
from .convert import build_model
from .memo import RuleMemo
from .output_paths import record_collisions
from .xref import check_references

if TYPE_CHECKING:
    from ..cache import BuildCache

MODELS: dict[str, type[BaseModel]] = {
    "town": Town,
    "institution": Institution,
    "village": Village,
    "area": Area,
    "document": Document,
    "guide": Guide,
    "consultation": Consultation,
    "list": ServiceList,
    "application": Application,
    "annual": AnnualData,
}


def _entry(record: RawRecord, model: BaseModel) -> Entry:  # type: ignore[type-arg]
    return Entry(record.id, record.path, model, record.marks, record.body, record.body_line, record.source_hash)


def assemble(raw: RawContent, today: date, memo: RuleMemo | None = None,
             converted: dict[str, str] | None = None) -> tuple[Site | None, Diagnostics, set[str]]:
    """Build each model; returns the site (None if site.yaml is unusable) and failed kinds."""
    diags = Diagnostics()
    diags.extend(raw.diagnostics)
    failed: set[str] = set()
    groups: dict[str, dict[str, Entry]] = {kind: {} for kind in MODELS}  # type: ignore[type-arg]
    collisions, losers = record_collisions(raw.records)
    diags.extend(collisions)
    for i, record in enumerate(raw.records):
        if i in losers:  # a reserved name, or a second file for one output path: reported above
            failed.add(record.kind)
            continue
        model, problems = build_model(MODELS[record.kind], record)
        if model is None:
            diags.extend(problems)
            failed.add(record.kind)
            continue
        groups[record.kind][record.id] = _entry(record, model)
    # files that failed to load at all also make their kind unreliable for cross-references
    for d in raw.diagnostics:
        if d.severity is not Severity.ERROR:
            continue
        for folder, kind in (("villages", "village"), ("catalog", "area"), ("documents", "document"), ("lists", "list")):
            if f"/{folder}/" in "/" + d.path:
                failed.add(kind)
    town = groups["town"].get("site")
    if town is None:
        return None, diags, failed
    site = Site(
        root=raw.root,
        town=town,
        villages=dict(sorted(groups["village"].items(), key=lambda kv: (kv[1].model.order, kv[0]))),
        areas=dict(sorted(groups["area"].items(), key=lambda kv: (kv[1].model.order, kv[0]))),
        documents=dict(sorted(groups["document"].items())),
        guides=dict(sorted(groups["guide"].items())),
        consultations=dict(sorted(groups["consultation"].items())),
        lists=dict(sorted(groups["list"].items())),
        today=today,
        memo=memo,
        converted=converted or {},
        institution=groups["institution"].get("institution"),
        applications=dict(sorted(groups["application"].items())),
        annual=dict(sorted(groups["annual"].items())),
    )
    return site, diags, failed


def validate(raw: RawContent, today: date, cache: BuildCache | None = None,
             converted: dict[str, str] | None = None) -> tuple[Site | None, Diagnostics]:
    """The whole validate stage. The site is returned only when there are no errors.

    With a build `cache`, per-document rule results of unchanged files come from the previous
    build (`memo.py`); the diagnostics are the same as without it, in the same order.
    `converted`: bodies already converted to HTML (`Site.converted`), read by the privacy scan.
    """
    with gc_paused():  # models and diagnostics live for the whole build (see gcpause.py)
        return _validate(raw, today, cache, converted)


def _validate(raw: RawContent, today: date, cache: BuildCache | None,
              converted: dict[str, str] | None = None) -> tuple[Site | None, Diagnostics]:
    memo = RuleMemo(cache.read("rules"), today) if cache is not None and cache.enabled else None
    site, diags, failed = assemble(raw, today, memo, converted)
    if site is None:
        return None, diags
    for diag in check_references(site):
        # A reference into a kind whose files failed would only repeat the first error.
        if diag.code == "xref.unknown_item" and "area" in failed:
            continue
        if diag.code == "xref.unknown_village" and "village" in failed:
            continue
        if diag.code in ("xref.unknown_policy", "xref.unknown_restates", "xref.unknown_document") and "document" in failed:
            continue
        if diag.code == "xref.unknown_entry" and "list" in failed:
            continue
        diags.add(diag)
    from ..rules.governance import check_governance  # late import: rules sit beside validate

    diags.extend(check_governance(site))
    if memo is not None and cache is not None:
        cache.stats.update(rules_reused=memo.reused, rules_computed=memo.computed)
        if memo.changed:
            cache.write("rules", memo.kept)
    return (None if diags.errors else site), diags


def check_content(content: Path, today: date,
                  overlay: Mapping[Path, bytes] | None = None) -> tuple[Site | None, Diagnostics]:
    """`gongkai check`: load + validate + cross-references + governance, no rendering.

    `today`: the day to check for (`--today`, else the day it runs: the CLI decides). `overlay`: unsaved editor text that replaces files on disk
    (see `loading.load_content`)."""
    raw = load_content(content, overlay=overlay)
    return validate(raw, today)


__all__ = ["MODELS", "check_content", "error", "validate"]
