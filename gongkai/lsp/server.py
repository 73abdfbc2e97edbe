"""`gongkai lsp`: a language server (pygls) over stdio.

On every open, change and save of a content file it runs `gongkai check` on that file's content
tree with the editor's unsaved text laid over the disk (`analysis.check`) and publishes the
diagnostics of every file of the tree, clearing files that no longer have any. Completion offers
keys, enum values, catalog item ids and village slugs; hover shows a key's title and description.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import metadata
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from . import analysis

SOURCE = "gongkai"


class GongkaiServer(LanguageServer):
    def __init__(self, clock: Callable[[], date]) -> None:
        super().__init__("gongkai", package_version(), text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.clock = clock  # the day of each check (a long-running server: the CLI passes the clock)
        self.published: dict[Path, set[Path]] = {}  # content root → files that have diagnostics shown
        self.known: dict[Path, analysis.Known] = {}

    def overlay(self, root: Path) -> dict[Path, bytes]:
        out: dict[Path, bytes] = {}
        for uri, doc in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path and analysis.abspath(path).is_relative_to(root):
                out[analysis.abspath(path)] = doc.source.encode("utf-8")
        return out

    def refresh(self, uri: str) -> None:
        path = to_fs_path(uri)
        root = analysis.content_root_of(Path(path)) if path else None
        if root is None:
            return
        by_file, known = analysis.check(root, self.overlay(root), self.clock())
        self.known[root] = known
        for file in self.published.get(root, set()) - set(by_file):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=from_fs_path(str(file)), diagnostics=[]))
        here = analysis.abspath(path)
        if here not in by_file:  # the edited file is always answered, if only to say it is clean
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        for file, diags in by_file.items():
            file_uri = from_fs_path(str(file))
            open_doc = self.workspace.text_documents.get(file_uri)
            text = open_doc.source if open_doc is not None else read_text(file)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=file_uri, diagnostics=[to_lsp(d, text) for d in diags])
            )
        self.published[root] = set(by_file)


def package_version() -> str:
    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:
        return "0"


def read_text(file: Path) -> str:
    try:
        return file.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return ""


def to_lsp(diag: analysis.Diagnostic, text: str) -> types.Diagnostic:
    (sl, sc), (el, ec) = analysis.lsp_range(text, diag.line, diag.col)
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)),
        message=analysis.diagnostic_message(diag),
        severity=types.DiagnosticSeverity.Error if analysis.is_error(diag) else types.DiagnosticSeverity.Warning,
        source=SOURCE,
        code=diag.code or None,
    )


def make_server(clock: Callable[[], date]) -> GongkaiServer:
    server = GongkaiServer(clock)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GongkaiServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GongkaiServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GongkaiServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GongkaiServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)  # the file on disk counts again

    def located(ls: GongkaiServer, uri: str) -> tuple[Path, str, str] | None:
        path = to_fs_path(uri)
        root = analysis.content_root_of(Path(path)) if path else None
        kind = analysis.kind_of(root, Path(path)) if root is not None and path else None
        if root is None or kind is None:
            return None
        return root, kind, ls.workspace.get_text_document(uri).source

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", "-", "[", ","]))
    def completion(ls: GongkaiServer, params: types.CompletionParams) -> types.CompletionList:
        where = located(ls, params.text_document.uri)
        if where is None:
            return types.CompletionList(is_incomplete=False, items=[])
        root, kind, text = where
        if root not in ls.known:
            ls.refresh(params.text_document.uri)
        items = [
            types.CompletionItem(
                label=s.label, detail=s.detail, insert_text=s.insert,
                kind=types.CompletionItemKind.Property if s.is_key else types.CompletionItemKind.Value,
                documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=s.documentation),
            )
            for s in analysis.completions(kind, text, params.position.line, params.position.character,
                                          ls.known.get(root, analysis.Known()))
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: GongkaiServer, params: types.HoverParams) -> types.Hover | None:
        where = located(ls, params.text_document.uri)
        if where is None:
            return None
        _, kind, text = where
        doc = analysis.hover(kind, text, params.position.line)
        if doc is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc))

    return server


def serve_stdio(clock: Callable[[], date]) -> None:
    make_server(clock).start_io()
