"""`gongkai serve`'s fast preview: an edited document's page before the full build, never more.

First the preview worker's logic in this process (which changes qualify, what it writes, how the
next build treats what it wrote), then the real server with full builds slowed down by
`tests/slowbuild/sitecustomize.py` (test code, not gongkai's), so that "before the full build finishes" is observable: the
preview arrives as one reload event, the full build as a second one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitekit import TODAY, doc
from test_incremental import Project, differences, two_docs
from test_serve import DOC, Served, _children, _events, _next_event, serving

from gongkai.build import BuildOptions
from gongkai.cache import BuildCache, fingerprint
from gongkai.output import MARKER
from gongkai.resources import template_dirs
from gongkai.serve.changes import Change
from gongkai.serve.preview import Previewer, document_file

REPO = Path(__file__).resolve().parent.parent
WITHHELD = doc("关于某户家庭情况的内部报告", attribute="不予公开", reason="涉及隐私", legal_basis="个人隐私",
               published=None)

# ---------------------------------------------------------------------------------------------
# The preview worker's logic, in this process


def test_document_file_accepts_only_existing_documents(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "documents" / "2026").mkdir(parents=True)
    (content / "villages").mkdir()
    for rel in ("documents/2026/a.md", "documents/top.md", "documents/2026/b.yaml", "villages/x.yaml"):
        (content / rel).write_text("x", encoding="utf-8")
    os.symlink(content / "documents" / "2026" / "a.md", content / "documents" / "2026" / "link.md")
    root = os.path.abspath(content)
    assert document_file(content, f"{root}/documents/2026/a.md") == ("2026/a", content / "documents" / "2026" / "a.md")
    assert document_file(content, f"{root}/documents/top.md") == ("top", content / "documents" / "top.md")
    for rel in ("documents/2026/gone.md",  # deleted (or the old name of a rename)
                "documents/2026/b.yaml", "villages/x.yaml", "site.yaml", "documents/2026",
                "documents/2026/link.md", "documents/2026/.a.md.swp"):
        assert document_file(content, f"{root}/{rel}") is None, rel
    assert document_file(content, "/elsewhere/documents/2026/a.md") is None


class Warm:
    """A built project with a `Previewer` warmed the way the server does it."""

    def __init__(self, tmp: Path, files: dict[str, str | bytes | None] | None = None):
        self.project = Project(tmp, {**two_docs(), **(files or {})})
        self.project.build()
        p = self.project
        self.options = BuildOptions(content=p.content, output=p.site, templates=REPO / "templates", today=TODAY,
                                    jobs=1, project=REPO, cache=p.cache)
        self.previewer = Previewer()
        self.previewer.built(self.options)
        self.previewer.catch_up()
        assert self.previewer.site is not None

    def edit(self, rel: str, text: str | None):  # type: ignore[no-untyped-def]
        self.project.change({rel: text})
        path = os.path.abspath(self.project.content / rel)
        return self.previewer.preview(self.options, [Change("content", path)])

    def page(self, doc_id: str) -> str:
        return (self.project.site / "documents" / f"{doc_id}.html").read_text(encoding="utf-8")


def _mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_preview_writes_only_the_page_and_the_next_build_renders_it_again(tmp_path: Path) -> None:
    w = Warm(tmp_path)
    site = w.project.site
    before = _mtimes(site)
    report = w.edit("documents/2025/linshi.md", doc("关于临时救助的补充通知", "新的正文。\n", created="2025-05-06",
                                                   published="2025-05-08", doc_number="永政发〔2025〕3号"))
    assert (report.status, report.pages) == ("shown", ("documents/2025/linshi.html",))
    assert "关于临时救助的补充通知" in w.page("2025/linshi") and "新的正文" in w.page("2025/linshi")
    after = _mtimes(site)
    assert {k for k in after if after[k] != before.get(k)} == {"documents/2025/linshi.html"}  # nothing else
    assert "关于临时救助的补充通知" not in (site / "documents" / "index.html").read_text(encoding="utf-8")
    assert not [p for p in site.parent.rglob(".*preview*")]  # temp files renamed into place
    # The output cache no longer vouches for the previewed file: the next build renders it.
    cache = BuildCache(w.project.cache, w.project.content, site, fingerprint(template_dirs(REPO / "templates")))
    previous = cache.previous_outputs(site, MARKER)
    assert "documents/2025/linshi.html" not in previous and "documents/2026/dibao.html" in previous
    w.project.build()
    w.project.assert_same_as_clean()
    w.previewer.built(w.options)
    assert not w.previewer.stale  # the previewed edit is already in the warm state


def test_previews_accumulate_and_errors_restore_the_last_good_build(tmp_path: Path) -> None:
    w = Warm(tmp_path)
    original = w.page("2026/dibao")
    assert w.edit("documents/2026/dibao.md", doc("第一次修改的通知")).status == "shown"
    assert "第一次修改的通知" in w.page("2026/dibao")
    bad = w.edit("documents/2026/dibao.md", doc("第二次修改的通知", created="2026-13-45"))
    assert bad.status == "errors" and bad.errors[0].path.endswith("documents/2026/dibao.md")
    assert w.page("2026/dibao") == original  # the overlay's "last good build underneath" is true
    fixed = w.edit("documents/2026/dibao.md", doc("第三次修改的通知"))
    assert fixed.status == "shown" and "第三次修改的通知" in w.page("2026/dibao")
    w.previewer.failed()  # the full build failed for another reason: back to the last good build
    assert w.page("2026/dibao") == original


def test_rules_of_the_validate_stage_run_on_the_edited_document(tmp_path: Path) -> None:
    w = Warm(tmp_path)
    report = w.edit("documents/2026/dibao.md", doc(body="联系电话 13812345678\n", item="shjz-no-such-item"))
    assert report.status == "errors"
    codes = {d.code for d in report.errors}
    assert {"xref.unknown_item", "governance.privacy"} <= codes
    assert all(d.path.endswith("documents/2026/dibao.md") for d in report.errors)


@pytest.mark.parametrize(
    ("rel", "text", "reason"),
    [
        ("documents/2026/new.md", doc("新文件"), "不是对已有文件"),  # new file
        ("documents/2026/dibao.md", None, "不是对已有文件"),  # deleted
        ("villages/jingtou.yaml", "name: 井头村\ncommittee: 井头村村委会\n", "不是对已有文件"),
        ("documents/2026/dibao.md", doc(attribute="依申请公开", reason="涉及第三方"), "公开属性"),
        ("documents/2026/dibao.md", WITHHELD, "公开属性"),  # public → withheld: only the full build
        ("documents/2026/neibu.md", WITHHELD.replace("内部报告", "内部报告（修订）"), "不予公开"),
    ],
)
def test_what_is_not_previewed(tmp_path: Path, rel: str, text: str | None, reason: str) -> None:
    w = Warm(tmp_path, {"documents/2026/neibu.md": WITHHELD})
    before = _mtimes(w.project.site)
    report = w.edit(rel, text)
    assert report.status == "skipped" and reason in report.reason
    assert _mtimes(w.project.site) == before
    assert not (w.project.site / "documents" / "2026" / "neibu.html").exists()
    # and while that change is not built, no other document is previewed either
    other = w.edit("documents/2025/linshi.md", doc("关于临时救助的通知（改）", created="2025-05-06",
                                                  published="2025-05-08", doc_number="永政发〔2025〕3号"))
    assert other.status == "skipped"


def test_a_rename_is_not_previewed(tmp_path: Path) -> None:
    w = Warm(tmp_path)
    content = w.project.content
    os.replace(content / "documents/2026/dibao.md", content / "documents/2026/dibao2.md")
    changes = [Change("content", os.path.abspath(content / f"documents/2026/{n}.md")) for n in ("dibao", "dibao2")]
    assert w.previewer.preview(w.options, changes).status == "skipped"


def test_a_template_change_is_not_previewed_and_is_read_again_after_the_build(tmp_path: Path) -> None:
    w = Warm(tmp_path)
    report = w.previewer.preview(w.options, [Change("templates", str(REPO / "templates" / "base.html"))])
    assert report.status == "skipped"
    w.project.build()
    w.previewer.built(w.options)
    assert w.previewer.stale
    w.previewer.catch_up()
    assert w.previewer.site is not None and not w.previewer.dirty
    assert w.edit("documents/2026/dibao.md", doc("模板修改之后的通知")).status == "shown"


def test_a_cancel_is_ignored_only_once_the_build_swaps_in_its_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build worker's SIGTERM handler asks `_committing(frame)`: here it is asked at every
    cache write of a real build (load and bodies come before the swap, outputs after it)."""
    import sys as _sys

    from gongkai.serve import builder

    seen: dict[str, bool] = {}
    write = BuildCache.write

    def spy(self: BuildCache, name: str, payload: object) -> None:
        seen[name] = builder._committing(_sys._getframe())
        write(self, name, payload)

    monkeypatch.setattr(BuildCache, "write", spy)
    Project(tmp_path, two_docs()).build()
    loads = [v for k, v in seen.items() if k.startswith("load")]
    assert loads and not any(loads) and seen["bodies"] is False
    assert seen["outputs"] is True


