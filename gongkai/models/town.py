"""The town (`content/site.yaml`) and its villages (`content/villages/<slug>.yaml`)."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from .common import MAX_ORDER, Day, Model, VillageKind, as_list, field


class Contact(Model):
    """A contact point shown on the site (office, phone, address, hours)."""

    name: str = field("名称", "部门或窗口名称，例如：党政综合办公室")
    phone: str | None = field("电话", "联系电话，例如：0773-4812345", default=None, json_schema_extra={"contact_number": True})
    address: str | None = field("地址", default=None)
    hours: str | None = field("办公时间", "例如：工作日 8:00-12:00，15:00-18:00", default=None)
    email: str | None = field("电子邮箱", default=None)


class DisclosureOffice(Model):
    """The 政府信息公开工作机构 that receives applications (shown in the 政府信息公开指南)."""

    name: str = field("受理机构", "例如：永岁镇党政综合办公室")
    address: str = field("办公地址")
    hours: str = field("受理时间", "例如：工作日 8:00-12:00，15:00-18:00")
    phone: str = field("联系电话")
    fax: str | None = field("传真", default=None)
    email: str | None = field("电子邮箱", default=None)
    form_url: str | None = field("在线申请地址", "网上申请表单的网址", default=None)
    postal_address: str | None = field("通信地址", "信函申请的收件地址和邮政编码", default=None)


class ApplyChannel(StrEnum):
    """条例第二十九条: how an application may be handed in (数据电文 = e-mail or the online form)."""

    IN_PERSON = "当面提交"
    LETTER = "信函"
    EMAIL = "电子邮件"
    ONLINE = "在线申请"
    FAX = "传真"


#: The office field each channel needs (当面 and 信函 use the address every office has).
CHANNEL_FIELDS: dict[ApplyChannel, str] = {
    ApplyChannel.IN_PERSON: "address", ApplyChannel.LETTER: "address",
    ApplyChannel.EMAIL: "email", ApplyChannel.ONLINE: "form_url", ApplyChannel.FAX: "fax",
}


class Remedy(Model):
    """One 监督和救济 channel: where a complaint, 行政复议 or 行政诉讼 is brought."""

    kind: str = field("救济方式", "例如：投诉举报、行政复议、行政诉讼")
    body: str = field("受理机关", "例如：全州县人民政府")
    contact: str | None = field("联系方式", default=None)


class DisclosureGuide(Model):
    """`site.yaml` → `disclosure`: the data of the 政府信息公开指南 (条例第十二条)."""

    office: DisclosureOffice = field("受理机构")
    reading_points: list[str] = field("公开查阅点", "政府信息公开查阅点的名称和地址", default_factory=list)
    channels: list[ApplyChannel] = field(
        "申请渠道",
        "受理申请的方式（条例第二十九条）：当面提交、信函、电子邮件、在线申请、传真；"
        "不填则为当面提交、信函，以及受理机构填写了 email、form_url、fax 的方式",
        default_factory=list,
    )
    remedies: list[Remedy] = field("监督和救济", default_factory=list)
    updated: Day = field("指南更新日期", "YYYY-MM-DD；指南内容变化时必须同时更新")
    digest: str | None = field(
        "指南数据摘要", "由 gongkai check 计算；数据变化后按警告提示更新 updated 和 digest", default=None
    )

    @property
    def apply_channels(self) -> list[ApplyChannel]:
        """The channels offered: as listed, or every channel the office has the contact for."""
        if self.channels:
            return list(dict.fromkeys(self.channels))
        return [c for c in ApplyChannel if getattr(self.office, CHANNEL_FIELDS[c])]


class SiteIdentity(Model):
    """`site.yaml` → `identity`: the registration marks a government website shows in its footer."""

    sponsor: str | None = field("主办单位", default=None)
    site_code: str | None = field("网站标识码", "政府网站标识码，10 位", default=None, pattern=r"^[0-9A-Za-z]{10}$")
    icp: str | None = field("ICP备案号", "例如：桂ICP备xxxxxxxx号", default=None)
    police: str | None = field("公安机关备案号", "例如：桂公网安备 xxxxxxxxxxxxxx号", default=None)
    party_gov_mark_url: str | None = field("党政机关网站标识链接", "党政机关网站标识（红色标识）的验证链接", default=None)
    error_report_url: str | None = field("我为政府网站找错链接", "“我为政府网站找错”平台的链接", default=None)


def _check_base_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", value):
        raise ValueError("base_url 应以 http:// 或 https:// 开头，例如 https://www.example.gov.cn/yongsui/")
    return value if value.endswith("/") else value + "/"


def _check_index_format(value: str) -> str:
    for key in ("{seq", "{year"):
        if key not in value:
            raise ValueError(f"索引号格式必须包含 {key}…}}，例如 {{org_code}}/{{year}}-{{seq:05d}}")
    return value


class Town(Model):
    """`site.yaml`: the publishing body (乡镇人民政府) and site-wide settings."""

    name: str = field("发布机构全称", "例如：全州县永岁镇人民政府")
    short_name: str = field("简称", "例如：永岁镇")
    county: str = field("所属县", "例如：全州县")
    city: str | None = field("所属市", "例如：桂林市", default=None)
    province: str | None = field("所属省（区）", "例如：广西壮族自治区", default=None)
    division_code: Annotated[str | None, BeforeValidator(lambda v: v)] = field(
        "统计用区划代码", "9 位或 12 位数字，例如 450324114", default=None, pattern=r"^\d{9}(\d{3})?$"
    )
    org_code: str = field(
        "机构代码",
        "统一社会信用代码（18 位）或组织机构代码（9 位），用于生成索引号",
        pattern=r"^([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|[0-9A-Z]{8}-?[0-9X])$",
    )
    index_number_format: Annotated[str, AfterValidator(_check_index_format)] = field(
        "索引号格式",
        "可用占位符 {org_code} {year} {seq}，默认 {org_code}/{year}-{seq:05d}",
        default="{org_code}/{year}-{seq:05d}",
    )
    contacts: list[Contact] = field("联系方式", default_factory=list)
    apply: str = field(
        "依申请公开办理说明",
        "如何申请公开（受理机构、地址、电话、方式、期限），支持 Markdown",
    )
    base_url: Annotated[str | None, AfterValidator(_check_base_url)] = field(
        "网站地址", "发布后的网址，用于规范链接、站点地图和订阅源；可用 --base-url 覆盖", default=None
    )
    interpretation_lag_days: int = field(
        "解读同步工作日数", "政策解读晚于政策发布超过该工作日数（按法定节假日安排计算）时给出警告", default=3, ge=0, le=365
    )
    consultation_feedback_days: int = field(
        "意见采纳情况公布天数", "征求意见截止后超过该天数仍未公布意见采纳情况时给出警告", default=30, ge=0, le=3650
    )
    review_interval_years: int = field("自查周期（年）", "不予公开信息的自查周期", default=2, ge=1, le=50)
    max_file_kb: int = field("文件大小上限（KB）", "超过此大小的内容文件和附件将被拒绝", default=10240, ge=1, le=1_000_000)
    description: str | None = field("网站简介", default=None)
    disclosure: DisclosureGuide | None = field("政府信息公开指南", "受理机构、查阅点、监督和救济渠道", default=None)
    identity: SiteIdentity | None = field("网站标识", "主办单位、网站标识码、备案号；填写后显示在页脚", default=None)
    annual_report_due: str = field(
        "年报公布期限", "每年公布上一年度政府信息公开工作年度报告的最后日期（月-日），默认 01-31（条例第四十九条）",
        default="01-31", pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
    )


class Village(Model):
    """`villages/<slug>.yaml`: one 行政村 or 社区 and its village committee."""

    name: str = field("村（社区）名称", "例如：井头村")
    kind: VillageKind = field("类型", "行政村 或 社区", default=VillageKind.VILLAGE)
    committee: str = field("村（居）民委员会", "例如：井头村村民委员会")
    contact: str | None = field("联系电话", default=None, json_schema_extra={"contact_number": True})
    contact_person: str | None = field("联系人", default=None)
    notice_board: str | None = field("公示栏位置", "例如：村委会办公楼前", default=None)
    items: Annotated[list[str], BeforeValidator(as_list)] = field(
        "本村公开事项", "本村公开事项清单（目录事项 id）；不填则使用全部村级事项", default_factory=list
    )
    sample: bool = field(
        "示例数据", "为 true 时页面会标注“示例”，用于无法核实的村名", default=False
    )
    order: int = field("排序", default=100, ge=-MAX_ORDER, le=MAX_ORDER)
    description: str | None = field("简介", default=None)
