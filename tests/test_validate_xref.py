"""Cross-reference rules (gongkai/validate/xref.py): each reported at the line of the reference."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitekit import AREA_YAML, SITE_YAML, TODAY, doc, make_site

from gongkai.validate import check_content

DOC = "content/documents/2026/dibao.md"
POWER = """\
title: 永岁镇权力清单
kind: 权力清单
entries:
  - code: QZ-GG-0001
    name: 最低生活保障申请
    category: 行政给付
    department: 永岁镇社会事务办
    time_limit: 5个工作日
"""
GUIDE = """\
title: 最低生活保障申请
entry: {entry}
item: {item}
department: {department}
time_limit: {time_limit}
conditions: 家庭人均收入低于当地低保标准
materials: [户口簿]
villages: [{village}]
updated: 2026-01-05
"""
CONSULTATION = """\
---
title: 集镇污水处理设施建设方案
item: {item}
scope: 全镇居民
methods: [征集意见]
channels: [电话]
opens: 2026-10-01
closes: 2026-10-31
published: 2026-09-30
villages: [{village}]
---
"""


def guide(**kw: str) -> str:
    values = {"entry": "QZ-GG-0001", "item": "shjz-guide", "department": "永岁镇社会事务办", "time_limit": "5个工作日", "village": "jingtou"}
    values.update(kw)
    return GUIDE.format(**values)


def errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes | None]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    _, diags = check_content(make_site(tmp_path, files), TODAY)
    return [d.text() for d in diags.errors]


def test_guide_list_and_consultation_that_agree_are_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"lists/power.yaml": POWER, "guides/dibao.yaml": guide(), "consultations/wushui.md": CONSULTATION.format(item="shjz-dibao", village="mudao")}
    assert errors(tmp_path, monkeypatch, files) == []


# -- catalog items ---------------------------------------------------------------------------


def test_unknown_item_with_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(item="shjz-dibo")}) == [
        f"{DOC}:4:7: 错误: 所属公开事项“shjz-dibo”在目录中不存在（是否想写“shjz-dibao”？）"
    ]


def test_unknown_item_without_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(item="zzz")}) == [
        f"{DOC}:4:7: 错误: 所属公开事项“zzz”在目录中不存在（请填写 catalog/*.yaml 中某个事项的 id）"
    ]


def test_unknown_item_in_guides_consultations_and_village_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "lists/power.yaml": POWER,
        "guides/dibao.yaml": guide(item="shjz-gide"),
        "consultations/wushui.md": CONSULTATION.format(item="wushui", village="mudao"),
        "villages/xitang.yaml": "name: 西塘村\ncommittee: 西塘村村民委员会\nitems: [shjz-dibao, shjz-dibaoo]\n",
    }
    assert errors(tmp_path, monkeypatch, files) == [
        "content/consultations/wushui.md:3:7: 错误: 所属公开事项“wushui”在目录中不存在（请填写 catalog/*.yaml 中某个事项的 id）",
        "content/guides/dibao.yaml:3:7: 错误: 所属公开事项“shjz-gide”在目录中不存在（是否想写“shjz-guide”？）",
        "content/villages/xitang.yaml:3:21: 错误: 本村公开事项“shjz-dibaoo”在目录中不存在（是否想写“shjz-dibao”？）",
    ]


def test_duplicate_item_ids_across_areas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = AREA_YAML.replace("area: 社会救助\n", "area: 其他\n", 1).replace("shjz-guide", "qt-guide")
    assert errors(tmp_path, monkeypatch, {"catalog/zz-other.yaml": other}) == [
        ("content/catalog/zz-other.yaml:4:9: 错误: 事项编号“shjz-dibao”重复：content/catalog/shjz.yaml 第 4 行已使用"
        "（事项编号在整个目录中必须唯一，请改用另一个编号）")
    ]


def test_unknown_item_is_not_reported_when_the_catalog_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One broken catalog file must not bury its one error under a reference error per document."""
    assert errors(tmp_path, monkeypatch, {"catalog/shjz.yaml": "area: [\n"}) == [
        "content/catalog/shjz.yaml:1:7: 错误: 方括号 [ ] 没有闭合（补上另一半括号；列表也可以改用每行一个“- 项”的写法）"
    ]


def test_active_document_without_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(item=None)}) == [
        (f"{DOC}:3:1: 错误: 主动公开的文件没有关联公开事项（请添加一行 item: 事项编号，填写 catalog/*.yaml 中某个事项的 id；"
        "每份主动公开的文件都应对应目录中的一个事项）")
    ]


# -- villages --------------------------------------------------------------------------------


