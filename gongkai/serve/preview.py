"""Fast preview: an edited document's own page is shown before the full rebuild finishes.

Like Hugo's "fast render mode". At county scale a full incremental build after one save still
takes many seconds (load, whole-site validation, search index, prints, the atomic swap). When
every change since the last good state edits a document file that already existed
(`content/documents/**/*.md`), the preview worker first:

1. loads and validates just those files: the loader's `load_file`, the schema model, then the
   cross-reference and governance rules over a *focused* view of the site, in which a rule that
   walks the documents sees only the edited ones while every lookup sees all of them;
2. if that finds errors, they go to the error overlay at once (and the previewed pages are put
   back, so the overlay's "last good build underneath" stays true); otherwise
3. renders each edited document's page with the rest of the site as it was (the warm state),
   writes it into the served folder atomically per file (temp file + `os.replace`), and the
   server tells open tabs to reload.

The full build runs next, as always, and the tabs reload again when it is done: lists, item,
village and feed pages, search and prints catch up, and the site ends exactly as a clean build.

No preview (just the full build) for: new, deleted or renamed files; anything outside
`content/documents/` (catalog, villages, site.yaml, guides …) and templates; a change of a
document's 公开属性; and 不予公开 documents. A withheld document has no page and a document that
becomes withheld must vanish from every list at once, so only the full build may decide.

Why a process of its own, not the build worker: a stale full build is cancelled by ending its
process (the path the atomic writer is built and tested for), so that process cannot also be
the one that keeps state between builds. The preview worker never forks and never builds the
site. Its warm state is the site model (`validate.assemble`: every file through its schema; the
good build it follows ran the rules) read through the build's own load cache — 0.6 s and about
160 MB at 10,000 documents — updated in place by every successful preview, and read again after
a good full build when something other than a previewed document changed.

Interplay with the full build (`output.SiteWriter`, `cache.BuildCache.previous_outputs`): a
preview only writes while no build runs (the server cancels or waits for it first). A previewed
file is a new inode with a new mtime, so the output cache no longer vouches for it and the next
build renders that page again instead of hard-linking it; its swap then replaces the whole tree.
If that build fails, the previewed pages are restored to the last good build's bytes.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from ..build import BuildOptions
from ..diagnostics import Diagnostic, Severity
from ..site import Entry, Site
from .builder import WorkerProcess, serve_requests
from .changes import Change


@dataclass(frozen=True)
class PreviewReport:
    """What a preview did: `shown` pages, found `errors`, or was `skipped` (and why)."""

    status: str  # "shown" | "errors" | "skipped"
    pages: tuple[str, ...] = ()  # site-relative paths written
    errors: tuple[Diagnostic, ...] = ()
    reason: str = ""
    seconds: float = 0.0


def _skipped(reason: str) -> PreviewReport:
    return PreviewReport("skipped", reason=reason)


def document_file(content: Path, path: str) -> tuple[str, Path] | None:
    """(document id, path as the loader names it) if `path` is an existing document file."""
    from ..loading import is_junk

    root = Path(os.path.abspath(content))
    try:
        parts = PurePath(path).relative_to(root).parts
    except ValueError:
        return None
    if len(parts) < 2 or parts[0] != "documents" or not parts[-1].lower().endswith(".md"):
        return None
    if any(is_junk(part) for part in parts):
        return None
    probe = root
    for part in parts:  # the loader does not follow symlinked folders or files: neither do we
        probe = probe / part
        if probe.is_symlink():
            return None
    if not probe.is_file():
        return None
    return PurePath(*parts[1:]).with_suffix("").as_posix(), content.joinpath(*parts)


class _Focused(dict):  # type: ignore[type-arg]
    """The edited documents when a rule walks `site.documents`; every document for lookups."""

    def __init__(self, edited: dict[str, Entry], everything: dict[str, Entry]):  # type: ignore[type-arg]
        super().__init__(edited)
        self.everything = everything

    def __missing__(self, key: str) -> Entry:  # type: ignore[type-arg]
        return self.everything[key]

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self.everything.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.everything


def check_edited(site: Site, edited: dict[str, Entry]) -> list[Diagnostic]:  # type: ignore[type-arg]
    """Errors the validate stage's rules find for the edited documents within `site`.

    The same rule functions as `gongkai check`, so the same messages; what only shows when all
    documents are compared (a 文号 used twice) is left to the full build that follows.
    """
    from ..rules.governance import check_governance
    from ..validate.xref import check_references

    focus = replace(site, documents=_Focused(edited, site.documents))
    focus.__dict__["index_numbers"] = site.index_numbers  # numbering needs every document
    found = check_references(focus) + check_governance(focus)
    return [d for d in found if d.severity is Severity.ERROR]


def _base_url(options: BuildOptions, site: Site) -> str | None:
    base_url = options.base_url or site.town.model.base_url  # as build() computes it
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return base_url


class Previewer:
    """The warm state and the preview itself (runs in the preview worker; tests call it directly)."""

    def __init__(self) -> None:
        self.options: BuildOptions | None = None
        self.site: Site | None = None
        self.renderer: Any = None
        self.dirty: dict[str, str] = {}  # path -> kind: changed since `site` was read, not previewed
        self.backups: dict[Path, bytes | None] = {}  # previewed file -> its bytes in the last good build
        self.stale = False  # read the site again before the next preview

    # -- warm state ---------------------------------------------------------------------------

    def load(self, options: BuildOptions) -> None:
        """Read the site as it is on disk now (parse results from the build's load cache)."""
        from ..cache import BuildCache, default_root, fingerprint
        from ..loading.cached import load_content as load_cached
        from ..render import Renderer
        from ..resources import template_dirs
        from ..validate import assemble

        self.site = self.renderer = None
        self.options = options
        self.dirty.clear()
        self.stale = False
        root = (options.cache or default_root(options.content, {}, Path.home())) if options.incremental else None
        cache = BuildCache(root, options.content, options.output, fingerprint(template_dirs(options.templates)))
        raw = load_cached(options.content, cache, 1)
        site, diags, _ = assemble(raw, options.today)
        if site is None or diags.errors:
            return  # the full build reports them; no preview until a good build
        renderer = Renderer(site, options.templates, _base_url(options, site), frame=options.frame)
        renderer.env.get_template("document.html")  # compile now, not on the first save
        self.site, self.renderer = site, renderer

    def built(self, options: BuildOptions) -> None:
        """A full build succeeded: its tree replaced every previewed file."""
        self.backups.clear()
        if self.site is None or self.dirty or options != self.options:
            self.options, self.stale = options, True  # the warm state lacks something: read again (after replying)

    def catch_up(self) -> None:
        if self.stale and self.options is not None:
            self.load(self.options)

    def failed(self) -> None:
        """A full build failed: show the last good build again where a preview wrote."""
        for target, data in self.backups.items():
            try:
                if data is None:
                    target.unlink(missing_ok=True)
                else:
                    _write_atomic(target, data)
            except OSError:
                pass
        self.backups.clear()

    # -- the preview ----------------------------------------------------------------------------

    def preview(self, options: BuildOptions, changes: list[Change]) -> PreviewReport:
        started = time.perf_counter()
        if options != self.options:  # a fresh worker: read the site after replying
            self.site, self.options, self.stale = None, options, True
        for change in changes:
            self.dirty[change.path] = change.kind
        report = _skipped("正在读取网站内容") if self.stale else self._preview(options)
        return replace(report, seconds=round(time.perf_counter() - started, 4))

    def _preview(self, options: BuildOptions) -> PreviewReport:
        from ..loading.source import load_file
        from ..models import Attribute, Document
        from ..render.pages import Catalogue, document_page
        from ..validate.convert import build_model

        site = self.site
        if site is None:
            return _skipped("没有可用的上一次生成结果")
        files: dict[str, Path] = {}
        for path, kind in sorted(self.dirty.items()):
            found = document_file(options.content, path) if kind == "content" else None
            if found is None or found[0] not in site.documents:
                return _skipped(f"{path}：不是对已有文件（documents/ 中）的修改")
            files[found[0]] = found[1]
        if not files:
            return _skipped("没有修改")
        max_bytes = site.town.model.max_file_kb * 1024  # what the loader takes from site.yaml
        problems: list[Diagnostic] = []
        edited: dict[str, Entry] = {}  # type: ignore[type-arg]
        for doc_id, file in files.items():
            record, diags = load_file(options.content, file, "document", True, max_bytes)
            problems += diags
            if record is None:
                continue
            model, diags = build_model(Document, record)
            problems += diags
            if model is not None:
                edited[doc_id] = Entry(record.id, record.path, model, record.marks, record.body,
                                       record.body_line, record.source_hash)
        for doc_id, entry in edited.items():
            before = site.documents[doc_id].model.attribute
            if entry.model.attribute is not before:
                return _skipped(f"{entry.path}：公开属性由{before.value}改为{entry.model.attribute.value}")
            if before is Attribute.WITHHELD:
                return _skipped(f"{entry.path}：不予公开的文件没有页面")
        errors = [d for d in problems if d.severity is Severity.ERROR]
        if not errors and len(edited) != len(files):
            return _skipped("有文件无法读取")
        patched = replace(site, documents={**site.documents, **edited}, today=options.today)
        if not errors:
            errors = check_edited(patched, edited)
        if errors:
            self.failed()
            return PreviewReport("errors", errors=tuple(errors))
        renderer = self.renderer
        renderer.site, renderer.cat = patched, Catalogue(patched)  # same templates, the edited site
        pages = []
        for doc_id in edited:
            page = document_page(doc_id)
            self._write(options.output / page.path, renderer.render(page))
            pages.append(page.path)
        self.site = patched
        self.dirty.clear()
        return PreviewReport("shown", pages=tuple(pages))

    def _write(self, target: Path, data: bytes) -> None:
        if target not in self.backups:
            try:
                self.backups[target] = target.read_bytes()
            except FileNotFoundError:
                self.backups[target] = None
        _write_atomic(target, data)


def _write_atomic(target: Path, data: bytes) -> None:
    """Readers (the HTTP server) see the old file or the new one, never half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.preview-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class PreviewProcess(WorkerProcess):
    """The preview worker, seen from the server."""

    module = "gongkai.serve.preview"
    what = "预览进程"

    def preview(self, options: BuildOptions, changes: list[Change]) -> PreviewReport:
        return self.request(("preview", options, changes))  # type: ignore[no-any-return]

    def built(self, options: BuildOptions) -> None:
        self.request(("built", options))

    def failed(self) -> None:
        self.request(("failed",))

    def ready(self) -> bool:
        """Wait until the worker has read the site (True if it can preview now)."""
        return bool(self.request(("ready",)))


def main() -> None:
    """The preview worker: answer each request, then catch up (re-read the site) while idle."""
    previewer = Previewer()

    def handle(request: tuple[Any, ...], send: Callable[[tuple[Any, ...]], None]) -> Any:
        kind = request[0]
        try:
            if kind == "preview":
                return previewer.preview(request[1], request[2])
            if kind == "built":
                return previewer.built(request[1])
            if kind == "failed":
                return previewer.failed()
            if kind == "ready":
                previewer.catch_up()
                return previewer.site is not None
        except Exception:
            previewer.site, previewer.stale = None, True  # unknown state: read it again
            raise
        raise ValueError(f"unknown request {kind!r}")

    def idle() -> None:
        try:
            previewer.catch_up()
        except Exception:  # noqa: BLE001 — no preview until the next good build, but keep serving
            traceback.print_exc()
            previewer.site, previewer.stale = None, False

    serve_requests(handle, idle)
