"""YAML as typed by people on Windows with a Chinese IME: every mistake gets line, column and fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site

from gongkai.loading import parse_yaml
from gongkai.validate import check_content

VILLAGE_KEYS = "name、kind、committee、contact、contact_person、notice_board、items、sample、order、description"
TAB = "缩进使用了 Tab 制表符（YAML 只能用半角空格缩进，请换成半角空格，并与同一层的字段左边对齐）"
FULLWIDTH_SPACE = "缩进使用了全角空格（U+3000）（YAML 只能用半角空格缩进，请换成半角空格，并与同一层的字段左边对齐）"


def fw_colon(key: str) -> str:
    return f"“{key}”后面使用了全角冒号“：”（请改成半角冒号加空格，例如 {key}: …；输入冒号前先切换到英文输入法）"


def errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes | None]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    _, diags = check_content(make_site(tmp_path, files), TODAY)
    return [d.text() for d in diags.errors]


def village(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    return [e.removeprefix("content/villages/x.yaml:") for e in errors(tmp_path, monkeypatch, {"villages/x.yaml": text})]


# -- syntax errors ---------------------------------------------------------------------------

SYNTAX = [
    ('name: "某村\ncommittee: 某村委\n',
     '1:7: 错误: 引号没有闭合（在这段文字末尾补上配对的引号；文字中的引号请用中文引号“”）'),
    ('name: "关于"低保"的通知"\ncommittee: x\n',
     ("1:11: 错误: 引号后面还有多余的文字（值以引号开头时整段文字都要在引号内；文字中的引号请用中文引号“”，"
     "例如 title: 关于“低保”的通知）")),
    ("name: 某村\ncommittee: 某村委\nitems: [a, b\n",
     "3:8: 错误: 方括号 [ ] 没有闭合（补上另一半括号；列表也可以改用每行一个“- 项”的写法）"),
    ("name: {a: 1\ncommittee: x\n",
     "1:7: 错误: 花括号 { } 没有闭合或缺少逗号（检查这一行的括号和逗号，逗号用半角）"),
    ("name: 某村: 东\ncommittee: 某村委\n",
     ('1:9: 错误: 这里不能出现冒号“:”（值里含有半角冒号时请把整段值用引号括起来，例如 title: "会议: 议程"；'
     "也可能是这一行的缩进不对）")),
    ("name: 某村\n  committee: 某村委\n",
     "2:3: 错误: 这一行比上一行多缩进了（同一层的字段左边必须对齐；如果这是上一行的值的延续，请把整段值用引号括起来）"),
    ("name: 某村\ndescription:\n    a: 1\n  b: 2\n",
     "4:3: 错误: 缩进不一致（同一层的字段必须对齐，请检查这一行和上一行的空格数）"),
    ("name: 某村\ncommittee 某村委\nsample: true\n",
     "2:1: 错误: 这一行缺少冒号“:”（每一行应写成“字段名: 值”，冒号用半角并在后面加空格）"),
    ("name\ncommittee: x\n",
     "1:1: 错误: 这一行缺少冒号“:”（每一行应写成“字段名: 值”，冒号用半角并在后面加空格）"),
    ("name: *a\ncommittee: x\n", "1:7: 错误: 引用了未定义的锚点（删除 * 开头的引用，或直接写出值）"),
    ("name: *重要*通知\ncommittee: x\n",
     '1:8: 错误: 以“*”或“&”开头的值会被当作锚点引用（请用引号括起来，例如 title: "*重要*通知"）'),
    ('name: "a\\q"\ncommittee: x\n', "1:10: 错误: 双引号字符串中有无效的转义符“\\”（改用单引号，或把 \\ 写成 \\\\）"),
    ("name: a\n---\ncommittee: x\n",
     "2:1: 错误: 文件中有多个“---”分隔的文档（一个文件只能有一份内容；Markdown 文件的正文前只能有一段 --- 包围的头部）"),
    ("name: @a\ncommittee: x\n", "1:7: 错误: 值不能以“@”或“`”开头（请用引号括起来）"),
    ("name: `a`\ncommittee: x\n", "1:7: 错误: 值不能以“@”或“`”开头（请用引号括起来）"),
    ("name: |文字\ncommittee: x\n",
     "1:8: 错误: “|”或“>”后面不能直接写文字（在 | 后换行再写内容，或把整段值用引号括起来）"),
    ("name: [a,, b]\ncommittee: x\n",
     "1:10: 错误: 这里缺少值（检查逗号、括号和“- ”的用法；含特殊符号的值请用引号括起来）"),
    ("%YAML 1.1\nname: a\ncommittee: x\n",
     "2:1: 错误: 文件中有以“%”开头的 YAML 指令行（删除以 % 开头的行；值以 % 开头时请用引号括起来）"),
    ("name: a\tb\ncommittee: x\n",
     "1:8: 错误: 这里出现了 Tab 制表符（请把 Tab 换成空格；值里确实需要 Tab 时把整段值用引号括起来）"),
]


@pytest.mark.parametrize(("text", "expected"), SYNTAX, ids=[f"syntax{i}" for i in range(len(SYNTAX))])
def test_syntax_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    assert village(tmp_path, monkeypatch, text) == [expected]


def test_syntax_error_in_front_matter_counts_from_the_file_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = doc(title='"关于做好低保工作的通知')
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": text}) == [
        "content/documents/2026/dibao.md:2:8: 错误: 引号没有闭合（在这段文字末尾补上配对的引号；文字中的引号请用中文引号“”）"
    ]


# -- tabs and full-width spaces --------------------------------------------------------------


def test_tab_indentation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert village(tmp_path, monkeypatch, "name: 某村\n\tcommittee: 某村委\n") == [f"2:1: 错误: {TAB}"]


def test_every_tab_indented_line_is_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: a\ncommittee: b\nitems:\n\t- shjz-dibao\n\t- shjz-guide\n"
    assert village(tmp_path, monkeypatch, text) == [f"4:1: 错误: {TAB}", f"5:1: 错误: {TAB}"]


def test_tab_after_spaces_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: a\ncommittee: b\nitems:\n  \t- shjz-dibao\n"
    assert village(tmp_path, monkeypatch, text) == [f"4:3: 错误: {TAB}"]


def test_fullwidth_space_indentation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # U+3000 silently becomes part of the key in PyYAML: we name it instead
    assert village(tmp_path, monkeypatch, "name: 某村\n\u3000\u3000committee: 某村委\n") == [f"2:1: 错误: {FULLWIDTH_SPACE}"]


def test_fullwidth_space_inside_text_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: 某村\ncommittee: 某村委\ndescription: |\n  第一段。\n  \u3000\u3000第二段。\n"
    assert village(tmp_path, monkeypatch, text) == []


# -- full-width colon ------------------------------------------------------------------------


def test_fullwidth_colon_on_the_only_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML reads `name：某村` as one plain string
    assert village(tmp_path, monkeypatch, "name：某村\n") == [f"1:5: 错误: {fw_colon('name')}"]


def test_fullwidth_colon_followed_by_another_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML fails on the *next* line; the message points at the full-width colon
    assert village(tmp_path, monkeypatch, "name：某村\ncommittee: 某村委\n") == [f"1:5: 错误: {fw_colon('name')}"]


def test_fullwidth_colon_on_the_last_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert village(tmp_path, monkeypatch, "name: 某村\ncommittee：某村委\n") == [f"2:10: 错误: {fw_colon('committee')}"]


def test_several_fullwidth_colons_reported_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name：某村\ncommittee: 某村委\ncontact：0773-4800201\n"
    assert village(tmp_path, monkeypatch, text) == [f"1:5: 错误: {fw_colon('name')}", f"3:8: 错误: {fw_colon('contact')}"]


def test_fullwidth_colon_in_front_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = doc().replace("title: ", "title：")
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": text}) == [
        f"content/documents/2026/dibao.md:2:6: 错误: {fw_colon('title')}"
    ]


def test_fullwidth_colon_in_a_list_of_mappings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "area: 其他\nitems:\n  - id：x-1\n    level1: 甲\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [f"content/catalog/x.yaml:3:7: 错误: {fw_colon('id')}"]


def test_chinese_word_before_fullwidth_colon_breaking_a_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert village(tmp_path, monkeypatch, "name: a\n名称：某村\ncommittee: b\n") == [f"2:3: 错误: {fw_colon('名称')}"]


def test_fullwidth_colon_in_prose_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps, notes and quoted text legitimately contain `：` (only field names are ASCII)."""
    guide = """\
title: 最低生活保障申请
entry: QZ-GG-0001
department: 永岁镇社会事务办
time_limit: 5个工作日
conditions: 家庭人均收入低于当地低保标准
  注意：需提供家庭收入证明
materials: [户口簿]
process:
  - 第一步：提交申请
  - 第二步：入户调查
review_standard: "标准：
  按《办法》审核"
updated: 2026-01-05
"""
    power = """\
title: 永岁镇权力清单
kind: 权力清单
entries:
  - code: QZ-GG-0001
    name: 最低生活保障申请
    category: 行政给付
    department: 永岁镇社会事务办
    time_limit: 5个工作日
"""
    assert errors(tmp_path, monkeypatch, {"guides/dibao.yaml": guide, "lists/power.yaml": power}) == []


