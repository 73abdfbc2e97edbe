"""Files from many hands: attachment paths, symlinks, sizes, encodings and file names.

Attachments are copied into site/ under their own path, so a path outside content/attachments/
could overwrite our scripts or publish a content file; every such path is refused with a message
that says what to do. Content files that are too large or not UTF-8 are refused by the loader.
"""

from __future__ import annotations

import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from sitekit import doc, make_site

from gongkai.diagnostics import Severity
from gongkai.loading import decode_text, load_content

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


def errors(result) -> list:  # type: ignore[no-untyped-def]
    return [d for d in result.diagnostics.items if d.severity is Severity.ERROR]


def one_error(result, code_prefix: str = ""):  # type: ignore[no-untyped-def]
    found = [d for d in errors(result) if d.code.startswith(code_prefix)]
    assert not result.ok
    assert len(found) == 1, [d.text() for d in errors(result)]
    return found[0]


def with_attachment(value: str) -> dict[str, str]:
    """A public document whose attachments list holds `value` (YAML flow text)."""
    return {"documents/2026/fujian.md": doc("关于低保资金发放的公示", attachments=f"[{value}]")}


def attachments_line(content: Path) -> int:
    text = (content / "documents/2026/fujian.md").read_text(encoding="utf-8")
    return text.split("\n").index(next(line for line in text.split("\n") if line.startswith("attachments:"))) + 1


# ---- attachment paths ---------------------------------------------------------------------------

@pytest.mark.parametrize(("yaml_value", "shown"), [
    ("attachments/../site.yaml", "attachments/../site.yaml"),
    ("../../etc/passwd", "../../etc/passwd"),
    ("attachments/2026/../../../secret.pdf", "attachments/2026/../../../secret.pdf"),
    ("/etc/passwd", "/etc/passwd"),
    (r"'C:\Users\staff\预算.xlsx'", r"C:\Users\staff\预算.xlsx"),
    ("'D:/公示/名单.pdf'", "D:/公示/名单.pdf"),
    (r"'\\server\share\名单.pdf'", r"\\server\share\名单.pdf"),
    (r"'attachments\..\..\site.yaml'", r"attachments\..\..\site.yaml"),
])
def test_absolute_and_parent_paths_are_refused(built, tmp_path: Path, yaml_value: str, shown: str) -> None:
    site, result = built(with_attachment(yaml_value))
    d = one_error(result, "xref.attachment")
    assert d.message == f"附件路径“{shown}”不能是绝对路径或包含“..”"
    assert d.hint == "写相对于 content/ 的路径，例如 attachments/2024/预算表.xlsx"
    assert d.code == "xref.attachment_outside"
    assert d.line == attachments_line(tmp_path / "content")
    assert not site.exists()


@pytest.mark.parametrize("rel", ["assets/site.js", "documents/2026/dibao.md", "site.yaml", "index.html", "attachments"])
def test_attachments_must_live_in_attachments_folder(built, rel: str) -> None:
    """Else an attachment could replace assets/site.js on every page, or publish a content file."""
    extra = with_attachment(rel)
    extra["assets/site.js"] = "alert('replaced')\n"
    extra["index.html"] = "<script>alert(1)</script>"
    site, result = built(extra)
    d = one_error(result, "xref.attachment")
    assert d.message == f"附件“{rel}”不在 attachments/ 目录中"
    assert "content/attachments/" in d.hint
    assert not site.exists()


