"""Machine form of every 公开时限 phrasing the example catalogues and DOMAIN.md's real rows use.

《政府信息公开条例》第二十六条 sets the default publication deadline (20 working days from
形成或者变更); the 公开时限 column of a 标准目录 states its own deadline, the event that starts it,
a display period (公示/公告) and a frequency. A duration — 公示7个工作日, 预公告时间不少于10个工作日
(土地管理法实施条例第二十六条), 公告时间不少于30日 (第二十七条) — is never a publication deadline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from gongkai.models import Item
from gongkai.rules.timeliness import DEFAULT_LIMIT, item_limit
from gongkai.rules.workdays import TimeLimit, deadline, parse_time_limit

ROOT = Path(__file__).resolve().parent.parent

TABLE: dict[str, TimeLimit] = {
    # example catalogues (content/catalog/*.yaml)
    "会议结束之日起20个工作日内": TimeLimit(20, "工作日", event="会议结束"),
    "信息形成之日起20个工作日内": TimeLimit(20, "工作日", event="形成"),
    "信息形成或者变更之日起20个工作日内": TimeLimit(20, "工作日", event="形成或变更"),
    "信息形成或者变更之日起20个工作日内，公示不少于7日": TimeLimit(
        20, "工作日", notice_days=7, notice_unit="自然日", event="形成或变更"
    ),
    "信息形成或者变更之日起20个工作日内，发放前公示不少于5天": TimeLimit(
        20, "工作日", notice_days=5, notice_unit="自然日", event="形成或变更"
    ),
    "决议形成之日起5个工作日内公开": TimeLimit(5, "工作日", event="决议形成"),
    "分配结果确定后20个工作日内": TimeLimit(20, "工作日", event="分配结果确定"),
    "制定或获取信息之日起10个工作日内": TimeLimit(10, "工作日", event="制定或获取"),
    "制定或获取信息之日起10个工作日内，公示7个工作日": TimeLimit(
        10, "工作日", notice_days=7, notice_unit="工作日", event="制定或获取"
    ),
    "拟定后及时公告，公告时间不少于30日": TimeLimit(notice_days=30, notice_unit="自然日", on_occurrence=True),
    "拟申请征收土地前发布，预公告时间不少于10个工作日": TimeLimit(notice_days=10, notice_unit="工作日"),
    "收到申请之日起20个工作日内答复": TimeLimit(20, "工作日", event="收到申请"),
    "本级人民代表大会或其常务委员会批准后20日内": TimeLimit(20, "自然日", event="批准"),
    "每季度发放后20个工作日内": TimeLimit(20, "工作日", "每季度", event="发放"),
    "每季度发放后20个工作日内在村务公开栏公示": TimeLimit(20, "工作日", "每季度", event="发放"),
    "每季度结束后10个工作日内公开上季度救助情况": TimeLimit(10, "工作日", "每季度", event="期间结束"),
    "每季度结束后15日内公开上季度财务收支情况": TimeLimit(15, "自然日", "每季度", event="期间结束"),
    "每年1月31日前公布上一年度报告": TimeLimit(period="每年"),
    "每年第一季度公开当年政策清单，变更后20个工作日内更新": TimeLimit(20, "工作日", "每年", event="变更"),
    "每月10日前公开上月财务收支情况": TimeLimit(period="每月", due_day=10),
    # DOMAIN.md section 2, real rows and phrasings of published catalogues
    "信息形成或变更之日起20个工作日内": TimeLimit(20, "工作日", event="形成或变更"),
    "公告期30日": TimeLimit(notice_days=30, notice_unit="自然日"),
    "征求意见时间不少于30日": TimeLimit(notice_days=30, notice_unit="自然日"),
    "随时公开": TimeLimit(on_occurrence=True),
    "及时公开": TimeLimit(on_occurrence=True),
    "每月5日前公开上月": TimeLimit(period="每月", due_day=5),
}


@pytest.mark.parametrize(("text", "expected"), sorted(TABLE.items()))
def test_time_limit_machine_form(text: str, expected: TimeLimit) -> None:
    """Every phrasing: deadline + event, display period, frequency (条例第二十六条)."""
    assert parse_time_limit(text) == expected


def test_every_example_catalogue_phrasing_is_in_the_table() -> None:
    """A new phrasing in content/catalog must get its row here, so its reading is checked."""
    texts = set()
    for path in sorted((ROOT / "content" / "catalog").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            texts.add(item["time_limit"])
    assert texts and texts <= set(TABLE), sorted(texts - set(TABLE))


def _item(time_limit: str) -> Item:
    return Item.model_validate(
        {"id": "x", "level1": "土地征收", "content": "征收土地预公告", "time_limit": time_limit,
         "subject": "全州县人民政府", "channels": ["政府网站"], "level": "乡级"}
    )


def test_preannouncement_duration_is_not_a_publication_deadline() -> None:
    """土地管理法实施条例第二十六条: 预公告时间不少于10个工作日 is how long, not how soon."""
    assert item_limit(_item("拟申请征收土地前发布，预公告时间不少于10个工作日")) == DEFAULT_LIMIT


def test_monthly_due_day_is_the_day_of_the_next_month() -> None:
    """村民委员会组织法第三十条: 每月10日前公开上月 — due on 10 Nov for October (Art. 203 if a rest day)."""
    limit = item_limit(_item("每月10日前公开上月财务收支情况"))
    assert (limit.amount, limit.unit) == (10, "自然日")
    assert deadline(date(2026, 10, 31), limit.amount, limit.unit) == date(2026, 11, 10)
    # 2026-01-10 is a Saturday: the period ends on the next working day, Monday 12 January.
    assert deadline(date(2025, 12, 31), limit.amount, limit.unit) == date(2026, 1, 12)