def test_field_name_swallowed_into_the_previous_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an indented `committee：…` becomes part of name's value: still a mistyped key
    assert village(tmp_path, monkeypatch, "name: 某村\n  committee：某村委\n") == [f"2:12: 错误: {fw_colon('committee')}"]


# -- duplicate keys, structure ---------------------------------------------------------------


def test_duplicate_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert village(tmp_path, monkeypatch, "name: 某村\ncommittee: 某村委\nname: 别村\n") == [
        "3:1: 错误: 字段“name”重复出现（第 1 行已经写过）（删除其中一个；YAML 中后写的会悄悄覆盖先写的）"
    ]


def test_duplicate_key_nested_in_a_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "area: 其他\nitems:\n  - id: x-1\n    level1: 甲\n    id: x-2\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        "content/catalog/x.yaml:5:5: 错误: 字段“id”重复出现（第 3 行已经写过）（删除其中一个；YAML 中后写的会悄悄覆盖先写的）"
    ]


def test_duplicate_key_in_front_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = doc(body="正文\n").replace("kind: 通知\n", "kind: 通知\ntitle: 又一个标题\n")
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": text}) == [
        "content/documents/2026/dibao.md:8:1: 错误: 字段“title”重复出现（第 2 行已经写过）（删除其中一个；YAML 中后写的会悄悄覆盖先写的）"
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("- a\n- b\n", "1:1: 错误: 内容应为“字段名: 值”的形式，但读到的是一个列表（每行写一个字段，例如 title: 标题；冒号用半角，后面加一个空格）"),
    ("井头村\n", "1:1: 错误: 内容应为“字段名: 值”的形式，但读到的是一段文字（每行写一个字段，例如 title: 标题；冒号用半角，后面加一个空格）"),
    ("# 只有注释\n", "1:1: 错误: 文件中只有注释或空行，没有任何字段（每行写一个字段，例如 title: 标题；冒号用半角，后面加一个空格）"),
    ("? [a]\n: b\nname: a\ncommittee: x\n", "1:3: 错误: 字段名必须是简单文字（字段名写在行首，后面跟半角冒号和空格，例如 title: 标题）"),
], ids=["list", "scalar", "comments", "complex-key"])
def test_file_that_is_not_a_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    assert village(tmp_path, monkeypatch, text) == [expected]


