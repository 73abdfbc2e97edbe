"""Privacy: no unmasked resident ID, mobile or bank card number in anything the site publishes.

What is published: a 主动公开 document's title, 文号, summary, keywords, Q&A, attachment names
and body; for 依申请公开 only the metadata (title, 文号, summary, keywords) — the body never
leaves the office. 不予公开 documents are not published at all. The scanner itself is
`privacy.scan_text`; this module maps each finding to the exact line and column of the file:
body lines are offset by `entry.body_line`, and front-matter values are found in the source
text from the position of their YAML value (so quoted and block scalars point at the number,
not at the start of the value).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from datetime import date

from ..diagnostics import Diagnostic, error
from ..loading import decode_text
from ..models import Attribute, Document
from ..render.markup import render_markdown
from ..site import Entry, Site
from .privacy import DayWindow, PrivacyFinding, scan_text_window
from .published_attachments import attachment_findings
from .published_fields import unmasked_numbers_in_fields
from .published_text import locate_digits, visible_text

FIELD_NAMES = {
    "title": "标题",
    "doc_number": "发文字号",
    "summary": "摘要",
    "keywords": "主题词",
    "qa": "问答",
    "attachments": "附件名称",
    "body": "正文",
    "issuer": "发布机构",
    "topic": "主题分类",
}
GROUNDS = (
    "《政府信息公开条例》第十五条、《社会救助暂行办法》第六十一条、《个人信息保护法》第二十八条"
)

Key = tuple[str | int, ...]


def published_texts(doc: Document) -> Iterator[tuple[Key, str]]:
    """(YAML path, text) of every front-matter value the site shows for this document."""
    yield ("title",), doc.title
    if doc.doc_number:
        yield ("doc_number",), doc.doc_number
    if doc.summary:
        yield ("summary",), doc.summary
    if doc.issuer:
        yield ("issuer",), doc.issuer
    if doc.topic:
        yield ("topic",), doc.topic
    for i, word in enumerate(doc.keywords):
        yield ("keywords", i), word
    if doc.attribute is not Attribute.ACTIVE:
        return  # 依申请公开: metadata only
    for i, qa in enumerate(doc.qa):
        yield ("qa", i, "q"), qa.q
        yield ("qa", i, "a"), qa.a
    for i, att in enumerate(doc.attachments):
        if att.title:
            yield ("attachments", i, "title"), att.title


class _Source:
    """The document's own lines, to place findings inside front-matter values exactly."""

    def __init__(self, site: Site, entry: Entry[Document]) -> None:
        try:
            text, _ = decode_text(
                (site.root / "documents" / f"{entry.id}.md").read_bytes(), entry.path
            )
        except OSError:
            text = None
        self.lines = (text or "").split("\n")
        self.end = max(entry.body_line - 2, 0)  # the closing --- of the front matter (0-based)

    def find(self, found: str, after: tuple[int, int]) -> tuple[int, int] | None:
        """First occurrence of `found` at or after (line, col), 1-based, inside the front matter."""
        line, col = after
        for index in range(line - 1, min(self.end, len(self.lines))):
            start = col - 1 if index == line - 1 else 0
            pos = self.lines[index].find(found, start)
            if pos >= 0:
                return index + 1, pos + 1
        return None


def _diagnostic(
    entry: Entry[Document], line: int, col: int, where: str, finding: PrivacyFinding
) -> Diagnostic:
    kind = finding.kind
    scope = (
        "主动公开文件"
        if entry.model.attribute is Attribute.ACTIVE
        else "依申请公开文件（网站显示其目录信息）"
    )
    return error(
        entry.path,
        line,
        col,
        f"个人信息未遮盖：{scope}的{where}中有完整的{kind}，公开时应写作“{finding.masked}”",
        f"公开的文件不得出现完整的身份证号、手机号、银行卡号，依据{GROUNDS}；"
        "请改为遮盖形式，名单只写姓名、村组、人数、金额等",
        "governance.privacy",
    )


def document_findings(site: Site, entry: Entry[Document]) -> list[Diagnostic]:
    return document_findings_window(site, entry)[0]


