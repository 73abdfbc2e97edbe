"""Offline bundle: the built site as one deterministic zip for a USB stick or a kiosk PC.

Layout of the zip::

    打开网站.html      double-click: redirects to site/index.html
    使用说明.txt       how to open it (Windows, phone), what is inside, the build date
    site/…             the complete site (every link relative, search included)

Entries are sorted and carry one fixed timestamp (the build date at 00:00), permissions are
fixed, and hidden files (the build marker) are left out: the same site gives the same bytes.
"""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date
from pathlib import Path

SITE_DIR = "site"
OPEN_PAGE = "打开网站.html"
README = "使用说明.txt"


class IncompleteSite(RuntimeError):
    pass


def _site_facts(site_dir: Path) -> dict[str, object]:
    """What 使用说明.txt reports, read from the built site's own open data."""
    facts: dict[str, object] = {"generated": None, "town": "", "short_name": "", "active": 0, "on_request": 0,
                                "items": 0, "base_url": None}
    docs = site_dir / "data" / "documents.json"
    if docs.is_file():
        data = json.loads(docs.read_text(encoding="utf-8"))
        facts["generated"] = data.get("generated")
        facts["town"] = data.get("town", {}).get("name", "")
        facts["short_name"] = data.get("town", {}).get("short_name", "")
        facts["base_url"] = data.get("base_url")
        facts["active"] = sum(1 for d in data.get("documents", []) if d.get("attribute") == "主动公开")
        facts["on_request"] = sum(1 for d in data.get("documents", []) if d.get("attribute") == "依申请公开")
    catalog = site_dir / "data" / "catalog.json"
    if catalog.is_file():
        data = json.loads(catalog.read_text(encoding="utf-8"))
        facts["items"] = sum(len(a.get("items", [])) for a in data.get("areas", []))
    return facts


def readme_text(facts: dict[str, object], files: int) -> str:
    town = facts["town"] or "政务公开网站"
    built = facts["generated"] or "（未知）"
    online = f"网上版本：{facts['base_url']}" if facts["base_url"] else "网上版本：请以本镇政府网站为准。"
    lines = [
        f"{town} 政务公开网站（离线版）使用说明",
        f"生成日期：{built}",
        "",
        "一、怎样打开",
        "1. Windows 电脑：先在压缩包上点右键，选“全部解压缩”（或用 7-Zip、Bandizip 解压），",
        "   解压到 U 盘或电脑上。不要在压缩包里直接双击网页，那样链接打不开。",
        f"2. 打开解压出来的文件夹，双击“{OPEN_PAGE}”，电脑会用浏览器（Edge、Chrome、",
        "   360 浏览器、火狐等）打开网站首页。不需要联网。",
        f"3. 如果双击没有反应：打开 {SITE_DIR} 文件夹，双击 index.html；或者把它拖进浏览器窗口。",
        "4. 手机：用“文件管理”解压后，用浏览器打开 site/index.html。部分手机浏览器不能打开",
        "   本地网页，这时请扫描公示栏打印件上的二维码，查看网上版本。",
        "5. 旧版 Windows 解压后文件名是乱码时，请用 7-Zip 或 Bandizip 重新解压。",
        "",
        "二、里面有什么",
        f"- {OPEN_PAGE}：入口，打开网站首页",
        f"- {README}：本说明",
        f"- {SITE_DIR}/：网站的全部文件（共 {files} 个）",
        "  · index.html 首页；catalog/ 政务公开事项目录；documents/ 政府信息；",
        "  · villages/ 村务公开；guides/ 办事指南；search.html 站内搜索（离线可用）；",
        "  · print/ 可直接打印的 A4 公示（带二维码）和各村公示栏海报；",
        "  · data/ 开放数据（目录和文件清单，JSON、CSV，可用 Excel 打开）；",
        "  · feed.xml、feeds/ 订阅源。",
        f"- 政府信息：主动公开 {facts['active']} 件；依申请公开 {facts['on_request']} 件（只有目录信息，",
        "  可按网站“依申请公开”页的说明申请）。不予公开的信息不在其中。",
        f"- 公开事项目录：{facts['items']} 条。",
        "",
        "三、请注意",
        f"- 这是 {built} 生成的副本，之后发布的信息不在其中，内容以网上版本为准。",
        f"- {online}",
        "- 请定期用新的离线版替换旧版。",
        "",
    ]
    return "\r\n".join(lines)  # Notepad on old Windows wants CRLF


def open_page_html(town: str) -> str:
    target = f"{SITE_DIR}/index.html"
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n"
        f"<title>{town or '政务公开网站'}（离线版）</title>\n"
        f"<script>location.replace(\"{target}\");</script>\n</head>\n<body>\n"
        f"<p>正在打开网站……如果没有自动打开，请点击：<a href=\"{target}\">进入网站首页</a></p>\n"
        f"<p>如果链接打不开，请先把压缩包全部解压，再双击“{OPEN_PAGE}”。</p>\n</body>\n</html>\n"
    )


def site_files(site_dir: Path) -> list[tuple[str, Path]]:
    """(name inside the site, path) of every file, hidden files excluded, sorted by name."""
    out = []
    for dirpath, dirnames, filenames in os.walk(site_dir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            out.append((path.relative_to(site_dir).as_posix(), path))
    return sorted(out)


def _info(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so the permissions below mean the same everywhere
    info.external_attr = 0o100644 << 16
    return info


def write_bundle(site_dir: Path, out: Path) -> dict[str, object]:
    """Zip a complete built site into `out` (atomically). Returns facts for the summary line."""
    from ..output import MARKER

    if not (site_dir / MARKER).is_file() or not (site_dir / "index.html").is_file():
        raise IncompleteSite(str(site_dir))
    facts = _site_facts(site_dir)
    built = facts["generated"]
    day = date.fromisoformat(str(built)) if built else date(1980, 1, 1)
    when = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    files = site_files(site_dir)
    entries: list[tuple[str, bytes | Path]] = [
        (OPEN_PAGE, open_page_html(str(facts["town"])).encode("utf-8")),
        (README, ("\ufeff" + readme_text(facts, len(files))).encode("utf-8")),  # BOM: Notepad reads UTF-8
    ]
    entries += [(f"{SITE_DIR}/{rel}", path) for rel, path in files]
    entries.sort(key=lambda e: e[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in entries:
            payload = data.read_bytes() if isinstance(data, Path) else data
            zf.writestr(_info(name, when), payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(tmp, out)
    facts["files"] = len(entries)
    facts["size"] = out.stat().st_size
    return facts
