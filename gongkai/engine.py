"""The build engine: outputs are memoised tasks whose inputs are recorded where the model is read.

Every page, notice-board print and feed is a task named by its path. While a task runs, the
read-only objects it is given record what it reads, so no view has to declare anything:

- `Site.documents` and `Site.public_documents` (`Tracked`) record `doc:<id>` for each entry
  looked up or tested (`id in …`: the key's digest is `-` when absent, and an entry's digest
  decides whether it is public), `ids` / `pubids` for the set of ids and its size, and
  `docs:*` / `pub:*` when iterated;
  `Site.villages` the same as `village:<slug>`, `villages:ids` and `villages:*`;
- the site's and the catalogue's shared lookups (`facet`: documents by item, by village, the
  newest-first order …) record `site.<name>` / `cat.<name>`; a lookup by document id
  (`Lookup`: the 索引号) records `at:site.<name>|<id>` for each entry read;
- the list summaries (`Catalogue.summaries`) record `sum:<id>`;
- per-build derived values (`Site.derived`: rendered bodies, repeal tables, notice boards)
  record `doc:<id>` for a document's body and `drv:<key>` for the others.

Everything else a task can see (the town, the catalogue, guides, consultations, service
lists, templates, gongkai's code, `--today`, the base URL, the frame) is one key, `global`: when
it changes, every task is red.

The memo (`Memo`, a JSON file in the build cache: data, never code) keeps per task the keys it
read, and per key the digest of its value when it was read. A task is green when its page
description and every key it read have the same digest as now; a green task's file is linked
from the previous `site/` without computing anything. A key's digest is of its *value*: a body
edit that leaves a document's list summary as it was leaves the listings green (early cut-off).
A clean build is the engine with an empty memo.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cachedir import seal, unseal

MEMO_VERSION = 2
GLOBAL = "global"
_stack: list[set[str]] = []


# -- recording ---------------------------------------------------------------------------------


def read(key: str) -> None:
    """Record that the task being computed reads `key`."""
    if _stack:
        _stack[-1].add(key)


def is_recording() -> bool:
    """Whether a task is being computed (what is read now is recorded). A shared value computed
    under `untracked` is not: it may read plain dicts, which cost no call per lookup."""
    return bool(_stack)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the keys read inside the block (nested blocks also count for the outer one)."""
    reads: set[str] = set()
    _stack.append(reads)
    try:
        yield reads
    finally:
        _stack.pop()
        if _stack:
            _stack[-1].update(reads)


@contextmanager
def untracked() -> Iterator[None]:
    """Compute a shared value without charging its reads to the task that asked first: the
    value is a key of its own, recorded by whoever reads it."""
    saved = _stack[:]
    _stack.clear()
    try:
        yield
    finally:
        _stack[:] = saved


class Tracked(dict):  # type: ignore[type-arg]
    """Entries by id that record which are looked up: `<kind>:<id>` for an entry looked up or
    tested, `ids` for the set of ids and its size, `whole` when iterated (see the module doc)."""

    def __init__(self, entries: Any = (), whole: str = "docs:*", ids: str = "ids", kind: str = "doc") -> None:
        super().__init__(entries)
        self.whole, self.ids_key, self.prefix = whole, ids, kind + ":"

    def __reduce__(self) -> Any:  # pickled as what it is: a dict with its names
        return (Tracked, (dict(self), self.whole, self.ids_key, self.prefix[:-1]))

    def _entry(self, key: object) -> str:
        """The key recorded for one entry; a key that is not an id reads the set of ids."""
        return self.prefix + key if isinstance(key, str) else self.ids_key

    def __getitem__(self, key: str) -> Any:
        if _stack:
            _stack[-1].add(self._entry(key))
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        if _stack:
            _stack[-1].add(self._entry(key))
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        # Whether one entry is here is a function of that entry's key ("-" when absent, and an
        # entry's digest decides whether it is public): adding a document leaves green every
        # page that only asked about others.
        if _stack:
            _stack[-1].add(self._entry(key))
        return dict.__contains__(self, key)

    def __len__(self) -> int:
        if _stack:
            _stack[-1].add(self.ids_key)
        return dict.__len__(self)

    def __iter__(self) -> Iterator[str]:
        if _stack:
            _stack[-1].add(self.ids_key)
        return dict.__iter__(self)

    def keys(self) -> Any:
        if _stack:
            _stack[-1].add(self.ids_key)
        return dict.keys(self)

    def values(self) -> Any:
        if _stack:
            _stack[-1].add(self.whole)
        return dict.values(self)

    def items(self) -> Any:
        if _stack:
            _stack[-1].add(self.whole)
        return dict.items(self)