def document_findings_window(site: Site, entry: Entry[Document]) -> tuple[list[Diagnostic], DayWindow]:
    """The errors of one document, and the days on which the scan gives them (see `DayWindow`).

    Reads nothing but the document's own file (its entry, and its bytes for exact positions),
    so the result can be reused while the file is unchanged and the day is inside the window.
    """
    doc = entry.model
    window = DayWindow()
    if doc.attribute is Attribute.WITHHELD:
        return [], window
    today = site.today
    out: list[Diagnostic] = []
    source: _Source | None = None
    for key, text in published_texts(doc):
        findings, seen = scan_text_window(text, today)
        window.narrow(seen)
        if not findings:
            continue
        source = source or _Source(site, entry)
        cursor = entry.marks.locate(key)
        value_at = cursor
        for finding in findings:
            place = source.find(finding.found, cursor)
            if place is None:
                place = value_at
            else:
                cursor = (place[0], place[1] + len(finding.found))
            out.append(_diagnostic(entry, place[0], place[1], FIELD_NAMES[str(key[0])], finding))
    if doc.attribute is Attribute.ACTIVE:
        findings, seen = scan_text_window(entry.body, today)
        window.narrow(seen)
        for finding in findings:
            out.append(
                _diagnostic(entry, entry.body_line + finding.line - 1, finding.col, "正文", finding)
            )
    seen_digits = {_digits(d.message) for d in out}
    for diagnostic in _hidden_findings(site, entry, today, window):
        if _digits(diagnostic.message) not in seen_digits:
            seen_digits.add(_digits(diagnostic.message))
            out.append(diagnostic)
    return out, window


def _digits(text: str) -> str:
    """The digits and mask stars of a message, to tell whether two findings name one number."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit() or c in "*Xx")


def _hidden_findings(site: Site, entry: Entry[Document], today: date, window: DayWindow) -> Iterator[Diagnostic]:
    """Numbers a raw line scan misses but a reader sees: the scan of `visible_text`.

    The body is scanned as rendered HTML (markup, comments and entities gone), each field after
    NFKC with format characters dropped and digit groups joined. A finding points at the source
    line where its digits are written, or at the field (body start) when they cannot be found
    (digits written as entities).
    """
    doc = entry.model
    source: _Source | None = None
    texts: list[tuple[Key | None, str, bool]] = [
        (key, render_markdown(text), True) if key[0] == "qa" and key[-1] == "a" else (key, text, False)
        for key, text in published_texts(doc)
    ]
    if doc.attribute is Attribute.ACTIVE and entry.body.strip():
        html = site.converted.get(hashlib.sha1(entry.body.encode("utf-8")).hexdigest())
        texts.append((None, render_markdown(entry.body) if html is None else html, True))
    for key, text, is_html in texts:
        findings, seen = scan_text_window(visible_text(text, is_html), today)
        window.narrow(seen)
        if not findings:
            continue
        source = source or _Source(site, entry)
        if key is None:
            fallback, first, end, where = (entry.body_line, 1), entry.body_line - 1, None, "正文"
        else:
            fallback = entry.marks.locate(key)
            first, end, where = fallback[0] - 1, source.end, FIELD_NAMES[str(key[0])]
        for finding in findings:
            digits = "".join(c for c in finding.found if c.isdigit() or c in "Xx")
            # Digits written as entities cannot be matched: try the first half, then the field.
            place = (
                locate_digits(source.lines, digits, first, end)
                or locate_digits(source.lines, digits[: len(digits) // 2], first, end, whole=False)
                or fallback
            )
            yield _diagnostic(entry, place[0], place[1], where, finding)


def unmasked_personal_numbers(site: Site) -> list[Diagnostic]:
    """Errors for unmasked ID / mobile / bank card numbers in published text.

    With a memo of the previous build's results (`site.memo`, see `validate/memo.py`), only
    changed files are scanned again.
    """
    out: list[Diagnostic] = []
    memo = site.memo
    for entry in site.documents.values():
        if memo is None:
            out += document_findings(site, entry)
        else:
            out += memo.per_file("privacy", entry, lambda entry=entry: document_findings_window(site, entry))
    return out + unmasked_numbers_in_fields(site) + attachment_findings(site)


__all__ = ["FIELD_NAMES", "document_findings", "document_findings_window", "published_texts", "unmasked_personal_numbers"]
