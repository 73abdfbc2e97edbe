"""Search on the example town, in headless Chromium over file:// and http://: typed queries,
文号, mixed queries, relevance of 36 realistic queries, and nothing withheld ever found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitekit import TODAY

from gongkai.loading import load_content
from gongkai.models import Attribute
from gongkai.validate import validate

REPO = Path(__file__).resolve().parent.parent

# (query as a villager would type it, the document that must be in the top 5)
RELEVANCE = [
    ("高龄津贴 办法", "2024/gaoling-jintie-shenling-fafang-banfa"),
    ("永政发〔2024〕12号", "2024/gaoling-jintie-shenling-fafang-banfa"),
    ("2024 预算", "2024/yusuan-2024"),
    ("2023年 决算", "2024/juesuan-2023"),
    ("低保 实施细则", "2025/dibao-shenhe-queren-shishi-xize"),
    ("低保 简明问答", "2025/dibao-shenhe-queren-shishi-xize-jiedu"),
    ("井头村 低保", "2026/jingtou-dibao-chushen-gongshi-2026-11"),
    ("慕道村 第三季度 财务", "2026/mudao-caiwu-2026-q3"),
    ("危房改造 补助对象名单 2024", "2024/weifang-gaizao-buzhu-mingdan-2024"),
    ("东岭村 危房", "2026/dongling-weifang-gaizao-gongshi-2026"),
    ("控辍保学 通知", "2024/kongchuo-baoxue-tongzhi-2024"),
    ("永政办发〔2024〕21号", "2024/kongchuo-baoxue-tongzhi-2024"),
    ("耕地地力保护补贴 2026", "2026/gengdi-dili-baohu-butie-2026"),
    ("临时救助 第三季度", "2026/linshi-jiuzhu-2026-q3"),
    ("敬老院 中标", "2025/jinglaoyuan-gaikuojian-zhongbiao-gonggao"),
    ("征地补偿安置方案", "2025/tdzs-buchang-anzhi-fangan-gonggao"),
    ("县道改线 预公告", "2025/tdzs-yugonggao-xitang-shimen"),
    ("政府信息公开工作年度报告 2025年", "2026/zhengwu-gongkai-niandu-baogao-2025"),
    ("政务公开工作要点 2026", "2026/zhengwu-gongkai-gongzuo-yaodian-2026"),
    ("标准化规范化 实施计划", "2020/zhengwu-gongkai-biaozhunhua-shishi-fangan"),
    ("永政发〔2020〕36号", "2020/zhengwu-gongkai-biaozhunhua-shishi-fangan"),
    ("第8次 镇长办公会议", "2026/changwu-huiyi-jiyao-2026-08"),
    ("鱼塘 发包", "2024/jingtou-cunmin-daibiao-huiyi-jiyao-2024-09"),
    ("乡村振兴 项目库", "2024/xczx-xiangmu-ku-2025"),
    ("衔接资金 实施情况", "2026/xczx-xiangmu-shishi-2026"),
    ("惠民惠农 政策清单 2026", "2026/huimin-huinong-butie-zhengce-qingdan-2026"),
    ("特困 石门村", "2026/shimen-tekun-shenhe-gongshi-2026-09"),
    ("上湾村 学生 补助", "2025/shangwan-xuesheng-zizhu-gongshi-2025"),
    ("规范村级财务公开 意见", "2026/cunji-caiwu-gongkai-guifan-yijian"),
    ("永政发〔2026〕5号", "2026/cunji-caiwu-gongkai-guifan-yijian"),
    ("废止 文件 决定", "2026/feizhi-bufen-wenjian-jueding"),
    ("排水管网", "2024/zhenqu-paishui-gongcheng-jiesuan-shenji"),
    ("土地经营权流转 备案", "2023/tudi-liuzhuan-hetong-beian-dengjice"),
    ("永岁社区 10月 财务", "2026/yongsui-shequ-caiwu-2026-10"),
    ("三公经费 2026 预算", "2026/yusuan-2026"),
    ("永政办发〔2026〕19号", "2026/nongtian-shuili-weixiu-zijin-xiada"),
]

RUN_JS = """async ([queries]) => {
  const out = {};
  for (const q of queries) {
    const r = await window.GongkaiSearch.run(q, {}, 1);
    out[q] = {total: r.total, urls: r.docs.slice(0, 5).map(d => d.u)};
  }
  return out;
}"""


@pytest.fixture(scope="module")
def example_docs():  # type: ignore[no-untyped-def]
    site, diags = validate(load_content(REPO / "content"), TODAY)
    assert site is not None, [d.text() for d in diags.errors]
    return site


def _base(example_site: Path, serve_dir, transport: str) -> str:  # type: ignore[no-untyped-def]
    return example_site.resolve().as_uri() + "/" if transport == "file" else serve_dir(example_site)


def _run(page, queries: list[str]) -> dict:  # type: ignore[no-untyped-def,type-arg]
    page.wait_for_function("window.GongkaiSearch && window.GongkaiSearch.run")
    return page.evaluate(RUN_JS, [queries])


@pytest.mark.parametrize("transport", ["file", "http"])
def test_relevance_top5(page, example_site: Path, serve_dir, transport: str) -> None:  # type: ignore[no-untyped-def]
    assert len(RELEVANCE) >= 30
    page.goto(_base(example_site, serve_dir, transport) + "search.html")
    results = _run(page, [q for q, _ in RELEVANCE])
    misses = [
        (q, want, results[q]["urls"]) for q, want in RELEVANCE
        if f"documents/{want}.html" not in results[q]["urls"]
    ]
    assert not misses, "expected document not in top 5:\n" + "\n".join(map(str, misses))
    assert page.js_errors == []


@pytest.mark.parametrize("transport", ["file", "http"])
def test_typed_queries_show_results(page, example_site: Path, serve_dir, transport: str) -> None:  # type: ignore[no-untyped-def]
    base = _base(example_site, serve_dir, transport)
    page.goto(base + "index.html")
    box = page.locator("#q-top")
    box.fill("高龄津贴")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    first = page.locator("#search-results a").first
    first.wait_for()
    assert "高龄津贴" in page.locator("#search-results").inner_text()
    assert page.locator("#search-results mark").count() > 0
    assert "找到" in page.locator("#search-results .search-status").inner_text()
    # a 文号 and a mixed query, typed into the results page itself (URL keeps the query)
    for query, title in (("永政发〔2025〕9号", "最低生活保障审核确认工作实施细则"), ("2026 临时救助", "临时救助情况公示")):
        page.locator("#q").fill(query)
        page.locator("#q").press("Enter")
        page.wait_for_function("q => decodeURIComponent(location.search).includes(q)", arg=query.replace(" ", "+") if False else query.split()[0])
        page.locator("#search-results a", has_text=title).first.wait_for()
    # shareable: opening the URL again shows the same results
    url = page.url
    page.goto(url)
    page.locator("#search-results a", has_text="临时救助情况公示").first.wait_for()
    assert page.js_errors == []


def test_withheld_and_on_request_bodies_never_found(page, example_site: Path, example_docs) -> None:  # type: ignore[no-untyped-def]
    page.goto(example_site.resolve().as_uri() + "/search.html")
    probes: dict[str, str] = {}
    for doc_id, entry in example_docs.documents.items():
        meta = entry.model
        text = re.sub(r"[\s|#*>\-:：，。、（）()“”]+", "", entry.body)
        if meta.attribute is Attribute.WITHHELD:
            probes[meta.title] = doc_id
            if len(text) > 40:
                probes[text[20:32]] = doc_id
            if meta.doc_number:
                probes[meta.doc_number] = doc_id
        elif meta.attribute is Attribute.ON_REQUEST and len(text) > 60:
            probes[text[40:52]] = doc_id  # body text: metadata only is public
    assert len(probes) >= 10
    results = _run(page, list(probes))
    for query, doc_id in probes.items():
        assert f"documents/{doc_id}.html" not in results[query]["urls"], f"{doc_id} found by {query!r}"
        if example_docs.documents[doc_id].model.attribute is Attribute.WITHHELD:
            assert not any(doc_id in u for u in results[query]["urls"])
    # on-request documents are found by their metadata
    on_request = [d for d in example_docs.documents.values() if d.model.attribute is Attribute.ON_REQUEST]
    meta_results = _run(page, [d.model.title for d in on_request])
    for d in on_request:
        assert f"documents/{d.id}.html" in meta_results[d.model.title]["urls"]