@needs_symlinks
def test_symlink_to_a_file_outside_content_is_refused(built, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "id_rsa"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY", encoding="utf-8")
    content = make_site(tmp_path, with_attachment("attachments/2026/key.pdf"))
    (content / "attachments/2026").mkdir(parents=True)
    os.symlink(secret, content / "attachments/2026/key.pdf")
    site, result = built(with_attachment("attachments/2026/key.pdf"))
    d = one_error(result, "xref.attachment")
    assert d.message == "附件“attachments/2026/key.pdf”指向 content/ 之外（符号链接）"
    assert d.hint == "请把文件本身复制到 content/attachments/ 中"
    assert not site.exists()


@needs_symlinks
def test_symlinked_folder_leading_outside_is_refused(built, tmp_path: Path) -> None:
    outside = tmp_path / "share"
    outside.mkdir()
    (outside / "名单.csv").write_text("a,b\n", encoding="utf-8")
    content = make_site(tmp_path, {})
    (content / "attachments").mkdir()
    os.symlink(outside, content / "attachments/share", target_is_directory=True)
    _, result = built(with_attachment("attachments/share/名单.csv"))
    assert one_error(result, "xref.attachment").message == "附件“attachments/share/名单.csv”指向 content/ 之外（符号链接）"


@needs_symlinks
def test_symlink_to_a_content_file_is_refused(built, tmp_path: Path) -> None:
    """Inside content/ but outside attachments/: e.g. the source of a 不予公开 document."""
    content = make_site(tmp_path, {})
    (content / "attachments").mkdir()
    os.symlink("../site.yaml", content / "attachments/town.yaml")
    _, result = built(with_attachment("attachments/town.yaml"))
    assert one_error(result, "xref.attachment").message == "附件“attachments/town.yaml”指向 attachments/ 之外（符号链接）"


@needs_symlinks
def test_symlink_loop_is_a_message_not_a_crash(built, tmp_path: Path) -> None:
    content = make_site(tmp_path, {})
    (content / "attachments").mkdir()
    os.symlink("b.pdf", content / "attachments/a.pdf")
    os.symlink("a.pdf", content / "attachments/b.pdf")
    _, result = built(with_attachment("attachments/a.pdf"))
    assert one_error(result, "xref.attachment").message == "附件“attachments/a.pdf”是循环的符号链接"


def test_control_characters_in_attachment_path(built) -> None:
    _, result = built(with_attachment('"attachments/a\\0b.pdf"'))
    assert one_error(result, "xref.attachment").message == "附件路径“attachments/a\\x00b.pdf”含有控制字符"


def test_missing_attachment(built) -> None:
    _, result = built(with_attachment("attachments/2026/没有.pdf"))
    d = one_error(result, "xref.attachment")
    assert d.message == "附件“attachments/2026/没有.pdf”不存在"
    assert d.hint.startswith("请把文件放到 ") and d.hint.endswith("content/attachments/2026/没有.pdf，或修正路径（区分大小写）")


# ---- sizes ----------------------------------------------------------------------------------------


def test_attachment_over_max_file_kb_is_refused(built) -> None:
    from sitekit import SITE_YAML

    extra = with_attachment("attachments/2026/big.csv")
    extra["site.yaml"] = SITE_YAML + "max_file_kb: 2\n"
    extra["attachments/2026/big.csv"] = b"x" * (3 * 1024 + 10)
    site, result = built(extra)
    d = one_error(result, "xref.attachment")
    assert d.message == "附件“attachments/2026/big.csv”过大（3 KB，上限 2 KB）"
    assert d.hint == "请压缩文件，或在 site.yaml 中调整 max_file_kb"
    assert d.code == "xref.attachment_too_large"
    assert not site.exists()


def test_attachment_at_the_limit_is_copied(built) -> None:
    from sitekit import SITE_YAML

    extra = with_attachment("attachments/2026/ok.csv")
    extra["site.yaml"] = SITE_YAML + "max_file_kb: 2\n"
    extra["attachments/2026/ok.csv"] = b"y" * 2048
    site, result = built(extra)
    assert result.ok, [d.text() for d in errors(result)]
    assert (site / "attachments/2026/ok.csv").read_bytes() == b"y" * 2048


def test_oversized_content_file_is_refused_by_the_loader(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"documents/2026/huge.md": doc(body="正文。" * 2000)})
    raw = load_content(content, max_bytes=4096)
    found = [d for d in raw.diagnostics if d.code == "file.too_large"]
    assert len(found) == 1
    assert found[0].path.endswith("content/documents/2026/huge.md") and found[0].line == 1
    assert found[0].message.startswith("文件过大（17 KB，上限 4 KB）")
    assert "2026/huge" not in [r.id for r in raw.records]


def test_oversized_content_file_fails_the_build_with_default_limit(built) -> None:
    """The default limit (10 MB) applies to every content file; site/ is not written."""
    site, result = built({"documents/2026/huge.md": doc(body=("这是一段很长的正文。" * 100 + "\n\n") * 3700)})
    d = one_error(result, "file.too_large")
    assert d.path.endswith("documents/2026/huge.md")
    assert "上限 10240 KB" in d.message
    assert not site.exists()


def test_max_file_kb_also_limits_content_files(built) -> None:
    from sitekit import SITE_YAML

    _, result = built({"site.yaml": SITE_YAML + "max_file_kb: 4\n", "documents/2026/big.md": doc(body="正文。" * 2000)})
    assert not result.ok and any(d.code == "file.too_large" for d in errors(result))


# ---- encodings ------------------------------------------------------------------------------------


def test_gbk_document_gets_a_message_naming_the_encoding_and_the_fix(built) -> None:
    text = doc("关于低保工作的通知", body="第一行正文。\n第二行：低保标准。\n")
    site, result = built({"documents/2026/gbk.md": text.encode("gbk")})
    d = one_error(result, "file.")
    assert d.code == "file.gbk"
    assert d.path.endswith("content/documents/2026/gbk.md")
    assert "GBK" in d.message and "UTF-8" in d.message
    assert "另存为" in d.hint and "UTF-8" in d.hint
    assert d.line == 2  # the first line with a non-ASCII byte (the title)
    assert not site.exists()


