"""Quick rebuilds (gongkai/quick/): after body-only edits, remake only what shows those bodies.

Every test builds the example town with a cache, edits files, builds again and compares the
whole output with a clean build of the same content. It also checks which way the build went
(`stats["quick"]`), because a quick rebuild that silently fell back to a full one would pass
the comparison but not the point. Timing is measured by `benchmarks/run.py`, never here.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sitekit import TODAY
from test_incremental import differences, tree

from gongkai.build import BuildOptions, BuildResult, build
from gongkai.quick import snapshot as snapshot_mod

REPO = Path(__file__).resolve().parent.parent


class Town:
    """A copy of the example town, its cached site, and clean builds to compare with."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.content = tmp / "content"
        shutil.copytree(REPO / "content", self.content)
        self.site, self.cache = tmp / "site", tmp / "cache"

    def options(self, out: Path, cache: Path | None, **kw: object) -> BuildOptions:
        return BuildOptions(content=self.content, output=out, templates=REPO / "templates", today=kw.pop("today", TODAY),  # type: ignore[arg-type]
                            jobs=1, project=REPO, cache=cache, incremental=cache is not None, **kw)  # type: ignore[arg-type]

    def build(self, **kw: object) -> BuildResult:
        return build(self.options(self.site, self.cache, **kw))

    def clean(self) -> Path:
        out = self.tmp / "clean"
        shutil.rmtree(out, ignore_errors=True)
        result = build(self.options(out, None))
        assert result.ok, [d.text() for d in result.diagnostics.errors]
        return out

    def assert_same_as_clean(self) -> None:
        assert differences(self.site, self.clean()) == []

    def edit_body(self, rel: str, text: str) -> None:
        path = self.content / "documents" / rel
        head, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        path.write_text(f"{head}---\n{front}---\n{text}\n\n{body}", encoding="utf-8")

    def edit_front(self, rel: str, old: str, new: str) -> None:
        path = self.content / "documents" / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def town(tmp_path: Path) -> Town:
    t = Town(tmp_path)
    first = t.build()
    assert first.ok and not first.stats.get("quick")
    return t


def quick(result: BuildResult) -> bool:
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return bool(result.stats.get("quick"))


EDITS = [
    "2026/jingtou-dibao-chushen-gongshi-2026-11.md",  # a village 公示: print page, village page, feeds
    "2024/gaoling-jintie-shenling-fafang-banfa.md",  # a policy with an interpretation
    "2024/gaoling-jintie-shenling-fafang-banfa-jiedu.md",  # the interpretation
    "2026/jingtou-caiwu-2026-10.md",  # a village's finances
    "2023/kongchuo-baoxue-2023-qiuji.md",  # has a summary: field
    "2023/zhengwu-gongkai-gongzuo-zongjie-2023.md",  # 依申请公开: its body is never published
    "2023/jiguan-kaoqin-tongbao-2023.md",  # 不予公开: nothing of it is published
]


@pytest.mark.parametrize("rel", EDITS)
def test_body_edit_is_quick_and_identical_to_a_clean_build(town: Town, rel: str) -> None:
    town.edit_body(rel, "（补充说明）本文件作了更正，请以本版本为准。")
    result = town.build()
    assert quick(result)
    assert result.pages and result.files  # the summary line still has the site's counts
    town.assert_same_as_clean()


def test_edited_text_is_on_the_page_in_listings_search_and_open_data(town: Town) -> None:
    rel = "2026/jingtou-dibao-chushen-gongshi-2026-11.md"
    town.edit_body(rel, "独一无二的更正说明文字")
    assert quick(town.build())
    site = tree(town.site)
    page = site["documents/2026/jingtou-dibao-chushen-gongshi-2026-11.html"].decode()
    assert "独一无二的更正说明文字" in page
    assert b"\xe7\x8b\xac\xe4\xb8\x80\xe6\x97\xa0\xe4\xba\x8c" in site["data/documents.json"]  # 独一无二 in the summary
    assert any("独一无二" in data.decode() for rel_, data in site.items() if rel_.startswith("search/docs/"))


