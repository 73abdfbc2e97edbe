"""`county.yaml` and `towns/`: which townships the county has, in which order, all checked at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..contentfiles import display_path
from ..diagnostics import Diagnostic, Diagnostics, error
from ..loading.source import RawRecord
from ..loading.yamltree import Marks, parse_yaml
from ..models.county import County, Portal
from ..validate.convert import build_model
from .layout import COUNTY_FILE, TOWNS_DIR

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: Names the county's own files use at the site root: a township folder may not take them.
RESERVED = frozenset({"assets", "search", "data", "feeds", "index.html", "search.html", "feed.xml", "404.html"})


@dataclass(frozen=True)
class CountyConfig:
    root: Path  # the folder holding county.yaml
    path: str  # county.yaml as shown in messages
    county: County
    marks: Marks
    towns: tuple[str, ...]  # township slugs, in display order

    def town_dir(self, slug: str) -> Path:
        return self.root / TOWNS_DIR / slug


def read_model(file: Path, model: type, example: str) -> tuple[object | None, Marks | None, list[Diagnostic]]:
    """One YAML configuration file as `model`: (value, marks, diagnostics), errors in Chinese."""
    shown = display_path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, None, [error(shown, 1, 1, f"{file.name} 不是 UTF-8 编码", "请用 UTF-8 编码另存该文件", "county.encoding")]
    except OSError as exc:
        return None, None, [error(shown, 1, 1, f"无法读取 {file.name}：{exc.strerror}", "请检查文件是否存在、是否有读取权限", "county.read")]
    parsed, diags = parse_yaml(text, shown)
    if parsed is None:
        return None, None, diags
    if not isinstance(parsed.data, dict):
        return None, None, [*diags, error(shown, 1, 1, f"{file.name} 应是“字段: 值”的形式", f"例如 {example}", "county.shape")]
    value, problems = build_model(model, RawRecord("config", file.stem, shown, parsed.data, parsed.marks))
    return value, parsed.marks, [*diags, *problems]


def load_portal(file: Path) -> tuple[Portal | None, list[Diagnostic]]:
    """`--portal portal.yaml`: the county portal a single township is a column of."""
    value, _, diags = read_model(file, Portal, "name: 全州县人民政府门户网站")
    return value, diags  # type: ignore[return-value]


def load_county(root: Path) -> tuple[CountyConfig | None, list[Diagnostic]]:
    """Read county.yaml and list towns/: every problem at once, in Chinese, with where it is."""
    file = root / COUNTY_FILE
    shown = display_path(file)
    model, marks, diags = read_model(file, County, "name: 全州县")
    if model is None or marks is None:
        return None, diags
    county: County = model  # type: ignore[assignment]
    towns_dir = root / TOWNS_DIR
    found = sorted(p.name for p in towns_dir.iterdir() if p.is_dir() and not p.name.startswith(".")) if towns_dir.is_dir() else []
    listed = county.towns or found
    for i, slug in enumerate(county.towns):
        line, col = marks.locate(("towns", i))
        if slug in county.towns[:i]:
            diags.append(error(shown, line, col, f"乡镇“{slug}”在 towns 中重复出现", "每个乡镇只写一次", "county.town_duplicate"))
        elif slug not in found:
            diags.append(error(shown, line, col, f"找不到乡镇文件夹 {TOWNS_DIR}/{slug}/",
                               f"请创建 {TOWNS_DIR}/{slug}/（含 site.yaml 的完整内容目录），或从 towns 中删除这一项", "county.town_missing"))
    for slug in found:
        where = display_path(towns_dir / slug)
        if county.towns and slug not in county.towns:
            line, col = marks.locate(("towns",), prefer_key=True)
            diags.append(error(shown, line, col, f"乡镇文件夹 {where}/ 没有列在 towns 中",
                               f"请在 towns 中加入 {slug}，或删除该文件夹", "county.town_unlisted"))
        if not SLUG.match(slug) or slug in RESERVED:
            reason = "与专区自身的文件同名" if slug in RESERVED else "只能用小写字母、数字和连字符"
            diags.append(error(where, 1, 1, f"乡镇文件夹名“{slug}”不能用作网址（{reason}）",
                               "请改用乡镇名称的拼音，例如 yongsui", "county.town_slug"))
        elif not (towns_dir / slug / "site.yaml").is_file():
            diags.append(error(where, 1, 1, f"乡镇文件夹 {where}/ 中没有 site.yaml",
                               "每个乡镇文件夹都是完整的内容目录：请用 gongkai init 生成或从其他乡镇复制 site.yaml", "county.town_site"))
    if not listed:
        line, col = marks.locate((), prefer_key=True)
        diags.append(error(shown, line, col, f"县级专区中没有乡镇：{display_path(towns_dir)}/ 为空或不存在",
                           f"请在 {TOWNS_DIR}/<乡镇拼音>/ 中放入各乡镇的内容目录", "county.no_towns"))
    if any(d.severity.name == "ERROR" for d in diags):
        return None, diags
    return CountyConfig(root, shown, county, marks, tuple(listed)), diags


def check_county(root: Path, today: date) -> Diagnostics:
    """`gongkai check` of a county: county.yaml, towns/, then every township as `gongkai check`."""
    from ..validate import check_content

    config, found = load_county(root)
    diags = Diagnostics(list(found))
    if config is not None:
        for slug in config.towns:
            diags.extend(check_content(config.town_dir(slug), today)[1])
    return diags
