"""Content shared by the reach tests (feeds, digest, prints, bundle, open data).

On TODAY (2026-11-26): two current 公示 for 井头村 (one 依申请公开), an expired one, a current
公示 for 慕道村, a town-wide 公告 without a notice period (current for 30 days), an ordinary
通知, a 公示 whose id is Chinese (percent-encoded links and QR codes), and a 不予公开 公示
whose title and body must never appear anywhere.
"""

from __future__ import annotations

from sitekit import doc

WITHHELD_TITLE = "秘密标题不予公开QWE"
WITHHELD_BODY = "内部讨论记录绝密KLM"
ON_REQUEST_BODY = "依申请正文不应出现ZXQ"
ON_REQUEST_TITLE = "井头村低保复核情况公示（依申请公开）"
BASE = "https://www.example.gov.cn/yongsui/"

FILES: dict[str, str | bytes | None] = {
    "documents/2026/jingtou-gongshi.md": doc(
        "井头村2026年11月低保初审对象公示",
        body="经入户调查和家庭经济状况核对，拟将以下农户纳入最低生活保障，现予公示。\n\n"
             "| 户主 | 村组 | 保障人数 |\n|---|---|---|\n| 张某某 | 一组 | 2 |\n",
        kind="公示", villages="[jingtou]", created="2026-11-18", published="2026-11-20", valid_until="2026-12-01",
    ),
    "documents/2026/jingtou-old.md": doc(
        "井头村2026年5月低保初审对象公示", body="五月公示正文。\n",
        kind="公示", villages="[jingtou]", created="2026-05-01", published="2026-05-02", valid_until="2026-05-13",
    ),
    "documents/2026/mudao-gongshi.md": doc(
        "慕道村2026年11月低保初审对象公示", body="慕道村公示正文。\n",
        kind="公示", villages="[mudao]", created="2026-11-18", published="2026-11-19", valid_until="2026-12-02",
    ),
    "documents/2026/town-gonggao.md": doc(
        "永岁镇关于做好2026年冬季救助工作的公告", body="**冬季**救助工作安排如下：各村摸排困难群众。\n\n# 一、范围\n\n全镇。\n",
        kind="公告", created="2026-11-09", published="2026-11-10",
    ),
    "documents/2026/通知测试.md": doc(
        "永岁镇临时救助公示", body="临时救助对象公示正文。\n",
        kind="公示", created="2026-11-20", published="2026-11-21", valid_until="2026-12-01",
    ),
    "documents/2026/yishenqing.md": doc(
        ON_REQUEST_TITLE, body=ON_REQUEST_BODY + "。\n",
        attribute="依申请公开", reason="涉及个人信息，依申请公开", kind="公告", villages="[jingtou]",
        created="2026-11-14", published="2026-11-15", valid_until="2026-11-30",
    ),
    "documents/2026/withheld.md": doc(
        WITHHELD_TITLE, body=WITHHELD_BODY + "。\n",
        attribute="不予公开", reason="讨论记录", legal_basis="过程性信息", kind="公示", villages="[jingtou]",
        created="2026-11-01", published=None, reviewed="2026-11-01", valid_until="2026-12-30",
    ),
}

#: Public document ids of the tiny site (sitekit's base document plus the public ones above).
PUBLIC = {
    "2026/dibao", "2026/jingtou-gongshi", "2026/jingtou-old", "2026/mudao-gongshi", "2026/town-gonggao",
    "2026/通知测试", "2026/yishenqing",
}
NOTICES = PUBLIC - {"2026/dibao"}
#: What 井头村's 公示栏 shows on TODAY: its own current notices and the current town-wide ones.
JINGTOU_CURRENT = {"2026/jingtou-gongshi", "2026/yishenqing", "2026/town-gonggao", "2026/通知测试"}
