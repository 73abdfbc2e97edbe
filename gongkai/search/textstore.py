"""The indexed texts of the previous build, so that a rebuild can tell which terms changed.

A document edit usually changes the counts of a few dozen terms; to patch only their shards,
a rebuild compares the document's old and new term counts, and for that it needs the old text.
Keeping every text in the cache's pickles would mean reading the whole corpus on each rebuild;
an SQLite file (stdlib ``sqlite3``) lets a rebuild read just the changed documents.

The store is a cache: anything wrong with it (missing, corrupt, from another build) makes
``get`` return None, and the index is then built from scratch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from pathlib import Path

__all__ = ["HeldTexts", "TextStore"]

_SEP = "\x1f"  # between a document's field texts (the unit separator never survives normalising)


class TextStore:
    """``document id -> field texts`` of the build identified by ``token``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")  # a cache: losing it costs time, never correctness
        conn.execute("CREATE TABLE IF NOT EXISTS texts (id TEXT PRIMARY KEY, texts TEXT NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS state (k TEXT PRIMARY KEY, v BLOB)")
        return conn

    def get(self, ids: Sequence[str], token: bytes) -> dict[str, tuple[str, ...]] | None:
        """The texts of ``ids`` as stored by the build ``token``, or None if not all are there."""
        try:
            with closing(self._connect()) as conn:
                row = conn.execute("SELECT v FROM state WHERE k = 'token'").fetchone()
                if row is None or bytes(row[0]) != token:
                    return None
                out: dict[str, tuple[str, ...]] = {}
                for doc_id in ids:
                    found = conn.execute("SELECT texts FROM texts WHERE id = ?", (doc_id,)).fetchone()
                    if found is None:
                        return None
                    out[doc_id] = tuple(found[0].split(_SEP))
                return out
        except (sqlite3.Error, OSError):
            return None

    def put(self, rows: Iterable[tuple[str, Sequence[str]]], token: bytes | Callable[[], bytes], *, replace_all: bool) -> None:
        """Store texts and mark the store as build ``token``'s, in one transaction.

        ``replace_all``: the rows are every document; otherwise they update the stored ones.
        ``token`` may be a function, called once the rows are consumed (the token of a build
        from scratch depends on its figures).
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as conn:
                conn.execute("BEGIN")
                conn.execute("DELETE FROM state")
                if replace_all:
                    conn.execute("DELETE FROM texts")
                    conn.executemany("INSERT INTO texts VALUES (?, ?)", ((i, _SEP.join(t)) for i, t in rows))
                else:
                    conn.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?)", ((i, _SEP.join(t)) for i, t in rows))
                conn.execute("INSERT INTO state VALUES ('token', ?)", (token() if callable(token) else token,))
                conn.execute("COMMIT")
        except (sqlite3.Error, OSError):
            try:
                self.path.unlink()
            except OSError:
                pass



class HeldTexts:
    """A ``TextStore`` whose writes are held back until ``flush``: a patch that gives up after
    storing its texts must leave the previous build's texts (and token) in place, or the build
    that follows could not patch either and would start from scratch."""

    def __init__(self, store: TextStore | HeldTexts) -> None:
        self.store = store
        self.puts: list[tuple[list[tuple[str, Sequence[str]]], bytes | Callable[[], bytes], bool]] = []

    def get(self, ids: Sequence[str], token: bytes) -> dict[str, tuple[str, ...]] | None:
        return self.store.get(ids, token)

    def put(self, rows: Iterable[tuple[str, Sequence[str]]], token: bytes | Callable[[], bytes], *, replace_all: bool) -> None:
        self.puts.append((list(rows), token, replace_all))

    def flush(self) -> None:
        for rows, token, replace_all in self.puts:
            self.store.put(rows, token, replace_all=replace_all)
        self.puts.clear()
