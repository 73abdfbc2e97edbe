"""Search benchmarks: synthetic county-scale corpus, index build timing, per-query bytes.

Run ``python benchmarks/search_bench.py build --docs 10000`` to time ``build_search_files`` and
print sizes, or ``python benchmarks/search_bench.py browser --docs 10000`` to also write a site
and measure bytes loaded and query time in headless Chromium (``measure``). Add ``--content
benchmarks/work/content-10000`` (see ``benchmarks/generate.py``) to index real content instead.

Why synthetic text is generated from a Zipf-distributed vocabulary of government words: uniform
random characters would give far more distinct bigrams than real documents and overstate the
index size; real disclosure texts repeat a small vocabulary (公示, 村民委员会, 资金, 审核 ...).
This corpus is a harsh case: every body is 800 CJK-dense characters and a handful of words
occur in almost every document.

``python benchmarks/search_bench.py phrases --docs 50000 --out DIR --json-out FILE`` (add
``--vocab real`` for a jieba-vocabulary paragraph in every body) measures held-out exact phrases
as ``run.py --search-only`` does on built sites (``phrase_queries``/``record_phrases``,
``measure``, ``summary``). Figures of the current format: docs/performance.md, "Search downloads
at county scale".
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.search import SearchRecord, build_search_files

#: Frequent characters of modern Chinese (and of administrative writing).
COMMON_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质村镇乡街办保障"
    "救助低收入审核公示申请补贴养老医疗卫生教育就业安全生产环境保护交通道路建设规划土地住房财政"
    "预算决算项目资金采购招标投标会议通知公告方案实施意见办法规定管理服务群众居民委员户籍人口"
)

#: Domain words and phrases, most frequent first (Zipf ranks).
GOV_WORDS = ["村民委员会", "最低生活保障", "特困人员", "社会救助", "临时救助", "公示", "通知", "公告", "资金", "审核", "审批", "申请", "发放", "标准", "财政", "预算", "决算", "项目", "建设", "乡村振兴", "脱贫", "农村", "人居环境", "整治", "道路", "硬化", "饮水", "安全", "耕地", "保护", "补贴", "种粮", "农机", "医疗", "保险", "养老", "残疾人", "两项补贴", "高龄", "津贴", "退役军人", "优抚", "防汛", "抗旱", "森林", "防火", "应急", "管理", "安全生产", "检查", "整改", "疫情", "防控", "教育", "学校", "营养", "改善", "计划", "宅基地", "审批", "建房", "土地", "承包", "经营权", "流转", "集体", "经济", "收益", "分配", "党务", "村务", "财务", "公开", "监督", "举报", "电话", "地址", "邮编", "办理", "时限", "材料", "身份证", "户口簿", "结果", "名单", "户主", "家庭", "人口", "金额", "元", "季度", "年度", "月份", "镇人民政府", "镇政府", "党委", "街道", "办事处", "社区", "网格", "志愿", "服务", "活动", "会议", "精神"]


def synthetic_text(rng: random.Random, length: int) -> str:
    """About ``length`` characters of gov-flavoured Chinese with punctuation and numbers."""
    words = GOV_WORDS
    weights = [1 / (rank + 1) for rank in range(len(words))]
    out: list[str] = []
    size = 0
    while size < length:
        sentence = []
        for _ in range(rng.randint(4, 12)):
            roll = rng.random()
            if roll < 0.45:
                word = rng.choices(words, weights)[0]
            elif roll < 0.93:
                word = "".join(rng.choice(COMMON_CHARS) for _ in range(rng.randint(1, 3)))
            else:
                word = str(rng.randint(1, 3000))
            sentence.append(word)
            sentence.append("，" if rng.random() < 0.2 else "")
        text = "".join(sentence).rstrip("，") + rng.choice("。。。；")
        out.append(text)
        size += len(text)
    return "".join(out)


AREAS = (
    ("shjz", "社会救助"),
    ("czyjs", "财政预决算"),
    ("xczx", "乡村振兴"),
    ("aqsc", "安全生产"),
    ("ylbz", "养老服务"),
    ("ggws", "公共卫生"),
    ("zdjs", "重大建设项目"),
    ("zwfw", "政务服务"),
)
KINDS = ("通知", "公告", "公示", "方案", "解读", "办事指南", "征求意见")
VILLAGES = (
    ("jingtou", "井头村"),
    ("shangba", "上坝村"),
    ("xiahe", "下河村"),
    ("dongshan", "东山村"),
    ("xipo", "西坡村"),
    ("nanling", "南岭村"),
    ("beitang", "北塘村"),
    ("zhongxin", "中心社区"),
)


def synthetic_records(n: int, body_chars: int = 800, seed: int = 7) -> list[SearchRecord]:
    """``n`` deterministic records; every 10th one is 依申请公开 (metadata only, empty body)."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        area_slug, area = AREAS[i % len(AREAS)]
        year = 2019 + i % 6
        month, day = 1 + i % 12, 1 + i % 28
        kind = KINDS[i % len(KINDS)]
        vill = VILLAGES[: (i // 3) % 3] if i % 4 else ()
        on_request = i % 10 == 9
        title = synthetic_text(rng, 18)[:18].rstrip("。；，") + kind
        records.append(
            SearchRecord(
                id=f"{year}/{area_slug}-{i:05d}",
                url=f"documents/{year}/{area_slug}-{i:05d}.html",
                title=title,
                doc_number=f"永政发〔{year}〕{i % 97 + 1}号" if i % 3 == 0 else "",
                index_number=f"11450324MB1234567X/{year}-{i:05d}",
                kind=kind,
                date=f"{year}-{month:02d}-{day:02d}",
                area=area,
                area_slug=area_slug,
                item=f"{area} / 审核信息",
                villages=tuple(v[1] for v in vill),
                village_slugs=tuple(v[0] for v in vill),
                attribute_label="此件可依申请公开" if on_request else "此件公开发布",
                body="" if on_request else synthetic_text(rng, body_chars),
            )
        )
    return records


def records_from_content(content: Path, today: str = "2026-11-26") -> list[SearchRecord]:
    """The search records ``gongkai build`` would index for a content folder (e.g. one written
    by ``benchmarks/generate.py``), via the same stages as ``gongkai.build.build``."""
    from datetime import date

    from gongkai.cache import BuildCache, fingerprint
    from gongkai.indexing import search_records
    from gongkai.loading.cached import load_content
    from gongkai.render import Renderer
    from gongkai.render.parallel import convert_bodies
    from gongkai.resources import template_dirs
    from gongkai.validate import validate

    cache = BuildCache(None, content, ROOT / "benchmarks" / "out", fingerprint(template_dirs(None)))
    site, _ = validate(load_content(content, cache, 1), date.fromisoformat(today))
    if site is None:
        raise SystemExit(f"{content} does not validate")
    renderer = Renderer(site, None, "")
    convert_bodies(renderer, cache, 1)
    return search_records(site, renderer.cat)


def time_build(records: Sequence[SearchRecord]) -> dict[str, Any]:
    """Build the search files once; report seconds, file count, sizes by folder."""
    start, cpu = time.perf_counter(), time.process_time()
    files = build_search_files(records)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    by_dir: dict[str, int] = {}
    for path, data in files.items():
        folder = path.rsplit("/", 1)[0]
        by_dir[folder] = by_dir.get(folder, 0) + len(data)
    shard_sizes = sorted(len(d) for p, d in files.items() if p.startswith("search/shards/"))
    meta = files["search/meta.js"].decode()
    return {
        "docs": len(records),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "files": len(files),
        "total_bytes": sum(len(d) for d in files.values()),
        "bytes_by_folder": by_dir,
        "shards": len(shard_sizes),
        "shard_bytes_median": shard_sizes[len(shard_sizes) // 2] if shard_sizes else 0,
        "shard_bytes_max": shard_sizes[-1] if shard_sizes else 0,
        "meta_bytes": len(meta.encode()),
        "_files": files,
    }


SEARCH_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title></head><body>
<form class="search-form" action="search.html" role="search">
<label for="q">搜索</label><input id="q" name="q" type="search"><button>搜索</button></form>
<select name="area"><option value="">全部领域</option></select>
<select name="village"><option value="">全部村（社区）</option></select>
<select name="kind"><option value="">全部类别</option></select>
<select name="year"><option value="">全部年份</option></select>
<div id="search-results"></div>
<script src="assets/search.js" data-root=""></script>
<script src="search/meta.js"></script>
</body></html>
"""


def write_site(site_dir: Path, files: dict[str, bytes]) -> Path:
    """Write a minimal search site (search.html + assets + search files) for measuring."""
    (site_dir / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "templates" / "assets" / "search.js", site_dir / "assets" / "search.js")
    (site_dir / "search.html").write_text(SEARCH_PAGE, encoding="utf-8")
    for rel, data in files.items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return site_dir / "search.html"


def phrase_queries(content: Path, n: int = 20, seed: int = 19) -> list[tuple[str, str]]:
    """``n`` held-out queries: each an exact phrase (4 to 8 consecutive Chinese characters,
    no punctuation) of the body of a 主动公开 document of ``content``, with that document's URL.

    Held out: drawn at random (seeded) from the documents, never from the queries the index
    was tuned on; a phrase may occur in other documents too, but must find its own.
    """
    import re

    rng = random.Random(seed)
    paths = sorted((content / "documents").rglob("*.md"))
    out: list[tuple[str, str]] = []
    while len(out) < n:
        path = rng.choice(paths)
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        if 'attribute: "主动公开"' not in front:
            continue
        runs = [r for line in body.splitlines() if not line.startswith(("#", "|"))
                for r in re.findall(r"[\u4e00-\u9fff]{8,}", line)]
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(4, 8)
        start = rng.randrange(len(run) - size + 1)
        url = "documents/" + path.relative_to(content / "documents").with_suffix(".html").as_posix()
        out.append((run[start : start + size], url))
    return out


def doc_refs(site_dir: Path) -> dict[str, int]:
    """URL -> document number in the search index (from the doc-store chunks)."""
    meta_text = (site_dir / "search" / "meta.js").read_text(encoding="utf-8")
    per = json.loads(meta_text[meta_text.index("(") + 1 : meta_text.rindex(")")])["docsPerChunk"]
    refs: dict[str, int] = {}
    for path in (site_dir / "search" / "docs").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        chunk = int(path.stem)
        for i, entry in enumerate(json.loads(text[text.index(",") + 1 : -3])):
            refs[entry["u"]] = chunk * per + i
    return refs


def measure(site_dir: Path, queries: Sequence[str], repeats: int = 5,
            expect: dict[str, int] | None = None) -> dict[str, Any]:
    """Bytes loaded before the first results of each query, time to results, query times.

    Served over loopback HTTP so the browser reports what it fetched. For each query a fresh
    page (empty cache) is opened at ``search.html?q=...`` and every response body is counted
    until the results are shown: raw, and gzip-compressed at level 6 as a compressing web host
    sends text (page, styles, scripts, meta, shards, blocks, lengths, doc chunks; the
    highlights come after). Time to results is the ``gongkai-results`` performance mark
    (milliseconds since navigation; loopback, so it is decoding and scoring more than the
    network). Then the query is re-run ``repeats`` times in the loaded page through
    ``GongkaiSearch.run`` with the hit cache cleared (index files already loaded) and the median
    wall time is reported, plus the median of the cached case (turning to page 2). ``expect``
    maps a query to the document number it must find among all its hits (read by asking for
    the last page, after the measurements of the first). ``total`` is the count the first page
    shows (``total_estimated``: "找到约 N 条", from the first impact tiers).
    """
    import gzip

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    handler = partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results: dict[str, Any] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
            for query in queries:
                page = browser.new_page()
                loaded: list[tuple[str, int, int]] = []

                def seen(r: Any, out: list[tuple[str, int, int]] = loaded) -> None:
                    try:
                        body = r.body() if r.ok else b""
                    except PlaywrightError:  # the page closed while reading a later fetch's body
                        return
                    out.append((r.url, len(body), len(gzip.compress(body, 6, mtime=0)) if body else 0))

                page.on("response", seen)
                page.goto(base + "search.html?q=" + query)
                page.wait_for_function(
                    "document.getElementById('search-results').dataset.state === 'done'",
                    timeout=120_000,
                )
                first = list(loaded)
                page.remove_listener("response", seen)  # what the later pages fetch is not counted
                mark = page.evaluate("(performance.getEntriesByName('gongkai-results')[0] || {}).startTime || null")
                shown = page.evaluate("[window.GongkaiSearch.last.total, window.GongkaiSearch.last.estimated]")
                found = None
                if expect is not None and query in expect:
                    # Among all hits: the last page reads them all (the first page may be
                    # the first impact tiers' hits only).
                    found = page.evaluate(
                        """async ([q, n]) => {
                            const r = await window.GongkaiSearch.run(q, {}, 1e9);
                            return r.hits.some((h) => h.n === n);
                        }""",
                        [query, expect[query]],
                    )
                times = page.evaluate(
                    """async ([q, n]) => {
                        const uncached = [], cached = [];
                        for (let i = 0; i < n; i++) {
                            window.GongkaiSearch.clearCache();
                            let t = performance.now();
                            await window.GongkaiSearch.run(q, {});
                            uncached.push(performance.now() - t);
                            t = performance.now();
                            await window.GongkaiSearch.run(q, {}, 2);
                            cached.push(performance.now() - t);
                        }
                        return [uncached, cached];
                    }""",
                    [query, repeats],
                )
                kinds: dict[str, int] = {}
                for url, _, packed in first:
                    rel = url[len(base):].split("?")[0]
                    kind = rel.split("/")[1] if rel.startswith("search/") and rel.count("/") > 1 else rel
                    kinds[kind] = kinds.get(kind, 0) + packed
                results[query] = {
                    "bytes_before_results": sum(raw for _, raw, _ in first),
                    "gzip_bytes_before_results": sum(packed for _, _, packed in first),
                    "gzip_bytes_by_kind": kinds,
                    "requests": len(first),
                    "ms_to_results": round(mark, 1) if mark is not None else None,
                    "total": shown[0],
                    "total_estimated": shown[1],
                    "found": found,
                    "median_ms": round(statistics.median(times[0]), 1),
                    "median_ms_page2_cached": round(statistics.median(times[1]), 1),
                }
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """Medians and maxima of ``measure``'s figures."""
    raw = [r["bytes_before_results"] for r in results.values()]
    packed = [r["gzip_bytes_before_results"] for r in results.values()]
    to_results = [r["ms_to_results"] for r in results.values() if r["ms_to_results"] is not None]
    found = [r["found"] for r in results.values() if r["found"] is not None]
    return {
        "queries": len(results),
        "bytes_median": int(statistics.median(raw)), "bytes_max": max(raw),
        "gzip_bytes_median": int(statistics.median(packed)), "gzip_bytes_max": max(packed),
        "ms_to_results_median": round(statistics.median(to_results), 1) if to_results else None,
        "ms_to_results_max": max(to_results) if to_results else None,
        "query_ms_median": round(statistics.median(r["median_ms"] for r in results.values()), 1),
        "found": f"{sum(found)}/{len(found)}" if found else None,
    }


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def record_phrases(records: Sequence[SearchRecord], n: int = 20, seed: int = 19) -> list[tuple[str, str]]:
    """``phrase_queries`` for records instead of a content folder: ``n`` exact phrases (4 to 8
    consecutive Chinese characters) of public bodies, with their documents' URLs."""
    import re

    rng = random.Random(seed)
    public = [r for r in records if r.body]
    out: list[tuple[str, str]] = []
    while len(out) < n:
        record = rng.choice(public)
        runs = re.findall(r"[\u4e00-\u9fff]{8,}", record.body)
        if runs:
            run = rng.choice(runs)
            size = rng.randint(4, 8)
            start = rng.randrange(len(run) - size + 1)
            out.append((run[start : start + size], record.url))
    return out


def real_vocab_records(records: Sequence[SearchRecord], words: int = 300, seed: int = 3) -> list[SearchRecord]:
    """The records with a paragraph of ``words`` words drawn by frequency from jieba's word list
    appended to every public body (``real_vocab.paragraph``, as ``generate.py --vocab real``)."""
    from dataclasses import replace

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from real_vocab import paragraph

    rng = random.Random(seed)
    return [replace(r, body=r.body + paragraph(rng, words)) if r.body else r for r in records]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("build", "browser", "phrases"))
    parser.add_argument("--vocab", choices=("synthetic", "real"), default="synthetic")
    parser.add_argument("--json-out", type=Path, help="phrases: write the figures here")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=800)
    parser.add_argument("--content", type=Path, help="index this content folder instead")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "search-site")
    args = parser.parse_args(argv)
    if args.content:
        records = records_from_content(args.content)
    else:
        records = synthetic_records(args.docs, args.chars)
    if args.vocab == "real":
        records = real_vocab_records(records)
    report = time_build(records)
    files = report.pop("_files")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.mode == "phrases":  # held-out exact phrases, as run.py --search-only on built sites
        if args.out.exists():
            shutil.rmtree(args.out)
        write_site(args.out, files)
        del files
        refs = doc_refs(args.out)
        phrases = record_phrases(records)
        results = measure(args.out, [q for q, _ in phrases], expect={q: refs[url] for q, url in phrases})
        figures = {"docs": len(records), "vocab": args.vocab, **{k: v for k, v in report.items() if k != "bytes_by_folder"},
                   **summary(results), "phrases": results}
        print(json.dumps(summary(results), ensure_ascii=False))
        if args.json_out:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            args.json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.mode == "browser":
        if args.out.exists():
            shutil.rmtree(args.out)
        write_site(args.out, files)
        queries = [
            "低保 公示", "2024 低保", "社会救助 资金", "道路 硬化", "临时救助 名单",
            "最低生活保障", "永政发〔2024〕12号", "青政发〔2024〕27号", "村", "预算:x",
        ]
        print(json.dumps(measure(args.out, queries), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
