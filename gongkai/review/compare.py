"""Compare two loaded versions of the content: what a change does to the public record.

Pure: it receives the raw records and diagnostics of each side (already loaded and validated)
and returns a `ContentDiff`. Documents are compared on their raw front matter (every scalar a
string), so a document that fails validation on one side is still compared; the attribute is
normalised the way the model does (此件公开发布 → 主动公开).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics, Severity
from ..loading import RawContent
from ..models import Attribute, Document
from ..models.common import as_list, normalise_attribute

# Less disclosure = higher rank. A move up this scale is highlighted for the reviewer.
DISCLOSURE_RANK = {Attribute.ACTIVE: 0, Attribute.ON_REQUEST: 1, Attribute.WITHHELD: 2}
BODY = "正文"
KIND_LABELS = {"village": "村（社区）", "area": "公开目录领域", "guide": "办事指南", "consultation": "征求意见",
               "list": "清单", "town": "网站设置 site.yaml", "institution": "机构信息 institution.yaml",
               "application": "依申请公开申请登记（内部）", "annual": "年度报告数据"}


@dataclass(frozen=True)
class Doc:
    id: str
    path: str
    title: str
    attribute: Attribute | None
    data: dict[str, Any] = field(compare=False, hash=False)
    body_hash: str = ""

    @property
    def public(self) -> bool:
        return self.attribute is not Attribute.WITHHELD

    @property
    def villages(self) -> list[str]:
        value = as_list(self.data.get("villages"))
        return [str(v) for v in value] if isinstance(value, list) else []

    @property
    def published(self) -> str | None:
        value = self.data.get("published")
        return str(value) if value else None

    def get(self, key: str) -> str:
        value = self.data.get(key)
        return "" if value is None else str(value)


@dataclass
class Side:
    label: str
    docs: dict[str, Doc]
    files: dict[tuple[str, str], tuple[str, str]]  # (kind, id) -> (path, source hash)
    items: dict[str, tuple[str, str]]  # catalog item id -> (area path, name)
    villages: dict[str, str]  # slug -> name
    diagnostics: Diagnostics


@dataclass
class Changed:
    before: Doc
    after: Doc
    fields: list[str]  # keys, BODY for the body


@dataclass
class ContentDiff:
    base: Side
    head: Side
    added: list[Doc] = field(default_factory=list)
    removed: list[Doc] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    renamed: list[tuple[Doc, Doc]] = field(default_factory=list)
    attribute_changes: list[Changed] = field(default_factory=list)
    new_errors: list[Diagnostic] = field(default_factory=list)
    new_warnings: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    villages: dict[str, list[str]] = field(default_factory=dict)  # slug -> reasons
    town_wide: bool = False  # a town-wide public document changed (shown on every village page)
    other: list[tuple[str, str, str]] = field(default_factory=list)  # (change, kind label, path)
    items_added: list[tuple[str, str, str]] = field(default_factory=list)  # (id, area path, name)
    items_removed: list[tuple[str, str, str]] = field(default_factory=list)
    # Set by `public_view`: what was left out of a report that anyone may read.
    public: bool = False
    withheld: int = 0  # changes (added, edited, moved, deleted) of documents not public on a side
    withheld_downgrades: int = 0  # documents that become 不予公开 (or unreadable) in this change
    withheld_problems: int = 0  # new errors and warnings in such documents

    @property
    def downgrades(self) -> list[Changed]:
        return [c for c in self.attribute_changes if is_downgrade(c)]

    @property
    def removed_published(self) -> list[Doc]:
        return [d for d in self.removed if d.attribute is Attribute.ACTIVE and d.published]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.renamed or self.other
                    or self.items_added or self.items_removed)


def is_downgrade(change: Changed) -> bool:
    a, b = change.before.attribute, change.after.attribute
    return a is not None and b is not None and DISCLOSURE_RANK[b] > DISCLOSURE_RANK[a]


def field_label(key: str) -> str:
    """`title（标题）` for a front-matter key, using the model's Chinese titles."""
    if key == BODY:
        return BODY
    info = Document.model_fields.get(key)
    return f"{key}（{info.title}）" if info is not None and info.title else key


