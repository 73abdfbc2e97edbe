"""Plain-text digest of what was published, to paste into a village WeChat group (精准推送).

Short lines, no Markdown or HTML: a header line, then for each document its title, date (and
notice period), a one-line summary and the link. Only public documents; a 依申请公开 document
shows “此件可依申请公开” instead of a summary. A village gets its own documents plus the
town-wide ones.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..models import Attribute
from ..render import urls
from ..render.markup import summarise
from ..render.views import doc_summary
from ..site import Site, doc_date, sort_newest
from .notices import online, village_scope

DEFAULT_DAYS = 7
SUMMARY_CHARS = 50


class UnknownVillage(ValueError):
    pass


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
#: A space between two Chinese characters (left where inline tags were stripped) is noise.
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def _clean(text: str) -> str:
    """One line, without characters WeChat would show as Markdown noise."""
    flat = " ".join(text.split())
    for mark in ("**", "__", "`", "#"):
        flat = flat.replace(mark, "")
    return _CJK_GAP.sub("", flat).strip()


def digest_ids(site: Site, village: str | None, since: date) -> list[str]:
    if village is not None and village not in site.villages:
        raise UnknownVillage(village)
    pool = village_scope(site, village) if village else list(site.public_documents)
    chosen = [
        i for i in pool
        if site.documents[i].model.attribute is not Attribute.WITHHELD
        and since <= doc_date(site.documents[i].model) <= site.today
    ]
    return sort_newest(site, chosen)


def digest(site: Site, village: str | None = None, since: date | None = None, base_url: str | None = None) -> str:
    """The digest text (ends with a newline)."""
    since = since or site.today - timedelta(days=DEFAULT_DAYS)
    ids = digest_ids(site, village, since)
    town = site.town.model
    who = site.villages[village].model.name if village else town.short_name
    span = f"{since.isoformat()} 至 {site.today.isoformat()}"
    lines = [f"【{town.short_name}政务公开】{who}｜{span}｜新发布 {len(ids)} 条"]
    if not ids:
        lines += ["", "这段时间没有新发布的信息。"]
    for n, doc_id in enumerate(ids, start=1):
        meta = site.documents[doc_id].model
        when = f"发布：{doc_date(meta).isoformat()}"
        if meta.valid_until is not None:
            ended = meta.valid_until < site.today
            when += f"｜公示至 {meta.valid_until.isoformat()}" + ("（已结束）" if ended else "")
        if meta.attribute is Attribute.ACTIVE:
            note = summarise(_clean(doc_summary(site, doc_id).summary), SUMMARY_CHARS)
        else:
            note = meta.attribute.label  # 此件可依申请公开: never a summary of the body
        link, _ = online(base_url, urls.document(doc_id))
        lines += ["", f"{n}. {_clean(meta.title)}", when]
        if note:
            lines.append(note)
        lines.append(link)
    if not base_url:
        lines += ["", "（链接为网站内的相对路径；设置 site.yaml 的 base_url 或使用 --base-url 可生成完整网址。）"]
    return "\n".join(lines) + "\n"
