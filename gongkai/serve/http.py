"""The preview's HTTP side: static files of the last good build, plus live reload and errors.

The reload script and the error overlay are injected into HTML *as it is served*; the built
files stay exactly what `gongkai build` would publish. Endpoints under `/_gongkai/`:

- `events`: Server-Sent Events; one message per finished build attempt or preview (and one on
  connect).
- `status`: the current state as JSON (used by tests, the benchmark and curious users).
"""

from __future__ import annotations

import html
import json
import mimetypes
import posixpath
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .hosts import allowed_hosts, host_allowed
from .state import LiveState, Snapshot

EVENTS = "/_gongkai/events"
STATUS = "/_gongkai/status"
KEEPALIVE_SECONDS = 15.0
OVERLAY_LIMIT = 200
WRONG_HOST = "421 主机名不符：本预览服务只回应本机地址（如 http://127.0.0.1:{port}/）的请求"
TEXT_TYPES = {".html", ".css", ".js", ".xml", ".json", ".txt", ".csv", ".svg", ".md"}

#: Listens once the page has loaded (the server counts the tabs that came back before it starts
#: the full build: `LiveState.wait_for_tabs`); reloads when the version is no longer the page's.
RELOAD_SCRIPT = """<script>/* gongkai serve：内容保存后自动刷新 */(function(){var v=%s;\
if(!window.EventSource)return;function listen(){\
var es=new EventSource("/_gongkai/events?v="+encodeURIComponent(v));\
es.onmessage=function(e){var d;try{d=JSON.parse(e.data)}catch(x){return}\
if(d.version!==v){es.close();location.reload()}}}\
if(document.readyState==="complete")setTimeout(listen,0);\
else addEventListener("load",function(){setTimeout(listen,0)});})();</script>"""

OVERLAY_STYLE = (
    "position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;z-index:2147483647;"
    "background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #c00;box-shadow:0 4px 16px rgba(0,0,0,.3);"
    "padding:16px 20px;font:16px/1.6 system-ui,'Microsoft YaHei',sans-serif;text-align:left"
)


def overlay_html(snap: Snapshot, has_site: bool) -> str:
    """The error panel: every error as `file:line:col message（hint）`, HTML-escaped."""
    shown = snap.errors[:OVERLAY_LIMIT]
    rows = []
    for d in shown:
        hint = f"（{d.hint}）" if d.hint else ""
        rows.append(
            f'<li style="margin:.3em 0"><code style="color:#a00;font-weight:bold">'
            f"{html.escape(f'{d.path}:{d.line}:{d.col}')}</code> "
            f"{html.escape(d.message)}{html.escape(hint)}</li>"
        )
    more = len(snap.errors) - len(shown)
    if more > 0:
        rows.append(f"<li>……还有 {more} 个错误，完整列表见终端或运行 gongkai check</li>")
    state = ("网站没有更新，下面显示的是上一次成功生成的版本。" if has_site
             else "还没有成功生成过网站。")
    return (
        f'<div id="gongkai-overlay" role="alert" style="{OVERLAY_STYLE}">'
        f'<button type="button" onclick="this.parentNode.remove()" aria-label="关闭" '
        f'style="float:right;font-size:20px;border:0;background:none;cursor:pointer">×</button>'
        f'<strong style="font-size:18px;color:#c00">内容有 {len(snap.errors)} 个错误</strong>'
        f"<p style=\"margin:.3em 0\">{state}改正后保存文件，页面会自动刷新。</p>"
        f'<ol style="margin:.5em 0 0 1.5em;padding:0">{"".join(rows)}</ol></div>'
    )


BUILDING_STYLE = (
    "position:fixed;right:12px;bottom:12px;max-width:24em;z-index:2147483646;background:#fffbe6;"
    "color:#1a1a1a;border:1px solid #d4a000;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.2);"
    "padding:8px 12px;font:14px/1.5 system-ui,'Microsoft YaHei',sans-serif;text-align:left"
)


def building_html(snap: Snapshot) -> str:
    """A small note while a full build runs (after a preview: which parts are not updated yet)."""
    if snap.preview:
        text = ("已先预览修改过的文件页面；正在重新生成整个网站（列表、事项和村务公开页面、搜索、打印页），"
                "完成后页面会再自动刷新一次。")
    else:
        text = "正在重新生成网站，完成后页面会自动刷新。"
    return f'<div id="gongkai-building" role="status" style="{BUILDING_STYLE}">{html.escape(text)}</div>'


WARNINGS_STYLE = (
    "position:fixed;left:12px;bottom:12px;max-width:min(40em,calc(100vw - 24px));max-height:50vh;overflow:auto;"
    "z-index:2147483645;background:#fffbe6;color:#1a1a1a;border:1px solid #d4a000;border-radius:6px;"
    "box-shadow:0 2px 8px rgba(0,0,0,.2);padding:6px 12px;font:14px/1.5 system-ui,'Microsoft YaHei',sans-serif;"
    "text-align:left"
)