def test_unknown_village_slug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(villages="[jingtou, jintou, 井头村]")}) == [
        f"{DOC}:8:21: 错误: 村（社区）“jintou”不存在（是否想写“jingtou”？；村的 slug 是 villages/ 下的文件名）",
        f"{DOC}:8:29: 错误: 村（社区）“井头村”不存在（可用的村：jingtou、mudao；村的 slug 是 villages/ 下的文件名）",
    ]


def test_unknown_village_in_guides_and_consultations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"lists/power.yaml": POWER, "guides/dibao.yaml": guide(village="mudo"),
             "consultations/wushui.md": CONSULTATION.format(item="shjz-dibao", village="xitang")}
    assert errors(tmp_path, monkeypatch, files) == [
        "content/consultations/wushui.md:10:12: 错误: 村（社区）“xitang”不存在（可用的村：jingtou、mudao；村的 slug 是 villages/ 下的文件名）",
        "content/guides/dibao.yaml:8:12: 错误: 村（社区）“mudo”不存在（是否想写“mudao”？；村的 slug 是 villages/ 下的文件名）",
    ]


# -- documents referring to documents --------------------------------------------------------


def test_duplicate_doc_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"documents/2026/dibao.md": doc(doc_number="永政发〔2026〕3号"), "documents/2026/zz.md": doc(doc_number="永政发〔2026〕3号")}
    assert errors(tmp_path, monkeypatch, files) == [
        ("content/documents/2026/zz.md:8:13: 错误: 文号“永政发〔2026〕3号”与 content/documents/2026/dibao.md 重复"
        "（同一文号只能对应一份文件；如是同一文件请删除重复的一份）")
    ]


def test_duplicate_doc_number_in_full_width_digits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"documents/2026/dibao.md": doc(doc_number="永政发〔2026〕3号"),
             "documents/2026/zz.md": doc(doc_number="永政发〔２０２６〕３号")}
    assert errors(tmp_path, monkeypatch, files) == [
        ("content/documents/2026/zz.md:8:13: 错误: 文号“永政发〔２０２６〕３号”与 content/documents/2026/dibao.md 的“永政发〔2026〕3号”重复，"
         "全角与半角字符视为相同"
         "（同一文号只能对应一份文件；如是同一文件请删除重复的一份）")
    ]


@pytest.mark.parametrize("other", ["永政发〔2026〕4号", "永政发〔2025〕3号", "永政办发〔2026〕3号"])
def test_distinct_doc_numbers_stay_distinct(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: str) -> None:
    files = {"documents/2026/dibao.md": doc(doc_number="永政发〔２０２６〕３号"), "documents/2026/zz.md": doc(doc_number=other)}
    assert errors(tmp_path, monkeypatch, files) == []


def test_interpretation_of_a_missing_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"documents/2026/jiedu.md": doc(kind="解读", interprets="2026/dibo")}
    assert errors(tmp_path, monkeypatch, files) == [
        "content/documents/2026/jiedu.md:8:13: 错误: 被解读的政策“2026/dibo”不存在（是否想写“2026/dibao”？）"
    ]


def test_interpretation_of_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(kind="解读", interprets="2026/dibao")}) == [
        f"{DOC}:8:13: 错误: 解读文件的 interprets 填的是它自己（interprets 应填写被解读的政策文件的 id（documents/ 下的路径，不含 .md））"
    ]


def test_public_interpretation_of_a_withheld_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    withheld = doc(attribute="不予公开", published=None, reason="讨论稿", legal_basis="过程性信息", reviewed="2026-03-02")
    files = {"documents/2026/caogao.md": withheld, "documents/2026/jiedu.md": doc(kind="解读", interprets="2026/caogao")}
    assert errors(tmp_path, monkeypatch, files) == [
        "content/documents/2026/jiedu.md:8:13: 错误: 公开的解读指向了不予公开的文件“2026/caogao”（不予公开的文件不能被公开解读；请核对公开属性）"
    ]


def test_interpretation_is_not_checked_when_a_document_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"documents/2026/dibao.md": doc(kind="通"), "documents/2026/jiedu.md": doc(kind="解读", interprets="2026/dibao")}
    assert [e.split(": 错误: ")[0] for e in errors(tmp_path, monkeypatch, files)] == [f"{DOC}:7:7"]


def test_restates_unknown_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(restates="2026/dibo")}) == [
        f"{DOC}:8:11: 错误: 对应的镇级文件“2026/dibo”不存在（是否想写“2026/dibao”？）"
    ]


def test_legal_basis_on_a_public_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(legal_basis="个人隐私")}) == [
        f"{DOC}:8:1: 错误: 只有不予公开的文件才需要 legal_basis，本文件是主动公开（删除 legal_basis，或把 attribute 改为 不予公开）"
    ]


# -- attachments -----------------------------------------------------------------------------


def attachment_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, files: dict[str, str | bytes | None] | None = None) -> list[str]:
    return errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(attachments=value), **(files or {})})


