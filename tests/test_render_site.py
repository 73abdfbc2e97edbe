"""The built site as a reader sees it: pages, labels, links, determinism, atomic publish."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitekit import doc

WITHHELD = doc(
    "内部研究绝密会议纪要XQ7",
    body="这段文字只在不予公开文件里CANARY-WITHHELD-91。\n",
    attribute="不予公开",
    reason="涉及个人隐私CANARY-REASON-33",
    legal_basis="个人隐私",
    doc_number="永政发〔2026〕99号",
    published=None,
    kind="纪要",
)
ON_REQUEST = doc(
    "土地流转合同备案登记",
    body="依申请公开的正文CANARY-ONREQUEST-55。\n",
    attribute="依申请公开",
    reason="涉及第三方合同信息",
    doc_number="永政发〔2026〕7号",
    published="2026-03-10",
)


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attr, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append((tag, name, value))


def test_pages_and_labels(built) -> None:
    site, result = built({"documents/2026/secret.md": WITHHELD, "documents/2026/landrec.md": ON_REQUEST})
    assert result.ok, [d.text() for d in result.diagnostics.items]
    page = (site / "documents/2026/dibao.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in (site / "index.html").read_text(encoding="utf-8")
    assert "此件公开发布" in page
    for label in ("索引号", "发布机构", "成文日期", "发布日期", "发文字号", "所属事项", "适用村（社区）"):
        assert label in page
    assert "正文内容。" in page
    request = (site / "documents/2026/landrec.html").read_text(encoding="utf-8")
    assert "此件可依申请公开" in request and "土地流转合同备案登记" in request
    assert "CANARY-ONREQUEST-55" not in request
    assert "请向永岁镇党政综合办公室提交书面申请" in request  # how to apply
    assert not (site / "documents/2026/secret.html").exists()


def test_withheld_leaves_no_trace(built) -> None:
    site, result = built({"documents/2026/secret.md": WITHHELD, "documents/2026/landrec.md": ON_REQUEST})
    assert result.ok
    canaries = ["CANARY-WITHHELD-91", "CANARY-REASON-33", "内部研究绝密会议纪要XQ7", "永政发〔2026〕99号", "secret", "CANARY-ONREQUEST-55"]
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary in canaries:
                assert canary.encode("utf-8") not in data, f"{canary} leaked into {path}"
                escaped = canary.encode("ascii", "backslashreplace").decode().replace("\\u", "\\u")
                assert escaped.encode() not in data or escaped == canary


def test_every_link_resolves_and_nothing_external(built) -> None:
    site, result = built({"documents/2026/landrec.md": ON_REQUEST,
                          "documents/2026/公示 名单.md": doc("井头村低保公示", villages="[jingtou]", valid_until="2026-03-20", kind="公示")})
    assert result.ok, [d.text() for d in result.diagnostics.items]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attr, value in parser.links:
            parts = urlsplit(value)
            if parts.scheme in ("tel", "mailto") or value.startswith("data:image/svg+xml,"):
                continue  # an inline image (the 404 page's icon) fetches nothing
            assert not parts.scheme and not parts.netloc, f"{page}: external {attr}={value}"
            if not parts.path:
                continue  # same-page anchor
            assert not parts.path.endswith("/"), f"{page}: link to a folder {value}"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: broken {attr}={value}"
            assert site.resolve() in target.parents, f"{page}: link leaves the site: {value}"


def test_two_builds_are_byte_identical(built, tmp_path: Path) -> None:
    site, result = built({"documents/2026/landrec.md": ON_REQUEST})
    first = tree(site)
    site, result = built({"documents/2026/landrec.md": ON_REQUEST}, jobs=2)
    assert result.ok
    assert tree(site) == first


def test_failed_build_leaves_site_untouched_and_removed_pages_disappear(built) -> None:
    site, result = built({"documents/2026/landrec.md": ON_REQUEST})
    assert result.ok and (site / "documents/2026/landrec.html").exists()
    before = tree(site)
    site, result = built({"documents/2026/broken.md": "---\ntitle：坏\n---\n"})
    assert not result.ok
    assert tree(site) == before
    site, result = built({"documents/2026/broken.md": None, "documents/2026/landrec.md": None})
    assert result.ok
    assert not (site / "documents/2026/landrec.html").exists()
    assert not list(site.parent.glob(".site.tmp-*"))


def test_expired_notice_archived_on_village_page(built) -> None:
    site, result = built({
        "catalog/cw.yaml": """\
