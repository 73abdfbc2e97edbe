"""Index builder: lunr format equivalence, sharding, determinism, doc store, 依申请公开 safety.

Queries here run on the built shard files with lunr.py (which loads and scores lunr.js's format
identically), combining shards the way ``search.js`` does; ``test_search_parity.py`` runs the
real ``search.js`` on the same files under node.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunr.builder import Builder
from lunr.index import Index
from lunr.query import QueryPresence

from gongkai.search import SearchRecord, build_search_files, query_terms, tokenize
from gongkai.search.index import BODY, FIELDS, _field_texts
from gongkai.search.shard_format import entry_codes, lunr_index, shard_of, utf16_key

ON_REQUEST = "此件可依申请公开"
PUBLIC = "此件公开发布"


def record(**kw: object) -> SearchRecord:
    base: dict[str, object] = {
        "id": "x", "url": "documents/x.html", "title": "", "doc_number": "", "index_number": "",
        "kind": "通知", "date": "", "area": "", "area_slug": "", "item": "", "villages": (),
        "village_slugs": (), "attribute_label": PUBLIC, "body": "",
    }
    base.update(kw)
    return SearchRecord(**base)  # type: ignore[arg-type]


def sample_records() -> list[SearchRecord]:
    """A small town: 低保 notices, budgets, a 依申请公开 notice, a road project."""
    return [
        record(
            id="2024/shjz-dibao-q3", url="documents/2024/shjz-dibao-q3.html",
            title="井头村2024年第三季度最低生活保障审核信息公示", doc_number="永政发〔2024〕12号",
            index_number="11450324MB1234567X/2024-00012", kind="公示", date="2024-10-28",
            area="社会救助", area_slug="shjz", item="最低生活保障 / 审核信息",
            villages=("井头村",), village_slugs=("jingtou",),
            body="经村民委员会评议、镇人民政府审核，现将2024年第三季度低保对象名单予以公示。"
            "公示期为7天，如有异议请拨打监督电话0771-1234567。",
        ),
        record(
            id="2023/shjz-dibao-q4", url="documents/2023/shjz-dibao-q4.html",
            title="上坝村2023年第四季度低保审核信息公示", doc_number="永政发〔2023〕40号",
            index_number="11450324MB1234567X/2023-00040", kind="公示", date="2023-12-20",
            area="社会救助", area_slug="shjz", item="最低生活保障 / 审核信息",
            villages=("上坝村",), village_slugs=("shangba",),
            body="现将上坝村低保对象名单公示如下，公示期７天。",
        ),
        record(
            id="2024/czyjs-yusuan", url="documents/2024/czyjs-yusuan.html",
            title="永岁镇2024年财政预算公开", index_number="11450324MB1234567X/2024-00003",
            kind="公告", date="2024-02-01", area="财政预决算", area_slug="czyjs", item="财政预算",
            body="２０２４年一般公共预算收入1200万元，预算支出1150万元，“三公”经费预算12万元。",
        ),
        record(
            id="2023/czyjs-juesuan", url="documents/2023/czyjs-juesuan.html",
            title="永岁镇2023年财政决算公开", index_number="11450324MB1234567X/2023-00005",
            kind="公告", date="2023-06-30", area="财政预决算", area_slug="czyjs", item="财政决算",
            body="2023年决算收入1180万元，完成年初预算的98%。",
        ),
        record(
            id="2024/shjz-tekun", url="documents/2024/shjz-tekun.html",
            title="关于调整特困人员救助供养标准的通知", doc_number="永政发〔2024〕7号",
            index_number="11450324MB1234567X/2024-00007", kind="通知", date="2024-03-15",
            area="社会救助", area_slug="shjz", item="特困人员救助供养",
            attribute_label=ON_REQUEST,
            # Callers pass "" for 依申请公开; the builder must drop a body even if one slips in.
            body="内部保密措辞不得上网",
        ),
        record(
            id="2022/xczx-daolu", url="documents/2022/xczx-daolu.html",
            title="上坝村道路硬化工程项目公示", index_number="11450324MB1234567X/2022-00031",
            kind="公示", date="2022-09-01", area="乡村振兴", area_slug="xczx", item="项目建设",
            villages=("上坝村", "井头村"), village_slugs=("shangba", "jingtou"),
            body="上坝村至井头村道路硬化工程，总投资120万元，由镇政府组织实施。",
        ),
    ]


# --- a Python mirror of search.js's query path, over the built files -----------------------

_CALL = re.compile(r"^window\.GongkaiSearch\.(\w+)\((?:\"([0-9a-z-]+)\"|(\d+))?,?(.*)\);\n$", re.DOTALL)


def parse_script(data: bytes) -> tuple[str, str, object]:
    m = _CALL.match(data.decode())
    assert m, data[:80]
    return m.group(1), m.group(2) or m.group(3) or "", json.loads(m.group(4))


class Site:
    """The built files, queried like search.js does (AND across shards, exact rescoring)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        _, _, self.meta = parse_script(files["search/meta.js"])
        self._indexes: dict[str, Index] = {}

    def shard_path(self, term: str) -> str:
        name = f"{shard_of(term, self.meta['shards']):0{self.meta['shardWidth']}x}"
        return f"search/shards/{name}.js"

    def body_length(self, ref: int) -> int:
        per = self.meta["lengthsPerChunk"]
        _, _, values = parse_script(self.files[f"search/lengths/{ref // per}.js"])
        return values[ref % per]  # type: ignore[index,no-any-return]

    def postings(self, path: str) -> dict[str, list[int]]:
        """term -> codes of a shard, inline lists and blocks decoded (shard_format.entry_codes)."""
        kind, name, data = parse_script(self.files[path])
        assert kind == "shard"
        return {
            t: entry_codes(name, e, BODY, self.files.get)
            for t, e in zip(data["t"], data["p"])  # type: ignore[call-overload,index]
        }

    def lunr(self, path: str) -> dict[str, object]:
        """The shard as the lunr index lunr.js's Builder makes of its postings (the reference
        search.js's scores must equal: shard_format.lunr_index)."""
        return lunr_index(self.postings(path), self.meta, self.body_length)  # type: ignore[arg-type]

    def index(self, path: str) -> Index:
        if path not in self._indexes:
            self._indexes[path] = Index.load(self.lunr(path))
        return self._indexes[path]

    def hits(self, query: str) -> list[tuple[str, float]]:
        terms = query_terms(query)
        if not terms:
            return []
        groups: dict[str, list[str]] = {}
        for t in terms:
            groups.setdefault(self.shard_path(t), []).append(t)
        combined: dict[str, float] | None = None
        for path, shard_terms in groups.items():
            results = self.index(path).query(
                callback=lambda q, ts=shard_terms: [
                    q.term(t, presence=QueryPresence.REQUIRED, use_pipeline=False) for t in ts
                ]
            )
            scores = {r["ref"]: r["score"] * math.sqrt(len(shard_terms)) for r in results}
            if combined is None:
                combined = scores
            else:
                combined = {k: v + scores[k] for k, v in combined.items() if k in scores}
        norm = math.sqrt(len(terms))
        out = [(ref, s / norm) for ref, s in (combined or {}).items()]
        return sorted(out, key=lambda x: (-x[1], int(x[0])))

    def doc(self, ref: str) -> dict[str, object]:
        n = int(ref)
        per = self.meta["docsPerChunk"]
        _, _, entries = parse_script(self.files[f"search/docs/{n // per}.js"])
        return entries[n % per]  # type: ignore[index]

    def titles(self, query: str) -> list[str]:
        return [str(self.doc(ref)["t"]) for ref, _ in self.hits(query)]


