"""Write `admin/`: the page, the configuration and decap-cms itself (copied from npm, never
committed: `admin/.gitignore` keeps the copied files out of git)."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from ..resources import decap_files
from .config import CmsOptions, Pickers, config_text

INDEX = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def index_html(town: str | None) -> str:
    return INDEX.format(title=html.escape(f"{town or '政务公开'} · 内容管理"))


def write_admin(out: Path, options: CmsOptions, pickers: Pickers, dist: Path) -> list[Path]:
    """Write `out/index.html`, `out/config.yml`, `out/.gitignore` and the decap-cms files; returns
    what was written (the copied decap-cms files as one entry: the bundle)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    copied = decap_files(dist)
    for source in copied:
        shutil.copyfile(source, out / source.name)
    ignore = "# 由 gongkai cms 从 npm 包 decap-cms 复制，不提交到 git\n" + "".join(f"/{p.name}\n" for p in copied)
    for name, text in (("index.html", index_html(options.town)), ("config.yml", config_text(options, pickers)),
                       (".gitignore", ignore)):
        (out / name).write_text(text, encoding="utf-8", newline="\n")
        written.append(out / name)
    written.append(out / "decap-cms.js")
    return written