def test_attachment_present_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"attachments/2026/表.pdf": b"%PDF-1.4\n"}
    assert attachment_errors(tmp_path, monkeypatch, "[attachments/2026/表.pdf]", files) == []


def test_attachment_with_windows_separators_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"attachments/2026/a.pdf": b"%PDF-1.4\n", "documents/2026/dibao.md": doc(attachments="'attachments\\2026\\a.pdf'")})
    site, diags = check_content(content, TODAY)
    assert not diags.errors and site is not None


def test_attachment_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [message] = attachment_errors(tmp_path, monkeypatch, "[attachments/2026/表.pdf]")
    assert message.startswith(f"{DOC}:8:15: 错误: 附件“attachments/2026/表.pdf”不存在（请把文件放到 content/attachments/2026/表.pdf，或修正路径")


@pytest.mark.parametrize("value", ["../secret.pdf", "attachments/../../secret.pdf", "/etc/passwd", "'C:\\Users\\a.pdf'"])
def test_attachment_outside_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    [message] = attachment_errors(tmp_path, monkeypatch, f"[{value}]", {"../secret.pdf": b"x"})
    shown = value.strip("'")
    assert message == (f"{DOC}:8:15: 错误: 附件路径“{shown}”不能是绝对路径或包含“..”"
                       "（写相对于 content/ 的路径，例如 attachments/2024/预算表.xlsx）")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_attachment_symlink_out_of_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.pdf").write_bytes(b"x")
    content = make_site(tmp_path, {"documents/2026/dibao.md": doc(attachments="attachments/link.pdf")})
    (content / "attachments").mkdir()
    (content / "attachments" / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    _, diags = check_content(content, TODAY)
    assert [d.text() for d in diags.errors] == [
        f"{DOC}:8:14: 错误: 附件“attachments/link.pdf”指向 content/ 之外（符号链接）（请把文件本身复制到 content/attachments/ 中）"
    ]


def test_attachment_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"site.yaml": SITE_YAML + "max_file_kb: 1\n", "attachments/big.pdf": b"x" * 3000}
    assert attachment_errors(tmp_path, monkeypatch, "attachments/big.pdf", files) == [
        f"{DOC}:8:14: 错误: 附件“attachments/big.pdf”过大（2 KB，上限 1 KB）（请压缩文件，或在 site.yaml 中调整 max_file_kb）"
    ]


# -- guides and lists (信息同源) -------------------------------------------------------------


def test_guide_entry_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"lists/power.yaml": POWER, "guides/dibao.yaml": guide(entry="QZ-GG-0002")}) == [
        "content/guides/dibao.yaml:2:8: 错误: 清单事项编码“QZ-GG-0002”在权力清单和公共服务事项清单中都不存在（是否想写“QZ-GG-0001”？）"
    ]


def test_guide_entry_without_any_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"guides/dibao.yaml": guide()}) == [
        "content/guides/dibao.yaml:2:8: 错误: 清单事项编码“QZ-GG-0001”在权力清单和公共服务事项清单中都不存在（办事指南必须对应 lists/ 中清单的一个事项）"
    ]


def test_guide_department_and_time_limit_must_match_the_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"lists/power.yaml": POWER, "guides/dibao.yaml": guide(department="永岁镇民政办", time_limit="3个工作日")}
    assert errors(tmp_path, monkeypatch, files) == [
        ("content/guides/dibao.yaml:4:13: 错误: 办理部门“永岁镇民政办”与清单（lists/power）中的“永岁镇社会事务办”不一致"
        "（办事指南须与清单信息同源，请统一为“永岁镇社会事务办”或先修改清单）"),
        ("content/guides/dibao.yaml:5:13: 错误: 办理时限“3个工作日”与清单（lists/power）中的“5个工作日”不一致"
        "（办事指南须与清单信息同源，请统一为“5个工作日”或先修改清单）"),
    ]


def test_guide_entry_not_checked_when_the_list_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"lists/power.yaml": POWER.replace("kind: 权力清单", "kind: 清单"), "guides/dibao.yaml": guide()}
    assert errors(tmp_path, monkeypatch, files) == [
        "content/lists/power.yaml:2:7: 错误: “kind”（清单类型）的值“清单”格式不正确（权力清单 或 公共服务事项清单）"
    ]


def test_attachment_name_differing_only_in_case_is_an_error_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [message] = attachment_errors(tmp_path, monkeypatch, "[attachments/2026/Biao.PDF]", {"attachments/2026/biao.pdf": b"x"})
    assert message == (f"{DOC}:8:15: 错误: 附件“attachments/2026/Biao.PDF”与磁盘上的文件“attachments/2026/biao.pdf”"
                       "只有字母大小写不同（请把路径改成 attachments/2026/biao.pdf 或把文件改名，大小写必须一致）")
