"""法定主动公开内容为空: a category of 条例第二十条 / 第二十一条 with nothing published.

`institution.yaml` → `statutory` maps each category to catalog items and 文种. A category holds
the public documents (主动公开, and 依申请公开 metadata) of those items, kinds and listed documents; 规章和规范性文件
also holds every document flagged `normative`, and 机关职能… is the institution file itself. The
column page (`statutory.html`) lists every category, empty ones included; `check` warns about
each empty category (no document and no `absent` statement of the town that it holds no such
information) once the town has an institution file (a site without one has no column data
to check, and its page says so).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..diagnostics import Diagnostic, warning
from ..engine import derivation
from ..models import ARTICLES, OPTIONAL_CATEGORIES, StatutoryCategory
from ..site import Site, sort_newest


def statutory_documents(site: Site) -> dict[StatutoryCategory, list[str]]:
    """Every statutory category (in the order of the Regulations) → its documents, newest first
    (once per build, `Site.derived`)."""
    return site.derived.memo(("statutory", ""), lambda: _statutory_documents(site))  # type: ignore[attr-defined, no-any-return]


@derivation("statutory")
def _statutory_again(site: Site, key: tuple[str, str]) -> dict[StatutoryCategory, list[str]]:
    return statutory_documents(site)


def _statutory_documents(site: Site) -> dict[StatutoryCategory, list[str]]:
    mapped = {m.category: m for m in site.institution.model.statutory} if site.institution else {}
    # Which categories an item, a kind or a listed document puts a document in: one pass over
    # the documents, not one per category (23 of them: 1.2 million tests at 50,000 documents).
    by_item: dict[str, set[StatutoryCategory]] = defaultdict(set)
    by_kind: dict[Any, set[StatutoryCategory]] = defaultdict(set)
    by_id: dict[str, set[StatutoryCategory]] = defaultdict(set)
    for category, mapping in mapped.items():
        for item in mapping.items:
            by_item[item].add(category)
        for kind in mapping.kinds:
            by_kind[kind].add(category)
        for doc_id in mapping.documents:
            by_id[doc_id].add(category)
    found: dict[StatutoryCategory, list[str]] = {category: [] for category in StatutoryCategory}
    none: frozenset[StatutoryCategory] = frozenset()
    for doc_id, doc in site.public_documents.items():
        model = doc.model
        categories = by_item.get(model.item, none) | by_kind.get(model.kind, none) | by_id.get(doc_id, none)  # type: ignore[arg-type]
        if model.normative:
            categories = categories | {StatutoryCategory.NORMATIVE}
        for category in categories:
            found[category].append(doc_id)
    return {category: sort_newest(site, ids) for category, ids in found.items()}


def absent_statement(site: Site, category: StatutoryCategory) -> str | None:
    """The town's statement that it holds no information of this category, if it made one."""
    for mapping in site.institution.model.statutory if site.institution else []:
        if mapping.category is category and mapping.absent:
            return mapping.absent
    return None


def is_filled(site: Site, category: StatutoryCategory, ids: list[str]) -> bool:
    """Something is shown for the category: documents, the institution file, or a statement."""
    return (bool(ids) or (category is StatutoryCategory.INSTITUTION and site.institution is not None)
            or absent_statement(site, category) is not None)


def empty_statutory_categories(site: Site) -> list[Diagnostic]:
    entry = site.institution
    if entry is None:
        return []
    where = {m.category: n for n, m in enumerate(entry.model.statutory)}
    out: list[Diagnostic] = []
    for category, ids in statutory_documents(site).items():
        if is_filled(site, category, ids) or category in OPTIONAL_CATEGORIES:
            continue
        if category in where:
            line, col = entry.marks.locate(("statutory", where[category], "category"))
            hint = "发布该类别的信息，或补充对应的目录事项（items）、文种（kinds）、文件（documents）；确无此类信息的，填写 absent 说明"
        else:
            line, col = entry.at("statutory") if entry.model.statutory else (1, 1)
            hint = f"在 statutory 中加一项 category: {category.value}，列出对应的目录事项（items）、文种（kinds）或文件（documents）；确无此类信息的，填写 absent 说明"
        out.append(warning(
            entry.path, line, col,
            f"法定主动公开内容为空：“{category.value}”（条例{ARTICLES[category]}）在本站没有任何公开的信息",
            hint, "governance.statutory_empty",
        ))
    return out
