"""Tokeniser behaviour: what a Chinese user types must meet what the index holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import query_terms, tokenize
from gongkai.search.tokenize import MAX_QUERY_TERMS


def test_cjk_run_gives_unigrams_and_bigrams_interleaved() -> None:
    assert tokenize("低保") == ["低", "低保", "保"]
    assert tokenize("乡镇政府") == ["乡", "乡镇", "镇", "镇政", "政", "政府", "府"]


def test_single_character_run_is_one_token() -> None:
    assert tokenize("村") == ["村"]
    assert tokenize("村，镇") == ["村", "镇"]


def test_digit_and_letter_runs_are_whole_lowercase_terms() -> None:
    assert tokenize("2024年") == ["2024", "年"]
    assert tokenize("代码450324114") == ["代", "代码", "码", "450324114"]
    assert tokenize("PDF版") == ["pdf", "版"]
    # Letters and digits split, so a part of a code typed alone has the same terms.
    assert tokenize("MB1234567X") == ["mb", "1234567", "x"]
    assert query_terms("mb1234567x") == ["mb", "1234567", "x"]


def test_doc_number_tokens() -> None:
    assert tokenize("永政发〔2024〕12号") == ["永", "永政", "政", "政发", "发", "2024", "12", "号"]
    assert query_terms("永政发〔2024〕12号") == ["永政", "政发", "2024", "12", "号"]
    # Parts of it are searchable on their own.
    assert query_terms("永政发") == ["永政", "政发"]
    assert query_terms("12号") == ["12", "号"]


def test_index_number_tokens() -> None:
    assert tokenize("11450324MB1234567X/2024-00012") == [
        "11450324", "mb", "1234567", "x", "2024", "00012",
    ]


def test_nfkc_folds_full_width_and_compatibility_forms() -> None:
    assert tokenize("２０２４年") == ["2024", "年"]
    assert tokenize("ＭＢ") == ["mb"]
    assert tokenize("Ⅲ期") == ["iii", "期"]
    assert tokenize("①") == ["1"]


def test_chinese_numeral_zero_and_extension_b_are_cjk() -> None:
    assert tokenize("二〇二四") == ["二", "二〇", "〇", "〇二", "二", "二四", "四"]
    assert tokenize("𠀀村") == ["𠀀", "𠀀村", "村"]


def test_punctuation_and_spaces_separate() -> None:
    assert tokenize("预算:x") == ["预", "预算", "算", "x"]
    assert tokenize("预算：x") == ["预", "预算", "算", "x"]
    assert tokenize("【通知】关于…") == ["通", "通知", "知", "关", "关于", "于"]
    assert tokenize("") == []
    assert tokenize("：，。 \u3000") == []


def test_query_terms_and_semantics() -> None:
    assert query_terms("2024 低保") == ["2024", "低保"]
    assert query_terms("最低生活保障") == ["最低", "低生", "生活", "活保", "保障"]
    assert query_terms("村") == ["村"]
    assert query_terms("预算:x") == ["预算", "x"]
    assert query_terms("：") == []
    assert query_terms("低保 低保") == ["低保"]


def test_query_terms_are_capped() -> None:
    text = "".join(chr(0x4E00 + i) for i in range(100))
    assert len(query_terms(text)) == MAX_QUERY_TERMS


def test_tokenize_is_deterministic() -> None:
    text = "井头村2024年第三季度最低生活保障审核信息公示（永政发〔2024〕12号）"
    assert tokenize(text) == tokenize(text)


_texts = st.text(
    alphabet=st.sampled_from(list("低保预算公示村镇政府永发号〔〕：: -/年０１2024abcXYZ〇𠀀，。 ")),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_query_of_a_text_is_found_in_that_text(text: str) -> None:
    """Whatever a user copies from a document, every term searched for is in its tokens."""
    tokens = set(tokenize(text))
    assert set(query_terms(text)) <= tokens


@settings(max_examples=300, deadline=None)
@given(_texts, _texts, _texts)
def test_query_found_inside_a_longer_text(before: str, query: str, after: str) -> None:
    """A query that occurs inside a text (between separators) is found in it."""
    text = before + " " + query + " " + after
    assert set(query_terms(query)) <= set(tokenize(text))


def test_quotes_and_title_marks_join_not_split() -> None:
    from gongkai.search.tokenize import query_terms, tokenize

    assert "公经" in tokenize("永岁镇2026年“三公”经费预算")
    assert "法政" in tokenize("《高龄津贴办法》政策解读")
    assert query_terms("“三公”经费") == query_terms("三公经费")


def test_synonyms_expand_index_text_only() -> None:
    from gongkai.search.synonyms import expand

    assert expand("井头村最低生活保障审核对象公示").endswith("\n低保")
    assert "最低生活保障" in expand("低保公示")
    assert expand("道路维修") == "道路维修"
