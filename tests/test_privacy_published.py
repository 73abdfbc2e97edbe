"""个人信息未遮盖 on what is published: numbers hidden from a line scan by markup, entities,
Unicode look-alikes, invisible characters or grouping are still found, at their source line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import TODAY, doc, make_site

from gongkai.rules.published_text import visible_text
from gongkai.validate import check_content

ID = "450324198506120032"
ID_M = "4503**********0032"
MOBILE = "13812345678"
MOB_M = "138****5678"
CARD18 = "622202100123456001"  # Luhn-valid, 18 digits
CARD18_M = "6222**********6001"
PATH = "content/documents/2026/dibao.md"
KIND = {"I": "身份证号", "M": "手机号", "C": "银行卡号"}


def findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"documents/2026/dibao.md": text})
    _, diags = check_content(content, TODAY)
    return [d.text().split("（")[0] for d in diags.sorted() if d.code == "governance.privacy"]


def expect(line: int, col: int, kind: str, masked: str, where: str = "正文") -> str:
    return (
        f"{PATH}:{line}:{col}: 错误: 个人信息未遮盖：主动公开文件的{where}中有完整的{KIND[kind]}，"
        f"公开时应写作“{masked}”"
    )


# (evasion, body; the body starts at file line 9), line, col, kind, masked form shown
BODY_CASES = [
    ("id 6-8-4 hyphens", "身份证450324-19850612-0032。\n", 9, 4, "I", ID_M),
    ("id 6-8-4 dots", "身份证450324.19850612.0032。\n", 9, 4, "I", ID_M),
    ("id 6-8-4 en dash", "身份证450324–19850612–0032。\n", 9, 4, "I", ID_M),
    ("id 3-3-4-4-4 spaces", "身份证 450 324 1985 0612 0032。\n", 9, 5, "I", ID_M),
    ("id 4-4-4-4-2 spaces", "身份证 4503 2419 8506 1200 32。\n", 9, 5, "I", ID_M),
    ("id 4-4-4-4-2 hyphens", "身份证4503-2419-8506-1200-32。\n", 9, 4, "I", ID_M),
    ("id bold split", "身份证4503**2419**8506120032。\n", 9, 4, "I", ID_M),
    ("id emphasis split", "身份证4503*24*198506120032。\n", 9, 4, "I", ID_M),
    ("id underscore emphasis", "身份证 4503_24_198506120032。\n", 9, 5, "I", ID_M),
    ("id code span", "身份证`4503241985`06120032。\n", 9, 5, "I", ID_M),
    ("id span tag", "身份证450324<span>1985</span>06120032。\n", 9, 4, "I", ID_M),
    ("id html comment", "身份证4503241985<!-- 备注 -->06120032。\n", 9, 4, "I", ID_M),
    ("id br tag", "身份证450324<br>198506120032。\n", 9, 4, "I", ID_M),
    ("id decimal entity", "身份证&#52;50324198506120032。\n", 9, 1, "I", ID_M),
    ("id hex entity", "身份证45032419850612003&#x32;。\n", 9, 4, "I", ID_M),
    ("id named entity nbsp", "身份证450324&nbsp;198506120032。\n", 9, 4, "I", ID_M),
    ("id zero-width space", "身份证4503\u200b24198506120032。\n", 9, 4, "I", ID_M),
    ("id zero-width joiner", "身份证450324\u200d198506120032。\n", 9, 4, "I", ID_M),
    ("id word joiner", "身份证450324\u2060198506120032。\n", 9, 4, "I", ID_M),
    ("id soft hyphen", "身份证450324\u00ad198506120032。\n", 9, 4, "I", ID_M),
    ("id byte order mark", "身份证4503\ufeff24198506120032。\n", 9, 4, "I", ID_M),
    ("id bidi override", "身份证\u202e450324198506120032\u202c。\n", 9, 5, "I", ID_M),
    ("id line break", "身份证450324\n198506120032。\n", 9, 4, "I", ID_M),
    ("id line break in list item", "- 身份证450324\n  198506120032\n", 9, 6, "I", ID_M),
    ("id full-width grouped", "身份证４５０３２４－１９８５０６１２－００３２。\n", 9, 4, "I", ID_M),
    ("id mathematical digits", "身份证𝟒𝟓𝟎𝟑𝟐𝟒𝟏𝟗𝟖𝟓𝟎𝟔𝟏𝟐𝟎𝟎𝟑𝟐。\n", 9, 4, "I", ID_M),
    ("id ideographic space", "身份证450324\u3000198506120032。\n", 9, 4, "I", ID_M),
    ("id in link text", "见[450324 1985 0612 0032](https://example.org/)。\n", 9, 3, "I", ID_M),
    ("id in heading split", "## 4503**24**198506120032\n", 9, 4, "I", ID_M),
    ("id in blockquote entity", "> 身份证4503241985061200&#51;2\n", 9, 6, "I", ID_M),
    ("id in table cell bold", "| 姓名 | 号码 |\n|---|---|\n| 张某 | 4503**24**198506120032 |\n", 11, 8, "I", ID_M),
    ("mobile 3-4-4 dots", "电话138.1234.5678。\n", 9, 3, "M", MOB_M),
    ("mobile followed by 元旦", "电话13812345678元旦前办理。\n", 9, 3, "M", MOB_M),
    ("mobile bold split", "电话138**1234**5678。\n", 9, 3, "M", MOB_M),
    ("mobile circled digits", "电话①③⑧①②③④⑤⑥⑦⑧。\n", 9, 3, "M", MOB_M),
    ("mobile superscript digits", "电话¹³⁸¹²³⁴⁵⁶⁷⁸。\n", 9, 3, "M", MOB_M),
    ("mobile code spans", "电话`138`1234`5678`。\n", 9, 4, "M", MOB_M),
    ("card 4-4-4-4-2 spaces", "卡号6222 0210 0123 4560 01。\n", 9, 3, "C", "6222 **** **** **60 01"),
    ("card 4-4-4-4-2 hyphens", "卡号6222-0210-0123-4560-01。\n", 9, 3, "C", "6222-****-****-**60-01"),
    ("card split by strong tags", "卡号<strong>6222</strong>0210012345600<b>1</b>。\n", 9, 11, "C", CARD18_M),
]


@pytest.mark.parametrize(("body", "line", "col", "kind", "masked"), [c[1:] for c in BODY_CASES], ids=[c[0] for c in BODY_CASES])
def test_hidden_number_in_body_is_found_at_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, line: int, col: int, kind: str, masked: str
) -> None:
    assert findings(tmp_path, monkeypatch, doc(body=body)) == [expect(line, col, kind, masked)]


# (evasion, front-matter fields as YAML), line, col, kind, masked, field name
FIELD_CASES = [
    ("title zero-width", {"title": "关于4503\u200b24198506120032的通知"}, 2, 10, "I", ID_M, "标题"),
    ("summary grouped", {"summary": "身份证450324-19850612-0032"}, 8, 13, "I", ID_M, "摘要"),
    ("keywords full-width", {"keywords": "[１３８－１２３４－５６７８]"}, 8, 12, "M", "１３８－****－５６７８", "主题词"),
    ("issuer mobile", {"issuer": "联系人13812345678"}, 8, 12, "M", MOB_M, "发布机构"),
    ("topic mathematical", {"topic": "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖"}, 8, 8, "M", MOB_M, "主题分类"),
    ("qa answer bold split", {"qa": "[{q: 问, a: '电话138**1234**5678'}]"}, 8, 19, "M", MOB_M, "问答"),
    (
        "attachment title dots",
        {"attachments": "[{file: attachments/a.pdf, title: '卡号6222.0210.0123.4560.01'}]"},
        8, 51, "C", CARD18_M, "附件名称",
    ),
]


@pytest.mark.parametrize(
    ("fields", "line", "col", "kind", "masked", "where"), [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES]
)
def test_hidden_number_in_field_is_found_at_its_source(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, str],
    line: int,
    col: int,
    kind: str,
    masked: str,
    where: str,
) -> None:
    text = doc(**fields)
    if "attachments" in fields:
        (tmp_path / "content" / "attachments").mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / "attachments" / "a.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert findings(tmp_path, monkeypatch, text) == [expect(line, col, kind, masked, where)]


def test_evasion_catalogue_has_at_least_forty_kinds() -> None:
    assert len(BODY_CASES) + len(FIELD_CASES) >= 40


@pytest.mark.parametrize(
    "body",
    [
        "咨询电话：0773-4812345；文号 全政发〔2024〕12号。\n",
        "金额 13812345678.50 元，另 1381234567 元。\n",
        "| 人数 | 金额 |\n|---|---|\n| 13 | 812345678 |\n",
        "第1.2.3条；2026-03-05 至 2026-04-05。\n",
        f"已遮盖：{ID_M}、{MOB_M}、6222 **** **** 6001。\n",
    ],
)
def test_ordinary_numbers_stay_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    assert findings(tmp_path, monkeypatch, doc(body=body)) == []


# --- property: random obfuscation of a valid number never passes -------------------------------

_SPLITTERS = ["-", " ", ".", "\n", "**", "`", "<span>", "</span>", "<!-- x -->", "\u200b", "\u2060", "&nbsp;"]
_DIGIT_FORMS = [
    lambda d: d,
    lambda d: chr(0xFF10 + int(d)),  # full-width
    lambda d: chr(0x1D7CE + int(d)),  # mathematical bold
    lambda d: f"&#{ord(d)};",  # entity
]


@st.composite
def obfuscated(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(st.sampled_from([ID, MOBILE, CARD18]))
    out = []
    for i, d in enumerate(number):
        out.append(draw(st.sampled_from(_DIGIT_FORMS))(d))
        if i < len(number) - 1 and draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(st.sampled_from(_SPLITTERS)))
    text = "".join(out)
    # keep inline markup balanced so it cannot swallow the rest of the line
    if text.count("`") % 2 or ("`" in text and ("&" in text or "<" in text)):
        # odd backticks swallow the line; inside a code span entities and tags are literal text
        # that a reader sees between the digits, so that would be no leak at all
        text = text.replace("`", "")
    if text.count("**") % 2:
        text = text.replace("**", "")
    if text.count("<span>") != text.count("</span>"):
        text = text.replace("<span>", "").replace("</span>", "")
    return number, text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=obfuscated(), before=st.sampled_from(["号码", "联系人张某 ", "- "]), after=st.sampled_from(["。", "元旦", ""]))
def test_obfuscated_numbers_always_fail_check(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, str], before: str, after: str
) -> None:
    number, text = case
    root = tmp_path_factory.mktemp("p")
    content = make_site(root, {"documents/2026/dibao.md": doc(body=f"{before}{text}{after}\n")})
    _, diags = check_content(content, TODAY)
    assert any(d.code == "governance.privacy" for d in diags.sorted()), (number, text)


@given(st.text(max_size=200))
def test_visible_text_never_raises_and_is_idempotent_on_digits(text: str) -> None:
    once = visible_text(text, True)
    assert [c for c in visible_text(once) if c.isdigit()] == [c for c in once if c.isdigit()]


# --- other content kinds: every published field; official contact numbers are exempt ----------

VILLAGE = "name: 井头村\ncommittee: 井头村村民委员会\nsample: true\n"


def other_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, files)
    _, diags = check_content(content, TODAY)
    return [d.text().split("（")[0] for d in diags.sorted() if d.code == "governance.privacy"]


def test_village_contact_person_with_hidden_mobile_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = VILLAGE + "contact_person: 张某（138\u200b1234\u200b5678）\n"
    assert other_findings(tmp_path, monkeypatch, {"villages/jingtou.yaml": text}) == [
        "content/villages/jingtou.yaml:4:20: 错误: 个人信息未遮盖：公开内容的联系人中有完整的手机号，"
        + f"公开时应写作“{MOB_M}”"
    ]


def test_village_contact_number_is_exempt_by_its_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = VILLAGE + f"contact: '{MOBILE}'\n"
    assert other_findings(tmp_path, monkeypatch, {"villages/jingtou.yaml": text}) == []


def test_catalog_note_with_grouped_id_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit import AREA_YAML

    area = AREA_YAML.rstrip("\n") + "\n    note: 申请人 450324-19850612-0032\n"
    found = other_findings(tmp_path, monkeypatch, {"catalog/shjz.yaml": area})
    line = area.split("\n").index("    note: 申请人 450324-19850612-0032") + 1
    assert found == [
        f"content/catalog/shjz.yaml:{line}:15: 错误: 个人信息未遮盖：公开内容的备注中有完整的身份证号，"
        + f"公开时应写作“{ID_M}”"
    ]
