"""Deterministic synthetic content at county scale, in gongkai's real content format.

`python benchmarks/generate.py --docs 10000 --out benchmarks/work/content-10000` writes a
content tree that `python -m gongkai check --today 2026-11-26` accepts with no errors and few
warnings: one town site serving a county-sized set of villages (~270 at 10k documents), a
catalog of eleven areas with the columns of the standard tables, and documents of every kind
and attribute — 主动公开 bodies with Chinese notice vocabulary, Markdown tables of masked names
and amounts, unique 文号 with 六角括号, 依申请公开 with a reason, 不予公开 with reason and legal
basis, interpretations right after their policies, village notices (some restating a town
document), periodic reports covering every due period, guides agreeing with their lists,
consultations and a few attachments.

Why dates look the way they do: the governance rules run on every build. Publication follows
creation within four calendar days (always within any item's time limit, so no 超期公开), every
non-public document was reviewed within the two years before the build date (no 自查逾期),
interpretations follow their policy within the allowed lag, and each periodic 乡级 item has a
document for every period up to the latest due one (no 缺项). No text contains a full ID,
mobile or bank card number. Everything comes from `random.Random(seed, index)`, so the same
arguments give the same bytes on every machine.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vocab import (
    CATALOG,
    CLOSINGS,
    CONSULTATION_TOPICS,
    GIVEN,
    GUIDES,
    LAWS,
    ON_REQUEST_REASONS,
    OPENERS,
    PERIODIC,
    SECTION_TITLES,
    SENTENCES,
    SURNAMES,
    TOPICS,
    VILLAGE_CORES,
    VILLAGE_PREFIXES,
    WITHHELD,
    items_of,
)

GENERATOR_VERSION = "2"
VILLAGE_MONTHLY = ["cwgk-caiwu-yue"]  # the periodic 村级 item of the catalog (每月10日前公开上月)
DEFAULT_SEED = 20261126
BUILD_DAY = date(2026, 11, 26)  # the --today the benchmark passes
FIRST_YEAR = 2019
TOWN = "青溪镇"
COUNTY = "示范县"
ISSUER_CODES = ("青政发", "青政办发", "青政函", "青党发", "青政通", "青政报")
KIND_WEIGHTS = (
    ("通知", 18), ("公告", 10), ("公示", 22), ("通告", 3), ("方案", 7), ("意见", 4), ("决定", 3),
    ("办法", 3), ("规定", 2), ("报告", 6), ("预算", 2), ("决算", 2), ("计划", 4), ("总结", 4),
    ("纪要", 4), ("名单", 4), ("其他", 2),
)
POLICY_KINDS = {"方案", "意见", "办法", "规定", "决定"}
FORMS = ("简明问答", "图表图解", "案例说明", "文字解读")


def village_count(docs: int) -> int:
    """About 270 villages for a county-sized corpus; fewer for small ones."""
    return max(12, min(270, docs // 37))


def villages(n: int) -> list[tuple[str, str, str]]:
    """(slug, name, kind) of `n` villages with unique names and slugs."""
    rng = random.Random(DEFAULT_SEED)
    combos = [(p, c) for p in VILLAGE_PREFIXES for c in VILLAGE_CORES]
    rng.shuffle(combos)
    out, slugs = [], set()
    for (p_name, p_slug), (c_name, c_slug) in combos[:n]:
        community = rng.random() < 0.05
        name = f"{p_name}{c_name}{'社区' if community else '村'}"
        slug = f"{p_slug}{c_slug}" + ("-shequ" if community else "")
        while slug in slugs:
            slug += "x"
        slugs.add(slug)
        out.append((slug, name, "社区" if community else "行政村"))
    return out


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "某" + rng.choice(GIVEN)


def _fill(rng: random.Random, template: str, ctx: dict[str, str]) -> str:
    values = dict(ctx)
    values.setdefault("n", str(rng.randint(2, 60)))
    values.setdefault("money", f"{rng.randint(1, 980)}.{rng.randint(0, 99):02d}")
    values.setdefault("law", rng.choice(LAWS))
    values.setdefault("topic2", rng.choice(TOPICS))
    return template.format(**values)


def body(rng: random.Random, ctx: dict[str, str], kind: str, village_names: list[str]) -> str:
    """A Markdown body of roughly 500–1500 characters: opener, sections, maybe a table."""
    parts = [_fill(rng, rng.choice(OPENERS), ctx), ""]
    if kind in ("公示", "名单") or rng.random() < 0.25:
        cols = ("序号", "户主姓名", "村民小组", "保障人数", "金额（元）")
        parts += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for row in range(1, rng.randint(4, 12)):
            group = rng.choice(VILLAGE_CORES)[0] + rng.choice("一二三四五六七八") + "组"
            parts.append(f"| {row} | {_person(rng)} | {group} | {rng.randint(1, 6)} | {rng.randint(3, 99) * 10} |")
        parts.append("")
    for title in rng.sample(SECTION_TITLES, rng.randint(2, 4)):
        parts += [f"## {title}", ""]
        if rng.random() < 0.4:
            parts += [f"{i}. " + _fill(rng, rng.choice(SENTENCES), ctx) for i in range(1, rng.randint(3, 5))]
        else:
            parts.append("".join(_fill(rng, rng.choice(SENTENCES), ctx) for _ in range(rng.randint(2, 4))))
        parts.append("")
    if village_names:
        parts += ["涉及村（社区）：" + "、".join(village_names) + "。", ""]
    parts += [_fill(rng, rng.choice(CLOSINGS), ctx), ""]
    return "\n".join(parts)


def front(fields: dict[str, object]) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for entry in value:
                first = True
                for k, v in entry.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {_quote(str(v))}")
                    first = False
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(str(v) for v in value)}]")
        elif isinstance(value, date):
            lines.append(f"{key}: {value.isoformat()}")
        else:
            lines.append(f"{key}: {_quote(str(value))}" if isinstance(value, str) else f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n"


class Generator:
    """Writes one content tree; every document is a pure function of (seed, index)."""

    def __init__(self, out: Path, docs: int, seed: int = DEFAULT_SEED, vocab: str = "synthetic"):
        self.out, self.docs, self.seed = out, docs, seed
        self.vocab = vocab  # "synthetic" (vocab.py only) or "real" (plus jieba's word list)
        self.villages = villages(village_count(docs))
        self.items = items_of(CATALOG)  # id -> (area slug, area name, item dict)
        self.town_items = [i for i, (_, _, it) in self.items.items() if "乡" in it["level"] and i not in PERIODIC]
        self.village_items = [i for i, (_, _, it) in self.items.items() if "村" in it["level"] and i not in VILLAGE_MONTHLY]
        # 集体财务往来较多的村 publish finance monthly (组织法第三十条): one village in ten
        self.monthly_villages = {slug for n, (slug, _, _) in enumerate(self.villages) if n % 10 == 0}
        self.numbers: dict[tuple[str, int], int] = {}
        self.written = 0

    def write(self, rel: str, text: str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def doc_number(self, rng: random.Random, year: int) -> str:
        code = rng.choice(ISSUER_CODES)
        seq = self.numbers.get((code, year), 0) + 1
        self.numbers[(code, year)] = seq
        return f"{code}〔{year}〕{seq}号"

    def run(self) -> dict[str, int]:
        self.write("site.yaml", SITE_YAML)
        for n, (slug, name, kind) in enumerate(self.villages, start=1):
            word = "居" if kind == "社区" else "村"
            items = self.village_items + (VILLAGE_MONTHLY if slug in self.monthly_villages else [])
            self.write(f"villages/{slug}.yaml", VILLAGE_YAML.format(name=name, kind=kind, word=word, order=n,
                                                                   phone=4810000 + n, items=", ".join(items)))
        for slug, text in CATALOG.items():
            self.write(f"catalog/{slug}.yaml", text)
        self.write("lists/services.yaml", GUIDES.list_yaml("公共服务事项清单", "青溪镇公共服务事项清单", "GG"))
        self.write("lists/power.yaml", GUIDES.list_yaml("权力清单", "青溪镇权力清单", "QL"))
        for slug, text in GUIDES.guides(self.villages):
            self.write(f"guides/{slug}.yaml", text)
        for n in range(max(3, self.docs // 1000)):
            self.consultation(n)
        index = self.periodic_series()
        index += self.village_finance(index)
        while index < self.docs:
            index += self.document(index)
        return {"documents": self.written, "villages": len(self.villages)}

    # -- documents -------------------------------------------------------------------------

    def dates(self, rng: random.Random) -> tuple[date, date]:
        start, end = date(FIRST_YEAR, 1, 2).toordinal(), (BUILD_DAY - timedelta(days=6)).toordinal()
        created = date.fromordinal(rng.randint(start, end))
        return created, created + timedelta(days=rng.randint(0, 4))

    def emit(self, doc_id: str, fields: dict[str, object], text: str) -> None:
        if self.vocab == "real":
            from real_vocab import paragraph

            # Its own random stream: the synthetic part of the document stays as it was.
            rng = random.Random(f"{self.seed}:{doc_id}:real")
            text += "\n## 相关情况\n\n" + paragraph(rng, rng.randint(60, 200)) + "\n"
        self.write(f"documents/{doc_id}.md", front(fields) + "\n" + text)
        self.written += 1

    def document(self, index: int) -> int:
        """Write document `index` (and its interpretation, if any); returns how many written."""
        rng = random.Random(f"{self.seed}:{index}")
        roll = rng.random()
        if roll < 0.30:
            return self.village_notice(index, rng)
        created, published = self.dates(rng)
        item_id = rng.choice(self.town_items)
        _, area_name, item = self.items[item_id]
        kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
        topic = item["level1"]
        ctx = {"town": TOWN, "topic": topic, "area": area_name, "year": str(created.year),
               "village": rng.choice(self.villages)[1]}
        chosen = rng.sample(self.villages, rng.choice((0, 0, 0, 1, 2, 3)))
        doc_id = f"{created.year}/{item_id}-{index:06d}"
        fields: dict[str, object] = {
            "title": _fill(rng, rng.choice(TITLES[kind] if kind in TITLES else TITLES["通知"]), ctx),
            "doc_number": self.doc_number(rng, created.year) if rng.random() < 0.45 else None,
            "item": item_id, "attribute": "主动公开", "kind": kind,
            "villages": [s for s, _, _ in chosen], "created": created, "published": published,
            "topic": area_name, "keywords": [area_name, item["level1"]] if rng.random() < 0.5 else [],
        }
        if "批准" in item["time_limit"]:  # 预决算: counted from the 人大 approval (预算法第十四条)
            fields["approved"] = created
        attr = rng.random()
        if attr < 0.08:
            fields.update(attribute="依申请公开", reason=rng.choice(ON_REQUEST_REASONS), published=None,
                          reviewed=self.reviewed(rng, created))
        elif attr < 0.12:
            basis, reason = rng.choice(WITHHELD)
            fields.update(attribute="不予公开", reason=reason, legal_basis=basis, published=None,
                          reviewed=self.reviewed(rng, created), doc_number=None, keywords=[])
        elif rng.random() < 0.01:
            rel = f"attachments/{created.year}/{item_id}-{index:06d}.csv"
            self.write(rel, "项目,金额（元）\n" + "".join(f"{t},{rng.randint(100, 99999)}\n" for t in rng.sample(TOPICS, 4)))
            fields["attachments"] = [rel]
        if kind == "公示" and fields["published"]:
            fields["valid_until"] = published + timedelta(days=rng.choice((30, 32, 35)))
        self.emit(doc_id, fields, body(rng, ctx, kind, [n for _, n, _ in chosen]))
        if kind in POLICY_KINDS and fields["attribute"] == "主动公开" and index + 1 < self.docs and rng.random() < 0.5:
            self.interpretation(index + 1, doc_id, fields, ctx, rng)
            return 2
        return 1

    def reviewed(self, rng: random.Random, created: date) -> date:
        floor = max(created, BUILD_DAY - timedelta(days=650))
        return date.fromordinal(rng.randint(floor.toordinal(), (BUILD_DAY - timedelta(days=1)).toordinal()))

    def interpretation(self, index: int, policy_id: str, policy: dict[str, object], ctx: dict[str, str], rng: random.Random) -> None:
        published: date = policy["published"]  # type: ignore[assignment]
        form = rng.choice(FORMS)
        fields: dict[str, object] = {
            "title": f"《{policy['title']}》{'简明问答' if form == '简明问答' else '政策解读'}",
            "item": policy["item"], "attribute": "主动公开", "kind": "解读", "interprets": policy_id,
            "form": form, "created": published, "published": published + timedelta(days=rng.randint(0, 2)),
            "topic": policy["topic"], "summary": _fill(rng, "一图读懂{topic}的主要内容、适用对象和办理流程。", ctx),
        }
        if form == "简明问答":
            fields["qa"] = [{"q": _fill(rng, q, ctx), "a": _fill(rng, rng.choice(SENTENCES), ctx)} for q in rng.sample(QUESTIONS, 3)]
        self.emit(f"{published.year}/jiedu-{index:06d}", fields, body(rng, ctx, "解读", []))

    def village_finance(self, index: int) -> int:
        """The latest due month's finance notice of every monthly village (每月10日前公开上月)."""
        month_end = BUILD_DAY.replace(day=1) - timedelta(days=1)
        if BUILD_DAY.day <= 10:  # last month is not due yet
            month_end = month_end.replace(day=1) - timedelta(days=1)
        label = f"{month_end.year}-{month_end.month:02d}"
        written = 0
        for slug, name, _ in self.villages:
            if slug not in self.monthly_villages or index + written >= self.docs:
                continue
            rng = random.Random(f"{self.seed}:village-finance:{slug}:{label}")
            created = month_end + timedelta(days=rng.randint(2, 6))
            _, area_name, item = self.items[VILLAGE_MONTHLY[0]]
            ctx = {"town": TOWN, "topic": item["level1"], "area": area_name, "year": str(created.year), "village": name}
            fields: dict[str, object] = {
                "title": f"{name}{month_end.year}年{month_end.month}月村级财务收支公开", "item": VILLAGE_MONTHLY[0],
                "attribute": "主动公开", "kind": "公告", "issuer": f"{name}{'居' if name.endswith('社区') else '村'}民委员会",
                "villages": [slug], "period": label, "created": created, "published": created + timedelta(days=1),
                "topic": area_name,
            }
            self.emit(f"{created.year}/{slug}-caiwu-{label}", fields, body(rng, ctx, "公告", []))
            written += 1
        return written

    def village_notice(self, index: int, rng: random.Random) -> int:
        slug, name, _ = rng.choice(self.villages)
        created, published = self.dates(rng)
        item_id = rng.choice(self.village_items)
        _, area_name, item = self.items[item_id]
        topic = f"{item['level1']}{item['level2'] or ''}"
        ctx = {"town": TOWN, "topic": topic, "area": area_name, "year": str(created.year), "village": name}
        kind = rng.choice(("公示", "公示", "公告", "通知", "纪要"))
        fields: dict[str, object] = {
            "title": _fill(rng, rng.choice(VILLAGE_TITLES), ctx), "item": item_id, "attribute": "主动公开",
            "kind": kind, "issuer": f"{name}{'居' if name.endswith('社区') else '村'}民委员会", "villages": [slug],
            "created": created, "published": published,
            "valid_until": published + timedelta(days=rng.choice((30, 32, 35))) if kind == "公示" else None,
            "topic": area_name,
        }
        self.emit(f"{created.year}/{slug}-{item_id}-{index:06d}", fields, body(rng, ctx, kind, []))
        return 1

    def periodic_series(self) -> int:
        """Reports of periodic 乡级 items, newest periods first, so every latest due period is
        covered even when the corpus is small (at most a fifth of the documents)."""
        series: list[list[tuple[str, str, int, int, int]]] = []
        for item_id, months in PERIODIC.items():
            periods, year, start = [], FIRST_YEAR, 1
            while True:
                end_month = start + months - 1
                end = date(year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
                if end + timedelta(days=5) >= BUILD_DAY - timedelta(days=4):
                    break
                periods.append((item_id, str(end), months, year, start))
                start += months
                if start > 12:
                    year, start = year + 1, 1
            series.append(periods[::-1])
        chosen = [p for rank in range(max(map(len, series))) for s in series if rank < len(s) for p in [s[rank]]]
        chosen = chosen[: self.docs // 5]
        for index, (item_id, end_text, months, year, start) in enumerate(chosen):
            _, area_name, item = self.items[item_id]
            rng = random.Random(f"{self.seed}:periodic:{item_id}:{year}:{start}")
            created = date.fromisoformat(end_text) + timedelta(days=rng.randint(2, 5))
            label = str(year) if months == 12 else (f"{year}-Q{(start - 1) // 3 + 1}" if months == 3 else f"{year}-{start:02d}")
            ctx = {"town": TOWN, "topic": item["level1"], "area": area_name, "year": str(year), "village": self.villages[0][1]}
            words = label.replace("-Q", "年第").replace("-", "年") + ("季度" if months == 3 else "月" if months == 1 else "年度")
            fields: dict[str, object] = {
                "title": f"{TOWN}{words}{item['level1']}{item['level2'] or ''}",
                "doc_number": self.doc_number(rng, created.year) if months == 12 else None,
                "item": item_id, "attribute": "主动公开", "kind": "报告", "period": label,
                "created": created, "published": created + timedelta(days=rng.randint(0, 3)), "topic": area_name,
                "approved": created if "批准" in item["time_limit"] else None,
            }
            self.emit(f"{created.year}/{item_id}-{label.lower()}", fields, body(rng, ctx, "报告", []))
        return len(chosen)

    def consultation(self, n: int) -> None:
        rng = random.Random(f"{self.seed}:consultation:{n}")
        topic = CONSULTATION_TOPICS[n % len(CONSULTATION_TOPICS)]
        opens = BUILD_DAY - timedelta(days=rng.randint(5, 400))
        closes = opens + timedelta(days=rng.choice((30, 35, 45)))
        ctx = {"town": TOWN, "topic": topic, "area": "政务公开", "year": str(opens.year), "village": self.villages[n % len(self.villages)][1]}
        fields: dict[str, object] = {
            "title": f"关于《{TOWN}{topic}（征求意见稿）》公开征求意见的公告", "scope": "全镇居民、相关利益方",
            "methods": ["征集意见", "听证座谈"], "channels": ["电话", "镇政府意见箱", "电子邮箱"],
            "opens": opens, "closes": closes, "published": opens, "villages": [self.villages[n % len(self.villages)][0]],
        }
        if closes < BUILD_DAY:
            fields["feedback"] = f"共收到意见{rng.randint(3, 40)}条，采纳{rng.randint(1, 3)}条，未采纳意见已逐条说明理由。"
            fields["feedback_published"] = closes + timedelta(days=7) if closes + timedelta(days=7) < BUILD_DAY else closes
        self.write(f"consultations/{opens.year}-{n:03d}.md", front(fields) + "\n" + body(rng, ctx, "方案", []))


TITLES = {
    "通知": ["{town}关于做好{year}年{topic}工作的通知", "关于开展{topic2}专项检查的通知", "关于进一步加强{topic}管理的通知"],
    "公告": ["{town}关于{topic}有关事项的公告", "关于{year}年{topic2}的公告"],
    "公示": ["{town}{year}年{topic}拟享受对象公示", "关于{village}{topic}审核结果的公示"],
    "通告": ["关于{topic2}期间有关事项的通告"],
    "方案": ["{town}{year}年{topic}实施方案", "{town}{topic2}工作方案"],
    "意见": ["关于推进{topic}工作的实施意见"],
    "决定": ["{town}关于{topic}有关事项的决定"],
    "办法": ["{town}{topic}管理办法（试行）"],
    "规定": ["{town}{topic}若干规定"],
    "报告": ["{town}{year}年{topic}工作情况报告"],
    "预算": ["{town}{year}年部门预算及“三公”经费预算公开说明"],
    "决算": ["{town}{year}年部门决算公开说明"],
    "计划": ["{town}{year}年{topic}工作计划"],
    "总结": ["{town}{year}年{topic}工作总结"],
    "纪要": ["{town}党政联席会议纪要（{topic}）"],
    "名单": ["{year}年{topic}对象名单"],
    "其他": ["{town}{topic}信息"],
}
VILLAGE_TITLES = [
    "{village}{year}年{topic}公示", "{village}关于{topic}的公告", "{village}{topic}情况公开",
    "{village}村民代表会议决议公开（{topic}）",
]
QUESTIONS = ["{topic}的适用对象是谁？", "如何申请{topic}？", "{topic}的标准是多少？", "办理{topic}需要哪些材料？", "对{topic}结果有异议怎么办？"]

SITE_YAML = f"""\
# 基准测试用合成内容（benchmarks/generate.py 生成，非真实机构）
name: {COUNTY}{TOWN}人民政府
short_name: {TOWN}
county: {COUNTY}
city: 示范市
province: 示范省
division_code: "450324199"
org_code: 11450324MB0000000Q
contacts:
  - name: 党政综合办公室（政务公开工作机构）
    phone: 0773-4800101
    address: {COUNTY}{TOWN}青溪街1号（示例地址）
    hours: 工作日 8:00-12:00，15:00-18:00
  - name: 政务服务中心
    phone: 0773-4800102
apply: |
  ## 如何申请政府信息公开

  公民、法人或者其他组织可以向{TOWN}人民政府申请获取本镇制作或者保存的政府信息。

  - 受理机构：{TOWN}党政综合办公室
  - 电话：0773-4800101
  - 受理时间：工作日 8:00-12:00，15:00-18:00

  不能当场答复的，自收到申请之日起 **20个工作日** 内予以答复。
"""

VILLAGE_YAML = """\
name: {name}
kind: {kind}
committee: {name}{word}民委员会
contact: 0773-{phone}
notice_board: 村委会办公楼前村务公开栏
sample: true
order: {order}
items: [{items}]
"""


def generate(out: Path, docs: int, seed: int = DEFAULT_SEED, vocab: str = "synthetic") -> dict[str, int]:
    """Write a content tree of `docs` documents into `out` (`vocab`: "synthetic" or "real")."""
    return Generator(out, docs, seed, vocab).run()


def fingerprint(docs: int, seed: int, vocab: str = "synthetic") -> str:
    """Changes whenever the generator's code or vocabulary changes: cached trees are rebuilt."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{GENERATOR_VERSION}:{docs}:{seed}".encode() + (f":{vocab}".encode() if vocab != "synthetic" else b""))
    for name in ("generate.py", "vocab.py") + (("real_vocab.py",) if vocab == "real" else ()):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure_content(work: Path, docs: int, seed: int = DEFAULT_SEED, vocab: str = "synthetic") -> Path:
    """The cached tree for (docs, seed, vocab) under `work`, generated if missing or stale."""
    import shutil

    name = f"content-{docs}" if vocab == "synthetic" else f"content-{vocab}-{docs}"
    out = work / name
    stamp = work / f"{name}.stamp"
    want = fingerprint(docs, seed, vocab)
    if out.is_dir() and stamp.is_file() and stamp.read_text().strip() == want:
        return out
    if out.exists():
        shutil.rmtree(out)
    work.mkdir(parents=True, exist_ok=True)
    generate(out, docs, seed, vocab)
    stamp.write_text(want + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成基准测试用的合成内容")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--vocab", choices=["synthetic", "real"], default="synthetic",
                        help="real: 另加按词频抽取的 jieba 词表词语（需 pip install jieba）")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} already exists and is not empty")
    stats = generate(args.out, args.docs, args.seed, args.vocab)
    print(f"wrote {stats['documents']} documents, {stats['villages']} villages into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
