"""`gongkai bundle`: one deterministic zip for a USB stick or kiosk; unzipped, it opens from
file:// and a reader can browse (home → village → notice) and search."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from reachkit import FILES, WITHHELD_TITLE
from sitekit import make_site, run_cli

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"
SEARCH_READY = (REPO / "templates" / "assets" / "search.js").is_file()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    make_site(tmp_path, FILES)
    return tmp_path


def _bundle(project: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("bundle", "--content", "content", "--today", TODAY, "-q", *args, cwd=project)


@pytest.fixture
def bundle(project: Path) -> Path:
    proc = _bundle(project)
    assert proc.returncode == 0, proc.stderr
    return project / "gongkai-site.zip"


def test_zip_layout_and_readme(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {"打开网站.html", "使用说明.txt", "site/index.html", "site/search.html", "site/search/meta.js",
                "site/assets/search.js", "site/villages/jingtou.html", "site/data/documents.json",
                "site/print/posters/jingtou.html", "site/feed.xml"} <= set(names)
        assert "site/assets/lunr.js" not in names  # no page loads it
        assert not [n for n in names if any(part.startswith(".") for part in n.split("/"))], "hidden files"
        assert all(i.date_time == (2026, 11, 26, 0, 0, 0) for i in zf.infolist())
        assert all(i.flag_bits & 0x800 for i in zf.infolist() if not i.filename.isascii()), "UTF-8 names"
        readme = zf.read("使用说明.txt")
        assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme
        text = readme.decode("utf-8-sig")
        for words in ("生成日期：2026-11-26", "打开网站.html", "Windows", "手机", "全部解压缩", "search.html", "不予公开"):
            assert words in text, words
        assert "site/index.html" in zf.read("打开网站.html").decode("utf-8")
        everything = b"".join(zf.read(n) for n in names if n.endswith((".html", ".json", ".xml", ".js", ".csv")))
        assert WITHHELD_TITLE.encode() not in everything


def test_bundle_is_deterministic_and_reuses_a_complete_site(project: Path, bundle: Path) -> None:
    first = bundle.read_bytes()
    proc = _bundle(project, "--out", "again.zip")
    assert proc.returncode == 0, proc.stderr
    assert (project / "again.zip").read_bytes() == first
    proc = _bundle(project, "--no-build", "--out", "reused.zip")
    assert proc.returncode == 0, proc.stderr
    assert (project / "reused.zip").read_bytes() == first


def test_no_build_refuses_an_incomplete_site(project: Path) -> None:
    (project / "half").mkdir()
    (project / "half" / "index.html").write_text("<html></html>", encoding="utf-8")
    proc = _bundle(project, "--no-build", "--site", "half")
    assert proc.returncode == 1
    assert "不是一次完整生成的网站" in proc.stderr and "Traceback" not in proc.stderr
    assert not (project / "gongkai-site.zip").exists()


def test_content_errors_leave_no_zip(project: Path) -> None:
    (project / "content" / "documents" / "2026" / "broken.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    proc = _bundle(project)
    assert proc.returncode == 1
    assert not (project / "gongkai-site.zip").exists()


@pytest.fixture
def unzipped(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("usb stick")  # a space in the path, like "U盘 (E:)"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(target)
    return target


@pytest.mark.browser
def test_unzipped_bundle_browses_from_file_url(page, unzipped: Path) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto((unzipped / "打开网站.html").as_uri())
    page.wait_for_url("**/site/index.html")
    assert "政务公开" in page.title()
    page.locator("nav[aria-label=主导航]").get_by_role("link", name="村务公开").click()
    assert page.locator("h1").inner_text() == "村务公开"
    page.get_by_role("link", name="井头村").first.click()
    assert page.locator("h1").inner_text() == "井头村"
    notice = page.locator("section.keyarea ul.doclist a").first
    title = notice.inner_text()
    notice.click()
    assert page.locator("h1").inner_text() == title
    assert page.url.startswith("file://") and "/site/documents/" in page.url
    page.get_by_role("link", name="打印公示（A4，带二维码）").click()
    assert "/site/print/documents/" in page.url and page.locator("svg.qr").count() == 1
    assert page.js_errors == []
    assert [u for u in requests if not u.startswith("file:")] == []


@pytest.mark.browser
@pytest.mark.xfail(not SEARCH_READY, reason="站内搜索前端（templates/assets/search.js）尚在另一位工程师的开发中", strict=True)
def test_unzipped_bundle_search_works_offline(page, unzipped: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((unzipped / "site" / "index.html").as_uri())
    page.locator("#q-top").fill("低保")
    page.locator("#q-top").press("Enter")
    page.wait_for_url("**/site/search.html?*")
    results = page.locator("#search-results")
    results.get_by_text("井头村2026年11月低保初审对象公示").first.wait_for(timeout=10_000)
    assert WITHHELD_TITLE not in results.inner_text()
    assert page.js_errors == []