@pytest.fixture(scope="module")
def site() -> Site:
    return Site(build_search_files(sample_records(), shard_count=8, docs_per_chunk=2))


# --- tests ---------------------------------------------------------------------------------


def test_files_are_classic_scripts_under_search(site: Site) -> None:
    assert site.files
    for path, data in site.files.items():
        assert path.startswith("search/") and path.endswith(".js")
        assert data.startswith(b"window.GongkaiSearch.")
        parse_script(data)
    assert site.meta["shards"] == 8
    assert sum(p.startswith("search/shards/") for p in site.files) == 8
    assert sum(p.startswith("search/docs/") for p in site.files) == 3


def test_meta_lists_filters_but_no_documents(site: Site) -> None:
    meta_text = site.files["search/meta.js"].decode()
    for r in sample_records():
        assert r.title not in meta_text and r.url not in meta_text and r.id not in meta_text
    assert site.meta["filters"] == {
        "area": [["czyjs", "财政预决算"], ["shjz", "社会救助"], ["xczx", "乡村振兴"]],
        "kind": [["公告", "公告"], ["公示", "公示"], ["通知", "通知"]],
        "village": [["jingtou", "井头村"], ["shangba", "上坝村"]],
        "year": [["2024", "2024"], ["2023", "2023"], ["2022", "2022"]],
    }
    assert site.meta["hash"] == "fnv1a32-codepoints-fmix32"


