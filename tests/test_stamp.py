"""The build's stamp (`gongkai/stamp.py`): a build that would read what the last one read does nothing.

Every test builds the example town with a cache, changes something (or nothing), builds again and
checks two things: which way the build went (`stats["unchanged"]`), and that `site/` is what a
clean build of the same content makes. A stamp that wrongly said "unchanged" would leave a stale
site; one that never said it would cost every no-change rebuild a second. Timing is measured by
`benchmarks/run.py`, never here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import TODAY
from test_quick import REPO, Town

from gongkai import stamp as stamp_mod
from gongkai.build import build
from gongkai.cache import BuildCache, fingerprint
from gongkai.resources import template_dirs
from gongkai.stamp import NAME, Stamp

DOC = "documents/2026/jingtou-dibao-chushen-gongshi-2026-11.md"
ATTACHMENT = "attachments/2026/jingtou-caiwu-2026-10.csv"


def site_stats(site: Path) -> dict[str, tuple[int, int, int]]:
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            st = path.lstat()
            out[path.relative_to(site).as_posix()] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def texts(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.text() for d in result.diagnostics.sorted()]


def stamp_of(town: Town) -> Stamp:
    cache = BuildCache(town.cache, town.content, town.site, fingerprint(template_dirs(REPO / "templates")))
    found = cache.read(NAME)
    assert isinstance(found, Stamp)
    return found


@pytest.fixture
def town(tmp_path: Path) -> Town:
    t = Town(tmp_path)
    assert t.build().ok
    return t


def test_a_build_with_nothing_changed_leaves_site_as_it_is_and_says_what_the_last_said(tmp_path: Path) -> None:
    town = Town(tmp_path)
    first = town.build()
    assert first.ok and not first.stats.get("unchanged")
    before = site_stats(town.site)
    again = town.build()
    assert again.ok and again.stats["unchanged"] == 1 and again.stats["rendered"] == 0
    assert site_stats(town.site) == before  # not one file rewritten, linked or touched
    assert texts(again) == texts(first) and texts(first)  # the town's warnings, again
    assert (again.pages, again.files, again.attributes, again.stats["prints"]) == (
        first.pages, first.files, first.attributes, first.stats["prints"])
    assert town.build().stats["unchanged"] == 1


def test_a_touched_file_with_the_same_bytes_is_unchanged_and_trusted_by_its_new_stat(town: Town) -> None:
    path = town.content / DOC
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    assert town.build().stats.get("unchanged") == 1
    st = path.lstat()
    assert stamp_of(town).files[str(path)][0] == (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    town.assert_same_as_clean()


def edit_keeping_size_and_mtime(town: Town) -> None:
    """One character of the body replaced by another of the same length, the mtime put back."""
    path = town.content / DOC
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "。" in text
    path.write_text(text[::-1].replace("。", "！", 1)[::-1], encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def add_stray_file(town: Town) -> None:
    (town.content / "notes.txt").write_text("草稿", encoding="utf-8")


def delete_site_file(town: Town) -> None:
    (town.site / "index.html").unlink()


def edit_site_file_in_place(town: Town) -> None:
    with open(town.site / "index.html", "r+b") as f:
        f.write(b"<!-- hand-edited -->")


def edit_attachment(town: Town) -> None:
    with open(town.content / ATTACHMENT, "a", encoding="utf-8") as f:
        f.write("补充,1\n")


def leave_interrupted_swap(town: Town) -> None:
    (town.tmp / ".site.tmp-0123456789ab").mkdir()


CHANGES: dict[str, Callable[[Town], None]] = {
    "content-bytes": edit_keeping_size_and_mtime, "stray-file": add_stray_file, "site-file-deleted": delete_site_file,
    "site-file-edited": edit_site_file_in_place, "attachment": edit_attachment, "interrupted-swap": leave_interrupted_swap,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_of_what_a_build_reads_means_a_build(town: Town, change: str) -> None:
    CHANGES[change](town)
    result = town.build()
    assert result.ok and not result.stats.get("unchanged")
    town.assert_same_as_clean()
    assert not (town.tmp / ".site.tmp-0123456789ab").exists()
    if change == "stray-file":
        assert any(d.code == "content.stray" for d in result.diagnostics.items)
    assert town.build().stats.get("unchanged") == 1  # and the build it made is stamped in turn


def test_another_day_or_template_is_a_build(tmp_path: Path) -> None:
    town = Town(tmp_path)
    custom = tmp_path / "templates"
    custom.mkdir()

    def run(**kw: object):  # type: ignore[no-untyped-def]
        return build(replace(town.options(town.site, town.cache, **kw), templates=custom))

    assert run().ok and run().stats.get("unchanged") == 1
    assert not run(today=TODAY + timedelta(days=1)).stats.get("unchanged")
    assert not run().stats.get("unchanged")  # back to the day: the stamp was the other day's
    assert run().stats.get("unchanged") == 1
    footer = (REPO / "templates" / "base.html").read_text(encoding="utf-8").replace("</body>", "<!-- 本镇 --></body>")
    (custom / "base.html").write_text(footer, encoding="utf-8")
    result = run()
    assert result.ok and not result.stats.get("unchanged")
    assert "<!-- 本镇 -->" in (town.site / "index.html").read_text(encoding="utf-8")


def test_an_attachment_that_is_not_published_is_read_too(town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules look at every attachment (does it exist, its size, its type), also one of a
    依申请公开 document, which is never copied: deleting it is an error, not "unchanged"."""
    monkeypatch.setattr(stamp_mod, "RACY_MARGIN_NS", 0)  # the file is made a moment before the build
    doc = town.content / "documents/2023/tudi-liuzhuan-hetong-beian-dengjice.md"
    att = town.content / "attachments/2023/dengjice.csv"
    att.parent.mkdir()
    att.write_text("合同编号,面积\n1,2\n", encoding="utf-8")
    _, front, body = doc.read_text(encoding="utf-8").split("---\n", 2)
    doc.write_text(f"---\n{front}attachments:\n  - file: attachments/2023/dengjice.csv\n    title: 登记册\n---\n{body}",
                   encoding="utf-8")
    assert town.build().ok
    assert town.build().stats.get("unchanged") == 1
    att.unlink()
    result = town.build()
    assert not result.ok and [d.code for d in result.diagnostics.errors] == ["xref.attachment_missing"]


