"""Walk `content/` and turn files into raw records that remember where each value came from.

This stage knows the content contract (which folder holds which kind) but not the schema: it
returns plain data plus marks, and diagnostics for files that cannot be read at all.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, error, warning
from .bidi import bidi_controls
from .comments import unclosed_comment
from .decode import decode_text
from .yamltree import Marks, parse_yaml, split_front_matter

YAML_SUFFIXES = (".yaml", ".yml")
EDITOR_JUNK_PREFIXES = (".", "~$", ".#")
EDITOR_JUNK_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# folder (relative to content/) -> (record kind, suffixes, has front matter)
FOLDERS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "villages": ("village", YAML_SUFFIXES, False),
    "catalog": ("area", YAML_SUFFIXES, False),
    "documents": ("document", (".md",), True),
    "guides": ("guide", YAML_SUFFIXES, False),
    "consultations": ("consultation", (".md",), True),
    "lists": ("list", YAML_SUFFIXES, False),
    "applications": ("application", YAML_SUFFIXES, False),  # internal register, never rendered
    "annual": ("annual", YAML_SUFFIXES, False),  # figures for the annual report (annual/<year>.yaml)
}
OTHER_FOLDERS = {"attachments"}
INSTITUTION_FILE = "institution.yaml"  # 机构职能、内设机构、领导 (法定主动公开内容)


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


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory when possible (for editors/CI)."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def is_junk(name: str) -> bool:
    """Editor temp files and OS droppings, never content (see FIELD-NOTES: dev server)."""
    return (
        name.startswith(EDITOR_JUNK_PREFIXES)
        or name.endswith(EDITOR_JUNK_SUFFIXES)
        or name in {"4913", "Thumbs.db", "desktop.ini"}
        or name.startswith(".goutputstream-")
    )


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


def content_files(root: Path, text: bool = False) -> tuple[list[tuple[Any, str, bool]], list[Diagnostic]]:
    """Every content file with its kind, in a deterministic order; stray files are reported.

    With `text`, the files are path strings, not `Path`s (for the cached loader, which needs no
    `Path` for a file it does not read: a third of the time of this walk at 10,000 files).
    """
    found: list[tuple[Any, str, bool]] = []
    diags: list[Diagnostic] = []
    site = root / "site.yaml"
    if not site.exists() and (root / "site.yml").exists():
        site = root / "site.yml"
    if site.exists():
        found.append((str(site) if text else site, "town", False))
    institution = root / INSTITUTION_FILE
    if institution.exists():
        found.append((str(institution) if text else institution, "institution", False))
    if not site.exists():
        diags.append(error(display_path(site), 1, 1, "缺少 site.yaml：网站和发布机构的基本信息",
                           "请新建 site.yaml，至少填写 name、short_name、county、org_code、apply，示例见 docs/content-format.md", "content.no_site"))
    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        if is_junk(entry.name) or entry.name in FOLDERS or entry.name in OTHER_FOLDERS or entry.name in ("site.yaml", "site.yml", INSTITUTION_FILE):
            continue
        close = difflib.get_close_matches(entry.name, [*FOLDERS, *OTHER_FOLDERS, "site.yaml", INSTITUTION_FILE], n=1, cutoff=0.7)
        diags.append(warning(display_path(entry), 1, 1, f"content/ 下不认识的{'目录' if entry.is_dir() else '文件'}“{entry.name}”，已忽略",
                             f"是否应命名为“{close[0]}”？请改名" if close else
                             "内容应放在 villages/ catalog/ documents/ guides/ consultations/ lists/ attachments/ 中", "content.stray"))
    for folder, (kind, suffixes, fm) in FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            here = Path(dirpath)  # parsed once: joining a name to it is 3x cheaper
            dirnames[:] = sorted(d for d in dirnames if not is_junk(d))
            for linked in [d for d in dirnames if (here / d).is_symlink()]:
                # os.walk does not follow them: say so instead of silently skipping the folder
                dirnames.remove(linked)
                diags.append(error(display_path(here / linked), 1, 1, f"“{linked}”是指向其他位置的符号链接目录，其中的文件不会被读取",
                                   "请把文件夹本身复制到 content/ 中", "file.symlink"))
            for name in sorted(filenames):
                if is_junk(name):
                    continue
                if name.lower().endswith(suffixes):
                    found.append((os.path.join(dirpath, name) if text else here / name, kind, fm))
                else:
                    want = "、".join(suffixes)
                    diags.append(error(display_path(here / name), 1, 1, f"{folder}/ 中只能放 {want} 文件，“{name}”不是",
                                       _wrong_suffix_hint(name, fm), "content.wrong_suffix"))
    return found, diags


def _wrong_suffix_hint(name: str, front_matter: bool) -> str:
    lower = name.lower()
    if lower.endswith(YAML_SUFFIXES) and front_matter:
        return ("这个目录中的文件用 .md 格式：--- 包围的头部加正文；"
                ".yaml 文件应放到 villages/ catalog/ guides/ lists/ 中对应的目录")
    if lower.endswith((".md", ".markdown")) and not front_matter:
        return "这个目录只放 .yaml 文件；带正文的 .md 文件应放到 documents/ 或 consultations/"
    if lower.endswith((".txt", ".markdown")) and front_matter:
        return "请把文件后缀改为 .md"
    return "附件（PDF、Word、Excel、图片）请放到 attachments/ 并在文件的 attachments 字段中引用"


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
