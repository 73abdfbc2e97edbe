"""依申请公开: the A4 申请表, pre-filled from 依申请公开 documents, and the 条例第二十九条 channels."""

from __future__ import annotations

import html as htmlmod
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sitekit import SITE_YAML, doc, make_site

from gongkai.validate import check_content

ON_REQUEST = doc("永岁镇镇区排水管网改造工程结算审计报告", attribute="依申请公开", reason="涉及第三方商业信息，依申请提供",
                 doc_number="永政办发〔2026〕21号", item="shjz-guide", kind="报告")
HOSTILE = doc("'\"><img src=x onerror=alert(1)>审计底稿'", attribute="依申请公开", reason="依申请提供", item="shjz-guide",
              kind="报告", created="2026-04-01", published="2026-04-02")
DISCLOSURE = """\
disclosure:
  office:
    name: 党政综合办公室
    address: 永岁街1号
    hours: 工作日 8:00-12:00
    phone: 0773-4800101
    fax: 0773-4800109
    email: xxgk@example.gov.cn
  updated: 2026-03-02
"""
FORM_FIELDS = [
    "公民", "法人或者其他组织", "姓　　名", "工作单位", "证件名称", "证件号码", "联系电话", "电子邮箱", "联系地址",
    "邮政编码", "名　　称", "统一社会信用代码", "法定代表人或者负责人", "联系人姓名", "所需信息的名称", "文号", "索引号",
    "所需信息的内容描述", "信息的提供形式", "获取信息的方式", "申请人签名（盖章）", "申请日期",
]


def form_link(page_html: str) -> str:
    [href] = re.findall(r'<p class="apply-form-link"><a href="([^"]+)">', page_html)
    return htmlmod.unescape(href)


@pytest.fixture
def site(built) -> Path:  # type: ignore[no-untyped-def]
    out, result = built({"site.yaml": SITE_YAML + DISCLOSURE, "documents/2026/shenji.md": ON_REQUEST,
                         "documents/2026/hostile.md": HOSTILE})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return out


def test_on_request_document_links_the_prefilled_form(site: Path) -> None:
    page = (site / "documents/2026/shenji.html").read_text(encoding="utf-8")
    href = form_link(page)
    parts = urlsplit(href)
    assert parts.path == "../../apply-form.html" and (site / "documents/2026" / parts.path).resolve().is_file()
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    index = re.search(r"申请时请注明索引号 <strong>([^<]+)</strong>", page).group(1)  # type: ignore[union-attr]
    assert query == {"title": "永岁镇镇区排水管网改造工程结算审计报告", "doc_number": "永政办发〔2026〕21号", "index": index}


def test_active_documents_have_no_form_link(site: Path) -> None:
    assert 'class="apply-form-link"' not in (site / "documents/2026/dibao.html").read_text(encoding="utf-8")


def test_form_has_every_field_of_the_common_form(site: Path) -> None:
    text = (site / "apply-form.html").read_text(encoding="utf-8")
    labels = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<th[^>]*>(.*?)</th>", text, flags=re.DOTALL)]
    flat = " ".join(labels)
    for name in FORM_FIELDS:
        assert name in flat, name
    for choice in ("纸质", "电子邮件", "光盘", "邮寄", "自行领取", "当场阅读、抄录"):
        assert f'<span class="box">□</span>{choice}</span>' in text
    assert "受理机构：党政综合办公室" in text


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)]


