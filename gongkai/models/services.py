"""Service guides (`content/guides/<slug>.yaml`) and the power / public-service lists
(`content/lists/*.yaml`) they must agree with (信息同源, seed §四(三)1)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator

from .common import Day, Model, StrList, as_list, field


class ListEntry(Model):
    """One entry of the 权力清单 or 公共服务事项清单."""

    code: str = field("事项编码", "清单中的编码，例如 QZ-GG-0001")
    name: str = field("事项名称")
    category: str = field("事项类别", "例如：行政许可、行政给付、公共服务")
    department: str = field("实施部门")
    time_limit: str = field("办理时限", "例如：5个工作日")
    basis: StrList = field("设定依据", default_factory=list)


class ServiceList(Model):
    """`lists/power.yaml` (权力清单) or `lists/services.yaml` (公共服务事项清单)."""

    title: str = field("清单名称", "例如：永岁镇权力清单")
    kind: str = field("清单类型", "权力清单 或 公共服务事项清单", pattern=r"^(权力清单|公共服务事项清单)$")
    updated: Day | None = field("更新日期", default=None)
    entries: list[ListEntry] = field("清单事项", min_length=1)


class Material(Model):
    """One application material of a service guide."""

    name: str = field("材料名称")
    copies: str | None = field("份数和形式", "例如：原件1份、复印件1份", default=None)
    note: str | None = field("说明", default=None)


def as_material(value):  # type: ignore[no-untyped-def]
    return {"name": value} if isinstance(value, str) else value


class Guide(Model):
    """A 办事指南 for one 政务服务事项."""

    title: str = field("事项名称", "例如：最低生活保障申请")
    entry: str = field("清单事项编码", "权力清单或公共服务事项清单中的编码")
    item: str | None = field("所属公开事项", "目录事项 id", default=None)
    department: str = field("办理部门", "必须与清单一致")
    time_limit: str = field("办理时限", "必须与清单一致，例如：5个工作日")
    conditions: str = field("办理条件", "支持 Markdown")
    materials: Annotated[list[Annotated[Material, BeforeValidator(as_material)]], BeforeValidator(as_list)] = field(
        "申请材料", min_length=1
    )
    review_standard: str | None = field("审核标准", default=None)
    process: StrList = field("办理流程", "按顺序列出步骤", default_factory=list)
    location: str | None = field("办理地点", default=None)
    hours: str | None = field("办理时间", default=None)
    phone: str | None = field("咨询电话", default=None, json_schema_extra={"contact_number": True})
    fee: str = field("收费标准", default="不收费")
    progress_query: str | None = field("进度查询", "如何查询办理进度", default=None)
    result: str | None = field("办理结果", "例如：低保证", default=None)
    basis: StrList = field("设定依据", default_factory=list)
    villages: StrList = field("可办理的村（社区）便民服务站", default_factory=list)
    updated: Day = field("更新日期", "YYYY-MM-DD")
