"""Which documents each output shows: recorded while it is made, for quick rebuilds.

A page's bytes depend on the site's structure (which documents exist, their dates, items,
villages, attributes; the catalogue, the villages …) and on what it shows of documents: their
body (the rendered HTML, the plain text, the list summary made from it) and their title, summary
and keywords. All of that is reached through `views.body_html`, `views.doc_text`,
`views.doc_summary` or `Catalogue.summaries`, and each of those calls `note(doc_id)`; a link to
a document shows its title only (`views._doc_link` calls `note_title`). While `recording()` is active, those ids are collected:
when a later edit changes only those parts of some documents, exactly the outputs that noted
one of them can differ (`gongkai/quick/`). Noting too much only re-renders more; every reader
must note.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_stack: list[set[str]] = []


def note(doc_id: str) -> None:
    """Record that the output being made reads data derived from `doc_id`'s body."""
    if _stack:
        _stack[-1].add(doc_id)


TITLE = "#title"  # suffix of what `note_title` records


def note_title(doc_id: str) -> None:
    """Record that the output shows `doc_id`'s title only (a link to it), not its body."""
    if _stack:
        _stack[-1].add(doc_id + TITLE)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the ids noted inside the block (nested blocks also count for the outer one)."""
    reads: set[str] = set()
    _stack.append(reads)
    try:
        yield reads
    finally:
        _stack.pop()
        if _stack:
            _stack[-1].update(reads)


class NotingDict(dict):  # type: ignore[type-arg]
    """A dict of per-document values whose lookups are noted (the catalogue's summaries)."""

    def __getitem__(self, key: str):  # type: ignore[no-untyped-def]
        if _stack:
            _stack[-1].add(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default=None):  # type: ignore[no-untyped-def]
        if _stack:
            _stack[-1].add(key)
        return dict.get(self, key, default)


__all__ = ["TITLE", "NotingDict", "note", "note_title", "recording"]
