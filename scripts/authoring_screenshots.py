#!/usr/bin/env python3
"""The README's authoring screenshots: the web editor (Decap CMS) and the editor diagnostics.

    python scripts/authoring_screenshots.py     # writes docs/img/*.png (needs npm ci, Chromium)

CMS: a temporary git checkout of the example town, `gongkai cms`, decap-server (npm, local git
backend) and a static server; Chromium opens the CMS, fills in a new document and saves it
(a draft: a branch, the pull request of the editorial workflow). Editor: `gongkai lsp` is
driven over stdio with a `.md` file that has a bad date and a full-width colon, and the text
with the diagnostics it published (their real text and ranges) is drawn as an editor shows it.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "img"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ENV = {**os.environ, "PYTHONPATH": str(REPO), "GIT_AUTHOR_NAME": "staff", "GIT_AUTHOR_EMAIL": "staff@example.org",
       "GIT_COMMITTER_NAME": "staff", "GIT_COMMITTER_EMAIL": "staff@example.org"}
SAMPLE = """---
title: 井头村2026年12月最低生活保障公示
attribute: 主动公开
item: shjz-dibao-shenhe
villages: [jingtou]
created: 2026-12-32
published: 2026-12-03
summary：本月低保名单
kind: 公示
---
经村民代表会议评议，下列家庭拟纳入最低生活保障，现予公示。
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def cms_shots(browser: Any, tmp: Path) -> None:
    town = tmp / "town"
    shutil.copytree(REPO / "content", town / "content")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=town, check=True)
    port = free_port()
    subprocess.run([sys.executable, "-m", "gongkai", "cms", "--repo", "yongsui/town", "--local-port", str(port)],
                   cwd=town, check=True, env=ENV, stdout=subprocess.DEVNULL)
    subprocess.run(["git", "add", "-A"], cwd=town, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "town"], cwd=town, check=True, env=ENV)
    log = tmp / "decap-server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            ["node", str(REPO / "node_modules" / "decap-server" / "dist" / "index.js")], cwd=town, stdout=out,
            stderr=subprocess.STDOUT, env={**ENV, "MODE": "git", "GIT_REPO_DIRECTORY": str(town), "PORT": str(port)})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(town)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        while "Proxy Server listening" not in log.read_text():
            if server.poll() is not None:
                raise SystemExit("decap-server did not start:\n" + log.read_text())
            time.sleep(0.1)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/admin/index.html")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("＋ 文件").wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUT / "cms-collections.png"))
        page.get_by_text("＋ 文件").click()
        page.get_by_label("标题", exact=True).fill("永岁镇关于开展冬季森林防火宣传的通知")
        for label, text in (("所属公开事项 (可选)", "镇政府文件"), ("公开属性", "主动公开"), ("文种", "通知"),
                            ("适用村（社区） (可选)", "井头村")):
            page.get_by_label(label, exact=True).fill(text)
            page.keyboard.press("Enter")
        page.get_by_label("成文日期", exact=True).fill("2026-11-30")
        page.get_by_label("发布日期 (可选)", exact=True).fill("2026-12-01")
        page.locator("[data-slate-editor]").first.click()
        page.keyboard.type("各村（社区）：请做好冬季森林防火宣传。")
        page.get_by_label("标题", exact=True).click()
        page.mouse.wheel(0, -2000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT / "cms-new-document.png"))
        page.get_by_role("button", name="保存").click()
        page.get_by_text("状态: 草稿").wait_for()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/admin/index.html#/workflow")
        page.get_by_text("永岁镇关于开展冬季森林防火宣传的通知").first.wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUT / "cms-workflow.png"))
        page.close()
    finally:
        httpd.shutdown()
        server.terminate()
        server.wait(timeout=10)


def lsp_diagnostics(root: Path, path: Path, texts: list[str]) -> list[list[dict[str, Any]]]:
    """Open `path` with `texts[0]` in `gongkai lsp` as an editor does, then type each next text
    (didChange); the diagnostics published for each."""
    proc = subprocess.Popen([sys.executable, "-m", "gongkai", "lsp", "--today", "2026-12-02"], cwd=root, env=ENV,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None

    def send(payload: dict[str, Any]) -> None:
        data = json.dumps({"jsonrpc": "2.0", **payload}, ensure_ascii=False).encode("utf-8")
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]

    def receive() -> dict[str, Any]:
        length = 0
        while True:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return json.loads(proc.stdout.read(length))  # type: ignore[union-attr]

    try:
        send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
        while receive().get("id") != 1:
            pass
        send({"method": "initialized", "params": {}})
        send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": path.as_uri(), "languageId": "markdown", "version": 1, "text": texts[0]}}})
        found: list[list[dict[str, Any]]] = []
        for version, text in enumerate(texts, start=1):
            if version > 1:
                send({"method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": path.as_uri(), "version": version}, "contentChanges": [{"text": text}]}})
            while True:  # each text has problems: wait for the publication that carries them
                message = receive()
                if (message.get("method") == "textDocument/publishDiagnostics"
                        and message["params"]["uri"] == path.as_uri() and message["params"]["diagnostics"]):
                    found.append(list(message["params"]["diagnostics"]))
                    break
        return found
    finally:
        proc.kill()
        proc.wait()


