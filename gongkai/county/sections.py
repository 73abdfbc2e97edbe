"""Each township built into its section `<slug>/` by the ordinary township build.

A township whose content, templates, gongkai and options are unchanged since the county's last
build is not built again (its section, summary, search records and findings are kept); the
others are built one after the other, each with its own cache, so editing one township rebuilds
its section only. What the county pages need from a township (its summary and its search
records) is taken from the site the township build made, through `BuildOptions.on_site`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics, Severity
from ..journal import Journaled
from ..options import BuildOptions
from ..output import MARKER
from ..treewalk import listing_digest, walk
from .config import CountyConfig

LATEST = 50  # documents per township kept for the county home and the county feed


@dataclass
class TownSummary:
    """What the county pages show of one township (plain data, JSON in the county cache)."""

    slug: str
    name: str
    short_name: str
    documents: int = 0  # public documents (主动公开 and 依申请公开)
    villages: int = 0
    last_update: str = ""  # ISO date of the newest public document, "" if none
    latest: list[dict[str, str]] = field(default_factory=list)  # newest first: title, url, date, kind
    warnings: int = 0
    codes: dict[str, int] = field(default_factory=dict)  # warning code -> count (status)
    attributes: dict[str, int] = field(default_factory=dict)  # documents per 公开属性 (all, as the build counts)


def summarise_site(slug: str, site: Any, cat: Any) -> TownSummary:
    from ..site import doc_date

    town = site.town.model
    ids = list(cat.public_ids)  # newest first
    latest = []
    for doc_id in ids[:LATEST]:
        s = cat.summaries[doc_id]
        latest.append({"id": doc_id, "title": s.title, "url": f"{slug}/{s.url}", "date": s.date, "kind": s.kind})
    newest = max((doc_date(site.documents[i].model) for i in ids), default=None)
    return TownSummary(slug, town.name, town.short_name, len(ids), len(site.villages),
                       newest.isoformat() if newest else "", latest)


def town_records(slug: str, site: Any, cat: Any) -> list[Any]:
    """The township's search records as the county index holds them: ids and urls under `<slug>/`."""
    from ..indexing import search_records

    return [replace(r, id=f"{slug}/{r.id}", url=f"{slug}/{r.url}") for r in search_records(site, cat)]


def doc_stats(town: Path) -> dict[str, tuple[int, int]]:
    """Document id → (size, mtime) of every document file of a township."""
    return {rel[:-3]: (size, mtime) for rel, size, mtime in walk(str(town / "documents")) if rel.endswith(".md")}


def after_quick(slug: str, town: Path, records: list[Any], summary: TownSummary,
                before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]) -> tuple[list[Any], list[Any]] | None:
    """(every record, the changed records) after a quick rebuild of the township, updating
    `summary`; None: build the township fully.

    A quick rebuild happens only when documents changed at most in body, title, summary and
    keywords (`gongkai/quick/`), so the county refreshes the title and the indexed body text of
    the documents whose files changed, made as the township build makes them; anything it cannot
    account for (a document added or removed, a file that does not parse) means a full build.
    """
    from ..loading.source import parse_record
    from ..models import Document
    from ..render.markup import plain_text, render_markdown
    from ..validate.convert import build_model

    if set(before) != set(now):
        return None
    changed = {doc_id for doc_id in now if now[doc_id] != before[doc_id]}
    by_id = {r.id: i for i, r in enumerate(records)}
    out = list(records)
    titles: dict[str, str] = {}
    for doc_id in sorted(changed):
        i = by_id.get(f"{slug}/{doc_id}")
        if i is None:
            continue  # 不予公开: in no record
        path = town / "documents" / f"{doc_id}.md"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        raw, _ = parse_record("document", doc_id, text, path.as_posix(), True)
        model = build_model(Document, raw)[0] if raw is not None else None
        if raw is None or model is None:
            return None
        old = out[i]
        body = "" if "依申请" in old.attribute_label else plain_text(render_markdown(raw.body))
        out[i] = replace(old, title=model.title, body=body)  # type: ignore[attr-defined]
        titles[f"{slug}/{doc_id}"] = model.title  # type: ignore[attr-defined]
    for entry in summary.latest:
        key = f"{slug}/{entry['id']}"
        if key in titles:
            entry["title"] = titles[key]
    return out, [out[by_id[key]] for key in sorted(titles)]


def to_json(d: Diagnostic) -> dict[str, Any]:
    out = asdict(d)
    out["severity"] = d.severity.name
    return out


def from_json(d: dict[str, Any]) -> Diagnostic:
    return Diagnostic(**{**d, "severity": Severity[d["severity"]]})


@dataclass
class Section:
    slug: str
    summary: TownSummary
    diagnostics: list[Diagnostic]
    rebuilt: bool
    timings: dict[str, float] = field(default_factory=dict)