# ---------------------------------------------------------------------------------------------
# The real server, with slow full builds

#: Every full build after the first waits 4 s before it starts (`slowbuild/sitecustomize.py`).
SLOW = {"PYTHONPATH": os.pathsep.join(p for p in (str(Path(__file__).parent / "slowbuild"), os.environ.get("PYTHONPATH")) if p),
        "SLOW_BUILD_SECONDS": "4"}


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    yield from serving(tmp_path)


def _drain(s: Served) -> str:
    out = []
    while not s.lines.empty():
        out.append(s.lines.get())
    return "".join(out)


def _served_site(s: Served) -> Path:
    workdirs = list((s.root / "tmp").glob("gongkai-serve-*"))
    assert len(workdirs) == 1
    return workdirs[0] / "site"


def _clean_build(s: Served) -> Path:
    out = s.root / "clean"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run(
        [sys.executable, "-m", "gongkai", "build", "--out", str(out), "--today", "2026-11-26", "-j", "1", "-q"],
        cwd=s.root, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        env={**os.environ, "GONGKAI_NO_CACHE": "1", "GONGKAI_NO_FSYNC": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_edit_is_shown_before_the_full_build_which_then_reloads_again(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve(two_docs(), env=SLOW)
    tab = _events(s)
    try:
        assert _next_event(tab)["build"] == 1
        started = time.monotonic()
        s.save(DOC, doc(title="关于做好低保工作的补充通知"))
        previewed = _next_event(tab)
        assert previewed == {**previewed, "build": 1, "ok": True, "preview": True, "building": True}
        code, page = s.get("/documents/2026/dibao.html")
        status = s.status()
        assert code == 200 and "关于做好低保工作的补充通知" in page
        assert status["build"] == 1 and status["building"] is True  # the full build is still running
        assert time.monotonic() - started < 4  # well before the slowed full build could end
        assert status["preview"] == ["documents/2026/dibao.html"] and status["previews"] == 1
        assert 'id="gongkai-building"' in page and "gongkai-overlay" not in page
        assert "关于做好低保工作的补充通知" not in s.get("/documents/index.html")[1]  # lists wait for the build
        built = _next_event(tab)
        assert built == {**built, "build": 2, "ok": True, "preview": False, "building": False}
    finally:
        tab.close()
    assert "关于做好低保工作的补充通知" in s.get("/documents/index.html")[1]
    assert 'id="gongkai-building"' not in s.get("/documents/2026/dibao.html")[1]
    assert differences(_served_site(s), _clean_build(s)) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the worker through /proc")
def test_a_newer_save_cancels_the_stale_full_build(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve(two_docs(), env=SLOW)
    tab = _events(s)
    try:
        _next_event(tab)
        s.save(DOC, doc(title="第一次保存的通知"))
        assert _next_event(tab)["preview"] is True
        worker = _children(s.proc.pid)
        time.sleep(0.3)  # the full build for the first save is now waiting (slowed down)
        started = time.monotonic()
        s.save(DOC, doc(title="第二次保存的通知"))
        second = _next_event(tab)
        assert second["preview"] is True and second["build"] == 1  # not the first save's build …
        assert time.monotonic() - started < 3
        assert "第二次保存的通知" in s.get("/documents/2026/dibao.html")[1]
        assert _children(s.proc.pid) != worker  # … which was cancelled by ending its worker
        built = _next_event(tab)
        assert built["build"] == 2 and built["ok"] is True  # one full build for both saves
    finally:
        tab.close()
    site = _served_site(s)
    assert not list(site.parent.glob(".site.tmp-*"))  # the cancelled build's temp folder is gone
    assert differences(site, _clean_build(s)) == []


def test_withheld_documents_and_changes_to_withheld_are_never_previewed(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve({"documents/2026/neibu.md": WITHHELD}, env=SLOW)
    tab = _events(s)
    try:
        _next_event(tab)
        s.save("documents/2026/neibu.md", WITHHELD.replace("内部报告", "内部报告（修订）"))
        event = _next_event(tab)  # no preview: the next event is the full build
        assert (event["build"], event["preview"]) == (2, False)
        assert s.get("/documents/2026/neibu.html")[0] == 404
        s.save(DOC, WITHHELD.replace("关于某户家庭情况的内部报告", "关于做好低保工作的通知（转为不予公开）"))
        time.sleep(1.0)  # a preview would long have been shown
        code, page = s.get("/documents/2026/dibao.html")
        assert code == 200 and "转为不予公开" not in page  # the last build's page, until the full build
        assert s.status()["previews"] == 0
        event = _next_event(tab)
        assert (event["build"], event["preview"]) == (3, False)
    finally:
        tab.close()
    assert s.get("/documents/2026/dibao.html")[0] == 404
    assert "转为不予公开" not in s.get("/documents/index.html")[1]


def test_invalid_edit_shows_the_overlay_at_once(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve(env=SLOW)
    tab = _events(s)
    try:
        _next_event(tab)
        s.save(DOC, doc(title="这次修改有错误的通知", created="2026-13-45"))
        event = _next_event(tab)
        assert event == {**event, "ok": False, "build": 1, "building": True}, (event, _drain(s))
        code, page = s.get("/documents/2026/dibao.html")
        assert code == 200 and 'id="gongkai-overlay"' in page and "content/documents/2026/dibao.md:5:" in page
        assert "关于做好低保工作的通知" in page and "这次修改有错误的通知" not in page  # last good build underneath
        event = _next_event(tab)  # the full build finds the same error
        assert event == {**event, "ok": False, "build": 1, "building": False}
        s.save(DOC, doc(title="改正之后的通知"))
        event = _next_event(tab)
        assert event == {**event, "ok": True, "preview": True, "building": True, "errors": 0}
        assert "gongkai-overlay" not in s.wait_page("/documents/2026/dibao.html", "改正之后的通知")
    finally:
        tab.close()


def test_a_full_build_failing_after_a_preview_puts_the_page_back(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve(two_docs(), env=SLOW)
    tab = _events(s)
    try:
        _next_event(tab)
        # Valid on its own (so previewed), but the 文号 is already used by 2025/linshi: only the
        # full build compares all documents.
        s.save(DOC, doc(title="文号重复的通知", doc_number="永政发〔2025〕3号"))
        assert _next_event(tab)["preview"] is True
        assert "文号重复的通知" in s.get("/documents/2026/dibao.html")[1]
        failed = _next_event(tab)
        assert failed == {**failed, "ok": False, "build": 1, "building": False}
    finally:
        tab.close()
    page = s.get("/documents/2026/dibao.html")[1]
    assert "关于做好低保工作的通知" in page and "文号重复的通知" not in page
    assert 'id="gongkai-overlay"' in page and "永政发〔2025〕3号" in page

