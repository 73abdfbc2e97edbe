"""The build engine (`gongkai/engine.py`): what a page reads is recorded where the model is read,
and a rebuild reuses exactly the pages whose reads are unchanged.

Each test edits a small town and checks what a user sees: the rebuilt `site/` equals a clean
build of the same content, byte for byte, through the full rebuild and through the quick one.
Which pages the engine reused is read from the build's counters only where the point is that
something was reused at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitekit import TODAY, doc
from test_incremental import Project, differences, run, two_docs

from gongkai.build import BuildOptions, build
from gongkai.cachedir import KEY_FILE, seal, unseal
from gongkai.engine import Memo, Tracked, facet, recording, untracked

REPO = Path(__file__).resolve().parent.parent


def on_request_notice(title: str) -> str:
    """A current 依申请公开 公示 for 井头村: on its notice board, its print and the poster list it."""
    return doc(title, "正文不公开。\n", kind="公示", attribute="依申请公开", reason="涉及第三方合法权益", villages="[jingtou]", created="2026-11-18",
               published="2026-11-20", valid_until="2026-12-01")


def quick_build(p: Project) -> object:
    opts = BuildOptions(content=p.content, output=p.site, templates=REPO / "templates", today=TODAY, jobs=1,
                        project=REPO, cache=p.cache, incremental=True)
    result = build(opts)
    assert result.ok
    return result


@pytest.mark.parametrize("path", ["full", "quick"])
def test_a_new_title_of_an_on_request_notice_reaches_every_print(tmp_path: Path, path: str) -> None:
    """The case that made the issue: the poster and village prints show the notice's title, and
    nothing had declared that they read it. Here nothing has to: they read the document."""
    p = Project(tmp_path, {**two_docs(), "documents/2026/ysq.md": on_request_notice("关于井头村某事项的公示")})
    p.build()
    p.change({"documents/2026/ysq.md": on_request_notice("关于井头村某事项的公示（更正）")})
    result = quick_build(p) if path == "quick" else p.build()
    assert getattr(result, "stats", {}).get("quick") == (1 if path == "quick" else None)
    for rel in ("print/posters/jingtou.html", "print/villages/jingtou.html"):
        assert "关于井头村某事项的公示（更正）" in (p.site / rel).read_text(encoding="utf-8")
    p.assert_same_as_clean()


def test_a_village_rename_reuses_the_pages_that_do_not_show_it(project: Project) -> None:
    village = project.content / "villages" / "jingtou.yaml"
    village.write_text(village.read_text(encoding="utf-8").replace("井头村", "井头新村", 1), encoding="utf-8")
    result = project.build()
    assert 0 < result.stats["reused"] and 0 < result.stats["rendered"]
    assert "井头新村" in (project.site / "villages" / "jingtou.html").read_text(encoding="utf-8")
    project.assert_same_as_clean()


def test_a_body_edit_behind_a_written_summary_leaves_the_lists_alone(tmp_path: Path) -> None:
    """A document with its own `summary`: a body edit changes its page, not what lists show of it
    (the list summary's digest is unchanged: the lists are green)."""
    files = {**two_docs(), "documents/2026/yl.md": doc("关于养老补贴的通知", "第一版正文。\n", summary="养老补贴发放说明")}
    p = Project(tmp_path, files)
    first = p.build()
    listing = p.site / "documents" / "index.html"
    before = listing.stat().st_ino
    p.change({"documents/2026/yl.md": doc("关于养老补贴的通知", "第二版正文。\n", summary="养老补贴发放说明")})
    result = p.build()
    assert "第二版正文" in (p.site / "documents" / "2026" / "yl.html").read_text(encoding="utf-8")
    assert listing.stat().st_ino == before  # linked from the previous site/
    assert result.stats["rendered"] < first.stats["rendered"] // 2
    p.assert_same_as_clean()


def test_a_new_document_leaves_the_other_documents_pages_alone(tmp_path: Path) -> None:
    """Adding a document changes the lists that show it, not the page of a document in another
    year that lists nothing: that page reads its own 索引号 (`Lookup`) and whether the documents
    it links to are public (`doc:<id>`), not every document's."""
    p = Project(tmp_path, two_docs())
    p.build()
    p.change({"documents/2026/fanghuo.md": doc("关于冬季森林防火的通知", "请做好森林防火。\n")})
    result = p.build()
    assert "关于冬季森林防火的通知" in (p.site / "documents" / "index.html").read_text(encoding="utf-8")
    # what the other document's page read, as the engine recorded it: its own 索引号, not all
    [memo] = p.cache.rglob(Memo.NAME)
    data = json.loads(unseal((p.cache / KEY_FILE).read_bytes(), Memo.NAME, memo.read_bytes()).decode("utf-8"))  # type: ignore[union-attr]
    reads = {data["keys"][i] for i in data["tasks"]["documents/2025/linshi.html"][2]}
    assert "at:site.index_numbers|2025/linshi" in reads and "site.index_numbers" not in reads
    assert not any(k.startswith("at:site.index_numbers|2026/") for k in reads)
    # and its interpretations (none), not the map of every policy's interpretations
    assert "at:site.interpretations_of|2025/linshi" in reads and "site.interpretations_of" not in reads
    assert result.stats["reused"] > 0  # green pages are linked from the previous site/
    p.assert_same_as_clean()


def test_a_summary_whose_document_is_unchanged_is_not_made_to_check_it(tmp_path: Path) -> None:
    """The memo keeps what each list summary read (`deps`): while those keys are as they were,
    the summary's digest is the previous build's and the summary is not made to check the pages
    that show it (nor to make `documents.json`, whose rows are kept). The edited document's
    summary is made again (its body is its summary)."""
    files = two_docs()
    files.update({f"documents/2024/n{i}.md": doc(f"第{i}号通知", f"第{i}号正文。\n", created=f"2024-03-0{i}",
                                                  published=f"2024-03-0{i}") for i in range(1, 6)})
    p = Project(tmp_path, files)
    p.build()
    p.change({"documents/2024/n3.md": doc("第3号通知", "第3号正文，有补充。\n", created="2024-03-03", published="2024-03-03")})
    result = p.build()
    assert "第3号正文，有补充" in (p.site / "documents" / "2024" / "n3.html").read_text(encoding="utf-8")
    assert result.stats["engine_derived_reused"] >= 6  # the six other documents' summaries (and derived tables)
    # documents.json: the edited document's row made again, every other row kept (`fragments.py`)
    count = json.loads((p.site / "data" / "documents.json").read_text(encoding="utf-8"))["count"]
    assert (result.stats["fragments_made"], result.stats["fragments_kept"]) == (1, count - 1)
    [memo] = p.cache.rglob(Memo.NAME)
    data = json.loads(unseal((p.cache / KEY_FILE).read_bytes(), Memo.NAME, memo.read_bytes()).decode("utf-8"))  # type: ignore[union-attr]
    keys = data["keys"]
    deps = {keys[int(k)]: {keys[i] for i in v} for k, v in data["deps"].items()}
    assert {"doc:2024/n3"} <= deps["sum:2024/n3"]
    assert "doc:2024/n2" not in deps["sum:2024/n3"] and "docs:*" not in deps["sum:2024/n3"]
    p.assert_same_as_clean()


def test_the_output_scan_reads_the_rows_of_documents_json_made_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, the last look before publishing reads of `documents.json` only the rows
    made in this build (the kept ones passed it when they were made, the same day, with the
    same exempt numbers), and a hit in such a row still fails the build and keeps `site/`. (A
    number the rules miss is simulated by a scanner that flags the edited title.)"""
    from gongkai import published_scan
    from gongkai.rules.privacy import PrivacyFinding

    p = Project(tmp_path, two_docs())
    p.build()
    given: list[bytes] = []
    real = published_scan.file_findings

    def flag_marker(rel: str, data: bytes, allowed: frozenset[str] = frozenset(), today: object = None) -> list[PrivacyFinding]:
        if rel == "data/documents.json":
            given.append(data)
            if "更正标记".encode() in data:
                return [PrivacyFinding(1, 1, "手机号", "13912345678", "139****5678")]
        return real(rel, data, allowed, today)  # type: ignore[arg-type]

    monkeypatch.setattr(published_scan, "file_findings", flag_marker)
    p.change({"documents/2025/linshi.md": doc("关于临时救助的通知（修订）", "第一段。\n\n第二段。\n", created="2025-05-06",
                                              published="2025-05-08", doc_number="永政发〔2025〕3号")})
    assert p.build().ok
    [scanned] = given
    assert "关于临时救助的通知（修订）".encode() in scanned and "井头村低保初审对象公示".encode() not in scanned
    before = {f: f.read_bytes() for f in p.site.rglob("*") if f.is_file()}
    p.change({"documents/2025/linshi.md": doc("关于临时救助的通知（更正标记）", "第一段。\n\n第二段。\n", created="2025-05-06",
                                              published="2025-05-08", doc_number="永政发〔2025〕3号")})
    opts = BuildOptions(content=p.content, output=p.site, templates=REPO / "templates", today=TODAY, jobs=1,
                        project=REPO, cache=p.cache, incremental=True, quick=False)
    result = build(opts)
    assert not result.ok
    assert [d.code for d in result.diagnostics.errors] == ["build.privacy"]
    assert "data/documents.json" in result.diagnostics.errors[0].message
    assert {f: f.read_bytes() for f in p.site.rglob("*") if f.is_file()} == before


def test_a_planted_or_broken_memo_is_only_a_clean_build(project: Project) -> None:
    """The memo is sealed JSON (data: nothing in it can run); a file that is not one, or names
    tasks and digests that do not hold (even sealed with the right key), costs work, never a
    wrong page."""
    memos = list(project.cache.rglob(Memo.NAME))
    assert len(memos) == 1
    key = (project.cache / KEY_FILE).read_bytes()
    data = json.loads(unseal(key, Memo.NAME, memos[0].read_bytes()).decode("utf-8"))
    assert data["tasks"] and all(isinstance(k, str) for k in data["keys"])
    wrong = seal(key, Memo.NAME, json.dumps({**data, "digests": ["0" * 32] * len(data["keys"])}).encode())
    for n, planted in enumerate((b"\x80\x04K\x01.", b"{\"version\": 1}", wrong)):
        memos[0].write_bytes(planted)
        project.change({"documents/2026/dibao.md": doc(body=f"第{n}版正文。\n")})
        result = project.build()
        if planted is not wrong:
            assert result.stats["reused"] == 0
        assert f"第{n}版正文" in (project.site / "documents" / "2026" / "dibao.html").read_text(encoding="utf-8")
        project.assert_same_as_clean()


def test_a_shared_lookup_is_read_as_itself_not_as_what_it_was_made_from() -> None:
    """`facet`: the first task to ask computes the lookup, but records only the lookup's key."""

    class Index:
        def __init__(self, docs: dict[str, str]) -> None:
            self.docs = Tracked(docs)

        @facet
        def sorted_ids(self) -> list[str]:
            return sorted(self.docs)

    index = Index({"b": "乙", "a": "甲"})
    with recording() as first:
        assert index.sorted_ids == ["a", "b"]
        assert index.docs["a"] == "甲"
    with recording() as second:
        assert index.sorted_ids == ["a", "b"]
        with untracked():
            assert index.docs["b"] == "乙"
    assert first == {"index.sorted_ids", "doc:a"} and second == {"index.sorted_ids"}


def test_withheld_documents_stay_out_whatever_the_memo_says(tmp_path: Path) -> None:
    p = Project(tmp_path, two_docs())
    p.build()
    secret = doc("内部报告", "绝不能公开的正文。\n", attribute="不予公开", reason="涉及隐私", legal_basis="个人隐私", published=None)
    p.change({"documents/2026/dibao.md": secret})
    p.build()
    assert not any("绝不能公开" in f.read_text(encoding="utf-8", errors="replace") for f in p.site.rglob("*.html"))
    clean = tmp_path / "clean"
    run(p.content, clean, None)
    assert differences(p.site, clean) == []


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project(tmp_path, two_docs())
    p.build()
    return p


def test_a_forged_memo_is_no_memo(tmp_path: Path) -> None:
    """The memo is sealed with the machine key like every cache file: a memo written by anyone
    else (here: the real one with its seal stripped, a title edited behind it) is ignored, and
    the site is a clean build's."""
    p = Project(tmp_path, two_docs())
    p.build()
    memo = next(p.cache.rglob(Memo.NAME))
    again = p.build()
    assert again.stats["engine_green"] > 0  # the sealed memo is used
    body = unseal((p.cache / KEY_FILE).read_bytes(), Memo.NAME, memo.read_bytes())
    assert body is not None and json.loads(body)["tasks"]
    memo.write_bytes(body)  # the very memo, without its seal
    p.change({"documents/2025/linshi.md": doc("关于临时救助的通知（修订）", "第一段。\n\n第二段。\n", created="2025-05-06",
                                              published="2025-05-08", doc_number="永政发〔2025〕3号")})
    forged = p.build()
    assert forged.stats["engine_green"] == 0
    assert "关于临时救助的通知（修订）" in (p.site / "index.html").read_text(encoding="utf-8")
    p.assert_same_as_clean()
