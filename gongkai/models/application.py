"""`content/applications/<slug>.yaml`: the internal register of 政府信息公开申请 (条例第二十七至三十三条).

One file per application: when and how it came in, who applied (the applicant *type* and an
internal reference, never a name or a certificate number), what was asked for, each procedural
step (补正, 征求第三方意见, 延期) and the answer in the categories of the 2021 annual-report
format (国办公开办函〔2021〕30号, table 三). The register is internal: nothing of it is rendered.
"""

from __future__ import annotations

import itertools
from datetime import date
from enum import StrEnum

from pydantic import model_validator

from .common import Model, StrList, field, raise_all
from .town import ApplyChannel


class ApplicantType(StrEnum):
    """The applicant columns of table 三: 自然人, and five kinds of 法人或者其他组织."""

    PERSON = "自然人"
    BUSINESS = "商业企业"
    RESEARCH = "科研机构"
    NONPROFIT = "社会公益组织"
    LEGAL = "法律服务机构"
    OTHER = "其他"


class Outcome(StrEnum):
    """本年度办理结果 of table 三 (结转 is not an outcome: an application still open at year end)."""

    DISCLOSED = "予以公开"
    PARTLY = "部分公开"
    WITHHELD = "不予公开"
    UNAVAILABLE = "无法提供"
    NOT_HANDLED = "不予处理"
    OTHER = "其他处理"


class WithholdGround(StrEnum):
    """The 8 grounds of （三）不予公开."""

    STATE_SECRET = "属于国家秘密"
    PROHIBITED = "其他法律行政法规禁止公开"
    SECURITY = "危及“三安全一稳定”"
    THIRD_PARTY = "保护第三方合法权益"
    INTERNAL = "属于三类内部事务信息"
    PROCESS = "属于四类过程性信息"
    CASE_FILE = "属于行政执法案卷"
    QUERY = "属于行政查询事项"


class UnavailableReason(StrEnum):
    """The 3 reasons of （四）无法提供."""

    NOT_HELD = "本机关不掌握相关政府信息"
    NOT_READY = "没有现成信息需要另行制作"
    UNCLEAR = "补正后申请内容仍不明确"


class NotHandledReason(StrEnum):
    """The 5 reasons of （五）不予处理."""

    PETITION = "信访举报投诉类申请"
    REPEATED = "重复申请"
    PUBLICATION = "要求提供公开出版物"
    EXCESSIVE = "无正当理由大量反复申请"
    CONFIRMATION = "要求行政机关确认或重新出具已获取信息"


class OtherHandling(StrEnum):
    """The 3 rows of （六）其他处理."""

    NO_CORRECTION = "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    UNPAID = "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER = "其他"


#: The reasons each outcome takes, in the order of table 三.
REASONS: dict[Outcome, type[StrEnum]] = {
    Outcome.WITHHELD: WithholdGround,
    Outcome.UNAVAILABLE: UnavailableReason,
    Outcome.NOT_HANDLED: NotHandledReason,
    Outcome.OTHER: OtherHandling,
}


