"""`gongkai digest`: plain text for a village WeChat group."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reachkit import BASE, FILES, ON_REQUEST_BODY, ON_REQUEST_TITLE, WITHHELD_BODY, WITHHELD_TITLE
from sitekit import SITE_YAML, make_site, run_cli

TODAY = "2026-11-26"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_site(tmp_path, FILES)


def _digest(content: Path, *args: str) -> tuple[int, str, str]:
    proc = run_cli("digest", "--content", str(content), "--today", TODAY, *args, cwd=content.parent)
    return proc.returncode, proc.stdout, proc.stderr


def _blocks(text: str) -> list[list[str]]:
    """Document blocks (after the header), each a list of lines."""
    parts = [p.strip("\n").split("\n") for p in text.strip("\n").split("\n\n")]
    return [p for p in parts[1:] if re.match(r"^\d+\. ", p[0])]


def test_village_digest_has_own_and_town_wide_documents(content: Path) -> None:
    code, out, err = _digest(content, "--village", "jingtou", "--since", "2026-11-01")
    assert code == 0, err
    header = out.split("\n", 1)[0]
    assert "井头村" in header and "2026-11-01" in header and "永岁镇" in header
    titles = [b[0].split(". ", 1)[1] for b in _blocks(out)]
    assert "井头村2026年11月低保初审对象公示" in titles  # its own
    assert "永岁镇关于做好2026年冬季救助工作的公告" in titles  # town-wide
    assert "慕道村2026年11月低保初审对象公示" not in titles  # another village's
    assert "井头村2026年5月低保初审对象公示" not in titles  # before --since
    assert WITHHELD_TITLE not in out and WITHHELD_BODY not in out
    # newest first
    assert titles.index("永岁镇临时救助公示") < titles.index("永岁镇关于做好2026年冬季救助工作的公告")


def test_each_block_is_title_date_summary_link(content: Path) -> None:
    code, out, _ = _digest(content, "--village", "jingtou", "--since", "2026-11-01")
    assert code == 0
    blocks = _blocks(out)
    assert blocks
    for block in blocks:
        assert 3 <= len(block) <= 4, block
        assert block[1].startswith("发布：2026-")
        assert block[-1].startswith("documents/") and block[-1].endswith(".html")
        assert (content.parent / "x").parent  # paths are relative to the site root
    gongshi = next(b for b in blocks if "井头村2026年11月低保初审对象公示" in b[0])
    assert "公示至 2026-12-01" in gongshi[1]
    assert "拟将以下农户纳入最低生活保障" in gongshi[2]
    assert gongshi[-1] == "documents/2026/jingtou-gongshi.html"
    chinese = next(b for b in blocks if "临时救助公示" in b[0])
    assert chinese[-1] == "documents/2026/%E9%80%9A%E7%9F%A5%E6%B5%8B%E8%AF%95.html"


def test_on_request_shows_label_and_no_summary(content: Path) -> None:
    code, out, _ = _digest(content, "--village", "jingtou", "--since", "2026-11-01")
    assert code == 0
    block = next(b for b in _blocks(out) if ON_REQUEST_TITLE in b[0])
    assert block[2] == "此件可依申请公开"
    assert ON_REQUEST_BODY not in out


def test_plain_text_short_lines_no_markdown_or_html(content: Path) -> None:
    code, out, _ = _digest(content, "--since", "2026-01-01", "--base-url", BASE)
    assert code == 0
    assert "<" not in out and ">" not in out
    assert "**" not in out and "](" not in out and "`" not in out
    for line in out.splitlines():
        assert not line.startswith(("#", "- ", "* ", "> ", "|")), line
        if not line.startswith("http"):
            assert len(line) <= 70, line
    blocks = _blocks(out)
    town = next(b for b in blocks if "冬季救助" in b[0])
    assert "冬季救助工作安排如下" in town[2] and "一、范围" in town[2]  # Markdown body, flattened


def test_links_are_absolute_with_a_base_url(content: Path, tmp_path: Path) -> None:
    code, out, _ = _digest(content, "--village", "mudao", "--since", "2026-11-01", "--base-url", BASE.rstrip("/"))
    assert code == 0
    links = [b[-1] for b in _blocks(out)]
    assert BASE + "documents/2026/mudao-gongshi.html" in links
    assert all(link.startswith(BASE) for link in links)
    # site.yaml's base_url is used when --base-url is not given
    (content / "site.yaml").write_text(SITE_YAML + "base_url: https://ys.example.cn/gk\n", encoding="utf-8")
    code, out, _ = _digest(content, "--village", "mudao", "--since", "2026-11-01")
    assert code == 0
    assert "https://ys.example.cn/gk/documents/2026/mudao-gongshi.html" in out


def test_default_window_is_the_last_week_and_empty_is_said(content: Path) -> None:
    code, out, _ = _digest(content, "--village", "mudao")
    assert code == 0
    assert out.startswith("【永岁镇政务公开】慕道村｜2026-11-19 至 2026-11-26")
    code, out, _ = _digest(content, "--village", "mudao", "--since", "2026-11-26")
    assert code == 0 and "没有新发布的信息" in out and not _blocks(out)


def test_unknown_village_exits_1_with_chinese_message(content: Path) -> None:
    code, out, err = _digest(content, "--village", "nosuch")
    assert code == 1
    assert out == ""
    assert "找不到村（社区）“nosuch”" in err and "jingtou（井头村）" in err
    assert "Traceback" not in err


def test_bad_date_is_a_usage_error(content: Path) -> None:
    code, _, err = _digest(content, "--since", "2026/11/01")
    assert code == 2 and "YYYY-MM-DD" in err
