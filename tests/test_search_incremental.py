"""The search index patched after an edit equals the index built from scratch, byte for byte.

`build_index` with the previous build's state, files and text store rewrites only the shards
of the terms whose postings changed; everything else is listed as reused. These tests edit
documents in every way that matters and compare the patched file set with a fresh build.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from test_search_index import ON_REQUEST, sample_records
from test_search_parity import TRICKY, random_strings

from gongkai.search import SearchRecord, build_index, tokenize
from gongkai.search.index import IndexBuild
from gongkai.search.postings import count_terms
from gongkai.search.textstore import TextStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from search_bench import synthetic_records


def test_counting_matches_the_tokenizer() -> None:
    """The fast counter (regex and Counter, in C) counts exactly tokenize()'s tokens."""
    texts = TRICKY + random_strings(300, seed=5) + [r.body for r in sample_records()]
    texts += [r.body for r in synthetic_records(20, body_chars=400)]
    for text in texts:
        counts, length = count_terms(text)
        expected = tokenize(text)
        assert counts == Counter(expected), repr(text)
        assert length == len(expected), repr(text)


def corpus() -> list[SearchRecord]:
    return sample_records() + synthetic_records(300, body_chars=500)


class Index:
    """A build, its files as a site would hold them, and its text store."""

    def __init__(self, tmp_path: Path, records: list[SearchRecord]) -> None:
        self.store = TextStore(tmp_path / "texts.sqlite")
        self.build = build_index(records, store=self.store)
        assert self.build.patched == -1
        self.files = dict(self.build.files)

    def rebuild(self, records: list[SearchRecord]) -> IndexBuild:
        build = build_index(records, previous=self.build.state, read_shard=self.files.get, store=self.store)
        files = {rel: self.files[rel] for rel in build.reused}
        assert not set(files) & set(build.files)
        files.update(build.files)
        self.build, self.files = build, files
        return build


def fresh(records: list[SearchRecord]) -> dict[str, bytes]:
    return build_index(records).files


def edited(records: list[SearchRecord], i: int, **changes: object) -> list[SearchRecord]:
    out = list(records)
    out[i] = replace(out[i], **changes)
    return out


@pytest.mark.parametrize(
    "change",
    [
        {"body": "新增一句：村民代表会议审议通过。"},  # appended below
        {"title": "关于调整道路硬化工程补助标准的公示"},
        {"doc_number": "永政发〔2025〕3号"},
        {"villages": ("上坝村",), "village_slugs": ("shangba",)},
        {"attribute_label": ON_REQUEST},  # the body leaves the index
        {"url": "documents/moved.html"},  # display data only: no shard changes
    ],
)
def test_one_edit_patches_few_shards_and_equals_a_fresh_build(tmp_path: Path, change: dict[str, object]) -> None:
    records = corpus()
    index = Index(tmp_path, records)
    shards = index.build.state.shards  # type: ignore[union-attr]
    i = 7
    if "body" in change:
        change = {"body": records[i].body + str(change["body"])}
    new = edited(records, i, **change)
    before = dict(index.files)
    build = index.rebuild(new)
    assert build.patched >= 0, "patched, not rebuilt"
    after = fresh(new)
    assert index.files == after
    # Exactly the shards whose bytes change are rewritten; the others are kept.
    differ = {rel for rel in after if rel.startswith("search/shards/") and before[rel] != after[rel]}
    assert {rel for rel in build.files if rel.startswith("search/shards/")} == differ
    assert build.patched == len(differ) <= shards
    if set(change) <= {"url"}:
        assert build.patched == 0