def test_withheld_body_never_reaches_the_site(town: Town) -> None:
    town.edit_body("2023/jiguan-kaoqin-tongbao-2023.md", "内部考勤细节绝不能公开")
    result = town.build()
    assert quick(result) and result.stats["rendered"] == 0
    assert not any("内部考勤细节" in data.decode("utf-8", "replace") for data in tree(town.site).values())


def largest_deps(town: Town) -> tuple[int, int]:
    """(most documents one output shows, public documents)."""
    from gongkai.cache import BuildCache, fingerprint
    from gongkai.resources import template_dirs

    cache = BuildCache(town.cache, town.content, town.site, fingerprint(template_dirs(REPO / "templates")))
    loaded = snapshot_mod.load_snapshot(cache)
    assert loaded is not None
    snap = loaded[0]
    return max(len(ids) for ids in snap.deps.values()), len(snap.summaries)


def test_a_series_of_quick_edits_then_a_full_build_then_quick_again(town: Town) -> None:
    before = largest_deps(town)
    for n, rel in enumerate(EDITS[:4] * 2):
        town.edit_body(rel, f"第{n}次更正。")
        assert quick(town.build())
    # what quick rebuilds record is as precise as a full build's: no output comes to "show" every document
    assert largest_deps(town) == before and before[0] < before[1]
    town.assert_same_as_clean()
    # a village changes: a full build, which starts from the quick rebuilds' outputs
    village = town.content / "villages" / "jingtou.yaml"
    village.write_text(village.read_text(encoding="utf-8").replace("井头村", "井头村（改）", 1), encoding="utf-8")
    full = town.build()
    assert full.ok and not full.stats.get("quick")
    assert full.stats["reused"] > 0  # pages unchanged since the quick rebuilds were reused
    town.assert_same_as_clean()
    town.edit_body(EDITS[0], "再次更正。")
    assert quick(town.build())
    town.assert_same_as_clean()


def test_a_large_delta_is_folded_into_the_snapshot(town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot_mod, "MAX_DELTA", 5)
    for n in range(3):
        town.edit_body(EDITS[n], f"第{n}次。")
        assert quick(town.build())
    town.assert_same_as_clean()


def test_nothing_changed_keeps_the_site(town: Town) -> None:
    before = tree(town.site)
    result = town.build()
    assert quick(result) and result.stats["rendered"] == 0
    assert tree(town.site) == before
    warnings = [d.text() for d in result.diagnostics.sorted()]
    assert warnings  # the example town has a deliberate warning: a no-change rebuild reports it too
    again = town.build()
    assert quick(again) and [d.text() for d in again.diagnostics.sorted()] == warnings
    town.edit_body(EDITS[0], "更正。")  # and the next edit is still quick
    assert quick(town.build())
    town.assert_same_as_clean()


@pytest.mark.parametrize(
    "change",
    ["front matter", "new document", "deleted document", "village", "another day", "base url"],
)
def test_other_changes_build_in_full_with_the_same_output(town: Town, change: str) -> None:
    kw: dict[str, object] = {}
    if change == "front matter":  # a field that is not only shown (title, summary, keywords are)
        town.edit_front(EDITS[3], "title: ", "validity: 有效\ntitle: ")
    elif change == "new document":
        src = town.content / "documents" / EDITS[3]
        shutil.copy(src, src.with_name("copy-of-it.md"))
        town.edit_front("2026/copy-of-it.md", "doc_number:", "doc_number_old:") if "doc_number:" in src.read_text(encoding="utf-8") else None
    elif change == "deleted document":
        (town.content / "documents" / EDITS[3]).unlink()
    elif change == "village":
        path = town.content / "villages" / "mudao.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n# 注释\n", encoding="utf-8")
    elif change == "another day":
        kw["today"] = TODAY.replace(day=27)
    elif change == "base url":
        kw["base_url"] = "https://example.gov.cn/yongsui/"
    result = town.build(**kw)
    if not result.ok:  # the copied document may clash with its original (same 文号): that is a full build too
        assert change == "new document" and not result.stats.get("quick")
        return
    assert not result.stats.get("quick")
    if not kw:
        town.assert_same_as_clean()


