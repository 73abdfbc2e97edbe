"""The benchmark's content generator writes valid, realistic, deterministic content."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from sitekit import TODAY

from gongkai.validate import check_content

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import generate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "content"
    generate.generate(out, 400)
    return out


def fronts(content: Path) -> list[str]:
    return [p.read_text(encoding="utf-8").split("---\n", 2)[1] for p in sorted((content / "documents").rglob("*.md"))]


def test_generated_content_passes_check(corpus: Path) -> None:
    site, diags = check_content(corpus, TODAY)
    assert site is not None, [d.text() for d in diags.errors]
    assert diags.errors == []
    assert len(diags.warnings) <= 2, [d.text() for d in diags.warnings]
    assert len(site.documents) == 400


def test_generation_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate.generate(again, 400)
    first = {p.relative_to(corpus): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_every_attribute_and_the_notice_vocabulary(corpus: Path) -> None:
    heads = fronts(corpus)
    attributes = Counter(re.search(r'^attribute: "(.+)"$', h, re.MULTILINE).group(1) for h in heads)  # type: ignore[union-attr]
    assert attributes["主动公开"] > attributes["依申请公开"] > 0 and attributes["不予公开"] > 0
    kinds = {re.search(r'^kind: "(.+)"$', h, re.MULTILINE).group(1) for h in heads}  # type: ignore[union-attr]
    assert {"通知", "公告", "公示", "解读", "报告"} <= kinds
    assert any("interprets:" in h for h in heads) and any("issuer:" in h and "村民委员会" in h for h in heads)
    bodies = "".join(p.read_text(encoding="utf-8") for p in (corpus / "documents").rglob("*.md"))
    assert "| 户主姓名 |" in bodies and "## " in bodies


def test_doc_numbers_are_unique_with_hexagonal_brackets(corpus: Path) -> None:
    numbers = [m.group(1) for h in fronts(corpus) if (m := re.search(r'^doc_number: "(.+)"$', h, re.MULTILINE))]
    assert numbers and len(numbers) == len(set(numbers))
    assert all(re.fullmatch(r"青[\u4e00-\u9fff]+〔\d{4}〕\d+号", n) for n in numbers)


def test_county_scale_village_count() -> None:
    assert generate.village_count(10_000) == 270
    names = generate.villages(270)
    assert len({n for _, n, _ in names}) == len({s for s, _, _ in names}) == 270


def test_real_vocabulary_corpus_draws_jieba_words_and_stays_valid(tmp_path: Path) -> None:
    """--vocab real: the same documents plus a paragraph of jieba words drawn by frequency;
    still valid content, deterministic, and with a far larger vocabulary than the synthetic one."""
    from real_vocab import word_list

    synthetic, real, again = tmp_path / "s", tmp_path / "r", tmp_path / "r2"
    generate.generate(synthetic, 60)
    generate.main(["--docs", "60", "--out", str(real), "--vocab", "real"])
    generate.generate(again, 60, vocab="real")
    files = sorted(p.relative_to(real) for p in (real / "documents").rglob("*.md"))
    assert files == sorted(p.relative_to(synthetic) for p in (synthetic / "documents").rglob("*.md"))
    words = set(word_list()[0])
    bigrams: dict[str, set[str]] = {"s": set(), "r": set()}
    for rel in files:
        text = (real / rel).read_text(encoding="utf-8")
        assert text == (again / rel).read_text(encoding="utf-8")
        base = (synthetic / rel).read_text(encoding="utf-8")
        assert text.startswith(base) and "\n## 相关情况\n\n" in text[len(base):]
        extra = text[len(base):].split("\n\n", 1)[1]
        assert sum(extra[i:i + n] in words for n in (2, 3) for i in range(len(extra))) >= 10
        for key, t in (("s", base), ("r", text)):
            bigrams[key].update(t[i:i + 2] for i in range(len(t) - 1))
    assert len(bigrams["r"]) > 3 * len(bigrams["s"])
    site, diags = check_content(real, TODAY)
    assert site is not None and diags.errors == [], [d.text() for d in diags.errors][:5]
    assert len(site.documents) == len(files)
