"""YAML → plain data with the source position of every key and value.

Why not `yaml.safe_load`: PyYAML implements YAML 1.1 (`no` → False, `0123` → 83, `12:30` → 750,
phone numbers → int) and forgets positions. We compose with `BaseLoader` so every scalar stays a
string (pydantic converts it, with a field-level error), keep each node's mark, and reject what
people typing on Windows with a Chinese IME get wrong: tabs, full-width spaces and colons,
duplicate keys.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import Diagnostic, error, warning

Path_ = tuple[str | int, ...]
_NULLS = {"", "~", "null", "Null", "NULL"}
_FW_COLON = re.compile(r"^(?P<indent>[ \t\u3000]*)(?:-\s+)?(?P<key>[^\s:：#'\"\-|>][^:：#]{0,30}?)\s*：")
_NO_SPACE = re.compile(r"^(?P<lead> *(?:-\s+)?)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?P<value>[^\s:/][^\n]*)$")
_BLOCK_START = re.compile(r"[:\-]\s*[|>][+-]?\d*\s*(#.*)?$")
_LEADING_BAD_SPACE = re.compile(r"^([ ]*)([\t\u3000]+)(?=\S)")
_ASCII_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_QUOTED_VALUE = re.compile(r"""^\s*(-\s+)*([^\s:#'"][^:#]*:\s+)?(-\s+)*("[^"]*"|'[^']*')$""")
WITH_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
MAX_NODES = 200_000  # aliases are shared nodes: cap the expansion ("billion laughs")


@dataclass
class Marks:
    """Positions (1-based line, col) of values and keys, addressed by their path in the data.

    Marks are only read to place a diagnostic, and most builds report nothing about most files,
    so the load cache keeps them as bytes (`to_bytes`) and `from_bytes` gives marks that decode
    themselves on first use.
    """

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Marks:
        """Marks that unpickle `blob` (from `to_bytes`) when first read."""
        marks = cls.__new__(cls)
        marks.__dict__["_blob"] = blob
        return marks

    def to_bytes(self) -> bytes:
        blob = self.__dict__.get("_blob")
        if blob is None:
            blob = pickle.dumps((self.values, self.keys), protocol=pickle.HIGHEST_PROTOCOL)
        return blob

    def __getattr__(self, name: str) -> Any:  # only called for attributes not set yet
        blob = self.__dict__.get("_blob")
        if blob is not None and name in ("values", "keys"):
            self.__dict__["values"], self.__dict__["keys"] = pickle.loads(blob)
            return self.__dict__[name]
        raise AttributeError(name)

    def __getstate__(self) -> dict[str, Any]:
        return {"values": self.values, "keys": self.keys}  # the same bytes, decoded or not

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


@dataclass
class _Finding:
    """A suspicious line found before parsing; whether it is an error depends on the parse."""

    line: int  # 1-based, relative to the YAML text
    kind: str  # "indent" (tab / U+3000 indentation) | "colon" (full-width colon after a key)
    key: str
    diag: Diagnostic

    @property
    def ascii_key(self) -> bool:
        """Every gongkai field name is ASCII: `title：` is a mistyped key, `第一步：` is prose."""
        return bool(_ASCII_KEY.match(self.key))


def _prescan(text: str, path: str, line_offset: int) -> list[_Finding]:
    """Find IME and Windows-editor mistakes so PyYAML's riddles can be explained."""
    found: list[_Finding] = []
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
            what = " Tab 制表符" if "\t" in bad.group(2) else "全角空格（U+3000）"
            found.append(_Finding(number, "indent", "", error(
                path, line, len(bad.group(1)) + 1, f"缩进使用了{what}",
                "YAML 只能用半角空格缩进，请换成半角空格，并与同一层的字段左边对齐", "yaml.indent_char")))
        fw = _FW_COLON.match(raw)
        if fw and ":" not in raw[: fw.end()]:
            key = fw.group("key").strip()
            found.append(_Finding(number, "colon", key, error(
                path, line, fw.end(), f"“{key}”后面使用了全角冒号“：”",
                f"请改成半角冒号加空格，例如 {key}: …；输入冒号前先切换到英文输入法", "yaml.fullwidth_colon")))
        tight = _NO_SPACE.match(raw)
        if tight:
            key, value = tight.group("key"), tight.group("value").rstrip()
            shown = value if len(value) <= 12 else value[:12] + "…"
            found.append(_Finding(number, "nospace", key, error(
                path, line, tight.end("key") + 1, f"“{key}”的冒号后面缺少空格",
                f"YAML 要求冒号后面有一个半角空格，请改为 {key}: {shown}", "yaml.colon_no_space")))
        if _BLOCK_START.search(raw):
            block_indent = indent
    return found


def _previous_content_line(lines: list[str], line: int) -> int:
    """The nearest line before `line` (1-based) that is neither blank nor a comment."""
    for number in range(min(line - 1, len(lines)), 0, -1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#"):
            return number
    return line


def _explain_syntax_error(found: list[_Finding], text: str, syntax: Diagnostic, line_offset: int) -> list[Diagnostic]:
    """A syntax error plus the mistakes that explain it (reported instead of PyYAML's wording).

    A full-width colon makes PyYAML fail on the *next* line, so findings on the error line or
    the content line before it replace the syntax error; tab indentation and mistyped ASCII keys
    elsewhere are errors too and are reported in the same run.
    """
    err_line = syntax.line - line_offset
    first = _previous_content_line(text.split("\n"), err_line)
    near = [f for f in found if first <= f.line <= err_line]
    elsewhere = [f for f in found if f not in near and (f.kind == "indent" and "Tab" in f.diag.message or f.ascii_key)]
    return [f.diag for f in elsewhere] + ([f.diag for f in near] or [syntax])


# (PyYAML wording, message, hint, report at the opening mark rather than where PyYAML gave up)
_PROBLEMS: list[tuple[str, str, str, bool]] = [
    ("found character '\\t'", "这里出现了 Tab 制表符", "请把 Tab 换成空格；值里确实需要 Tab 时把整段值用引号括起来", False),
    ("tab character", "这里出现了 Tab 制表符", "请把 Tab 换成空格；值里确实需要 Tab 时把整段值用引号括起来", False),
    ("mapping values are not allowed", "这里不能出现冒号“:”",
     "值里含有半角冒号时请把整段值用引号括起来，例如 title: \"会议: 议程\"；也可能是这一行的缩进不对", False),
    ("found unexpected ':'", "这里不能出现冒号“:”", "值里含有冒号时请用引号括起来", False),
    ("could not find expected ':'", "这一行缺少冒号“:”", "每一行应写成“字段名: 值”，冒号用半角并在后面加空格", True),
    ("expected <block end>", "缩进不一致", "同一层的字段必须对齐，请检查这一行和上一行的空格数", False),
    ("did not find expected key", "缩进不一致或缺少字段名", "同一层的字段必须对齐；列表项以“- ”开头", False),
    ("did not find expected '-' indicator", "列表缩进不一致", "列表的每一项以“- ”开头并对齐", False),
    ("while scanning a quoted scalar", "引号没有闭合", "在这段文字末尾补上配对的引号；文字中的引号请用中文引号“”", True),
    ("found unexpected end of stream", "引号或括号没有闭合", "检查这一行的引号和括号是否成对", True),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合或缺少逗号", "列表写成 [甲, 乙]，逗号用半角；或改用每行一个“- 项”", True),
    ("expected ',' or '}'", "花括号 { } 没有闭合或缺少逗号", "检查这一行的括号和逗号，逗号用半角", True),
    ("expected a comment or a line break", "引号后面还有多余的文字",
     "值以引号开头时整段文字都要在引号内；文字中的引号请用中文引号“”，例如 title: 关于“低保”的通知", False),
    ("found undefined alias", "引用了未定义的锚点", "删除 * 开头的引用，或直接写出值", False),
    ("found duplicate anchor", "锚点“&”重复定义", "每个锚点名只能定义一次；以 & 开头的值请用引号括起来", False),
    ("expected alphabetic or numeric character", "以“*”或“&”开头的值会被当作锚点引用", "请用引号括起来，例如 title: \"*重要*通知\"", False),
    ("found unknown escape character", "双引号字符串中有无效的转义符“\\”", "改用单引号，或把 \\ 写成 \\\\", False),
    ("expected escape sequence", "双引号字符串中有无效的转义符“\\”", "改用单引号，或把 \\ 写成 \\\\", False),
    ("but found another document", "文件中有多个“---”分隔的文档", "一个文件只能有一份内容；Markdown 文件的正文前只能有一段 --- 包围的头部", False),
    ("expected chomping or indentation indicators", "“|”或“>”后面不能直接写文字", "在 | 后换行再写内容，或把整段值用引号括起来", False),
    ("found character '@'", "值不能以“@”或“`”开头", "请用引号括起来", False),
    ("found character '`'", "值不能以“@”或“`”开头", "请用引号括起来", False),
    ("found character '%'", "值不能以“%”开头", "请用引号括起来", False),
    ("cannot start any token", "这一行以不能作为开头的字符开头", "请把这个值用引号括起来", False),
    ("directive", "以“%”开头的行是 YAML 指令", "删除这一行，或把值用引号括起来", False),
    ("expected '<document start>'", "文件中有以“%”开头的 YAML 指令行", "删除以 % 开头的行；值以 % 开头时请用引号括起来", False),
    ("did not find expected node content", "这里缺少值", "检查逗号、括号和“- ”的用法；含特殊符号的值请用引号括起来", False),
    ("expected the node content", "这里缺少值", "检查逗号、括号和“- ”的用法；含特殊符号的值请用引号括起来", False),
]


def _unclosed_bracket(lines: list[str]) -> tuple[str, int, int] | None:
    """The first `[` or `{` never closed (quotes and comments skipped): (char, line, col), 1-based."""
    stack: list[tuple[str, int, int]] = []
    for number, line in enumerate(lines, start=1):
        quote = ""
        for index, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'" and (index == 0 or line[index - 1] in " [{,:"):
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] == " "):
                break
            elif char in "[{":
                stack.append((char, number, index + 1))
            elif char in "]}" and stack:
                stack.pop()
    return stack[0] if stack else None


def _translate(exc: yaml.MarkedYAMLError, path: str, line_offset: int, text: str = "") -> Diagnostic:
    problem = f"{exc.problem or ''} {exc.context or ''}"
    lines = text.split("\n")
    mark = exc.problem_mark
    if "<stream end>" in problem and "flow" in problem:
        opened = _unclosed_bracket(lines)
        if opened is not None:
            char, line, col = opened
            what = "方括号 [ ] 没有闭合" if char == "[" else "花括号 { } 没有闭合"
            return error(path, line + line_offset, col, what,
                         "补上另一半括号；列表也可以改用每行一个“- 项”的写法", "yaml.syntax")
    if mark is not None and mark.line < len(lines):
        line_text = lines[mark.line]
        before = line_text[: mark.column].rstrip(" ")
        if before[-1:] in ('"', "'") and _QUOTED_VALUE.match(before):
            # `title: "关于"低保"的通知"`: the value's quotes closed early
            return error(path, mark.line + 1 + line_offset, mark.column + 1, "引号后面还有多余的文字",
                         "值以引号开头时整段文字都要在引号内；文字中的引号请用中文引号“”，例如 title: 关于“低保”的通知",
                         "yaml.syntax")
        if "mapping values are not allowed" in problem:
            prev = _previous_content_line(lines, mark.line + 1)
            prev_text = lines[prev - 1] if prev <= len(lines) else ""
            if prev <= mark.line and not re.search(r"[:：]", prev_text) and not prev_text.lstrip().startswith(("-", "[", "{", "'", '"', "|", ">")):
                # `name` typed without its colon swallows the next line as its continuation
                indent = len(prev_text) - len(prev_text.lstrip(" "))
                return error(path, prev + line_offset, indent + 1, "这一行缺少冒号“:”",
                             "每一行应写成“字段名: 值”，冒号用半角并在后面加空格", "yaml.syntax")
            here = len(line_text) - len(line_text.lstrip(" "))
            there = len(prev_text) - len(prev_text.lstrip(" "))
            if prev <= mark.line and here > there and re.match(r"^\s*(-\s+)?[^\s:#][^:#]*:\s+\S", prev_text):
                # `  committee: x` under `name: a`: read as the continuation of a's value
                return error(path, mark.line + 1 + line_offset, here + 1, "这一行比上一行多缩进了",
                             "同一层的字段左边必须对齐；如果这是上一行的值的延续，请把整段值用引号括起来", "yaml.syntax")
    for needle, message, hint, at_opening in _PROBLEMS:
        if needle in problem:
            mark = (exc.context_mark if at_opening else None) or exc.problem_mark or exc.context_mark
            line = (mark.line + 1 if mark else 1) + line_offset
            col = mark.column + 1 if mark else 1
            return error(path, line, col, message, hint, "yaml.syntax")
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 if mark else 1) + line_offset
    col = mark.column + 1 if mark else 1
    return error(path, line, col, f"YAML 格式错误：{(exc.problem or exc.context or '').strip()}",
                 "请对照 docs/content-format.md 中的示例检查这一行；含特殊符号的值请用引号括起来", "yaml.syntax")


