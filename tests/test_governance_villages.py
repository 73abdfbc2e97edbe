"""村务公开逾期: 《中华人民共和国村民委员会组织法》第三十条、第三十一条 — every 村级 item has a
period (每季度, 每月, 每月N日前公开上月, 随时); each village is checked for each due period."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import TODAY, doc, make_site, run_cli

from gongkai.models import Period
from gongkai.rules.village_schedule import (
    Cadence,
    VillageStatus,
    village_schedule,
    village_schedules,
)
from gongkai.validate import check_content

REPO = Path(__file__).resolve().parents[1]

VILLAGE_AREA = """\
area: 村级财务
order: 3
items:
  - id: cw-yue
    level1: 村级财务
    level2: 月度财务收支
    content: 本月收支明细
    time_limit: 每月10日前公开上月财务收支情况
    subject: 村民委员会
    channels: 村务公开栏
    level: 村级
  - id: cw-jidu
    level1: 村级财务
    level2: 季度财务收支
    content: 季度收支汇总
    time_limit: 每季度结束后15日内公开上季度财务收支情况
    subject: 村民委员会
    channels: 村务公开栏
    level: 村级
  - id: cw-zhongda
    level1: 村务重大事项
    content: 村民会议决议
    time_limit: 决议形成之日起5个工作日内公开
    subject: 村民委员会
    channels: 村务公开栏
    level: 村级
  - id: cw-yiban
    level1: 村务一般事项
    content: 村务一般事项
    time_limit: 按规定公开
    subject: 村民委员会
    channels: 村务公开栏
    level: 村级
"""

JINGTOU = """\
name: 井头村
committee: 井头村村民委员会
sample: true
items:
  - cw-yue
  - cw-zhongda
"""

MUDAO = """\
name: 慕道村
committee: 慕道村村民委员会
sample: true
items:
  - cw-jidu
"""


def notice(item: str, village: str, period: str, created: str, published: str) -> str:
    return doc(f"{period}财务公开", item=item, villages=f"[{village}]", period=period, kind="公告",
               created=created, published=published)


def files(**docs: str) -> dict[str, str]:
    return {
        "catalog/cw.yaml": VILLAGE_AREA,
        "villages/jingtou.yaml": JINGTOU,
        "villages/mudao.yaml": MUDAO,
        **{f"documents/2026/{name}.md": text for name, text in docs.items()},
    }


def village_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tree: dict[str, str], today: date = TODAY) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, tree)
    _, diags = check_content(content, today)
    assert not diags.errors, [d.text() for d in diags.errors]
    return [d.text() for d in diags.sorted() if "村务公开逾期" in d.message]


def item(text: str, **extra: str) -> object:
    from gongkai.models import Item

    return Item.model_validate({"id": "x", "level1": "x", "content": "x", "time_limit": text, "subject": "村民委员会",
                                "channels": ["村务公开栏"], "level": "村级", **extra})


@pytest.mark.parametrize(
    ("text", "extra", "cadence", "label"),
    [
        ("每月10日前公开上月财务收支情况", {}, Cadence.MONTHLY_BY_DAY, "每月10日前公开上月"),
        ("每月公布一次", {}, Cadence.MONTHLY, "每月"),
        ("每季度结束后15日内公开上季度财务收支情况", {}, Cadence.QUARTERLY, "每季度"),
        ("决议形成之日起5个工作日内公开", {}, Cadence.ON_OCCURRENCE, "随时"),
        ("涉及村民利益的重大事项随时公布", {}, Cadence.ON_OCCURRENCE, "随时"),
        ("拟申请征收土地前发布，预公告时间不少于10个工作日", {}, Cadence.ON_OCCURRENCE, "随时"),
        ("按规定公开", {"period": "随时"}, Cadence.ON_OCCURRENCE, "随时"),
        ("按规定公开", {}, Cadence.QUARTERLY, "每季度（组织法第三十条的最低要求）"),
    ],
)
def test_art30_every_village_item_has_a_period(text: str, extra: dict[str, str], cadence: Cadence, label: str) -> None:
    """Art. 30: 每季度 at least, 每月 for finance, 每月N日前公开上月, 随时 for major matters."""
    schedule = village_schedule(item(text, **extra))  # type: ignore[arg-type]
    assert (schedule.cadence, schedule.label) == (cadence, label)


def test_art30_period_suiShi_is_not_a_township_period() -> None:
    """`period: 随时` is accepted and never treated as a recurring 缺项 period."""
    from gongkai.rules.completeness import item_period

    assert item_period(item("按规定公开", period="随时")) is None  # type: ignore[arg-type]
    assert Period("随时") is Period.ON_OCCURRENCE


def test_art30_missing_monthly_and_quarterly_notices_warn_per_village_and_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Art. 30/31: 井头村 has September but not October; 慕道村 has Q2 but not Q3."""
    tree = files(
        jt09=notice("cw-yue", "jingtou", "2026-09", "2026-10-08", "2026-10-09"),
        md2=notice("cw-jidu", "mudao", "2026-Q2", "2026-07-08", "2026-07-10"),
    )
    assert village_warnings(tmp_path, monkeypatch, tree) == [
        ("content/villages/jingtou.yaml:5:5: 警告: 村务公开逾期：井头村的“村级财务 / 月度财务收支”（每月10日前公开上月）"
        "没有2026年10月（2026-10）的公开，该期公开期限至 2026-11-10（《中华人民共和国村民委员会组织法》第三十条）"
        "（请发布该期村务公开：文件头部填写 item: cw-yue、villages: [jingtou]、period: 2026-10；"
        "已发布未填 period 的，会按成文日期归入期间，请补填 period）"),
        ("content/villages/mudao.yaml:5:5: 警告: 村务公开逾期：慕道村的“村级财务 / 季度财务收支”（每季度）"
        "没有2026年第三季度（2026-Q3）的公开，该期公开期限至 2026-10-15（《中华人民共和国村民委员会组织法》第三十条）"
        "（请发布该期村务公开：文件头部填写 item: cw-jidu、villages: [mudao]、period: 2026-Q3；"
        "已发布未填 period 的，会按成文日期归入期间，请补填 period）"),
    ]


