"""The last look before publishing: the privacy scan of every file the build made.

The rules of the validate stage scan each field and body where it is written. What a reader
gets is what the templates, feeds, prints, open data and search index make of them, put side by
side; a custom template, two fields that run together or a bug of ours could still publish a
number. So after rendering and before the swap, the text of every public page, feed, print, data
file and search record goes through the same normaliser (`visible_text`) and scanner
(`scan_text`). A hit fails the build — `site/` stays as it was — naming the output file and,
where one file of content makes that page, its source.

A page is read in passages (`published_pieces`): the header, menus and footer it shares with
every other page are reduced to text and scanned once per process, and the findings are those of
its whole text, in the same order.

Official contact numbers (`contact_number` fields, see `rules/published_fields.py`) are the only
exemption. Files whose bytes were scanned clean before (by SHA-256, kept in the build cache)
are not read again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .diagnostics import Diagnostic, error
from .published_pieces import html_passages
from .rules.privacy import CANDIDATE, MIN_DIGITS, PrivacyFinding, scan_text
from .rules.published_text import join_digit_groups, visible_text
from .site import Site

__all__ = ["SCANNED", "allowed_numbers", "file_findings", "scan_files", "source_of"]

#: what is scanned: pages, prints, feeds, sitemaps, open data, search files, robots/manifest
SCANNED = (".html", ".xml", ".json", ".js", ".csv", ".txt", ".webmanifest")
#: not scanned here: our own assets (no content), attachments (scanned as attachments, by type)
SKIPPED = ("assets/", "attachments/")
_JS_STRING = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"')  # = '"(?:[^"\\\n]|\\.)*"', a loop per run, not per character
#: A block of a long posting list (`search/shard_format.py`): base64 of numbers no reader sees,
#: as the postings of a shard. Only a file of exactly this shape is passed over.
_POSTINGS_BLOCK = re.compile(r'window\.GongkaiSearch\.block\("[0-9A-Za-z_-]+","[A-Za-z0-9+/]*"\);\n?')
_ASCII_DIGIT = re.compile(r"[0-9]")
_DIGIT = re.compile(r"\d")  # any decimal digit: ASCII, full-width, mathematical …
PARALLEL_MIN_FILES = 400  # fewer files are scanned faster than workers start
HINT = ("逐项的内容检查没有发现它：它可能来自模板、几个字段连在一起显示或本工具的缺陷。"
        "请在来源文件中找到这个号码并改为遮盖形式；找不到来源时请把本消息报告给维护人员")


def _digits(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit() or c in "Xx")


def _contact_strings(value: Any, exempt: bool = False) -> Iterator[str]:
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            extra = info.json_schema_extra
            mine = exempt or (isinstance(extra, dict) and bool(extra.get("contact_number")))
            yield from _contact_strings(getattr(value, name), mine)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _contact_strings(item, exempt)
    elif isinstance(value, str) and not isinstance(value, Enum) and exempt:
        yield value


def allowed_numbers(site: Site) -> frozenset[str]:
    """The digits of every official contact number the content gives (the only exemption)."""
    entries: list[Any] = [site.town]
    for group in (site.villages, site.areas, site.guides, site.consultations, site.lists):  # documents have none
        entries += group.values()
    out: set[str] = set()
    for entry in entries:
        for text in _contact_strings(entry.model):
            out.update(_digits(f.found) for f in scan_text(visible_text(text), site.today))
            out.update(_digits(m) for m in re.findall(r"[0-9０-９][0-9０-９ \-]{6,}[0-9０-９]", text))
    return frozenset(out)


def _texts(rel: str, data: bytes) -> Iterator[str]:
    """The text a reader (or a search box) gets from one output file, as separate passages."""
    text = data.decode("utf-8", "replace")
    if rel.endswith((".js", ".json")):
        if _POSTINGS_BLOCK.fullmatch(text):
            return
        # Only the strings: postings and offsets are numbers no reader sees.
        for literal in _JS_STRING.findall(text):
            if "\\" not in literal and (not _DIGIT.search(literal) or (
                    literal.isascii() and "&" not in literal and len(_ASCII_DIGIT.findall(literal)) < MIN_DIGITS)):
                # No escape: the string is the literal's text, and it holds no digit; or it is
                # ASCII without entities, so that reducing it to text adds none, and has too few.
                continue
            try:
                value = json.loads(literal)
            except ValueError:
                continue
            if isinstance(value, str) and _DIGIT.search(value):
                yield visible_text(value, "<" in value, join=False)
    elif rel.endswith((".html", ".xml")):
        seen = visible_text(text, True, join=False)
        # A feed carries the body as escaped HTML (&lt;p&gt;): read it once more as HTML.
        yield visible_text(seen, True, join=False) if rel.endswith(".xml") else seen
    else:
        for line in text.splitlines():
            yield visible_text(line, join=False)


_LINES: dict[str, tuple[PrivacyFinding, ...]] = {}  # line → its findings: the chrome of every page repeats
_LINES_MAX = 200_000


_MEMO_DAY: list[date] = []  # the day the memos' findings are of (an ID number counts from its birth date)


def _memos_of(today: date) -> None:
    if _MEMO_DAY != [today]:
        _LINES.clear()
        _PASSAGES.clear()
        _MEMO_DAY[:] = [today]


def _line_findings(line: str, today: date) -> tuple[PrivacyFinding, ...]:
    hit = _LINES.get(line)
    if hit is None:
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        hit = _LINES[line] = tuple(scan_text(line, today)) if _DIGIT.search(line) else ()
    return hit


_PASSAGES: dict[str, tuple[tuple[PrivacyFinding, ...], tuple[PrivacyFinding, ...]]] = {}  # passage → its findings
_PASSAGES_MAX = 50_000


def _passage_findings(text: str, today: date) -> tuple[tuple[PrivacyFinding, ...], tuple[PrivacyFinding, ...]]:
    """The findings of a passage as written and with its digit groups joined."""
    hit = _PASSAGES.get(text)
    if hit is None:
        if len(_PASSAGES) >= _PASSAGES_MAX:
            _PASSAGES.clear()
        hit = _PASSAGES[text] = (_version_findings(text, today), _version_findings(join_digit_groups(text), today))
    return hit


def _version_findings(text: str, today: date) -> tuple[PrivacyFinding, ...]:
    return tuple(finding for line in _candidate_lines(text) for finding in _line_findings(line, today))


def file_findings(rel: str, data: bytes, allowed: frozenset[str], today: date) -> list[PrivacyFinding]:
    """Unmasked numbers in one output file, each number once (contact numbers left out), as of
    `today` (the build's day, `--today`).

    The scanner reads line by line, so lines are scanned once per process: the header,
    navigation and footer every page shares cost nothing after the first page. A page is read
    in passages (`published_pieces`), each distinct one reduced to text and scanned once per
    process; the findings, in order, are those of its whole text."""
    _memos_of(today)
    if rel.endswith(".html"):
        scanned = [_passage_findings(text, today) for text in html_passages(data.decode("utf-8", "replace"), MIN_DIGITS)]
        # As written (two numbers side by side stay two) and as read (groups joined into one).
        groups: Iterable[tuple[PrivacyFinding, ...]] = [written for written, _ in scanned] + [read for _, read in scanned]
    else:
        groups = (_version_findings(version, today) for text in _texts(rel, data) for version in (text, join_digit_groups(text)))
    found: dict[tuple[str, str], PrivacyFinding] = {}
    for group in groups:
        for finding in group:
            digits = _digits(finding.found)
            if digits not in allowed:
                found.setdefault((finding.kind, digits), finding)
    return list(found.values())


def _candidate_lines(text: str) -> Iterator[str]:
    """The lines of `text` the scanner could find a number in, in order: those with a run of 11
    digits (`privacy.CANDIDATE`, which never spans a line break). The others give no finding,
    so they are not looked at one by one: on most pages one regex pass finds none."""
    last = -1
    for m in CANDIDATE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if start <= last:
            continue  # a second run on the line just scanned
        end = text.find("\n", m.end())
        last = len(text) if end < 0 else end
        yield text[start:last]


def source_of(site: Site, rel: str) -> str | None:
    """The content file that makes the page at `rel`, when one file does."""
    page = rel.removeprefix("print/")
    stem, _, suffix = page.rpartition(".")
    if suffix != "html" or "/" not in stem:
        return None
    folder, _, key = stem.partition("/")
    groups: dict[str, dict[str, Any]] = {
        "documents": site.documents, "villages": site.villages, "guides": site.guides,
        "consultations": site.consultations, "catalog": site.areas,
    }
    if folder in groups and key in groups[folder]:
        return str(groups[folder][key].path)
    if folder == "items":
        ref = site.items.get(key) or site.items.get(re.sub(r"-[0-9]+$", "", key))
        if ref is not None:
            return str(site.areas[ref.area_slug].path)
    return None


def _scan_chunk(task: tuple[Path, list[str], frozenset[str], date, dict[str, bytes]]) -> list[tuple[str, list[PrivacyFinding]]]:
    root, rels, allowed, today, parts = task
    out = []
    for rel in rels:
        try:
            data = parts[rel] if rel in parts else (root / rel).read_bytes()
        except OSError:
            continue  # written a moment ago: a file that vanished fails the swap instead
        out.append((rel, file_findings(rel, data, allowed, today)))
    return out


def scan_files(site: Site, root: Path, files: Iterable[tuple[str, str]], shown: str,
               clean: frozenset[str] | set[str] = frozenset(), jobs: int = 1,
               parts: dict[str, bytes] | None = None) -> tuple[list[Diagnostic], set[str]]:
    """Scan `files` ((relative path, sha256) under `root`); returns the errors and the digests
    found clean (to skip next time). `shown` is the output folder as the user named it; with
    `jobs` > 1 and many files, forked workers share the reading. `parts`: for a file whose
    other text passed this scan before, on this day, the text that is new (the scanner reads
    each string by itself, so the rest cannot add a finding)."""
    parts = parts or {}
    from .pool import fork_map

    allowed = allowed_numbers(site)
    digests = dict(files)
    todo = sorted(rel for rel, digest in digests.items()
                  if rel.endswith(SCANNED) and not rel.startswith(SKIPPED) and digest not in clean)
    passed = {digests[rel] for rel in digests if digests[rel] in clean}
    if jobs > 1 and len(todo) >= PARALLEL_MIN_FILES:
        size = max(50, len(todo) // (jobs * 8))
        chunks = [(root, todo[i : i + size], allowed, site.today, parts) for i in range(0, len(todo), size)]
        results = [pair for part in fork_map(_scan_chunk, chunks, jobs) for pair in part]
    else:
        results = _scan_chunk((root, todo, allowed, site.today, parts))
    out: list[Diagnostic] = []
    for rel, findings in results:
        if not findings:
            passed.add(digests[rel])
            continue
        source = source_of(site, rel)
        where = f"{shown}/{rel}"
        origin = f"（来源：{source}）" if source else ""
        for finding in findings:
            out.append(error(source or where, 1, 1,
                             f"个人信息未遮盖：生成的 {where}{origin}中有完整的{finding.kind}，公开时应写作“{finding.masked}”",
                             HINT, "build.privacy"))
    return out, passed