def warnings_html(snap: Snapshot) -> str:
    """The warnings of the build as a small folded banner in a corner: the page stays usable, one
    click shows every warning as `file:line:col message（hint）` (HTML-escaped)."""
    shown = snap.warning_items[:OVERLAY_LIMIT]
    rows = []
    for d in shown:
        hint = f"（{d.hint}）" if d.hint else ""
        rows.append(f'<li style="margin:.3em 0"><code style="color:#7a5c00">{html.escape(f"{d.path}:{d.line}:{d.col}")}'
                    f"</code> {html.escape(d.message)}{html.escape(hint)}</li>")
    more = len(snap.warning_items) - len(shown)
    if more > 0:
        rows.append(f"<li>……还有 {more} 个警告，完整列表见终端或运行 gongkai check</li>")
    return (
        f'<details id="gongkai-warnings" role="status" style="{WARNINGS_STYLE}">'
        f'<summary style="cursor:pointer;font-weight:bold">⚠ 内容有 {len(snap.warning_items)} 个警告'
        f'（网站已生成，点此查看）</summary><ol style="margin:.5em 0 0 1.5em;padding:0">{"".join(rows)}</ol>'
        f'<p style="margin:.3em 0;color:#555">此提示只在预览中显示，不会出现在生成的网站中。</p></details>'
    )


def inject(page: bytes, snap: Snapshot, has_site: bool) -> bytes:
    """Add the reload script (the overlay when the latest attempt failed, the warnings banner when
    it succeeded with warnings) before </body>."""
    extra = RELOAD_SCRIPT % json.dumps(snap.version)
    if snap.building:
        extra = building_html(snap) + extra
    if snap.ok and snap.warning_items:
        extra = warnings_html(snap) + extra
    if not snap.ok and snap.errors:
        extra = overlay_html(snap, has_site) + extra
    data = extra.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + data if at < 0 else page[:at] + data + page[at:]


def placeholder(snap: Snapshot) -> bytes:
    """Shown before the first good build: just the errors (or a 'building' note)."""
    body = "<p>正在生成网站，请稍候……</p>" if snap.ok or not snap.errors else ""
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>gongkai 预览</title></head><body>" + body + "</body></html>"
    )
    return inject(page.encode("utf-8"), snap, has_site=False)


def resolve(root: Path, url_path: str) -> Path | None:
    """The file for a URL path inside `root`, or None (no traversal outside the build)."""
    path = posixpath.normpath(unquote(url_path, encoding="utf-8", errors="replace"))
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    target = root.joinpath(*parts) if parts else root
    if target.is_dir():
        target = target / "index.html"
    try:
        target.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return None
    return target if target.is_file() else None


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    kind = {".js": "application/javascript", ".xml": "application/xml", ".json": "application/json",
            ".csv": "text/csv", ".md": "text/plain"}.get(suffix) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    return f"{kind}; charset=utf-8" if suffix in TEXT_TYPES else kind


class PreviewHandler(BaseHTTPRequestHandler):
    server_version = "gongkai-serve"
    state: LiveState  # set on the subclass made by make_server

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for build results, not every request

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        path = urlsplit(self.path).path
        try:
            if not host_allowed(self.headers.get("Host"), getattr(self.server, "allowed_hosts", frozenset())):
                body = WRONG_HOST.format(port=self.server.server_address[1]).encode("utf-8")
                self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", body, head)
            elif path == EVENTS and not head:
                self._events()
            elif path == STATUS:
                body = json.dumps(self.state.snapshot.as_json(), ensure_ascii=False).encode("utf-8")
                self._send(HTTPStatus.OK, "application/json; charset=utf-8", body, head)
            else:
                self._file(path, head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the tab went away

    def _send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _file(self, url_path: str, head: bool) -> None:
        snap = self.state.snapshot
        root = Path(self.state.site_dir)
        if snap.build == 0 or not root.is_dir():
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", placeholder(snap), head)
            return
        target = resolve(root, url_path)
        status = HTTPStatus.OK
        if target is None:
            status = HTTPStatus.NOT_FOUND
            target = root / "404.html"
            if not target.is_file():
                self._send(status, "text/plain; charset=utf-8", "找不到这个页面".encode(), head)
                return
        try:
            data = target.read_bytes()
        except OSError:  # replaced by a rebuild between resolve and read: try once more
            fresh = resolve(root, url_path)
            data = fresh.read_bytes() if fresh else b""
        ctype = content_type(target)
        if ctype.startswith("text/html"):
            data = inject(data, snap, has_site=True)
        self._send(status, ctype, data, head)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        snap = self.state.snapshot
        shown = self._served_version() or snap.version  # what the tab's page shows
        self._event(snap, retry=True)
        if snap.version != shown:
            return  # the tab reloads at once, and opens a new stream
        # One stream per open tab, ended when the tab is told to reload (it closes it then), so
        # that the count is of tabs (`LiveState.wait_for_tabs`).
        self.state.stream_opened(shown)
        try:
            while not self.state.stopping:
                new = self.state.wait_for_change(snap.version, KEEPALIVE_SECONDS)
                if self.state.stopping:
                    break
                if new.version == snap.version:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                    continue
                self._event(new)
                break
        finally:
            self.state.stream_closed()

    def _served_version(self) -> str | None:
        """The version of the page whose script opened this stream (`?v=` in its URL)."""
        return parse_qs(urlsplit(self.path).query).get("v", [None])[0]

    def _event(self, snap: Snapshot, retry: bool = False) -> None:
        data = json.dumps(snap.event(), ensure_ascii=False)
        text = ("retry: 1000\n" if retry else "") + f"data: {data}\n\n"
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive
    allow_reuse_address = True
    allowed_hosts: frozenset[str] = frozenset()  # Host headers answered; set by make_server


def make_server(state: LiveState, host: str, port: int) -> PreviewServer:
    handler = type("BoundPreviewHandler", (PreviewHandler,), {"state": state})
    server = PreviewServer((host, port), handler)
    server.allowed_hosts = allowed_hosts(host, server.server_address[1])  # the real port when port is 0
    return server