def test_a_file_changed_by_hand_in_site_means_a_full_build_that_restores_it(town: Town) -> None:
    page = town.site / "catalog" / "index.html"  # a page the edit below does not make again
    assert page.is_file()
    page.write_text("被人改过", encoding="utf-8")
    town.edit_body(EDITS[3], "更正。")
    result = town.build()
    assert result.ok and not result.stats.get("quick")
    # the quick attempt had patched the search index before it found the page: the full build
    # still patches the previous index (the quick one's text-store writes were held back)
    assert result.stats["search_patched"] > 0
    town.assert_same_as_clean()


def published_attachment(town: Town) -> tuple[Path, str]:
    for path in sorted((town.content / "attachments").rglob("*")):
        rel = path.relative_to(town.content).as_posix()
        if path.is_file() and (town.site / rel).is_file():
            return path, rel
    raise AssertionError("the example town publishes attachments")


def test_an_attachment_changed_means_a_full_build(town: Town) -> None:
    attachment, rel = published_attachment(town)
    attachment.write_bytes(attachment.read_bytes() + b"\n")  # the full build checks attachments (size, place)
    town.edit_body(EDITS[3], "更正。")
    result = town.build()
    assert result.ok and not result.stats.get("quick")
    assert (town.site / rel).read_bytes() == attachment.read_bytes()
    town.assert_same_as_clean()


def test_an_attachment_touched_but_the_same_stays_quick(town: Town) -> None:
    attachment, _ = published_attachment(town)
    os.utime(attachment, None)
    town.edit_body(EDITS[3], "更正。")
    assert quick(town.build())
    town.assert_same_as_clean()


def test_a_privacy_error_in_the_new_body_fails_and_keeps_the_site(town: Town) -> None:
    before = tree(town.site)
    town.edit_body(EDITS[3], "联系人手机 13912345678。")
    result = town.build()
    assert not result.ok
    [err] = result.diagnostics.errors
    assert err.code == "governance.privacy" and "手机号" in err.message and "139****5678" in err.message
    assert err.path.endswith(EDITS[3]) and err.line > 1
    assert tree(town.site) == before


def test_warnings_are_those_of_a_full_build(town: Town) -> None:
    full = build(town.options(town.tmp / "other", None))
    town.edit_body(EDITS[3], "更正。")
    result = town.build()
    assert quick(result)
    assert [d.text() for d in result.diagnostics.sorted()] == [d.text() for d in full.diagnostics.sorted()]


def test_the_cache_can_be_deleted_between_builds(town: Town) -> None:
    shutil.rmtree(town.cache)
    town.edit_body(EDITS[0], "更正。")
    result = town.build()
    assert result.ok and not result.stats.get("quick")
    town.assert_same_as_clean()


def test_a_delta_that_does_not_apply_means_a_full_build(town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    """A saved delta of another layout (say, written by another version's quick rebuild) is no
    snapshot: a full build, never an internal error."""
    town.edit_body(EDITS[0], "更正。")
    assert quick(town.build())  # the cache now holds a delta

    def other_layout(snap: object, delta: object) -> object:
        raise AttributeError("'Delta' object has no attribute 'removed'")

    monkeypatch.setattr(snapshot_mod, "apply", other_layout)
    town.edit_body(EDITS[0], "再次更正。")
    assert not quick(town.build())
    monkeypatch.undo()
    town.assert_same_as_clean()


def test_the_old_site_is_deleted_and_no_temp_folders_stay(town: Town) -> None:
    town.edit_body(EDITS[0], "更正。")
    assert quick(town.build())
    strays = [p.name for p in town.tmp.iterdir() if p.name.startswith(".site.") and not p.name.endswith(".lock")]
    assert all(".trash-" in name for name in strays)  # being deleted in the background, never a tmp folder
    assert os.path.isdir(town.site)


def test_pages_a_preview_replaced_are_made_again_quickly(town: Town) -> None:
    """`gongkai serve` writes the edited document's own page into site/ before the build runs:
    such a file is not as the snapshot left it, but the quick rebuild makes it again anyway."""
    rel = EDITS[0]
    page = town.site / "documents" / rel.replace(".md", ".html")
    preview = page.with_name(page.name + ".tmp")
    preview.write_text("预览中的页面", encoding="utf-8")
    os.replace(preview, page)
    town.edit_body(rel, "更正。")
    assert quick(town.build())
    town.assert_same_as_clean()


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (EDITS[3], "title: ", "title: （更正）"),
        (EDITS[4], "summary: ", "summary: （更正）"),
        # the last keyword: the others keep their place (a moved value means a full build)
        ("2023/zhengwu-gongkai-gongzuo-zongjie-2023.md", "政务公开]", "政务公开工作]"),
        (EDITS[1], "title: ", "title: （更正）"),  # a policy: its interpretation's page links to it by title
    ],
)
def test_title_summary_keywords_edits_are_quick(town: Town, rel: str, old: str, new: str) -> None:
    town.edit_front(rel, old, new)
    assert quick(town.build())
    town.assert_same_as_clean()