def test_a_build_that_never_asks_for_the_stamp_leaves_none_behind(town: Town) -> None:
    """`quick=False` (and a county's township builds, which the county needs in full) neither
    read nor write a stamp, and remove an older one: it would describe a `site/` that is gone."""
    assert isinstance(stamp_of(town), Stamp)
    assert town.build(quick=False).ok
    cache = BuildCache(town.cache, town.content, town.site, fingerprint(template_dirs(REPO / "templates")))
    assert cache.read(NAME) is None
    assert not town.build().stats.get("unchanged")  # a build, which stamps again
    assert town.build().stats.get("unchanged") == 1


def test_a_failed_build_keeps_the_stamp_of_the_site_it_left(town: Town) -> None:
    path = town.content / DOC
    good = path.read_bytes()
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
    assert not town.build().ok
    path.write_bytes(good)  # put back: the site is again the build of this content
    assert town.build().stats.get("unchanged") == 1
    town.assert_same_as_clean()


def test_a_build_with_nothing_to_do_imports_no_parser_model_or_template_engine(town: Town) -> None:
    """What makes it fast: the answer comes before pydantic, Jinja2, Markdown or YAML are loaded (and
    `importlib.metadata`: the libraries' versions come from their folder names, `cache.dist_versions`)."""
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from datetime import date\n"
        "from gongkai.build import BuildOptions, build\n"
        f"o = BuildOptions(content=Path({str(town.content)!r}), output=Path({str(town.site)!r}),"
        f" templates=Path({str(REPO / 'templates')!r}), today=date.fromisoformat({TODAY.isoformat()!r}), jobs=1,"
        f" project=Path({str(REPO)!r}), cache=Path({str(town.cache)!r}))\n"
        "r = build(o)\n"
        "print(json.dumps([r.ok, r.stats.get('unchanged'),"
        " sorted(m for m in ('pydantic', 'jinja2', 'markdown', 'yaml', 'gongkai.models', 'gongkai.render',"
        " 'importlib.metadata') if m in sys.modules)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=os.getcwd(), check=True)
    assert json.loads(out.stdout) == [True, 1, []]


