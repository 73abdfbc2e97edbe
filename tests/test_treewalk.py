"""`gongkai/treewalk.py`: the listings a county build compares to see which township changed."""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.treewalk import Prefetch, listing_digest, walk


def make(root: Path) -> None:
    for town in ("a", "b"):
        (root / town / "documents" / "2026").mkdir(parents=True)
        (root / town / "site.yaml").write_text("name: 镇\n", encoding="utf-8")
        (root / town / "documents" / "2026" / "x.md").write_text("---\ntitle: 通知\n---\n正文\n", encoding="utf-8")


def test_the_forked_listings_are_the_ones_made_in_place(tmp_path: Path) -> None:
    make(tmp_path)
    (tmp_path / "notes.txt").write_text("not a township\n", encoding="utf-8")
    early = Prefetch(tmp_path).digests()
    assert early == ({"a": listing_digest(tmp_path / "a"), "b": listing_digest(tmp_path / "b")} if hasattr(os, "fork") else {})
    assert [rel for rel, _, _ in walk(str(tmp_path / "a"))] == ["documents/2026/x.md", "site.yaml"]


def test_an_edit_in_place_changes_only_its_townships_listing(tmp_path: Path) -> None:
    make(tmp_path)
    before = {t: listing_digest(tmp_path / t) for t in ("a", "b")}
    doc = tmp_path / "a" / "documents" / "2026" / "x.md"
    st = doc.stat()
    with open(doc, "a", encoding="utf-8") as f:  # as an editor saves: the folder's own time stays
        f.write("补充。\n")
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert listing_digest(tmp_path / "a") != before["a"]
    assert listing_digest(tmp_path / "b") == before["b"]