def test_alias_bomb_is_refused_quickly() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    parsed, diags = parse_yaml(text, "x.yaml")
    assert parsed is None
    assert [d.text() for d in diags] == [
        "x.yaml:1:1: 错误: YAML 嵌套层数过深，或锚点引用（*）展开后过大（请简化结构，不要用锚点重复引用大段内容）"
    ]


def test_simple_anchors_still_work() -> None:
    parsed, diags = parse_yaml("name: &n 某村\ncommittee: *n\n", "x.yaml")
    assert diags == [] and parsed is not None
    assert parsed.data == {"name": "某村", "committee": "某村"}


def test_deep_nesting_is_refused() -> None:
    parsed, diags = parse_yaml("name: " + "[" * 100 + "]" * 100 + "\n", "x.yaml")
    assert parsed is None
    assert diags[0].code == "yaml.depth"


def test_marks_are_one_based_and_shifted_by_front_matter() -> None:
    parsed, diags = parse_yaml("title: 标题\nitems:\n  - id: a\n", "x.md", line_offset=1)
    assert not diags and parsed is not None
    assert parsed.marks.keys[("title",)] == (2, 1)
    assert parsed.marks.values[("title",)] == (2, 8)
    assert parsed.marks.values[("items", 0, "id")] == (4, 9)
    assert parsed.marks.locate(("items", 0, "missing")) == (4, 5)  # falls back to the item


# -- YAML 1.1 surprises: every scalar stays text until the schema converts it ----------------


def test_no_is_not_false_for_attribute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(attribute="no")}) == [
        "content/documents/2026/dibao.md:3:12: 错误: “attribute”（公开属性）的值“no”无效（可选值：主动公开、依申请公开、不予公开）"
    ]


def test_doc_number_typed_as_a_bare_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(doc_number="12")}) == [
        ("content/documents/2026/dibao.md:8:13: 错误: 文号“12”只有数字，缺少机关代字和年份"
        "（请写完整文号，例如 doc_number: 永政发〔2024〕12号；没有文号的文件请删除这一行）")
    ]


def test_impossible_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(created="2024-13-01")}) == [
        "content/documents/2026/dibao.md:5:10: 错误: “created”（成文日期）的值“2024-13-01”不是有效日期（日期写成 YYYY-MM-DD，例如 2024-09-27）"
    ]


def test_numbers_and_times_stay_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = "name: 某村\ncommittee: 某村委\ncontact: 13800138000\ncontact_person: 0123\ndescription: 12:30\norder: 0123\n"
    site, diags = check_content(make_site(tmp_path, {"villages/x.yaml": text}), TODAY)
    assert not diags.errors and site is not None
    model = site.villages["x"].model
    assert (model.contact, model.contact_person, model.description, model.order) == ("13800138000", "0123", "12:30", 123)


def test_phone_as_number_in_site_contacts_stays_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    site, _ = check_content(make_site(tmp_path), TODAY)
    assert site is not None and site.town.model.contacts[0].phone == "0773-4800000"
