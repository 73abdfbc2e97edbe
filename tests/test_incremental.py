"""Incremental builds: a build that reuses the cache produces exactly the bytes of a clean build.

Each test builds a tiny site with a cache, changes something (a document, a village, a catalog
item, a template, the cache itself, the previous output), builds again, and compares the whole
output tree with a clean build of the same content into another folder. Timing is never asserted
here; `benchmarks/run.py` measures it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitekit import TODAY, VILLAGE_YAML, base_files, doc, write_tree

from gongkai.build import BuildOptions, BuildResult, build
from gongkai.render import parallel

REPO = Path(__file__).resolve().parent.parent


def run(content: Path, out: Path, cache: Path | None, templates: Path | None = None, jobs: int = 1) -> BuildResult:
    # quick=False: these tests are about the full build's page cache (tests/test_quick.py: the rest)
    opts = BuildOptions(content=content, output=out, templates=templates or REPO / "templates", today=TODAY,
                        jobs=jobs, project=REPO, cache=cache, incremental=cache is not None, quick=False)
    result = build(opts)
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return result


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    ta, tb = tree(a), tree(b)
    return sorted(set(ta) ^ set(tb)) + sorted(k for k in set(ta) & set(tb) if ta[k] != tb[k])


class Project:
    """A content tree, its cached site, and a clean build to compare with."""

    def __init__(self, tmp: Path, files: dict[str, str | bytes | None] | None = None):
        self.tmp = tmp
        self.files = base_files()
        self.files.update(files or {})
        self.content = write_tree(tmp, self.files)
        self.site, self.cache = tmp / "site", tmp / "cache"
        self.templates: Path | None = None

    def change(self, files: dict[str, str | bytes | None]) -> None:
        write_tree(self.tmp, files)

    def build(self, jobs: int = 1) -> BuildResult:
        return run(self.content, self.site, self.cache, self.templates, jobs)

    def assert_same_as_clean(self) -> BuildResult:
        clean_out = self.tmp / "clean"
        shutil.rmtree(clean_out, ignore_errors=True)
        clean = run(self.content, clean_out, None, self.templates)
        assert differences(self.site, clean_out) == []
        return clean


def two_docs() -> dict[str, str | bytes | None]:
    return {
        "documents/2026/dibao-gongshi.md": doc("井头村低保初审对象公示", "## 公示\n\n| 户主 | 人数 |\n|---|---|\n| 张某华 | 3 |\n",
                                              villages="[jingtou]", kind="公示"),
        "documents/2025/linshi.md": doc("关于临时救助的通知", "第一段。\n\n第二段。\n", created="2025-05-06",
                                        published="2025-05-08", doc_number="永政发〔2025〕3号"),
    }


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project(tmp_path, two_docs())
    p.build()
    return p


def test_second_build_reuses_every_page(project: Project) -> None:
    result = project.build()
    assert result.stats["rendered"] == 0
    assert result.stats["prints"] > 0  # notice-board prints are cached pages too
    assert result.stats["reused"] == result.pages + result.stats["prints"]
    assert result.stats["data_reused"] == 6  # the open-data files and their page
    assert result.stats["parsed"] == 0 and result.stats["bodies_converted"] == 0
    assert result.stats["search_reused"]
    project.assert_same_as_clean()


def test_edit_document_body(project: Project) -> None:
    project.change({"documents/2025/linshi.md": doc("关于临时救助的通知", "改过的第一段。\n", created="2025-05-06",
                                                     published="2025-05-08", doc_number="永政发〔2025〕3号")})
    result = project.build()
    assert result.stats["parsed"] == 1 and result.stats["bodies_converted"] == 1
    assert 0 < result.stats["rendered"] < result.pages
    assert not result.stats["search_reused"]
    project.assert_same_as_clean()


def notice(title: str, body: str, village: str) -> str:
    return doc(title, body, kind="公示", villages=f"[{village}]", created="2026-11-18", published="2026-11-20",
               valid_until="2026-12-01")  # on the 公示栏 on TODAY


def test_edit_notice_renders_only_its_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Print pages are keyed like pages: an edited notice re-renders its print and the poster that
    shows its summary, every other print is hard-linked, and only re-rendered prints need codes."""
    from gongkai.reach import prints as print_module
    from gongkai.reach import qr

    p = Project(tmp_path, {
        **two_docs(),
        "documents/2026/jt.md": notice("井头村临时救助对象公示", "井头村公示正文。\n", "jingtou"),
        "documents/2026/md.md": notice("慕道村临时救助对象公示", "慕道村公示正文。\n", "mudao"),
    })
    p.build()
    prints = {f.relative_to(p.site).as_posix(): f.stat().st_ino for f in (p.site / "print").rglob("*.html")}
    assert {"print/documents/2026/jt.html", "print/documents/2026/md.html", "print/posters/jingtou.html"} <= set(prints)
    wanted: list[str] = []
    monkeypatch.setattr(qr, "_MEMO", {})
    monkeypatch.setattr(print_module, "qr_svg", lambda data, real=qr.qr_svg: wanted.append(data) or real(data))
    assert p.build().stats["rendered"] == 0 and wanted == []
    p.change({"documents/2026/jt.md": notice("井头村临时救助对象公示", "井头村公示正文（已更正）。\n", "jingtou")})
    result = p.build()
    changed = {rel for rel, ino in prints.items() if (p.site / rel).stat().st_ino != ino}
    assert changed == {"print/documents/2026/jt.html", "print/posters/jingtou.html"}
    assert "已更正" in (p.site / "print/documents/2026/jt.html").read_text(encoding="utf-8")
    assert 2 < result.stats["rendered"] < result.pages  # the document, its lists, and the two prints
    assert result.stats["reused"] == result.pages + result.stats["prints"] - result.stats["rendered"]
    assert set(wanted) == {"documents/2026/jt.html", "villages/jingtou.html"}  # print, poster, card
    assert result.stats["data_reused"] < 6  # documents.json lists the document's summary
    p.assert_same_as_clean()


