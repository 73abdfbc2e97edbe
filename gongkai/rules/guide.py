"""指南未更新: the 政府信息公开指南 changed but its 更新日期 did not (条例第十二条).

The guide is built from `site.yaml` → `disclosure` (office, reading points, remedies) and the
catalog's areas. `guide_digest` is a short SHA-256 of exactly that data, in a canonical JSON
form, so it is the same on every machine and does not depend on git history. `disclosure.digest`
records the digest the clerk last confirmed; when the data changes, `check` warns and prints the
new digest to paste together with a new `updated` date.
"""

from __future__ import annotations

import hashlib
import json

from ..diagnostics import Diagnostic, warning
from ..site import Site


def guide_digest(site: Site) -> str:
    guide = site.town.model.disclosure
    assert guide is not None
    data = {
        # unset channels (derived from the office) leave the digest of an older guide unchanged
        "guide": guide.model_dump(mode="json", exclude={"updated", "digest"} | ({"channels"} if not guide.channels else set())),
        "areas": [a.model.area for a in site.areas.values()],
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def guide_outdated(site: Site) -> list[Diagnostic]:
    guide = site.town.model.disclosure
    if guide is None:
        return []
    current = guide_digest(site)
    if guide.digest == current:
        return []
    town = site.town
    line, col = town.at("disclosure", "digest") if guide.digest is not None else town.at("disclosure", "updated")
    return [warning(
        town.path, line, col,
        f"指南未更新：政府信息公开指南的数据（受理机构、查阅点、监督和救济、目录分类）已变化，指南更新日期仍为 {guide.updated.isoformat()}",
        f"核对指南内容后，把 disclosure.updated 改为今天的日期，并把 disclosure.digest 改为 {current}",
        "governance.guide_outdated",
    )]
