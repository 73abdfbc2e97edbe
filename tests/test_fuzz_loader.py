"""Property test: no input, however broken, makes `gongkai check` raise.

Start from a valid file of every content kind, mutate it the way people and tools break files
(deleted/duplicated/swapped characters and lines, full-width colons, tabs, U+3000, BOMs, NUL
bytes, random unicode, truncation, other encodings), run it through `load_content` + `validate`
and the three output formats, and require that every diagnostic has a location inside the file
and a Chinese message.

`HYPOTHESIS_PROFILE=fuzz` runs 10,000 examples per test (the benchmark-style job); the default
keeps the unit-test run short. `benchmarks/fuzz.py` reuses `SEEDS` and `mutate` for a seeded,
in-process run through the CLI path.
"""

from __future__ import annotations

import atexit
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sitekit import TODAY, base_files, write_tree

from gongkai.diagnostics import Diagnostics, format_diagnostics
from gongkai.loading import load_content
from gongkai.validate import validate

_FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
PROFILE = settings(
    max_examples=10_000 if _FUZZ else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None if _FUZZ else settings.default.database,
)

LIST_YAML = """\
title: 永岁镇权力清单
kind: 权力清单
updated: 2026-01-05
entries:
  - code: QZ-GG-0001
    name: 最低生活保障申请
    category: 行政给付
    department: 永岁镇社会事务办
    time_limit: 5个工作日
    basis: [《社会救助暂行办法》]
"""

GUIDE_YAML = """\
title: 最低生活保障申请
entry: QZ-GG-0001
item: shjz-guide
department: 永岁镇社会事务办
time_limit: 5个工作日
conditions: |
  家庭人均收入低于当地低保标准。
  注意：需提供家庭收入证明。
materials:
  - 户口簿
  - name: 身份证
    copies: 复印件1份
process:
  - 第一步：提交申请
  - 第二步：入户调查
phone: 0773-4800000
updated: 2026-01-05
"""

CONSULTATION_MD = """\
---
title: 永岁镇集镇污水处理设施建设方案
scope: 全镇居民
methods: [征集意见, 听证座谈]
channels: [电话, 镇政府意见箱]
opens: 2026-10-01
closes: 2026-10-31
published: 2026-09-30
villages: [jingtou]
---
## 方案说明

正文：欢迎提出意见。
"""

WITHHELD_MD = """\
---
title: 党政联席会议讨论记录
attribute: 不予公开
reason: 讨论记录，属于过程性信息
legal_basis: 第十六条 过程性信息
created: 2026-03-02
reviewed: 2026-03-02
kind: 纪要
---
（不公开）
"""

INTERPRETATION_MD = """\
---
title: 《关于做好低保工作的通知》政策解读
attribute: 主动公开
item: shjz-dibao
created: 2026-03-02
published: 2026-03-05
kind: 解读
interprets: 2026/dibao
form: 简明问答
qa:
  - q: 谁可以申请？
    a: 户籍在本镇、家庭人均收入低于标准的家庭。
---
"""

# kind -> (path under content/, valid text). Together with sitekit's base tree they validate.
SEEDS: dict[str, tuple[str, str]] = {
    **{kind: (rel, base_files()[rel]) for kind, rel in (
        ("site", "site.yaml"), ("village", "villages/jingtou.yaml"),
        ("area", "catalog/shjz.yaml"), ("document", "documents/2026/dibao.md"),
    )},
    "withheld": ("documents/2026/minutes.md", WITHHELD_MD),
    "interpretation": ("documents/2026/dibao-jiedu.md", INTERPRETATION_MD),
    "guide": ("guides/dibao.yaml", GUIDE_YAML),
    "list": ("lists/power.yaml", LIST_YAML),
    "consultation": ("consultations/wushui.md", CONSULTATION_MD),
}

INSERTS = [
    "：", "\t", "\u3000", "\ufeff", "\x00", ":", ": ", "- ", "---\n", "...\n", "\n", "'", '"', "[", "]",
    "{", "}", "&a ", "*a", "|", ">", "#", "%", "@", "`", "!!", "!!python/object:os.system ", "? ",
    "\r\n", "\r", "\x85", "\u2028", "\x07", "\x1b", "~", "null", "no", "0123", "12:30", "2024-13-01",
    "13800138000", "450324199001011234", "..", "../", "/etc/passwd", "〔2024〕", "\\", "\\x", "<<: *a",
    "\U0001f600", "\ud7ff", "\ue000", "\U000e0001", "a" * 300,
]


def _random_char(rnd: random.Random) -> str:
    while True:
        code = rnd.randint(0, 0x10FFFF) if rnd.random() < 0.5 else rnd.randint(0, 0x4FFF)
        if not 0xD800 <= code <= 0xDFFF:
            return chr(code)


def _lines_op(text: str, rnd: random.Random) -> str:
    lines = text.split("\n")
    i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
    op = rnd.randrange(4)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    elif op == 2:
        lines[i], lines[j] = lines[j], lines[i]
    else:  # re-indent a line with tabs / full-width spaces
        stripped = lines[i].lstrip(" ")
        width = len(lines[i]) - len(stripped)
        lines[i] = rnd.choice(["\t", "\u3000", "\u3000\u3000", " " * rnd.randint(0, 6)]) * max(width, 1) + stripped
    return "\n".join(lines)


