"""Walk `content/` and turn files into raw records that remember where each value came from.

This stage knows the content contract (which folder holds which kind) but not the schema: it
returns plain data plus marks, and diagnostics for files that cannot be read at all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..contentfiles import (
    content_files,
    display_path,
)
from ..diagnostics import Diagnostic, error
from .bidi import bidi_controls
from .comments import unclosed_comment
from .decode import decode_text
from .yamltree import Marks, parse_yaml, split_front_matter

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class RawRecord:
    """One content file, parsed but not validated."""

    kind: str  # town | institution | village | area | document | guide | consultation | list | application
    id: str  # slug or document id (path under its folder, no suffix, "/" separators)
    path: str  # display path, relative to the project
    data: Any
    marks: Marks
    body: str = ""
    body_line: int = 1
    source_hash: str = ""


@dataclass
class RawContent:
    root: Path
    records: list[RawRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Set by the cached loader: each file's (stat, kind, front matter, sha256) as it was looked
    #: at, the file-system clock before any was, and the size limit used (see `gongkai/quick/`).
    sources: dict[str, tuple[Any, str, bool, str]] | None = None
    clock: int = -1
    max_bytes: int = 0
    listed: list[Diagnostic] = field(default_factory=list)  # the listing's own findings (stray files)

    def of_kind(self, kind: str) -> list[RawRecord]:
        return [r for r in self.records if r.kind == kind]


def parse_record(kind: str, rid: str, text: str, path: str, front_matter: bool) -> tuple[RawRecord | None, list[Diagnostic]]:
    """Pure parser: the text of one file → a raw record (the path is only for messages)."""
    record, diags = _parse_record(kind, rid, text, path, front_matter)
    return record, bidi_controls(text, path) + diags


def _parse_record(kind: str, rid: str, text: str, path: str, front_matter: bool) -> tuple[RawRecord | None, list[Diagnostic]]:
    if front_matter:
        split = split_front_matter(text)
        if split is None and text.split("\n", 1)[0].strip() == "---":
            return None, [
                error(path, 1, 1, "YAML 头部没有结束：找不到第二行 ---",
                      "在最后一个字段之后加一行 ---，再写正文", "md.unclosed_front_matter")
            ]
        if split is None:
            return None, [
                error(path, 1, 1, "缺少 YAML 头部",
                      "文件开头应是一行 ---，接着写 title: 等字段，再用一行 --- 结束，然后是正文", "md.no_front_matter")
            ]
        yaml_text, body, body_line = split
        parsed, diags = parse_yaml(yaml_text, path, line_offset=1)
        diags = unclosed_comment(body, body_line, path) + diags
    else:
        parsed, diags = parse_yaml(text, path)
        body, body_line = "", 1
    if parsed is None:
        return None, diags
    if not isinstance(parsed.data, dict):
        line = 1 + (1 if front_matter else 0)
        if parsed.data is None:
            return None, [
                *diags,
                error(path, line, 1, "YAML 头部是空的，没有任何字段" if front_matter else "文件中只有注释或空行，没有任何字段",
                      "每行写一个字段，例如 title: 标题；冒号用半角，后面加一个空格", "yaml.not_mapping")
            ]
        shown = "一个列表" if isinstance(parsed.data, list) else "一段文字"
        line, col = parsed.marks.locate(())
        return None, [
            *diags,
            error(path, line, col, f"内容应为“字段名: 值”的形式，但读到的是{shown}",
                  "每行写一个字段，例如 title: 标题；冒号用半角，后面加一个空格", "yaml.not_mapping")
        ]
    return RawRecord(kind, rid, path, parsed.data, parsed.marks, body, body_line), diags


def read_file(file: Path, max_bytes: int, overlay: Mapping[Path, bytes] | None = None) -> tuple[bytes | None, Diagnostic | None]:
    path = display_path(file)
    if overlay and file in overlay:  # an editor's unsaved text (gongkai lsp)
        return overlay[file], None
    try:
        if file.is_symlink():
            # readlink, not resolve: a link to itself or a loop must be reported, not raise
            target = os.readlink(file)
            return None, error(path, 1, 1, f"内容文件是指向 {target} 的符号链接", "请把文件本身复制到 content/ 中", "file.symlink")
        return file.read_bytes(), None
    except OSError as exc:
        return None, error(path, 1, 1, f"无法读取文件：{exc.strerror}", "检查文件权限", "file.unreadable")


def load_file(root: Path, file: Path, kind: str, front_matter: bool, max_bytes: int,
              overlay: Mapping[Path, bytes] | None = None) -> tuple[RawRecord | None, list[Diagnostic]]:
    import hashlib

    path = display_path(file)
    data, problem = read_file(file, max_bytes, overlay)
    if data is None:
        return None, [problem] if problem else []
    text, diags = decode_text(data, path, max_bytes)
    if text is None:
        return None, diags
    if kind == "town":
        rid = "site"
    elif kind == "institution":
        rid = "institution"
    else:
        folder = file.relative_to(root).parts[0]
        rid = file.relative_to(root / folder).with_suffix("").as_posix()
    record, diags = parse_record(kind, rid, text, path, front_matter)
    if record is not None:
        record.source_hash = hashlib.sha256(data).hexdigest()
    return record, diags


def load_content(root: Path, max_bytes: int = DEFAULT_MAX_BYTES, overlay: Mapping[Path, bytes] | None = None) -> RawContent:
    """Read every content file under `root`; never raises for bad content.

    `overlay` maps absolute file paths to bytes that replace what is on disk (the unsaved text of
    files open in an editor, for `gongkai lsp`).
    """
    raw = RawContent(root)
    if not root.is_dir():
        what = "不是目录" if root.exists() else "不存在"
        raw.diagnostics.append(error(display_path(root), 1, 1, f"内容目录“{display_path(root)}”{what}",
                                     "请在包含 content/ 的项目目录中运行，或用 --content 指定内容目录", "content.missing"))
        return raw
    files, diags = content_files(root)
    raw.diagnostics.extend(diags)
    for file, kind, fm in files:
        record, diags = load_file(root, file, kind, fm, max_bytes, overlay)
        raw.diagnostics.extend(diags)
        if record is not None:
            raw.records.append(record)
            if kind == "town":  # site.yaml comes first: its max_file_kb applies to the rest
                max_bytes = town_max_bytes(record.data, max_bytes)
    return raw


def town_max_bytes(town: dict[str, Any], default: int) -> int:
    """`max_file_kb` from site.yaml when it is a sensible number (validation reports it otherwise)."""
    value = str(town.get("max_file_kb") or "").strip()
    return int(value) * 1024 if value.isdigit() and 0 < int(value) < 10**9 else default
