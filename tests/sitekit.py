"""Helpers for tests: write tiny content trees into a temp folder from dicts of strings."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 26)

SITE_YAML = """\
name: 全州县永岁镇人民政府
short_name: 永岁镇
county: 全州县
city: 桂林市
province: 广西壮族自治区
division_code: "450324114"
org_code: 11450324MB0000000X
apply: |
  请向永岁镇党政综合办公室提交书面申请。
contacts:
  - name: 党政综合办公室
    phone: 0773-4800000
"""

VILLAGE_YAML = """\
name: {name}
committee: {name}村民委员会
sample: true
"""

AREA_YAML = """\
area: 社会救助
order: 1
items:
  - id: shjz-dibao
    level1: 最低生活保障
    level2: 审核信息
    content: 初审对象名单及相关信息
    basis: 《社会救助暂行办法》
    time_limit: 制定或获取信息之日起10个工作日内，公示7个工作日
    subject: 永岁镇人民政府
    channels: [政府网站, 社区/企事业单位/村公示栏（电子屏）]
    level: 乡、村级
    key_area: 社会救助
  - id: shjz-guide
    level1: 最低生活保障
    level2: 办事指南
    content: 办理事项、办理条件、申请材料
    time_limit: 信息形成或者变更之日起20个工作日内
    subject: 永岁镇人民政府
    channels: [政府网站, 政务服务中心]
    level: 乡级
"""


def doc(title: str = "关于做好低保工作的通知", body: str = "正文内容。\n", **fields: str | None) -> str:
    """A document file with sensible defaults; pass fields to override/add (value as YAML text)."""
    front = {
        "title": title,
        "attribute": "主动公开",
        "item": "shjz-dibao",
        "created": "2026-03-02",
        "published": "2026-03-05",
        "kind": "通知",
    }
    front.update(fields)
    lines = [f"{k}: {v}" for k, v in front.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def base_files() -> dict[str, str]:
    """The smallest valid content tree: town, two villages, one area, one document."""
    return {
        "site.yaml": SITE_YAML,
        "villages/jingtou.yaml": VILLAGE_YAML.format(name="井头村"),
        "villages/mudao.yaml": VILLAGE_YAML.format(name="慕道村"),
        "catalog/shjz.yaml": AREA_YAML,
        "documents/2026/dibao.md": doc(),
    }


def write_tree(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write `files` (relative path -> text/bytes; None deletes) under root/content."""
    content = root / "content"
    for rel, data in files.items():
        path = content / rel
        if data is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data) if data.startswith("\n") else data, encoding="utf-8")
    return content


def make_site(root: Path, extra: dict[str, str | bytes | None] | None = None) -> Path:
    files: dict[str, str | bytes | None] = base_files()
    files.update(extra or {})
    return write_tree(root, files)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m gongkai ...` as a user would; returns the completed process."""
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=300, check=False
    )
