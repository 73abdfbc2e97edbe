"""Tests for gongkai.rules.privacy: unmasked ID / mobile / bank card numbers in public text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitekit import TODAY

from gongkai.rules.privacy import PrivacyFinding, scan_text

ID, MOBILE, CARD = "身份证号", "手机号", "银行卡号"


# --- independent helpers that build real-format valid numbers ---------------------------------


def make_id(area: str, birth: str, seq: str) -> str:
    """A GB 11643 resident ID with a correct check character."""
    body = area + birth + seq
    assert len(body) == 17
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def make_card(prefix: str) -> str:
    """Append a Luhn check digit to ``prefix``."""
    for d in "0123456789":
        digits = prefix + d
        total = 0
        for i, c in enumerate(reversed(digits)):
            n = int(c) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return digits
    raise AssertionError


def bad_luhn(card: str) -> str:
    return card[:-1] + str((int(card[-1]) + 1) % 10)


ID_1 = make_id("450324", "19900101", "123")
ID_X = next(i for s in range(1000) if (i := make_id("450324", "19751231", f"{s:03d}"))[-1] == "X")
CARD_16 = make_card("622202123456789")
CARD_19 = make_card("621700123456789012")


def kinds(text: str) -> list[str]:
    return [f.kind for f in scan_text(text, TODAY)]


# --- resident IDs ----------------------------------------------------------------------------


def test_valid_id_is_found_with_position_and_mask() -> None:
    text = f"低保对象名单\n张三，身份证号：{ID_1}，保障人数2人"
    [f] = scan_text(text, TODAY)
    assert f == PrivacyFinding(2, 9, ID, ID_1, ID_1[:4] + "*" * 10 + ID_1[-4:])
    assert f.masked.startswith("4503**********")


@pytest.mark.parametrize("variant", [ID_X, ID_X.lower()])
def test_id_with_x_check_char(variant: str) -> None:
    [f] = scan_text(f"证件号码{variant}。", TODAY)
    assert f.kind == ID and f.found == variant and f.masked.endswith(variant[-4:])


def test_id_grouped_6_8_4_and_fullwidth() -> None:
    grouped = f"{ID_1[:6]} {ID_1[6:14]} {ID_1[14:]}"
    [f] = scan_text(grouped, TODAY)
    assert f.kind == ID and f.masked == "4503** ******** " + ID_1[14:]
    fullwidth = ID_1.translate({ord(c): chr(0xFF10 + int(c)) for c in "0123456789"})
    [g] = scan_text(fullwidth, TODAY)
    assert g.kind == ID and g.found == fullwidth


def test_id_with_wrong_checksum_or_impossible_date_is_ignored() -> None:
    wrong = ID_1[:-1] + ("1" if ID_1[-1] != "1" else "2")
    assert ID not in kinds(wrong)
    assert ID not in kinds(make_id("450324", "19901332", "123"))  # 32 December
    assert ID not in kinds(make_id("450324", "20230229", "123"))  # not a leap year
    assert ID not in kinds(make_id("990324", "19900101", "123"))  # no province 99
    assert ID not in kinds(make_id("450324", "21990101", "123"))  # born in the future


def test_masked_id_is_fine() -> None:
    assert scan_text("张三 4503**********1234 李四 450324********123X", TODAY) == []


# --- mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系电话13800138000", "138****8000"),
        ("手机：138 0013 8000", "138 **** 8000"),
        ("手机：138-0013-8000。", "138-****-8000"),
        ("+86 13912345678", "+86 139****5678"),
        ("+86-139-1234-5678", "+86-139-****-5678"),
        ("+8619912345678", "+86199****5678"),
        ("（0086 15077331234）", "0086 150****1234"),
    ],
)
def test_mobile_forms(text: str, masked: str) -> None:
    [f] = scan_text(text, TODAY)
    assert f.kind == MOBILE and f.masked == masked
    assert text[f.col - 1 : f.col - 1 + len(f.found)] == f.found


def test_masked_mobile_and_non_mobile_prefixes() -> None:
    assert scan_text("联系人：李四 138****5678", TODAY) == []
    assert scan_text("12800138000", TODAY) == []  # 12x is not a mobile prefix
    assert scan_text("1380013800", TODAY) == []  # 10 digits


# --- bank cards ------------------------------------------------------------------------------


def test_card_contiguous_and_grouped() -> None:
    [f] = scan_text(f"补贴发放卡号：{CARD_16}", TODAY)
    assert f.kind == CARD and f.masked == CARD_16[:4] + "*" * 8 + CARD_16[-4:]
    grouped = " ".join(CARD_16[i : i + 4] for i in range(0, 16, 4))
    [g] = scan_text(f"卡号 {grouped} 户主", TODAY)
    assert g.kind == CARD and g.found == grouped
    assert g.masked == f"6222 **** **** {CARD_16[-4:]}"
    dashed = "-".join(CARD_16[i : i + 4] for i in range(0, 16, 4))
    [h] = scan_text(dashed, TODAY)
    assert h.kind == CARD and h.masked == f"6222-****-****-{CARD_16[-4:]}"


def test_card_19_digits() -> None:
    [f] = scan_text(f"一卡通账号{CARD_19}", TODAY)
    assert f.kind == CARD and f.masked == CARD_19[:4] + "*" * 11 + CARD_19[-4:]
    grouped = f"{CARD_19[:4]} {CARD_19[4:8]} {CARD_19[8:12]} {CARD_19[12:16]} {CARD_19[16:]}"
    [g] = scan_text(grouped, TODAY)
    assert g.kind == CARD and g.found == grouped


def test_card_failing_luhn_and_masked_cards_are_fine() -> None:
    assert scan_text(bad_luhn(CARD_16), TODAY) == []
    assert scan_text("6222 **** **** 1234", TODAY) == []
    assert scan_text("6222********1234", TODAY) == []


def test_valid_id_is_reported_as_id_not_card() -> None:
    # An ID that happens to pass Luhn must still be reported once, as an ID.
    for seq in range(200):
        candidate = make_id("450324", "19880808", f"{seq:03d}")
        if candidate[-1] != "X" and make_card(candidate[:-1]) == candidate:
            assert kinds(candidate) == [ID]
            break
    else:  # pragma: no cover - practically unreachable
        pytest.skip("no Luhn-valid ID found")


# --- several findings, positions -------------------------------------------------------------


def test_multiline_positions_and_order() -> None:
    text = f"第一行无\r\n王五 {ID_1} 13800138000\n卡号{CARD_16}"
    found = scan_text(text, TODAY)
    assert [(f.line, f.col, f.kind) for f in found] == [
        (2, 4, ID),
        (2, 23, MOBILE),
        (3, 3, CARD),
    ]
    lines = text.split("\n")
    for f in found:
        assert lines[f.line - 1][f.col - 1 :].startswith(f.found)


# --- false positives -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "永政发〔2024〕12号",
        "全政办发〔2023〕105号",
        "成文日期：2024-09-27，发布日期：2024年10月28日，20240927",
        "索引号：11450324MB1234567X/2024-00012",
        "索引号：000014349/2018-00222",
        "统一社会信用代码：91450324MA5L0ABC1X",
        "统一社会信用代码：12450324498765432X",
        "保障金额：12,345.67元，合计1,234,567.89元",
        "金额13800138000元",
        "￥6222021234567894",
        "比例0.13800138000",
        "值班电话：0773-1234567，(0773)6221234",
        "统计用区划代码：450324114，450324114201",
        "邮编541500",
        "2024年第3季度共发放138户",
    ],
)
def test_false_positive_list_is_quiet(text: str) -> None:
    assert scan_text(text, TODAY) == []


def test_numbers_inside_longer_digit_runs_are_ignored() -> None:
    for inner in (ID_1, "13800138000", CARD_16):
        long_run = "12345" + inner + "67890"
        assert len(long_run) >= 20
        assert scan_text(long_run, TODAY) == []
        assert scan_text(f"流水号{long_run}号", TODAY) == []
    assert scan_text(f"9{ID_1}9999", TODAY) == []


def test_empty_and_non_string_input() -> None:
    assert scan_text("", TODAY) == []
    assert scan_text(None, TODAY) == []  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------------------

_number_chars = st.sampled_from(list("0123456789 -+*.Xx/元\n\r\u3000０１２３４５６７８９"))


@settings(max_examples=300)
@given(st.one_of(st.text(), st.text(alphabet=_number_chars, max_size=80)))
def test_scan_never_raises_and_positions_are_exact(text: str) -> None:
    lines = text.split("\n")
    for f in scan_text(text, TODAY):
        assert f.kind in (ID, MOBILE, CARD)
        assert lines[f.line - 1][f.col - 1 : f.col - 1 + len(f.found)] == f.found
        assert len(f.masked) == len(f.found) and "*" in f.masked
        assert scan_text(f.masked, TODAY) == []


@given(st.integers(0, 999), st.dates())
def test_any_valid_id_is_found(seq: int, born) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    if not (1900 <= born.year and born <= date.today()):
        return
    number = make_id("450324", born.strftime("%Y%m%d"), f"{seq:03d}")
    assert kinds(f"身份证：{number}") == [ID]