class Application(Model):
    """One 政府信息公开申请 and how it was handled."""

    reference: str = field("内部编号", "登记编号，例如 YSQ-2026-003；不要写申请人姓名或证件号码")
    received: date = field("收到申请日期", "YYYY-MM-DD；答复期限从次日起按工作日计算")
    channel: ApplyChannel = field("申请渠道", "当面提交、信函、电子邮件、在线申请、传真")
    applicant: ApplicantType = field("申请人类型", "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他")
    request: str = field("申请内容", "所申请的政府信息（名称、文号或特征性描述）")
    documents: StrList = field("涉及的文件", "申请涉及的文件 id（documents/ 下的路径，不含 .md）", default_factory=list)
    correction_requested: date | None = field(
        "告知补正日期", "申请内容不明确，一次性告知补正的日期（应在收到申请后 7 个工作日内）", default=None
    )
    correction_received: date | None = field("收到补正日期", "答复期限自收到补正的申请之日起重新计算", default=None)
    third_party_sent: date | None = field("征求第三方意见日期", "书面征求第三方意见的日期", default=None)
    third_party_replied: date | None = field(
        "第三方答复日期", "第三方提出意见的日期；不答复的填写 15 个工作日期满之日", default=None
    )
    extended: date | None = field("延期告知日期", "经负责人同意延长答复期限并告知申请人的日期（最多延长 20 个工作日）", default=None)
    extension_reason: str | None = field("延期理由", default=None)
    answered: date | None = field("答复日期", "作出答复的日期；未答复的不填", default=None)
    outcome: Outcome | None = field("办理结果", "予以公开、部分公开、不予公开、无法提供、不予处理、其他处理", default=None)
    reason: str | None = field("理由", "不予公开、无法提供、不予处理、其他处理的具体情形（年报表三的分项）", default=None)
    fee: float | None = field("信息处理费（元）", "按《政府信息公开信息处理费管理办法》收取的金额", default=None, ge=0)
    note: str | None = field("备注", default=None)

    @model_validator(mode="after")
    def _steps(self) -> Application:
        problems: list[tuple[str, str, dict[str, str]]] = []
        if (self.answered is None) != (self.outcome is None):
            if self.answered is None:
                problems.append(("answered", "填写了办理结果 outcome，但没有答复日期 answered", {"at": "outcome"}))
            else:
                problems.append(("outcome", "填写了答复日期 answered，但没有办理结果 outcome（{choices}）",
                                 {"choices": " / ".join(o.value for o in Outcome), "at": "answered"}))
        kinds = REASONS.get(self.outcome) if self.outcome else None
        if kinds is not None:
            choices = " / ".join(r.value for r in kinds)
            if self.reason is None:
                problems.append(("reason", "办理结果为{outcome}时必须填写 reason，可选：{choices}",
                                 {"outcome": self.outcome.value, "choices": choices, "at": "outcome"}))  # type: ignore[union-attr]
            elif self.reason not in {r.value for r in kinds}:
                problems.append(("reason", "“{reason}”不是{outcome}的情形，可选：{choices}",
                                 {"reason": self.reason, "outcome": self.outcome.value, "choices": choices}))  # type: ignore[union-attr]
        elif self.reason is not None and self.outcome is not None:
            problems.append(("reason", "办理结果为{outcome}时不填 reason", {"outcome": self.outcome.value}))
        if self.extended is not None and not self.extension_reason:
            problems.append(("extension_reason", "延期必须写明理由 extension_reason", {"at": "extended"}))
        if self.correction_received is not None and self.correction_requested is None:
            problems.append(("correction_requested", "填写了收到补正日期，但没有告知补正日期 correction_requested",
                             {"at": "correction_received"}))
        if self.third_party_replied is not None and self.third_party_sent is None:
            problems.append(("third_party_sent", "填写了第三方答复日期，但没有征求意见日期 third_party_sent",
                             {"at": "third_party_replied"}))
        order = [("received", self.received), ("correction_requested", self.correction_requested),
                 ("correction_received", self.correction_received), ("answered", self.answered)]
        steps = [(n, d) for n, d in order if d is not None]
        for (first_name, first), (name, day) in itertools.pairwise(steps):
            if day < first:
                problems.append((name, "日期 {day} 早于 {first_name}（{first}），请检查",
                                 {"day": day.isoformat(), "first_name": first_name, "first": first.isoformat()}))
        for name in ("third_party_sent", "extended"):
            day = getattr(self, name)
            if day is not None and day < self.received:
                problems.append((name, "日期 {day} 早于收到申请日期（{first}），请检查",
                                 {"day": day.isoformat(), "first": self.received.isoformat()}))
        raise_all(type(self).__name__, problems)
        return self
