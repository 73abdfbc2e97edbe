"""Atom feeds (town, per village, per area) against RFC 4287: required elements, RFC 3339
dates, stable ids across builds and hosts, only public documents, never a 不予公开 title."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from reachkit import BASE, FILES, PUBLIC, WITHHELD_TITLE

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _feeds(site: Path) -> dict[str, ET.Element]:
    paths = [site / "feed.xml", *sorted((site / "feeds").glob("*.xml"))]
    return {p.relative_to(site).as_posix(): ET.parse(p).getroot() for p in paths}


def _one(el: ET.Element, tag: str) -> ET.Element:
    found = el.findall(A + tag)
    assert len(found) == 1, f"<{el.tag}> must have exactly one <{tag}>, has {len(found)}"
    return found[0]


def _entry_ids(feed: ET.Element) -> list[str]:
    return [_one(e, "id").text or "" for e in feed.findall(A + "entry")]


@pytest.fixture
def two_builds(built, tmp_path: Path):  # type: ignore[no-untyped-def]
    site, result = built(FILES)
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    first = _feeds(site)
    site, result = built(FILES, base_url=BASE)
    assert result.ok
    return first, _feeds(site), site


def test_every_feed_has_the_required_atom_elements(two_builds) -> None:  # type: ignore[no-untyped-def]
    relative, absolute, _ = two_builds
    assert {"feed.xml", "feeds/village-jingtou.xml", "feeds/village-mudao.xml", "feeds/area-shjz.xml"} <= set(relative)
    for feeds in (relative, absolute):
        for name, feed in feeds.items():
            assert feed.tag == A + "feed", name
            assert (_one(feed, "title").text or "").strip(), name
            assert (_one(feed, "id").text or "").startswith("tag:"), name
            assert RFC3339.match(_one(feed, "updated").text or ""), name
            rels = [link.get("rel", "alternate") for link in feed.findall(A + "link")]
            assert rels.count("self") == 1 and rels.count("alternate") == 1, (name, rels)
            # an author on the feed covers every entry (RFC 4287 §4.1.1)
            assert (_one(_one(feed, "author"), "name").text or "").strip()
            ids = _entry_ids(feed)
            assert len(ids) == len(set(ids)), f"{name}: duplicate entry ids"
            for entry in feed.findall(A + "entry"):
                assert (_one(entry, "title").text or "").strip()
                assert (_one(entry, "id").text or "").startswith("tag:")
                assert RFC3339.match(_one(entry, "updated").text or "")
                links = [link for link in entry.findall(A + "link") if link.get("rel", "alternate") == "alternate"]
                assert len(links) == 1 and links[0].get("href"), name


def test_links_resolve_relative_to_the_feed_or_to_the_base_url(two_builds) -> None:  # type: ignore[no-untyped-def]
    relative, absolute, site = two_builds
    for name, feed in absolute.items():
        for link in feed.iter(A + "link"):
            assert link.get("href", "").startswith(BASE), (name, link.get("href"))
        self_link = next(link for link in feed.findall(A + "link") if link.get("rel") == "self")
        assert self_link.get("href") == BASE + name
    for name, feed in relative.items():
        for link in feed.iter(A + "link"):
            href = link.get("href", "")
            assert not href.startswith(("http:", "https:", "/")), href
            from urllib.parse import unquote

            target = (site / name).parent / unquote(href)
            assert target.resolve().is_file(), f"{name}: {href} points at no file"


def test_ids_are_stable_across_builds_and_hosts(two_builds) -> None:  # type: ignore[no-untyped-def]
    relative, absolute, _ = two_builds
    assert relative.keys() == absolute.keys()
    for name in relative:
        assert _one(relative[name], "id").text == _one(absolute[name], "id").text
        assert _entry_ids(relative[name]) == _entry_ids(absolute[name])
        assert _one(relative[name], "updated").text == _one(absolute[name], "updated").text
    town_ids = set(_entry_ids(relative["feed.xml"]))
    # the same document has the same id in every feed it appears in
    for name, feed in relative.items():
        assert set(_entry_ids(feed)) <= town_ids, name


def test_only_public_documents_never_a_withheld_title(two_builds) -> None:  # type: ignore[no-untyped-def]
    relative, _, site = two_builds
    town = relative["feed.xml"]
    ids = {i.rsplit("/documents/", 1)[1] for i in _entry_ids(town)}
    from urllib.parse import unquote

    assert {unquote(i) for i in ids} == PUBLIC
    for path in [site / "feed.xml", *(site / "feeds").glob("*.xml")]:
        text = path.read_text(encoding="utf-8")
        assert WITHHELD_TITLE not in text and "withheld" not in text, path.name
    jingtou = {(_one(e, "title").text or "") for e in relative["feeds/village-jingtou.xml"].findall(A + "entry")}
    assert "井头村2026年11月低保初审对象公示" in jingtou
    assert "慕道村2026年11月低保初审对象公示" not in jingtou
    # 依申请公开: listed with its label, never a summary of the body
    for entry in town.findall(A + "entry"):
        if "依申请公开" in (_one(entry, "title").text or ""):
            assert "此件可依申请公开" in (entry.findtext(A + "summary") or "")
            assert "ZXQ" not in ET.tostring(entry, encoding="unicode")


def test_example_town_feeds_parse(example_site: Path) -> None:
    feeds = _feeds(example_site)
    assert len(feeds) >= 3
    for name, feed in feeds.items():
        assert feed.findall(A + "entry") or name != "feed.xml"