class SectionState:
    """The county cache: per township its key, summary and findings, and its search records."""

    def __init__(self, folder: Path | None, key: bytes | None):
        self.folder = folder if key is not None else None  # records are pickles: only ever sealed
        self.key = key
        self.data: dict[str, Any] = {}
        self._records: dict[str, Journaled] = {}
        self._loaded: dict[str, tuple[list[Any], dict[str, tuple[int, int]]]] = {}  # as read, for `save`
        if folder is not None:
            try:
                self.data = json.loads((folder / "sections.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.data = {}

    def kept(self, slug: str, key: str, out: Path) -> Section | None:
        entry = self.data.get(slug)
        if (entry is None or entry.get("key") != key or not (out / slug / MARKER).is_file()
                or not self.has_records(slug)):
            return None
        return Section(slug, TownSummary(**entry["summary"]), [from_json(d) for d in entry["diagnostics"]], False)

    def _journal(self, slug: str) -> Journaled | None:
        """A township's search records and document stats: a base and a journal of what each
        later build changed (`journal.py`), so that a one-document edit writes one record."""
        if self.folder is None:
            return None
        if slug not in self._records:
            self._records[slug] = Journaled(self.folder / f"records-{slug}.pickle", self.key)
        return self._records[slug]

    def has_records(self, slug: str) -> bool:
        """Whether the township's search records are kept (read only when the county index is
        built from every township's records: `drop_records` if they then do not load)."""
        return self.folder is not None and (self.folder / f"records-{slug}.pickle").is_file()

    def drop_records(self, slug: str) -> None:
        journal = self._journal(slug)
        if journal is not None:
            journal.forget()
        self._loaded.pop(slug, None)

    def records(self, slug: str) -> list[Any] | None:
        loaded = self.records_and_stats(slug)
        return loaded[0] if loaded is not None else None

    def records_and_stats(self, slug: str) -> tuple[list[Any], dict[str, tuple[int, int]]] | None:
        """The township's search records and its documents' stats as of its last build."""
        journal = self._journal(slug)
        loaded = journal.load() if journal is not None else None
        if isinstance(loaded, tuple) and len(loaded) == 2:
            self._loaded[slug] = loaded
            return loaded
        self._loaded.pop(slug, None)
        return None

    def save(self, section: Section, key: str, records: list[Any] | None,
             stats: dict[str, tuple[int, int]] | None = None) -> None:
        self.data[section.slug] = {"key": key, "summary": asdict(section.summary),
                                   "diagnostics": [to_json(d) for d in section.diagnostics]}
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        journal = self._journal(section.slug)
        if records is not None and journal is not None:
            journal.save((records, stats or {}), self._loaded.pop(section.slug, None))
        tmp = self.folder / ".sections.json.tmp"
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.folder / "sections.json")

    def forget(self, slug: str) -> None:
        self.data.pop(slug, None)


def town_options(config: CountyConfig, slug: str, options: BuildOptions, cache_base: Path | None) -> BuildOptions:
    from ..frame import Frame

    county = config.county
    base_url = (options.base_url or county.base_url or None)
    if base_url:
        base_url = base_url.rstrip("/") + f"/{slug}/"
    frame = Frame(county.name, county.title, "../index.html", county.portal)
    return replace(options, content=config.town_dir(slug), output=options.output / slug, base_url=base_url,
                   cache=cache_base / "towns" / slug if cache_base is not None else None,
                   incremental=cache_base is not None, frame=frame, on_site=None)


def code_key(opts: BuildOptions) -> str:
    """gongkai's code, libraries and templates (`cache.fingerprint`): the same for every township."""
    from ..cache import fingerprint
    from ..resources import template_dirs

    return fingerprint(template_dirs(opts.templates))["all"]


def section_key(config: CountyConfig, slug: str, opts: BuildOptions, today: date, code: str,
                listing: str | None = None) -> str:
    """What decides a township's section: its files' names, sizes and times (`listing`, the
    `treewalk.listing_digest` of its folder, made here if not given), `code` (code_key), its
    options and the day."""
    extra = (code, opts.base_url, repr(opts.frame), today.isoformat(), str(opts.output.resolve()))
    return hashlib.sha256(f"{extra!r}\0{listing or listing_digest(opts.content)}".encode()).hexdigest()


def precheck(opts: BuildOptions, today: date) -> Diagnostics:
    """Load and validate one township as its build would (with its cache), writing nothing."""
    from ..cache import BuildCache, fingerprint
    from ..cachedir import machine_key
    from ..loading.cached import load_content
    from ..resources import template_dirs
    from ..validate import validate

    root = opts.cache if opts.incremental else None
    key = machine_key(opts.cache_key) if root is not None and opts.cache_key is not None else None
    cache = BuildCache(root, opts.content, opts.output, fingerprint(template_dirs(opts.templates)), key)
    raw = load_content(opts.content, cache, opts.jobs or os.cpu_count() or 1)
    _, diags = validate(raw, today, cache)
    return diags
