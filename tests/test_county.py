"""County mode (gongkai/county/): one site for every township of a county.

A township's section is its standalone build plus the bar linking back to the county home
(differential test); errors of every township come at once with the township's paths and
nothing is written; editing one township rebuilds only its section; county.yaml mistakes are
reported in Chinese with line and column.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from countykit import REPO, TODAY, build, make

from gongkai.build import BuildOptions
from gongkai.build import build as build_town

BAR = re.compile(r'<nav class="frame-bar" aria-label="所在网站">.*?</nav>\n', re.DOTALL)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = make(tmp_path_factory.mktemp("county") / "repo")
    out = root.parent / "site"
    result = build(root, out)
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return root, out, result


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".gongkai-build.json"}


@pytest.mark.parametrize("slug", ["yongsui", "qingxi"])
def test_section_is_the_standalone_build_plus_the_county_bar(county, tmp_path: Path, slug: str) -> None:
    root, out, _ = county
    alone = tmp_path / "alone"
    result = build_town(BuildOptions(content=root / "towns" / slug, output=alone, templates=REPO / "templates",
                                     today=TODAY, jobs=1, project=REPO, incremental=False))
    assert result.ok
    standalone, section = files_of(alone), files_of(out / slug)
    assert sorted(section) == sorted(standalone)  # exactly the pages (and files) of the standalone build
    differ = []
    for rel, data in standalone.items():
        got = section[rel]
        if rel.endswith(".html") and b'class="masthead"' in data:
            text = got.decode()
            assert text.count('class="frame-bar"') == 1, rel
            assert '<a href="' + "../" * rel.count("/") + '../index.html">全州县基层政务公开</a>' in text, rel
            got = BAR.sub("", text, count=1).encode()
        if got != data:
            differ.append(rel)
    assert differ == []


def test_county_home_lists_townships_with_latest_documents_and_status(county) -> None:
    _, out, _ = county
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>全州县基层政务公开</h1>" in home
    for slug, name in (("yongsui", "永岁镇"), ("qingxi", "青溪镇")):
        block = home.split(f'data-town="{slug}"')[1].split("</li>\n  <li", 1)[0]
        assert f'<a href="{slug}/index.html">{name}</a>' in block
        assert "公开信息" in block and "最近更新" in block
        links = [u for u in re.findall(rf'<a href="({slug}/documents/[^"]+\.html)">', block) if not u.endswith("/index.html")]
        assert len(links) == 5 and all((out / link).is_file() for link in links)
    towns = json.loads((out / "data/towns.json").read_text(encoding="utf-8"))
    assert [t["slug"] for t in towns["towns"]] == ["yongsui", "qingxi"]
    qingxi = json.loads((out / "qingxi/data/documents.json").read_text(encoding="utf-8"))
    assert towns["towns"][1]["documents"] == qingxi["count"]
    datasets = json.loads((out / "data/index.json").read_text(encoding="utf-8"))["datasets"]
    assert all((out / d[k]).is_file() for d in datasets for k in ("catalog_json", "documents_json", "feed"))


def test_county_feed_merges_the_townships_newest(county) -> None:
    _, out, _ = county
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    links = re.findall(r'<entry>.*?href="([^"]+)"', feed, re.DOTALL)
    assert len(links) == 50
    assert {link.split("/")[0] for link in links} == {"yongsui", "qingxi"}
    dates = re.findall(r"<entry>.*?<updated>([^<]+)</updated>", feed, re.DOTALL)
    assert dates == sorted(dates, reverse=True)
    assert all((out / link).is_file() for link in links)


def test_county_search_index_holds_every_township(county) -> None:
    _, out, _ = county
    docs = "".join(p.read_text(encoding="utf-8") for p in sorted((out / "search/docs").glob("*.js")))
    urls = set(re.findall(r'"u":"([^"]+)"', docs))
    for slug in ("yongsui", "qingxi"):
        own = json.loads((out / slug / "data/documents.json").read_text(encoding="utf-8"))["documents"]
        assert {f"{slug}/{d['path']}" for d in own} == {u for u in urls if u.startswith(slug + "/")}
    assert all((out / u).is_file() for u in urls)
    page = (out / "search.html").read_text(encoding="utf-8")
    assert '<option value="yongsui">永岁镇</option>' in page and '<option value="qingxi">青溪镇</option>' in page


def test_nothing_withheld_reaches_the_county_files(county) -> None:
    root, out, _ = county
    withheld = []
    for md in (root / "towns" / "yongsui" / "documents").rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        if "attribute: 不予公开" in text:
            withheld.append(re.search(r"^title: (.+)$", text, re.MULTILINE).group(1).strip())
    assert withheld
    county_files = [p for p in out.rglob("*") if p.is_file() and p.relative_to(out).parts[0] not in ("yongsui", "qingxi")]
    blob = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in county_files)
    for title in withheld:
        assert title not in blob


def test_errors_of_every_township_at_once_and_nothing_written(tmp_path: Path) -> None:
    root = make(tmp_path / "repo")
    for slug in ("yongsui", "qingxi"):
        site = root / "towns" / slug / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace("org_code:", "org_code: 坏\nxorg_code:", 1), encoding="utf-8")
    out = tmp_path / "site"
    result = build(root, out)
    assert not result.ok
    paths = {d.path for d in result.diagnostics.errors}
    assert any(p.endswith("towns/yongsui/site.yaml") for p in paths), paths
    assert any(p.endswith("towns/qingxi/site.yaml") for p in paths), paths
    assert not any(p.is_file() for p in out.rglob("*"))


def test_county_yaml_mistakes_in_chinese_with_position(tmp_path: Path) -> None:
    root = make(tmp_path / "repo")
    (root / "county.yaml").write_text("name: 全州县\ntowns:\n  - yongsui\n  - qingxi\n  - shaoshui\n", encoding="utf-8")
    (root / "towns" / "Bad_Name").mkdir()
    result = build(root, tmp_path / "site")
    assert not result.ok
    texts = [d.text() for d in result.diagnostics.errors]
    assert any(t.endswith("county.yaml:5:5: 错误: 找不到乡镇文件夹 towns/shaoshui/（请创建 towns/shaoshui/（含 site.yaml 的完整内容目录），或从 towns 中删除这一项）")
               for t in texts), texts
    assert any("towns/Bad_Name/ 没有列在 towns 中" in t for t in texts), texts
    assert any("乡镇文件夹名“Bad_Name”不能用作网址（只能用小写字母、数字和连字符）" in t for t in texts), texts


@pytest.mark.parametrize("quick", [True, False], ids=["quick", "full"])
def test_editing_one_township_rebuilds_only_its_section(tmp_path: Path, quick: bool) -> None:
    root = make(tmp_path / "repo")
    out, cache = tmp_path / "site", tmp_path / "cache"
    first = build(root, out, cache, quick=quick)
    assert first.ok and first.stats["towns_built"] == 2
    before = files_of(out / "yongsui")
    docs = sorted((root / "towns" / "qingxi" / "documents").rglob("*.md"))
    newest = max(docs, key=lambda d: re.search(r"^published: (.+)$", d.read_text(encoding="utf-8"), re.MULTILINE).group(1)
                 if "published:" in d.read_text(encoding="utf-8") else "")
    text = newest.read_text(encoding="utf-8")
    old = re.search(r"^title: (.+)$", text, re.MULTILINE).group(1).strip().strip('"')
    newest.write_text(text.replace(old, "县级专区改动测试标题", 1) + "\n县级专区正文改动测试。\n", encoding="utf-8")
    second = build(root, out, cache, quick=quick)
    assert second.ok and second.stats == {**second.stats, "towns_built": 1, "towns_kept": 1, "towns_quick": int(quick),
                                          "search_from_state": int(quick)}  # quick: other towns' records unread
    assert files_of(out / "yongsui") == before
    docs_js = "".join(p.read_text(encoding="utf-8") for p in sorted((out / "search/docs").glob("*.js")))
    assert "县级专区改动测试标题" in docs_js and "县级专区正文改动测试" in docs_js and old not in docs_js
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "县级专区改动测试标题" in home and old not in home  # the newest document is on the county home
    # the county's files equal those of a build from scratch
    assert build(root, tmp_path / "fresh").ok
    fresh = files_of(tmp_path / "fresh")
    assert {k: v for k, v in files_of(out).items() if not k.startswith(("yongsui/", "qingxi/"))} == \
        {k: v for k, v in fresh.items() if not k.startswith(("yongsui/", "qingxi/"))}
    assert files_of(out / "qingxi") == files_of(tmp_path / "fresh" / "qingxi")
    third = build(root, out, cache, quick=quick)  # nothing changed: nothing built, the same files
    assert third.ok and third.stats == {**third.stats, "towns_built": 0, "towns_kept": 2}
    assert {k: v for k, v in files_of(out).items() if not k.startswith(("yongsui/", "qingxi/"))} == \
        {k: v for k, v in fresh.items() if not k.startswith(("yongsui/", "qingxi/"))}


def test_damaged_records_of_a_kept_township_mean_it_is_built_again(tmp_path: Path) -> None:
    """A kept township's search records are read only when the county index is built from every
    township's records; if they no longer load then, that township is built again, and the
    site is still the one a build from scratch makes."""
    root = make(tmp_path / "repo")
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert build(root, out, cache, quick=False).ok
    (cache / "county" / "records-yongsui.pickle").write_bytes(b"not a pickle")
    doc = min((root / "towns" / "qingxi" / "documents").rglob("*.md"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\n县级专区正文改动测试。\n", encoding="utf-8")
    again = build(root, out, cache, quick=False)
    assert again.ok and again.stats["towns_kept"] == 1  # qingxi built, then yongsui (qingxi then kept)
    assert build(root, tmp_path / "fresh").ok
    assert files_of(out) == files_of(tmp_path / "fresh")


def test_gongkai_build_detects_county_yaml(tmp_path: Path) -> None:
    root = make(tmp_path / "repo")
    env = {"PYTHONPATH": str(REPO), "GONGKAI_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "gongkai", "build", "-q", "--templates", str(REPO / "templates")],
                         cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert (root / "site" / "index.html").is_file() and (root / "site" / "yongsui" / "index.html").is_file()
    assert "已生成 site/" in run.stdout + run.stderr
    shutil.rmtree(root / "site")


PORTAL_YAML = """\
name: 全州县人民政府门户网站
url: https://www.example.gov.cn/
column: 基层政务公开
column_url: https://www.example.gov.cn/jczwgk/
identity:
  sponsor: 全州县人民政府办公室
  site_code: "4503240001"
  icp: 桂ICP备00000000号