area: 村级财务
items:
  - id: cw-shouzhi
    level1: 村级财务
    level2: 收支明细
    content: 村集体收支明细
    time_limit: 每月公开一次
    subject: 各村民委员会
    channels: 村公示栏
    level: 村级
    key_area: 村级财务
""",
        "documents/2026/old.md": doc("井头村2026年1月财务公开", item="cw-shouzhi", kind="公示", villages="[jingtou]", valid_until="2026-02-10", created="2026-02-01", published="2026-02-01"),
        "documents/2026/new.md": doc("井头村2026年11月财务公开", item="cw-shouzhi", kind="公示", villages="[jingtou]", valid_until="2026-12-10", created="2026-11-20", published="2026-11-21"),
    })
    assert result.ok, [d.text() for d in result.diagnostics.items]
    village = (site / "villages/jingtou.html").read_text(encoding="utf-8")
    current, _, archive = village.partition("已过公示期（存档）")
    assert "井头村2026年11月财务公开" in current and "村级财务" in current
    assert "井头村2026年1月财务公开" in archive
    assert "已过公示期" in (site / "documents/2026/old.html").read_text(encoding="utf-8")
    assert "公示中" in (site / "documents/2026/new.html").read_text(encoding="utf-8")


def test_base_url_sets_canonical_sitemap_robots(built) -> None:
    site, result = built(base_url="https://gov.example.cn/yongsui/")
    assert result.ok
    page = (site / "documents/2026/dibao.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://gov.example.cn/yongsui/documents/2026/dibao.html">' in page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://gov.example.cn/yongsui/documents/2026/dibao.html</loc>" in sitemap
    assert "Sitemap: https://gov.example.cn/yongsui/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    assert (site / "404.html").exists()
    assert (site / "feed.xml").exists() and (site / "feeds/village-jingtou.xml").exists() and (site / "feeds/area-shjz.xml").exists()


def test_index_number_stable_across_unrelated_edits(built) -> None:
    site, _ = built()
    pattern = re.compile(r"<th scope=\"row\">索引号</th><td>([^<]+)</td>")
    first = pattern.search((site / "documents/2026/dibao.html").read_text(encoding="utf-8")).group(1)
    assert re.fullmatch(r"11450324MB0000000X/2026-\d{5}", first)
    extra = {f"documents/2026/n{i}.md": doc(f"其他通知{i}") for i in range(30)}
    site, result = built(extra)
    assert result.ok
    assert pattern.search((site / "documents/2026/dibao.html").read_text(encoding="utf-8")).group(1) == first


def test_interpretation_and_policy_link_each_other(built) -> None:
    site, result = built({
        "documents/2026/policy.md": doc("永岁镇低保实施办法", kind="办法", doc_number="永政发〔2026〕3号"),
        "documents/2026/policy-jd.md": doc("《永岁镇低保实施办法》政策解读", kind="解读", interprets="2026/policy",
                                          form="简明问答") .replace("---\n正文", "qa:\n  - q: 谁可以申请？\n    a: 户籍在本镇的困难家庭。\n---\n正文"),
    })
    assert result.ok, [d.text() for d in result.diagnostics.items]
    policy = (site / "documents/2026/policy.html").read_text(encoding="utf-8")
    interp = (site / "documents/2026/policy-jd.html").read_text(encoding="utf-8")
    assert 'href="../../documents/2026/policy-jd.html"' in policy
    assert 'href="../../documents/2026/policy.html"' in interp
    assert "问：谁可以申请？" in interp and "户籍在本镇的困难家庭" in interp


def test_consultations_open_first_then_closed_with_feedback(built) -> None:
    common = "scope: 全镇村民\nmethods: [征集意见]\nchannels: [电话 0773-4800000]\n"
    site, result = built({
        "consultations/old.md": f"---\ntitle: 旧事项征求意见\n{common}opens: 2026-01-01\ncloses: 2026-01-31\npublished: 2026-01-01\nfeedback: 共收到意见12条，采纳8条。\nfeedback_published: 2026-02-10\n---\n草案说明。\n",
        "consultations/new.md": f"---\ntitle: 新事项征求意见\n{common}opens: 2026-11-20\ncloses: 2026-12-20\npublished: 2026-11-20\n---\n草案说明。\n",
    })
    assert result.ok, [d.text() for d in result.diagnostics.items]
    listing = (site / "consultations/index.html").read_text(encoding="utf-8")
    assert listing.index("新事项征求意见") < listing.index("旧事项征求意见")
    assert "还剩 24 天" in listing
    assert "共收到意见12条，采纳8条" in (site / "consultations/old.html").read_text(encoding="utf-8")
    assert "新事项征求意见" in (site / "index.html").read_text(encoding="utf-8")


def test_explicit_index_number_kept_and_duplicates_refused(built) -> None:
    site, result = built({"documents/2026/old.md": doc("旧系统迁移的文件", index_number="11450324MB0000000X/2019-00007")})
    assert result.ok
    assert "11450324MB0000000X/2019-00007" in (site / "documents/2026/old.html").read_text(encoding="utf-8")
    site, result = built({"documents/2026/old.md": doc("旧系统迁移的文件", index_number="11450324MB0000000X/2019-00007"),
                          "documents/2026/old2.md": doc("另一份迁移文件", index_number="11450324MB0000000X/2019-00007")})
    assert not result.ok
    texts = [d.text() for d in result.diagnostics.errors]
    assert any("索引号“11450324MB0000000X/2019-00007”与" in t and t.split(":")[0].endswith(("old.md", "old2.md")) for t in texts), texts


def test_templates_can_be_overridden_one_file_at_a_time(built, tmp_path: Path) -> None:
    custom = tmp_path / "mytemplates"
    custom.mkdir()
    (custom / "404.html").write_text('{% extends "base.html" %}{% block title %}找不到{% endblock %}'
                                     '{% block content %}<h1>本镇定制的404页面</h1>{% endblock %}', encoding="utf-8")
    site, result = built(templates=custom)
    assert result.ok
    assert "本镇定制的404页面" in (site / "404.html").read_text(encoding="utf-8")
    assert "此件公开发布" in (site / "documents/2026/dibao.html").read_text(encoding="utf-8")  # built-in still used


def test_catalog_page_shows_item_status(built) -> None:
    quarterly = """\
