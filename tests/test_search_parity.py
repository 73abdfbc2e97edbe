"""Python and browser agree: tokens, query terms, shard hashes, and whole queries.

Runs ``templates/assets/search.js`` under node (node is required: a missing node fails the
test, it does not skip it) on the files that ``build_search_files`` wrote; its scores are
compared with lunr.py's on the lunr indexes of the same postings.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_search_index import Site, parse_script, sample_records

from gongkai.search import build_search_files, query_terms, tokenize
from gongkai.search.index import BODY, shared_constants
from gongkai.search.shard_format import (
    FORMAT_VERSION,
    HASH_SCHEME,
    K1,
    MAX_LENGTH,
    MAX_REFS,
    MAX_TF,
    B,
    b64,
    code_base,
    decode,
    decode_postings,
    encode_postings,
    entry_codes,
    term_hash,
    unb64,
)
from gongkai.search.tokenize import (
    CJK_CLASS,
    DIGIT_CLASS,
    DROP_CLASS,
    LETTER_CLASS,
    MAX_QUERY_TERMS,
    normalize,
)

REPO = Path(__file__).resolve().parent.parent

# Runs search.js under node: one JSON command on stdin, one JSON answer on stdout.
HARNESS = r"""
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const [searchJs] = process.argv.slice(2);
const api = require(searchJs);
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
// The shared constants (tokeniser classes, BM25 parameters, ...) come from a meta.js that
// Python wrote, as in the browser: search.js defines none of them.
globalThis.window = { GongkaiSearch: api };
if (input.metaJs) vm.runInThisContext(input.metaJs, { filename: "meta.js" });
if (input.noMeta) {
  try { api.tokenize("低保"); out.noMeta = "no error"; } catch (err) { out.noMeta = String(err.message); }
}
if (input.strings) {
  out.tokens = input.strings.map((s) => api.tokenize(s));
  out.queryTerms = input.strings.map((s) => api.queryTerms(s));
  out.normalized = input.strings.map((s) => api.normalize(s));
}
if (input.terms) out.hashes = input.terms.map((t) => api.termHash(t));
if (input.decode) {
  const { body, lists } = input.decode;
  out.decoded = lists.map(([text, start]) => {
    const p = api.decodePostings(text, body, start);
    const rows = [];
    for (let i = 0; i < p.n; i++) rows.push([p.ref[i], p.field[i], p.length[i], p.tf[i]]);
    return rows;
  });
}
if (input.highlight) {
  out.highlights = input.highlight.map(([text, q]) => api.highlight(text, q));
  out.snippets = input.highlight.map(([text, q]) => api.snippet(text, q, 12));
}
async function runQueries() {
  // Index files call window.GongkaiSearch.*; load them synchronously from disk.
  const loaded = [];
  api.configure({
    root: input.site + "/",
    loadScript: (file) => {
      loaded.push(path.relative(input.site, file));
      vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
    },
  });
  vm.runInThisContext(fs.readFileSync(path.join(input.site, "search", "meta.js"), "utf8"));
  out.results = [];
  for (const q of input.queries) {
    loaded.length = 0;
    try {
      const r = await api.run(q.q, q.filters || {}, q.page || 1);
      out.results.push({
        total: r.total, estimated: r.estimated, terms: r.terms, page: r.page, pages: r.pages,
        hits: r.hits.map((h) => [h.ref, h.score]),
        titles: r.docs.map((d) => d.t),
        loaded: loaded.slice(),
      });
    } catch (err) {
      out.results.push({ error: String((err && err.stack) || err) });
    }
  }
}
(input.site ? runQueries() : Promise.resolve()).then(() => {
  process.stdout.write(JSON.stringify(out));
});
"""


def built_meta_js() -> str:
    """The ``search/meta.js`` the index builder writes: the one source of the shared constants."""
    return build_search_files(sample_records(), shard_count=8)["search/meta.js"].decode()


def run_node(tmp_path: Path, command: dict[str, Any]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the search parity tests (apt-get install nodejs)")
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    proc = subprocess.run(
        [node, str(harness), str(REPO / "templates" / "assets" / "search.js")],
        input=json.dumps(command, ensure_ascii=False),
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


TRICKY = [
    "", " ", "低保", "村", "永政发〔2024〕12号", "11450324MB1234567X/2024-00012", "2024 低保",
    "预算:x", "预算：x", "：", "最低生活保障", "二〇二四年", "２０２４年１２月", "ＭＢ１２３Ｘ",
    "Ⅲ期工程", "①②③", "﨎字", "𠀀𠀁村", "𪚥𪚥", "ﬁ", "㈠", "㍿", "Straße", "İstanbul", "ΣΑΣ",
    "Lǚyóu旅游", "café", "e\u0301", "한국어", "ひらがなカタカナ", "emoji😀测试", "a\u2028b",
    "tab\tnew\nline", "\u3000全角空格\u3000", "“三公”经费", "《办法》（试行）", "50%", "3.5万元",
    "0771-1234567", "x" * 50, "测" * 40, "A-B_C", "¼½", "㎡", "℃", "№12", "ｶﾀｶﾅ",
]


def random_strings(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    pools = [
        "低保预算公示村镇政府永发号年季度最生活", "〔〕：:，。、；（）《》“”", "0123456789",
        "abcXYZ", "０１２３ＡＢＣ", "\u3007\u3005𠀀𠀁﨎\uf900", " \u3000\t-/_", "éßǚİΣ",
    ]
    out = []
    for _ in range(n):
        out.append("".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 24))))
    return out


def test_tokenizer_parity_with_python(tmp_path: Path) -> None:
    strings = TRICKY + random_strings(400)
    got = run_node(tmp_path, {"strings": strings, "metaJs": built_meta_js()})
    for s, tokens, terms, norm in zip(strings, got["tokens"], got["queryTerms"], got["normalized"]):
        assert tokens == tokenize(s), repr(s)
        assert terms == query_terms(s), repr(s)
        assert norm == normalize(s), repr(s)


def test_shared_constants_are_written_once_into_meta(tmp_path: Path) -> None:
    """meta.js carries the constants both sides share; search.js holds no copy of them and
    refuses to tokenise before a meta.js of its format is loaded."""
    meta_js = built_meta_js()
    prefix = "window.GongkaiSearch.meta("
    assert meta_js.startswith(prefix) and meta_js.endswith(");\n")
    meta = json.loads(meta_js[len(prefix):-3])
    expected = shared_constants()
    assert {k: meta[k] for k in expected} == expected
    assert expected["tokenizer"] == {
        "cjk": CJK_CLASS, "digits": DIGIT_CLASS, "drop": DROP_CLASS, "letters": LETTER_CLASS,
    }
    assert expected["bm25"] == {"k1": K1, "b": B}
    assert expected["maxTerms"] == MAX_QUERY_TERMS and expected["version"] == FORMAT_VERSION
    source = (REPO / "templates" / "assets" / "search.js").read_text(encoding="utf-8")
    for literal in ["u4e00-", "\u4e00-\u9fff", "u00df-", "u300c", "= 1.2", "= 0.75", "= 32"]:
        assert literal not in source, literal
    # The reader's own format and hash scheme are the ones Python writes.
    assert f"var FORMAT_VERSION = {FORMAT_VERSION};" in source
    assert f'var HASH_SCHEME = "{HASH_SCHEME}";' in source
    got = run_node(tmp_path, {"noMeta": True})
    assert got["noMeta"] == f"search/meta.js (format {FORMAT_VERSION}) is not loaded"
    # A meta.js of another format is not taken: the tokeniser stays unconfigured.
    old = meta_js.replace(f'"version":{FORMAT_VERSION}', '"version":2')
    assert old != meta_js
    got = run_node(tmp_path, {"noMeta": True, "metaJs": old})
    assert got["noMeta"] == f"search/meta.js (format {FORMAT_VERSION}) is not loaded"
    got = run_node(tmp_path, {"noMeta": True, "metaJs": meta_js})
    assert got["noMeta"] == "no error"


def test_shard_hash_parity_with_python(tmp_path: Path) -> None:
    terms = sorted({t for s in TRICKY + random_strings(200, seed=3) for t in tokenize(s)})
    got = run_node(tmp_path, {"terms": terms, "metaJs": built_meta_js()})
    assert got["hashes"] == [term_hash(t) for t in terms]


def test_javascript_decodes_postings_exactly_as_python(tmp_path: Path) -> None:
    """decodePostings (search.js) reads every inline list and every block of a realistic
    index as shard_format.decode_postings does; and for random postings (refs up to the
    format's limit, fields, lengths and tfs at their caps) both are the inverse of
    encode_postings."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from search_bench import synthetic_records

    files = build_search_files(sample_records() + synthetic_records(400, body_chars=300), shard_count=16)
    lists: list[tuple[str, int]] = []
    for path, data in sorted(files.items()):
        kind, _, payload = parse_script(data)
        if kind == "shard":
            lists += [(e, 0) for e in payload["p"] if isinstance(e, str)]  # type: ignore[index,union-attr]
            firsts = {f"{path.rsplit('/', 1)[1][:-3]}-{e[0]}-{k}": first  # type: ignore[index,union-attr]
                      for e in payload["p"] if not isinstance(e, str) for k, first in enumerate(e[1])}  # type: ignore[index,union-attr]
            for name, first in firsts.items():
                _, _, text = parse_script(files[f"search/blocks/{name}.js"])
                lists.append((text, first))  # type: ignore[arg-type]
    assert any(first for _, first in lists), "the corpus must have blocks"
    rng = random.Random(5)
    for _ in range(200):
        codes = sorted({code_base(rng.choice([rng.randrange(50), rng.randrange(MAX_REFS)]), rng.randrange(8),
                                  rng.choice([0, 1, 127, 128, MAX_LENGTH])) + rng.choice([1, 2, 127, 128, MAX_TF])
                        for _ in range(rng.randint(0, 12))})
        codes = [c if (c >> 30) & 7 != BODY else c & ~(MAX_LENGTH << 10) for c in codes]  # body: no length
        lists.append((b64(encode_postings(codes, BODY)), 0))
    got = run_node(tmp_path, {"decode": {"body": BODY, "lists": lists}})
    for (text, first), rows in zip(lists, got["decoded"]):
        expected = [list(decode(c)) for c in decode_postings(unb64(text), BODY, first)]
        assert rows == expected
        assert b64(encode_postings(decode_postings(unb64(text), BODY, first), BODY, first)) == text


def test_highlight_escapes_and_marks(tmp_path: Path) -> None:
    cases = [
        ["<b>低保</b>名单", "低保"],
        ["２０２４年预算", "2024"],
        ["全年预算收入，“三公”经费预算", "预算 三公"],
        ["这是一段很长的正文，前面没有关键词，直到这里才出现低保两个字，然后还有很多内容", "低保"],
        ["最低生活保障", "低保"],
    ]
    got = run_node(tmp_path, {"highlight": cases, "metaJs": built_meta_js()})
    assert got["highlights"][0] == "&lt;b&gt;<mark>低保</mark>&lt;/b&gt;名单"
    assert got["highlights"][1] == "<mark>２０２４</mark>年预算"
    assert got["highlights"][2] == "全年<mark>预算</mark>收入，“<mark>三公</mark>”经费<mark>预算</mark>"
    window = got["snippets"][3]  # 12 characters around the first match, cut on both sides
    assert window == "…才出现<mark>低保</mark>两个字，然后还…"
    assert got["highlights"][4] == "最低生活保障"  # 低保 is not in the text: nothing marked


def write_files(site_dir: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


QUERIES = [
    {"q": "低保"}, {"q": "2024 低保"}, {"q": "永政发〔2024〕12号"}, {"q": "村"},
    {"q": "预算:x"}, {"q": "预算:q"}, {"q": "："}, {"q": "mb1234567x"}, {"q": "特困人员"},
    {"q": "保密措辞"}, {"q": "上坝村 道路硬化"}, {"q": "公示"},
    {"q": "公示", "filters": {"village": "jingtou"}}, {"q": "公开", "filters": {"year": "2023"}},
    {"q": "永政发", "filters": {"area": "shjz", "kind": "通知"}},
    {"q": "公示", "filters": {"area": "nonexistent"}},
]


def test_javascript_queries_match_python_mirror(tmp_path: Path) -> None:
    """search.js on the built shards gives the hits and scores lunr.py gives on the lunr
    indexes of the same postings (lunr.js's Builder weights, lunr's query scoring)."""
    files = build_search_files(sample_records(), shard_count=8, docs_per_chunk=2)
    site_dir = tmp_path / "site"
    write_files(site_dir, files)
    got = run_node(tmp_path, {"site": str(site_dir), "queries": QUERIES})
    site = Site(files)
    for q, res in zip(QUERIES, got["results"]):
        assert "error" not in res, res
        if q.get("filters"):
            continue
        expected = site.hits(q["q"])
        assert [r for r, _ in expected] == [r for r, _ in res["hits"]], q
        for (_, a), (_, b) in zip(expected, res["hits"]):
            assert math.isclose(a, b, rel_tol=1e-9), q
        assert res["titles"] == [site.doc(r)["t"] for r, _ in expected[:10]]
    by_q = {json.dumps(q, ensure_ascii=False): r for q, r in zip(QUERIES, got["results"])}

    def result(q: dict[str, Any]) -> dict[str, Any]:
        return by_q[json.dumps(q, ensure_ascii=False)]

    assert result({"q": "2024 低保"})["titles"] == ["井头村2024年第三季度最低生活保障审核信息公示"]
    assert result({"q": "保密措辞"})["total"] == 0
    assert result({"q": "："})["total"] == 0 and result({"q": "："})["terms"] == []
    assert result({"q": "预算:q"})["total"] == 0
    jingtou = result({"q": "公示", "filters": {"village": "jingtou"}})["titles"]
    assert sorted(jingtou) == ["上坝村道路硬化工程项目公示", "井头村2024年第三季度最低生活保障审核信息公示"]
    assert result({"q": "公开", "filters": {"year": "2023"}})["titles"] == ["永岁镇2023年财政决算公开"]
    tekun = result({"q": "永政发", "filters": {"area": "shjz", "kind": "通知"}})["titles"]
    assert tekun == ["关于调整特困人员救助供养标准的通知"]
    assert result({"q": "公示", "filters": {"area": "nonexistent"}})["total"] == 0


def test_a_query_loads_only_its_shards_and_page_chunks(tmp_path: Path) -> None:
    files = build_search_files(sample_records(), shard_count=64, docs_per_chunk=1)
    site_dir = tmp_path / "site"
    write_files(site_dir, files)
    queries = [{"q": "2024 低保"}, {"q": "2024 低保"}, {"q": "村"}]
    got = run_node(tmp_path, {"site": str(site_dir), "queries": queries})
    first, again, village = got["results"]
    shards = [p for p in first["loaded"] if p.startswith("search/shards/")]
    assert len(shards) == len({Site(files).shard_path(t) for t in ["2024", "低保"]})
    assert first["total"] == 1
    assert len([p for p in first["loaded"] if p.startswith("search/docs/")]) == 1
    assert not any(p.startswith("search/facets/") for p in first["loaded"])
    assert again["loaded"] == []  # cached
    assert len([p for p in village["loaded"] if p.startswith("search/shards/")]) <= 1


def test_common_terms_show_the_first_page_from_impact_tiers(tmp_path: Path) -> None:
    """A query whose every term has impact tiers (long lists) shows its first page from the
    first tiers: no block of a whole list is read, the hits shown are hits of the whole
    index with lunr.py's scores, ordered by depth (the deepest tier a hit is in among the
    terms) then score, and the total is marked as an estimate. Asking for the last page reads
    every hit: then the hits are exactly lunr.py's, in the same order for the pages already
    shown, and the total is exact."""
    import sys
    from unittest import mock

    from gongkai.search import shard_format

    sys.path.insert(0, str(REPO / "benchmarks"))
    from search_bench import synthetic_records

    with mock.patch.multiple(shard_format, INLINE_POSTINGS=8, BLOCK_POSTINGS=24, TIER_MIN=48, TIER_DOCS=(6, 12, 24)):
        files = build_search_files(synthetic_records(400, body_chars=300), shard_count=16)
    site_dir = tmp_path / "site"
    write_files(site_dir, files)
    query = "村民委员会"
    got = run_node(tmp_path, {"site": str(site_dir), "queries": [{"q": query}, {"q": query, "page": 1000}]})
    first, last = got["results"]
    assert "error" not in first and "error" not in last, got
    site = Site(files)
    expected = dict(site.hits(query))
    assert len(expected) > 100

    depth_of: dict[int, int] = {}
    for term in query_terms(query):
        _, name, shard = parse_script(files[site.shard_path(term)])
        entry = shard["p"][shard["t"].index(term)]  # type: ignore[index,union-attr]
        assert len(entry) == 4, term  # every term of the query has tiers
        codes = entry_codes(name, entry, BODY, lambda rel: files.get(rel))
        assert entry[3] == len({c >> shard_format.REF_SHIFT for c in codes})  # its documents
        tier_of = {}
        for k in range(entry[2]):
            _, _, text = parse_script(files[f"search/blocks/{name}-{entry[0]}-t{k}.js"])
            tier_of.update({c >> shard_format.REF_SHIFT: k for c in decode_postings(unb64(text), BODY)})  # type: ignore[arg-type]
        for ref in {int(r) for r in expected}:
            depth_of[ref] = max(depth_of.get(ref, 0), tier_of.get(ref, entry[2]))

    def in_order(hits: list[list[Any]]) -> None:
        for ref, score in hits:
            assert math.isclose(score, expected[ref], rel_tol=1e-9)
        keys = [(depth_of[int(ref)], -score, int(ref)) for ref, score in hits]
        assert keys == sorted(keys)

    assert first["estimated"] is True and 10 <= len(first["hits"]) < len(expected)
    assert first["total"] >= len(first["hits"])
    in_order(first["hits"])
    blocks = [p for p in first["loaded"] if p.startswith("search/blocks/")]
    assert blocks and all(p.rsplit("-", 1)[1].startswith("t") for p in blocks), blocks
    assert last["estimated"] is False and last["total"] == len(expected)
    assert sorted(r for r, _ in last["hits"]) == sorted(expected)
    in_order(last["hits"])
    assert last["hits"][:10] == first["hits"][:10]
