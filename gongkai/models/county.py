"""`county.yaml`: a county's disclosure area (基层政务公开专区) and the portal it sits in."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from .common import Model, field
from .town import SiteIdentity


def _check_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", value):
        raise ValueError("网址应以 http:// 或 https:// 开头，例如 https://www.quanzhou.gov.cn/")
    return value if value.endswith("/") else value + "/"


class Portal(Model):
    """The county portal (政府门户网站) a township section or the county area is a column of.

    In portal-column mode the pages carry the portal's identity: a bar linking back to the
    portal, and the portal's 主办单位, 网站标识码 and 备案 in the footer instead of the town's own.
    """

    name: str = field("门户网站名称", "例如：全州县人民政府门户网站")
    url: Annotated[str, AfterValidator(_check_url)] = field("门户网站地址", "例如：https://www.quanzhou.gov.cn/")
    column: str = field("栏目名称", "本专区在门户网站中的栏目名，例如：基层政务公开", default="基层政务公开")
    column_url: Annotated[str | None, AfterValidator(_check_url)] = field(
        "栏目地址", "栏目首页的网址；不填则链接门户网站首页", default=None)
    identity: SiteIdentity = field("门户网站标识", "门户网站的主办单位、网站标识码、备案号（显示在页脚）")


class County(Model):
    """`county.yaml`: the county whose townships are built as one site."""

    name: str = field("县（市、区）名称", "例如：全州县")
    title: str = field("专区名称", "县级基层政务公开专区的名称", default="基层政务公开")
    towns: list[str] = field("乡镇顺序", "towns/ 下各乡镇文件夹名，按显示顺序；不填则按文件夹名排序", default_factory=list)
    base_url: Annotated[str | None, AfterValidator(_check_url)] = field(
        "专区网址", "发布后的网址；各乡镇网址为其下的“文件夹名/”", default=None)
    stale_days: int = field("更新提醒天数", "乡镇超过该天数未发布新信息时在督查报告中标出", default=14, ge=1)
    portal: Portal | None = field("所属门户网站", "填写后按门户网站栏目方式生成（栏目模式）", default=None)