class Lookup(Tracked):
    """A shared lookup by id (a `facet` with `by_id`) whose entries are recorded one by
    one: `at:<facet key>|<id>` for an entry looked up or tested, the facet's own key when it is
    iterated or sized. A document page that shows its own 索引号 depends on that one, not on
    every document's (adding a document would otherwise remake every document page)."""

    def __init__(self, entries: Any = (), key: str = "") -> None:
        super().__init__(entries, whole=key, ids=key)
        self.key, self.prefix = key, f"at:{key}|"

    def __reduce__(self) -> Any:
        return (Lookup, (dict(self), self.key))


class Summaries(dict):  # type: ignore[type-arg]
    """The catalogue's list summaries of `order` (the public ids, newest first), each computed
    when first read (`compute`): a lookup or test records `sum:<id>`, iteration `sum:*`."""

    def __init__(self, order: Iterable[str], compute: Callable[[str], Any]) -> None:
        super().__init__()
        self.order = list(order)
        self.members = frozenset(self.order)
        self.compute = compute

    def __reduce__(self) -> Any:  # pickled with every summary made (a function may not pickle)
        return (_summaries, (self.order, {i: self._value(i) for i in self.order}))

    def _value(self, key: str) -> Any:
        found = dict.get(self, key, _MISSING)
        if found is _MISSING:
            if key not in self.members:
                raise KeyError(key)
            found = self.compute(key)
            dict.__setitem__(self, key, found)
        return found

    def __getitem__(self, key: str) -> Any:
        if _stack:
            _stack[-1].add("sum:" + key)
        return self._value(key)

    def get(self, key: str, default: Any = None) -> Any:
        if _stack:
            _stack[-1].add("sum:" + key)
        return self._value(key) if key in self.members else default

    def __contains__(self, key: object) -> bool:
        if _stack:
            _stack[-1].add("sum:" + key if isinstance(key, str) else "pubids")
        return key in self.members

    def __len__(self) -> int:
        if _stack:
            _stack[-1].add("pubids")
        return len(self.order)

    def __iter__(self) -> Iterator[str]:
        if _stack:
            _stack[-1].add("pubids")
        return iter(self.order)

    def keys(self) -> Any:
        if _stack:
            _stack[-1].add("pubids")
        return list(self.order)

    def values(self) -> Any:
        if _stack:
            _stack[-1].add("sum:*")
        return [self._value(i) for i in self.order]

    def items(self) -> Any:
        if _stack:
            _stack[-1].add("sum:*")
        return [(i, self._value(i)) for i in self.order]


def _summaries(order: list[str], made: dict[str, Any]) -> Summaries:
    return Summaries(order, made.__getitem__)


#: `Site.derived` kinds that hold one document's rendered body: reading them reads the document.
BODY_KINDS = frozenset({"html", "text"})
#: Computations of derived values by kind, so the engine can find a value's digest in a build
#: where no task has asked for it yet (registered by the modules that make them).
DERIVATIONS: dict[str, Callable[[Any, tuple[str, str]], Any]] = {}