def _attribute(value: Any) -> Attribute | None:
    try:
        return Attribute(normalise_attribute(value))
    except ValueError:
        return None


def side_from(label: str, raw: RawContent, diags: Diagnostics) -> Side:
    docs: dict[str, Doc] = {}
    files: dict[tuple[str, str], tuple[str, str]] = {}
    items: dict[str, tuple[str, str]] = {}
    villages: dict[str, str] = {}
    for record in raw.records:
        data = record.data if isinstance(record.data, dict) else {}
        if record.kind == "document":
            body = hashlib.sha256(record.body.strip().encode("utf-8")).hexdigest()
            docs[record.id] = Doc(record.id, record.path, str(data.get("title") or ""),
                                  _attribute(data.get("attribute")), data, body)
            continue
        files[(record.kind, record.id)] = (record.path, record.source_hash)
        if record.kind == "village":
            villages[record.id] = str(data.get("name") or record.id)
        if record.kind == "area":
            for item in data.get("items") or [] if isinstance(data.get("items"), list) else []:
                if isinstance(item, dict) and item.get("id"):
                    name = " / ".join(str(item[k]) for k in ("level1", "level2") if item.get(k))
                    items.setdefault(str(item["id"]), (record.path, name))
    return Side(label, docs, files, items, villages, diags)


def _diag_key(d: Diagnostic) -> tuple[str, str, str, str, str]:
    """Identity of a problem across versions: everything but its position (edits shift lines)."""
    return (d.path, d.severity.value, d.code, d.message, d.hint)


def _new_diagnostics(base: Diagnostics, head: Diagnostics) -> tuple[list[Diagnostic], list[Diagnostic]]:
    before = Counter(_diag_key(d) for d in base.sorted())
    after = Counter(_diag_key(d) for d in head.sorted())
    new, fixed = [], []
    seen: Counter[tuple[str, str, str, str, str]] = Counter()
    for d in head.sorted():
        key = _diag_key(d)
        seen[key] += 1
        if seen[key] > before[key]:
            new.append(d)
    seen.clear()
    for d in base.sorted():
        key = _diag_key(d)
        seen[key] += 1
        if seen[key] > after[key]:
            fixed.append(d)
    return new, fixed


def _changed_fields(a: Doc, b: Doc) -> list[str]:
    order = {k: n for n, k in enumerate(Document.model_fields)}
    keys = sorted(set(a.data) | set(b.data), key=lambda k: (order.get(k, len(order)), k))
    out = [k for k in keys if a.data.get(k) != b.data.get(k)]
    if a.body_hash != b.body_hash:
        out.append(BODY)
    return out


def compare(base: Side, head: Side) -> ContentDiff:
    diff = ContentDiff(base, head)
    added = [head.docs[i] for i in sorted(set(head.docs) - set(base.docs))]
    removed = [base.docs[i] for i in sorted(set(base.docs) - set(head.docs))]
    # A moved file (same title, same 成文日期) is one document with a new address, not two.
    by_key = {(d.title, d.get("created")): d for d in added}
    for old in list(removed):
        new = by_key.pop((old.title, old.get("created")), None)
        if new is not None and old.title:
            diff.renamed.append((old, new))
            removed.remove(old)
            added.remove(new)
    diff.added, diff.removed = added, removed
    for doc_id in sorted(set(base.docs) & set(head.docs)):
        a, b = base.docs[doc_id], head.docs[doc_id]
        fields = _changed_fields(a, b)
        if fields:
            change = Changed(a, b, fields)
            diff.changed.append(change)
            if a.attribute is not b.attribute and a.attribute is not None and b.attribute is not None:
                diff.attribute_changes.append(change)
    for old, new in diff.renamed:
        if old.attribute is not new.attribute and old.attribute and new.attribute:
            diff.attribute_changes.append(Changed(old, new, ["attribute"]))
    new, diff.fixed = _new_diagnostics(base.diagnostics, head.diagnostics)
    diff.new_errors = [d for d in new if d.severity is Severity.ERROR]
    diff.new_warnings = [d for d in new if d.severity is Severity.WARNING]
    _other_files(diff)
    _villages(diff)
    return diff


