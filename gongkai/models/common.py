"""Enumerations and shared field types of the disclosure content model.

Values are the exact Chinese strings of the Standard Guidelines and the seed document, so that
content files, the JSON Schema and the rendered pages all speak the staff's vocabulary. Common
variants that real catalogues use (特定群众, 依申请公开 as a mode, 镇级 ...) are accepted and
normalised before validation.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import InitErrorDetails, PydanticCustomError


class Attribute(StrEnum):
    """公开属性 of a document (seed §四(二)1)."""

    ACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    WITHHELD = "不予公开"

    @property
    def label(self) -> str:
        """The words printed on the document itself."""
        return ATTRIBUTE_LABELS[self]


ATTRIBUTE_LABELS = {
    Attribute.ACTIVE: "此件公开发布",
    Attribute.ON_REQUEST: "此件可依申请公开",
    Attribute.WITHHELD: "此件不公开",
}


class Audience(StrEnum):
    """公开对象."""

    PUBLIC = "全社会"
    GROUP = "特定群体"


class Mode(StrEnum):
    """公开方式."""

    ACTIVE = "主动"
    ON_REQUEST = "依申请"


class Level(StrEnum):
    """公开层级."""

    COUNTY = "县级"
    TOWNSHIP = "乡级"
    VILLAGE = "村级"


class Channel(StrEnum):
    """公开渠道和载体, in the canonical order of the standard tables."""

    WEBSITE = "政府网站"
    GAZETTE = "政府公报"
    NEW_MEDIA = "两微一端"
    PRESS = "发布会/听证会"
    BROADCAST = "广播电视"
    PRINT = "纸质媒体"
    READING_POINT = "公开查阅点"
    SERVICE_CENTRE = "政务服务中心"
    SERVICE_STATION = "便民服务站"
    DOOR_TO_DOOR = "入户/现场"
    NOTICE_BOARD = "社区/企事业单位/村公示栏（电子屏）"
    PUSH = "精准推送"
    OTHER = "其他"


CHANNEL_ORDER = list(Channel)


class LegalGround(StrEnum):
    """Grounds for 不予公开 under the Regulations (Arts. 14, 15, 16)."""

    STATE_SECRET = "国家秘密"
    PROHIBITED_BY_LAW = "法律行政法规禁止公开"
    SECURITY = "危及国家安全、公共安全、经济安全、社会稳定"
    TRADE_SECRET = "商业秘密"
    PRIVACY = "个人隐私"
    INTERNAL_AFFAIRS = "内部事务信息"
    PROCESS_INFO = "过程性信息"
    ENFORCEMENT_FILE = "行政执法案卷信息"

    @property
    def article(self) -> str:
        """The article of the Regulations this ground comes from."""
        return LEGAL_GROUND_ARTICLES[self]


LEGAL_GROUND_ARTICLES = {
    LegalGround.STATE_SECRET: "第十四条",
    LegalGround.PROHIBITED_BY_LAW: "第十四条",
    LegalGround.SECURITY: "第十四条",
    LegalGround.TRADE_SECRET: "第十五条",
    LegalGround.PRIVACY: "第十五条",
    LegalGround.INTERNAL_AFFAIRS: "第十六条",
    LegalGround.PROCESS_INFO: "第十六条",
    LegalGround.ENFORCEMENT_FILE: "第十六条",
}


class DocKind(StrEnum):
    """文种 / kind of a published document."""

    NOTICE = "通知"
    ANNOUNCEMENT = "公告"
    PUBLIC_NOTICE = "公示"
    CIRCULAR = "通告"
    PLAN = "方案"
    OPINION = "意见"
    DECISION = "决定"
    MEASURES = "办法"
    RULES = "规定"
    REPORT = "报告"
    INTERPRETATION = "解读"
    BUDGET = "预算"
    FINAL_ACCOUNTS = "决算"
    PROGRAMME = "计划"
    SUMMARY = "总结"
    MINUTES = "纪要"
    LIST = "名单"
    SYSTEM = "制度"
    ANNUAL_REPORT = "年报"
    OTHER = "其他"


class Validity(StrEnum):
    """有效性 of a document, as government information pages show it."""

    VALID = "有效"
    EXPIRED = "失效"
    REPEALED = "废止"
    AMENDED = "已修订"


class InterpretationForm(StrEnum):
    """Forms of policy interpretation named by the seed (§四(二)2)."""

    QA = "简明问答"
    GRAPHIC = "图表图解"
    CASE = "案例说明"
    MEDIA = "音频视频"
    TEXT = "文字解读"


class ParticipationMethod(StrEnum):
    """Ways of public participation named by the seed (§四(二)3)."""

    HEARING = "听证座谈"
    VISIT = "实地走访"
    COMMENTS = "征集意见"
    SURVEY = "社会调查"


class VillageKind(StrEnum):
    VILLAGE = "行政村"
    COMMUNITY = "社区"


class KeyArea(StrEnum):
    """The six key areas of village disclosure (seed §四(三)2)."""

    REVITALISATION = "乡村振兴"
    VILLAGE_FINANCE = "村级财务"
    FARM_POLICY = "惠农政策"
    ELDERLY = "养老服务"
    ASSISTANCE = "社会救助"
    EDUCATION = "义务教育"


class FivePublic(StrEnum):
    """五公开 (决策、执行、管理、服务、结果公开), the optional column of some catalogues."""

    DECISION = "决策"
    EXECUTION = "执行"
    MANAGEMENT = "管理"
    SERVICE = "服务"
    RESULT = "结果"


FIVE_PUBLIC_ORDER = list(FivePublic)


def normalise_five_public(value: Any) -> Any:
    """Accept `执行、结果`, `[执行公开, 结果公开]`, `执行` and return a list of values."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        if not isinstance(item, str):
            out.append(item)
            continue
        for part in re.split(r"[、,，/\s]+", item.strip()):
            if part:
                out.append(part[:-2] if part.endswith("公开") and len(part) > 2 else part)
    return out