def test_art30_a_gap_is_reported_even_when_a_later_notice_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Art. 30: a village must publish every month; October does not make up for a missing September."""
    tree = files(
        jt08=notice("cw-yue", "jingtou", "2026-08", "2026-09-05", "2026-09-07"),
        jt10=notice("cw-yue", "jingtou", "2026-10", "2026-11-05", "2026-11-06"),
        md3=notice("cw-jidu", "mudao", "2026-Q3", "2026-10-12", "2026-10-13"),
    )
    warnings = village_warnings(tmp_path, monkeypatch, tree)
    assert len(warnings) == 1
    assert "没有2026年9月（2026-09）的公开，该期公开期限至 2026-10-10" in warnings[0]


def test_art30_not_yet_due_period_is_not_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On 2026-11-09 October is not due yet (每月10日前): only September is checked."""
    tree = files(
        jt09=notice("cw-yue", "jingtou", "2026-09", "2026-10-08", "2026-10-09"),
        md3=notice("cw-jidu", "mudao", "2026-Q3", "2026-10-12", "2026-10-13"),
    )
    assert village_warnings(tmp_path, monkeypatch, tree, date(2026, 11, 9)) == []
    assert len(village_warnings(tmp_path, monkeypatch, tree, date(2026, 11, 11))) == 1


def test_art30_another_villages_notice_does_not_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notice counts only for the villages it names in `villages`."""
    tree = files(
        jt09=notice("cw-yue", "jingtou", "2026-10", "2026-11-05", "2026-11-06"),
        md3=notice("cw-jidu", "jingtou", "2026-Q3", "2026-10-12", "2026-10-13"),
    )
    warnings = village_warnings(tmp_path, monkeypatch, tree)
    assert [w.split(": 警告")[0] for w in warnings] == ["content/villages/mudao.yaml:5:5"]


def test_art30_village_without_a_list_is_warned_at_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No `items:` means every 村级 item; the warning points at `name`; 随时 items are never warned."""
    tree = files(md3=notice("cw-jidu", "mudao", "2026-Q3", "2026-10-12", "2026-10-13"))
    tree["villages/jingtou.yaml"] = "name: 井头村\ncommittee: 井头村村民委员会\n"
    warnings = village_warnings(tmp_path, monkeypatch, tree)
    assert sorted(w.split("（")[0] for w in warnings) == [
        "content/villages/jingtou.yaml:1:1: 警告: 村务公开逾期：井头村的“村务一般事项”",
        "content/villages/jingtou.yaml:1:1: 警告: 村务公开逾期：井头村的“村级财务 / 季度财务收支”",
        "content/villages/jingtou.yaml:1:1: 警告: 村务公开逾期：井头村的“村级财务 / 月度财务收支”",
    ]
    assert any("井头村的“村务一般事项”（每季度（组织法第三十条的最低要求））" in w for w in warnings)


def test_art30_statuses_are_a_pure_function(tmp_path: Path) -> None:
    tree = files(jt09=notice("cw-yue", "jingtou", "2026-09", "2026-10-08", "2026-10-09"))
    site, diags = check_content(make_site(tmp_path, tree), TODAY)
    assert site is not None, diags.errors
    result = village_schedules(site)
    jt = {s.item_id: s for s in result["jingtou"]}
    assert jt["cw-yue"].status is VillageStatus.BEHIND
    assert jt["cw-yue"].checked == ("2026-09", "2026-10")
    assert [m.label for m in jt["cw-yue"].missing] == ["2026-10"]
    assert jt["cw-zhongda"].status is VillageStatus.ON_OCCURRENCE
    assert result == village_schedules(site)


