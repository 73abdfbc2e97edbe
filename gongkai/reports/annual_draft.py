"""The whole annual report in the 2021 national format, as a draft document ready to publish.

`gongkai report annual --year Y` writes `annual-report-Y.md`: front matter filled (title, item,
kind 年报, period, dates, summary) and the six sections of 国办公开办函〔2021〕30号:

- 一 总体情况: the year's figures in a sentence, then the text of `annual/Y.yaml` → summary;
- 二 主动公开: 规章 from the data file (a township has none), 行政规范性文件 counted from the
  documents flagged `normative` (本年制发 = written in Y; 本年废止 = repealed by a document
  published in Y; 现行有效 = written by the end of Y, not repealed by then and not marked 失效 /
  废止), 行政许可 / 处罚 / 强制 and 行政事业性收费 from the data file;
- 三 the full table by applicant type × outcome from the register (`reports/applications.py`);
- 四 行政复议 / 行政诉讼 from the data file; 五 and 六 from the data file, 六 with the 信息处理费
  collected (the register's `fee` of applications answered in Y).

A figure the content does not hold is never invented: without `annual/Y.yaml` its cells read
"待填" and the draft says which file to fill. The report is public: counts only.
"""

from __future__ import annotations

from datetime import date

from ..models import Attribute, CaseResults, DocKind
from ..models.common import Validity
from ..site import Site
from .applications import outcome_table

PENDING = "待填"


def normative_figures(site: Site, year: int) -> tuple[int, int, int]:
    """(本年制发, 本年废止, 现行有效) of the 行政规范性文件 for `year`."""
    end = date(year, 12, 31)
    docs = {i: e.model for i, e in site.documents.items() if e.model.normative and e.model.attribute is not Attribute.WITHHELD}
    repealed_on: dict[str, date] = {}
    for e in site.documents.values():
        m = e.model
        if m.published is not None:
            for target in m.repeals:
                repealed_on[target] = min(m.published, repealed_on.get(target, m.published))
    issued = sum(1 for m in docs.values() if m.created.year == year)
    repealed = sum(1 for i in docs if i in repealed_on and repealed_on[i].year == year)
    valid = sum(1 for i, m in docs.items() if m.created <= end and not (i in repealed_on and repealed_on[i] <= end)
                and m.validity not in (Validity.EXPIRED, Validity.REPEALED))
    return issued, repealed, valid


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: list[str], rows: list[list[object]]) -> list[str]:
    return [_row(head), _row(["---"] * len(head)), *(_row(r) for r in rows)]


def report_item(site: Site) -> str | None:
    """The catalog item the town files its annual reports under (the newest report's item)."""
    reports = sorted(
        (e.model for e in site.documents.values() if e.model.kind is DocKind.ANNUAL_REPORT and e.model.item),
        key=lambda m: (m.period or "", m.created),
    )
    if reports:
        return reports[-1].item
    return next((i for i, ref in site.items.items() if "年度报告" in ref.item.name), None)


def _cases(c: CaseResults | None) -> list[object]:
    if c is None:
        return [PENDING] * 5
    return [c.upheld, c.corrected, c.other, c.pending, c.total]


def draft_report(site: Site, year: int) -> str:
    town = site.town.model
    data_entry = site.annual.get(str(year))
    data = data_entry.model if data_entry else None
    start, end = date(year, 1, 1), date(year, 12, 31)
    active = [e.model for e in site.documents.values() if e.model.attribute is Attribute.ACTIVE
              and e.model.published is not None and start <= e.model.published <= end]
    interpretations = sum(1 for m in active if m.kind is DocKind.INTERPRETATION)
    table3 = outcome_table(site, year)
    by_label = {r[0] or r[1]: r for r in table3.rows if r[0] or r[1]}
    received = by_label["一、本年新收政府信息公开申请数量"][-1]
    answered = by_label["（七）总计"][-1]
    carried = by_label["四、结转下年度继续办理"][-1]
    fees = [e.model.fee for e in site.applications.values() if e.model.fee and e.model.answered
            and start <= e.model.answered <= end]
    issued, repealed, valid = normative_figures(site, year)
    item = report_item(site)
    title = f"{town.name}{year}年政府信息公开工作年度报告"
    summary = f"{year}年主动公开政府信息{len(active)}条，收到政府信息公开申请{received}件，办结{answered}件。"

    out = ["---", f"title: {title}"]
    out.append(f"item: {item}" if item else "# item: 请填写公开目录中“政府信息公开工作年度报告”事项的 id")
    out += ["attribute: 主动公开", "kind: 年报", f"created: {site.today.isoformat()}",
            f"published: {site.today.isoformat()}", f'period: "{year}"', "topic: 政务公开",
            "keywords: [年度报告, 政府信息公开]", f"summary: {summary}", "---", ""]
    out += [f"本报告依据《中华人民共和国政府信息公开条例》第五十条规定编制，统计期限为{year}年1月1日至12月31日。", ""]
    if data is None:
        out += [f"（草稿：本年度 content/annual/{year}.yaml 未填写，标为“{PENDING}”的数字请在该文件中填写后重新生成。）", ""]

    out += ["## 一、总体情况", ""]
    out += [(f"{year}年，{town.short_name}主动公开政府信息{len(active)}条，其中政策解读{interpretations}条；"
            f"本年新收政府信息公开申请{received}件，办结{answered}件，结转下年度继续办理{carried}件。"), ""]
    out += [data.summary if data and data.summary else "（请补充本年度政府信息公开工作的总体情况。）", ""]

    out += ["## 二、主动公开政府信息情况", ""]
    rules = [data.rules_issued, data.rules_repealed, data.rules_valid] if data else [PENDING] * 3
    out += _table(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                  [["规章", *rules], ["行政规范性文件", issued, repealed, valid]]) + [""]
    out += _table(["信息内容", "本年处理决定数量"],
                  [["行政许可", data.licensing if data else PENDING]]) + [""]
    out += _table(["信息内容", "本年处理决定数量"],
                  [["行政处罚", data.penalties if data else PENDING],
                   ["行政强制", data.enforcement if data else PENDING]]) + [""]
    fee_cell = (f"{data.fees:g}" if data else PENDING)
    out += _table(["信息内容", "本年收费金额（单位：万元）"], [["行政事业性收费", fee_cell]]) + [""]

    out += ["## 三、收到和处理政府信息公开申请情况", ""]
    out += _table(list(table3.columns), [list(r) for r in table3.rows]) + [""]
    out += ["（“商业企业”“科研机构”“社会公益组织”“法律服务机构”“其他”为法人或者其他组织。）", ""]

    out += ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
    out += _table(["类别", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], [
        ["行政复议", *_cases(data.review if data else None)],
        ["行政诉讼（未经复议直接起诉）", *_cases(data.litigation if data else None)],
        ["行政诉讼（复议后起诉）", *_cases(data.litigation_after_review if data else None)],
    ]) + [""]

    out += ["## 五、存在的主要问题及改进情况", ""]
    out += [data.problems if data and data.problems else "（请填写本年度存在的主要问题和改进情况。）", ""]

    out += ["## 六、其他需要报告的事项", ""]
    if fees:
        out += [f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{len(fees)}件，共{sum(fees):g}元。", ""]
    else:
        out += ["本年度未收取信息处理费。", ""]
    if data and data.other:
        out += [data.other, ""]
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = ["draft_report", "normative_figures", "report_item"]
