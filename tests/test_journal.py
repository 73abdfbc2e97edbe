"""`gongkai/journal.py`: a cache value saved as a base and a journal of patches loads as saved."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from gongkai.cachedir import dump_sealed
from gongkai.journal import MAX_PATCHES, Journaled, diff, patch

KEY = b"k" * 32


@dataclass
class State:
    ids: list[str]
    sizes: list[int]
    blocks: dict[int, list[str]] = field(default_factory=dict)
    token: bytes = b""
    pair: tuple[int, str] = (0, "")


leaves = st.one_of(st.integers(-5, 5), st.text("ab", max_size=3), st.binary(max_size=2), st.none())
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.integers(0, 4), inner, max_size=4),
        st.tuples(inner, inner),
    ),
    max_leaves=12,
)
states = st.builds(State, st.lists(st.text("xyz", max_size=2), max_size=6), st.lists(st.integers(0, 9), max_size=6),
                   st.dictionaries(st.integers(0, 5), st.lists(st.text("pq", max_size=2), max_size=3), max_size=5),
                   st.binary(max_size=3), st.tuples(st.integers(0, 3), st.text("u", max_size=2)))


def copy(value):
    return pickle.loads(pickle.dumps(value))


@given(values, values)
def test_a_patch_turns_the_old_value_into_the_new_one(old, new):
    assert patch(copy(old), diff(old, new)) == new


@given(states, states)
def test_a_patch_of_a_dataclass_state_is_exact(old, new):
    assert patch(copy(old), diff(old, new)) == new


@given(st.lists(states, min_size=1, max_size=8))
def test_a_value_saved_after_every_change_loads_as_the_last_one(tmp_path_factory, versions):
    path = tmp_path_factory.mktemp("j") / "state.pickle"
    journaled = Journaled(path, KEY)
    loaded = None
    for version in versions:
        journaled.save(copy(version), loaded)
        fresh = Journaled(path, KEY)
        loaded = fresh.load()
        assert loaded == version
        journaled = fresh


def test_small_changes_go_to_the_journal_and_the_base_stays(tmp_path):
    path = tmp_path / "state.pickle"
    big = State([f"doc{i}" for i in range(5000)], list(range(5000)), {n: [f"b{n}"] for n in range(50)})
    Journaled(path, KEY).save(big)
    base = path.read_bytes()
    for n in range(5):
        journaled = Journaled(path, KEY)
        loaded = journaled.load()
        new = State(list(loaded.ids), list(loaded.sizes), dict(loaded.blocks))
        new.sizes[n] = -1
        new.blocks[n] = ["changed"]
        journaled.save(new, loaded)
    assert path.read_bytes() == base
    assert path.with_name("state.pickle.journal").stat().st_size < len(base) / 20
    again = Journaled(path, KEY).load()
    assert again.sizes[:6] == [-1, -1, -1, -1, -1, 5] and again.blocks[4] == ["changed"]


def test_the_value_is_written_whole_again_after_many_patches(tmp_path):
    path = tmp_path / "state.pickle"
    value = State([f"doc{i}" for i in range(3000)], list(range(3000)))
    Journaled(path, KEY).save(value)
    for n in range(MAX_PATCHES + 1):
        journaled = Journaled(path, KEY)
        loaded = journaled.load()
        new = State(list(loaded.ids), list(loaded.sizes))
        new.sizes[0] = n + 1
        journaled.save(new, loaded)
    assert not path.with_name("state.pickle.journal").exists()  # just written whole
    assert Journaled(path, KEY).load().sizes[0] == MAX_PATCHES + 1


def test_an_invalidated_value_loads_as_nothing_until_it_is_saved(tmp_path):
    path = tmp_path / "state.pickle"
    journaled = Journaled(path, KEY)
    journaled.save(State(["a"] * 100, [1] * 100))
    loaded = journaled.load()
    journaled.invalidate()
    assert Journaled(path, KEY).load() is None
    journaled.save(State(["a"] * 100, [2] + [1] * 99), loaded)  # a patch: the journal is written
    assert path.with_name("state.pickle.journal").exists()
    assert Journaled(path, KEY).load() == State(["a"] * 100, [2] + [1] * 99)


def test_a_damaged_journal_means_no_value(tmp_path):
    path = tmp_path / "state.pickle"
    journaled = Journaled(path, KEY)
    journaled.save(State([f"d{i}" for i in range(5000)], [1] * 5000))
    for n in range(3):
        loaded = journaled.load()
        journaled.save(State([f"d{i}" for i in range(5000)], [n + 2] + [1] * 4999), loaded)
    journal = path.with_name("state.pickle.journal")
    good = journal.read_bytes()
    assert Journaled(path, KEY).load().sizes[0] == 4
    journal.write_bytes(good[:-1])  # a torn last record
    assert Journaled(path, KEY).load() is None
    size = int.from_bytes(good[:4], "big")
    first, rest = good[:4 + size], good[4 + size:]
    journal.write_bytes(rest + first)  # records out of order
    assert Journaled(path, KEY).load() is None


def test_a_journal_of_another_base_does_not_apply(tmp_path):
    path = tmp_path / "state.pickle"
    first = Journaled(path, KEY)
    first.save(State(["a"] * 100, [1] * 100))
    loaded = first.load()
    first.save(State(["a"] * 100, [2] + [1] * 99), loaded)  # a journal on the first base
    journal = path.with_name("state.pickle.journal").read_bytes()
    Journaled(path, KEY).save(State(["b"] * 100, [3] * 100))  # a new base, journal removed
    path.with_name("state.pickle.journal").write_bytes(journal)  # the old journal put back
    assert Journaled(path, KEY).load() is None  # records sealed for another base do not verify


def test_a_plain_pickle_of_an_older_gongkai_or_a_planted_file_is_no_value(tmp_path):
    path = tmp_path / "state.pickle"
    dump_sealed(path, KEY, (State(["a"], [1]), {}))  # sealed, but not a journaled base
    assert Journaled(path, KEY).load() is None
    path.write_bytes(pickle.dumps(("gongkai-journaled-1", b"t", State(["a"], [1]))))  # not sealed
    assert Journaled(path, KEY).load() is None
    assert Journaled(path, None).load() is None
