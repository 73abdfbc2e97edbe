"""Bidi control characters (U+202E etc.) in any content file are errors at their line:col.

They make a browser show text in another order than it is stored, so a title could read
differently on the site from what reviewers saw; the loader refuses them in every file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import AREA_YAML, SITE_YAML, TODAY, doc, make_site, run_cli

from gongkai.loading import load_content, parse_record
from gongkai.validate import validate

BIDI = ["\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
        "\u2066", "\u2067", "\u2068", "\u2069"]
FIX = "删除这个看不见的字符（在 VS Code 中会显示为高亮的小方框）；它常见于从网页复制的文字"


def message(path: str, line: int, col: int, char: str) -> str:
    return (f"{path}:{line}:{col}: 错误: 有不可见的双向文字控制字符（U+{ord(char):04X}），"
            f"会让文字显示的顺序与实际内容不同（{FIX}）")


def errors(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root)
    _, diags = validate(load_content(Path("content")), TODAY)
    return [d.text() for d in diags.errors]


@pytest.mark.parametrize("char", BIDI)
def test_every_bidi_control_in_a_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, char: str) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(f"关于{char}低保工作的通知")})
    assert errors(tmp_path, monkeypatch) == [message("content/documents/2026/a.md", 2, 10, char)]


def test_in_a_markdown_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(body="第一段。\n\n低保金额：\u202e元0051\u202c。\n")})
    assert errors(tmp_path, monkeypatch) == [
        message("content/documents/2026/a.md", 11, 6, "\u202e"),
        message("content/documents/2026/a.md", 11, 12, "\u202c"),
    ]


def test_in_site_yaml_and_a_catalog_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "  - name: 党政综合办公室\n" in SITE_YAML and "    subject:" in AREA_YAML
    make_site(tmp_path, {"site.yaml": SITE_YAML.replace("  - name: 党政综合办公室", "  - name: 党政\u2067综合办公室"),
                         "catalog/shjz.yaml": AREA_YAML.replace("    subject:", "    note: 备\u200f注\n    subject:", 1)})
    site_line = SITE_YAML.splitlines().index("  - name: 党政综合办公室") + 1
    area_line = AREA_YAML.splitlines().index(next(x for x in AREA_YAML.splitlines() if x.startswith("    subject:"))) + 1
    found = errors(tmp_path, monkeypatch)
    assert message("content/site.yaml", site_line, 13, "\u2067") in found
    assert message("content/catalog/shjz.yaml", area_line, 12, "\u200f") in found
    assert len([m for m in found if "双向文字控制字符" in m]) == 2


def test_check_exits_1_and_build_publishes_nothing(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc("关于\u202e知通的作工保低\u202c")})
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert message("content/documents/2026/a.md", 2, 10, "\u202e") in proc.stdout + proc.stderr
    proc = run_cli("build", cwd=tmp_path)
    assert proc.returncode == 1
    assert not (tmp_path / "site").exists()


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20),
       char=st.sampled_from(BIDI), data=st.data())
def test_found_at_any_position(text: str, char: str, data: st.DataObject) -> None:
    """Wherever the character stands in a line of a file, the error points at it."""
    cut = data.draw(st.integers(0, len(text)))
    line = text[:cut] + char + text[cut:]
    _, diags = parse_record("document", "a", f"---\ntitle: x\n---\n{line}\n", "a.md", True)
    found = [d for d in diags if d.code == "text.bidi_control"]
    assert [(d.line, d.col) for d in found] == [
        (4, i + 1) for i, c in enumerate(line) if c in BIDI
    ]
    assert (4, cut + 1) in [(d.line, d.col) for d in found]