def _reader_error(exc: yaml.reader.ReaderError, text: str, path: str, line_offset: int) -> Diagnostic:
    """A control character (PyYAML refuses them): point at it and name it."""
    pos = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, pos) + 1 + line_offset
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return error(path, line, col, f"文件中有不可见的控制字符（U+{ord(char):04X}）",
                 "删除这个看不见的字符，它常见于从网页或 Word 复制的文字", "yaml.control_char")


def compose(text: str) -> yaml.Node | None:
    """The node tree of `text`, composed by libyaml's C parser when PyYAML has it (the same
    nodes and marks, many times faster); the pure-Python loader runs only when the C one
    raises, so that every error is worded (and positioned) exactly as the pure loader words it.
    `tests/test_loading_libyaml.py` holds the two paths equal."""
    # libyaml accepts some tabs the pure scanner rejects, and counts a byte-order mark inside the
    # text as a column: those texts take the pure path. A front matter never ends with a newline
    # (`split_front_matter` drops the line break before the closing ---): libyaml composes it with
    # one added, which changes nothing but a block scalar or an empty value that ends the text
    # (`_ends_cleanly`); those take the pure path too.
    if WITH_LIBYAML and "\t" not in text and "\ufeff" not in text:
        terminated = text.endswith("\n")
        try:
            node = yaml.compose(text if terminated else text + "\n", Loader=yaml.CBaseLoader)
        except (yaml.YAMLError, RecursionError):
            pass
        else:
            if terminated or _ends_cleanly(node, len(text)):
                plain_style(node)
                return node
    return yaml.compose(text, Loader=yaml.BaseLoader)


