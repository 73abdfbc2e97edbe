"""`content/institution.yaml`: the township government as an institution (法定主动公开内容).

《政府信息公开条例》第二十条 (二) requires every administrative organ to publish its 机关职能,
机构设置, 办公地址, 办公时间, 联系方式 and 负责人姓名; the other items of Art. 20 and the township
list of Art. 21 are published as documents under catalog items. `statutory` maps each of those
categories (fixed by law: `StatutoryCategory`) to the catalog items and 文种 that carry it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .common import DocKind, Model, StrList, field


class StatutoryCategory(StrEnum):
    """The categories of 条例第二十条 (common to every organ) and 第二十一条 (乡（镇）人民政府)."""

    NORMATIVE = "规章和规范性文件"
    INSTITUTION = "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"
    PLANNING = "规划及相关政策"
    STATISTICS = "统计信息"
    LICENSING = "行政许可和其他对外管理服务事项"
    ENFORCEMENT = "行政处罚、行政强制"
    BUDGET = "财政预算、决算"
    FEES = "行政事业性收费"
    PROCUREMENT = "政府集中采购"
    MAJOR_PROJECTS = "重大建设项目"
    WELFARE = "扶贫、教育、医疗、社会保障、促进就业"
    EMERGENCY = "突发公共事件应急"
    SUPERVISION = "环境保护、公共卫生、安全生产、食品药品、产品质量监督检查"
    CIVIL_SERVICE = "公务员招考"
    OTHER = "其他应当主动公开的政府信息"
    AGRI_POLICY = "贯彻落实农业农村政策"
    IRRIGATION = "农田水利工程建设运营"
    LAND_TRANSFER = "农村土地承包经营权流转"
    HOMESTEAD = "宅基地使用情况审核"
    LAND_EXPROPRIATION = "土地征收"
    HOUSE_EXPROPRIATION = "房屋征收"
    LEVIES = "筹资筹劳"
    SOCIAL_ASSISTANCE = "社会救助"


#: The article and item each category comes from, in the order of the Regulations.
ARTICLES: dict[StatutoryCategory, str] = {
    **{c: f"第二十条第（{n}）项" for c, n in zip(
        list(StatutoryCategory)[:15],
        ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"),
        strict=True,
    )},
    **{c: "第二十一条" for c in list(StatutoryCategory)[15:]},
}

#: Categories that may stay empty without a warning: (十五) is the catch-all of other laws.
OPTIONAL_CATEGORIES = frozenset({StatutoryCategory.OTHER})


class Department(Model):
    """One 内设机构 (or 站所): what it does and how to reach it."""

    name: str = field("机构名称", "例如：党政综合办公室")
    duties: str = field("主要职责", "支持 Markdown")
    phone: str | None = field("办公电话", default=None, json_schema_extra={"contact_number": True})
    address: str | None = field("办公地点", default=None)


class Leader(Model):
    """One 领导 of the township government: name, position and 分工."""

    name: str = field("姓名")
    position: str = field("职务", "例如：镇长")
    duties: str = field("工作分工", "分管的工作")


class StatutoryMapping(Model):
    """Which catalog items and 文种 carry one statutory category on this site."""

    category: StatutoryCategory = field("法定主动公开类别", "条例第二十条、第二十一条规定的类别")
    items: StrList = field("目录事项", "公开事项目录中的事项 id", default_factory=list)
    kinds: list[DocKind] = field("文种", "该类别包含的文种，例如：制度", default_factory=list)
    documents: StrList = field("文件", "另外归入该类别的文件 id（documents/ 下的路径，不含 .md）", default_factory=list)
    absent: str | None = field(
        "无此类信息的说明", "本机关确无此类信息时的说明，显示在页面上，例如：本镇无行政事业性收费项目", default=None
    )


class Institution(Model):
    """`institution.yaml`: 机构职能, 内设机构, 领导, address and hours, and the statutory mapping."""

    functions: str = field("机构职能", "本机关的主要职能，支持 Markdown")
    departments: list[Department] = field("内设机构", default_factory=list)
    leaders: list[Leader] = field("领导", "领导姓名、职务和分工", default_factory=list)
    address: str = field("办公地址")
    hours: str = field("办公时间", "例如：工作日 8:00-12:00，15:00-18:00")
    phone: str | None = field("联系电话", default=None, json_schema_extra={"contact_number": True})
    updated: date = field("更新日期", "YYYY-MM-DD")
    statutory: list[StatutoryMapping] = field(
        "法定主动公开内容", "每个法定类别对应的目录事项和文种；未列出的类别在页面上显示为空", default_factory=list
    )
