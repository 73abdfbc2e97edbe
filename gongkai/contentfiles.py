"""Which files `content/` holds: the content contract's folders, and the walk that lists them.

Plain standard library and diagnostics only: a rebuild that finds nothing changed lists the
content files before it imports anything that parses or validates them (`stamp.py`).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, error, warning

YAML_SUFFIXES = (".yaml", ".yml")
EDITOR_JUNK_PREFIXES = (".", "~$", ".#")
EDITOR_JUNK_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")

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


__all__ = ["EDITOR_JUNK_PREFIXES", "EDITOR_JUNK_SUFFIXES", "FOLDERS", "INSTITUTION_FILE", "OTHER_FOLDERS", "YAML_SUFFIXES",
           "content_files", "display_path", "is_junk"]
