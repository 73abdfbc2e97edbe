"""`gongkai cms`: write the web editor (Decap CMS) into `admin/`."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
REMOTE = re.compile(r"(?:github\.com|gitlab\.com)[:/]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from ..cms.config import BACKENDS

    p = sub.add_parser(
        "cms", help="生成网页编辑器（Decap CMS，不用 git 也能编辑内容）",
        description="在 admin/ 写入 Decap CMS 网页编辑器：index.html、config.yml（由内容模型和现有内容生成）"
                    "和 decap-cms 程序文件。每次修改都成为一个拉取请求（编辑工作流），审核合并后发布。",
    )
    p.add_argument("--content", type=Path, default=Path("content"), metavar="目录", help="内容目录（默认 content）")
    p.add_argument("--out", type=Path, default=Path("admin"), metavar="目录", help="输出目录（默认 admin）")
    p.add_argument("--repo", default=None, metavar="所有者/仓库",
                   help="内容仓库，例如 yongsui/gongkai-content（默认读取 git remote origin）")
    p.add_argument("--branch", default="main", metavar="分支", help="发布分支（默认 main）")
    p.add_argument("--backend", default="github", choices=BACKENDS, help="代码托管平台（默认 github）")
    p.add_argument("--local-port", type=int, default=8081, metavar="端口",
                   help="本机编辑时 decap-server 的端口（默认 8081）")
    p.set_defaults(func=run)


def _origin_repo(cwd: Path) -> str | None:
    try:
        url = subprocess.run(["git", "remote", "get-url", "origin"], cwd=cwd, capture_output=True,
                             text=True, check=False).stdout.strip()
    except OSError:
        return None
    match = REMOTE.search(url)
    return match.group(1) if match else None


def _relative(path: Path) -> str | None:
    """`path` relative to the working directory (the repository root), with `/`."""
    try:
        rel = Path(os.path.relpath(path.resolve(), Path.cwd().resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return None
    return None if rel.startswith("..") else rel


def run(args: argparse.Namespace) -> int:
    from ..cms.config import CmsOptions, pickers_from
    from ..cms.files import write_admin
    from ..resources import decap_dist, installed

    problems = []
    content_rel = _relative(args.content)
    if not args.content.is_dir():
        problems.append(f"{args.content.as_posix()}: 错误: 内容目录不存在（请在站点仓库的根目录运行，或用 --content 指定内容目录）")
    elif content_rel is None:
        problems.append(f"{args.content.as_posix()}: 错误: 内容目录不在当前目录之下"
                        "（Decap CMS 按仓库根目录下的路径读写文件：请在仓库根目录运行 gongkai cms）")
    repo = args.repo or _origin_repo(Path.cwd())
    if repo is None:
        problems.append("错误: 不知道内容仓库（请用 --repo 指定，例如 --repo yongsui/gongkai-content；"
                        "或在有 git remote origin 的仓库中运行）")
    elif not REPO.match(repo):
        problems.append(f"错误: --repo “{repo}”格式不正确（应为 所有者/仓库，例如 yongsui/gongkai-content）")
    if not 1 <= args.local_port <= 65535:
        problems.append(f"错误: --local-port {args.local_port} 不是有效端口（1 到 65535）")
    dist = decap_dist(Path.cwd())
    if dist is None:
        advice = ("gongkai 安装不完整，请重新安装：pip install --force-reinstall gongkai" if installed()
                  else "请在 gongkai 源码目录运行 npm ci 安装")
        problems.append(f"错误: 找不到 decap-cms（{advice}）")
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        return 1
    pickers = pickers_from(args.content)
    town = _town(args.content)
    options = CmsOptions(repo=repo, branch=args.branch, backend=args.backend, content=content_rel,
                         local_port=args.local_port, site_url=_base_url(args.content), town=town)
    for path in write_admin(args.out, options, pickers, dist):
        print(f"已写入 {path.as_posix()}")
    print(f"下拉选项：{len(pickers.items)} 个公开事项，{len(pickers.villages)} 个村（社区），"
          f"{len(pickers.entries)} 个清单事项。新增后请重新运行 gongkai cms。")
    return 0


def _site(content: Path) -> dict:  # type: ignore[type-arg]
    import yaml

    try:
        data = yaml.load((content / "site.yaml").read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _town(content: Path) -> str | None:
    name = _site(content).get("short_name")
    return name if isinstance(name, str) else None


def _base_url(content: Path) -> str | None:
    url = _site(content).get("base_url")
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