def test_chinese_queries_rank_title_matches_first(site: Site) -> None:
    assert site.titles("低保")[:2] == [
        "上坝村2023年第四季度低保审核信息公示",  # 低保 in the title
        "井头村2024年第三季度最低生活保障审核信息公示",  # 低保 only in the body
    ]
    assert site.titles("预算")[0] == "永岁镇2024年财政预算公开"
    assert "永岁镇2023年财政决算公开" in site.titles("预算")  # body mentions 预算


def test_and_semantics_across_terms_and_shards(site: Site) -> None:
    assert site.titles("2024 低保") == ["井头村2024年第三季度最低生活保障审核信息公示"]
    assert site.titles("低保 道路") == []
    # the everyday name and the official one find each other (search/synonyms.py)
    assert set(site.titles("最低生活保障")[:2]) == {"井头村2024年第三季度最低生活保障审核信息公示", "上坝村2023年第四季度低保审核信息公示"}


def test_doc_number_and_index_number_whole_and_parts(site: Site) -> None:
    dibao = "井头村2024年第三季度最低生活保障审核信息公示"
    assert site.titles("永政发〔2024〕12号") == [dibao]
    # "12" and "号" are separate terms: the December date of another 公示 matches too, lower.
    assert site.titles("12号")[0] == dibao
    assert set(site.titles("永政发")) == {
        dibao, "上坝村2023年第四季度低保审核信息公示", "关于调整特困人员救助供养标准的通知",
    }
    assert site.titles("11450324MB1234567X/2024-00012") == [dibao]
    assert site.titles("mb1234567x")  # case-insensitive, every document carries it


def test_full_width_digits_in_body_match_ascii_query(site: Site) -> None:
    assert "永岁镇2024年财政预算公开" in site.titles("2024 预算")
    assert "上坝村2023年第四季度低保审核信息公示" in site.titles("7天")


def test_one_character_and_odd_queries(site: Site) -> None:
    assert len(site.titles("村")) >= 3
    # Every 索引号 here contains an "x", so this is just 预算 AND x; "预算:q" finds nothing.
    assert site.titles("预算:x") == site.titles("预算")
    assert site.titles("预算:q") == []
    assert site.titles("：") == []
    assert site.titles("预算：") == site.titles("预算")


def test_on_request_document_found_by_metadata_never_by_body(site: Site) -> None:
    title = "关于调整特困人员救助供养标准的通知"
    assert site.titles("特困人员") == [title]
    assert site.titles("永政发〔2024〕7号")[0] == title
    assert site.titles("保密措辞") == []
    text = b"".join(site.files.values()).decode()
    assert "保密" not in text
    ref = site.hits("特困人员")[0][0]
    assert site.doc(ref)["x"] == "" and site.doc(ref)["l"] == ON_REQUEST


def test_doc_store_entries(site: Site) -> None:
    ref = site.hits("永政发〔2024〕12号")[0][0]
    doc = site.doc(ref)
    assert doc["u"] == "documents/2024/shjz-dibao-q3.html"
    assert doc["n"] == "永政发〔2024〕12号" and doc["d"] == "2024-10-28" and doc["k"] == "公示"
    assert doc["v"] == ["井头村"] and doc["l"] == PUBLIC
    assert str(doc["x"]).startswith("经村民委员会评议")


def test_facets_encode_filters(site: Site) -> None:
    _, _, rows = parse_script(site.files["search/facets/0.js"])
    filters = site.meta["filters"]
    by_url = {}
    for r in sample_records():
        ref = site.hits(r.index_number)[0][0]
        by_url[r.url] = rows[int(ref, 36)]  # type: ignore[index]
    area, kind, year, villages = by_url["documents/2022/xczx-daolu.html"]
    assert filters["area"][area][0] == "xczx"
    assert filters["kind"][kind][0] == "公示"
    assert filters["year"][year][0] == "2022"
    assert sorted(filters["village"][v][0] for v in villages) == ["jingtou", "shangba"]


def test_same_records_in_any_order_give_identical_files() -> None:
    records = sample_records()
    first = build_search_files(records, shard_count=8)
    for seed in range(3):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert build_search_files(shuffled, shard_count=8) == first
    assert build_search_files(records) == build_search_files(list(reversed(records)))


