"""Documents (`content/documents/**/<slug>.md`): YAML front matter + Markdown body."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, model_validator
from pydantic_core import PydanticCustomError

from .common import (
    EARLIEST_DATE,
    LATEST_DATE,
    Attribute,
    Day,
    DocKind,
    InterpretationForm,
    LegalGround,
    Model,
    StrList,
    Validity,
    as_list,
    field,
    normalise_attribute,
    raise_all,
)

# 永政发〔2024〕12号 — issuer code, year in 六角括号, sequence, 号.
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fffA-Za-z]+〔(\d{4})〕\d+号$")
_WRONG_BRACKETS = re.compile(r"^([\u4e00-\u9fffA-Za-z]+)\s*[\[【（(［](\d{4})[\]】）)］]\s*(\d+)\s*号?$")


def check_period(value: str | None) -> str | None:
    """`period: "9999"` or `"0000"` is a typo: the year must be one a township record can carry."""
    if value is None:
        return value
    year = int(value[:4])
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise PydanticCustomError(
            "period_range",
            "所属期间“{value}”的年份 {year} 超出范围（请写 {earliest} 到 {latest} 之间的年份，例如 period: \"2024\" 或 \"2024-Q3\"）",
            {"value": value, "year": str(year), "earliest": str(EARLIEST_DATE.year), "latest": str(LATEST_DATE.year)},
        )
    return value


def check_doc_number(value: str | None) -> str | None:
    """文号 must read like 永政发〔2024〕12号; suggest the fix for common mistakes."""
    if value is None or DOC_NUMBER.match(value):
        return value
    if value.isdigit():
        raise PydanticCustomError(
            "doc_number",
            "文号“{value}”只有数字，缺少机关代字和年份（请写完整文号，例如 doc_number: 永政发〔2024〕{value}号；没有文号的文件请删除这一行）",
            {"value": value},
        )
    wrong = _WRONG_BRACKETS.match(value)
    if wrong:
        fixed = f"{wrong.group(1)}〔{wrong.group(2)}〕{wrong.group(3)}号"
        raise PydanticCustomError(
            "doc_number", "文号“{value}”的年份应使用六角括号〔〕（请改为：{fixed}）", {"value": value, "fixed": fixed}
        )
    raise PydanticCustomError(
        "doc_number",
        "文号“{value}”格式不正确（应形如：永政发〔2024〕12号；若文号是纯数字，说明填错了字段）",
        {"value": value},
    )


def as_legal_ground(value: Any) -> Any:
    """Accept the ground's name, optionally with the article: `第十五条 个人隐私`."""
    if isinstance(value, str):
        text = re.sub(r"^《?[^》]*》?\s*第十[四五六]条[（(：:\s]*", "", value.strip()).rstrip("）)")
        for ground in LegalGround:
            if text == ground.value:
                return ground.value
    return value


class QA(Model):
    """One question and answer of a 简明问答 interpretation."""

    q: str = field("问题")
    a: str = field("回答", "支持 Markdown")


class Attachment(Model):
    """A file under `content/` linked from a document."""

    file: str = field("文件路径", "相对于 content/ 的路径，例如 attachments/2024/预算表.xlsx")
    title: str | None = field("显示名称", default=None)


def as_attachment(value: Any) -> Any:
    return {"file": value} if isinstance(value, str) else value


