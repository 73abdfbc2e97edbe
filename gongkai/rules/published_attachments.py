"""Privacy scan of published attachments: their text and their file names.

The site copies the attachments of 主动公开 documents as they are, and shows their file names
(in the link, the saved file's name and the address). A beneficiary list attached as CSV or
XLSX publishes every ID number in it, whatever the notice's body says. Each passage of each
attachment (`loading.attachment_text`) goes through the same `visible_text` + `scan_text` as
the published text; a finding names the document's file and the line of the attachment in its
front matter, and inside the attachment the row and column, cell, paragraph or page.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from ..diagnostics import Diagnostic, error
from ..loading.attachment_text import passages
from ..models import Attribute, Document
from ..site import Entry, Site
from .privacy import PrivacyFinding, scan_text
from .published_text import visible_text

__all__ = ["attachment_findings", "attachment_path"]

HINT = ("公开的附件不得含有完整的身份证号、手机号、银行卡号，依据《政府信息公开条例》第十五条、"
        "《个人信息保护法》第二十八条；请在附件中改为遮盖形式（名单只写姓名、村组、人数、金额等）后重新附上")
NAME_HINT = "附件的文件名会显示在网站上并成为网址的一部分：请给文件改名，不要在文件名中写身份证号、手机号、银行卡号"


def attachment_path(site: Site, rel: str) -> Path | None:
    """The attachment's file when it is one the site would copy (inside attachments/), else None.

    Anything else is reported by the attachment checks (`validate.xref`): not read here."""
    rel = rel.replace("\\", "/")
    parts = Path(rel).parts
    if len(parts) < 2 or parts[0] != "attachments" or ".." in parts or rel.startswith("/"):
        return None
    path = site.root / rel
    try:
        base = (site.root / "attachments").resolve()
        path.resolve().relative_to(base)
        return path if path.is_file() else None  # a link inside attachments/ is copied as its target: read that
    except (OSError, RuntimeError, ValueError):
        return None


def _error(entry: Entry[Document], at: tuple[int, int], where: str, finding: PrivacyFinding, hint: str) -> Diagnostic:
    return error(entry.path, at[0], at[1],
                 f"个人信息未遮盖：主动公开文件的{where}中有完整的{finding.kind}，公开时应写作“{finding.masked}”",
                 hint, "governance.privacy")


def _findings(text: str, today: date) -> list[PrivacyFinding]:
    """The scan of the text as written and as read (digit groups joined), each number once.

    Both: a table row in a PDF's text can put an ID and a phone number side by side, which the
    joined reading runs together into one long number."""
    out: dict[tuple[str, str], PrivacyFinding] = {}
    for finding in scan_text(text, today) + scan_text(visible_text(text), today):
        digits = "".join(c for c in unicodedata.normalize("NFKC", finding.found) if c.isdigit() or c in "Xx")
        out.setdefault((finding.kind, digits), finding)
    return list(out.values())


def _document(site: Site, entry: Entry[Document]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for i, att in enumerate(entry.model.attachments):
        rel = att.file.replace("\\", "/")
        at: tuple[int, int] | None = None
        for finding in _findings(rel, site.today):
            at = at or entry.marks.locate(("attachments", i))
            out.append(_error(entry, at, f"附件文件名“{rel}”", finding, NAME_HINT))
        path = attachment_path(site, rel)
        if path is None:
            continue
        for passage in passages(path):
            for finding in _findings(passage.text, site.today):
                at = at or entry.marks.locate(("attachments", i))
                out.append(_error(entry, at, f"附件“{rel}”{passage.where}", finding, HINT))
    return out


def attachment_findings(site: Site) -> list[Diagnostic]:
    """Errors for unmasked numbers in the attachments of 主动公开 documents (the ones published)."""
    out: list[Diagnostic] = []
    for entry in site.documents.values():
        if entry.model.attachments and entry.model.attribute is Attribute.ACTIVE:
            out += _document(site, entry)
    return out