def copy_example(tmp_path: Path, *remove: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    for rel in remove:
        (content / rel).unlink()
    return content


def test_art30_example_town_probe_from_the_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 18's probe: delete 东岭村's Q3 finance notice and 井头村's October monthly finance."""
    monkeypatch.chdir(tmp_path)
    content = copy_example(tmp_path, "documents/2026/dongling-caiwu-2026-q3.md", "documents/2026/jingtou-caiwu-2026-10.md")
    _, diags = check_content(content, TODAY)
    got = [d.text().split("，该期")[0] for d in diags.sorted() if "村务公开逾期" in d.message]
    assert got == [
        ("content/villages/dongling.yaml:11:5: 警告: 村务公开逾期：东岭村的“村级财务 / 季度财务收支”（每季度）"
        "没有2026年第三季度（2026-Q3）的公开"),
        ("content/villages/jingtou.yaml:15:5: 警告: 村务公开逾期：井头村的“村级财务 / 月度财务收支”（每月10日前公开上月）"
        "没有2026年10月（2026-10）的公开"),
    ]


def test_art31_report_villages_lists_the_villages_behind(tmp_path: Path) -> None:
    """Art. 31: the town needs the list of villages to 责令改正 — `gongkai report villages`."""
    copy_example(tmp_path, "documents/2026/jingtou-caiwu-2026-10.md")
    result = run_cli("report", "villages", "--today", "2026-11-26", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "reports" / "villages.md").read_text(encoding="utf-8")
    assert "统计日期 2026-11-26：7 个村（社区）中 1 个未按期公开（井头村），共缺 1 期。" in text
    assert ("| 1 | 井头村 | 村级财务 / 月度财务收支 | cwgk-caiwu-yue | 每月10日前公开上月 | 2026年10月（2026-10） "
            "| 2026-11-10 | 井头村2026年9月村级财务收支公开（2026-10-09） |") in text
    assert "| 3 | 慕道村 | 村级财务 / 季度财务收支 | 每季度 | 2026-Q2 至 2026-Q3 | 按期公开 | 0 |" in text
    csv = (tmp_path / "reports" / "villages.csv").read_bytes().decode("utf-8-sig")
    assert "井头村" in csv and "慕道村" not in csv


def test_art30_village_page_shows_its_status(tmp_path: Path) -> None:
    """The village page says which items are behind and the period of every item."""
    from gongkai.build import BuildOptions, build

    content = copy_example(tmp_path, "documents/2026/jingtou-caiwu-2026-10.md")
    out = tmp_path / "site"
    result = build(BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY, jobs=1, project=REPO))
    assert result.ok
    import re

    def text(path: str) -> str:
        html = (out / path).read_text(encoding="utf-8")
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))

    jingtou = text("villages/jingtou.html")
    assert "本村有 1 个事项未按期公开（《村民委员会组织法》第三十条）：村级财务 / 月度财务收支。" in jingtou
    assert "公开周期：每月10日前公开上月；未按期公开，缺 2026年10月" in jingtou
    assert "公开周期：随时；随时公开" in jingtou
    index = text("villages/index.html")
    assert "井头村行政村 · " in index and "示例 · 1 项未按期公开" in index
    assert index.count("未按期公开") == 1
    mudao = text("villages/mudao.html")
    assert "未按期公开" not in mudao
    assert "公开周期：每季度；按期公开（2026-Q2 至 2026-Q3）" in mudao


MONTHS = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]  # 2025-11 … 2026-10


def _month_notice(label: str) -> str:
    year, month = map(int, label.split("-"))
    nxt = f"{year + month // 12}-{month % 12 + 1:02d}"
    return notice("cw-yue", "jingtou", label, f"{nxt}-03", f"{nxt}-05")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(published=st.sets(st.sampled_from(MONTHS)))
def test_art30_property_every_month_from_the_first_notice_is_checked(tmp_path_factory: pytest.TempPathFactory,
                                                                     published: set[str]) -> None:
    """For any set of published months, the missing periods are exactly the months from the first
    notice (or the latest due month, 2026-10, when there is none) to 2026-10 that have no notice."""
    root = tmp_path_factory.mktemp("months")
    tree = files(md3=notice("cw-jidu", "mudao", "2026-Q3", "2026-10-12", "2026-10-13"),
                 **{f"jt{label}": _month_notice(label) for label in published})
    site, diags = check_content(make_site(root, tree), TODAY)
    assert site is not None and not diags.errors, [d.text() for d in diags.errors]
    status = {s.item_id: s for s in village_schedules(site)["jingtou"]}["cw-yue"]
    first = MONTHS.index(min(published)) if published else len(MONTHS) - 1
    expected = [m for m in MONTHS[first:] if m not in published]
    assert [m.label for m in status.missing] == expected
    assert status.behind is bool(expected)
