"""Which documents' bodies each output reads: recorded while it is made, for quick rebuilds.

A page's bytes depend on the site model (front matter of every file, catalogue, villages …) and
on values derived from document bodies: the rendered HTML, the plain text and the list summary
made from it. Everything derived from a body is reached through `views.body_html`,
`views.doc_text`, `views.doc_summary` or `Catalogue.summaries`, and each of those calls
`note(doc_id)`. While `recording()` is active, those ids are collected: when a later edit
changes only the body of some documents, exactly the outputs that noted one of them can differ
(`gongkai/quick/`). Noting too much only re-renders more; every reader of body-derived data
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


__all__ = ["NotingDict", "note", "recording"]