def test_gbk_site_yaml_and_catalog_get_the_same_message(built) -> None:
    from sitekit import AREA_YAML, SITE_YAML

    _, result = built({"site.yaml": SITE_YAML.encode("gbk"), "catalog/shjz.yaml": AREA_YAML.encode("gb18030")})
    gbk = [d for d in errors(result) if d.code == "file.gbk"]
    assert sorted(Path(d.path).name for d in gbk) == ["shjz.yaml", "site.yaml"]


def test_utf16_and_binary_files_are_named(built) -> None:
    text = doc("关于低保工作的通知")
    _, result = built({
        "documents/2026/u16.md": text.encode("utf-16"),
        "documents/2026/bin.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    })
    codes = {Path(d.path).name: d for d in errors(result)}
    assert codes["u16.md"].code == "file.utf16" and "UTF-16" in codes["u16.md"].message
    assert codes["bin.md"].code == "file.binary"


def test_bom_and_crlf_from_notepad_are_accepted(built) -> None:
    text = doc("关于低保工作的通知", body="正文第一行。\n\n第二段。\n").replace("\n", "\r\n")
    site, result = built({"documents/2026/dibao.md": b"\xef\xbb\xbf" + text.encode("utf-8")})
    assert result.ok, [d.text() for d in errors(result)]
    html = (site / "documents/2026/dibao.html").read_text(encoding="utf-8")
    assert "<h1>关于低保工作的通知</h1>" in html and "\r" not in html and "\ufeff" not in html


def test_attachments_are_copied_byte_for_byte_whatever_their_encoding(built) -> None:
    """Attachments are never decoded: a GBK CSV from Excel is published exactly as given."""
    data = "户主,金额\r\n张三,300\r\n".encode("gbk")
    extra = with_attachment("attachments/2026/名单.csv")
    extra["attachments/2026/名单.csv"] = data
    site, result = built(extra)
    assert result.ok
    assert (site / "attachments/2026/名单.csv").read_bytes() == data


def test_decode_text_reports_the_line_of_the_first_gbk_byte() -> None:
    data = "---\ntitle: ok\n---\n第一行\n".encode("gbk")
    text, diags = decode_text(data, "content/documents/x.md")
    assert text is None and diags[0].code == "file.gbk" and diags[0].line == 4


# ---- file names with spaces and Chinese characters ---------------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def local_target(site: Path, page: Path, url: str) -> Path | None:
    """Where a browser opening `page` from file:// would go for `url` (None: not a local file)."""
    base = page.resolve().as_uri()
    parts = urlsplit(urljoin(base, url))
    if parts.scheme != "file":
        return None
    return Path(unquote(parts.path))


def test_chinese_and_spaces_in_file_names_work_end_to_end(built) -> None:
    name = "关于 低保 公示"
    att = "attachments/2026/低保 名单 (第1批).csv"
    site, result = built({
        f"documents/2026/{name}.md": doc("关于2026年低保对象的公示", kind="公示",
                                        attachments=f"['{att}']", body="见附件。\n"),
        att: "户主,金额\n张三,300\n",
        "documents/2026/解读.md": doc("低保公示解读", kind="解读", interprets=f"'2026/{name}'"),
    })
    assert result.ok, [d.text() for d in errors(result)]
    page = site / "documents/2026" / f"{name}.html"
    assert page.is_file()
    assert (site / att).read_text(encoding="utf-8").startswith("户主")
    to_page, to_att = [], []
    for html in site.rglob("*.html"):
        parser = Links()
        parser.feed(html.read_text(encoding="utf-8"))
        for url in parser.urls:
            target = local_target(site, html, url)
            if target is None:
                continue
            if target == page.resolve():
                to_page.append((html, url))
            elif target == (site / att).resolve():
                to_att.append((html, url))
            elif (name in unquote(url) or "低保 名单" in unquote(url)) and not target.is_file():
                pytest.fail(f"{html}: link {url!r} to a missing file {target}")
            assert not re.search(r"\s", url), f"unencoded space in {url!r} on {html}"
    # the listing, the item page, the interpretation and the year page all link to it ...
    assert len({h for h, _ in to_page}) >= 3, to_page
    assert to_att, "the document page links its attachment"
    # ... and every one of those links resolves to the file, as from file://
    for html, url in to_page + to_att:
        assert local_target(site, html, url).is_file(), (html, url)  # type: ignore[union-attr]
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "%E5%85%B3%E4%BA%8E%20%E4%BD%8E%E4%BF%9D%20%E5%85%AC%E7%A4%BA.html" in feed
