"""The Jinja2 environment: the project's `templates/` over the built-in ones."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..resources import templates_dir

BUILTIN_TEMPLATES = templates_dir().resolve()


def template_dirs(custom: Path | None) -> list[Path]:
    """A town's own templates (if any) override the built-in ones file by file."""
    dirs = []
    if custom is not None and custom.is_dir() and custom.resolve() != BUILTIN_TEMPLATES:
        dirs.append(custom)
    dirs.append(BUILTIN_TEMPLATES)
    return dirs


def make_env(dirs: list[Path], bytecode: Path | None = None) -> jinja2.Environment:
    """`bytecode`: a folder where Jinja2 keeps compiled templates between builds (checked against
    each template's source, so an edited template is compiled again)."""
    cache = None
    if bytecode is not None:
        try:
            bytecode.mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(bytecode))
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
