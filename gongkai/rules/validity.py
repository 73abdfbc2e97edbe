"""有效性 (validity) of documents, and the `repeals:` / `amends:` links between them.

A document's `validity` is one of 有效, 失效, 废止, 已修订 (`models.Validity`). A decision that names
documents in `repeals:` (废止决定) or `amends:` (修订决定) changes theirs: once the decision is
published (主动公开, `published` on or before `site.today`), every document it repeals is 废止 and
every document it amends is 已修订 — whatever the repealed file itself says, so that the clerk
edits one file (the decision) and every page agrees. Pages show the decision on the documents it
names and the documents on the decision (`render/views.py`).

`validity_counts(site, year)` gives the figures of the 2021 annual-report format, part 二, for
行政规范性文件 (`normative: true`): 本年制发, 本年废止 (repealed by a decision published in the
year) and 现行有效 at the end of the year (published by then and neither repealed, nor 失效 /
废止 in its own `validity`; an amended document is still in force).

Dangling and self links are errors of `validate/xref.py` (`xref.unknown_repeals`, ...).
Everything here is a pure function of the validated site.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..engine import derivation
from ..models import Attribute, Validity
from ..site import Site


def _in_effect(site: Site, doc_id: str, on: date) -> bool:
    """A decision acts from its publication: 主动公开 and published on or before `on`."""
    doc = site.documents[doc_id].model
    return doc.attribute is Attribute.ACTIVE and doc.published is not None and doc.published <= on


def _named_by(site: Site, field_name: str, on: date) -> dict[str, list[str]]:
    """Memoised per build (`Site.derived`): every document page asks."""
    key = (f"named_by:{field_name}", on.isoformat())
    return site.derived.memo(key, lambda: _compute_named_by(site, field_name, on))  # type: ignore[attr-defined, no-any-return]


@derivation("named_by")
def _named_by_again(site: Site, key: tuple[str, str]) -> dict[str, list[str]]:
    """For the build engine: the value under `key` in a build where no page asked for it yet."""
    return _named_by(site, key[0].partition(":")[2], date.fromisoformat(key[1]))


def _compute_named_by(site: Site, field_name: str, on: date) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(site.documents):
        if not _in_effect(site, doc_id, on):
            continue
        for target in getattr(site.documents[doc_id].model, field_name):
            if target in site.documents and target != doc_id:
                out[target].append(doc_id)
    return dict(out)


def repealed_by(site: Site, on: date | None = None) -> dict[str, list[str]]:
    """Document id → the published decisions that repeal it (by id), as of `on` (default today)."""
    return _named_by(site, "repeals", on or site.today)


def amended_by(site: Site, on: date | None = None) -> dict[str, list[str]]:
    """Document id → the published decisions that amend it, as of `on` (default today)."""
    return _named_by(site, "amends", on or site.today)


def current_validity(site: Site, doc_id: str, on: date | None = None) -> Validity | None:
    """废止 if a published decision repeals it, 已修订 if one amends it, else its own `validity`."""
    if doc_id in repealed_by(site, on):
        return Validity.REPEALED
    if doc_id in amended_by(site, on):
        return Validity.AMENDED
    return site.documents[doc_id].model.validity


@dataclass(frozen=True)
class ValidityCounts:
    """本年制发 / 本年废止 / 现行有效 行政规范性文件 of one year (document ids, sorted)."""

    year: int
    issued: tuple[str, ...]
    repealed: tuple[str, ...]
    in_force: tuple[str, ...]


def _published_in(site: Site, doc_id: str, year: int) -> bool:
    published = site.documents[doc_id].model.published
    return published is not None and published.year == year


def validity_counts(site: Site, year: int) -> ValidityCounts:
    """The annual report's figures for normative documents (see the module docstring)."""
    end = date(year, 12, 31)
    normative = sorted(
        d for d, e in site.documents.items() if e.model.normative and e.model.attribute is Attribute.ACTIVE
    )
    repeals = repealed_by(site, end)
    issued = [d for d in normative if _published_in(site, d, year)]
    repealed = [d for d in normative if any(_published_in(site, by, year) for by in repeals.get(d, []))]
    in_force = [
        d for d in normative
        if _in_effect(site, d, end)
        and d not in repeals
        and site.documents[d].model.validity not in (Validity.EXPIRED, Validity.REPEALED)
    ]
    return ValidityCounts(year, tuple(issued), tuple(repealed), tuple(in_force))


__all__ = ["ValidityCounts", "amended_by", "current_validity", "repealed_by", "validity_counts"]