def _other_files(diff: ContentDiff) -> None:
    base, head = diff.base.files, diff.head.files
    for key in sorted(set(base) | set(head)):
        label = KIND_LABELS.get(key[0], key[0])
        if key not in base:
            diff.other.append(("新增", label, head[key][0]))
        elif key not in head:
            diff.other.append(("删除", label, base[key][0]))
        elif base[key][1] != head[key][1]:
            diff.other.append(("修改", label, head[key][0]))
    a, b = diff.base.items, diff.head.items
    diff.items_added = [(i, *b[i]) for i in sorted(set(b) - set(a))]
    diff.items_removed = [(i, *a[i]) for i in sorted(set(a) - set(b))]


def _villages(diff: ContentDiff) -> None:
    """Village pages that will look different: their documents or their own file changed."""
    reasons: dict[str, list[str]] = {}

    def touch(doc: Doc, why: str) -> None:
        if not doc.public:
            return
        if not doc.villages:
            diff.town_wide = True
        for slug in doc.villages:
            reasons.setdefault(slug, []).append(f"{why}《{doc.title}》")

    for doc in diff.added:
        touch(doc, "新增")
    for doc in diff.removed:
        touch(doc, "删除")
    for old, new in diff.renamed:
        touch(old, "移动")
        touch(new, "移动")
    for change in diff.changed:
        before, after = change.before, change.after
        if before.public and after.public:
            touch(before, "修改")
            touch(after, "修改")
        elif before.public:
            touch(before, "不再公开")
        else:
            touch(after, "开始公开")
    for change, kind, path in diff.other:
        if kind == KIND_LABELS["village"]:
            slug = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            reasons.setdefault(slug, []).append(f"村信息{change}")
    diff.villages = {slug: list(dict.fromkeys(why)) for slug, why in sorted(reasons.items())}


def _shown(doc: Doc) -> bool:
    """Safe to name in a public report: public on this side (an unreadable attribute is not)."""
    return doc.attribute in (Attribute.ACTIVE, Attribute.ON_REQUEST)


def public_view(diff: ContentDiff) -> ContentDiff:
    """The diff as anyone may read it (a PR comment): no document that is not public on either
    side is named — no id, title, 文号 or reason; only counts remain. Reasons of downgrades are
    dropped too (they are written for the internal register)."""
    out = ContentDiff(diff.base, diff.head, public=True)
    hidden = [d for side in (diff.base, diff.head) for d in side.docs.values() if not _shown(d)]
    hidden_paths = {d.path for d in hidden}
    # a rule on another file may quote a withheld document (a duplicate 文号, a cross-reference)
    hidden_words = {w for d in hidden for w in (d.id, d.title, d.get("doc_number")) if len(w) >= 2}

    def named(d: Diagnostic) -> bool:
        return (d.path in hidden_paths or "/applications/" in "/" + d.path.replace("\\", "/")
                or any(w in d.message or w in d.hint for w in hidden_words))

    out.added = [d for d in diff.added if _shown(d)]
    out.removed = [d for d in diff.removed if _shown(d)]
    out.renamed = [(a, b) for a, b in diff.renamed if _shown(a) and _shown(b)]
    out.changed = [c for c in diff.changed if _shown(c.before) and _shown(c.after)]
    out.attribute_changes = [c for c in diff.attribute_changes if _shown(c.before) and _shown(c.after)]
    out.withheld = (len(diff.added) - len(out.added) + len(diff.removed) - len(out.removed)
                    + len(diff.renamed) - len(out.renamed) + len(diff.changed) - len(out.changed))
    out.withheld_downgrades = sum(1 for c in diff.attribute_changes if _shown(c.before) and not _shown(c.after))
    for name in ("new_errors", "new_warnings", "fixed"):
        kept = [d for d in getattr(diff, name) if not named(d)]
        if name != "fixed":
            out.withheld_problems += len(getattr(diff, name)) - len(kept)
        setattr(out, name, kept)
    # the register of applications is internal: not even its file names go into a public report
    out.other = [o for o in diff.other if o[1] != KIND_LABELS["application"]]
    out.items_added, out.items_removed = diff.items_added, diff.items_removed
    _villages(out)
    return out
