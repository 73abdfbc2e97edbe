"""公示期不足: a notice's `valid_until` covers its item's display period (official calendar).

最低生活保障审核确认办法 (公示7个工作日), 土地管理法实施条例第二十六条 (预公告时间不少于10个工作日),
第二十七条 (公告时间不少于30日); counted from the day after `published` (民法典第二百零一条),
a last day on a rest day moving to the next working day (第二百零三条).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitekit import TODAY, doc, make_site

from gongkai.rules.display import required_display_end
from gongkai.rules.workdays import covered_years, working_days_between
from gongkai.validate import check_content

LAND_AREA = """\
area: 土地征收
order: 3
items:
  - id: tdzs-yugonggao
    level1: 土地征收
    level2: 征收土地预公告
    content: 征收范围、征收目的、开展土地现状调查的安排
    time_limit: 拟申请征收土地前发布，预公告时间不少于10个工作日
    subject: 全州县人民政府
    channels: [政府网站, 社区/企事业单位/村公示栏（电子屏）]
    level: 乡、村级
  - id: tdzs-anzhi
    level1: 土地征收
    level2: 征地补偿安置公告
    content: 征地补偿安置方案
    time_limit: 拟定后及时公告，公告时间不少于30日
    subject: 全州县人民政府
    channels: [政府网站, 社区/企事业单位/村公示栏（电子屏）]
    level: 乡、村级
"""

DIBAO_HINT = "公示期从发布次日起算，节假日按国务院公布的安排，最后一天是休息日的顺延到下一个工作日"


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: str, today: date = TODAY) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"catalog/tdzs.yaml": LAND_AREA, "documents/2026/dibao.md": document})
    _, diags = check_content(content, today)
    return [d.text() for d in diags.sorted() if "公示期不足" in d.text()]


def notice(item: str, published: str, valid_until: str) -> str:
    return doc(title="公示", item=item, kind="公示", created=published, published=published, valid_until=valid_until)


def test_dibao_notice_of_two_days_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """低保 公示7个工作日: published Mon 2026-03-02, 2 days is short; the 7th working day is 03-11."""
    assert run(tmp_path, monkeypatch, notice("shjz-dibao", "2026-03-02", "2026-03-04")) == [
        ("content/documents/2026/dibao.md:8:14: 错误: 公示期不足：事项“shjz-dibao”的公开时限要求公示7个工作日"
        "（“制定或获取信息之日起10个工作日内，公示7个工作日”），2026-03-02 发布应至少公示至 2026-03-11，"
        f"valid_until 却是 2026-03-04（请把 valid_until 改为 2026-03-11 或更晚；{DIBAO_HINT}）")
    ]


def test_dibao_notice_of_seven_working_days_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tmp_path, monkeypatch, notice("shjz-dibao", "2026-03-02", "2026-03-11")) == []


def test_national_day_does_not_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Published 2026-09-29: 09-30, then 10-08, 10-09, 10-10 (make-up Sat), 10-12, 10-13, 10-14."""
    assert run(tmp_path, monkeypatch, notice("shjz-dibao", "2026-09-29", "2026-10-14")) == []
    assert len(run(tmp_path, monkeypatch, notice("shjz-dibao", "2026-09-29", "2026-10-13"))) == 1


def test_preannouncement_ten_working_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """土地管理法实施条例第二十六条: 预公告时间不少于10个工作日 — published 2026-05-06, the 10th
    working day is 05-19 (Saturday 05-09 is a make-up working day after 劳动节)."""
    assert run(tmp_path, monkeypatch, notice("tdzs-yugonggao", "2026-05-06", "2026-05-19")) == []
    assert run(tmp_path, monkeypatch, notice("tdzs-yugonggao", "2026-05-06", "2026-05-18")) == [
        ("content/documents/2026/dibao.md:8:14: 错误: 公示期不足：事项“tdzs-yugonggao”的公开时限要求公示10个工作日"
        "（“拟申请征收土地前发布，预公告时间不少于10个工作日”），2026-05-06 发布应至少公示至 2026-05-19，"
        f"valid_until 却是 2026-05-18（请把 valid_until 改为 2026-05-19 或更晚；{DIBAO_HINT}）")
    ]


def test_compensation_notice_thirty_calendar_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """第二十七条: 公告时间不少于30日 — calendar days; 2026-06-01 + 30 = Wed 07-01."""
    assert run(tmp_path, monkeypatch, notice("tdzs-anzhi", "2026-06-01", "2026-07-01")) == []
    assert len(run(tmp_path, monkeypatch, notice("tdzs-anzhi", "2026-06-01", "2026-06-30"))) == 1


def test_item_without_display_period_is_not_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tmp_path, monkeypatch, notice("shjz-guide", "2026-03-02", "2026-03-03")) == []


def test_outside_the_calendar_only_certain_shortness_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2027 holidays unknown: 3 days is short whatever they are; 20 days is not judged."""
    assert covered_years()[1] == 2026  # chinesecalendar 1.11.0
    today = date(2027, 3, 1)
    short = run(tmp_path, monkeypatch, notice("shjz-dibao", "2027-01-04", "2027-01-07"), today)
    assert [line.split("发布应至少公示至 ")[1].split("，")[0] for line in short] == ["至少 7 天后"]
    assert run(tmp_path, monkeypatch, notice("shjz-dibao", "2027-01-04", "2027-01-24"), today) == []


@settings(max_examples=60, deadline=None)
@given(st.dates(date(2024, 1, 1), date(2026, 11, 30)), st.integers(1, 30))
def test_required_end_is_exactly_n_working_days_later(published: date, days: int) -> None:
    """For every publication day: the required end is the n-th working day after it."""
    end = required_display_end(published, days, "工作日")
    assert end is not None
    assert working_days_between(published, end) == days
