"""政府信息公开申请: the register of applications, and table 三 of the 2021 annual-report format.

`gongkai report applications` writes the register (HTML and XLSX, internal: it says what was
asked and how each application was handled) and the year's table 三. `outcome_table` is the
table the annual report (`gongkai report annual`) prints in its section 三: counts only.

Counting for year Y (国办公开办函〔2021〕30号):
- 一 本年新收: received in Y;  二 上年结转: received before Y and not answered before Y;
- 三 本年度办理结果: answered in Y, by outcome and reason;  （七）总计 their sum;
- 四 结转下年度继续办理: received by the end of Y and not answered in or before Y.
So 一 + 二 = 三（七） + 四 in every column.
"""

from __future__ import annotations

from datetime import date

from ..models import REASONS, ApplicantType, Application, Outcome
from ..rules import workdays
from ..rules.applications import answer_deadline
from ..site import Site
from .tables import Cell, Table, html_document, tables_xlsx

OUTCOME_LABELS = {
    Outcome.DISCLOSED: "（一）予以公开",
    Outcome.PARTLY: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    Outcome.WITHHELD: "（三）不予公开",
    Outcome.UNAVAILABLE: "（四）无法提供",
    Outcome.NOT_HANDLED: "（五）不予处理",
    Outcome.OTHER: "（六）其他处理",
}
APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
OUTCOME_COLUMNS = ("项目", "分项", "情形", *APPLICANT_COLUMNS)

NEW_ROW = "一、本年新收政府信息公开申请数量"
CARRIED_IN_ROW = "二、上年结转政府信息公开申请数量"
RESULTS_ROW = "三、本年度办理结果"
TOTAL_ROW = "（七）总计"
CARRIED_OUT_ROW = "四、结转下年度继续办理"


def _counts(apps: list[Application]) -> tuple[int, ...]:
    per = [sum(1 for a in apps if a.applicant is t) for t in ApplicantType]
    return (*per, sum(per))


def outcome_table(site: Site, year: int) -> Table:
    """Table 三 of the annual report: every row of the 2021 format × the applicant columns."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    apps = [e.model for e in site.applications.values()]
    new = [a for a in apps if start <= a.received <= end]
    carried_in = [a for a in apps if a.received < start and (a.answered is None or a.answered >= start)]
    answered = [a for a in apps if a.answered is not None and start <= a.answered <= end]
    carried_out = [a for a in apps if a.received <= end and (a.answered is None or a.answered > end)]
    rows: list[tuple[Cell, ...]] = [(NEW_ROW, "", "", *_counts(new)), (CARRIED_IN_ROW, "", "", *_counts(carried_in))]
    first = True
    for outcome, label in OUTCOME_LABELS.items():
        of_outcome = [a for a in answered if a.outcome is outcome]
        kinds = REASONS.get(outcome)
        head = RESULTS_ROW if first else ""
        first = False
        if kinds is None:
            rows.append((head, label, "", *_counts(of_outcome)))
            continue
        for n, reason in enumerate(kinds, start=1):
            rows.append((head if n == 1 else "", label if n == 1 else "", f"{n}.{reason.value}",
                         *_counts([a for a in of_outcome if a.reason == reason.value])))
    rows.append(("", TOTAL_ROW, "", *_counts(answered)))
    rows.append((CARRIED_OUT_ROW, "", "", *_counts(carried_out)))
    town = site.town.model.short_name
    return Table(
        f"{town}{year}年收到和处理政府信息公开申请情况",
        OUTCOME_COLUMNS,
        tuple(rows),
        note="“商业企业”至“其他”为法人或者其他组织。一＋二＝三（七）＋四。",
        sheet=f"{year}年申请办理情况",
        widths={"分项": 30, "情形": 40},
    )


def status_of(site: Site, app: Application) -> tuple[date | None, str]:
    """The answer deadline and a status line, on `site.today`."""
    deadline = answer_deadline(app)
    if deadline.waiting_correction:
        return None, "等待申请人补正"
    if deadline.due is None:
        return None, f"无法计算期限（节假日安排未覆盖 {deadline.uncovered_year} 年）"
    if app.answered is not None:
        if app.answered > deadline.due:
            return deadline.due, f"已答复（超期 {workdays.working_days_between(deadline.due, app.answered)} 个工作日）"
        return deadline.due, "已答复"
    if site.today > deadline.due:
        return deadline.due, f"已逾期 {workdays.working_days_between(deadline.due, site.today)} 个工作日"
    return deadline.due, f"办理中，还剩 {workdays.working_days_between(site.today, deadline.due)} 个工作日"


REGISTER_COLUMNS = (
    "序号", "内部编号", "收到日期", "申请渠道", "申请人类型", "申请内容", "涉及的文件", "告知补正日期", "收到补正日期",
    "征求第三方意见日期", "第三方答复日期", "延期告知日期", "延期理由", "答复期限", "答复日期", "办理结果", "理由",
    "状态", "信息处理费（元）", "备注", "源文件",
)


def register_table(site: Site) -> Table:
    """One row per application, in the order received (then by reference)."""
    entries = sorted(site.applications.values(), key=lambda e: (e.model.received, e.model.reference))
    rows = []
    for n, entry in enumerate(entries, start=1):
        a = entry.model
        due, status = status_of(site, a)
        titles = "；".join(site.documents[d].model.title if d in site.documents else d for d in a.documents)
        rows.append((n, a.reference, a.received, a.channel.value, a.applicant.value, a.request, titles,
                     a.correction_requested, a.correction_received, a.third_party_sent, a.third_party_replied,
                     a.extended, a.extension_reason or "", due, a.answered, a.outcome.value if a.outcome else "",
                     a.reason or "", status, a.fee, a.note or "", entry.path))
    town = site.town.model.short_name
    return Table(f"{town}政府信息公开申请登记", REGISTER_COLUMNS, tuple(rows), sheet="申请登记",
                 widths={"申请内容": 40, "涉及的文件": 30, "备注": 30, "状态": 24, "源文件": 30})


def applications_files(site: Site, year: int) -> dict[str, bytes | str]:
    register = register_table(site)
    table = outcome_table(site, year)
    open_count = sum(1 for e in site.applications.values() if e.model.answered is None)
    intro = [
        f"共登记申请 {len(site.applications)} 件，其中尚未答复 {open_count} 件。统计日期 {site.today.isoformat()}。",
        ("答复期限按国务院公布的节假日安排计算工作日：自收到申请次日起 20 个工作日，延期的再加 20 个工作日；"
        "告知补正的，自收到补正之日起重新计算；征求第三方意见的时间不计算在内（条例第三十条至第三十三条）。"),
    ]
    title = register.title
    return {
        "applications.html": html_document(title, intro, [register, table]),
        "applications.xlsx": tables_xlsx(title, [register, table], site.today),
    }