def test_duplicate_ids_are_rejected() -> None:
    records = sample_records()
    with pytest.raises(ValueError, match="2022/xczx-daolu"):
        build_search_files(records + [replace(records[-1], title="另一个")])


def test_empty_corpus_still_gives_loadable_files() -> None:
    files = build_search_files([])
    site = Site(files)
    assert site.meta["docs"] == 0
    assert site.hits("低保") == []


def _lunr_py_index(records: Sequence[SearchRecord], refs: Sequence[str]) -> dict[str, object]:
    builder = Builder()  # empty pipelines: no English trimmer/stemmer/stop words
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for ref, r in zip(refs, records):
        doc: dict[str, object] = {"id": ref}
        for (name, _), text in zip(FIELDS, _field_texts(r)):
            doc[name] = tokenize(text)
        builder.add(doc)
    return builder.build().serialize()


def _weights(index: dict[str, object]) -> tuple[dict[str, dict[str, list[str]]], dict[str, dict[str, float]]]:
    """(term -> field -> refs, "field/ref" -> term -> weight) of a lunr serialised index."""
    terms = {term: posting["_index"] for term, posting in index["invertedIndex"]}  # type: ignore[attr-defined]
    names = {i: t for t, i in terms.items()}
    postings = {
        term: {f: sorted(refs) for f, refs in posting.items() if f != "_index" and refs}
        for term, posting in index["invertedIndex"]  # type: ignore[attr-defined]
    }
    vectors = {
        key: {names[e[i]]: e[i + 1] for i in range(0, len(e), 2)}
        for key, e in index["fieldVectors"]  # type: ignore[attr-defined]
        if e
    }
    return postings, vectors


def test_expanded_shard_equals_lunr_py_builder_index() -> None:
    """A shard, expanded as search.js does, is the index lunr's own Builder makes of the same
    tokens: the same postings and the same BM25 weights (lunr.py rounds with round(x, 3),
    lunr.js and we with Math.round(x * 1000) / 1000: at most one unit of the last digit)."""
    records = sorted(sample_records(), key=lambda r: (r.date, r.id))  # the index order (`_ordered`)
    site = Site(build_search_files(records, shard_count=1))
    ours = site.lunr("search/shards/0.js")
    theirs = _lunr_py_index(records, [str(i) for i in range(len(records))])
    our_postings, our_vectors = _weights(ours)
    their_postings, their_vectors = _weights(theirs)
    assert our_postings == their_postings
    assert our_vectors.keys() == their_vectors.keys()
    for key, weights in their_vectors.items():
        assert our_vectors[key].keys() == weights.keys(), key
        for term, weight in weights.items():
            assert abs(our_vectors[key][term] - weight) <= 0.0011, (key, term)


def test_sharded_scores_equal_unsharded_scores() -> None:
    records = sample_records()
    one = Site(build_search_files(records, shard_count=1))
    many = Site(build_search_files(records, shard_count=16))
    for q in ("低保", "2024 低保", "永政发〔2024〕12号", "村", "上坝村 道路硬化", "财政 公开 2023"):
        a, b = one.hits(q), many.hits(q)
        assert [r for r, _ in a] == [r for r, _ in b], q
        assert all(math.isclose(x, y, rel_tol=1e-9) for (_, x), (_, y) in zip(a, b)), q
        assert a, q


def test_terms_sorted_in_javascript_order() -> None:
    """lunr.js throws 'Out of order word insertion' unless terms are in UTF-16 order."""
    records = [record(id=f"d{i}", title=t) for i, t in enumerate(["﨎字", "𠀀字", "字"])]
    _, _, index = parse_script(build_search_files(records, shard_count=1)["search/shards/0.js"])
    terms = index["t"]  # type: ignore[index]
    assert terms == sorted(terms, key=utf16_key)
    assert terms.index("𠀀") < terms.index("﨎")  # D840 < FA0E in UTF-16, not in code points