def test_new_documents_numbered_after_the_others_are_patched_in(tmp_path: Path) -> None:
    """Documents are numbered oldest first, so a new one (most often the newest) comes after
    every other: the shards of its terms are patched, the rest kept, and the files are a fresh
    build's. A series of such additions, with edits between, stays identical."""
    records = corpus()
    index = Index(tmp_path, records)
    newest = max(r.date for r in records)
    for n in range(4):
        extra = replace(records[n], id=f"9999/new-{n}", url=f"documents/new-{n}.html", date=newest,
                        title=f"关于冬季森林防火的第{n}号通知", body=f"请各村做好冬季森林防火巡查第{n}轮。")
        records = records + [extra]
        if n == 2:
            records = edited(records, 11, body=records[11].body + "补充")
        before = dict(index.files)
        build = index.rebuild(records)
        assert build.patched >= 0, "patched, not rebuilt"
        after = fresh(records)
        assert index.files == after, n
        differ = {rel for rel in after if rel.startswith("search/shards/") and before.get(rel) != after[rel]}
        assert {rel for rel in build.files if rel.startswith("search/shards/")} == differ
        assert 0 < build.patched < index.build.state.shards  # type: ignore[union-attr]


def test_a_new_document_numbered_among_the_others_rebuilds_from_scratch(tmp_path: Path) -> None:
    records = corpus()
    index = Index(tmp_path, records)
    oldest = min(r.date for r in records)
    extra = replace(records[0], id="0000/old", url="documents/old.html", date=oldest, title="补录的旧公示")
    build = index.rebuild(records + [extra])
    assert build.patched == -1
    assert index.files == fresh(records + [extra])


def test_a_series_of_edits_stays_identical(tmp_path: Path) -> None:
    rng = random.Random(3)
    records = corpus()
    index = Index(tmp_path, records)
    for step in range(12):
        i = rng.randrange(len(records))
        words = rng.choice(["低保", "预算", "道路硬化", "村务公开", "2024", "mb12"])
        records = edited(records, i, body=records[i].body[: rng.randrange(200)] + words * rng.randrange(1, 4))
        index.rebuild(records)
        assert index.build.patched >= 0, step
        assert index.files == fresh(records), step


def test_added_removed_or_renumbered_documents_rebuild_from_scratch(tmp_path: Path) -> None:
    records = corpus()
    index = Index(tmp_path, records)
    extra = replace(records[0], id="9999/new", url="documents/new.html", title="新增的公示")
    extra = replace(extra, date=min(r.date for r in records))  # numbered among the others
    for new in (records + [extra], records[1:], edited(records, 3, date="1990-01-01")):
        build = index.rebuild(new)
        assert build.patched == -1 and not [r for r in build.reused if r.startswith("search/shards/")]
        assert index.files == fresh(new)


def test_missing_file_or_foreign_store_means_a_fresh_build(tmp_path: Path) -> None:
    records = corpus()
    index = Index(tmp_path, records)
    new = edited(records, 5, body=records[5].body + "补充说明")
    state = index.build.state
    # A shard of the previous build is gone: nothing is patched from a guess.
    gone = build_index(new, previous=state, read_shard=lambda rel: None, store=index.store)
    assert gone.patched == -1 and gone.files == fresh(new)
    # The text store belongs to another build (its token differs): start afresh too.
    other = TextStore(tmp_path / "other.sqlite")
    build_index(corpus()[:50], store=other)
    foreign = build_index(new, previous=state, read_shard=index.files.get, store=other)
    assert foreign.patched == -1 and foreign.files == fresh(new)
    # A corrupt store is an empty store.
    (tmp_path / "bad.sqlite").write_bytes(b"not a database" * 100)
    bad = build_index(new, previous=state, read_shard=index.files.get, store=TextStore(tmp_path / "bad.sqlite"))
    assert bad.patched == -1 and bad.files == fresh(new)


def test_no_change_reuses_every_shard(tmp_path: Path) -> None:
    records = corpus()
    index = Index(tmp_path, records)
    build = index.rebuild(list(reversed(records)))  # order of records does not matter
    assert build.patched == 0
    assert not [rel for rel in build.files if rel.startswith(("search/shards/", "search/docs/", "search/facets/"))]
    assert index.files == fresh(records)


def test_split_counting_gives_the_same_files() -> None:
    """A clean build counts the first half in another process (count_head); whether that head
    arrives, does not arrive or belongs to other records, the files are the same."""
    import pickle

    from gongkai.search.index import count_head

    records = corpus()
    whole = build_index(records).files
    head = count_head(records)
    assert len(head.ids) == len(records) // 2
    assert build_index(records, head=lambda: pickle.loads(pickle.dumps(head))).files == whole
    assert build_index(records, head=lambda: None).files == whole
    assert build_index(records, head=lambda: count_head(records[:40])).files == whole