def _chars_op(text: str, rnd: random.Random) -> str:
    n = len(text)
    i = rnd.randint(0, n)
    j = min(n, i + rnd.randint(1, 12))
    op = rnd.randrange(6)
    if op == 0:
        return text[:i] + text[j:]
    if op == 1:
        return text[:i] + text[i:j] + text[i:]
    if op == 2 and n > 1:
        a, b = sorted((rnd.randrange(n), rnd.randrange(n)))
        return text[:a] + text[b] + text[a + 1 : b] + text[a] + text[b + 1 :]
    if op == 3:
        return text[:i] + rnd.choice(INSERTS) + text[i:]
    if op == 4:
        return text[:i] + "".join(_random_char(rnd) for _ in range(rnd.randint(1, 4))) + text[i:]
    return text[:i]  # truncation


def mutate(text: str, rnd: random.Random) -> bytes:
    """1–5 mutations of `text`, then an encoding (mostly UTF-8)."""
    for _ in range(rnd.randint(1, 5)):
        text = _lines_op(text, rnd) if rnd.random() < 0.35 else _chars_op(text, rnd)
    enc = rnd.random()
    if enc < 0.80:
        data = text.encode("utf-8", errors="surrogatepass")
    elif enc < 0.85:
        data = "\ufeff".encode() + text.encode("utf-8", errors="surrogatepass")
    elif enc < 0.90:
        data = text.replace("\n", "\r\n").encode("utf-8", errors="surrogatepass")
    elif enc < 0.94:
        data = text.encode("gb18030", errors="replace")
    elif enc < 0.97:
        data = text.encode(rnd.choice(["utf-16", "utf-16-le", "utf-16-be"]), errors="surrogatepass")
    else:
        data = bytearray(text.encode("utf-8", errors="surrogatepass"))
        for _ in range(rnd.randint(1, 8)):
            if data:
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        data = bytes(data)
    return data


_CJK = re.compile(r"[\u4e00-\u9fff]")


_TREE: list[Path] = []


@contextmanager
def fuzz_tree() -> Iterator[Path]:
    """A valid content tree with every kind (made once per process), as the working directory.

    `check_bytes` restores the file it mutates, so the tree stays valid between examples.
    """
    if not _TREE:
        tmp = Path(tempfile.mkdtemp(prefix="gongkai-fuzz-"))
        atexit.register(shutil.rmtree, tmp, True)
        files: dict[str, str | bytes | None] = dict(base_files())
        files.update({rel: text for rel, text in SEEDS.values()})
        _TREE.append(write_tree(tmp, files))
    content = _TREE[0]
    old = os.getcwd()
    os.chdir(content.parent)
    try:
        yield content
    finally:
        os.chdir(old)


def check_bytes(content: Path, rel: str, data: bytes, original: str) -> tuple[Diagnostics, list[str]]:
    """Write `data` at `rel`, run the check path, restore the file. Returns (diags, problems)."""
    target = content / rel
    target.write_bytes(data)
    try:
        raw = load_content(content)
        _, diags = validate(raw, TODAY)
        for fmt in ("text", "github", "json"):
            format_diagnostics(diags, fmt)
    finally:
        target.write_text(original, encoding="utf-8")
    problems = []
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    last_line = text.count("\n") + 2
    for d in diags.items:
        if not d.path or d.line < 1 or d.col < 1 or not _CJK.search(d.message):
            problems.append(f"bad diagnostic: {d!r}")
        elif d.path.endswith(rel) and d.line > last_line:
            problems.append(f"line outside the file ({last_line - 1} lines): {d.text()}")
    return diags, problems


def test_seeds_are_valid() -> None:
    with fuzz_tree() as content:
        raw = load_content(content)
        site, diags = validate(raw, TODAY)
        assert not diags.errors, [d.text() for d in diags.errors]
        assert site is not None
        assert {r.kind for r in raw.records} == {"town", "village", "area", "document", "guide", "list", "consultation"}


@PROFILE
@given(kind=st.sampled_from(sorted(SEEDS)), rnd=st.randoms(use_true_random=False))
@example(kind="village", rnd=random.Random(0))
def test_mutated_files_never_crash(kind: str, rnd: random.Random) -> None:
    rel, original = SEEDS[kind]
    data = mutate(original, rnd)
    with fuzz_tree() as content:
        _, problems = check_bytes(content, rel, data, original)
    assert not problems, (data, problems)


@PROFILE
@given(kind=st.sampled_from(sorted(SEEDS)), front=st.text(max_size=400), binary=st.booleans(), blob=st.binary(max_size=300))
def test_random_text_never_crashes(kind: str, front: str, binary: bool, blob: bytes) -> None:
    rel, original = SEEDS[kind]
    if binary:
        data = blob
    elif rel.endswith(".md"):
        data = ("---\n" + front + "\n---\n正文\n").encode("utf-8", errors="surrogatepass")
    else:
        data = front.encode("utf-8", errors="surrogatepass")
    with fuzz_tree() as content:
        _, problems = check_bytes(content, rel, data, original)
    assert not problems, (data, problems)


YAML_ATOMS = st.sampled_from([
    "title", "attribute", "item", "created", "published", "kind", "name", "committee", "items", "id",
    "主动公开", "不予公开", "no", "yes", "~", "12", "2024-13-01", "2026-03-05", "：", ":", "- ", "  ", "\t",
    "\u3000", "\n", "[", "]", "{", "}", ",", '"', "'", "#", "&a", "*a", "|", ">", "---", "?", "!!str",
])


@PROFILE
@given(kind=st.sampled_from(sorted(SEEDS)), atoms=st.lists(YAML_ATOMS, max_size=60))
def test_yaml_shaped_noise_never_crashes(kind: str, atoms: list[str]) -> None:
    rel, original = SEEDS[kind]
    body = "".join(atoms)
    text = f"---\n{body}\n---\n" if rel.endswith(".md") else body
    data = text.encode("utf-8")
    with fuzz_tree() as content:
        _, problems = check_bytes(content, rel, data, original)
    assert not problems, (data, problems)
