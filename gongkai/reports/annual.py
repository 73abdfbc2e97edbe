"""年度报告数据: the figures of the annual disclosure report that content can give.

The 2021 national format (国办公开办函〔2021〕30号) asks, in 二 主动公开政府信息情况 and 三 收到和处理
政府信息公开申请情况, for figures of which only some are knowable from content: documents actively
disclosed in the year (by kind and by area), whether they were on time, and the documents marked
不予公开 by ground (rows 1–8 of the form). Everything else (规章和规范性文件, 行政许可/处罚/强制, 收费,
applications received, reviews and lawsuits) is listed as "fill in by hand", never invented.

The annual report is itself published, so this report holds counts and 主动公开 titles only —
nothing from a 不予公开 document.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ..models import Attribute, DocKind, LegalGround
from ..rules.timeliness import Timeliness, timeliness
from ..site import Site
from .annual_draft import draft_report
from .tables import Table, markdown_document, tables_xlsx

# Rows 1–8 of 三(三)3 "不予公开" in the 2021 format, and the grounds of the model they gather.
FORM_GROUNDS: tuple[tuple[int, str, tuple[LegalGround, ...]], ...] = (
    (1, "属于国家秘密", (LegalGround.STATE_SECRET,)),
    (2, "其他法律行政法规禁止公开", (LegalGround.PROHIBITED_BY_LAW,)),
    (3, "危及“三安全一稳定”", (LegalGround.SECURITY,)),
    (4, "保护第三方合法权益", (LegalGround.TRADE_SECRET, LegalGround.PRIVACY)),
    (5, "属于三类内部事务信息", (LegalGround.INTERNAL_AFFAIRS,)),
    (6, "属于四类过程性信息", (LegalGround.PROCESS_INFO,)),
    (7, "属于行政执法案卷", (LegalGround.ENFORCEMENT_FILE,)),
    (8, "属于行政查询事项", ()),
)

MANUAL = (
    ("规章：乡镇人民政府一般为 0；行政许可、行政处罚、行政强制、行政事业性收费（第二部分），行政复议、行政诉讼"
    "（第四部分），第一、五、六部分的文字：填写 content/annual/<年份>.yaml 后重新运行本命令"),
    ("annual-report-<年份>.md 是按 2021 年格式写好的年度报告全文草稿（行政规范性文件按 normative 和有效性统计，"
    "第三部分按申请登记统计），核对后复制到 content/documents/ 发布"),
)


def _percent(part: int, total: int) -> str:
    return f"{part * 100 / total:.1f}%" if total else "—"


def annual_tables(site: Site, year: int) -> list[Table]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    docs = site.documents
    active = [
        i
        for i, e in docs.items()
        if e.model.attribute is Attribute.ACTIVE
        and e.model.published is not None
        and start <= e.model.published <= end
    ]
    results = {i: r for i, r in timeliness(site).items() if i in set(active)}
    status_of = {i: results[i].status if i in results else Timeliness.UNKNOWN for i in active}

    def created_in(attr: Attribute) -> list[str]:
        return [
            i
            for i, e in docs.items()
            if e.model.attribute is attr and start <= e.model.created <= end
        ]

    on_request, withheld = created_in(Attribute.ON_REQUEST), created_in(Attribute.WITHHELD)
    interpretations = [i for i in active if docs[i].model.kind is DocKind.INTERPRETATION]
    counts = Counter(status_of.values())
    summary = Table(
        "表1 概况",
        ("项目", "数量"),
        (
            ("本年主动公开文件（按发布日期）", len(active)),
            ("其中：按时公开", counts[Timeliness.ON_TIME]),
            ("其中：超期公开", counts[Timeliness.LATE]),
            ("其中：无法判断（节假日数据未覆盖）", counts[Timeliness.UNKNOWN]),
            ("其中：政策解读", len(interpretations)),
            ("本年成文的依申请公开文件", len(on_request)),
            ("本年成文的不予公开文件", len(withheld)),
        ),
        sheet="概况",
    )

    by_kind = Counter(docs[i].model.kind for i in active)
    kind_rows = [(kind.value, by_kind[kind]) for kind in DocKind if by_kind[kind]]
    kinds = Table(
        "表2 主动公开文件（按文种）",
        ("文种", "件数"),
        (*kind_rows, ("合计", len(active))),
        sheet="按文种",
    )

    area_rows = []
    for slug, area in site.areas.items():
        ids = [
            i
            for i in active
            if (ref := site.items.get(docs[i].model.item or "")) and ref.area_slug == slug
        ]
        c = Counter(status_of[i] for i in ids)
        area_rows.append(
            (
                area.model.area,
                len(ids),
                c[Timeliness.ON_TIME],
                c[Timeliness.LATE],
                c[Timeliness.UNKNOWN],
            )
        )
    areas = Table(
        "表3 主动公开文件（按领域）",
        ("领域", "件数", "按时", "超期", "无法判断"),
        (
            *area_rows,
            (
                "合计",
                len(active),
                counts[Timeliness.ON_TIME],
                counts[Timeliness.LATE],
                counts[Timeliness.UNKNOWN],
            ),
        ),
        sheet="按领域",
    )

    timely = Table(
        "表4 公开时效",
        ("情况", "件数", "占比"),
        tuple(
            (status.value, counts[status], _percent(counts[status], len(active)))
            for status in Timeliness
        )
        + (("合计", len(active), _percent(len(active), len(active))),),
        sheet="时效",
        note="时限按目录事项的公开时限计算（未写明的按《政府信息公开条例》第二十六条 20 个工作日），从成文次日起算，节假日按国务院公布的安排。",
    )

    late_rows = []
    for n, doc_id in enumerate(
        sorted(
            (i for i in active if status_of[i] is Timeliness.LATE),
            key=lambda i: (docs[i].model.published, i),
        ),
        start=1,
    ):
        doc, result = docs[doc_id].model, results[doc_id]
        late_rows.append(
            (
                n,
                doc_id,
                doc.title,
                doc.created,
                result.limit.text,
                result.deadline,
                doc.published,
                result.days_late,
            )
        )
    late = Table(
        "表5 超期公开的文件",
        ("序号", "文件编号", "标题", "成文日期", "公开时限", "期限", "发布日期", "超期天数"),
        tuple(late_rows),
        sheet="超期文件",
    )

    in_year = Counter(docs[i].model.legal_basis for i in withheld)
    total_end = Counter(
        e.model.legal_basis
        for e in docs.values()
        if e.model.attribute is Attribute.WITHHELD and e.model.created <= end
    )
    ground_rows = [
        (
            n,
            label,
            "、".join(f"{g.article} {g.value}" for g in grounds) or "—",
            sum(in_year[g] for g in grounds),
            sum(total_end[g] for g in grounds),
        )
        for n, label, grounds in FORM_GROUNDS
    ]
    ground_rows.append(("", "合计", "", len(withheld), sum(total_end.values())))
    grounds = Table(
        "表6 不予公开的文件（按理由）",
        ("序号", "理由（2021 年度报告格式）", "对应条款和情形", "本年成文", "截至年末"),
        tuple(ground_rows),
        sheet="不予公开按理由",
        note="本表统计内容中标注为不予公开的文件（按当前属性），不是依申请公开的答复数；"
        "年度报告第三部分的不予公开答复数请以申请办理登记为准。",
    )
    return [summary, kinds, areas, timely, late, grounds]


def annual_files(site: Site, year: int) -> dict[str, bytes | str]:
    town = site.town.model
    title = f"{town.name}{year}年政府信息公开工作年度报告数据"
    tables = annual_tables(site, year)
    intro = [
        (
            f"统计期间 {year}-01-01 至 {year}-12-31；生成日期 {site.today.isoformat()}。"
            "以下数字由 gongkai 根据网站内容统计，可直接填入《政府信息公开工作年度报告》（2021 年格式）的相应栏目。"
        ),
    ]
    outro = ["## 需要人工填写的栏目\n\n" + "\n".join(f"- {line}" for line in MANUAL)]
    return {
        f"annual-{year}.md": markdown_document(title, intro, tables, outro),
        f"annual-{year}.xlsx": tables_xlsx(title, tables, site.today),
        f"annual-report-{year}.md": draft_report(site, year),
    }
