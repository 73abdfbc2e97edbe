"""`content/annual/<year>.yaml`: the figures of the annual report that content cannot give.

The 2021 format (国办公开办函〔2021〕30号) asks in 二 for the year's 行政许可, 行政处罚, 行政强制
decisions and 行政事业性收费, and in 四 for the 行政复议 and 行政诉讼 about disclosure. Those come
from the office's own books: one small file per year. Everything else of the report is counted
from the content (documents, their 有效性, the register of applications).
"""

from __future__ import annotations

from .common import Model, field


class CaseResults(Model):
    """One block of table 四: 结果维持, 结果纠正, 其他结果, 尚未审结 (总计 is their sum)."""

    upheld: int = field("结果维持", default=0, ge=0)
    corrected: int = field("结果纠正", default=0, ge=0)
    other: int = field("其他结果", default=0, ge=0)
    pending: int = field("尚未审结", default=0, ge=0)

    @property
    def total(self) -> int:
        return self.upheld + self.corrected + self.other + self.pending


class AnnualData(Model):
    """`annual/<year>.yaml`: the year's figures from the office's books (年报第二、四、五、六部分)."""

    year: int = field("年度", "例如 2025；应与文件名一致", ge=1949, le=9998)
    licensing: int = field("行政许可本年处理决定数量", default=0, ge=0)
    penalties: int = field("行政处罚本年处理决定数量", default=0, ge=0)
    enforcement: int = field("行政强制本年处理决定数量", default=0, ge=0)
    fees: float = field("行政事业性收费本年收费金额（万元）", default=0, ge=0)
    rules_issued: int = field("规章本年制发件数", "乡镇人民政府没有规章制定权，通常为 0", default=0, ge=0)
    rules_repealed: int = field("规章本年废止件数", default=0, ge=0)
    rules_valid: int = field("规章现行有效件数", default=0, ge=0)
    review: CaseResults = field("行政复议", default_factory=CaseResults)
    litigation: CaseResults = field("行政诉讼（未经复议直接起诉）", default_factory=CaseResults)
    litigation_after_review: CaseResults = field("行政诉讼（复议后起诉）", default_factory=CaseResults)
    summary: str | None = field("总体情况", "第一部分的文字（数字由 gongkai 填入）", default=None)
    problems: str | None = field("存在的主要问题及改进情况", "第五部分", default=None)
    other: str | None = field("其他需要报告的事项", "第六部分（信息处理费由申请登记统计）", default=None)