def derivation(kind: str) -> Callable[[Callable[[Any, tuple[str, str]], Any]], Callable[[Any, tuple[str, str]], Any]]:
    def register(fn: Callable[[Any, tuple[str, str]], Any]) -> Callable[[Any, tuple[str, str]], Any]:
        DERIVATIONS[kind] = fn
        return fn

    return register


class Derived(dict):  # type: ignore[type-arg]
    """Per-build values derived from the model, `(kind, argument) → value` (`Site.derived`).
    `reads`: for a value computed by `memo`, the keys it read (its digest is the previous
    build's while they are unchanged, `Digests`)."""

    def __init__(self, entries: Any = ()) -> None:
        super().__init__(entries)
        self.reads: dict[tuple[str, str], frozenset[str]] = {}

    def __reduce__(self) -> Any:
        return (Derived, (dict(self),))

    @staticmethod
    def name(key: tuple[str, str]) -> str:
        """The key recorded when `key` is read."""
        kind, arg = key
        if kind in BODY_KINDS:
            return "doc:" + arg
        if kind == "summary":
            return "sum:" + arg
        return "drv:" + json.dumps(list(key), ensure_ascii=False)

    def _note(self, key: tuple[str, str]) -> None:
        _stack[-1].add(self.name(key))

    def __getitem__(self, key: tuple[str, str]) -> Any:
        if _stack:
            self._note(key)
        return dict.__getitem__(self, key)

    def get(self, key: tuple[str, str], default: Any = None) -> Any:
        if _stack:
            self._note(key)
        return dict.get(self, key, default)

    def memo(self, key: tuple[str, str], compute: Callable[[], Any], record: bool = True) -> Any:
        """The value under `key`, computed once per build (untracked: `key` is what is read;
        `record` false: a value made only from the engine's `global` inputs)."""
        if record and _stack:
            self._note(key)
        found = dict.get(self, key)
        if found is None:
            with untracked(), recording() as reads:
                found = compute()
            nested = dict.get(self, key)  # stored by a `memo` of the same key inside `compute`
            if nested is not None:
                return nested
            self[key] = found
            if key[0] not in BODY_KINDS:
                reads.discard(self.name(key))
            self.reads[key] = frozenset(reads)
        return found


class facet:
    """A shared lookup of the site or the catalogue, computed once and recorded when read.

    Like `cached_property` it keeps the value in the instance's `__dict__` (so a saved value can
    be put back there); unlike it, every read is seen (a data descriptor), recorded as
    `<prefix>.<name>` unless `record` is false (lookups made only from `global` inputs, or
    mappings that record their own reads). `by_id`: the value is a mapping by id kept as a
    `Lookup`, whose entries are recorded one by one instead of the whole.
    """

    def __init__(self, fn: Callable[[Any], Any], prefix: str = "", record: bool = True, by_id: bool = False) -> None:
        self.fn, self.name, self.prefix, self.record, self.by_id = fn, fn.__name__, prefix, record and not by_id, by_id
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.prefix = self.prefix or owner.__name__.lower()
        self.key = f"{self.prefix}.{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        if self.record and _stack:
            _stack[-1].add(self.key)
        found = obj.__dict__.get(self.name, _MISSING)
        if found is _MISSING:
            with untracked():
                found = self.fn(obj)
            if self.by_id:
                found = Lookup(found, self.key)
            obj.__dict__[self.name] = found
        return found

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.name] = value

    def __delete__(self, obj: Any) -> None:
        obj.__dict__.pop(self.name, None)


_MISSING = object()


def facet_of(prefix: str, record: bool = True, by_id: bool = False) -> Callable[[Callable[[Any], Any]], facet]:
    return lambda fn: facet(fn, prefix, record, by_id)


# -- digests -------------------------------------------------------------------------------------


