"""The performance benchmark: one command, one figures file.

    python benchmarks/run.py --docs 10000 --out benchmarks/out/bench-10000.json

In one run, on the same generated content (cached in `benchmarks/work/`):

1. the floor (`floor.py`): the same document pages from a minimal script with the libyaml C
   loader on 2 processes (`floor_s`, what the clean build is a ratio of), and the earlier
   pure-Python single-process floor beside it (`floor_pure_1_s`), for comparison;
2. a clean full build (`python -m gongkai build ... -q`, no site and no cache): wall time, peak
   RSS of the build's processes, stage timings (via `$GONGKAI_TIMINGS`);
3. a no-change rebuild, a rebuild after editing one document's body, one after editing its
   title and one after adding a new notice (`add_document_*`: the edit a town makes most, which
   no quick rebuild takes), each as seconds and as a share of this run's clean build (`*_share`,
   so that a slower machine cannot hide them), and a check that each edited output is
   byte-identical to a clean build of the edited content;
4. search: total bytes of `site/search/`, bytes a browser loads before the first results of
   two-word queries and the median query time in headless Chromium (via `search_bench.measure`),
   or a file-based estimate of the bytes when no browser is available; then (issue 19) 20
   held-out exact phrases of public documents on this corpus and on the real-vocabulary corpus
   (`generate.py --vocab real`, built once more): bytes before the first results raw and gzip,
   time to results, query time, and whether each phrase finds its document (`--search-only`
   does only this part).

Figures are written as JSON; `docs/performance.md` explains them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
TODAY = "2026-11-26"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import yaml
from generate import ensure_content

#: Two-word queries a villager might type (they all hit the generated vocabulary).
QUERIES = [
    "低保 公示", "高龄津贴 发放", "村级财务 公开", "耕地 补贴", "危房 改造", "特困 供养", "临时救助 资金",
    "学生资助 名单", "防汛 抗旱", "安全生产 检查", "衔接资金 项目", "人居环境 整治", "预算 公开",
    "政府信息 年度报告", "土地征收 预公告", "养老 服务", "控辍保学 劝返", "集体资产 清产核资",
    "村民代表 会议", "宅基地 管理",
]


class Sampler(threading.Thread):
    """Polls the proportional set size (PSS) of a process tree: shared pages counted once.

    Reading `smaps_rollup` costs the kernel time in proportion to the process's memory (~20 ms
    for a 1.4 GB process), taken from the build it measures on a 2-core machine: polled every
    50 ms it would use half a core at 50k documents and a fifth at 10k, and make the larger
    build look slower than it is. So the pause after each sample is at least `DUTY` times the
    sample's own duration: the sampler never uses more than 5 % of one core.
    """

    DUTY = 19

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb, self.running = pid, every, 0, True

    def tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def run(self) -> None:
        while self.running:
            started = time.perf_counter()
            total = 0
            for pid in self.tree():
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as f:
                        for line in f:
                            if line.startswith("Pss:"):
                                total += int(line.split()[1])
                                break
                except OSError:
                    pass
            self.peak_kb = max(self.peak_kb, total)
            time.sleep(max(self.every, self.DUTY * (time.perf_counter() - started)))


def snapshot_code(n: int | str, work: Path | None = None) -> Path:
    """A copy of `gongkai/` and `templates/` that every build of this run uses.

    The cache rightly starts over when the code or the templates change; in a tree where
    others commit while a 50,000-document run takes half an hour, building from the live files
    would measure that instead of incremental builds.
    """
    snap = (work or WORK) / f"code-{n}"
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(ROOT / "gongkai", snap / "gongkai", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", snap / "templates")
    if (ROOT / "node_modules").is_dir():
        (snap / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return snap


CODE: Path = ROOT  # set to the snapshot by main()


def run_build(content: Path, out: Path, cache: Path | None, timings: Path, sample: bool = False,
              code: Path | None = None) -> dict[str, Any]:
    """One `gongkai build` subprocess of `code` (default: this run's snapshot): wall seconds,
    peak RSS, stage timings, summary."""
    code = code or CODE
    env = dict(os.environ, GONGKAI_TIMINGS=str(timings), PYTHONPATH=str(code))
    if cache is None:
        env["GONGKAI_NO_CACHE"] = "1"
    else:
        env["GONGKAI_CACHE_DIR"] = str(cache)
        env.pop("GONGKAI_NO_CACHE", None)
    timings.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "gongkai", "build", "--content", str(content), "--out", str(out), "--today", TODAY, "-q",
           "--templates", str(code / "templates")]
    start, cpu = time.perf_counter(), children_cpu_s()
    proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if sampler:
        sampler.running = False
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{stdout}\n{stderr[-4000:]}")
    data = json.loads(timings.read_text(encoding="utf-8"))
    match = re.search(r"(\d+) 个页面(?:（[^）]*）)?，共 (\d+) 个文件", stdout + stderr)  # "（含公示栏打印页 N 个）"
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(children_cpu_s() - cpu, 3),
        "timings": data["timings"],
        "stats": data["stats"],
        "pages": int(match.group(1)) if match else None,
        "files": int(match.group(2)) if match else None,
        "pss_peak_mb": round(sampler.peak_kb / 1024, 1) if sampler else None,
    }


def children_cpu_s() -> float:
    """User + system CPU seconds of every finished (waited-for) child process so far, their own
    children included: a measure of work that the speed drift of a shared VM disturbs less than
    wall time (compare `full_build_cpu_s` across sizes for linearity)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """Largest RSS of any finished child process so far (Linux reports kilobytes)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def tree_diff(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two folders (missing on one side or other bytes)."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    fa, fb = files(a), files(b)
    out = sorted(set(fa) ^ set(fb))
    out += sorted(rel for rel in set(fa) & set(fb) if fa[rel].read_bytes() != fb[rel].read_bytes())
    return out


def edit_target(content: Path) -> Path:
    """The first 主动公开 document without a summary: editing its body changes its page, its
    summary in every listing, item, village and feed, and the search index."""
    for path in sorted((content / "documents").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("---\n", 2)[1]
        if "主动公开" in front and "summary:" not in front:
            return path
    raise SystemExit("no document to edit")


def edit(path: Path) -> bytes:
    original = path.read_bytes()
    head, front, body = original.decode("utf-8").split("---\n", 2)
    body = "（更新）本文件于今日作了补充说明，请以本版本为准。\n\n" + body
    path.write_text(head + "---\n" + front + "---\n" + body, encoding="utf-8")
    return original


def edit_title(path: Path) -> bytes:
    """A new title (the edit that changes the most pages short of a structural one)."""
    original = path.read_bytes()
    head, front, body = original.decode("utf-8").split("---\n", 2)
    # the new title written as a JSON string (valid YAML whether the old one was quoted or not)
    lines = [f"title: {json.dumps(yaml.safe_load(line)['title'] + '（修订）', ensure_ascii=False)}" if line.startswith("title:")
             else line for line in front.split("\n")]
    path.write_text(head + "---\n" + "\n".join(lines) + "---\n" + body, encoding="utf-8")
    return original


def add_document(content: Path, target: Path) -> Path:
    """A new 主动公开 notice in the target's item, written on the benchmark's day: what a town
    does most often (it publishes something), and an edit no quick rebuild takes."""
    item = yaml.safe_load(target.read_text(encoding="utf-8").split("---\n", 2)[1]).get("item")
    new = content / "documents" / TODAY[:4] / "bench-added-notice.md"
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text("---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in (
        ("title", "关于开展冬季森林防火宣传的通知"), ("item", item), ("attribute", "主动公开"), ("kind", "通知"))) +
        f"created: {TODAY}\npublished: {TODAY}\n---\n\n各村（社区）：请做好冬季森林防火宣传，落实巡查值守。\n",
        encoding="utf-8")
    return new


def dir_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def phrase_figures(content: Path, site: Path) -> dict[str, Any]:
    """Held-out exact-phrase queries (search_bench.phrase_queries) in headless Chromium: bytes
    before the first results (raw and gzip), time to results, query time, and whether each
    finds the document it was taken from."""
    from search_bench import doc_refs, measure, phrase_queries, summary

    refs = doc_refs(site)
    phrases = phrase_queries(content)
    results = measure(site, [q for q, _ in phrases], repeats=5, expect={q: refs[url] for q, url in phrases})
    return {"search_index_bytes": dir_bytes(site / "search"), **summary(results), "phrases": results}


def search_only(n: int, out: Path, vocabs: tuple[str, ...] = ("synthetic", "real")) -> int:
    """`--search-only`: build the generator's corpus and the real-vocabulary corpus (clean
    builds, no cache) and measure held-out phrase queries on both."""
    figures: dict[str, Any] = {"docs": n, "cpus": os.cpu_count(), "load_average_before": load_average()}
    for vocab in vocabs:
        content = ensure_content(WORK, n, vocab=vocab)
        site = WORK / f"site-{vocab}-{n}"
        shutil.rmtree(site, ignore_errors=True)
        build = run_build(content, site, None, WORK / f"timings-{vocab}-{n}.json")
        figures[vocab] = {"build_s": build["wall_s"], "index_build_s": build["stats"].get("index_s"),
                          **phrase_figures(content, site)}
        print(vocab, json.dumps({k: v for k, v in figures[vocab].items() if k != "phrases"}, ensure_ascii=False), flush=True)
    figures["load_average_after"] = load_average()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def search_figures(site: Path, browser: bool) -> dict[str, Any]:
    figures: dict[str, Any] = {"search_index_bytes": dir_bytes(site / "search") if (site / "search").is_dir() else 0}
    if browser:
        try:
            from search_bench import measure

            results = measure(site, QUERIES, repeats=5)
            loaded = [r["bytes_before_results"] for r in results.values()]
            figures.update(
                first_query_bytes=int(statistics.median(loaded)),
                first_query_bytes_max=max(loaded),
                median_query_ms=round(statistics.median(r["median_ms"] for r in results.values()), 1),
                first_query_method="headless Chromium over loopback HTTP (search_bench.measure), median of 20 two-word queries",
                queries={q: {k: r[k] for k in ("bytes_before_results", "median_ms", "total")} for q, r in results.items()},
            )
            return figures
        except Exception as exc:  # noqa: BLE001 - report, fall back to the file estimate
            figures["browser_error"] = f"{type(exc).__name__}: {exc}"[:500]
    loaded = [estimate_query_bytes(site, q) for q in QUERIES]
    figures.update(
        first_query_bytes=int(statistics.median(loaded)), first_query_bytes_max=max(loaded), median_query_ms=None,
        first_query_method="estimate from files: search.html, its scripts and styles, meta.js, the query's shards, ten doc chunks",
    )
    return figures


def estimate_query_bytes(site: Path, query: str) -> int:
    """Files the search page needs before showing results, without a browser (upper bound)."""
    from gongkai.search.shard_format import shard_of
    from gongkai.search.tokenize import query_terms

    page = (site / "search.html").read_text(encoding="utf-8")
    total = len(page.encode())
    for ref in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page):
        path = site / ref.split("?")[0]
        total += path.stat().st_size if path.is_file() else 0
    meta_text = (site / "search" / "meta.js").read_text(encoding="utf-8")
    meta = json.loads(meta_text[meta_text.index("(") + 1 : meta_text.rindex(")")])
    shards = {shard_of(t, meta["shards"]) for t in query_terms(query)}
    for n in shards:
        total += (site / "search" / "shards" / f"{n:0{meta['shardWidth']}x}.js").stat().st_size
    chunks = sorted((site / "search" / "docs").glob("*.js"), key=lambda p: p.stat().st_size, reverse=True)[:10]
    total += sum(p.stat().st_size for p in (site / "search" / "lengths").glob("*.js"))  # at most all of them
    return total + sum(p.stat().st_size for p in chunks)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-browser", action="store_true", help="estimate query bytes from files instead")
    parser.add_argument("--search-only", action="store_true",
                        help="only the search figures, on the generator's and the real-vocabulary corpus")
    parser.add_argument("--vocab", choices=("synthetic", "real"), action="append",
                        help="with --search-only: only this corpus (repeatable; default both)")
    args = parser.parse_args(argv)
    n = args.docs
    global CODE
    if args.search_only:
        CODE = snapshot_code(n)
        return search_only(n, args.out, tuple(args.vocab or ("synthetic", "real")))
    figures: dict[str, Any] = {"docs": n, "cpus": os.cpu_count(), "load_average_before": load_average()}

    CODE = snapshot_code(n)
    t = time.perf_counter()
    content = ensure_content(WORK, n)
    figures["generate_s"] = round(time.perf_counter() - t, 2)
    site, cache, floor_out, verify = (WORK / f"{name}-{n}" for name in ("site", "cache", "floor", "verify"))
    timings = WORK / f"timings-{n}.json"

    for folder in (floor_out, site, cache, verify):
        shutil.rmtree(folder, ignore_errors=True)
    for key, extra in (("floor_pure_1", ["--jobs", "1", "--loader", "pure"]), ("floor", ["--jobs", "2", "--loader", "c"])):
        shutil.rmtree(floor_out, ignore_errors=True)
        start, cpu = time.perf_counter(), children_cpu_s()
        subprocess.run([sys.executable, str(HERE / "floor.py"), "--content", str(content), "--out", str(floor_out), *extra],
                       check=True, capture_output=True)
        figures[f"{key}_s"] = round(time.perf_counter() - start, 3)
        figures[f"{key}_cpu_s"] = round(children_cpu_s() - cpu, 3)
    figures["floor_pages"] = sum(1 for _ in floor_out.rglob("*.html"))

    clean = run_build(content, site, cache, timings, sample=True)
    figures["peak_rss_mb"] = peak_rss_mb()  # floor and the clean build so far: the largest process
    figures.update(
        full_build_s=clean["wall_s"], full_build_cpu_s=clean["cpu_s"], pages=clean["pages"], files=clean["files"],
        pages_per_s=round(clean["pages"] / clean["wall_s"], 1),
        ratio_to_floor=round(clean["wall_s"] / figures["floor_s"], 3),
        index_build_s=clean["stats"].get("index_s"),
        index_share=round(clean["stats"].get("index_s", 0) / clean["wall_s"], 3),
        index_cpu_s=clean["stats"].get("index_cpu_s"),
        index_cpu_share=round(clean["stats"].get("index_cpu_s", 0) / clean["wall_s"], 3),
        peak_pss_tree_mb=clean["pss_peak_mb"], stage_timings=clean["timings"], clean_stats=clean["stats"],
        site_bytes=dir_bytes(site),
    )
    noop = run_build(content, site, cache, timings)
    figures.update(noop_rebuild_s=noop["wall_s"], noop_rebuild_cpu_s=noop["cpu_s"], noop_timings=noop["timings"], noop_stats=noop["stats"],
                   noop_share=round(noop["wall_s"] / clean["wall_s"], 4))

    target = edit_target(content)
    figures["edited"] = target.relative_to(content).as_posix()
    identical = True
    def changes() -> Any:  # (name, undo) once each edit is made; incremental: the body edit
        for name, change in (("incremental", edit), ("title_edit", edit_title)):
            original = change(target)
            yield name, lambda original=original: target.write_bytes(original)
        added = add_document(content, target)
        yield "add_document", added.unlink

    for name, undo in changes():
        try:
            inc = run_build(content, site, cache, timings)
            figures.update({f"{name}_s": inc["wall_s"], f"{name}_cpu_s": inc["cpu_s"], f"{name}_timings": inc["timings"],
                            f"{name}_stats": inc["stats"], f"{name}_share": round(inc["wall_s"] / clean["wall_s"], 4)})
            shutil.rmtree(verify, ignore_errors=True)
            run_build(content, verify, None, timings)
            differ = tree_diff(site, verify)
            figures[f"{name}_identical"] = not differ
            identical = identical and not differ
            if differ:
                figures[f"{name}_differences"] = differ[:20]
        finally:
            undo()
        run_build(content, site, cache, timings)  # back to the unedited content before the next edit
    figures.update(search_figures(site, browser=not args.no_browser))
    if not args.no_browser:  # issue 19: held-out phrases on this corpus and the real-vocabulary one
        figures["search_phrases"] = {"synthetic": phrase_figures(content, site)}
        real_content = ensure_content(WORK, n, vocab="real")
        real_site = WORK / f"site-real-{n}"
        shutil.rmtree(real_site, ignore_errors=True)
        run_build(real_content, real_site, None, timings)
        figures["search_phrases"]["real"] = phrase_figures(real_content, real_site)
    figures["load_average_after"] = load_average()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    brief = {k: figures.get(k) for k in ("docs", "floor_s", "floor_pure_1_s", "full_build_s", "ratio_to_floor", "floor_cpu_s",
                                          "full_build_cpu_s", "noop_rebuild_s", "noop_share", "incremental_s", "incremental_share",
                                          "title_edit_s", "title_edit_share", "incremental_identical", "title_edit_identical",
                                          "add_document_s", "add_document_share", "add_document_identical",
                                          "peak_rss_mb", "index_share", "search_index_bytes", "first_query_bytes", "median_query_ms")}
    print(json.dumps(brief, ensure_ascii=False))
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
