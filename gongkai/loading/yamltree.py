"""YAML → plain data with the source position of every key and value.

Why not `yaml.safe_load`: PyYAML implements YAML 1.1 (`no` → False, `0123` → 83, `12:30` → 750,
phone numbers → int) and forgets positions. We compose with `BaseLoader` so every scalar stays a
string (pydantic converts it, with a field-level error), keep each node's mark, and reject what
people typing on Windows with a Chinese IME get wrong: tabs, full-width spaces and colons,
duplicate keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import Diagnostic, error

Path_ = tuple[str | int, ...]
_NULLS = {"", "~", "null", "Null", "NULL"}
_FW_COLON = re.compile(r"^(?P<indent>[ \t\u3000]*)(?:-\s+)?(?P<key>[^\s:：#'\"\-|>][^:：#]{0,30}?)\s*：")
_BLOCK_START = re.compile(r"[:\-]\s*[|>][+-]?\d*\s*(#.*)?$")
_LEADING_BAD_SPACE = re.compile(r"^([ ]*)([\t\u3000]+)(?=\S)")


@dataclass
class Marks:
    """Positions (1-based line, col) of values and keys, addressed by their path in the data."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, prefer_key: bool = False) -> tuple[int, int]:
        """The best position for `path`: itself, else its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            if path in first:
                return first[path]
            if path in second:
                return second[path]
            if not path:
                return (1, 1)
            path = path[:-1]


@dataclass
class ParsedYaml:
    data: Any
    marks: Marks


class _DuplicateKey(Exception):
    pass


def _prescan(text: str, path: str, line_offset: int) -> list[Diagnostic]:
    """Catch IME and Windows-editor mistakes before PyYAML turns them into riddles."""
    diags: list[Diagnostic] = []
    block_indent: int | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = line_offset + number
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if block_indent is not None:
            if not raw.strip() or indent > block_indent:
                continue  # inside a | or > block scalar: free text
            block_indent = None
        if not raw.strip() or stripped.startswith("#"):
            continue
        bad = _LEADING_BAD_SPACE.match(raw)
        if bad:
            what = "Tab 制表符" if "\t" in bad.group(2) else "全角空格（U+3000）"
            diags.append(
                error(path, line, len(bad.group(1)) + 1, f"缩进使用了{what}",
                      "YAML 只能用半角空格缩进，请把它改成两个空格", "yaml.indent_char")
            )
        fw = _FW_COLON.match(raw)
        if fw and ":" not in raw[: fw.end()]:
            col = fw.end()
            diags.append(
                error(path, line, col, f"“{fw.group('key')}”后面使用了全角冒号“：”",
                      f"请改成半角冒号加空格，例如 {fw.group('key')}: …（切换到英文输入法输入冒号）", "yaml.fullwidth_colon")
            )
        if _BLOCK_START.search(raw):
            block_indent = indent
    return diags


_PROBLEMS: list[tuple[str, str, str]] = [
    ("found character '\\t'", "这里出现了 Tab 制表符", "YAML 只能用半角空格缩进，请把 Tab 换成空格"),
    ("mapping values are not allowed", "这里不能出现冒号“:”",
     "值里含有冒号时请用引号括起来，例如 title: \"会议：议程\"；也可能是缩进不对"),
    ("could not find expected ':'", "缺少冒号“:”", "每一行应写成“字段名: 值”，冒号用半角并在后面加空格；也检查上一行的缩进"),
    ("expected <block end>", "缩进不一致", "同一层的字段必须对齐，请检查这一行和上一行的空格数"),
    ("did not find expected key", "缩进不一致或缺少字段名", "同一层的字段必须对齐；列表项以“- ”开头"),
    ("did not find expected '-' indicator", "列表缩进不一致", "列表的每一项以“- ”开头并对齐"),
    ("found unexpected end of stream", "引号或括号没有闭合", "检查这一行的引号“\"”是否成对"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合或缺少逗号", "列表写成 [甲, 乙]，逗号用半角；或改用每行一个“- 项”"),
    ("expected ',' or '}'", "花括号 { } 没有闭合或缺少逗号", "检查这一行的括号和逗号（用半角）"),
    ("found undefined alias", "引用了未定义的锚点", "删除 * 开头的引用，或直接写出值"),
    ("found unknown escape character", "双引号字符串中有无效的转义符“\\”", "改用单引号，或把 \\ 写成 \\\\"),
    ("but found another document", "文件中有多个“---”分隔的文档", "一个文件只能有一份内容；Markdown 文件的正文前只能有一段 --- 包围的头部"),
    ("found character '@'", "值不能以“@”或“`”开头", "请用引号括起来"),
    ("found character '%'", "值不能以“%”开头", "请用引号括起来"),
]


def _translate(exc: yaml.MarkedYAMLError, path: str, line_offset: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 if mark else 1) + line_offset
    col = mark.column + 1 if mark else 1
    problem = f"{exc.problem or ''} {exc.context or ''}"
    for needle, message, hint in _PROBLEMS:
        if needle in problem:
            return error(path, line, col, message, hint, "yaml.syntax")
    return error(path, line, col, f"YAML 格式错误：{(exc.problem or exc.context or '').strip()}",
                 "请对照 README 中的示例检查这一行", "yaml.syntax")


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[ParsedYaml | None, list[Diagnostic]]:
    """Parse one YAML document. `line_offset` shifts lines (front matter starts after `---`)."""
    pre = _prescan(text, path, line_offset)
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        # A full-width colon or tab explains the syntax error better than PyYAML's wording.
        return None, pre or [_translate(exc, path, line_offset)]
    except yaml.YAMLError as exc:  # e.g. reader errors on control characters
        return None, pre or [error(path, 1 + line_offset, 1, f"YAML 无法读取：{exc}", "删除文件中的控制字符", "yaml.reader")]
    except RecursionError:
        return None, [error(path, 1 + line_offset, 1, "YAML 嵌套层数过深", "请简化结构", "yaml.depth")]
    if pre:
        return None, pre
    marks = Marks()
    diags: list[Diagnostic] = []
    if node is None:
        return ParsedYaml(None, marks), []

    def mark_of(n: yaml.Node) -> tuple[int, int]:
        return (n.start_mark.line + 1 + line_offset, n.start_mark.column + 1)

    def convert(n: yaml.Node, at: Path_, depth: int) -> Any:
        if depth > 50:
            raise RecursionError
        marks.values.setdefault(at, mark_of(n))
        if isinstance(n, yaml.ScalarNode):
            if n.style is None and n.value in _NULLS:
                return None
            return n.value
        if isinstance(n, yaml.SequenceNode):
            return [convert(child, at + (i,), depth + 1) for i, child in enumerate(n.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in n.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = mark_of(key_node)
                diags.append(error(path, line, col, "字段名必须是简单文字", "请检查这一行的写法", "yaml.complex_key"))
                continue
            key = key_node.value
            if key in result:
                line, col = mark_of(key_node)
                first = marks.keys.get(at + (key,), (0, 0))[0]
                diags.append(
                    error(path, line, col, f"字段“{key}”重复出现（第 {first} 行已经写过）",
                          "删除其中一个；YAML 中后写的会悄悄覆盖先写的", "yaml.duplicate_key")
                )
                continue
            marks.keys[at + (key,)] = mark_of(key_node)
            result[key] = convert(value_node, at + (key,), depth + 1)
        return result

    try:
        data = convert(node, (), 0)
    except RecursionError:
        return None, [error(path, 1 + line_offset, 1, "YAML 嵌套层数过深或存在循环引用", "请简化结构", "yaml.depth")]
    if diags:
        return None, diags
    return ParsedYaml(data, marks), []


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---\\n<yaml>\\n---\\n<body>`. Returns (yaml, body, body_first_line) or None."""
    if not text.startswith("---"):
        return None
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None
