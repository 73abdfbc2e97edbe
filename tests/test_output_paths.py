"""Output-path collisions: reserved names and two sources for one file of site/ are errors naming both."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitekit import AREA_YAML, TODAY, VILLAGE_YAML, doc, make_site, run_cli

from gongkai.loading import RawRecord, load_content
from gongkai.loading.yamltree import Marks
from gongkai.validate import validate
from gongkai.validate.output_paths import fold, record_collisions

RESERVED_HINT = "（请给文件改名（例如加上村名、年份或事项名称）；index 和 page-数字 由网站自己使用）"
RENAME_HINT = "（请给其中一个文件改名：网址不区分大小写、全角与半角，两个名字必须在这些方面也不同）"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GUIDE = "title: 低保办理指南\n"
CONSULTATION = "---\ntitle: 征求意见\n---\n正文\n"


def errors(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root)
    _, diags = validate(load_content(Path("content")), TODAY)
    return [d.text() for d in diags.sorted() if d.code.startswith("path.")]


@pytest.mark.parametrize(
    ("rel", "data", "page", "what"),
    [
        ("villages/index.yaml", VILLAGE_YAML.format(name="东村"), "villages/index.html", "栏目首页"),
        ("catalog/index.yaml", AREA_YAML.replace("shjz-", "x-"), "catalog/index.html", "栏目首页"),
        ("guides/index.yaml", GUIDE, "guides/index.html", "栏目首页"),
        ("consultations/index.md", CONSULTATION, "consultations/index.html", "栏目首页"),
        ("documents/index.md", doc(), "documents/index.html", "栏目首页"),
        ("documents/INDEX.md", doc(), "documents/INDEX.html", "栏目首页"),
        ("documents/page-2.md", doc(), "documents/page-2.html", "“全部信息”列表的第 2 页"),
        ("documents/Page-17.md", doc(), "documents/Page-17.html", "“全部信息”列表的第 17 页"),
        ("documents/ｐａｇｅ-３.md", doc(), "documents/ｐａｇｅ-３.html", "“全部信息”列表的第 3 页"),
    ],
)
def test_reserved_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str, data: str, page: str, what: str) -> None:
    make_site(tmp_path, {rel: data})
    name = rel.rsplit("/", 1)[1].rsplit(".", 1)[0]
    assert errors(tmp_path, monkeypatch) == [
        f"content/{rel}:1:1: 错误: 文件名“{name}”是保留名称：它会生成 {page}，那是网站的{what}{RESERVED_HINT}"]


@pytest.mark.parametrize("rel", ["documents/page-1.md", "documents/page-02.md", "documents/2026/index.md",
                                 "documents/index-2026.md", "villages/page-2.yaml"])
def test_names_that_are_not_reserved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str) -> None:
    data = VILLAGE_YAML.format(name="东村") if rel.startswith("villages") else doc()
    make_site(tmp_path, {rel: data})
    assert errors(tmp_path, monkeypatch) == []


@pytest.mark.parametrize(
    ("first", "second", "page", "how"),
    [
        ("documents/2026/dibao.MD", "documents/2026/dibao.md", "documents/2026/dibao.html", "两个文件名只差后缀的写法"),
        ("documents/2026/Dibao.md", "documents/2026/dibao.md", "documents/2026/Dibao.html", "两个名字只差大小写"),
        ("documents/2026/dibao.md", "documents/2026/ｄｉｂａｏ.md", "documents/2026/dibao.html",
         "两个名字在统一全角半角和大小写后相同"),
        ("documents/2026/dibao.md", "documents/2026/ＤＩＢＡＯ.md", "documents/2026/dibao.html",
         "两个名字在统一全角半角和大小写后相同"),
    ],
)
def test_two_documents_for_one_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str, second: str,
                                    page: str, how: str) -> None:
    make_site(tmp_path, {"documents/2026/dibao.md": None, first: doc(title="第一份"), second: doc(title="第二份")})
    assert errors(tmp_path, monkeypatch) == [
        f"content/{second}:1:1: 错误: 与 content/{first} 都会生成 {page}：{how}，其中一个文件页面会丢失{RENAME_HINT}"]


def test_village_yaml_beside_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {"villages/dong.yaml": VILLAGE_YAML.format(name="东村"), "villages/dong.yml": VILLAGE_YAML.format(name="西村")})
    assert errors(tmp_path, monkeypatch) == [
        ("content/villages/dong.yml:1:1: 错误: 与 content/villages/dong.yaml 都会生成 villages/dong.html："
        f"两个文件名只差后缀的写法，其中一个村（社区）页面会丢失{RENAME_HINT}")]


def test_lists_without_pages_collide_as_one_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lst = "title: 权力清单\nkind: 权力清单\nentries: []\n"
    make_site(tmp_path, {"lists/quanli.yaml": lst, "lists/QuanLi.yaml": lst})
    assert errors(tmp_path, monkeypatch) == [
        f"content/lists/quanli.yaml:1:1: 错误: 与 content/lists/QuanLi.yaml 是同一条记录：两个名字只差大小写，其中一个清单会丢失{RENAME_HINT}"]


def test_item_id_that_is_another_items_second_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {"catalog/shjz.yaml": AREA_YAML.replace("id: shjz-guide", "id: shjz-dibao-2")})
    assert errors(tmp_path, monkeypatch) == [
        ("content/catalog/shjz.yaml:14:9: 错误: 事项编号“shjz-dibao-2”会生成 items/shjz-dibao-2.html，"
        "与事项“shjz-dibao”（content/catalog/shjz.yaml 第 4 行）文件列表的第 2 页相同"
        "（请改用不以“-数字”结尾的编号，例如 shjz-dibao-no2，或改掉“shjz-dibao”）")]


def test_numbered_item_ids_without_a_base_are_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {"catalog/shjz.yaml": AREA_YAML.replace("id: shjz-dibao", "id: shjz-1").replace("id: shjz-guide", "id: shjz-2"),
                         "documents/2026/dibao.md": doc(item="shjz-1")})
    assert errors(tmp_path, monkeypatch) == []


def test_attachments_equal_after_case_folding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {
        "attachments/名单.PDF": PDF, "attachments/名单.pdf": PDF,
        "documents/2026/dibao.md": doc(attachments="[attachments/名单.PDF]"),
        "documents/2026/b.md": doc(title="另一份通知", attachments="\n  - attachments/名单.pdf"),
    })
    assert errors(tmp_path, monkeypatch) == [
        ("content/documents/2026/dibao.md:8:15: 错误: 附件“attachments/名单.PDF”与 content/documents/2026/b.md 引用的"
        "“attachments/名单.pdf”会成为网站上的同一个文件：两个名字只差大小写（请给其中一个附件文件改名，并改正引用它的 attachments 字段）")]


def test_build_fails_and_keeps_site(tmp_path: Path) -> None:
    make_site(tmp_path)
    assert run_cli("build", "--today", "2026-11-26", "-q", cwd=tmp_path).returncode == 0
    before = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    make_site(tmp_path, {"villages/index.yaml": VILLAGE_YAML.format(name="东村"), "documents/2026/dibao.MD": doc(title="第二份")})
    proc = run_cli("build", "--today", "2026-11-26", "-q", cwd=tmp_path)
    assert proc.returncode == 1
    assert (proc.stdout + proc.stderr).splitlines()[:2] == [
        (f"content/documents/2026/dibao.md:1:1: 错误: 与 content/documents/2026/dibao.MD 都会生成 documents/2026/dibao.html："
        f"两个文件名只差后缀的写法，其中一个文件页面会丢失{RENAME_HINT}"),
        "content/villages/index.yaml:1:1: 错误: 文件名“index”是保留名称：它会生成 villages/index.html，那是网站的栏目首页"
        + RESERVED_HINT,
    ]
    assert "生成失败，site/ 保持不变。" in proc.stderr
    after = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert after == before


NAMES = st.text(alphabet=st.sampled_from("abcABCａｂＡＢ-1２"), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=8))
def test_every_folded_duplicate_is_reported_once(names: list[str]) -> None:
    """Differential: for any set of names, one error per name whose folded form was seen before,
    naming the first file; names that fold apart never collide."""
    records = [RawRecord("document", n, f"content/documents/{n}.md", {}, Marks()) for n in names]
    diags, losers = record_collisions(records)
    first: dict[str, str] = {}
    expected = []
    for i, n in enumerate(names):
        key = unicodedata.normalize("NFKC", n).casefold()
        if key in first:
            expected.append((i, first[key]))
        else:
            first[key] = n
    assert sorted(losers) == [i for i, _ in expected]
    assert [d.path for d in diags] == [f"content/documents/{names[i]}.md" for i, _ in expected]
    assert all(f"content/documents/{f}.md" in d.message for d, (_, f) in zip(diags, expected, strict=True))
    assert all(fold(names[i]) == fold(f) for i, f in expected)