def test_a_new_policy_title_is_shown_by_its_interpretation(town: Town) -> None:
    town.edit_front(EDITS[1], "title: ", "title: 更正后的标题")
    assert quick(town.build())
    page = (town.site / "documents" / EDITS[2].replace(".md", ".html")).read_text(encoding="utf-8")
    assert "更正后的标题" in page


def test_messages_quoting_a_changed_title_are_made_again(tmp_path: Path) -> None:
    town = Town(tmp_path)
    # an interpretation published two weeks after its policy: a 解读滞后 warning naming the policy
    town.edit_front("2025/dibao-shenhe-queren-shishi-xize-jiedu.md", "published: 2025-04-18", "published: 2025-05-02")
    first = town.build()
    assert first.ok and any(d.code == "governance.interpretation_lag" for d in first.diagnostics.warnings)
    town.edit_front("2025/dibao-shenhe-queren-shishi-xize.md", "title: ", "title: 修订后")
    result = town.build()
    assert quick(result)
    full = build(town.options(tmp_path / "other", None))
    assert [d.text() for d in result.diagnostics.sorted()] == [d.text() for d in full.diagnostics.sorted()]
    [lag] = [d for d in result.diagnostics.warnings if d.code == "governance.interpretation_lag"]
    assert "修订后" in lag.message
    town.assert_same_as_clean()