def test_shard_count_grows_with_corpus_and_shards_stay_small() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from search_bench import synthetic_records

    files = build_search_files(synthetic_records(400, body_chars=600))
    meta = Site(files).meta
    shards = [len(d) for p, d in files.items() if p.startswith("search/shards/")]
    assert meta["shards"] == len(shards) > 16
    assert sorted(shards)[len(shards) // 2] < 100_000  # median shard
    assert max(len(d) for p, d in files.items() if p.startswith("search/docs/")) < 80_000
    assert len(files["search/meta.js"]) < 4_000


@st.composite
def _posting_lists(draw: st.DrawFn) -> list[int]:
    """Ascending codes of one term: documents (some far apart), fields, lengths, tfs at the caps."""
    from gongkai.search.shard_format import MAX_LENGTH, MAX_REFS, MAX_TF, code_base

    refs = sorted(set(draw(st.lists(st.integers(0, MAX_REFS - 1) | st.integers(0, 3000), max_size=400))))
    codes = []
    for ref in refs:
        for f in sorted(draw(st.sets(st.integers(0, len(FIELDS) - 1), min_size=1, max_size=3))):
            length = 0 if f == BODY else draw(st.sampled_from([0, 1, 127, 128, 16383, 16384, MAX_LENGTH]))
            codes.append(code_base(ref, f, length) + draw(st.sampled_from([1, 2, 127, 128, MAX_TF])))
    return codes


@settings(max_examples=60, deadline=None)
@given(_posting_lists(), st.integers(1, 64), st.integers(8, 300))
def test_entries_give_back_their_postings(codes: list[int], inline: int, block: int) -> None:
    """Whatever the list, its entry (inline, or blocks cut at document boundaries) decodes to
    exactly its codes, and no document's postings are split across two blocks."""
    from unittest import mock

    from gongkai.search import shard_format

    with mock.patch.object(shard_format, "INLINE_POSTINGS", inline), mock.patch.object(shard_format, "BLOCK_POSTINGS", block):
        entry, blocks = shard_format.term_entry("0a", "词", codes, BODY)
    assert shard_format.entry_codes("0a", entry, BODY, blocks.get) == codes
    if blocks:
        firsts = entry[1]
        assert firsts == sorted(set(firsts)) and firsts[0] == codes[0] >> shard_format.REF_SHIFT
        assert len(blocks) == len(firsts)
    else:
        assert len(codes) <= inline


@settings(max_examples=60, deadline=None)
@given(_posting_lists(), st.integers(1, 6))
def test_impact_tiers_hold_the_documents_where_the_term_weighs_most(codes: list[int], size: int) -> None:
    """Tiers are whole documents, each tier ascending by document, no document in two tiers;
    every document of a tier weighs at least as much as any document of a later tier or of
    none (impact: sum of boost * tf / (tf + k1) over its fields, in millionths; ties to the
    lower number)."""
    from unittest import mock

    from gongkai.search import shard_format
    from gongkai.search.index import BOOSTS

    sizes = (size, 2 * size, 4 * size)
    with mock.patch.object(shard_format, "TIER_DOCS", sizes):
        tiers = shard_format.tier_docs(codes, BOOSTS)

    def impact(ref: int) -> int:  # in millionths, each field's part rounded
        own = [shard_format.decode(c) for c in codes if c >> shard_format.REF_SHIFT == ref]
        return sum(round(BOOSTS[f] * tf / (tf + shard_format.K1) * 1_000_000) for _, f, _, tf in own)

    refs = sorted({c >> shard_format.REF_SHIFT for c in codes})
    placed: list[int] = []
    for k, tier in enumerate(tiers):
        assert tier == sorted(tier)
        tier_refs = sorted({c >> shard_format.REF_SHIFT for c in tier})
        assert len(tier_refs) == min(sizes[k], len(refs) - len(placed))
        assert tier == [c for c in codes if c >> shard_format.REF_SHIFT in tier_refs]  # whole documents
        placed += tier_refs
    assert len(placed) == len(set(placed)) == min(len(refs), sum(sizes))
    rank = sorted(refs, key=lambda r: (-impact(r), r))
    assert [r for r in rank if r in placed] == rank[: len(placed)]


def test_block_names_carry_no_long_digit_runs() -> None:
    """A block's name is a string in the published files, read by the post-build scan for
    personal data: its digest is letters, so no name reads as a mobile or ID number."""
    import re

    from gongkai.search.shard_format import block_name, term_digest

    terms = [f"{a}{b}" for a in "低保公示村民委员会预算资金" for b in "审核名单标准发放通知0123456789"] + [str(n) for n in range(3000)]
    for term in terms:
        digest = term_digest(term)
        assert re.fullmatch(r"[a-p]{12}", digest), digest
        assert not re.search(r"\d{6}", block_name("fff", digest, 99) + block_name("fff", digest, "t2"))
