"""Decisions open for public participation (`content/consultations/<slug>.md`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, model_validator

from .common import Day, Model, ParticipationMethod, StrList, as_list, field, raise_all


class Consultation(Model):
    """Front matter of a 重大行政决策 open for comment; the body is the draft / explanation."""

    title: str = field("决策事项名称", min_length=2)
    issuer: str | None = field("发布机构", "不填则为 site.yaml 中的发布机构", default=None)
    item: str | None = field("所属公开事项", "目录事项 id", default=None)
    scope: str = field("参与范围", "例如：全镇村民、相关利益方")
    methods: Annotated[list[ParticipationMethod], BeforeValidator(as_list)] = field(
        "参与方式", "听证座谈、实地走访、征集意见、社会调查", min_length=1
    )
    channels: StrList = field("意见提交渠道", "例如：电话、邮箱、镇政府意见箱", min_length=1)
    opens: Day = field("征求意见开始日期")
    closes: Day = field("征求意见截止日期")
    short_reason: str | None = field(
        "期限缩短的理由",
        "征求意见期限少于30日时必填（《重大行政决策程序暂行条例》第十五条），例如情况紧急的原因；在页面上公开",
        default=None,
    )
    published: Day = field("发布日期")
    villages: StrList = field("涉及村（社区）", default_factory=list)
    feedback: str | None = field("意见采纳情况", "截止后公布：收到多少意见、采纳情况及理由，支持 Markdown", default=None)
    feedback_published: Day | None = field("反馈发布日期", default=None)
    summary: str | None = field("摘要", default=None)

    @model_validator(mode="after")
    def _dates(self) -> Consultation:
        if self.closes < self.opens:
            raise_all(type(self).__name__, [(
                "closes", "截止日期 {closes} 早于开始日期 {opens}（请检查两个日期）",
                {"closes": str(self.closes), "opens": str(self.opens)},
            )])
        return self