def test_a_hit_of_the_output_scan_in_a_quick_rebuild_means_a_full_build_that_fails(
        town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last look before publishing also guards the quick path: a hit there falls back to the
    full build, which reports it and keeps the site. (A number the rules miss is simulated by a
    scanner that flags the edited sentence.)"""
    from gongkai import published_scan
    from gongkai.rules.privacy import PrivacyFinding

    before = tree(town.site)
    real = published_scan.file_findings

    def flag_marker(rel: str, data: bytes, allowed: frozenset[str] = frozenset(), today: date | None = None) -> list[PrivacyFinding]:
        if "本版本为准".encode() in data and rel.endswith(".html"):
            return [PrivacyFinding(1, 1, "手机号", "13912345678", "139****5678")]
        return real(rel, data, allowed, today)

    monkeypatch.setattr(published_scan, "file_findings", flag_marker)
    town.edit_body(EDITS[0], "（补充说明）本文件作了更正，请以本版本为准。")
    result = town.build()
    assert not result.ok
    assert str(result.stats["quick_skipped"]).endswith(
        f"documents/{EDITS[0][:-3]}.html: a personal number in the output (the full build reports it)")
    errors = result.diagnostics.errors
    assert errors and all(d.code == "build.privacy" for d in errors)
    assert any(d.path.endswith(EDITS[0]) and "site/documents/" in d.message for d in errors)
    assert tree(town.site) == before


def scanned_documents_json(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """What the output scan is given for data/documents.json (the real scan runs on it)."""
    from gongkai import published_scan

    seen: list[bytes] = []
    real = published_scan.file_findings

    def spy(rel: str, data: bytes, allowed: frozenset[str] = frozenset(), today: date | None = None) -> list[Any]:
        if rel == "data/documents.json":
            seen.append(data)
        return real(rel, data, allowed, today)

    monkeypatch.setattr(published_scan, "file_findings", spy)
    return seen


def test_the_output_scan_of_a_quick_rebuild_reads_only_the_new_rows_of_documents_json(
        town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    """documents.json holds every public document (2.8 MB at 3,000): the rest of the file is the
    published one, which passed the scan, so only the remade row is new text to look at."""
    seen = scanned_documents_json(monkeypatch)
    town.edit_front(EDITS[4], "title: ", "title: 更正后的标题")
    assert quick(town.build())
    [data] = seen
    rows = data.decode("utf-8")
    assert "更正后的标题" in rows and rows.count('"id": ') == 1
    assert len(data) < (town.site / "data" / "documents.json").stat().st_size // 10
    town.assert_same_as_clean()


def test_a_number_in_a_new_row_of_documents_json_still_fails_the_quick_rebuild(
        town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new row is scanned: a hit there (simulated: the rules would catch a real number in the
    title first) falls back to the full build, which reports it and keeps the site."""
    from gongkai import published_scan
    from gongkai.rules.privacy import PrivacyFinding

    before = tree(town.site)
    real = published_scan.file_findings

    def flag_title(rel: str, data: bytes, allowed: frozenset[str] = frozenset(), today: date | None = None) -> list[PrivacyFinding]:
        if rel == "data/documents.json" and "更正后的标题".encode() in data:
            return [PrivacyFinding(1, 1, "手机号", "13912345678", "139****5678")]
        return real(rel, data, allowed, today)

    monkeypatch.setattr(published_scan, "file_findings", flag_title)
    town.edit_front(EDITS[4], "title: ", "title: 更正后的标题")
    result = town.build()
    assert not result.ok
    assert str(result.stats["quick_skipped"]).endswith(
        "data/documents.json: a personal number in the output (the full build reports it)")
    assert tree(town.site) == before


def test_a_documents_json_changed_by_hand_means_a_full_build_that_restores_it(town: Town) -> None:
    """Patched row by row, it would keep the change (and only the published file was scanned)."""
    path = town.site / "data" / "documents.json"
    data = path.read_bytes()
    path.unlink()  # a new file (the previous site's is a hard link target elsewhere)
    path.write_bytes(data + b"\n")
    town.edit_body(EDITS[4], "（补充说明）本文件作了更正，请以本版本为准。")
    result = town.build()
    assert result.ok and not result.stats.get("quick")
    town.assert_same_as_clean()


def test_an_edit_that_gives_a_search_term_a_block_or_takes_it_away_stays_quick(tmp_path: Path) -> None:
    """A body edit that takes a term back under the inline limit (its block file goes) or over
    it (its postings move to a block file of their own) stays a quick rebuild: the block file is
    removed or added, and the site equals a clean build each time, also for the quick and full
    builds that follow. (Before, the quick rebuild gave up: a full build of the township.)"""
    import re
    from unittest import mock

    from gongkai.search import shard_format

    with mock.patch.object(shard_format, "INLINE_POSTINGS", 3):
        t = Town(tmp_path)
        docs = sorted((t.content / "documents").rglob("*.md"))
        public = [d for d in docs if re.search(r'^attribute: "?主动公开', d.read_text(encoding="utf-8"), re.MULTILINE)]
        original = public[3].read_text(encoding="utf-8")
        for doc in public[:4]:  # four documents: the term's postings are in a block file
            doc.write_text(doc.read_text(encoding="utf-8").rstrip("\n") + "\n\n鳌鱼\n", encoding="utf-8")
        assert not quick(t.build())

        def blocks() -> set[str]:
            return {p.name for p in (t.site / "search" / "blocks").glob("*.js")}

        before = blocks()
        public[3].write_text(original, encoding="utf-8")  # three: inline again, the block file goes
        assert quick(t.build())
        assert blocks() < before
        t.assert_same_as_clean()
        t.edit_body(EDITS[0], "更正。")  # the next quick rebuild starts from the site without it
        assert quick(t.build())
        t.assert_same_as_clean()
        t.edit_body(public[3].relative_to(t.content / "documents").as_posix(), "鳌鱼")  # four again
        assert quick(t.build())
        assert blocks() == before
        t.assert_same_as_clean()
        t.edit_body(EDITS[0], "再次更正。")  # and the one after that keeps the block file
        assert quick(t.build())
        t.assert_same_as_clean()
        village = t.content / "villages" / "mudao.yaml"
        village.write_text(village.read_text(encoding="utf-8") + "\n# 注释\n", encoding="utf-8")
        assert not quick(t.build())  # a full build after quick ones: the same as a clean one
        t.assert_same_as_clean()
