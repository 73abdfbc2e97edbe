"""The validated site model: what every later stage (render, search, reports) reads.

A `Site` is immutable once built. Derived lookups (documents by item, by village, ...) are
computed once and cached, so render work and reports share them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .engine import Derived, Tracked, facet_of, is_recording
from .loading import Marks
from .models import (
    AnnualData,
    Application,
    Area,
    Attribute,
    Consultation,
    DocKind,
    Document,
    Guide,
    Institution,
    Item,
    ServiceList,
    Town,
    Village,
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Entry(Generic[M]):
    """A validated model with where it came from."""

    id: str
    path: str
    model: M
    marks: Marks = field(default_factory=Marks, compare=False, repr=False)
    body: str = field(default="", repr=False)
    body_line: int = 1
    source_hash: str = ""

    def at(self, *key: str | int) -> tuple[int, int]:
        """Line and column of a field, for messages about it."""
        return self.marks.locate(tuple(key), prefer_key=True)


@dataclass(frozen=True)
class ItemRef:
    """A catalog item with the area it belongs to."""

    item: Item
    area_slug: str
    area: Area
    index: int  # 序号 within the area, 1-based


@dataclass
class Site:
    root: Path
    town: Entry[Town]
    villages: dict[str, Entry[Village]]
    areas: dict[str, Entry[Area]]
    documents: dict[str, Entry[Document]]
    guides: dict[str, Entry[Guide]]
    consultations: dict[str, Entry[Consultation]]
    lists: dict[str, Entry[ServiceList]]
    today: date
    #: per-document rule results of the previous build (`validate.memo.RuleMemo`), or None
    memo: Any = field(default=None, repr=False, compare=False)
    #: `institution.yaml` (机构职能、内设机构、领导), when the town has one
    institution: Entry[Institution] | None = None
    #: `applications/*.yaml`: the internal register of 政府信息公开申请 (never rendered)
    applications: dict[str, Entry[Application]] = field(default_factory=dict)
    #: `annual/<year>.yaml`: the annual report's figures from the office's books
    annual: dict[str, Entry[AnnualData]] = field(default_factory=dict)
    #: SHA-1 of a Markdown body → its sanitised HTML, converted on every core before validation
    #: (`render.parallel.convert_texts`); a body not in it is converted where it is read
    converted: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The read-only access layer of the build engine: lookups of documents are recorded
        # into the task being computed (`engine.py`); shared lookups are recorded facets.
        # (A mapping of another kind — `serve.preview`'s focused view for rules — stays as it is:
        # it is never rendered.)
        if type(self.documents) is dict:
            self.documents = Tracked(self.documents)
        if type(self.villages) is dict:
            self.villages = Tracked(self.villages, "villages:*", "villages:ids", "village")

    @facet_of("site", record=False)  # made from the catalogue (the engine's `global`)
    def items(self) -> dict[str, ItemRef]:
        out: dict[str, ItemRef] = {}
        for slug, area in self.areas.items():
            for i, item in enumerate(area.model.items, start=1):
                out.setdefault(item.id, ItemRef(item, slug, area.model, i))
        return out

    @facet_of("site", record=False)  # its lookups are recorded one by one
    def public_documents(self) -> dict[str, Entry[Document]]:
        """Documents that may appear on the site at all (主动公开 and 依申请公开 metadata)."""
        return Tracked({k: d for k, d in self.documents.items() if d.model.attribute is not Attribute.WITHHELD},
                       "pub:*", "pubids")

    @facet_of("site", by_id=True)  # its entries are recorded one by one (`Lookup`)
    def documents_by_item(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for doc_id, doc in self.public_documents.items():
            if doc.model.item:
                out[doc.model.item].append(doc_id)
        return {k: sort_newest(self, v) for k, v in out.items()}

    @facet_of("site", by_id=True)  # its entries are recorded one by one (`Lookup`)
    def documents_by_village(self) -> dict[str, list[str]]:
        """Village slug → documents addressed to it, plus town-wide ones are NOT included here."""
        out: dict[str, list[str]] = defaultdict(list)
        for doc_id, doc in self.public_documents.items():
            for slug in doc.model.villages:
                out[slug].append(doc_id)
        return {k: sort_newest(self, v) for k, v in out.items()}

    @facet_of("site", by_id=True)  # its entries are recorded one by one (`Lookup`)
    def interpretations_of(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for doc_id, doc in self.public_documents.items():
            if doc.model.interprets:
                out[doc.model.interprets].append(doc_id)
        return {k: sorted(v) for k, v in out.items()}

    @facet_of("site", by_id=True)  # its entries are recorded one by one (`Lookup`)
    def index_numbers(self) -> dict[str, str]:
        """索引号 of every document, stable across builds and unrelated edits.

        `{org_code}/{year}-{seq}`: the year is the year the document was written and `seq` comes
        from a hash of the document id, so adding or removing other documents does not renumber
        it. On a hash collision the earlier-written document keeps the slot and the later one
        probes to the next free number; an explicit `index_number` in front matter always wins.
        """
        import hashlib

        town = self.town.model
        taken: dict[int, set[int]] = defaultdict(set)
        out: dict[str, str] = {}
        created = {}  # a facet is computed untracked: plain dicts, no call per lookup
        for doc_id, doc in dict.items(self.documents):
            if doc.model.index_number:
                out[doc_id] = doc.model.index_number
            else:
                created[doc_id] = doc.model.created
        for doc_id in sorted(created, key=lambda d: (created[d], d)):
            year = created[doc_id].year
            seq = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 99999 + 1
            while seq in taken[year]:
                seq = seq % 99999 + 1
            taken[year].add(seq)
            out[doc_id] = town.index_number_format.format(org_code=town.org_code, year=year, seq=seq)
        return out

    @facet_of("site", record=False)  # its lookups are recorded one by one
    def derived(self) -> dict[tuple[str, str], object]:
        """Per-build memo of values derived from one document: (what, doc id) → value.

        Rendered bodies, their plain text and list summaries are needed by the document page,
        every listing, the feeds, the search index and the reports; keeping them here (the site
        lives exactly one build) converts each Markdown body once per build, in whichever stage
        asks first. The render stage may fill it in bulk from worker processes or the cache.
        """
        return Derived()

    @facet_of("site")
    def attachment_dirs(self) -> list[str]:
        """The top-level folders of public documents' attachments."""
        return sorted({a.file.replace("\\", "/").split("/")[0] for doc in self.public_documents.values()
                       for a in doc.model.attachments if "/" in a.file.replace("\\", "/")})

    @facet_of("site", record=False)  # made from the service lists (the engine's `global`)
    def list_entries(self) -> dict[str, tuple[str, object]]:
        """Entry code → (list slug, ListEntry) over the power and public-service lists."""
        out: dict[str, tuple[str, object]] = {}
        for slug, lst in self.lists.items():
            for entry in lst.model.entries:
                out.setdefault(entry.code, (slug, entry))
        return out


#: 文种 that go on a notice board (公示栏) and get a printable A4 page.
NOTICE_KINDS = frozenset({DocKind.PUBLIC_NOTICE, DocKind.ANNOUNCEMENT})


def is_notice(doc: Document) -> bool:
    """A 公示/公告, or any document with a notice period (valid_until)."""
    return doc.kind in NOTICE_KINDS or doc.valid_until is not None


def doc_date(doc: Document) -> date:
    return doc.published or doc.created


def sort_newest(site: Site, ids: list[str]) -> list[str]:
    """Newest first, ties broken by id so output is deterministic. Inside a task every document
    looked at is recorded (`Tracked`); in a shared lookup (untracked) the plain dict is read."""
    docs = site.documents
    entry = docs.__getitem__ if is_recording() else partial(dict.__getitem__, docs)
    return sorted(ids, key=lambda i: (-doc_date(entry(i).model).toordinal(), i))