@pytest.mark.parametrize("which", ["shenji", "hostile", "blank"])
def test_form_prints_on_one_a4_page_prefilled(browser, site: Path, which: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    if which == "blank":
        url = (site / "apply-form.html").resolve().as_uri()
    else:
        doc_page = site / f"documents/2026/{which}.html"
        page.goto(doc_page.resolve().as_uri())
        page.click("p.apply-form-link a")
        url = page.url
    page.goto(url)
    title = page.input_value("#i-title")
    if which == "shenji":
        assert (title, page.input_value("#i-number")) == ("永岁镇镇区排水管网改造工程结算审计报告", "永政办发〔2026〕21号")
        assert re.fullmatch(r"11450324MB0000000X/2026-\d{5}", page.input_value("#i-index"))
    elif which == "hostile":
        assert title == '"><img src=x onerror=alert(1)>审计底稿'
        assert page.locator("img").count() == 0
    else:
        assert title == "" and page.input_value("#i-index") == ""
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    assert alerts == []
    pages = pdf_pages(pdf)
    assert len(pages) == 1, pages  # the whole form on one sheet
    (w, h), = pages
    assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2  # A4 in points


def test_default_channels_come_from_the_office_fields(site: Path) -> None:
    apply = (site / "apply.html").read_text(encoding="utf-8")
    channels = re.findall(r"<li>(.*?)</li>", apply.split('<ul class="channels">', 1)[1].split("</ul>", 1)[0])
    assert [re.sub(r"<[^>]+>", "", c) for c in channels] == [
        "当面提交：永岁街1号（受理时间：工作日 8:00-12:00）",
        "信函：永岁街1号（信封左下角注明“政府信息公开申请”）",
        "电子邮件（数据电文）：xxgk@example.gov.cn",
        "传真：0773-4800109",
    ]
    guide = (site / "disclosure-guide.html").read_text(encoding="utf-8")
    assert ("申请渠道（《政府信息公开条例》第二十九条）：当面提交：永岁街1号（受理时间：工作日 8:00-12:00）；信函：永岁街1号"
            "（信封左下角注明“政府信息公开申请”）；电子邮件（数据电文）：xxgk@example.gov.cn；传真：0773-4800109。") in guide
    assert "当面提交（永岁街1号（受理时间：工作日 8:00-12:00））" in (site / "apply-form.html").read_text(encoding="utf-8")


def test_configured_channels_are_shown_in_their_order(built) -> None:  # type: ignore[no-untyped-def]
    text = DISCLOSURE.replace("  updated:", "    form_url: https://www.example.gov.cn/ysq\n  channels: [在线申请, 当面提交]\n  updated:")
    site, result = built({"site.yaml": SITE_YAML + text})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    apply = (site / "apply.html").read_text(encoding="utf-8")
    block = apply.split('<ul class="channels">', 1)[1].split("</ul>", 1)[0]
    assert re.sub(r"<[^>]+>", "", block).split() == [
        "在线申请（数据电文）：https://www.example.gov.cn/ysq", "当面提交：永岁街1号（受理时间：工作日", "8:00-12:00）"]
    assert '<a href="https://www.example.gov.cn/ysq">' in block


def test_a_channel_without_its_contact_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = DISCLOSURE.replace("  updated:", "  channels: [当面提交, 在线申请, 传真]\n  updated:").replace("    fax: 0773-4800109\n", "")
    content = make_site(tmp_path, {"site.yaml": SITE_YAML + text})
    _, diags = check_content(content.relative_to(tmp_path), date(2026, 11, 26))
    assert [d.text() for d in diags.errors] == [
        ("content/site.yaml:20:20: 错误: 申请渠道“在线申请”没有联系方式：disclosure.office 中没有填写在线申请地址 form_url"
        "（在 disclosure.office 中填写 form_url，或从 channels 中删除“在线申请”）"),
        ("content/site.yaml:20:26: 错误: 申请渠道“传真”没有联系方式：disclosure.office 中没有填写传真 fax"
        "（在 disclosure.office 中填写 fax，或从 channels 中删除“传真”）"),
    ]


def test_example_on_request_documents_all_link_the_form(example_site: Path) -> None:
    from gongkai.models import Attribute

    site, _ = check_content(Path(__file__).resolve().parent.parent / "content", date(2026, 11, 26))
    assert site is not None
    on_request = [i for i, d in site.documents.items() if d.model.attribute is Attribute.ON_REQUEST]
    assert on_request
    for doc_id in on_request:
        page = (example_site / f"documents/{doc_id}.html").read_text(encoding="utf-8")
        query = parse_qs(urlsplit(form_link(page)).query)
        assert query["title"] == [site.documents[doc_id].model.title]
        assert query["index"] == [site.index_numbers[doc_id]]
