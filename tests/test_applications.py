"""The internal register of 政府信息公开申请 (content/applications/*.yaml): validation, deadlines on
the official working-day calendar, and that nothing of it ever reaches site/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from sitekit import make_site

from gongkai.validate import check_content

TODAY = date(2026, 11, 26)  # a Thursday
REPO = Path(__file__).resolve().parent.parent


def app(reference: str = "T-1", received: str = "2026-11-02", **fields: str) -> str:
    lines = {"reference": reference, "received": received, "channel": "电子邮件", "applicant": "自然人",
             "request": "2026年低保审核结果", **fields}
    return "".join(f"{k}: {v}\n" for k, v in lines.items())


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def diags(tmp_path: Path, files: dict[str, str | None], today: date = TODAY) -> tuple[list[str], list[str]]:
    content = make_site(tmp_path, {f"applications/{k}.yaml": v for k, v in files.items()})
    _, found = check_content(content.relative_to(tmp_path), today)
    return [d.text() for d in found.errors], [d.text() for d in found.warnings]


DUE_HINT = ("请按期答复，答复后填写 answered 和 outcome；确需延长的，经负责人同意并告知申请人后填写 extended 和 "
            "extension_reason（最多延长 20 个工作日，条例第三十三条）")


def test_open_application_is_warned_three_working_days_ahead(tmp_path: Path) -> None:
    errors, warnings = diags(tmp_path, {"a": app(received="2026-11-02"), "b": app("T-2", "2026-10-29"),
                                        "c": app("T-3", "2026-10-30", )})
    assert errors == []
    assert warnings == [
        f"content/applications/a.yaml:2:11: 警告: 答复即将到期：申请 T-1（2026-11-02 收到）的答复期限为 2026-11-30，还剩 2 个工作日（{DUE_HINT}）",
        f"content/applications/b.yaml:2:11: 警告: 答复即将到期：申请 T-2（2026-10-29 收到）的答复期限为 2026-11-26，今天到期（{DUE_HINT}）",
        f"content/applications/c.yaml:2:11: 警告: 答复即将到期：申请 T-3（2026-10-30 收到）的答复期限为 2026-11-27，还剩 1 个工作日（{DUE_HINT}）",
    ]
    # four working days ahead: nothing yet (2026-11-04 + 20 working days = 2026-12-02)
    assert diags(tmp_path, {"a": app(received="2026-11-04"), "b": None, "c": None}) == ([], [])


def test_passed_deadline_is_an_error_with_working_days_late(tmp_path: Path) -> None:
    errors, _ = diags(tmp_path, {"a": app(received="2026-10-26")})
    assert errors == [
        ("content/applications/a.yaml:2:11: 错误: 答复逾期：申请 T-1（2026-10-26 收到）的答复期限为 2026-11-23，"
        "至今（2026-11-26）未答复，已超过 3 个工作日（尽快答复，答复后填写 answered 和 outcome；"
        "确需延长的应在期限内经负责人同意并告知申请人（条例第三十三条））")
    ]
    # the same file on an earlier --today is fine: the check follows --today, not the clock
    assert diags(tmp_path, {"a": app(received="2026-10-26")}, date(2026, 11, 17)) == ([], [])


def test_answered_applications_have_no_open_deadline(tmp_path: Path) -> None:
    assert diags(tmp_path, {"a": app(received="2026-10-26", answered="2026-11-20", outcome="予以公开")}) == ([], [])


def test_extension_adds_twenty_working_days(tmp_path: Path) -> None:
    extended = app(received="2026-10-20", extended="2026-11-10", extension_reason="需调取档案")
    assert diags(tmp_path, {"a": extended}) == ([], [])  # due 2026-12-15 instead of 2026-11-17
    _, warnings = diags(tmp_path, {"a": extended}, date(2026, 12, 10))
    assert warnings == [(f"content/applications/a.yaml:2:11: 警告: 答复即将到期：申请 T-1（2026-10-20 收到）的答复期限为 "
                        f"2026-12-15（含延期 20 个工作日），还剩 3 个工作日（{DUE_HINT}）")]
    late = app(received="2026-10-20", extended="2026-11-18", extension_reason="需调取档案")
    _, warnings = diags(tmp_path, {"a": late})
    assert warnings == [
        ("content/applications/a.yaml:6:11: 警告: 延期告知超期：申请 T-1（2026-10-20 收到）的延期应在原答复期限 2026-11-17 前告知申请人，"
        "实际 2026-11-18（需要延长答复期限的，应在 20 个工作日的期限内经负责人同意并告知申请人（条例第三十三条））")
    ]


def test_correction_restarts_the_period_and_must_be_asked_within_seven_working_days(tmp_path: Path) -> None:
    text = app(received="2026-10-12", correction_requested="2026-10-23", correction_received="2026-10-30")
    errors, warnings = diags(tmp_path, {"a": text})
    assert errors == []
    assert warnings == [
        ("content/applications/a.yaml:2:11: 警告: 答复即将到期：申请 T-1（2026-10-12 收到）的答复期限为 2026-11-27，"
        f"还剩 1 个工作日（{DUE_HINT}）"),
        ("content/applications/a.yaml:6:23: 警告: 补正告知超期：申请 T-1（2026-10-12 收到）应在 2026-10-21 前"
        "（收到后 7 个工作日内）一次性告知补正，实际 2026-10-23（今后收到内容不明确的申请，应在 7 个工作日内一次性告知补正（条例第三十条））"),
    ]
    # while the correction is awaited no period runs, however long ago the application came in
    assert diags(tmp_path, {"a": app(received="2026-09-01", correction_requested="2026-09-03")}) == ([], [])


def test_third_party_opinion_time_is_not_counted(tmp_path: Path) -> None:
    # without it 2026-10-26 would be overdue on 2026-11-23; the 15 working days move it to 2026-12-14
    assert diags(tmp_path, {"a": app(received="2026-10-26", third_party_sent="2026-10-28")}) == ([], [])
    _, warnings = diags(tmp_path, {"a": app(received="2026-10-26", third_party_sent="2026-10-28")}, date(2026, 12, 9))
    assert [w.split("：", 1)[1].split("，")[0] for w in warnings] == ["申请 T-1（2026-10-26 收到）的答复期限为 2026-12-14"]


def test_late_answer_is_recorded_as_a_warning(tmp_path: Path) -> None:
    errors, warnings = diags(tmp_path, {"a": app(received="2026-09-01", answered="2026-10-20", outcome="予以公开")})
    assert errors == []
    assert warnings == [
        ("content/applications/a.yaml:6:11: 警告: 超期答复：申请 T-1（2026-09-01 收到）的答复期限为 2026-09-29，"
        "2026-10-20 才答复（晚 11 个工作日）（请核对日期；确属超期的，在年度报告中说明并改进（条例第三十三条））")
    ]


def test_outcome_needs_its_reason_from_the_2021_categories(tmp_path: Path) -> None:
    errors, _ = diags(tmp_path, {
        "a": app(answered="2026-11-10", outcome="不予公开"),
        "b": app("T-2", answered="2026-11-10", outcome="无法提供", reason="不掌握"),
        "c": app("T-3", outcome="予以公开"),
        "d": app("T-4", answered="2026-11-10", outcome="予以公开", reason="重复申请"),
    })
    assert errors == [
        ("content/applications/a.yaml:7:1: 错误: 办理结果为不予公开时必须填写 reason，可选：属于国家秘密 / 其他法律行政法规禁止公开 / "
        "危及“三安全一稳定” / 保护第三方合法权益 / 属于三类内部事务信息 / 属于四类过程性信息 / 属于行政执法案卷 / 属于行政查询事项"),
        ("content/applications/b.yaml:8:9: 错误: “不掌握”不是无法提供的情形，可选：本机关不掌握相关政府信息 / 没有现成信息需要另行制作 / "
        "补正后申请内容仍不明确"),
        "content/applications/c.yaml:6:1: 错误: 填写了办理结果 outcome，但没有答复日期 answered",
        "content/applications/d.yaml:8:9: 错误: 办理结果为予以公开时不填 reason",
    ]


def test_unknown_document_duplicate_reference_and_bad_type_are_errors(tmp_path: Path) -> None:
    errors, _ = diags(tmp_path, {
        "a": app(documents="[2026/diba]", answered="2026-11-10", outcome="予以公开"),
        "b": app(answered="2026-11-10", outcome="予以公开"),
        "c": app("T-3", applicant="个人", answered="2026-11-10", outcome="予以公开"),
    })
    assert errors[0] == "content/applications/a.yaml:6:13: 错误: 申请涉及的文件“2026/diba”不存在（是否想写“2026/dibao”？）"
    assert errors[1] == "content/applications/b.yaml:1:12: 错误: 内部编号“T-1”重复（content/applications/a.yaml 已使用）（每件申请用一个不同的内部编号）"
    assert errors[2].startswith("content/applications/c.yaml:4:12: 错误: ") and "自然人" in errors[2]
    assert len(errors) == 3


CANARY = "CANARYq7Z申请人王某某"


def test_application_canaries_never_reach_the_site(built) -> None:  # type: ignore[no-untyped-def]
    text = app(f"{CANARY}-REF", request=f"{CANARY}-REQUEST", note=f"{CANARY}-NOTE",
               answered="2026-11-10", outcome="不予公开", reason="保护第三方合法权益",
               documents="[2026/dibao]")
    site, result = built({"applications/canary.yaml": text})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        data = path.read_bytes()
        for needle in ("CANARYq7Z", "王某某", "canary.yaml", "applications/"):
            assert needle.encode() not in data, (path, needle)


def test_example_register_never_reaches_the_example_site(example_site: Path) -> None:
    needles = set()
    for path in sorted((REPO / "content/applications").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        needles |= {data["reference"], path.stem}
        if not data.get("documents"):  # a request naming a public document quotes its public title
            needles.add(data["request"])
        if data.get("note"):
            needles.add(data["note"])
    assert len(needles) >= 15
    for path in (p for p in example_site.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace")
        leaked = [n for n in needles if n in text]
        assert not leaked, (path, leaked)
