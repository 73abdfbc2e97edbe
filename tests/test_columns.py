"""The fixed disclosure columns (制度, 年报) and the 年报逾期 warning (条例第四十九条)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sitekit import doc, make_site

from gongkai.validate import check_content

EXAMPLE_SYSTEMS = ["永岁镇人民政府政府信息公开工作制度", "永岁镇人民政府政府信息公开保密审查制度"]


def links(html: str) -> list[tuple[str, str]]:
    return [(href, re.sub(r"<[^>]+>", "", text).strip())
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, flags=re.DOTALL)]


def main_part(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_columns_are_in_the_navigation_of_every_page(example_site: Path) -> None:
    for rel in ("index.html", "documents/index.html", "catalog/index.html", "systems.html"):
        html = (example_site / rel).read_text(encoding="utf-8")
        nav = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
        root = "../" * rel.count("/")
        assert (root + "systems.html", "公开制度") in links(nav)
        assert (root + "annual-reports.html", "年度报告") in links(nav)


def test_systems_page_lists_the_system_documents(example_site: Path) -> None:
    html = main_part((example_site / "systems.html").read_text(encoding="utf-8"))
    titles = [text for href, text in links(html) if href.startswith("documents/")]
    assert sorted(titles) == sorted(EXAMPLE_SYSTEMS)
    for href, _ in links(html):
        assert (example_site / href).is_file()


def test_annual_reports_page_lists_reports_newest_year_first(example_site: Path) -> None:
    html = main_part((example_site / "annual-reports.html").read_text(encoding="utf-8"))
    titles = [text for href, text in links(html) if href.startswith("documents/")]
    assert titles == [f"永岁镇人民政府{y}年政府信息公开工作年度报告" for y in (2025, 2024, 2023, 2022)]


def test_withheld_system_document_is_not_listed(built) -> None:  # type: ignore[no-untyped-def]
    site, result = built({
        "documents/2026/zhidu.md": doc("永岁镇档案管理制度", kind="制度"),
        "documents/2026/secret.md": doc("内部值班制度QX9", kind="制度", attribute="不予公开", published=None,
                                        reason="内部管理信息", legal_basis="内部事务信息"),
    })
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    html = main_part((site / "systems.html").read_text(encoding="utf-8"))
    assert [t for _, t in links(html)] == ["永岁镇档案管理制度"]
    assert "QX9" not in html


def test_empty_columns_say_so(built) -> None:  # type: ignore[no-untyped-def]
    site, result = built()
    assert result.ok
    assert "暂未发布政府信息公开制度。" in (site / "systems.html").read_text(encoding="utf-8")
    assert "暂未发布年度报告。" in (site / "annual-reports.html").read_text(encoding="utf-8")


REPORT_2025 = doc("永岁镇人民政府2025年政府信息公开工作年度报告", kind="年报", period='"2025"',
                  created="2026-01-20", published="2026-01-25")
DOC_2025 = doc("2025年低保名单", created="2025-05-02", published="2025-05-06")
OVERDUE = ('content/site.yaml:1:1: 警告: 年报逾期：2025年政府信息公开工作年度报告应在 2026-01-31 前公布，'
           '至今（2026-02-01）未发布（已逾期 1 天）（请用 gongkai new document 新建 kind: 年报、period: "2025" 的文件并发布）')


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages name files relative to the working folder


def annual_warnings(tmp_path: Path, files: dict[str, str | None], today: date) -> list[str]:
    content = make_site(tmp_path, files)
    _, diags = check_content(content.relative_to(tmp_path), today)
    return [d.text() for d in diags.warnings if "年报逾期" in d.text()]


def test_missing_annual_report_is_warned_the_day_after_the_due_date(tmp_path: Path) -> None:
    files = {"documents/2025/a.md": DOC_2025}
    assert annual_warnings(tmp_path, files, date(2026, 1, 31)) == []
    assert annual_warnings(tmp_path, files, date(2026, 2, 1)) == [OVERDUE]


def test_published_report_silences_the_warning(tmp_path: Path) -> None:
    files = {"documents/2025/a.md": DOC_2025, "documents/2026/nb.md": REPORT_2025}
    assert annual_warnings(tmp_path, files, date(2026, 11, 26)) == []


def test_report_published_after_today_does_not_count(tmp_path: Path) -> None:
    files = {"documents/2025/a.md": DOC_2025, "documents/2026/nb.md": REPORT_2025}
    assert annual_warnings(tmp_path, files, date(2026, 2, 1)) == []
    late = REPORT_2025.replace("published: 2026-01-25", "published: 2026-03-01")
    files["documents/2026/nb.md"] = late
    assert len(annual_warnings(tmp_path, files, date(2026, 2, 10))) == 1


def test_due_date_is_configurable(tmp_path: Path) -> None:
    files = {"documents/2025/a.md": DOC_2025}
    from sitekit import SITE_YAML

    files["site.yaml"] = SITE_YAML + 'annual_report_due: "03-31"\n'
    assert annual_warnings(tmp_path, files, date(2026, 3, 31)) == []
    [text] = annual_warnings(tmp_path, files, date(2026, 4, 1))
    assert text.startswith("content/site.yaml:13:1: 警告: 年报逾期：2025年政府信息公开工作年度报告应在 2026-03-31 前公布，")


def test_no_report_is_asked_for_a_year_without_content(tmp_path: Path) -> None:
    assert annual_warnings(tmp_path, {}, date(2026, 11, 26)) == []


GUIDE_YAML = """\
disclosure:
  office:
    name: 党政综合办公室
    address: 永岁街1号
    hours: 工作日 8:00-12:00
    phone: 0773-4800101
    fax: 0773-4800109
  reading_points: [镇政务服务中心查阅点]
  remedies:
    - kind: 行政复议
      body: 全州县人民政府
  updated: 2026-03-02