class _Canonical(pickle.Pickler):
    """Pickles values so that equal content gives equal bytes in any process: sets sorted,
    pydantic models as their JSON (their pickled state holds a set of field names)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, set | frozenset):
            return (sorted, (sorted(map(repr, obj)),))
        dump = getattr(type(obj), "model_dump_json", None)
        if dump is not None:
            return (str, (type(obj).__name__, dump(obj)))
        hook = getattr(obj, "__digest__", None)  # an object that points back into the site
        if hook is not None and not isinstance(obj, type):
            return (str, (type(obj).__name__, hook()))
        return NotImplemented


def digest_of(value: Any) -> str:
    """A digest of a value's content (pickled without memo, as `cache.key_of`, and canonically);
    a value that cannot be pickled gets a fresh digest (never equal: always red)."""
    buffer = io.BytesIO()
    try:
        pickler = _Canonical(buffer, protocol=5)
        pickler.fast = True
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - includes RecursionError from a cycle
        return "!" + uuid.uuid4().hex
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def hash_lines(lines: Iterable[str]) -> str:
    """One digest of many lines (each may hold any character but NUL)."""
    h = hashlib.blake2b(digest_size=16)
    for line in lines:
        h.update(line.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


class Digests:
    """The digest of every key's value in this build, computed when first asked.

    A derived value (a list summary, a `drv:` key) is not computed at all while everything it
    read when it was last computed (`deps`, kept in the memo) has the digest it had then: its
    digest is the previous build's. A body edit that leaves 9,999 summaries alone computes one.
    """

    def __init__(self, site: Any, cat: Any, global_digest: str, previous: Memo | None = None) -> None:
        self.site, self.cat, self.known = site, cat, {GLOBAL: global_digest}
        self.previous = previous if previous is not None and previous.global_digest == global_digest else None
        self.deps: dict[str, frozenset[str]] = {}  # derived key -> the keys its value read
        self.derived_reused = self.derived_made = 0

    def _derived(self, key: str, derived_key: tuple[str, str], compute: Callable[[], Any]) -> str:
        """The digest of a value of `Site.derived`: the previous build's if what it read is unchanged."""
        prev = self.previous
        if prev is not None:
            deps = prev.deps.get(key)
            old = prev.digests.get(key)
            if deps is not None and old is not None and key not in deps and all(
                    prev.digests.get(d) == self(d) for d in deps):
                self.deps[key] = deps
                self.derived_reused += 1
                return old
        value = dict.get(self.site.derived, derived_key)
        if value is None:
            value = compute()  # through `Derived.memo`, which keeps what it read
        reads = getattr(self.site.derived, "reads", {}).get(derived_key)
        if reads is not None:
            self.deps[key] = reads
        self.derived_made += 1
        return digest_of(value)

    def __call__(self, key: str) -> str:
        found = self.known.get(key)
        if found is None:
            with untracked():
                found = self.known[key] = self._compute(key)
        return found

    def _compute(self, key: str) -> str:
        site, cat = self.site, self.cat
        kind, _, arg = key.partition(":")
        if kind == "doc":
            entry = dict.get(site.documents, arg)
            return "-" if entry is None else entry_digest(entry)
        if kind == "village":
            found = dict.get(site.villages, arg)
            return "-" if found is None else model_digest(found)
        if key == "villages:ids":
            return hash_lines(dict.__iter__(site.villages))
        if key == "villages:*":
            return hash_lines(f"{i}\0{model_digest(e)}" for i, e in dict.items(site.villages))
        if kind == "sum":
            if arg == "*":
                return hash_lines(f"{i}\0{self('sum:' + i)}" for i in cat.summaries.order)
            if arg not in cat.summaries.members:
                return "-"
            return self._derived(key, ("summary", arg), lambda: cat.summaries.get(arg))
        if kind == "drv":
            derived_key = tuple(json.loads(arg))
            make = DERIVATIONS.get(derived_key[0].partition(":")[0])
            if make is None and dict.get(site.derived, derived_key) is None:
                return "!" + uuid.uuid4().hex
            return self._derived(key, derived_key,  # type: ignore[arg-type]
                                 lambda: site.derived.memo(derived_key, lambda: make(site, derived_key), record=False))  # type: ignore[misc]
        if kind == "at":  # one entry of a `Lookup`
            owner_key, _, entry = arg.partition("|")
            owner, _, name = owner_key.partition(".")
            mapping = getattr(site if owner == "site" else cat, name, None) if owner in ("site", "catalogue") else None
            if not isinstance(mapping, dict):
                return "!" + uuid.uuid4().hex
            return digest_of(dict.__getitem__(mapping, entry)) if dict.__contains__(mapping, entry) else "-"
        if key in ("ids", "pubids"):
            docs = site.documents if key == "ids" else site.public_documents
            return hash_lines(dict.__iter__(docs))
        if key in ("docs:*", "pub:*"):
            docs = site.documents if key == "docs:*" else site.public_documents
            return hash_lines(f"{i}\0{entry_digest(e)}" for i, e in dict.items(docs))
        owner, _, name = key.partition(".")
        if owner in ("site", "catalogue") and name:
            return digest_of(getattr(site if owner == "site" else cat, name))
        return "!" + uuid.uuid4().hex  # a key this version does not know: red


