"""Everyday names of official terms, so a villager's words find the official text.

Notices say 最低生活保障; people type 低保. Each group below lists names of one thing; when a
title or body contains any of them, the others are indexed with it (index side only, so the
browser's tokenizer stays the same and the parity test is untouched). Keep this list as data:
a county can add its own local terms here.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    ("最低生活保障", "低保"),
    ("特困人员救助供养", "特困供养", "五保"),
    ("农村危房改造", "危改"),
    ("城乡居民基本养老保险", "城乡居民养老保险", "新农保"),
    ("城乡居民基本医疗保险", "城乡居民医保", "新农合"),
    ("高龄津贴", "高龄补贴", "长寿补贴"),
    ("耕地地力保护补贴", "种粮补贴"),
    ("巩固拓展脱贫攻坚成果", "脱贫攻坚", "扶贫"),
    ("家庭经济困难学生", "贫困生", "困难学生"),
    ("土地经营权流转", "土地流转"),
    ("政府信息公开", "信息公开"),
    ("一事一议", "一事一议筹资筹劳"),
    ("重大行政决策", "重大决策"),
    ("残疾人两项补贴", "残疾人补贴"),
)

_LOOKUP: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (name, tuple(other for other in group if other != name)) for group in GROUPS for name in group
)


def expand(text: str) -> str:
    """`text` followed by the other names of every term it contains (each added once)."""
    if not text:
        return text
    extra: dict[str, None] = {}
    for name, others in _LOOKUP:
        if name in text:
            for other in others:
                if other not in text:
                    extra.setdefault(other, None)
    return text if not extra else text + "\n" + " ".join(extra)