def _scalars(root: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Every scalar node under `root`, once (an alias is a node shared by several parents)."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.ScalarNode):
            yield n
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.append(k)
                stack.append(v)


def _ends_cleanly(root: yaml.Node | None, end: int) -> bool:
    """True when no scalar that reaches the end of the text is a block scalar (its value would
    take the added line break) or empty (libyaml and the pure loader place an empty node at the
    end of an unterminated text differently); an empty document is left to the pure loader."""
    if root is None:
        return False
    return not any(n.end_mark.index >= end and (n.style in ("|", ">") or n.start_mark.index == n.end_mark.index)
                   for n in _scalars(root))


def plain_style(root: yaml.Node | None) -> None:
    """Spell a plain scalar's style as the pure loader does: None (libyaml: ''). (Collections'
    `flow_style` may differ for indentless sequences; gongkai never reads it.)"""
    if root is None:
        return
    for n in _scalars(root):
        if n.style == "":
            n.style = None


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[ParsedYaml | None, list[Diagnostic]]:
    """Parse one YAML document. `line_offset` shifts lines (front matter starts after `---`).

    Returns (None, errors) or (parsed, warnings).
    """
    notes: list[Diagnostic] = []
    odd = _ODD_BREAKS.search(text)
    if odd:
        # PyYAML (YAML 1.1) breaks lines at NEL/U+2028/U+2029, editors do not: every later
        # line number would be off. They come from pasted web/Word text; treat them as spaces.
        pos = odd.start()
        line = text.count("\n", 0, pos) + 1 + line_offset
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        count = len(_ODD_BREAKS.findall(text))
        notes.append(warning(path, line, col, f"文件中有 {count} 个特殊换行符（U+{ord(odd.group()):04X} 等），已按空格处理",
                             "删除这些看不见的字符，它们常见于从网页或 Word 复制的文字", "yaml.odd_line_break"))
        text = _ODD_BREAKS.sub(" ", text)
    found = _prescan(text, path, line_offset)
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as exc:
        # A full-width colon or tab explains the syntax error better than PyYAML's wording.
        return None, notes + _explain_syntax_error(found, text, _translate(exc, path, line_offset, text), line_offset)
    except yaml.reader.ReaderError as exc:
        return None, notes + [_reader_error(exc, text, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [error(path, 1 + line_offset, 1, f"YAML 无法读取：{exc}", "请检查文件内容，删除其中的特殊字符", "yaml.reader")]
    except RecursionError:
        return None, [error(path, 1 + line_offset, 1, "YAML 嵌套层数过深", "请简化结构", "yaml.depth")]
    marks = Marks()
    diags: list[Diagnostic] = []
    if node is None:
        return ParsedYaml(None, marks), notes
    inside: set[int] = set()  # lines (1-based, relative) inside quoted or block scalars
    count = 0

    def mark_of(n: yaml.Node) -> tuple[int, int]:
        return (n.start_mark.line + 1 + line_offset, n.start_mark.column + 1)

    def convert(n: yaml.Node, at: Path_, depth: int) -> Any:
        nonlocal count
        count += 1
        if depth > 50 or count > MAX_NODES:
            raise RecursionError
        marks.values.setdefault(at, mark_of(n))
        if isinstance(n, yaml.ScalarNode):
            if n.style and n.end_mark.line > n.start_mark.line:
                inside.update(range(n.start_mark.line + 2, n.end_mark.line + 2))
            if n.style is None and n.value in _NULLS:
                return None
            return n.value
        if isinstance(n, yaml.SequenceNode):
            return [convert(child, at + (i,), depth + 1) for i, child in enumerate(n.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in n.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = mark_of(key_node)
                diags.append(error(path, line, col, "字段名必须是简单文字",
                                   "字段名写在行首，后面跟半角冒号和空格，例如 title: 标题", "yaml.complex_key"))
                continue
            key = key_node.value
            if key[:1] in ("\u3000", "\t"):
                line, col = mark_of(key_node)
                what = " Tab 制表符" if key[0] == "\t" else "全角空格（U+3000）"
                diags.append(error(path, line, col, f"缩进使用了{what}",
                                   "YAML 只能用半角空格缩进，请换成半角空格，并与同一层的字段左边对齐", "yaml.indent_char"))
                continue
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
        return None, [error(path, 1 + line_offset, 1, "YAML 嵌套层数过深，或锚点引用（*）展开后过大",
                            "请简化结构，不要用锚点重复引用大段内容", "yaml.depth")]
    # A full-width colon that parsed is harmless prose (`- 第一步：提交申请`) unless it follows
    # a field name (`title：…` swallowed into the previous value) or the whole file is one string.
    for f in found:
        if f.kind == "colon" and f.line not in inside and (f.ascii_key or isinstance(data, str)):
            diags.append(f.diag)
    if diags:
        return None, notes + sorted(diags)
    return ParsedYaml(data, marks), notes


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
