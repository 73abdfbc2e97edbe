"""索引号 issued once: allocated by `gongkai new`, kept in the front matter, unchanged by renames."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import doc, make_site, run_cli

from gongkai.index_numbers import next_index_number, number_pattern
from gongkai.validate import check_content

ORG = "11450324MB0000000X"
FMT = "{org_code}/{year}-{seq:05d}"


def front(path: Path) -> dict[str, str]:
    head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
    return dict(re.findall(r"^([a-z_]+): (.*)$", head, flags=re.MULTILINE))


def shown_number(page: Path) -> str:
    match = re.search(r"<th[^>]*>索引号</th>\s*<td>([^<]+)</td>", page.read_text(encoding="utf-8"))
    assert match, page
    return match.group(1)


def test_new_document_gets_the_next_number_of_the_year(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "documents/2026/a.md": doc("甲文件", index_number=f"{ORG}/2026-00003"),
        "documents/2025/b.md": doc("乙文件", index_number=f"{ORG}/2025-00041", created="2025-03-02", published="2025-03-05"),
        "documents/2026/secret.md": doc("丙文件", attribute="不予公开", published=None, reason="内部", legal_basis="内部事务信息",
                                        index_number=f"{ORG}/2026-00009"),
    })
    result = run_cli("new", "document", "--title", "关于做好防汛工作的通知", "--item", "shjz-dibao", "--slug", "fangxun",
                     "--today", "2026-11-26", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"索引号：{ORG}/2026-00004（本年已分配到第 3 号；此后不再改变）" in result.stdout.splitlines()
    assert front(tmp_path / "content/documents/2026/fangxun.md")["index_number"] == f"{ORG}/2026-00004"
    # the withheld document's number is ignored, and a withheld document gets none
    result = run_cli("new", "document", "--title", "内部值班安排", "--attribute", "不予公开", "--slug", "zhiban",
                     "--today", "2026-11-26", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "index_number" not in front(tmp_path / "content/documents/2026/zhiban.md")
    result = run_cli("new", "document", "--title", "第二份通知", "--item", "shjz-dibao", "--slug", "dier",
                     "--today", "2026-11-26", cwd=tmp_path)
    assert front(tmp_path / "content/documents/2026/dier.md")["index_number"] == f"{ORG}/2026-00005"


def test_first_number_of_a_new_year(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc("甲文件", index_number=f"{ORG}/2026-00003")})
    result = run_cli("new", "document", "--title", "新年第一份", "--item", "shjz-dibao", "--slug", "x", "--today", "2027-01-04",
                     cwd=tmp_path)
    assert f"索引号：{ORG}/2027-00001（本年第一个；此后不再改变）" in result.stdout.splitlines()


def test_a_renamed_document_keeps_its_number(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site, result = built({"documents/2026/dibao.md": None, "documents/2026/old-name.md": doc()})
    assert result.ok
    content = tmp_path / "content"
    run = run_cli("new", "index-numbers", "--today", "2026-11-26", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    number = shown_number(site / "documents/2026/old-name.html")
    assert front(content / "documents/2026/old-name.md")["index_number"] == number
    # rename and move the file: the page moves, the 索引号 stays
    (content / "documents/2025").mkdir()
    (content / "documents/2026/old-name.md").rename(content / "documents/2025/new-name.md")
    site, result = built({"documents/2026/old-name.md": None})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    assert shown_number(site / "documents/2025/new-name.html") == number


def test_without_an_issued_number_a_rename_changes_it(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Why numbers are issued: the derived number follows the file name."""
    site, _ = built({"documents/2026/dibao.md": None, "documents/2026/old-name.md": doc()})
    before = shown_number(site / "documents/2026/old-name.html")
    site, _ = built({"documents/2026/old-name.md": None, "documents/2026/new-name.md": doc()})
    assert shown_number(site / "documents/2026/new-name.html") != before


