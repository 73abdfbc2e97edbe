"""Fragments: the pieces of a large output, kept from build to build with the keys they read.

A file made of many independent pieces — `documents.json`, a row per document — is made again
whenever any piece changes; its pieces need not be. A fragment is a named text made under
`engine.recording`: it is kept with the digest of every key it read, and the next build takes it
as it is while each of those keys has the same digest now (`engine.Digests`, which answers for a
list summary from what the summary read, without making it). A body edit of one document then
makes one row of `documents.json`, not 10,000.

The store is sealed JSON in the build cache, as the engine's memo (data, never code: a planted
or forged file is no store, and a stale one only costs making the fragments again). It is saved
only by a build that succeeded, so every kept text was in a file that passed the last look
before publishing (`published_scan`) on the same day (`global`) with the same exempt contact
numbers (`scope`): only the fragments made now need that look again (`made_only`).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cachedir import seal, unseal
from .engine import GLOBAL, Digests, recording

VERSION = 1


class Fragments:
    """Named texts of this build, each the previous build's while what it read is unchanged."""

    NAME = "fragments.json"

    def __init__(self, folder: Path | None, fp: str, key: bytes | None, digests: Digests, scope: str = "") -> None:
        self.folder, self.fp, self.key = (folder, fp, key) if key is not None else (None, fp, None)
        self.digests, self.scope = digests, scope  # scope: anything else the kept texts were made under
        self.old: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
        self.made: dict[str, tuple[str, frozenset[str]]] = {}
        self.kept: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}

    def load(self) -> Fragments:
        if self.folder is None:
            return self
        try:
            body = unseal(self.key, self.NAME, (self.folder / self.NAME).read_bytes())  # type: ignore[arg-type]
            if body is None:
                return self
            data = json.loads(body.decode("utf-8"))
            if (data.get("version") != VERSION or data.get("fp") != self.fp or data.get("global") != self.digests(GLOBAL)
                    or data.get("scope") != self.scope):
                return self
            keys, rows = data["keys"], data["rows"]
            if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys) or not isinstance(rows, dict):
                return self
            old = {}
            for name, (text, reads) in rows.items():
                if not isinstance(text, str):
                    return self
                old[name] = (text, tuple((keys[i], str(d)) for i, d in reads))
            self.old = old
        except Exception:  # noqa: BLE001 - an unreadable store is an empty one
            self.old = {}
        return self

    def get(self, name: str, make: Callable[[], str]) -> str:
        """The fragment `name`: kept if every key it read has the digest it had, else `make()`."""
        old = self.old.get(name)
        if old is not None:
            digests = self.digests
            if all(digests(key) == digest for key, digest in old[1]):
                self.kept[name] = old
                return old[0]
        with recording() as reads:
            text = make()
        self.made[name] = (text, frozenset(reads))
        return text

    def made_only(self, name: str, make: Callable[[], str]) -> str:
        """As `get`, but a kept fragment is empty: what a file holds that was not in the last build."""
        found = self.made.get(name)
        return found[0] if found is not None else "" if name in self.kept else make()

    @property
    def stats(self) -> dict[str, int]:
        return {"fragments_kept": len(self.kept), "fragments_made": len(self.made)}

    def save(self) -> None:
        """Keep this build's fragments (those asked for), with the digests of what they read now."""
        if self.folder is None:
            return
        index: dict[str, int] = {}
        rows: dict[str, Any] = {}
        for name in sorted(self.kept.keys() | self.made.keys()):
            if name in self.made:
                text, reads = self.made[name]
                pairs = [(key, self.digests(key)) for key in sorted(reads)]
            else:
                text, pairs = self.kept[name][0], list(self.kept[name][1])
            rows[name] = [text, [[index.setdefault(key, len(index)), digest] for key, digest in pairs]]
        data = {"version": VERSION, "fp": self.fp, "global": self.digests(GLOBAL), "scope": self.scope,
                "keys": list(index), "rows": rows}
        tmp = self.folder / f".{self.NAME}.{uuid.uuid4().hex[:8]}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            tmp.write_bytes(seal(self.key, self.NAME, body))  # type: ignore[arg-type]
            os.replace(tmp, self.folder / self.NAME)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass


__all__ = ["VERSION", "Fragments"]