"""


def guide_warnings(tmp_path: Path, site_yaml: str) -> list[str]:
    from sitekit import SITE_YAML

    content = make_site(tmp_path, {"site.yaml": SITE_YAML + site_yaml})
    _, diags = check_content(content.relative_to(tmp_path), date(2026, 11, 26))
    return [d.text() for d in diags.warnings if "指南未更新" in d.text()]


def test_guide_digest_warns_until_confirmed_and_again_after_a_change(tmp_path: Path) -> None:
    [first] = guide_warnings(tmp_path, GUIDE_YAML)
    assert first.startswith("content/site.yaml:24:3: 警告: 指南未更新：") and "指南更新日期仍为 2026-03-02" in first
    digest = re.search(r"disclosure\.digest 改为 ([0-9a-f]{12})", first).group(1)  # type: ignore[union-attr]
    confirmed = GUIDE_YAML + f"  digest: {digest}\n"
    assert guide_warnings(tmp_path, confirmed) == []
    changed = confirmed.replace("0773-4800101", "0773-4800111")
    [again] = guide_warnings(tmp_path, changed)
    assert again.startswith("content/site.yaml:25:3: 警告: 指南未更新：")
    assert digest not in again.split("改为 ")[-1]
    # the date alone does not confirm a change: the digest must be updated too
    assert len(guide_warnings(tmp_path, changed.replace("2026-03-02", "2026-11-26"))) == 1


def test_guide_page_shows_the_office_channels_and_remedies(built) -> None:  # type: ignore[no-untyped-def]
    from sitekit import SITE_YAML

    site, result = built({"site.yaml": SITE_YAML + GUIDE_YAML})
    assert result.ok
    text = re.sub(r"<[^>]+>", "", main_part((site / "disclosure-guide.html").read_text(encoding="utf-8")))
    for shown in ("更新日期：2026-03-02", "一、政府信息的分类", "社会救助", "受理机构党政综合办公室", "传真0773-4800109",
                  "政府信息公开查阅点：镇政务服务中心查阅点", "20个工作日", "不收取费用", "行政复议：全州县人民政府"):
        assert shown in text, shown
    assert "电子邮箱" not in text  # not configured, not shown


def test_guide_page_without_configuration_gives_the_legal_channels(built) -> None:  # type: ignore[no-untyped-def]
    site, result = built()
    assert result.ok
    text = re.sub(r"<[^>]+>", "", main_part((site / "disclosure-guide.html").read_text(encoding="utf-8")))
    assert "更新日期" not in text and "依法申请行政复议或者提起行政诉讼" in text


def test_example_guide_is_linked_from_the_navigation(example_site: Path) -> None:
    html = (example_site / "index.html").read_text(encoding="utf-8")
    nav = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
    assert ("disclosure-guide.html", "公开指南") in links(nav)
    assert "0773-4800109" in (example_site / "disclosure-guide.html").read_text(encoding="utf-8")


IDENTITY_YAML = """\
identity:
  sponsor: 全州县永岁镇人民政府
  site_code: "4503240001"
  icp: 桂ICP备12345678号
  error_report_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4503240001
"""


def footer_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html.split('<footer class="footer">', 1)[1])


def test_identity_fields_are_shown_in_every_footer_when_set(built) -> None:  # type: ignore[no-untyped-def]
    from sitekit import SITE_YAML

    site, result = built({"site.yaml": SITE_YAML + IDENTITY_YAML})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    for rel in ("index.html", "systems.html", "catalog/index.html"):
        html = (site / rel).read_text(encoding="utf-8")
        text = footer_text(html)
        assert "主办单位：全州县永岁镇人民政府" in text and "网站标识码：4503240001" in text and "桂ICP备12345678号" in text
        assert '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4503240001">我为政府网站找错</a>' in html
        assert "公安机关" not in text and "党政机关网站标识" not in text  # unset: not shown


def test_no_identity_is_invented_for_the_example(example_site: Path) -> None:
    text = footer_text((example_site / "index.html").read_text(encoding="utf-8"))
    assert "网站标识码" not in text and "ICP备" not in text and "主办单位" not in text


def test_malformed_site_code_is_an_error_at_its_line(tmp_path: Path) -> None:
    from sitekit import SITE_YAML

    content = make_site(tmp_path, {"site.yaml": SITE_YAML + IDENTITY_YAML.replace('"4503240001"', '"45-03"')})
    _, diags = check_content(content.relative_to(tmp_path), date(2026, 11, 26))
    [err] = [d.text() for d in diags.errors]
    assert err == "content/site.yaml:15:14: 错误: “site_code”（网站标识码）的值“45-03”格式不正确（政府网站标识码，10 位）"
