"""Environment errors: the machine, not the content, stopped a command (a leaf module).

A full disk, a read-only or busy output folder are not bugs in gongkai and not mistakes in the
content: the user gets one Chinese line naming the folder and what to do, and exit code 2. A
path inside the build's temp folder (`.site.tmp-…/documents/x.html`) or its lock file means the
output folder the user chose (`site`), so that is the path named.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

#: `.site.tmp-0123abcd4567/…`, `.site.lock`, `.site.old-…`, `.site.trash-…` next to `site/`
_WORK_PATH = re.compile(r"^(?P<parent>(?:.*/)?)\.(?P<name>[^/]+?)\.(?:lock|(?:tmp|old|trash)-[0-9a-f]+(?:/.*)?)$")

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_BUSY = {errno.EBUSY, errno.ETXTBSY}
_DENIED = {errno.EACCES, errno.EPERM}
_WINDOWS_BUSY = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def shown_path(filename: object, cwd: Path | None = None) -> str:
    """The path to name: the output folder for the build's own working files, else the file."""
    if filename is None or filename == "":
        return "输出目录"
    path = Path(str(filename)).as_posix()
    if cwd is not None:
        try:
            path = Path(path).relative_to(cwd).as_posix()
        except ValueError:
            pass
    match = _WORK_PATH.match(path)
    if match is not None:
        return match.group("parent") + match.group("name")
    return path


def environment_message(exc: OSError, cwd: Path | None = None) -> str | None:
    """One line for an environment error, or None when `exc` is not one (then it is a bug)."""
    where = shown_path(exc.filename, cwd)
    code = exc.errno
    if code in _FULL:
        return (f"{where}: 错误: 磁盘空间不足，无法写入"
                "（请清理磁盘或用 --out 指定空间足够的目录后重试；原有的网站保持不变）")
    if code == errno.EROFS:
        return (f"{where}: 错误: 所在磁盘是只读的，无法写入"
                "（请用 --out 指定可写的目录，或把磁盘重新挂载为可写后重试；原有的网站保持不变）")
    if code in _BUSY or getattr(exc, "winerror", None) in _WINDOWS_BUSY:
        return (f"{where}: 错误: 无法写入，文件或目录正被其他程序占用"
                "（请关闭正在打开它的程序（资源管理器、浏览器、杀毒软件）后重试）")
    if code in _DENIED:
        return (f"{where}: 错误: 无法写入，文件或目录正被其他程序占用或没有写入权限"
                "（请关闭正在打开它的程序（资源管理器、浏览器、杀毒软件），或给当前用户该目录及其上级目录的写入权限后重试）")
    return None


__all__ = ["environment_message", "shown_path"]
