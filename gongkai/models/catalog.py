"""Catalog areas (`content/catalog/<area>.yaml`) and their items: the 标准目录 table."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, field_validator
from pydantic_core import PydanticCustomError

from .common import (
    MAX_ORDER,
    Audience,
    Channel,
    FivePublic,
    KeyArea,
    Level,
    Mode,
    Model,
    Period,
    as_list,
    field,
    normalise_five_public,
    normalise_levels,
    normalise_mode,
    normalise_variant,
    unique,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
MAX_DAYS = 3650  # no disclosure deadline is longer than ten years
DAY_COUNT = re.compile(r"(\d+)\s*个?\s*(?:工作日|自然日|日|天)")
ID_HINT = "只能使用小写字母、数字和连字符，例如 dibao-shenhe"


class Deadline(Model):
    """Machine form of 公开时限, when the text alone is ambiguous."""

    days: int = field("天数", "1 到 3650（十年）", ge=1, le=MAX_DAYS)
    unit: str = field("计算方式", "工作日 或 自然日", pattern=r"^(工作日|自然日)$")


class Item(Model):
    """One row of the standard catalog (公开事项), with every column of the standard table."""

    id: str = field("事项编号", f"全目录唯一，{ID_HINT}", pattern=ID_PATTERN)
    level1: str = field("一级事项", "例如：最低生活保障")
    level2: str | None = field("二级事项", "例如：审核信息", default=None)
    content: str = field("公开内容（要素）", "例如：初审对象名单及相关信息")
    basis: Annotated[list[str], BeforeValidator(as_list)] = field(
        "公开依据", "法律法规名称，可写多条", default_factory=list
    )
    time_limit: str = field("公开时限", "例如：信息形成或变更之日起20个工作日内")
    deadline: Deadline | None = field(
        "时限（机器可读）", "不填时从“公开时限”文字中识别，例如 {days: 10, unit: 工作日}", default=None
    )
    period: Annotated[Period | None, BeforeValidator(normalise_variant)] = field(
        "公开周期", "每月 / 每季度 / 每半年 / 每年 / 随时；不填时从公开时限文字识别", default=None
    )
    subject: str = field("公开主体", "例如：永岁镇人民政府")
    channels: Annotated[
        list[Annotated[Channel, BeforeValidator(normalise_variant)]], BeforeValidator(as_list), AfterValidator(unique)
    ] = field(
        "公开渠道和载体", "从13种标准渠道中选择", min_length=1
    )
    channels_other: str | None = field("其他渠道说明", "选择“其他”时填写，例如：征地信息公开平台", default=None)
    audience: Annotated[Audience, BeforeValidator(normalise_variant)] = field(
        "公开对象", "全社会 或 特定群体", default=Audience.PUBLIC
    )
    mode: Annotated[Mode, BeforeValidator(normalise_mode)] = field("公开方式", "主动 或 依申请", default=Mode.ACTIVE)
    level: Annotated[list[Level], BeforeValidator(normalise_levels)] = field(
        "公开层级", "县级 / 乡级 / 村级，可写“乡、村级”", min_length=1
    )
    key_area: KeyArea | None = field(
        "村务重点领域", "村级事项所属的重点领域：乡村振兴、村级财务、惠农政策、养老服务、社会救助、义务教育", default=None
    )
    five_public: Annotated[
        list[FivePublic], BeforeValidator(normalise_five_public), AfterValidator(unique)
    ] = field(
        "五公开", "决策、执行、管理、服务、结果公开中的哪几项（可选），例如 执行、结果", default_factory=list
    )
    note: str | None = field("备注", default=None)

    @field_validator("time_limit")
    @classmethod
    def time_limit_in_range(cls, value: str) -> str:
        """`99999999个工作日` is a typo, and counting that many days would overflow the calendar."""
        for match in DAY_COUNT.finditer(value):
            if int(match.group(1)) > MAX_DAYS:
                raise PydanticCustomError(
                    "day_count", "公开时限中的天数“{days}”太大（请写 1 到 {max} 之间的天数，例如 20个工作日）",
                    {"days": match.group(1), "max": str(MAX_DAYS)},
                )
        return value

    @property
    def name(self) -> str:
        return f"{self.level1} / {self.level2}" if self.level2 else self.level1


class Area(Model):
    """`catalog/<area>.yaml`: one 试点领域 with its items."""

    area: str = field("领域名称", "例如：社会救助")
    order: int = field("排序", "领域在目录中的顺序", default=100, ge=-MAX_ORDER, le=MAX_ORDER)
    description: str | None = field("说明", default=None)
    items: list[Item] = field("公开事项", min_length=1)
