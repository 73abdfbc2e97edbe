"""The Jinja2 environment: the project's `templates/` over the built-in ones."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from types import CodeType

import jinja2
import jinja2.bccache

from ..cachedir import seal, unseal
from ..resources import templates_dir

BUILTIN_TEMPLATES = templates_dir().resolve()


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in `folder`, each sealed with the machine key: Jinja's bytecode is
    marshalled code, so a file whose MAC does not verify is never loaded (a cache miss)."""

    def __init__(self, folder: Path, key: bytes):
        self.folder = folder
        self.key = key

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.jbc"

    def holds(self, bucket: jinja2.bccache.Bucket) -> bool:
        return self._path(bucket).exists()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        body = unseal(self.key, bucket.key, data)
        if body is not None:
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._path(bucket)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            tmp.write_bytes(seal(self.key, bucket.key, bucket.bytecode_to_string()))
            os.replace(tmp, path)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass


#: Compiled templates for the life of the process, by Jinja's key (template name and file),
#: the source's checksum and the filters and tests the environment knows (compiling checks them):
#: a county's townships, `gongkai serve`'s rebuilds and a test session build many sites from the
#: same templates, and compiling them was most of a small site's rendering. Code objects compiled
#: in this process or read from the sealed folder only.
COMPILED: dict[tuple[str, str, frozenset[str], frozenset[str]], CodeType] = {}
COMPILED_MAX = 1024  # an edited template adds an entry: `gongkai serve` would otherwise grow


class CompiledTemplates(jinja2.BytecodeCache):
    """The process's compiled templates (`COMPILED`) over the sealed folder of the build cache."""

    def __init__(self, folder: SealedBytecodeCache | None):
        self.folder = folder

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple[str, str, frozenset[str], frozenset[str]]:
        env = bucket.environment
        return bucket.key, bucket.checksum, frozenset(env.filters), frozenset(env.tests)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = COMPILED.get(self._key(bucket))
        if code is not None:
            bucket.code = code
            if self.folder is not None and not self.folder.holds(bucket):  # another build's cache
                self.folder.dump_bytecode(bucket)
            return
        if self.folder is not None:
            self.folder.load_bytecode(bucket)
            if bucket.code is not None:
                self._keep(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._keep(bucket)
        if self.folder is not None:
            self.folder.dump_bytecode(bucket)

    def _keep(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(COMPILED) >= COMPILED_MAX:
            COMPILED.clear()
        assert bucket.code is not None
        COMPILED[self._key(bucket)] = bucket.code


def make_env(dirs: list[Path], bytecode: Path | None = None, key: bytes | None = None) -> jinja2.Environment:
    """`bytecode`: a folder where Jinja2 keeps compiled templates between builds (checked against
    each template's source, so an edited template is compiled again), sealed with `key`; no key,
    no folder. Either way a template compiled earlier in this process is not compiled again."""
    folder = None
    if bytecode is not None and key is not None:
        try:
            bytecode.mkdir(parents=True, exist_ok=True)
            folder = SealedBytecodeCache(bytecode, key)
        except OSError:
            folder = None
    cache = CompiledTemplates(folder)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs], encoding="utf-8"),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build, not silently
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: never re-stat templates per page
        bytecode_cache=cache,
    )
    return env