# -- property: "unchanged" exactly when nothing a build reads has changed ----------------------

OPS = st.sampled_from(["touch", "rewrite-same", "edit-body", "stray-then-gone", "delete-site-file", "edit-site-file",
                       "edit-attachment", "nothing"])
REAL = {"edit-body", "delete-site-file", "edit-site-file", "edit-attachment"}


def apply_op(town: Town, op: str, n: int) -> None:
    path = town.content / DOC
    if op == "touch":
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 3_000_000_000))
    elif op == "rewrite-same":
        path.write_bytes(path.read_bytes())
    elif op == "edit-body":
        town.edit_body("2026/jingtou-dibao-chushen-gongshi-2026-11.md", f"第{n}次更正。")
    elif op == "stray-then-gone":
        stray = town.content / "草稿.txt"
        stray.write_text("x", encoding="utf-8")
        stray.unlink()
    elif op == "delete-site-file":
        sorted((town.site / "documents").rglob("*.html"))[n].unlink()
    elif op == "edit-site-file":
        with open(town.site / "index.html", "ab") as f:
            f.write(b"\n")
    elif op == "edit-attachment":
        edit_attachment(town)


@pytest.mark.slow
@settings(max_examples=12, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=3))
def test_unchanged_exactly_when_nothing_read_changed(tmp_path_factory: pytest.TempPathFactory, ops: list[str]) -> None:
    town = Town(tmp_path_factory.mktemp("stamp"))
    assert town.build().ok
    for n, op in enumerate(ops):
        apply_op(town, op, n)
    result = town.build()
    assert result.ok
    assert bool(result.stats.get("unchanged")) == (not REAL & set(ops)), ops
    town.assert_same_as_clean()
    shutil.rmtree(town.tmp, ignore_errors=True)


def test_library_versions_come_from_the_dist_info_folders_as_importlib_metadata_finds_them(tmp_path: Path) -> None:
    """The cache fingerprint names each library's version (`cache.dist_versions`, no metadata parsing)."""
    from importlib import metadata

    from gongkai.cache import LIBRARIES, dist_versions

    names = [*LIBRARIES, "hypothesis", "pytest", "no-such-distribution-xyz"]
    assert dist_versions(names, sys.path) == {n: metadata.version(n) for n in names[:-1]}
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, version in ((first, "1.0"), (second, "2.0")):
        (folder / f"Some_Lib-{version}.dist-info").mkdir(parents=True)
    assert dist_versions(["some-lib"], [str(first), str(second)]) == {"some-lib": "1.0"}  # the first on the path


def test_an_edit_links_site_from_the_stamp_while_the_snapshot_loads_and_a_stamp_that_disagrees_is_a_full_build(
        town: Town) -> None:
    """The quick rebuild starts linking `site/` from the stamp's list of files (before its snapshot
    is loaded); a stamp whose list is not the snapshot's means a full build, never a site made
    from the wrong list."""
    town.edit_body(DOC.removeprefix("documents/"), "正文改了一处。\n")
    quick = town.build()
    assert quick.ok and quick.stats["quick"] == 1 and "quick_skipped" not in quick.stats
    town.assert_same_as_clean()

    cache = BuildCache(town.cache, town.content, town.site, fingerprint(template_dirs(REPO / "templates")))
    stamp = stamp_of(town)
    dropped = min(stamp.outputs)
    stamp.outputs = {rel: st for rel, st in stamp.outputs.items() if rel != dropped}
    stamp_mod.write_stamp(cache, stamp)
    town.edit_body(DOC.removeprefix("documents/"), "正文又改了一处。\n")
    full = town.build()
    assert full.ok and full.stats.get("quick_skipped") == "the stamp and the snapshot disagree"
    town.assert_same_as_clean()
    assert (town.site / dropped).is_file()
