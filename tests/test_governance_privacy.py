"""个人信息未遮盖: unmasked ID / mobile / bank card numbers in what the site publishes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site

from gongkai.validate import check_content

ID = "450324198506120032"  # valid GB 11643 check digit
ID_MASKED = "4503**********0032"
MOBILE = "13812345678"
CARD = "6222021001234561"  # Luhn-valid
CARD_MASKED = "6222********4561"
HINT = (
    "（公开的文件不得出现完整的身份证号、手机号、银行卡号，依据《政府信息公开条例》第十五条、"
    "《社会救助暂行办法》第六十一条、《个人信息保护法》第二十八条；请改为遮盖形式，名单只写姓名、村组、人数、金额等）"
)
PATH = "content/documents/2026/dibao.md"


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"documents/2026/dibao.md": text})
    _, diags = check_content(content, TODAY)
    return [d.text() for d in diags.sorted()]


def test_unmasked_numbers_in_body_name_the_exact_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Front matter is lines 1–8, so body line 1 is file line 9.
    body = (
        "经村民评议，以下家庭纳入低保：\n"  # 9
        "\n"  # 10
        f"| 张某某 | 井头村一组 | 3人 | 身份证 {ID} |\n"  # 11
        f"| 李某某 | 慕道村二组 | 2人 | 联系电话 {MOBILE} |\n"  # 12
        f"| 王某某 | 慕道村三组 | 1人 | 银行卡 {CARD} |\n"  # 13
    )
    assert run(tmp_path, monkeypatch, doc(body=body)) == [
        f"{PATH}:11:26: 错误: 个人信息未遮盖：主动公开文件的正文中有完整的身份证号，公开时应写作“{ID_MASKED}”"
        + HINT,
        f"{PATH}:12:27: 错误: 个人信息未遮盖：主动公开文件的正文中有完整的手机号，公开时应写作“138****5678”"
        + HINT,
        f"{PATH}:13:26: 错误: 个人信息未遮盖：主动公开文件的正文中有完整的银行卡号，公开时应写作“{CARD_MASKED}”"
        + HINT,
    ]


def test_masked_numbers_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        f"| 张某某 | 井头村一组 | 身份证 {ID_MASKED} |\n"
        "| 李某某 | 慕道村二组 | 联系电话 138****5678 |\n"
        f"| 王某某 | 慕道村三组 | 银行卡 {CARD_MASKED} |\n"
        "咨询电话：0773-4812345；文号 全政发〔2024〕12号；金额 13812345678.50 元。\n"
    )
    assert run(tmp_path, monkeypatch, doc(body=body)) == []


def test_front_matter_values_point_at_the_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = doc(
        f"关于{MOBILE}的通知",
        summary=f'"咨询请拨 {MOBILE}"',
        keywords=f"[低保, {MOBILE}]",
    )
    messages = run(tmp_path, monkeypatch, text)
    assert [m.split(": 错误: ")[0] for m in messages] == [
        f"{PATH}:2:10",
        f"{PATH}:8:16",
        f"{PATH}:9:16",
    ]
    assert "主动公开文件的标题中有完整的手机号，公开时应写作“138****5678”" in messages[0]
    assert "主动公开文件的摘要中有完整的手机号" in messages[1]
    assert "主动公开文件的主题词中有完整的手机号" in messages[2]


def test_block_scalar_summary_points_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = doc(summary=f"|\n  第一行说明。\n  户主身份证号 {ID}，已核实。")
    [message] = run(tmp_path, monkeypatch, text)
    assert message.startswith(
        f"{PATH}:10:10: 错误: 个人信息未遮盖：主动公开文件的摘要中有完整的身份证号，"
    )


def test_the_same_number_twice_is_reported_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = doc(summary=f"{MOBILE} 或 {MOBILE}")
    messages = run(tmp_path, monkeypatch, text)
    assert [m.split(": 错误: ")[0] for m in messages] == [f"{PATH}:8:10", f"{PATH}:8:24"]


def test_on_request_metadata_is_checked_but_not_its_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = doc(
        f"户主 {ID} 的救助审批表",
        attribute="依申请公开",
        reason="含个人信息",
        published=None,
        body=f"联系电话 {MOBILE}\n",
    )
    assert run(tmp_path, monkeypatch, text) == [
        f"{PATH}:2:11: 错误: 个人信息未遮盖：依申请公开文件（网站显示其目录信息）的标题中有完整的身份证号，"
        f"公开时应写作“{ID_MASKED}”" + HINT
    ]


def test_withheld_documents_are_not_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = doc(
        f"户主 {ID} 的救助审批表",
        attribute="不予公开",
        reason="含个人隐私",
        legal_basis="个人隐私",
        published=None,
        body=f"联系电话 {MOBILE}\n",
    )
    assert run(tmp_path, monkeypatch, text) == []


def test_interpretation_answers_are_public_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = doc(
        "低保政策解读",
        kind="解读",
        interprets="2026/policy",
        qa=f"\n  - q: 怎么咨询？\n    a: 请拨打 {MOBILE}",
    )
    monkeypatch.chdir(tmp_path)
    content = make_site(
        tmp_path, {"documents/2026/dibao.md": text, "documents/2026/policy.md": doc("低保政策")}
    )
    _, diags = check_content(content, TODAY)
    [message] = [d.text() for d in diags.sorted()]
    assert message.startswith(
        f"{PATH}:11:12: 错误: 个人信息未遮盖：主动公开文件的问答中有完整的手机号"
    )
