"""A large cache value kept as a sealed base file and a sealed journal of what later builds changed.

The county keeps, between builds, states of tens of megabytes that one edit changes in a few
places: the county search index's state (an entry per document, a digest per search file) and
each township's search records. Writing such a state whole after every one-document edit costs
more than the edit. So `save` writes the *difference* between the value it was given at `load`
and the new one (`diff`: by position in lists, by key in dicts, by field in dataclasses), appended
to a small journal next to the base; `load` reads the base and applies the journal. When the
journal has grown to a quarter of the base, or holds `MAX_PATCHES` patches, the value is written
whole again and the journal goes.

Both files are sealed with the machine key (`cachedir.dump_sealed`): nothing unverified is ever
unpickled. The journal names the base it applies to (a random token saved with the base), so a
journal left beside another base is ignored. `invalidate` marks the value as not to be trusted
(a build is changing what it describes) without deleting it: the next `save` clears the mark;
`load` returns nothing while it is there.
"""

from __future__ import annotations

import os
import pickle
import secrets
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from .cachedir import dump_sealed, load_sealed

MAX_PATCHES = 64
BASE_SHARE = 0.25  # the journal may grow to this share of the base's bytes
FORMAT = "gongkai-journaled-1"  # first item of the base: an older plain pickle of the value is no base
_SAME = ("same",)


def diff(old: Any, new: Any) -> Any:
    """A patch that `patch(old, ·)` turns into a value equal to `new`: lists of the same length
    by position, dicts by key, dataclasses and tuples by field, anything else whole. A patched
    dict keeps the old order of its old keys (the values journaled here are looked up by key)."""
    if old is new:
        return _SAME
    if type(old) is not type(new):
        return ("set", new)
    if isinstance(new, list):
        if len(old) != len(new):
            return ("set", new)
        items = {i: b for i, (a, b) in enumerate(zip(old, new)) if a is not b and a != b}
        return ("list", items) if items else _SAME
    if isinstance(new, dict):
        put = {k: v for k, v in new.items() if k not in old or (old[k] is not v and old[k] != v)}
        gone = [k for k in old if k not in new]
        return ("dict", put, gone) if put or gone else _SAME
    if isinstance(new, tuple) and not hasattr(new, "_fields"):
        if len(old) != len(new):
            return ("set", new)
        parts = {i: p for i, p in enumerate(diff(a, b) for a, b in zip(old, new)) if p != _SAME}
        return ("tuple", parts) if parts else _SAME
    if is_dataclass(new) and not isinstance(new, type):
        parts = {f.name: p for f in fields(new) if (p := diff(getattr(old, f.name), getattr(new, f.name))) != _SAME}
        return ("fields", parts) if parts else _SAME
    return _SAME if old == new else ("set", new)


def patch(value: Any, change: Any) -> Any:
    """`value` with `change` (from `diff`) applied; lists, dicts and dataclasses in place."""
    kind = change[0]
    if kind == "same":
        return value
    if kind == "set":
        return change[1]
    if kind == "list":
        for i, item in change[1].items():
            value[i] = item
        return value
    if kind == "dict":
        for k in change[2]:
            del value[k]
        value.update(change[1])
        return value
    if kind == "tuple":
        return tuple(patch(item, change[1][i]) if i in change[1] else item for i, item in enumerate(value))
    if kind == "fields":
        for name, part in change[1].items():
            object.__setattr__(value, name, patch(getattr(value, name), part))
        return value
    raise ValueError(f"unknown patch {kind!r}")


class Journaled:
    """One value in `path` (the base) and `path` + `.journal` (the patches since), sealed with `key`."""

    def __init__(self, path: Path, key: bytes | None) -> None:
        self.path = path
        self.key = key
        self.journal = path.with_name(path.name + ".journal")
        self.mark = path.with_name(path.name + ".invalid")
        self._token: bytes | None = None
        self._patches: list[bytes] = []
        self._base_size = 0

    def load(self) -> Any | None:
        """The value as last saved, or None (missing, damaged, not sealed with the key, invalid)."""
        self._token, self._patches = None, []
        if self.key is None or self.mark.exists():
            return None
        base = load_sealed(self.path, self.key)
        if not (isinstance(base, tuple) and len(base) == 3 and base[0] == FORMAT and isinstance(base[1], bytes)):
            return None
        _, token, value = base
        self._token, self._base_size = token, _size(self.path)
        logged = load_sealed(self.journal, self.key)
        if isinstance(logged, tuple) and len(logged) == 2 and logged[0] == token and isinstance(logged[1], list):
            try:
                for blob in logged[1]:
                    value = patch(value, pickle.loads(blob))
            except (pickle.PickleError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError):
                self._token = None
                return None
            self._patches = list(logged[1])
        return value

    def invalidate(self) -> None:
        """From now until the next `save`, `load` gives nothing (the files stay, for that save)."""
        if self.key is not None and self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.mark.write_bytes(b"")

    def save(self, value: Any, loaded: Any | None = None) -> None:
        """Save `value`. `loaded`: what `load` gave in this process (unchanged since), so that
        only the difference is written; None: write the value whole."""
        if self.key is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if loaded is not None and self._token is not None and len(self._patches) < MAX_PATCHES:
            change = diff(loaded, value)
            blob = pickle.dumps(change, protocol=pickle.HIGHEST_PROTOCOL)
            patches = self._patches + [blob]
            if sum(map(len, patches)) < self._base_size * BASE_SHARE:
                dump_sealed(self.journal, self.key, (self._token, patches))
                self._patches = patches
                self.mark.unlink(missing_ok=True)
                return
        token = secrets.token_bytes(16)
        self.journal.unlink(missing_ok=True)
        dump_sealed(self.path, self.key, (FORMAT, token, value))
        self._token, self._patches, self._base_size = token, [], _size(self.path)
        self.mark.unlink(missing_ok=True)

    def forget(self) -> None:
        for path in (self.path, self.journal, self.mark):
            path.unlink(missing_ok=True)
        self._token, self._patches = None, []


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


__all__ = ["BASE_SHARE", "MAX_PATCHES", "Journaled", "diff", "patch"]