class Document(Model):
    """Front matter of one government information document."""

    title: str = field("标题", "文件标题", min_length=2)
    doc_number: Annotated[str | None, AfterValidator(check_doc_number)] = field(
        "发文字号", "例如：永政发〔2024〕12号；没有文号的公示可不填", default=None
    )
    item: str | None = field("所属公开事项", "目录事项 id（catalog/*.yaml 中的 id）；主动公开文件必须填写", default=None)
    attribute: Annotated[Attribute, BeforeValidator(normalise_attribute)] = field(
        "公开属性", "主动公开 / 依申请公开 / 不予公开"
    )
    reason: str | None = field("不公开或依申请公开的理由", "依申请公开、不予公开时必须说明", default=None)
    legal_basis: Annotated[LegalGround | None, BeforeValidator(as_legal_ground)] = field(
        "不予公开依据", "《政府信息公开条例》第十四、十五、十六条规定的情形之一", default=None
    )
    issuer: str | None = field("发布机构", "不填则为 site.yaml 中的发布机构", default=None)
    villages: StrList = field("适用村（社区）", "村的 slug 列表；不填表示全镇", default_factory=list)
    created: Day = field("成文日期", "YYYY-MM-DD")
    published: Day | None = field("发布日期", "YYYY-MM-DD；主动公开文件必须填写", default=None)
    valid_until: Day | None = field("公示截止日期", "公示期最后一天，过后显示“已过公示期”", default=None)
    reviewed: Day | None = field("最近自查日期", "不予公开、依申请公开信息最近一次自查的日期", default=None)
    kind: DocKind = field("文种", "通知、公告、公示、方案、解读……")
    interprets: str | None = field("解读的政策", "被解读政策文件的 id（documents/ 下的路径，不含 .md）", default=None)
    form: InterpretationForm | None = field("解读形式", "简明问答、图表图解、案例说明、音频视频、文字解读", default=None)
    qa: list[QA] = field("问答", "简明问答形式的解读：问题与回答列表", default_factory=list)
    attachments: Annotated[list[Annotated[Attachment, BeforeValidator(as_attachment)]], BeforeValidator(as_list)] = field(
        "附件", "相对于 content/ 的文件路径列表", default_factory=list
    )
    index_number: str | None = field("索引号", "gongkai new document 新建时分配，此后不再改变（改名、移动都保留）；不予公开文件不填", default=None)
    topic: str | None = field("主题分类", default=None)
    keywords: StrList = field("主题词", default_factory=list)
    summary: str | None = field("摘要", "一句话概括，用于列表、订阅和微信摘要", default=None)
    period: Annotated[str | None, AfterValidator(check_period)] = field(
        "所属期间", "周期性事项所属期间，例如 2024、2024-Q3、2024-07", default=None,
        pattern=r"^\d{4}(-(Q[1-4]|H[12]|(0[1-9]|1[0-2])))?$",
    )
    restates: str | None = field(
        "对应镇级文件", "村级公告转述镇级文件时，填写该镇级文件的 id", default=None
    )
    validity: Validity | None = field("有效性", "有效、失效、废止、已修订", default=None)
    normative: bool = field("行政规范性文件", "是否属于行政规范性文件（年报第二部分统计；应配发解读）", default=False)
    repeals: StrList = field("废止的文件", "本文件废止的文件 id 列表（documents/ 下的路径，不含 .md）", default_factory=list)
    amends: StrList = field("修订的文件", "本文件修订的文件 id 列表", default_factory=list)
    approved: Day | None = field(
        "批准日期", "预决算等事项经人大或其常委会批准的日期；公开时限从批准之日起算", default=None
    )

    @model_validator(mode="after")
    def _attribute_rules(self) -> Document:
        """Rules between fields; all of them are reported at once, each at its own field."""
        problems: list[tuple[str, str, dict[str, str]]] = []
        if self.attribute is Attribute.WITHHELD:
            if not self.reason:
                problems.append(("reason", "不予公开的文件必须填写 reason（写明不公开的理由）", {"at": "attribute"}))
            if self.legal_basis is None:
                problems.append((
                    "legal_basis",
                    "不予公开的文件必须填写 legal_basis（依据《政府信息公开条例》第十四、十五或十六条，可选：{choices}）",
                    {"choices": " / ".join(g.value for g in LegalGround), "at": "attribute"},
                ))
        if self.attribute is Attribute.ON_REQUEST and not self.reason:
            problems.append(("reason", "依申请公开的文件必须填写 reason（写明为何不主动公开）", {"at": "attribute"}))
        if self.attribute is Attribute.ACTIVE and self.published is None:
            problems.append(("published", "主动公开的文件必须填写 published（发布日期，YYYY-MM-DD）", {"at": "attribute"}))
        if self.published and self.published < self.created:
            problems.append((
                "published",
                "发布日期 {published} 早于成文日期 {created}（请检查两个日期）",
                {"published": str(self.published), "created": str(self.created)},
            ))
        if self.approved and self.published and self.approved > self.published:
            problems.append((
                "approved",
                "批准日期 {approved} 晚于发布日期 {published}（预决算应在批准后公开，请检查两个日期）",
                {"approved": str(self.approved), "published": str(self.published)},
            ))
        if self.kind is DocKind.INTERPRETATION and not self.interprets:
            problems.append(("interprets", "解读文件必须填写 interprets（被解读政策文件的 id）", {"at": "kind"}))
        raise_all(type(self).__name__, problems)
        return self


def doc_number_year(doc_number: str) -> int | None:
    match = DOC_NUMBER.match(doc_number)
    return int(match.group(1)) if match else None


__all__ = ["QA", "Attachment", "Document", "as_list", "check_doc_number", "doc_number_year"]
