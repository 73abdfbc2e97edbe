"""A large cache value kept as a sealed base file and a sealed journal of what later builds changed.

The county keeps, between builds, states of tens of megabytes that one edit changes in a few
places: the county search index's state (an entry per document, a digest per search file) and
each township's search records. Writing such a state whole after every one-document edit costs
more than the edit. So `save` writes the *difference* between the value it was given at `load`
and the new one (`diff`: by position in lists, by key in dicts, by field in dataclasses), appended
to a journal next to the base; `load` reads the base and applies the journal. When the
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

from .cachedir import dump_sealed, load_sealed, seal, unseal
from .gcpause import gc_paused

MAX_PATCHES = 64
BASE_SHARE = 0.25  # the journal may grow to this share of the base's bytes
FORMAT = "gongkai-journaled-1"  # first item of the base: an older plain pickle of the value is no base
_SAME = ("same",)
_STEP = 256
_MISSING = object()


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
        items: dict[int, Any] = {}
        for start in range(0, len(new), _STEP):  # slices compared in C; only unequal ones item by item
            a, b = old[start:start + _STEP], new[start:start + _STEP]
            if a != b:
                items.update((start + i, y) for i, (x, y) in enumerate(zip(a, b)) if x is not y and x != y)
        return ("list", items) if items else _SAME
    if isinstance(new, dict):
        keys = list(new)
        if keys == list(old):  # the same keys in the same order: values compared as lists are
            changed = diff(list(old.values()), list(new.values()))
            if changed == _SAME:
                return _SAME
            return ("dict", {keys[i]: v for i, v in changed[1].items()}, [])
        get = old.get
        put = {k: v for k, v in new.items() if get(k, _MISSING) is not v}  # most values: the same object
        put = {k: v for k, v in put.items() if k not in old or old[k] != v}
        added = sum(k not in old for k in put)
        gone = [k for k in old if k not in new] if len(old) + added != len(new) else []
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
    """One value in `path` (the base) and `path` + `.journal` (the patches since), sealed with `key`.

    The journal is appended to, one record per save: a 4-byte length and the patch sealed under
    the base's token and the record's position (a record cannot be moved to another base or
    place). A journal that does not verify to its end means no value at all."""

    def __init__(self, path: Path, key: bytes | None) -> None:
        self.path = path
        self.key = key
        self.journal = path.with_name(path.name + ".journal")
        self.mark = path.with_name(path.name + ".invalid")
        self._token: bytes | None = None
        self._count = 0  # records in the journal
        self._logged = 0  # bytes of the journal
        self._base_size = 0

    def _name(self, i: int) -> str:
        assert self._token is not None
        return f"{self.journal.name}:{self._token.hex()}:{i}"

    def load(self) -> Any | None:
        """The value as last saved, or None (missing, damaged, not sealed with the key, invalid)."""
        self._token, self._count, self._logged = None, 0, 0
        if self.key is None or self.mark.exists():
            return None
        base = load_sealed(self.path, self.key)
        if not (isinstance(base, tuple) and len(base) == 3 and base[0] == FORMAT and isinstance(base[1], bytes)):
            return None
        _, token, value = base
        self._token, self._base_size = token, _size(self.path)
        try:
            data = self.journal.read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError:
            self._token = None
            return None
        pos = count = 0
        try:
            while pos < len(data):
                size = int.from_bytes(data[pos:pos + 4], "big")
                body = unseal(self.key, self._name(count), data[pos + 4:pos + 4 + size])
                if body is None:
                    raise ValueError("journal record does not verify")
                with gc_paused():
                    value = patch(value, pickle.loads(body))
                pos, count = pos + 4 + size, count + 1
        except (pickle.PickleError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            self._token = None
            return None
        self._count, self._logged = count, len(data)
        return value

    def invalidate(self) -> None:
        """From now until the next `save`, `load` gives nothing (the files stay, for that save)."""
        if self.key is not None and self.path.exists():
            self.mark.write_bytes(b"")

    def save(self, value: Any, loaded: Any | None = None) -> None:
        """Save `value`. `loaded`: what `load` gave in this process (unchanged since), so that
        only the difference is written; None: write the value whole."""
        if self.key is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if loaded is not None and self._token is not None and self._count < MAX_PATCHES:
            change = diff(loaded, value)
            if change == _SAME:
                self.mark.unlink(missing_ok=True)
                return
            sealed = seal(self.key, self._name(self._count), pickle.dumps(change, protocol=pickle.HIGHEST_PROTOCOL))
            if self._logged + len(sealed) + 4 < self._base_size * BASE_SHARE:
                with open(self.journal, "ab") as f:
                    f.write(len(sealed).to_bytes(4, "big") + sealed)
                self._count, self._logged = self._count + 1, self._logged + len(sealed) + 4
                self.mark.unlink(missing_ok=True)
                return
        token = secrets.token_bytes(16)
        self.journal.unlink(missing_ok=True)
        dump_sealed(self.path, self.key, (FORMAT, token, value))
        self._token, self._count, self._logged, self._base_size = token, 0, 0, _size(self.path)
        self.mark.unlink(missing_ok=True)

    def forget(self) -> None:
        for path in (self.path, self.journal, self.mark):
            path.unlink(missing_ok=True)
        self._token, self._count, self._logged = None, 0, 0


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


__all__ = ["BASE_SHARE", "MAX_PATCHES", "Journaled", "diff", "patch"]
