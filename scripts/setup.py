#!/usr/bin/env python3
"""Install everything gongkai needs on a fresh machine (idempotent), on Linux, macOS and Windows.

    python scripts/setup.py          # the Python package (editable) + decap-cms (`gongkai cms`), if npm is there
    python scripts/setup.py --test   # + test tools (npm needed); on Debian also chromium and firefox-esr

Building a site needs no npm package. A town needs none of this: `pip install gongkai==<version>`
brings the templates and decap-cms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*cmd: str) -> None:
    subprocess.run(cmd, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="gongkai 开发环境安装")
    parser.add_argument("--test", action="store_true", help="同时安装测试工具和 chromium、firefox-esr")
    args = parser.parse_args(argv)
    python = os.environ.get("PYTHON") or sys.executable
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]" if args.test else ".")
    npm = shutil.which("npm")
    if npm is None and args.test:
        sys.stderr.write("setup: 错误: 找不到 npm（请先安装 Node.js，它带有 npm；测试工具 lighthouse、axe-core、"
                         "decap-server 由 npm ci 安装）\n")
        return 1
    if npm is None:  # the build needs no npm package; only the web editor of `gongkai cms` does
        sys.stderr.write("setup: 注意: 找不到 npm，已跳过 npm ci：构建网站不需要它；gongkai cms 的网页编辑器"
                         "（decap-cms）需要先安装 Node.js 再运行 npm ci\n")
    else:
        run(npm, "ci", "--silent", "--no-audit", "--no-fund")  # decap-cms and the test tools, pinned by package-lock.json
    # Debian's browsers for the browser tests: chromium (Playwright) and firefox-esr (WebDriver BiDi)
    browsers = ("/usr/bin/chromium", "/usr/bin/firefox-esr")
    if args.test and not all(Path(b).exists() for b in browsers) and shutil.which("apt-get"):
        sudo = [] if os.name != "posix" or os.geteuid() == 0 else ["sudo"]
        run(*sudo, "apt-get", "update", "-qq")
        run(*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "chromium",
            "firefox-esr", "fonts-noto-cjk")
    print("setup: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