"""
TOWN_IDENTITY = "identity:\n  sponsor: 永岁镇人民政府\n  site_code: \"4503240999\"\n  icp: 桂ICP备99999999号\n"


def test_portal_column_carries_the_portals_identity(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (content / "site.yaml").write_text((content / "site.yaml").read_text(encoding="utf-8") + TOWN_IDENTITY, encoding="utf-8")
    (tmp_path / "portal.yaml").write_text(PORTAL_YAML, encoding="utf-8")
    env = {"PYTHONPATH": str(REPO), "GONGKAI_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for args, out in (([], "own"), (["--portal", "portal.yaml"], "column")):
        run = subprocess.run([sys.executable, "-m", "gongkai", "build", "-q", "--out", out, "--templates", str(REPO / "templates"), *args],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert run.returncode == 0, run.stderr
    own = (tmp_path / "own/documents/index.html").read_text(encoding="utf-8")
    column = (tmp_path / "column/documents/index.html").read_text(encoding="utf-8")
    assert "网站标识码：4503240999" in own and "frame-bar" not in own  # a website of its own
    assert "网站标识码：4503240999" not in column and "桂ICP备99999999号" not in column
    assert "主办单位：全州县人民政府办公室　网站标识码：4503240001　" in column
    assert '<a href="https://beian.miit.gov.cn/">桂ICP备00000000号</a>' in column
    assert ('<nav class="frame-bar" aria-label="所在网站"><div class="wrap"><a href="https://www.example.gov.cn/">全州县人民政府门户网站</a>'
            ' › <a href="https://www.example.gov.cn/jczwgk/">基层政务公开</a> › <span aria-current="location">永岁镇</span></div></nav>') in column
    assert re.search(r"<title>[^<]+ - 全州县永岁镇人民政府政务公开 - 全州县人民政府门户网站</title>", column)


def test_portal_file_mistakes_stop_the_build(tmp_path: Path) -> None:
    (tmp_path / "portal.yaml").write_text("name: 门户\nurl: ftp://x\nidentity:\n  site_code: 12\n", encoding="utf-8")
    env = {"PYTHONPATH": str(REPO), "GONGKAI_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "gongkai", "build", "--content", str(REPO / "content"), "--portal", "portal.yaml"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 1
    assert "portal.yaml:2:6: 错误: “url”（门户网站地址）：网址应以 http:// 或 https:// 开头" in run.stdout + run.stderr
    assert "portal.yaml:4:14: 错误: “site_code”（网站标识码）的值“12”格式不正确（政府网站标识码，10 位）" in run.stdout + run.stderr
    assert not (tmp_path / "site").exists()


def test_county_as_a_portal_column(tmp_path: Path) -> None:
    portal = "portal:\n" + "".join(f"  {line}\n" for line in PORTAL_YAML.splitlines())
    root = make(tmp_path / "repo", portal)
    out = tmp_path / "site"
    assert build(root, out).ok
    for page in ("index.html", "search.html", "yongsui/index.html", "qingxi/catalog/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert '<a href="https://www.example.gov.cn/">全州县人民政府门户网站</a>' in text, page
        assert "网站标识码：4503240001" in text, page
    bar = (out / "yongsui/catalog/index.html").read_text(encoding="utf-8")
    assert '› <a href="../../index.html">全州县基层政务公开</a> › <span aria-current="location">永岁镇</span>' in bar


def test_gongkai_check_checks_the_county_and_every_township(tmp_path: Path) -> None:
    root = make(tmp_path / "repo")
    env = {"PYTHONPATH": str(REPO), "GONGKAI_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def check() -> subprocess.CompletedProcess:  # type: ignore[type-arg]
        return subprocess.run([sys.executable, "-m", "gongkai", "check", "--today", TODAY.isoformat()], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    clean = check()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "towns/yongsui/documents/2023/jiguan-kaoqin-tongbao-2023.md:8:11: 警告: 自查逾期" in clean.stdout + clean.stderr
    doc = min((root / "towns" / "qingxi" / "documents").rglob("*.md"))
    doc.write_text(doc.read_text(encoding="utf-8").replace("attribute:", "attribute: 公开吧\nxattribute:", 1), encoding="utf-8")
    (root / "county.yaml").write_text("name: 全州县\ntowns: [yongsui, qingxi]\nstale_days: 0\n", encoding="utf-8")
    broken = check()
    assert broken.returncode == 1
    assert "county.yaml:3:13: 错误: “stale_days”（更新提醒天数）" in broken.stdout + broken.stderr
    (root / "county.yaml").write_text("name: 全州县\ntowns: [yongsui, qingxi]\n", encoding="utf-8")
    broken = check()
    assert broken.returncode == 1
    rel = doc.relative_to(root).as_posix()
    assert re.search(rf"^{re.escape(rel)}:\d+:\d+: 错误: ", broken.stdout + broken.stderr, re.MULTILINE), broken.stderr


def test_an_edit_that_gives_a_term_its_first_block_is_still_a_patch(tmp_path: Path) -> None:
    """A body edit that takes a term over the inline limit county-wide (its postings move to a
    block file) patches the county index from its state: the new block is written, and when the
    term drops back under the limit the block file goes; the county's files equal a build from
    scratch each time. (Before, the patch gave up after storing its texts, and the county index
    was built from scratch: 58 s at 18 × 3,000.)"""
    from unittest import mock

    from gongkai.search import shard_format

    root = make(tmp_path / "repo")
    out, cache = tmp_path / "site", tmp_path / "cache"

    def public(slug: str) -> list[Path]:
        docs = sorted((root / "towns" / slug / "documents").rglob("*.md"))
        return [d for d in docs if re.search(r'^attribute: "?主动公开', d.read_text(encoding="utf-8"), re.MULTILINE)]

    def append(doc: Path, text: str) -> None:
        doc.write_text(doc.read_text(encoding="utf-8").rstrip("\n") + text, encoding="utf-8")

    for doc in public("yongsui")[:2] + public("qingxi")[:1]:  # three documents: inline (at most 3)
        append(doc, "\n\n鳌鱼\n")
    edited = public("qingxi")[1]
    original = edited.read_text(encoding="utf-8")

    def county_files(folder: Path) -> dict[str, bytes]:
        return {k: v for k, v in files_of(folder).items() if not k.startswith(("yongsui/", "qingxi/"))}

    def blocks() -> set[str]:
        return {p.name for p in (out / "search" / "blocks").glob("*.js")}

    with mock.patch.object(shard_format, "INLINE_POSTINGS", 3):
        assert build(root, out, cache).ok
        before = blocks()
        append(edited, "\n\n鳌鱼\n")  # a fourth document: the term gets a block (the township's stays inline)
        second = build(root, out, cache)
        assert second.ok and second.stats == {**second.stats, "towns_quick": 1, "search_from_state": 1}
        assert blocks() > before
        assert build(root, tmp_path / "fresh").ok
        assert county_files(out) == county_files(tmp_path / "fresh")
        edited.write_text(original, encoding="utf-8")  # back to three: the block file goes
        third = build(root, out, cache)
        assert third.ok and third.stats == {**third.stats, "towns_quick": 1, "search_from_state": 1}
        assert blocks() == before
        shutil.rmtree(tmp_path / "fresh")
        assert build(root, tmp_path / "fresh").ok
        assert county_files(out) == county_files(tmp_path / "fresh")


def test_edits_write_only_what_changed_of_the_county_state_and_the_site_stays_exact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a one-document edit the county keeps its index state and the township's records as
    they were and journals the change (`journal.py`): the base files keep their bytes, and after
    each of several edits the county's files equal a build from scratch. A build that stopped
    after the townships changed (the state marked invalid) means the index is built again. (The
    example county's state is small: the journal may outgrow the base here.)"""
    from gongkai import journal

    monkeypatch.setattr(journal, "BASE_SHARE", 1000)
    root = make(tmp_path / "repo")
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert build(root, out, cache).ok
    state = cache / "county" / "search-state.pickle"
    records = cache / "county" / "records-qingxi.pickle"
    bases = state.read_bytes(), records.read_bytes()
    docs = sorted((root / "towns" / "qingxi" / "documents").rglob("*.md"))
    public = [d for d in docs if re.search(r'^attribute: "?主动公开', d.read_text(encoding="utf-8"), re.MULTILINE)]

    def county_files(folder: Path) -> dict[str, bytes]:
        return {k: v for k, v in files_of(folder).items() if not k.startswith("yongsui/")}

    for n, (doc, text) in enumerate([(public[0], "\n\n县级专区日志测试一。\n"), (public[1], "\n\n县级专区日志测试二。\n"),
                                     (public[0], "\n\n鳌鱼县级专区日志测试三。\n")]):
        doc.write_text(doc.read_text(encoding="utf-8").rstrip("\n") + text, encoding="utf-8")
        again = build(root, out, cache)
        assert again.ok and again.stats == {**again.stats, "towns_quick": 1, "search_from_state": 1}
        assert (state.read_bytes(), records.read_bytes()) == bases
        assert state.with_name(state.name + ".journal").is_file()
        fresh = tmp_path / f"fresh{n}"
        assert build(root, fresh).ok
        assert county_files(out) == county_files(fresh)
    state.with_name(state.name + ".invalid").write_bytes(b"")  # as a build stopped halfway leaves it
    public[1].write_text(public[1].read_text(encoding="utf-8") + "\n县级专区日志测试四。\n", encoding="utf-8")
    again = build(root, out, cache)
    assert again.ok and again.stats["search_from_state"] == 0
    assert not state.with_name(state.name + ".invalid").exists()
    assert build(root, tmp_path / "fresh").ok
    assert county_files(out) == county_files(tmp_path / "fresh")