def entry_digest(entry: Any) -> str:
    """A document's digest: its file's bytes (what the model and body are made from)."""
    return entry.source_hash or digest_of((entry.model.model_dump_json(), entry.body))


def model_digest(entry: Any) -> str:
    """Another content file's digest: its path, bytes and model."""
    return hash_lines((entry.path, entry.source_hash, entry.model.model_dump_json()))


def global_digest(site: Any, parts: Iterable[Any]) -> str:
    """Everything a task may read besides documents and villages: the other content files and
    `parts` (code and template fingerprint, options)."""
    lines = [repr(p) for p in parts]
    lines.append(site.today.isoformat())
    for name in ("areas", "guides", "consultations", "lists", "applications", "annual"):
        for key, entry in dict.items(getattr(site, name)):
            lines.append(f"{name}\0{key}\0{model_digest(entry)}")
    for entry in (site.town, site.institution):
        if entry is not None:
            lines.append(model_digest(entry))
    return hash_lines(lines)


# -- the memo ------------------------------------------------------------------------------------


class Memo:
    """Per task (output path): the digest of its description, of the file it made and the keys it
    read; per key the digest of its value then; per derived key the keys its value read. Stored
    as JSON; anything unexpected in the file is an empty memo. A green task's file is reused only
    if `site/` still holds the very file the task made (the caller checks), so a memo older than
    `site/` is never wrong, only useless.

    A task's reads are kept as positions in `keys` (a green task's row is saved again as it is)."""

    NAME = "engine.json"

    def __init__(self, folder: Path | None, fp: str, key: bytes | None) -> None:
        # sealed with the machine key as every cache file is (no key: no memo); JSON runs no code,
        # but a forged memo could make a stale page look green
        self.folder, self.fp, self.key = (folder, fp, key) if key is not None else (None, fp, None)
        self.global_digest = ""
        self.keys: list[str] = []
        self.digests: dict[str, str] = {}
        self.deps: dict[str, frozenset[str]] = {}
        self.tasks: dict[str, tuple[str, str, tuple[int, ...]]] = {}  # path -> (description, sha256, reads)

    def load(self) -> Memo:
        if self.folder is None:
            return self
        try:
            body = unseal(self.key, self.NAME, (self.folder / self.NAME).read_bytes())  # type: ignore[arg-type]
            if body is None:
                return self
            data = json.loads(body.decode("utf-8"))
            if data.get("version") != MEMO_VERSION or data.get("fp") != self.fp:
                return self
            keys, digests, tasks, deps = data["keys"], data["digests"], data["tasks"], data["deps"]
            if not (isinstance(keys, list) and isinstance(digests, list) and len(keys) == len(digests)
                    and isinstance(tasks, dict) and isinstance(deps, dict)
                    and all(isinstance(k, str) for k in keys + digests)):
                return self
            count = len(keys)
            rows = {}
            for path, (desc, sha, reads) in tasks.items():
                if not all(type(i) is int and 0 <= i < count for i in reads):
                    return self
                rows[path] = (str(desc), str(sha), tuple(reads))
            self.deps = {keys[int(k)]: frozenset(keys[i] for i in v) for k, v in deps.items()}
            self.keys, self.tasks = keys, rows
            self.digests = dict(zip(keys, digests, strict=True))
            self.global_digest = str(data["global"])
        except Exception:  # noqa: BLE001 - an unreadable memo is an empty one: a clean build
            self.keys, self.digests, self.deps, self.tasks, self.global_digest = [], {}, {}, {}, ""
        return self

    def green(self, digests: Digests, descriptions: dict[str, str]) -> set[str]:
        """The tasks whose description and every read key are as when they were computed."""
        if self.global_digest != digests(GLOBAL):
            return set()
        old = self.digests
        red = {i for i, key in enumerate(self.keys) if old[key] != digests(key)}
        return {path for path, (desc, _, reads) in self.tasks.items()
                if descriptions.get(path) == desc and red.isdisjoint(reads)}

    def save(self, digests: Digests, tasks: dict[str, tuple[str, str, tuple[str, ...] | tuple[int, ...]]]) -> None:
        """Remember `tasks` (path → (description, sha256 of the file made, keys read: names, or
        positions in this memo's `keys` for a task reused from it)), with the digest of every key
        read as it is in this build and what each derived key among them read."""
        if self.folder is None:
            return
        # The loaded keys keep their positions while most are still read (reused rows are
        # then saved as they are); otherwise the keys are numbered afresh.
        old = self.keys
        names: list[str] = []
        used: set[str] = set()
        for _, _, reads in tasks.values():
            if reads and type(reads[0]) is int:
                used.update(old[i] for i in reads)  # type: ignore[index]
            else:
                used.update(reads)  # type: ignore[arg-type]
        keep = len(used.intersection(old)) * 4 >= len(old) * 3
        index: dict[str, int] = {k: n for n, k in enumerate(old)} if keep else {}
        names = list(old) if keep else []

        def at(key: str) -> int:
            n = index.get(key)
            if n is None:
                n = index[key] = len(names)
                names.append(key)
            return n

        rows: dict[str, Any] = {}
        for path in sorted(tasks):
            desc, sha, reads = tasks[path]
            if reads and type(reads[0]) is int:
                if keep:
                    rows[path] = [desc, sha, list(reads)]
                    continue
                reads = tuple(old[i] for i in reads)  # type: ignore[index]
            rows[path] = [desc, sha, sorted(at(k) for k in reads)]  # type: ignore[arg-type]
        for key in sorted(used):
            at(key)
        values: list[str] = []
        deps: dict[str, list[int]] = {}
        while len(values) < len(names):  # each key's digest; a derived key's reads join the list
            key = names[len(values)]
            values.append(digests(key))
            found = digests.deps.get(key)
            if found is not None:
                deps[str(len(values) - 1)] = sorted(at(d) for d in found)
        data = {"version": MEMO_VERSION, "fp": self.fp, "global": digests(GLOBAL), "keys": names,
                "digests": values, "tasks": rows, "deps": deps}
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

    def forget(self) -> None:
        if self.folder is not None:
            try:
                (self.folder / self.NAME).unlink()
            except OSError:
                pass


__all__ = [
    "BODY_KINDS",
    "DERIVATIONS",
    "GLOBAL",
    "Derived",
    "Digests",
    "Lookup",
    "Memo",
    "Summaries",
    "Tracked",
    "derivation",
    "digest_of",
    "entry_digest",
    "facet",
    "facet_of",
    "global_digest",
    "hash_lines",
    "is_recording",
    "model_digest",
    "read",
    "recording",
    "untracked",
]
