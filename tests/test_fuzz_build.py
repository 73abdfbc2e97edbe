"""Hypothesis over whole tiny sites: bad input never crashes the build.

Each example is a small content tree (town, villages, catalog, a few documents) where front
matter values, keys, Markdown bodies (with raw HTML), file names and byte encodings are random
but structured the way people get them wrong. `build()` must return normally: ok, or errors that
each name a file and a line; the CLI exits 0 or 1, never with a traceback. When a build succeeds,
its pages carry no script from the content.

The strategies are shared with benchmarks/reliability.py, which runs ≥ 10,000 of them through
load + validate.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from sitekit import AREA_YAML, SITE_YAML, TODAY, VILLAGE_YAML, run_cli
from test_security_markup import content_problems

from gongkai.build import BuildOptions, build
from gongkai.diagnostics import Diagnostic, Severity

REPO = Path(__file__).resolve().parent.parent

# ---- strategies --------------------------------------------------------------------------------

CJK = "低保公示关于通知永岁镇井头村慕道村金额户主审核名单，。：；“”（）【】、"
TEXT = st.text(alphabet=st.sampled_from(list(CJK + "abcXYZ019 -_./:#&<>'\"|*[]{}!@%`~\\\t") + ["\u3000", "😀", "\ufeff"]),
               max_size=40)
WILD_TEXT = st.text(max_size=30)  # any code point: controls, surrogates excluded by hypothesis

YAML_JUNK = [
    "", "~", "null", "[", "]", "{", "}", "{a: 1}", "[1, 2]", "- x", "0123", "12:30", "no", "yes", "off",
    "13800138000", "2026-02-30", "2026-13-01", "2026/03/05", "二〇二六年三月", "'unterminated", '"bad \\x escape"',
    "&anchor x", "*alias", "!!python/object/apply:os.system ['true']", "!!binary xyz", "|", ">", "@x", "`x`",
    "%YAML 1.1", "#", "a: b: c", "：全角", "\t", "\u3000值", "x" * 3000, "很长" * 1500, "…", "😀", "[[[[[[[[[[",
    "{a: [b, {c: d}]}", "? complex key", "!!int abc", "1e999", ".nan", "-.inf", "0x1F", "1_000", "\\u0000",
    '"\\ud800"', "<<: *a", "---", "...", "'", "\"", ": :", "- - -",
]

VALID = {
    "title": ["关于做好低保工作的通知", "公示", "'<script>alert(1)</script>标题'"],
    "attribute": ["主动公开", "依申请公开", "不予公开", "此件公开发布", "公开"],
    "item": ["shjz-dibao", "shjz-guide", "no-such-item", "shjz_dibao"],
    "created": ["2026-03-02", "2020-01-01", "2026-11-26", "2027-01-01"],
    "published": ["2026-03-05", "2026-03-01", "2026-11-26"],
    "kind": ["通知", "公示", "解读", "公告", "请示"],
    "doc_number": ["永政发〔2026〕3号", "永政发[2026]3号", "永政发（2026）3号", "12345"],
    "reason": ["涉及个人隐私", ""],
    "legal_basis": ["个人隐私", "第十五条 个人隐私", "过程性信息", "不存在的依据"],
    "villages": ["[jingtou]", "[mudao, jingtou]", "[nowhere]", "jingtou", "- jingtou"],
    "valid_until": ["2026-12-20", "2026-01-01"],
    "interprets": ["2026/dibao", "2026/missing", "../dibao"],
    "attachments": ["[attachments/a.csv]", "['../../etc/passwd']", "['/etc/passwd']", "['C:\\x.pdf']",
                    "[assets/site.js]", "[attachments/missing.pdf]", "[{file: attachments/a.csv, title: 表}]", "[{}]"],
    "qa": ["\n  - q: 问\n    a: 答<script>x()</script>", "[1, 2]", "\n  - q: 问"],
    "form": ["简明问答", "图表图解", "漫画"],
    "keywords": ["[低保, 救助]", "低保"],
    "summary": ["一句话摘要"],
    "reviewed": ["2025-01-01"],
    "index_number": ["11450324MB0000000X/2026-00001"],
    "period": ["2026", "2026-Q5", "2026-07"],
    "restates": ["2026/dibao", "2026/x"],
    "validity": ["有效"],
}
KEYS = list(VALID)

HOSTILE_HTML = [
    "<script>alert(1)</script>", "<iframe src=//evil.example>", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "![x](data:text/html,alert(1))", "<a href=\"JaVaScRiPt:alert(1)\">a</a>",
    "<svg onload=alert(1)>", "<style>*{}</style>", "<form action=//evil.example>", "<meta http-equiv=refresh>",
    "<object data=x>", "&#106;avascript:", "<!-- c -->", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<", "</div>", "<table>", "&", "&#", "&#x;", "]]>", "{: #main onclick=alert(1) }",
]
MD_SYNTAX = ["# ", "## ", "\n\n", "\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\n", "* ", "1. ", "> ", "[x](",
             "![", "**", "_", "---\n", "    code\n", "Term\n: def\n", "\\", "[^1]", "<http://a>"]
BODY = st.lists(st.one_of(st.sampled_from(HOSTILE_HTML), st.sampled_from(MD_SYNTAX), TEXT), max_size=12).map("".join)

FILE_NAME = st.text(alphabet=st.sampled_from(list("abc019 低保公示-_.()（）【】😀#%&+=,;'") + ["\u3000"]), min_size=1, max_size=24)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    fields = dict.fromkeys(["title", "attribute", "item", "created", "published", "kind"])
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=5)):
        fields[key] = None
    lines = []
    for key in fields:
        if draw(st.integers(0, 9)) == 0:
            continue  # a required key forgotten
        value = draw(st.one_of(
            st.sampled_from(VALID[key]), st.sampled_from(VALID[key]), st.sampled_from(VALID[key]),
            st.sampled_from(YAML_JUNK), TEXT, WILD_TEXT,
        ))
        name = draw(st.sampled_from([key, key, key, key, key.upper(), key + " ", "标题" if key == "title" else key + "s"]))
        sep = draw(st.sampled_from([": ", ": ", ": ", ":", "：", " : ", ":\t"]))
        indent = draw(st.sampled_from(["", "", "", "", " ", "\t", "\u3000"]))
        lines.append(f"{indent}{name}{sep}{value}")
        if draw(st.integers(0, 19)) == 0:
            lines.append(lines[-1])  # duplicate key
    draw(st.randoms()).shuffle(lines)
    return "\n".join(lines)


@st.composite
def clean_front_matter(draw: st.DrawFn) -> str:
    """Valid front matter with random (JSON-quoted) text values: these documents get rendered."""
    import json

    kind = draw(st.sampled_from(["通知", "公示", "公告"]))
    attribute = draw(st.sampled_from(["主动公开", "主动公开", "主动公开", "依申请公开"]))
    lines = [
        f"title: {json.dumps('关于' + draw(TEXT), ensure_ascii=False)}",
        f"attribute: {attribute}", "item: shjz-dibao", "created: 2026-03-02", "published: 2026-03-05", f"kind: {kind}",
    ]
    if attribute == "依申请公开":
        lines.append(f"reason: {json.dumps('涉及' + draw(TEXT), ensure_ascii=False)}")
    if draw(st.booleans()):
        lines.append(f"summary: {json.dumps('摘要' + draw(TEXT), ensure_ascii=False)}")
    if draw(st.booleans()):
        lines.append(f"issuer: {json.dumps('镇' + draw(TEXT), ensure_ascii=False)}")
    if kind == "公示" and draw(st.booleans()):
        lines.append("valid_until: 2026-12-20")
    if draw(st.booleans()):
        lines.append(f"villages: {draw(st.sampled_from(['[jingtou]', '[mudao, jingtou]']))}")
    return "\n".join(lines)


@st.composite
def document_file(draw: st.DrawFn, clean: bool = False) -> str:
    if clean:
        return "---\n" + draw(clean_front_matter()) + "\n---\n" + draw(BODY)
    head = draw(front_matter())
    opening = draw(st.sampled_from(["---\n", "---\n", "---\n", "--- \n", "", "----\n", "\ufeff---\n"]))
    closing = draw(st.sampled_from(["\n---\n", "\n---\n", "\n---\n", "\n", "\n...\n", "\n--- \n"]))
    return opening + head + closing + draw(BODY)


ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8", "utf-8-sig", "crlf", "gbk", "utf-16", "truncated", "nul", "bytes"]


def encode(text: str, how: str, cut: int) -> bytes:
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "gbk":
        return text.encode("gb18030", "replace")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "utf-8-sig":
        return text.encode("utf-8-sig", "surrogatepass")
    data = text.encode("utf-8", "surrogatepass")
    if how == "truncated":
        return data[: cut % (len(data) + 1)]
    if how == "nul":
        return data[: cut % (len(data) + 1)] + b"\x00" + data[cut % (len(data) + 1):]
    if how == "bytes":
        return bytes((cut * 7919 + i * 31) % 256 for i in range(cut % 300))
    return data


def mutate_lines(text: str, draw: st.DrawFn) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        op = draw(st.sampled_from(["drop", "junk", "tab", "colon", "dup"]))
        if not lines:
            break
        if op == "drop":
            lines.pop(i)
        elif op == "junk":
            key = lines[i].split(":", 1)[0] if ":" in lines[i] else lines[i]
            lines[i] = f"{key}: {draw(st.sampled_from(YAML_JUNK))}"
        elif op == "tab":
            lines[i] = "\t" + lines[i]
        elif op == "colon":
            lines[i] = lines[i].replace(":", "：", 1)
        else:
            lines.insert(i, lines[i])
    return "\n".join(lines)


@dataclass
class FuzzSite:
    files: dict[str, bytes]
    clean: bool = False  # valid but for random text: expected to build

    def write(self, root: Path) -> Path:
        content = root / "content"
        for rel, data in self.files.items():
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return content


@st.composite
def sites(draw: st.DrawFn, max_docs: int = 4) -> FuzzSite:
    site_yaml = SITE_YAML if draw(st.integers(0, 9)) else mutate_lines(SITE_YAML, draw)
    area = AREA_YAML if draw(st.integers(0, 9)) else mutate_lines(AREA_YAML, draw)
    files: dict[str, bytes] = {
        "site.yaml": site_yaml.encode("utf-8"),
        "villages/jingtou.yaml": VILLAGE_YAML.format(name="井头村").encode("utf-8"),
        "villages/mudao.yaml": VILLAGE_YAML.format(name="慕道村").encode("utf-8"),
        "catalog/shjz.yaml": area.encode("utf-8"),
        "attachments/a.csv": "户主,金额\n张三,300\n".encode("gbk"),
        "documents/2026/dibao.md": (
            "---\ntitle: 关于做好低保工作的通知\nattribute: 主动公开\nitem: shjz-dibao\ncreated: 2026-03-02\n"
            "published: 2026-03-05\nkind: 通知\n---\n正文。\n"
        ).encode(),
    }
    clean = draw(st.booleans())  # half the sites are valid but for their text: they get rendered
    if clean:
        files["site.yaml"], files["catalog/shjz.yaml"] = SITE_YAML.encode(), AREA_YAML.encode()
    for _ in range(draw(st.integers(1, max_docs))):
        name = draw(FILE_NAME)
        if name in (".", "..") or name.startswith(".") or len(name.encode("utf-8")) > 200:
            name = "x" + name[:40]
        if clean:
            files[f"documents/2026/{name}.md"] = draw(document_file(clean=True)).encode("utf-8")
            continue
        suffix = draw(st.sampled_from([".md"] * 8 + [".MD", ".txt", ".markdown", ""]))
        folder = draw(st.sampled_from(["documents/2026"] * 6 + ["documents/2025/子目录", "documents",
                                       "consultations", "guides", "lists", "villages"]))
        how = draw(st.sampled_from(ENCODINGS)) if draw(st.integers(0, 2)) == 0 else "utf-8"
        files[f"{folder}/{name}{suffix}"] = encode(draw(document_file()), how, draw(st.integers(0, 10_000)))
    return FuzzSite(files, clean)


# ---- checks ------------------------------------------------------------------------------------------


def diagnostic_problems(d: Diagnostic) -> list[str]:
    out = []
    if not d.path or d.line < 1 or d.col < 1:
        out.append(f"no position: {d}")
    if not d.message.strip():
        out.append(f"empty message: {d}")
    if "Traceback" in d.message or "Error:" in d.message and "错误" not in d.message:
        out.append(f"exception text in message: {d.message[:200]}")
    return out


def check_result(result, out: Path) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    for d in result.diagnostics.items:
        problems += diagnostic_problems(d)
    errors = [d for d in result.diagnostics.items if d.severity is Severity.ERROR]
    if result.ok and errors:
        problems.append("ok with errors")
    if not result.ok and not errors:
        problems.append("failed without an error")
    if result.ok:
        for page in (out / "documents").rglob("*.html"):
            problems += [f"{page.name}: {p}" for p in content_problems(page.read_text(encoding="utf-8"))]
    return problems


def build_one(site: FuzzSite) -> list[str]:
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-fuzz-"))
    try:
        content = site.write(tmp)
        out = tmp / "site"
        result = build(BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY,
                                    jobs=1, project=REPO))
        if currently_in_test_context():  # statistics for --hypothesis-show-statistics
            event("built" if result.ok else "refused with errors")
        return check_result(result, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(sites())
def test_build_never_crashes_and_every_error_has_a_position(site: FuzzSite) -> None:
    assert build_one(site) == []


@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sites(max_docs=2), st.sampled_from(["build", "check"]))
def test_cli_exits_0_or_1_without_traceback(site: FuzzSite, command: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-fuzz-cli-"))
    try:
        site.write(tmp)
        args = [command, "--today", TODAY.isoformat()] + (["-q"] if command == "build" else [])
        done = run_cli(*args, cwd=tmp)
        assert done.returncode in (0, 1), done.stderr[-2000:]
        assert "Traceback" not in done.stderr and "内部错误" not in done.stderr
        if done.returncode == 1:
            assert any(":" in line for line in done.stdout.splitlines() + done.stderr.splitlines())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_known_nasty_inputs() -> None:
    """Regressions found by fuzzing and review, run every time."""
    nasty = {
        "documents/2026/n1.md": b"---\ntitle: [\n---\n",
        "documents/2026/n2.md": b"---\n" + b"a: " + b"[" * 500 + b"\n---\n",
        "documents/2026/n3.md": b"---\ntitle: x\n---\n" + b"<" * 5000,
        "documents/2026/n4.md": b"---\n!!python/object/apply:os.system ['echo pwned']\n---\n",
        "documents/2026/n5.md": b"---\ntitle: &a x\nattribute: *a\n---\n",
        "documents/2026/n6.md": b"---\nt: &a [*a]\n---\n",
        "documents/2026/n7.md": "---\ntitle：全角冒号\nkind: 通知\n---\n".encode(),
        "documents/2026/n8.md": b"\xff\xfe\x00\x00",
        "documents/2026/n9.md": b"---\ntitle: \"\\ud800\"\n---\n",
        "documents/2026/n10.md": b"---\r---\r",
    }
    files = {
        "site.yaml": SITE_YAML.encode(), "catalog/shjz.yaml": AREA_YAML.encode(),
        "villages/jingtou.yaml": VILLAGE_YAML.format(name="井头村").encode(), **nasty,
    }
    problems = build_one(FuzzSite(files))
    assert problems == []