def test_qr_store_keeps_exactly_this_builds_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When every print is rendered again (here: new templates), codes come from the store."""
    from gongkai.reach import qr

    p = Project(tmp_path, {**two_docs(), "documents/2026/jt.md": notice("井头村临时救助对象公示", "正文。\n", "jingtou")})
    p.build()
    stores = list(p.cache.rglob(qr.STORE))
    assert len(stores) == 1
    codes = {f.name for f in stores[0].iterdir()}
    assert len(codes) == 4  # two notices (dibao-gongshi, jt) and two villages
    made: list[str] = []
    monkeypatch.setattr(qr, "_MEMO", {})
    monkeypatch.setattr(qr, "make_svg", lambda data, real=qr.make_svg: made.append(data) or real(data))
    p.templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", p.templates)
    (p.templates / "print" / "base.html").write_text(
        (REPO / "templates/print/base.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = p.build()
    assert result.stats["reused"] == 0 and made == []
    p.change({"documents/2026/jt.md": None})
    p.build()
    assert {f.name for f in stores[0].iterdir()} < codes and len(list(stores[0].iterdir())) == 3
    p.assert_same_as_clean()


def test_edit_document_title_and_village(project: Project) -> None:
    project.change({"documents/2026/dibao-gongshi.md": doc("慕道村低保初审对象公示", "正文。\n", villages="[mudao]", kind="公示")})
    project.build()
    project.assert_same_as_clean()


def test_add_delete_and_rename_documents(project: Project) -> None:
    project.change({"documents/2026/new.md": doc("新增的通知", "新内容。\n", created="2026-04-01", published="2026-04-02")})
    project.build()
    project.assert_same_as_clean()
    project.change({"documents/2025/linshi.md": None})
    project.build()
    project.assert_same_as_clean()
    text = (project.content / "documents/2026/new.md").read_text(encoding="utf-8")
    project.change({"documents/2026/new.md": None, "documents/2026/renamed.md": text})
    project.build()
    project.assert_same_as_clean()


def test_village_added_renamed_and_deleted(project: Project) -> None:
    project.change({"villages/shimen.yaml": VILLAGE_YAML.format(name="石门村")})
    project.build()
    project.assert_same_as_clean()
    project.change({"villages/jingtou.yaml": VILLAGE_YAML.format(name="井头新村")})
    project.build()
    project.assert_same_as_clean()
    project.change({"villages/shimen.yaml": None})
    project.build()
    project.assert_same_as_clean()


def test_catalog_item_edited(project: Project) -> None:
    area = project.files["catalog/shjz.yaml"]
    assert isinstance(area, str)
    project.change({"catalog/shjz.yaml": area.replace("level2: 审核信息", "level2: 审核确认信息")})
    result = project.build()
    assert result.stats["rendered"] > 0
    project.assert_same_as_clean()


def test_template_change_means_full_work(project: Project) -> None:
    custom = project.tmp / "templates"
    custom.mkdir()
    original = (REPO / "templates" / "document.html").read_text(encoding="utf-8")
    (custom / "document.html").write_text(original.replace("打印本页", "打印此页"), encoding="utf-8")
    project.templates = custom
    result = project.build()
    assert result.stats["reused"] == 0
    assert "打印此页" in (project.site / "documents/2025/linshi.html").read_text(encoding="utf-8")
    project.assert_same_as_clean()


def test_corrupt_or_deleted_cache_is_a_full_build(project: Project) -> None:
    for f in project.cache.rglob("*.pickle"):
        f.write_bytes(b"\x80\x05not a pickle")
    result = project.build()
    assert result.stats["reused"] == 0
    project.assert_same_as_clean()
    shutil.rmtree(project.cache)
    project.build()
    project.assert_same_as_clean()


def test_hand_edited_output_is_not_reused(project: Project) -> None:
    page = project.site / "documents/2025/linshi.html"
    page.write_text("tampered", encoding="utf-8")
    result = project.build()
    assert result.stats["rendered"] >= 1
    project.assert_same_as_clean()


def test_missing_previous_site_is_a_full_build(project: Project) -> None:
    shutil.rmtree(project.site)
    result = project.build()
    assert result.stats["reused"] == 0
    project.assert_same_as_clean()


def test_workers_give_the_same_bytes(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked pool (bodies, pages, search alongside feeds and prints) on a tiny site."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    project.change({"documents/2026/extra.md": doc("又一份通知", "内容。\n", created="2026-05-01", published="2026-05-02")})
    result = project.build(jobs=2)
    assert result.stats["rendered"] > 0
    project.assert_same_as_clean()
    assert project.build(jobs=2).stats["rendered"] == 0


def test_clean_build_splits_the_index_over_two_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean build counts half the documents in a second worker (search.count_head); the
    files are those of a serial build, and the next build patches that index."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    files = {f"documents/2026/n{i}.md": doc(f"第{i}号通知：道路硬化与低保审核", f"第{i}段内容，村民代表会议。\n",
                                            created="2026-05-01", published="2026-05-02") for i in range(12)}
    p = Project(tmp_path, files)
    split = p.build(jobs=2)
    assert split.stats["index_tasks"] == 2 and split.stats["search_patched"] == -1
    p.assert_same_as_clean()
    uncached = run(p.content, tmp_path / "uncached", None, jobs=2)  # no cache: split as well
    assert uncached.stats["index_tasks"] == 2
    assert differences(p.site, tmp_path / "uncached") == []
    p.change({"documents/2026/n3.md": doc("第3号通知：道路硬化与低保审核", "改过的内容。\n",
                                          created="2026-05-01", published="2026-05-02")})
    patched = p.build(jobs=2)
    assert patched.stats["index_tasks"] == 1 and patched.stats["search_patched"] > 0
    p.assert_same_as_clean()


def test_cached_load_reports_the_same_warnings(tmp_path: Path) -> None:
    late = doc("迟到的通知", "正文。\n", created="2026-01-05", published="2026-04-20")
    p = Project(tmp_path, {"documents/2026/late.md": late})
    first = p.build()
    second = p.build()
    assert [d.text() for d in first.diagnostics.items] == [d.text() for d in second.diagnostics.items]
    assert second.diagnostics.warnings


def test_a_new_process_reuses_every_page(project: Project) -> None:
    """Keys must not depend on object identity or hash seeds: build again in fresh processes."""
    import json
    import os
    import subprocess
    import sys

    stats = []
    for seed in ("1", "2"):
        env = dict(os.environ, GONGKAI_CACHE_DIR=str(project.cache), PYTHONHASHSEED=seed, GONGKAI_NO_QUICK="1",
                   GONGKAI_TIMINGS=str(project.tmp / "timings.json"))
        args = ["build", "--content", str(project.content), "--out", str(project.site), "--today", TODAY.isoformat(),
                "--templates", str(REPO / "templates"), "-q"]
        done = subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        stats.append(json.loads((project.tmp / "timings.json").read_text(encoding="utf-8"))["stats"])
    assert stats[1]["rendered"] == 0
    assert stats[1]["search_reused"] and stats[1]["search_files"] > 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_cached_loader_equals_the_plain_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """`loading.cached.load_content` mirrors `loading.load_content`; a change to one must reach the other."""
    from gongkai import cache as cache_mod
    from gongkai.loading import cached
    from gongkai.loading import load_content as plain
    from gongkai.loading.cached import load_content as load_cached

    monkeypatch.setattr(cached, "PARALLEL_MIN_FILES", 0)
    files = {**two_docs(), "documents/2026/bad.md": "---\ntitle: [未闭合\n---\n正文\n", "villages/x.txt": "stray",
             "documents/2026/gbk.md": "---\ntitle: 标题\n---\n".encode("gbk")}
    content = write_tree(tmp_path, {**base_files(), **files})
    store = cache_mod.BuildCache(tmp_path / "cache", content, tmp_path / "site", {"all": "x" * 64})
    for _ in range(2):  # cold, then from the cache
        cached, expected = load_cached(content, store, jobs), plain(content)
        assert cached.records == expected.records
        assert [d.text() for d in cached.diagnostics] == [d.text() for d in expected.diagnostics]
    assert store.stats["parsed"] == 0  # files with errors are cached too: same bytes, same messages