area: 村级财务
items:
  - id: cw-jidu
    level1: 村级财务
    level2: 季度收支
    content: 村集体季度收支情况
    time_limit: 每季度公开一次
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
"""
    site, result = built({"catalog/cw.yaml": quarterly})
    assert result.ok
    row = (site / "catalog/cw.html").read_text(encoding="utf-8").split('id="item-cw-jidu"')[1].split("</tr>")[0]
    assert "缺项" in row
    site, result = built({"catalog/cw.yaml": quarterly, "documents/2026/q3.md": doc("2026年第三季度村级财务收支", item="cw-jidu", period="2026-Q3", created="2026-10-09", published="2026-10-10")})
    assert result.ok
    row = (site / "catalog/cw.html").read_text(encoding="utf-8").split('id="item-cw-jidu"')[1].split("</tr>")[0]
    assert "正常" in row and "缺项" not in row


def test_announcement_without_notice_period_links_its_print(built) -> None:
    site, result = built({"documents/2026/gonggao.md": doc("永岁镇道路施工公告", kind="公告")})
    assert result.ok
    page = (site / "documents/2026/gonggao.html").read_text(encoding="utf-8")
    assert 'href="../../print/documents/2026/gonggao.html"' in page
    assert (site / "print/documents/2026/gonggao.html").is_file()
    assert "打印公示" not in (site / "documents/2026/dibao.html").read_text(encoding="utf-8")  # a 通知