def patched_bodies(index: Index, changed: list[SearchRecord]) -> dict[str, bytes] | None:
    from gongkai.search import patch_bodies

    build = patch_bodies(index.build.state, changed, index.files.get, index.store)  # type: ignore[arg-type]
    if build is None:
        return None
    files = dict(index.files)
    assert set(build.files) <= set(files)  # a quick rebuild never adds or removes search files
    files.update(build.files)
    return files


@pytest.mark.parametrize("count", [1, 3])
def test_patch_bodies_equals_a_fresh_build(tmp_path: Path, count: int) -> None:
    """The quick rebuild's patch, from the state and files alone, gives the files of a fresh build."""
    records = corpus()
    index = Index(tmp_path, records)
    rng = random.Random(count)
    picks = rng.sample(range(len(records)), count)
    new = list(records)
    for i in picks:
        new[i] = replace(new[i], body="（更正）" + new[i].body[: len(new[i].body) // 2] + "补充说明：村务监督委员会审核。")
    files = patched_bodies(index, [new[i] for i in picks])
    assert files is not None
    assert files == fresh(new)


def test_patch_bodies_refuses_what_moves_a_document(tmp_path: Path) -> None:
    records = corpus()
    index = Index(tmp_path, records)
    other_year = replace(records[5], date="1999-01-01")  # a new year filter
    assert patched_bodies(index, [other_year]) is None
    unknown = replace(records[5], id="not-indexed")
    assert patched_bodies(index, [unknown]) is None
    missing = Index(tmp_path / "b", records)
    missing.files = {rel: data for rel, data in missing.files.items() if not rel.startswith("search/docs/")}
    assert patched_bodies(missing, [replace(records[5], body="新的正文")]) is None


def test_edits_keep_impact_tiers_identical_to_a_fresh_build(tmp_path: Path) -> None:
    """With tiers on most lists (small thresholds), edits and quick patches still give the
    files of a fresh build: a tier is a function of its term's postings."""
    from unittest import mock

    from gongkai.search import shard_format

    with mock.patch.multiple(shard_format, INLINE_POSTINGS=8, BLOCK_POSTINGS=24, TIER_MIN=40, TIER_DOCS=(5, 10, 20)):
        rng = random.Random(8)
        records = corpus()
        index = Index(tmp_path, records)
        assert any("-t2.js" in rel for rel in index.files)
        for step in range(6):
            i = rng.randrange(len(records))
            records = edited(records, i, body=records[i].body[: rng.randrange(300)] + "村民委员会" * rng.randrange(1, 9))
            index.rebuild(records)
            assert index.build.patched >= 0, step
            assert index.files == fresh(records), step
        new = list(records)
        new[3] = replace(new[3], body=new[3].body + "村民委员会公示" * 12)
        files = patched_bodies(index, [new[3]])
        assert files is not None and files == fresh(new)
        # A quick patch never leaves a file behind: a list that loses a block (or a tier)
        # needs the full build, which removes it.
        short = list(records)
        short[3] = replace(short[3], body="村")
        assert patched_bodies(index, [short[3]]) is None or patched_bodies(index, [short[3]]) == fresh(short)


def test_a_refused_patch_leaves_the_texts_for_the_build_that_follows(tmp_path: Path) -> None:
    """A quick patch that gives up (here: a list would lose a block) stores nothing: the build
    after it still finds the previous build's texts and patches instead of starting afresh."""
    from unittest import mock

    from gongkai.search import shard_format

    with mock.patch.multiple(shard_format, INLINE_POSTINGS=8, BLOCK_POSTINGS=24, TIER_MIN=40, TIER_DOCS=(5, 10, 20)):
        records = corpus()
        index = Index(tmp_path, records)
        new = list(records)
        new[3] = replace(new[3], body="村")  # most of its terms leave their lists: some lose a block
        assert patched_bodies(index, [new[3]]) is None
        build = index.rebuild(new)
        assert build.patched > 0  # patched from the state, not built from scratch (-1)
        assert index.files == fresh(new)
