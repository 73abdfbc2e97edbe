"""Remake what shows the edited bodies, patch the rest, swap the new tree in (a quick rebuild's
second half, after `rebuild.py` found the edits valid)."""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import key_of
from ..cachedir import file_sha256
from ..engine import recording
from ..models import Attribute
from ..output import MARKER, SiteWriter
from ..render.parallel import ENGINE_KEY
from .linker import Linker, NotQuick
from .snapshot import (
    ANY,
    Delta,
    Snapshot,
    apply,
    documents_read,
    out_stat,
    save_delta,
    stripped,
    stripped_entries,
    with_body,
)

if TYPE_CHECKING:
    from ..cache import BuildCache
    from ..diagnostics import Diagnostics
    from ..options import BuildOptions
    from ..render import Renderer


@dataclass
class Remake:
    """One quick rebuild's outputs: what is made again, and what the cache learns from it."""

    options: BuildOptions
    cache: BuildCache
    snap: Snapshot
    delta: Delta
    edited: list[Any]  # the parsed records of the edited documents
    display: set[str]  # those whose title, summary or keywords changed (not only the body)
    made: dict[str, bytes] = field(default_factory=dict)  # path in site/ -> bytes made again
    keyed: dict[str, tuple[str, str]] = field(default_factory=dict)
    deps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    search_state: Any = None
    #: path -> what the privacy scan before the swap reads of it instead of the whole file: the
    #: parts made again, where the rest is the previous site's file, which was scanned clean
    scan_parts: dict[str, bytes] = field(default_factory=dict)
    texts: Any = None  # the text store's writes, held back until the new site is in place
    #: search block files the patch no longer makes (a posting list lost a block or a tier);
    #: the ones it makes for the first time are in `made` and not in the snapshot's manifest
    removed: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.keyed = dict(self.snap.keyed)
        self.deps = dict(self.snap.deps)
        self.changed = {r.id for r in self.edited}
        self.shown = self.changed | {ANY}  # what outputs read (`snapshot.documents_read`)
        site = self.snap.site
        self.public = sorted(i for i in self.changed if site.documents[i].model.attribute is not Attribute.WITHHELD)

    # -- the steps, in order ----------------------------------------------------------------

    def prepare(self) -> Renderer:
        """The site as the full build had it: every other document's summary and the edited bodies
        converted. Its lookups (documents by item, the newest-first order, 索引号 …) are made again
        when read, from the site as it is now: nothing decides by hand which of them an edit leaves
        as they were."""
        from ..reach import qr
        from ..render import Renderer
        from ..render.markup import plain_text, render_markdown

        snap, site = self.snap, self.snap.site
        for doc_id, summary in snap.summaries.items():
            if doc_id not in self.changed:
                site.derived[("summary", doc_id)] = summary
        for doc_id in self.changed:
            entry = site.documents[doc_id]
            if entry.model.attribute is Attribute.ACTIVE:
                html = render_markdown(entry.body)
                site.derived[("html", doc_id)] = html
                site.derived[("text", doc_id)] = plain_text(html)
        base_url = self.options.base_url or site.town.model.base_url
        if base_url and not base_url.endswith("/"):
            base_url += "/"
        cache_dir = self.cache.dir
        renderer = Renderer(site, self.options.templates, base_url, cache_dir / "jinja" if cache_dir is not None else None,
                            self.cache.key, self.options.frame)
        renderer.cat.summaries  # noqa: B018 - made here, not inside the first page's recording (it notes every id)
        qr.use_store(cache_dir / qr.STORE if cache_dir is not None else None)
        return renderer

    def pages(self, renderer: Renderer) -> None:
        """Every page and feed that showed an edited document, made again (recording what it shows)."""
        feeds = dict(renderer.feeds()) if self.snap.feeds else {}
        targets = [path for path, ids in self.snap.deps.items() if not self.shown.isdisjoint(ids)]
        self._bodies_for(targets)
        for path in targets:
            page = self.snap.pages.get(path)
            with recording() as reads:
                if page is not None:  # reused by the engine's memo, which checks the file's digest
                    data = renderer.render(page)
                    self.keyed[path] = (ENGINE_KEY, hashlib.sha256(data).hexdigest())
                elif path in feeds:
                    data = feeds[path]()
                    self.keyed.pop(path, None)  # the engine's memo knows the feed the full build made
                else:
                    raise NotQuick(f"{path}: unknown output")
            self.made[path] = data
            self.deps[path] = documents_read(reads)

    def _bodies_for(self, targets: list[str]) -> None:
        """The bodies of unchanged documents whose own page or print is among `targets` (it links
        to an edited title): read again from their files, which are as the snapshot knew them."""
        from ..loading.source import load_file

        site, root = self.snap.site, self.options.content
        for path in targets:
            page = self.snap.pages.get(path)
            if page is None or page.kind not in ("document", "print_document") or page.key[0] in self.changed:
                continue
            doc_id = page.key[0]
            entry = site.documents[doc_id]
            if entry.body is not None:
                continue
            name = str(root / "documents" / f"{doc_id}.md")
            known = self.snap.files.get(name)
            record, problems = load_file(root, Path(name), "document", True, self.snap.max_bytes)
            if known is None or record is None or problems or record.source_hash != known[3]:
                raise NotQuick(f"{name} changed meanwhile")
            site.documents[doc_id] = with_body(entry, record.body)

    def open_data(self, renderer: Renderer) -> None:
        """`documents.json` patched row by row, and `data/index.html` (it shows the file sizes)."""
        if not self.public:
            return
        from ..reach import opendata, opendata_context

        try:
            documents = (self.options.output / opendata.DOCUMENTS_JSON).read_bytes()
        except OSError:
            raise NotQuick("documents.json is gone") from None
        if hashlib.sha256(documents).hexdigest() != self.snap.manifest.get(opendata.DOCUMENTS_JSON):
            raise NotQuick("site/data/documents.json was changed by hand")  # patched, it would keep the change
        patched = opendata.patch_document_rows(documents, renderer.site, renderer.base_url, set(self.public))
        if patched is None:
            raise NotQuick("documents.json")
        self.made[opendata.DOCUMENTS_JSON] = patched[0]
        # the rest is the published file, which passed the scan (with the same contact numbers:
        # documents have none): only the new rows are new text
        self.scan_parts[opendata.DOCUMENTS_JSON] = patched[1]
        self.keyed.pop(opendata.DOCUMENTS_JSON, None)  # keyed by its data: the next full build makes it again
        others = (opendata.CATALOG_CSV, opendata.CATALOG_JSON, opendata.CATALOG_SCHEMA, opendata.DOCUMENTS_SCHEMA)
        sizes = {rel: self.snap.stats[rel][0] for rel in others}
        sizes[opendata.DOCUMENTS_JSON] = len(patched[0])
        template = "opendata.html"
        ctx = opendata_context(renderer.site, renderer, sizes)
        data = renderer.env.get_template(template).render(ctx).encode("utf-8")
        self.made[opendata.INDEX] = data
        key = key_of(self.cache.fp, opendata.INDEX, template, ctx)
        if key is not None:
            self.keyed[opendata.INDEX] = (key, hashlib.sha256(data).hexdigest())

    def search(self, renderer: Renderer) -> None:
        """The search files of the edited public documents, patched from the saved state."""
        if not self.public:
            return
        from ..indexing import search_records
        from ..render.parallel import SEARCH_KEY
        from ..search import BLOCK_DIR, patch_bodies
        from ..search.textstore import HeldTexts, TextStore

        saved = self.cache.read("search_index")
        if not saved or self.cache.dir is None:
            raise NotQuick("no search index state")
        state, digests = saved
        out, manifest = self.options.output, self.snap.manifest

        def read_file(rel: str) -> bytes | None:
            if rel not in digests or manifest.get(rel) != digests[rel]:
                return None
            try:
                return (out / rel).read_bytes()
            except OSError:
                return None

        records = search_records(renderer.site, renderer.cat, self.public)
        self.texts = HeldTexts(TextStore(self.cache.dir / "search-texts.sqlite"))  # written once the site is in place
        build = patch_bodies(state, records, read_file, self.texts, fixed_files=False)  # type: ignore[arg-type]
        if build is None:
            raise NotQuick("search index")
        written = dict(digests)
        self.removed = set(build.removed)
        for rel in self.removed:
            written.pop(rel, None)
            self.keyed.pop(rel, None)
        for rel, data in build.files.items():
            if rel not in digests and not rel.startswith(BLOCK_DIR):
                raise NotQuick("search files")
            self.made[rel] = data
            written[rel] = digest = hashlib.sha256(data).hexdigest()
            self.keyed[rel] = (SEARCH_KEY, digest)
        self.cache.stats["search_patched"] = build.patched
        self.search_state = (build.state, written)

    def swap(self, writer: SiteWriter, linker: Linker) -> dict[str, str]:
        """The new tree: the previous files (linked), the ones made again; swapped in atomically."""
        stale = linker.wait()
        if not stale <= self.made.keys():
            raise NotQuick(f"site/{min(stale - self.made.keys())} was changed by hand")
        from ..published_scan import SCANNED, SKIPPED, allowed_numbers, file_findings
        from ..search import BLOCK_DIR

        allowed = allowed_numbers(self.snap.site)
        for rel, data in self.made.items():  # the last look before publishing (published_scan.py)
            scanned = self.scan_parts.get(rel, data)
            if rel.endswith(SCANNED) and not rel.startswith(SKIPPED) and file_findings(rel, scanned, allowed,
                                                                                     self.snap.site.today):
                raise NotQuick(f"{rel}: a personal number in the output (the full build reports it)")
        for rel, digest in self.snap.manifest.items():
            if rel in self.removed:  # linked with the rest: unlinked here, so it is not in the new site
                with suppress(FileNotFoundError):
                    os.unlink(writer.path_for(rel))
            else:
                writer.record(rel, digest)
        for rel, data in self.made.items():
            if rel not in self.snap.manifest and not rel.startswith(BLOCK_DIR):
                raise NotQuick(f"{rel}: a new file")
            writer.replace(rel, data)  # never write through a link into the previous site
        manifest = writer.manifest()
        writer.commit()
        return manifest

    def remember(self, manifest: dict[str, str], files: dict[str, Any], clock: int, diags: Diagnostics) -> None:
        """The search state, the held-back texts and the snapshot's delta, once the site is in place."""
        snap, delta, base = self.snap, self.delta, str(self.options.output)
        stats = {rel: st for rel in self.made if (st := out_stat(os.path.join(base, rel))) is not None}
        if self.search_state is not None:
            self.texts.flush()
            self.cache.write("search_index", self.search_state)
        delta.marker, delta.clock, delta.diagnostics = file_sha256(self.options.output / MARKER) or "", clock, diags.sorted()
        delta.files.update((name, row) for name, row in files.items() if row != snap.files[name])
        delta.entries.update(stripped_entries(snap.site, self.changed))
        delta.summaries.update((doc_id, snap.site.derived[("summary", doc_id)]) for doc_id in self.public)
        delta.deps.update((path, ids) for path, ids in self.deps.items() if ids != snap.deps.get(path))
        delta.manifest.update((rel, d) for rel, d in manifest.items() if d != snap.manifest.get(rel))
        delta.removed = (delta.removed - manifest.keys()) | self.removed
        for rel in self.removed:
            delta.manifest.pop(rel, None)
            delta.stats.pop(rel, None)
        delta.stats.update(stats)
        keyed = self.keyed
        delta.keyed.update((rel, keyed.get(rel)) for rel in keyed.keys() | snap.keyed.keys() if keyed.get(rel) != snap.keyed.get(rel))
        save_delta(self.cache, delta, lambda: applied(snap, delta))


def applied(snap: Snapshot, delta: Delta) -> Snapshot:
    """`snap` with `delta` in it, ready to be written whole (the site without this build's
    bodies and derived values)."""
    apply(snap, delta)
    snap.site = stripped(snap.site)
    return snap


__all__ = ["Remake", "applied"]
