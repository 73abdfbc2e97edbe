"""未分配索引号: a public document whose 索引号 is not written in its front matter.

A 索引号 is issued once (`gongkai new document` writes it) and must never change; a number the
site derives from the file name changes when the file is renamed or moved. Once a town issues
numbers — at least one public document carries `index_number` — every public document without
one is warned, with the number the site shows for it now, so that writing that line fixes it
for good (`gongkai new index-numbers` writes them all). Duplicates are errors
(`validate/xref.py`). 不予公开 documents get no number and are not asked for one.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, warning
from ..site import Site


def unissued_index_numbers(site: Site) -> list[Diagnostic]:
    public = site.public_documents
    if not any(d.model.index_number for d in public.values()):
        return []  # the town has not started issuing numbers (all derived): nothing to compare with
    out: list[Diagnostic] = []
    for doc_id, doc in public.items():
        if doc.model.index_number:
            continue
        line, col = doc.at("title")
        shown = site.index_numbers[doc_id]
        out.append(warning(
            doc.path, line, col,
            f"未分配索引号：网页上的索引号 {shown} 是按文件名临时生成的，改名或移动文件后会变化",
            f"在头部加一行 index_number: {shown}（或运行 gongkai new index-numbers 为所有文件写入），此后不再改变",
            "governance.index_number_unissued",
        ))
    return out