class Period(StrEnum):
    MONTHLY = "每月"
    QUARTERLY = "每季度"
    HALF_YEARLY = "每半年"
    YEARLY = "每年"
    ON_OCCURRENCE = "随时"  # 村务 重大事项 (村民委员会组织法第三十条): published as it happens


# ---------------------------------------------------------------------------
# Normalisers for variants seen in real catalogues. They run before the enum check,
# so the error message (if any) still names the value the clerk typed.

VARIANTS: dict[str, str] = {
    "特定群众": "特定群体",
    "依申请公开": "依申请",
    "主动公开": "主动",
    "镇级": "乡级",
    "乡镇级": "乡级",
    "此件公开发布": "主动公开",
    "此件可依申请公开": "依申请公开",
    "此件不公开": "不予公开",
    # 公开渠道和载体 as published county and township catalogues spell them
    "村公示栏": "社区/企事业单位/村公示栏（电子屏）",
    "公示栏": "社区/企事业单位/村公示栏（电子屏）",
    "村务公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "村(居)务公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "村（居）务公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "居务公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "社区公示栏": "社区/企事业单位/村公示栏（电子屏）",
    "公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "电子屏": "社区/企事业单位/村公示栏（电子屏）",
    "行政服务中心": "政务服务中心",
    "政务服务大厅": "政务服务中心",
    "微信公众号": "两微一端",
    "政务微信": "两微一端",
    "政务微博": "两微一端",
    "政务新媒体": "两微一端",
    "政府门户网站": "政府网站",
    "发布会": "发布会/听证会",
    "听证会": "发布会/听证会",
    "入户": "入户/现场",
    "现场": "入户/现场",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def normalise_mode(value: Any) -> Any:
    value = _strip(value)
    return {"依申请公开": "依申请", "主动公开": "主动"}.get(value, value)


def normalise_attribute(value: Any) -> Any:
    value = _strip(value)
    return {"此件公开发布": "主动公开", "此件可依申请公开": "依申请公开", "此件不公开": "不予公开"}.get(
        value, value
    )


def normalise_variant(value: Any) -> Any:
    value = _strip(value)
    if isinstance(value, str):
        return VARIANTS.get(value, value)
    return value


_LEVEL_SPLIT = re.compile(r"[、,，/]\s*")


def normalise_levels(value: Any) -> Any:
    """Accept `乡级`, `乡、村级`, `[乡级, 村级]` and return a list of level strings."""
    if value is None:
        return value
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        if not isinstance(item, str):
            out.append(item)
            continue
        parts = [p for p in _LEVEL_SPLIT.split(item.strip()) if p]
        # "乡、村级" -> ["乡", "村级"]: a bare prefix borrows the trailing 级.
        for part in parts:
            if not part.endswith("级"):
                part += "级"
            out.append(VARIANTS.get(part, part))
    return out


def as_list(value: Any) -> Any:
    """Allow a single scalar where a list is expected (`villages: 井头村`)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


StrList = Annotated[list[str], BeforeValidator(as_list)]


def unique(values: list[Any]) -> list[Any]:
    """Drop repeats, keeping the first: 微信公众号 and 政务微博 are both 两微一端."""
    return list(dict.fromkeys(values))


_ISO_DAY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def written_day(value: Any) -> Any:
    """A date is written YYYY-MM-DD: pydantic alone would also take `0` or `86400` (seconds since
    1970) and give 1970-01-01 — a typo, not a date."""
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise PydanticCustomError("date_parsing", "日期“{value}”格式不正确（日期写成 YYYY-MM-DD）", {"value": value})
    return value


Day = Annotated[date, BeforeValidator(written_day)]

EARLIEST_DATE = date(1949, 10, 1)
LATEST_DATE = date(2099, 12, 31)
MAX_ORDER = 1_000_000  # `order` sorts a few dozen areas or villages: anything larger is a typo


class Model(BaseModel):
    """Base of every content model: unknown keys are errors, values are validated eagerly."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        str_min_length=1,  # `committee: ""` is as good as missing: say so instead of publishing ""
        use_enum_values=False,
        populate_by_name=True,
        # Validators are built when a model first validates, not at import: a quick rebuild
        # (gongkai/quick/) unpickles models and validates only documents, and every command
        # starts ~0.1 s sooner.
        defer_build=True,
    )

    @field_validator("*", mode="after")
    @classmethod
    def dates_in_range(cls, value: Any) -> Any:
        """9999-12-31 or 0001-01-01 is a typo, and date arithmetic on it (deadlines, periods) would
        overflow: refuse any date outside the years a township record can carry."""
        if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise PydanticCustomError(
                "date_range",
                "日期“{value}”超出范围（请写 {earliest} 到 {latest} 之间的真实日期）",
                {"value": value.isoformat(), "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
            )
        return value


def field(title: str, description: str = "", **kw: Any) -> Any:
    """A Field with a Chinese title (shown by editors through the JSON Schema)."""
    return Field(title=title, description=description or title, **kw)


def raise_all(title: str, problems: list[tuple[str, str, dict[str, str]]]) -> None:
    """Raise one ValidationError carrying every cross-field problem, each located at its field.

    A model validator can only raise once; collecting first means a clerk sees all the
    problems of a file in one run instead of fixing them one build at a time. A ctx key `at`
    names the field to point at when the field itself is absent (e.g. `attribute` for a
    missing `reason`), so the message lands on the line that caused it.
    """
    if not problems:
        return
    details: list[InitErrorDetails] = [
        {"type": PydanticCustomError("rule", message, ctx), "loc": (field_name,), "input": None}
        for field_name, message, ctx in problems
    ]
    raise ValidationError.from_exception_data(title, details)
