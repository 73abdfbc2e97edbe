"""Edit → visible latency of `gongkai serve` on a generated corpus.

    python benchmarks/serve_latency.py --docs 10000 [--edits 5] [--debounce 150]

Starts `gongkai serve` on a free port with a copy of the synthetic corpus (from
`benchmarks/generate.py`, cached under benchmarks/work/), then edits one document the way an
editor saves (temp file + rename) and polls its page over HTTP until the new title is served.
The figure that matters is `latency_s`: from the rename to the changed page being served, i.e.
what a tab that reloads on the event would show. The target of issue 6 is ≤ 1 s at 10,000
documents. Figures go to benchmarks/out/serve_latency.json (latest per document count, plus a
history of every run). The machine's load average is recorded: on a shared 2-core machine the
figures move with whatever else is running.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
OUT = HERE / "out" / "serve_latency.json"
TODAY = "2026-11-26"
TARGET_S = 1.0


def corpus(docs: int) -> Path:
    """A private copy of the generated corpus (edits must not touch the shared cache)."""
    dest = WORK / f"serve-{docs}" / "content"
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        sys.path.insert(0, str(HERE))
        from generate import ensure_content  # the performance benchmark's generator

        shutil.copytree(ensure_content(WORK, docs), dest)
    except ImportError:
        _fallback_corpus(dest, docs)
    return dest


def _fallback_corpus(dest: Path, docs: int) -> None:
    """Minimal valid corpus when benchmarks/generate.py is not available."""
    sys.path.insert(0, str(REPO / "tests"))
    from sitekit import base_files, doc, write_tree

    files: dict[str, str | bytes | None] = dict(base_files())
    for i in range(docs):
        files[f"documents/{2020 + i % 7}/d{i:05d}.md"] = doc(
            title=f"关于第{i}项工作的通知", created=f"{2020 + i % 7}-03-02", published=f"{2020 + i % 7}-03-05",
            body="正文内容。\n" * 20,
        )
    write_tree(dest.parent, files)


def pick_document(content: Path) -> Path:
    """A 主动公开 document (its page shows the title), the same one on every run."""
    for path in sorted((content / "documents").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^attribute:\s*[\"']?主动公开[\"']?\s*$", text, re.MULTILINE) and re.search(r"^title:", text, re.MULTILINE):
            return path
    raise SystemExit("no 主动公开 document in the corpus")


def retitle(text: str, marker: str) -> str:
    """Append `marker` to the title, inside the quotes if the title is quoted."""
    def edit(m: re.Match[str]) -> str:
        value = m.group(1).rstrip()
        if value[:1] in "\"'" and value[-1:] == value[:1]:
            return f"title: {value[:-1]}{marker}{value[-1]}"
        return f"title: {value}{marker}"

    return re.sub(r"^title:\s*(.*)$", edit, text, count=1, flags=re.MULTILINE)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def save(path: Path, text: str) -> float:
    tmp = path.with_name(f".{path.name}.bench-tmp")
    tmp.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    os.replace(tmp, path)
    return started


def run(docs: int, edits: int, debounce: int, jobs: int) -> dict[str, object]:
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None  # other work on the machine
    content = corpus(docs)
    target = pick_document(content)
    original = target.read_text(encoding="utf-8")
    doc_id = target.relative_to(content / "documents").with_suffix("").as_posix()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--content", str(content), "--port", "0", "--today", TODAY,
         "--debounce", str(debounce), "-j", str(jobs),
         # built-in templates only, and no watching of the repository's templates/ (edits there
         # by someone else would trigger full rebuilds in the middle of the measurement)
         "--templates", str(content.parent / "no-templates")],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    log = (content.parent / "serve.log").open("w", encoding="utf-8")

    def pump() -> None:  # everything the server prints, for reading after a surprising run
        for ln in proc.stdout:  # type: ignore[union-attr]
            log.write(ln)
            log.flush()
            lines.put(ln)

    threading.Thread(target=pump, daemon=True).start()
    url = None
    try:
        while url is None:
            line = lines.get(timeout=1800)
            sys.stderr.write("  serve| " + line)
            if line.startswith("预览地址："):
                url = line.split("：", 1)[1].strip()
        initial = time.perf_counter() - started
        status = json.loads(fetch(url + "_gongkai/status")[1])
        if not status["ok"]:
            raise SystemExit("initial build failed: " + "; ".join(e["message"] for e in status["errors"][:5]))
        page = f"{url}documents/{doc_id}.html"
        results = []
        for n in range(edits):
            marker = f"延迟测试{n}-{int(time.time() * 1000) % 100000}"
            edited = retitle(original, marker)
            before = json.loads(fetch(url + "_gongkai/status")[1])["version"]
            t0 = save(target, edited)
            while True:
                _, body = fetch(page)
                if marker in body:
                    latency = time.perf_counter() - t0
                    break
                if time.perf_counter() - t0 > 600:
                    raise SystemExit(f"edit {n} never became visible")
                if time.perf_counter() - t0 > 2 and not json.loads(fetch(url + "_gongkai/status")[1])["ok"]:
                    raise SystemExit(f"edit {n}: rebuild failed")
                time.sleep(0.01)
            while True:  # the swap is visible a moment before the server records the build
                st = json.loads(fetch(url + "_gongkai/status")[1])
                if st["version"] != before:
                    break
                time.sleep(0.02)
            results.append({"latency_s": round(latency, 3), "rebuild_s": st["seconds"], "timings": st["timings"],
                             "stats": st.get("stats", {})})
            sys.stderr.write(f"  edit {n}: visible after {latency:.3f} s (rebuild {st['seconds']:.3f} s)\n")
            time.sleep(0.5)
    finally:
        target.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    latencies = [r["latency_s"] for r in results]
    return {
        "docs": docs, "pages": status.get("pages"), "edits": results, "debounce_ms": debounce, "jobs": jobs,
        "initial_build_s": round(initial, 3), "initial_build_timings": status.get("timings"),
        "latency_median_s": round(statistics.median(latencies), 3), "latency_max_s": max(latencies),
        "target_s": TARGET_S, "meets_target": statistics.median(latencies) <= TARGET_S,
        "cpu_count": os.cpu_count(), "load_average_before": load_before, "load_average_after": load_after, "python": platform.python_version(), "platform": platform.platform(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--debounce", type=int, default=150, help="ms, passed to gongkai serve")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args(argv)
    figures = run(args.docs, args.edits, args.debounce, args.jobs)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.is_file() else {}
    data[str(args.docs)] = figures  # the latest full figures per corpus size …
    summary = {k: figures[k] for k in ("docs", "pages", "initial_build_s", "latency_median_s", "latency_max_s",
                                       "meets_target", "load_average_before", "measured_at")}
    data["history"] = [*data.get("history", []), summary][-50:]  # … and every run, to compare over time
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({k: figures[k] for k in ("docs", "pages", "initial_build_s", "latency_median_s",
                                              "latency_max_s", "meets_target")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