def test_index_numbers_command_keeps_every_shown_number(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = {f"documents/2026/d{i}.md": doc(f"文件{i}") for i in range(6)}
    files["documents/2026/od.md"] = doc("依申请", attribute="依申请公开", reason="依申请提供")
    site, _ = built(files)
    before = {p.name: shown_number(p) for p in (site / "documents/2026").glob("*.html")}
    run = run_cli("new", "index-numbers", "--today", "2026-11-26", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.splitlines()[-1] == "已写入 8 份文件的索引号；此后改名、移动文件都不会改变。"
    docs = tmp_path / "content/documents"
    site, result = built({p.relative_to(tmp_path / "content").as_posix(): p.read_text(encoding="utf-8")
                          for p in docs.rglob("*.md")},  # the files as the command left them
                         base_url="https://www.example.org/ys/")  # no print-page QR warning: only the numbers
    assert result.ok and not result.diagnostics.warnings
    assert {p.name: shown_number(p) for p in (site / "documents/2026").glob("*.html")} == before
    again = run_cli("new", "index-numbers", "--today", "2026-11-26", cwd=tmp_path)
    assert again.stdout.splitlines() == ["所有公开文件都已写入索引号。"]


def test_once_numbers_are_issued_a_public_document_without_one_is_warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {
        "documents/2026/a.md": doc("甲文件", index_number=f"{ORG}/2026-00001"),
        "documents/2026/secret.md": doc("丙文件", attribute="不予公开", published=None, reason="内部", legal_basis="内部事务信息"),
    })
    site, diags = check_content(content.relative_to(tmp_path), date(2026, 11, 26))
    shown = site.index_numbers["2026/dibao"]  # type: ignore[union-attr]
    assert [d.text() for d in diags.warnings] == [
        (f"content/documents/2026/dibao.md:2:1: 警告: 未分配索引号：网页上的索引号 {shown} 是按文件名临时生成的，改名或移动文件后会变化"
        f"（在头部加一行 index_number: {shown}（或运行 gongkai new index-numbers 为所有文件写入），此后不再改变）")
    ]


def test_duplicate_issued_numbers_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"documents/2026/a.md": doc("甲文件", index_number=f"{ORG}/2026-00001"),
                                   "documents/2026/b.md": doc("乙文件", index_number=f"{ORG}/2026-00001")})
    _, diags = check_content(content.relative_to(tmp_path), date(2026, 11, 26))
    assert [d.text().split(": 错误: ")[1] for d in diags.errors] == [
        f"索引号“{ORG}/2026-00001”与 content/documents/2026/a.md 重复（索引号必须唯一；删除 index_number 让系统自动生成，或改为另一个编号）"]


def test_example_public_documents_all_carry_an_issued_number() -> None:
    site, diags = check_content(Path(__file__).resolve().parent.parent / "content", date(2026, 11, 26))
    assert site is not None
    missing = [i for i, d in site.public_documents.items() if not d.model.index_number]
    assert missing == []
    assert not [d for d in diags.warnings if d.code == "governance.index_number_unissued"]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([2025, 2026]), st.integers(1, 99999)), max_size=30),
       st.lists(st.text(max_size=12), max_size=5))
def test_next_number_is_one_past_the_highest_of_its_year(given_numbers: list[tuple[int, int]], junk: list[str]) -> None:
    numbers = [FMT.format(org_code=ORG, year=y, seq=s) for y, s in given_numbers] + junk
    numbers.append(FMT.format(org_code="11450324MB1111111X", year=2026, seq=99998))  # another organ's
    number, used = next_index_number(numbers, FMT, ORG, 2026)
    expected = max([s for y, s in given_numbers if y == 2026], default=0)
    assert used == expected
    assert number == FMT.format(org_code=ORG, year=2026, seq=expected + 1)
    assert number_pattern(FMT, ORG, 2026).match(number) and number not in numbers