def editor_page(rel: str, text: str, diags: list[dict[str, Any]]) -> str:
    """The file as an editor shows it: line numbers, wavy underlines at the ranges, the problems list."""
    lines = text.splitlines()
    marks: dict[int, list[tuple[int, int, int]]] = {}
    for d in diags:
        start, end = d["range"]["start"], d["range"]["end"]
        stop = end["character"] if end["line"] == start["line"] else len(lines[start["line"]])
        marks.setdefault(start["line"], []).append((start["character"], max(stop, start["character"] + 1), d["severity"]))
    rows = []
    for n, line in enumerate(lines):
        out, at = [], 0
        for begin, stop, severity in sorted(marks.get(n, [])):
            out.append(html.escape(line[at:begin]))
            cls = "err" if severity == 1 else "warn"
            out.append(f'<span class="{cls}">{html.escape(line[begin:stop]) or "&nbsp;"}</span>')
            at = stop
        out.append(html.escape(line[at:]))
        rows.append(f'<div class="ln"><b>{n + 1}</b>{"".join(out)}</div>')
    problems = "".join(
        f'<li class="{"err" if d["severity"] == 1 else "warn"}-item"><span class="icon">{"✖" if d["severity"] == 1 else "⚠"}</span>'
        f'{html.escape(d["message"])} <i>[{d["range"]["start"]["line"] + 1}, {d["range"]["start"]["character"] + 1}]</i></li>'
        for d in diags)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body{{margin:0;font:15px/1.6 "Noto Sans CJK SC","Noto Sans Mono CJK SC",monospace;background:#1e1e1e;color:#d4d4d4}}
.tab{{background:#252526;padding:6px 14px;color:#fff;border-bottom:1px solid #333}}
.code{{padding:10px 0}} .ln{{white-space:pre;padding-left:8px}} .ln b{{display:inline-block;width:2.5em;color:#858585;font-weight:normal}}
.err{{text-decoration:underline wavy #f14c4c;text-underline-offset:4px}} .warn{{text-decoration:underline wavy #cca700}}
.panel{{border-top:1px solid #444;background:#1e1e1e;padding:6px 14px}} .panel h2{{font-size:13px;margin:4px 0;color:#ccc}}
ul{{list-style:none;margin:0;padding:0}} li{{padding:3px 0;white-space:normal}} i{{color:#858585;font-style:normal}}
.icon{{display:inline-block;width:1.6em}} .err-item .icon{{color:#f14c4c}} .warn-item .icon{{color:#cca700}}
.note{{color:#858585;font-size:12px;padding:6px 14px}}
</style></head><body><div class="tab">{html.escape(rel)}</div><div class="code">{"".join(rows)}</div>
<div class="panel"><h2>问题（gongkai lsp）</h2><ul>{problems}</ul></div>
<div class="note">由 scripts/authoring_screenshots.py 绘制：文字、下划线位置和问题列表都来自 gongkai lsp 发布的诊断。</div>
</body></html>"""


def editor_shot(browser: Any, tmp: Path) -> None:
    town = tmp / "editor"
    shutil.copytree(REPO / "content", town / "content")
    rel = "content/documents/2026/jingtou-dibao-2026-12.md"
    (town / rel).write_text(SAMPLE, encoding="utf-8")  # a file of the town, opened and being typed
    fixed = SAMPLE.replace("summary：", "summary: ")
    for (text, diags), name in zip(zip([SAMPLE, fixed], lsp_diagnostics(town, town / rel, [SAMPLE, fixed])),
                                   ("editor-colon", "editor-date"), strict=True):
        page = browser.new_page(viewport={"width": 1100, "height": 420})
        page.set_content(editor_page(rel, text, diags))
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
        page.close()


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        editor_shot(browser, Path(tmp))
        cms_shots(browser, Path(tmp))
        browser.close()
    for name in ("editor-colon", "editor-date", "cms-collections", "cms-new-document", "cms-workflow"):
        print(f"已写入 {(OUT / name).relative_to(REPO).as_posix()}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
