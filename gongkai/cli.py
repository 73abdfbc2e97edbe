"""Command-line entry point: `gongkai <command>`.

Each command lives in `gongkai/commands/<name>.py` with `register(subparsers)`; the CLI only
dispatches. Exit codes: 0 success, 1 content errors, 2 usage and environment errors (disk full,
read-only or busy output folder), 3 a bug. No traceback reaches the
user unless `-v` is given.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import re
import sys
import traceback
from pathlib import Path

from .version import version

COMMANDS = ["build", "check", "schema", "serve", "new", "diff", "report", "digest", "bundle", "lsp", "cms", "init"]


_USAGE_MESSAGES = [
    (re.compile(r"unrecognized arguments: (.*)"), "不认识的参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)"), "参数 {0} 的值“{1}”无效（可选：{2}）"),
    (re.compile(r"the following arguments are required: (.*)"), "缺少必需的参数：{0}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (\S+): invalid int value: '?([^']*)'?"), "参数 {0} 应为整数，读到“{1}”"),
    (re.compile(r"argument (\S+): (.*)"), "参数 {0}：{1}"),
]


def translate_usage(message: str) -> str:
    """argparse speaks English; staff read Chinese."""
    for pattern, template in _USAGE_MESSAGES:
        match = pattern.fullmatch(message.strip())
        if match:
            return template.format(*(g.replace("'", "") for g in match.groups()))
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: Chinese, exit 2
        self.print_usage(sys.stderr)
        command = self.prog.split(maxsplit=1)[1] + " " if " " in self.prog else ""
        sys.stderr.write(f"gongkai: 用法错误：{translate_usage(message)}\n运行 gongkai {command}--help 查看帮助。\n")
        raise SystemExit(2)


class _Version(argparse.Action):
    """`--version`: the package metadata is looked up only when asked (it scans sys.path)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parser._print_message(f"gongkai {version()}\n", sys.stdout)
        parser.exit()


def command_of(argv: list[str]) -> str | None:
    """The command `argv` names (its first word, after the global -v), if it is one of ours."""
    for word in argv:
        if word in ("-v", "--verbose"):
            continue
        return word if word in COMMANDS else None
    return None


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of `only` (a run of one command imports just its module:
    `gongkai build` starts without the modules of `serve`, `cms`, `lsp` …)."""
    parser = _Parser(prog="gongkai", description="基层政务公开网站生成器 gongkai")
    parser.add_argument("-v", "--verbose", action="store_true", help="出错时显示详细调用栈")
    parser.add_argument("--version", action=_Version, help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name in COMMANDS if only is None else [only]:
        try:
            module = importlib.import_module(f"gongkai.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"gongkai.commands.{name}":
                continue  # command not present in this build
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.reconfigure(encoding="utf-8")  # Windows consoles default to GBK
            except (AttributeError, ValueError):
                pass
    words = sys.argv[1:] if argv is None else argv
    parser = make_parser(command_of(words))
    args = parser.parse_args(words)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        sys.stderr.write("已中断。\n")
        return 130
    except OSError as exc:  # a full disk, a read-only or busy output folder: one line, exit 2
        from .oserrors import environment_message

        message = environment_message(exc, Path.cwd())
        if message is None:
            return internal_error(exc, args.verbose)
        sys.stderr.write(message + "\n")
        return 2
    except Exception as exc:  # noqa: BLE001 — a bug in gongkai, not in the content
        return internal_error(exc, args.verbose)


def internal_error(exc: BaseException, verbose: bool) -> int:
    """A bug in gongkai, not in the content: say so, with the traceback under -v."""
    if verbose or os.environ.get("GONGKAI_DEBUG"):
        traceback.print_exception(exc)
    sys.stderr.write(f"gongkai 内部错误：{type(exc).__name__}: {exc}\n请加 -v 重新运行并把输出报告给维护人员。\n")
    return 3


def entry() -> None:
    """The `gongkai` command and `python -m gongkai`: `main`, and its exit code as the process's.

    An ordinary exit (`SystemExit`), so `atexit` handlers and buffered streams are finished as
    Python always does; tests call `main` itself. The heap is frozen first (`gc.freeze`): the
    collector's last pass on the way out would walk every object the command still holds (a
    township's snapshot, a county's index state: 0.1 s of a one-document edit of a county), and
    nothing in it is garbage the exit needs collected (files are closed by `with`, temporary
    folders by their atexit finalizers).
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
