"""空正文 (warning): a 主动公开 document that publishes nothing — no body, no Q&A, no attachment.

A reader who opens it finds a title and metadata only, and `gongkai digest` would push it to a
village group. Usually the text was pasted into the wrong file or the file was saved too early.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, warning
from ..models import Attribute, Document
from ..site import Entry, Site

CODE = "governance.empty_body"


def empty_body_finding(entry: Entry[Document]) -> list[Diagnostic]:
    doc = entry.model
    if doc.attribute is not Attribute.ACTIVE or entry.body.strip() or doc.qa or doc.attachments:
        return []
    return [warning(entry.path, entry.body_line, 1, "主动公开文件的正文是空的：页面上只有标题和文件信息",
                    "在第二行 --- 之后写正文；只发布附件的，请在 attachments 中列出附件", CODE)]


def empty_bodies(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for entry in site.documents.values():
        out += empty_body_finding(entry)
    return out
