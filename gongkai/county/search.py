"""The county-wide search index: the townships' search records in one index (the same writer).

Record ids and urls are under `<slug>/`, so a result links into its township's section. The
township filter of the county search page searches within the township's own index (its own
search page), which holds exactly that township's documents. The index is patched like a
township's: the previous state and indexed texts are in the county cache, and a shard is
reused only if the file in the output is still the one written (same digest).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..journal import Journaled
from ..search import BLOCK_DIR, IndexBuild, build_index, patch_bodies
from ..search.textstore import TextStore

STATE_FILE = "search-state.pickle"


def state_store(cache: Path | None, key: bytes | None) -> Journaled | None:
    """Where the county index's state and the digest of every file it wrote are kept between
    builds: a base and a journal of what each patch changed (`journal.py`), sealed with the
    machine `key` (a planted or foreign file is no state)."""
    return Journaled(cache / STATE_FILE, key) if cache is not None else None


def load_state(store: Journaled | None) -> tuple[Any, dict[str, str]]:
    """The previous county index's state and the digest of every file it wrote."""
    if store is not None:
        loaded = store.load()
        if isinstance(loaded, tuple) and len(loaded) == 2:
            return loaded
    return None, {}


def reader(out: Path, digests: dict[str, str]) -> Callable[[str], bytes | None]:
    """A previous search file, if the output still holds the very file written (same digest).

    Each file is read and checked once: a patch reads a long list's blocks to decode it and
    again to see which blocks it made the same."""
    seen: dict[str, bytes | None] = {}

    def read(rel: str) -> bytes | None:
        if rel in seen:
            return seen[rel]
        try:
            data: bytes | None = (out / rel).read_bytes()
        except OSError:
            data = None
        if data is not None and digests.get(rel) != hashlib.sha256(data).hexdigest():
            data = None
        seen[rel] = data
        return data

    return read


def forget_state(store: Journaled | None) -> None:
    """The state no longer describes the index (the records it indexed are changing): no build
    patches it until `save_state`."""
    if store is not None:
        store.invalidate()


def patch_county_index(changed: list[Any], out: Path, cache: Path | None,
                       saved: tuple[Any, dict[str, str]]) -> tuple[IndexBuild, dict[str, str]] | None:
    """After quick rebuilds (bodies and titles only): the county index patched from its `saved`
    state and files alone, without the other townships' records (`search.patch_bodies`); None:
    build it."""
    state, digests = saved
    if state is None or cache is None:
        return None
    build = patch_bodies(state, changed, reader(out, digests), TextStore(cache / "search-texts.sqlite"), fixed_files=False)
    if build is None or any(rel not in digests and not rel.startswith(BLOCK_DIR) for rel in build.files):
        return None
    written = dict(digests)
    for rel in build.removed:  # a list lost a block or a tier: the county's write deletes the file
        written.pop(rel, None)
    written.update({rel: hashlib.sha256(data).hexdigest() for rel, data in build.files.items()})
    return build, written


def county_index(records: list[Any], out: Path, cache: Path | None,
                 saved: tuple[Any, dict[str, str]]) -> tuple[IndexBuild, dict[str, str]]:
    """Build (or patch from the `saved` state) the county index; returns the build and the digest
    of every search file."""
    state, digests = saved
    store = TextStore(cache / "search-texts.sqlite") if cache is not None else None
    read_shard = reader(out, digests)
    build = build_index(records, previous=state, read_shard=read_shard, store=store)
    written = {rel: digests[rel] for rel in build.reused if rel in digests}
    if len(written) != len(build.reused):  # a file to keep is not known: start afresh
        build = build_index(records, store=store)
        written = {}
    written.update({rel: hashlib.sha256(data).hexdigest() for rel, data in build.files.items()})
    return build, written


def save_state(store: Journaled | None, build: IndexBuild, written: dict[str, str],
               saved: tuple[Any, dict[str, str]]) -> None:
    """Keep the index's state and file digests; `saved`: what `load_state` gave (unchanged since),
    so that after a patch only what it changed is written."""
    if store is not None:
        store.save((build.state, written), saved if saved[0] is not None else None)


def filter_options(records: list[Any]) -> dict[str, list[list[str]]]:
    """The kind and year choices of the county search page, as the index's meta lists them."""
    kinds = sorted({r.kind for r in records if r.kind})
    years = sorted({r.date[:4] for r in records if r.date[:4].isdigit()}, reverse=True)
    return {"kind": [[k, k] for k in kinds], "year": [[y, y] for y in years]}
