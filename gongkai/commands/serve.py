"""`gongkai serve`: preview the site in a browser while editing; rebuilds and reloads on save."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from pathlib import Path

from .common import add_content_option, clock_of, environment_options, today_of


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve", help="本地预览（保存后自动刷新）",
        description="生成网站到临时目录并在本机打开预览；修改 content/ 或 templates/ 后自动重新生成并刷新浏览器。"
                    "内容有错误时浏览器顶部显示错误列表，仍显示上一次成功生成的版本。不会改动 site/。",
    )
    add_content_option(p)
    p.add_argument("--templates", type=Path, default=Path("templates"), metavar="目录", help="模板目录（默认 templates）")
    p.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="端口（默认 8000；0 表示自动选择空闲端口）")
    p.add_argument("--debounce", type=int, default=150, metavar="毫秒",
                   help="最后一次修改后等待多久再重新生成（默认 150 毫秒，范围 50–2000）")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数（默认使用全部 CPU 核）")
    p.add_argument("--open", action="store_true", help="启动后用浏览器打开预览")
    p.set_defaults(func=run)


_MAIN_PID = os.getpid()


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the server like Ctrl+C (so the temp folder is removed). Forked render
    workers inherit this handler: they must just die, as the pool expects."""
    if os.getpid() != _MAIN_PID:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from ..build import BuildOptions
    from ..serve import DevServer, ServeOptions
    from .progress import make_progress

    if not args.content.is_dir():
        sys.stderr.write(f"内容目录 {args.content.as_posix()} 不存在（用 --content 指定内容目录）。\n")
        return 1
    if not 0 <= args.port <= 65535:
        sys.stderr.write(f"端口 {args.port} 无效，应在 0–65535 之间。\n")
        return 2
    debounce = min(max(args.debounce, 50), 2000) / 1000
    env = environment_options(os.environ, args.content)  # the preview keeps its own cache (DevServer)
    options = BuildOptions(content=args.content, templates=args.templates, today=today_of(args), jobs=args.jobs,
                           incremental=env["incremental"], quick=env["quick"], timings=env["timings"])

    def echo(text: str) -> None:
        print(text, flush=True)

    def err(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    server = DevServer(options, ServeOptions(args.host, args.port, debounce, max(1.0, debounce * 4), clock=clock_of(args)),
                       echo, err)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        progress, close = make_progress()
        try:
            url = server.start(progress)
        finally:
            close()
        echo(f"预览地址：{url}")
        echo("请在浏览器中打开上面的地址。保存 content/ 或 templates/ 中的文件后会自动重新生成并刷新页面；按 Ctrl+C 停止。")
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            echo(f"注意：监听地址为 {args.host}，同一网络中的其他电脑也能访问这个预览。")
            from ..reach.qr import terminal_text  # here: every other command starts without them
            from ..serve.lan import preview_urls

            port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
            others = preview_urls(args.host, port)
            for other in others:
                echo(f"局域网地址：{other}")
            if others:
                echo("用手机扫描下面的二维码打开预览（手机须连接同一网络）：")
                echo(terminal_text(others[0]))
        if args.open:
            import webbrowser

            webbrowser.open(url)
        server.serve_forever()
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            err(f"无法使用端口 {args.port}：{exc.strerror}。请用 --port 指定其他端口，例如 --port 8001。")
            return 1
        raise
    except KeyboardInterrupt:
        echo("预览已停止。")
    finally:
        server.close()
    return 0
