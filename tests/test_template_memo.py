"""Templates compiled once per process (`render.env.COMPILED`): a second build in the same
process (a county's townships, `gongkai serve`'s rebuilds) compiles nothing, and a template
edited in between is compiled again and shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from sitekit import TODAY, base_files, doc, write_tree

from gongkai.build import BuildOptions, build
from gongkai.render import env as env_mod

REPO = Path(__file__).resolve().parent.parent


def make(tmp: Path, name: str, templates: Path, cache: Path | None = None) -> Path:
    out = tmp / name
    result = build(BuildOptions(content=tmp / "content", output=out, templates=templates, today=TODAY, jobs=1,
                                project=REPO, cache=cache, incremental=cache is not None))
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return out


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    original = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def test_a_second_build_compiles_nothing_and_an_edited_template_is_compiled_again(tmp_path: Path, compiles: list[str]) -> None:
    write_tree(tmp_path, {**base_files(), "documents/2026/a.md": doc("关于低保复核的通知", "正文。\n")})
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    env_mod.COMPILED.clear()
    first = make(tmp_path, "one", templates)
    assert "base.html" in compiles
    compiles.clear()
    second = make(tmp_path, "two", templates)
    assert compiles == []
    assert (second / "index.html").read_bytes() == (first / "index.html").read_bytes()

    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<p>模板已修改</p></body>", 1), encoding="utf-8")
    third = make(tmp_path, "three", templates)
    assert compiles == ["base.html"]
    assert "<p>模板已修改</p>" in (third / "index.html").read_text(encoding="utf-8")
    assert "<p>模板已修改</p>" not in (second / "index.html").read_text(encoding="utf-8")


def test_a_new_build_cache_gets_the_compiled_templates_though_none_is_compiled(tmp_path: Path, compiles: list[str]) -> None:
    write_tree(tmp_path, {**base_files(), "documents/2026/a.md": doc("关于低保复核的通知", "正文。\n")})
    make(tmp_path, "one", REPO / "templates")
    compiles.clear()
    make(tmp_path, "two", REPO / "templates", tmp_path / "cache")
    assert compiles == []
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*.jbc"))  # a later process reads them


def test_the_memo_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(env_mod, "COMPILED_MAX", 3)
    env_mod.COMPILED.clear()
    env = env_mod.make_env([REPO / "templates"])
    for name in ("base.html", "index.html", "document.html", "list.html", "item.html"):
        env.get_template(name)
        assert len(env_mod.COMPILED) <= 3
