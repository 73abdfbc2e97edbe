"""The Jinja2 environment: the project's `templates/` over the built-in ones."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

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


def make_env(dirs: list[Path], bytecode: Path | None = None, key: bytes | None = None) -> jinja2.Environment:
    """`bytecode`: a folder where Jinja2 keeps compiled templates between builds (checked against
    each template's source, so an edited template is compiled again), sealed with `key`; no key,
    no bytecode cache."""
    cache = None
    if bytecode is not None and key is not None:
        try:
            bytecode.mkdir(parents=True, exist_ok=True)
            cache = SealedBytecodeCache(bytecode, key)
        except OSError:
            cache = None
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
