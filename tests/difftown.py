"""A small town and random edit sequences on it, for the differential build test.

`tests/test_differential.py` (hypothesis, ≥200 sequences) and `benchmarks/differential.py`
(2,000 sequences) share this kit: each sequence starts from `TOWN`, builds it with a cache, then
applies edits one at a time and, after every edit, rebuilds with the cache and builds the same
content clean (no cache) into another folder; `site/` and the diagnostics must be equal byte for
byte, and the build's summary (pages, files, documents by attribute) the same. A failed rebuild
must fail with the clean build's diagnostics and leave `site/` as it was.

The town holds one file of every content kind (documents of every attribute, a notice with
villages, a policy and its interpretation, one with an attachment, a consultation, a guide, both
lists, two villages, two catalogue areas, `site.yaml`), and a templates folder that overrides one
built-in template. Files are kept as ordered `key -> YAML text` maps (a value starting with a
newline is a block), so an edit can set or remove any front-matter field.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hypothesis import strategies as st
from sitekit import AREA_YAML

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)
DAYS = [TODAY, date(2026, 11, 27), date(2026, 12, 2), date(2027, 1, 5)]

Fields = dict[str, str]


def _block(*lines: str) -> str:
    return "\n" + "\n".join("  " + line for line in lines)


SITE: Fields = {
    "name": "全州县永岁镇人民政府",
    "short_name": "永岁镇",
    "county": "全州县",
    "city": "桂林市",
    "province": "广西壮族自治区",
    "division_code": '"450324114"',
    "org_code": "11450324MB0000000X",
    "apply": "|" + _block("请向永岁镇党政综合办公室提交书面申请。"),
    "contacts": _block("- name: 党政综合办公室", "  phone: 0773-4800000"),
}

VILLAGE: Fields = {"name": "井头村", "committee": "井头村村民委员会", "sample": "true", "notice_board": "村委会门前公开栏"}

AREA_SHJZ = AREA_YAML  # sitekit's 社会救助 area: the same catalogue the other site tests use

AREA_ZWGK = """\
area: 政务公开工作
order: 2
items:
  - id: zwgk-zhengce
    level1: 政策文件
    level2: 规范性文件
    content: 本镇制定的政策文件及其解读
    time_limit: 信息形成或者变更之日起20个工作日内
    subject: 永岁镇人民政府
    channels: [政府网站]
    level: 乡级
  - id: zwgk-juece
    level1: 重大行政决策
    level2: 公众参与
    content: 决策事项、征求意见稿、意见采纳情况
    time_limit: 信息形成或者变更之日起20个工作日内
    subject: 永岁镇人民政府
    channels: [政府网站]
    level: 乡级
"""

#: Other versions of a catalogue area (an edit replaces the whole file by one of them).
CATALOG_VARIANTS = {
    "catalog/shjz.yaml": [AREA_SHJZ, AREA_SHJZ.replace("初审对象名单及相关信息", "审核对象名单、保障人数和金额"),
                          AREA_SHJZ.replace("order: 1", "order: 3").replace("level: 乡级", "level: 乡、村级")],
    "catalog/zwgk.yaml": [AREA_ZWGK, AREA_ZWGK.replace("政策文件及其解读", "政策文件、解读和回应")],
}

LIST_POWER = """\
title: 永岁镇人民政府权力清单
kind: 权力清单
updated: 2026-03-31
entries:
  - code: YSZ-XZGF-001
    name: 最低生活保障审核确认
    category: 行政给付
    department: 永岁镇社会事务办公室
    time_limit: 30个工作日
    basis:
      - 《社会救助暂行办法》
"""

LIST_SERVICES = """\
title: 永岁镇公共服务事项清单
kind: 公共服务事项清单
updated: 2026-03-31
entries:
  - code: YSZ-GGFW-001
    name: 高龄津贴申领
    category: 公共服务
    department: 永岁镇社会事务办公室
    time_limit: 15个工作日
    basis:
      - 《中华人民共和国老年人权益保障法》
"""

LIST_VARIANTS = {
    "lists/power.yaml": [LIST_POWER, LIST_POWER.replace("审核确认", "审核确认（含复核）"),
                         LIST_POWER.replace("updated: 2026-03-31", "updated: 2026-10-09")],
    "lists/services.yaml": [LIST_SERVICES, LIST_SERVICES.replace("15个工作日", "10个工作日")],
}

GUIDE: Fields = {
    "title": "最低生活保障申请",
    "entry": "YSZ-XZGF-001",
    "item": "shjz-guide",
    "department": "永岁镇社会事务办公室",
    "time_limit": "30个工作日",
    "conditions": "|" + _block("家庭成员人均收入低于最低生活保障标准。"),
    "materials": _block("- name: 最低生活保障申请书", "  copies: 原件1份"),
    "process": _block("- 申请——向镇政务服务中心提交申请", "- 审核——入户调查后公示7个工作日"),
    "location": "永岁镇政务服务中心",
    "hours": "工作日 8:00-12:00",
    "phone": "0773-4800103",
    "fee": "不收费",
    "result": "最低生活保障审核确认决定",
    "basis": _block("- 《社会救助暂行办法》"),
    "updated": "2026-03-31",
}

CONSULTATION: Fields = {
    "title": "永岁镇敬老院改扩建项目方案（征求意见稿）",
    "item": "zwgk-juece",
    "scope": "全镇群众",
    "methods": "[征集意见, 听证座谈]",
    "channels": _block("- 电话 0773-4800103", "- 到镇社会事务办公室当面提出"),
    "opens": "2026-10-20",
    "closes": "2026-11-30",
    "published": "2026-10-20",
    "summary": "拟新建护理楼1栋，新增床位40张。",
}

NOTICE: Fields = {  # a current village 公示: document page, prints, the village and its poster
    "title": "井头村2026年11月低保审核对象公示",
    "item": "shjz-dibao",
    "attribute": "主动公开",
    "kind": "公示",
    "villages": "[jingtou]",
    "created": "2026-11-18",
    "published": "2026-11-20",
    "valid_until": "2026-12-01",
    "keywords": "[低保, 审核公示]",
}

ON_REQUEST: Fields = {  # a current 依申请公开 notice: its print shows metadata only, never the body
    "title": "慕道村2026年低保复核情况公示",
    "item": "shjz-dibao",
    "attribute": "依申请公开",
    "reason": "载有申请家庭的收入明细，涉及个人信息，可依申请提供。",
    "reviewed": "2026-11-01",
    "kind": "公示",
    "villages": "[mudao]",
    "created": "2026-11-16",
    "published": "2026-11-19",
    "valid_until": "2026-12-03",
}

POLICY: Fields = {
    "title": "永岁镇高龄津贴申领发放管理办法",
    "doc_number": "永政发〔2024〕12号",
    "item": "zwgk-zhengce",
    "attribute": "主动公开",
    "kind": "办法",
    "created": "2024-03-18",
    "published": "2024-03-22",
    "topic": "养老服务",
    "keywords": "[高龄津贴, 老年人]",
    "summary": "年满80周岁的老年人可申领高龄津贴，按季度发放。",
    "validity": "有效",
    "attachments": _block("- file: attachments/2024/shuoming.txt", "  title: 申领说明"),
}

INTERPRETATION: Fields = {
    "title": "《永岁镇高龄津贴申领发放管理办法》政策解读",
    "item": "zwgk-zhengce",
    "attribute": "主动公开",
    "kind": "解读",
    "interprets": "2024/jintie-banfa",
    "form": "简明问答",
    "created": "2024-03-18",
    "published": "2024-03-22",
    "qa": _block("- q: 哪些老人可以领取？", "  a: 年满80周岁的本镇户籍老年人。"),
}

WITHHELD: Fields = {
    "title": "关于镇机关干部考勤情况的内部通报",
    "attribute": "不予公开",
    "reason": "属于机关内部人事管理事务信息，不对外产生直接影响。",
    "legal_basis": "内部事务信息",
    "kind": "通知",
    "created": "2026-10-16",
    "reviewed": "2026-11-02",
}

CIRCULAR: Fields = {
    "title": "关于做好低保工作的通知",
    "item": "shjz-dibao",
    "attribute": "主动公开",
    "kind": "通知",
    "created": "2026-03-02",
    "published": "2026-03-05",
}


@dataclass
class Markdown:
    fields: Fields
    body: str

    def text(self) -> str:
        lines = [f"{k}: {v}" if not v.startswith("\n") else f"{k}:{v}" for k, v in self.fields.items()]
        return "---\n" + "\n".join(lines) + "\n---\n" + self.body


@dataclass
class Yaml:
    fields: Fields

    def text(self) -> str:
        return "".join(f"{k}: {v}\n" if not v.startswith("\n") else f"{k}:{v}\n" for k, v in self.fields.items())


def town() -> dict[str, Markdown | Yaml | str | bytes]:
    """The town's files: content-relative path -> file (a fresh copy every call)."""
    return {
        "site.yaml": Yaml(dict(SITE)),
        "villages/jingtou.yaml": Yaml(dict(VILLAGE)),
        "villages/mudao.yaml": Yaml({"name": "慕道村", "committee": "慕道村村民委员会", "sample": "true"}),
        "catalog/shjz.yaml": AREA_SHJZ,
        "catalog/zwgk.yaml": AREA_ZWGK,
        "lists/power.yaml": LIST_POWER,
        "lists/services.yaml": LIST_SERVICES,
        "guides/dibao-shenqing.yaml": Yaml(dict(GUIDE)),
        "consultations/jinglaoyuan.md": Markdown(dict(CONSULTATION), "## 一、项目概况\n\n拟对敬老院进行改扩建。\n"),
        "documents/2026/jingtou-gongshi.md": Markdown(
            dict(NOTICE), "经入户调查，现将审核对象公示如下：\n\n| 户主 | 人数 |\n|---|---|\n| 蒋某荣 | 2 |\n"),
        "documents/2026/mudao-fuhe.md": Markdown(dict(ON_REQUEST), "复核家庭收入明细（不公开）：唐某凤 月收入 820 元。\n"),
        "documents/2024/jintie-banfa.md": Markdown(dict(POLICY), "## 第一条\n\n为保障高龄老年人权益，制定本办法。\n"),
        "documents/2024/jintie-banfa-jiedu.md": Markdown(dict(INTERPRETATION), "本解读用问答说明高龄津贴政策。\n"),
        "documents/2026/kaoqin.md": Markdown(dict(WITHHELD), "内部考勤细节：某某迟到三次。\n"),
        "documents/2026/dibao.md": Markdown(dict(CIRCULAR), "各村（社区）：\n\n请做好低保审核工作。\n"),
        "attachments/2024/shuoming.txt": "高龄津贴申领说明：携带身份证到便民服务站办理。\n".encode(),
    }


# --- edits ----------------------------------------------------------------------------------
MD_VALUES: dict[str, list[str | None]] = {  # front-matter field -> values an edit may give it (None: remove)
    "title": ["关于进一步做好低保工作的通知", "井头村低保审核对象公示（更正）", "慕道村低保复核情况公示（第二批）", "新"],
    "summary": ["本次更正了公示名单中的保障人数。", "一句话摘要：按季度发放。", None],
    "keywords": ["[低保]", "[高龄津贴, 更正]", None],
    "item": ["shjz-dibao", "shjz-guide", "zwgk-zhengce", "zwgk-juece", "no-such-item", None],
    "kind": ["通知", "公示", "公告", "办法", "解读"],
    "villages": ["[jingtou]", "[mudao]", "[jingtou, mudao]", "[nowhere]", None],
    "created": ["2026-11-18", "2026-09-01", "2025-06-30", "2027-02-01"],
    "published": ["2026-11-20", "2026-11-25", "2026-12-01", "2025-07-02", None],
    "valid_until": ["2026-12-01", "2026-11-26", "2026-12-10", "2025-01-01", None],
    "reviewed": ["2026-11-01", "2025-01-15", None],
    "doc_number": ["永政发〔2026〕3号", "永政办〔2025〕12号", None],
    "issuer": ["井头村村民委员会", "永岁镇社会事务办公室", None],
    "topic": ["社会救助", "养老服务", None],
    "validity": ["有效", "失效", "废止", None],
    "normative": ["true", "false", None],
    "period": ['"2026"', '"2026年11月"', None],
    "interprets": ["2024/jintie-banfa", "2026/dibao", None],
    "form": ["简明问答", "文字解读", None],
    "index_number": ["11450324MB0000000X/2026-00077", None],
    "repeals": ["[2026/dibao]", None],
    "attachments": [_block("- file: attachments/2024/shuoming.txt", "  title: 申领说明"),
                    _block("- file: attachments/2024/shuoming.txt", "  title: 办理须知"), None],
    "qa": [_block("- q: 哪些老人可以领取？", "  a: 年满80周岁的本镇户籍老年人。"),
           _block("- q: 多久到账？", "  a: 按季度发放。"), None],
}
CONSULTATION_VALUES: dict[str, list[str | None]] = {  # a consultation's fields
    "title": ["永岁镇敬老院改扩建项目方案（征求意见稿）", "敬老院改扩建方案（第二次征求意见）"],
    "item": ["zwgk-juece", "zwgk-zhengce"],
    "summary": ["拟新建护理楼1栋，新增床位40张。", None],
    "published": ["2026-10-20", "2026-11-24"],
    "channels": [_block("- 电话 0773-4800103"), _block("- 电话 0773-4800103", "- 书面意见投递至意见箱")],
    "scope": ["全镇群众", "敬老院周边居民"],
    "methods": ["[征集意见]", "[征集意见, 听证座谈, 社会调查]"],
    "opens": ["2026-10-20", "2026-11-24", "2026-12-01"],
    "closes": ["2026-11-30", "2026-11-25", "2027-01-10"],
    "feedback_published": ["2026-12-05", None],
    "feedback": ["|" + _block("共收到意见建议21条，采纳9条。"), None],
}

#: The fields each attribute needs: an attribute edit sets them together (in every direction).
ATTRIBUTES: dict[str, Fields | dict[str, None]] = {
    "主动公开": {"attribute": "主动公开", "reason": None, "legal_basis": None, "reviewed": None},  # type: ignore[dict-item]
    "依申请公开": {"attribute": "依申请公开", "reason": "涉及个人信息，可依申请提供。", "legal_basis": None,
                   "reviewed": "2026-11-01"},
    "不予公开": {"attribute": "不予公开", "reason": "属于内部事务信息。", "legal_basis": "内部事务信息", "reviewed": "2026-11-02"},
}

YAML_VALUES: dict[str, dict[str, list[str | None]]] = {  # file kind -> field -> values
    "site": {"short_name": ["永岁镇", "永岁"], "name": ["全州县永岁镇人民政府", "全州县永岁镇政府"],
             "apply": ["|" + _block("请向永岁镇党政综合办公室提交书面申请。"), "|" + _block("可当面或邮寄提交申请。")],
             "description": ["永岁镇政务公开网站（示例）。", None],
             "contacts": [_block("- name: 党政综合办公室", "  phone: 0773-4800000"),
                          _block("- name: 政务服务中心", "  phone: 0773-4800102")]},
    "village": {"name": ["井头村", "井头新村"], "committee": ["井头村村民委员会", "井头村委会"],
                "notice_board": ["村委会门前公开栏", "文化广场电子屏", None], "order": ["1", "5", None],
                "description": ["井头村位于镇东部。", None], "contact": ["0773-4800201", None]},
    "guide": {"title": ["最低生活保障申请", "低保申请"], "time_limit": ["30个工作日", "20个工作日"],
              "fee": ["不收费", "免费"], "item": ["shjz-guide", "shjz-dibao"], "entry": ["YSZ-XZGF-001", None],
              "phone": ["0773-4800103", "0773-4800101"], "updated": ["2026-03-31", "2026-11-20"]},
}

BODIES = ["正文已更正。\n", "## 更正\n\n请以本版本为准。\n\n| 户主 | 人数 |\n|---|---|\n| 唐某凤 | 1 |\n",
          "联系电话 0773-4800103。\n", "", "身份证号 450324199001011234 不应公开。\n"]

TEMPLATE = "partials/doclist.html"  # the template an edit overrides in the town's templates folder


def template_variants() -> list[str | None]:
    builtin = (REPO / "templates" / TEMPLATE).read_text(encoding="utf-8")
    return [None, builtin + "\n{# edited #}\n", builtin.replace("<li", "<li data-edited", 1)]


def _documents(files: dict[str, object]) -> list[str]:
    return sorted(p for p, f in files.items() if isinstance(f, Markdown))


def edits() -> st.SearchStrategy[tuple]:  # type: ignore[type-arg]
    """One edit, as a tuple of plain values (so hypothesis shrinks and prints it readably).

    Paths are chosen by index at apply time (the set of files changes along a sequence)."""
    idx = st.integers(0, 20)
    return st.one_of(
        st.tuples(st.just("field"), idx, st.integers(0, 40), st.integers(0, 9)),
        st.tuples(st.just("attribute"), idx, st.sampled_from(sorted(ATTRIBUTES))),
        st.tuples(st.just("body"), idx, st.sampled_from(BODIES)),
        st.tuples(st.just("yaml"), st.sampled_from(sorted(YAML_VALUES)), st.integers(0, 9), st.integers(0, 9)),
        st.tuples(st.just("variant"), st.sampled_from(sorted(CATALOG_VARIANTS) + sorted(LIST_VARIANTS)), st.integers(0, 9)),
        st.tuples(st.just("rename"), idx, st.sampled_from(["2026/renamed.md", "2025/moved.md"])),
        st.tuples(st.just("add"), st.sampled_from(["documents/2026/new-tongzhi.md", "documents/2025/new-gongshi.md"])),
        st.tuples(st.just("delete"), idx),
        st.tuples(st.just("attachment"), st.sampled_from(["改为：携带户口簿办理。\n", "新增附件说明。\n"])),
        st.tuples(st.just("template"), st.integers(0, 2)),
        st.tuples(st.just("today"), st.integers(0, len(DAYS) - 1)),
    )


def display_edits() -> st.SearchStrategy[tuple]:  # type: ignore[type-arg]
    """Only the edits a quick rebuild takes (bodies, titles, summaries, keywords) and the day:
    the campaign that aims at the quick path's hand-kept lists."""
    idx = st.integers(0, 20)
    return st.one_of(
        st.tuples(st.just("field"), idx, st.sampled_from(["title", "summary", "keywords"]), st.integers(0, 9)),
        st.tuples(st.just("body"), idx, st.sampled_from(BODIES)),
        st.tuples(st.just("today"), st.integers(0, len(DAYS) - 1)),
    )


def apply(files: dict[str, Markdown | Yaml | str | bytes], edit: tuple, state: dict[str, object]) -> None:  # type: ignore[type-arg]
    """Apply one edit to the in-memory town (`state` holds the day and the template variant)."""
    op = edit[0]
    docs = _documents(files)
    if op in ("field", "attribute", "body", "rename", "delete") and not docs:
        return
    if op == "field":  # the field by index among those of the file's kind
        path = docs[edit[1] % len(docs)]
        f = files[path]
        table = CONSULTATION_VALUES if path.startswith("consultations/") else MD_VALUES
        name = edit[2] if isinstance(edit[2], str) else sorted(table)[edit[2] % len(table)]
        if name not in table:
            return  # e.g. keywords of a consultation: the kind has no such field
        value = table[name][edit[3] % len(table[name])]
        assert isinstance(f, Markdown)
        if value is None:
            f.fields.pop(name, None)
        else:
            f.fields[name] = value
    elif op == "attribute":
        f = files[docs[edit[1] % len(docs)]]
        assert isinstance(f, Markdown)
        if "attribute" not in f.fields:
            return  # a consultation has none
        for key, value in ATTRIBUTES[edit[2]].items():
            if value is None:
                f.fields.pop(key, None)
            else:
                f.fields[key] = value
    elif op == "body":
        f = files[docs[edit[1] % len(docs)]]
        assert isinstance(f, Markdown)
        f.body = edit[2]
    elif op == "yaml":
        path = {"site": "site.yaml", "village": "villages/jingtou.yaml", "guide": "guides/dibao-shenqing.yaml"}[edit[1]]
        f = files[path]
        assert isinstance(f, Yaml)
        fields = YAML_VALUES[edit[1]]
        name = sorted(fields)[edit[2] % len(fields)]
        value = fields[name][edit[3] % len(fields[name])]
        if value is None:
            f.fields.pop(name, None)
        else:
            f.fields[name] = value
    elif op == "variant":
        variants = {**CATALOG_VARIANTS, **LIST_VARIANTS}[edit[1]]
        files[edit[1]] = variants[edit[2] % len(variants)]
    elif op == "rename":
        old = docs[edit[1] % len(docs)]
        kind = "consultations/" if old.startswith("consultations/") else "documents/"
        new = kind + (edit[2].split("/")[-1] if kind == "consultations/" else edit[2])
        if new not in files:
            files[new] = files.pop(old)
    elif op == "add":
        if edit[1] not in files:
            fields = dict(CIRCULAR, title="关于开展冬季救助工作的通知") if "tongzhi" in edit[1] else dict(NOTICE, title="井头村临时救助对象公示")
            files[edit[1]] = Markdown(fields, "新增文件的正文。\n")
    elif op == "delete":
        del files[docs[edit[1] % len(docs)]]
    elif op == "attachment":
        files["attachments/2024/shuoming.txt"] = edit[1].encode()
    elif op == "template":
        state["template"] = edit[1]
    elif op == "today":
        state["today"] = DAYS[edit[1]]


def write(root: Path, files: dict[str, Markdown | Yaml | str | bytes], state: dict[str, object]) -> tuple[Path, Path]:
    """Write the town's content (only files whose bytes differ; removed files deleted) and its
    templates folder under `root`; returns (content, templates)."""
    content, templates = root / "content", root / "templates"
    wanted: dict[str, bytes] = {}
    for rel, f in files.items():
        if isinstance(f, (Markdown, Yaml)):
            wanted[rel] = f.text().encode("utf-8")
        elif isinstance(f, str):
            wanted[rel] = f.encode("utf-8")
        else:
            wanted[rel] = f
    if content.exists():
        for path in sorted(content.rglob("*")):
            rel = path.relative_to(content).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
    for rel, data in wanted.items():
        path = content / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    variant = template_variants()[int(state.get("template", 0))]  # type: ignore[call-overload]
    override = templates / TEMPLATE
    if variant is None:
        if override.exists():
            override.unlink()
    elif not override.is_file() or override.read_text(encoding="utf-8") != variant:
        override.parent.mkdir(parents=True, exist_ok=True)
        override.write_text(variant, encoding="utf-8")
    templates.mkdir(exist_ok=True)
    return content, templates


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(set(a) ^ set(b)) + sorted(k for k in set(a) & set(b) if a[k] != b[k])


def build_once(content: Path, templates: Path, out: Path, cache: Path | None, today: date):  # type: ignore[no-untyped-def]
    from gongkai.build import BuildOptions, build

    return build(BuildOptions(content=content, output=out, templates=templates, today=today, jobs=1, project=REPO,
                              cache=cache, incremental=cache is not None))


def clean_build(content: Path, templates: Path, out: Path, compiled: Path, today: date):  # type: ignore[no-untyped-def]
    """A clean build: an empty output folder and an empty memo. The one thing kept between clean
    builds is Jinja's compiled templates (`compiled`, a cache folder holding nothing else): they are
    a function of the template sources alone, and compiling them is most of a clean build's time
    on a town this small."""
    shutil.rmtree(out, ignore_errors=True)
    result = build_once(content, templates, out, compiled, today)
    for folder in compiled.iterdir():
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.name != "jinja":
                    shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    return result


def scratch() -> Path:
    """A scratch folder in RAM when the machine has one (the campaign writes many small files)."""
    import tempfile

    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="gongkai-difftown-", dir=shm if shm.is_dir() else None))


def texts(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.text() for d in result.diagnostics.sorted()]


def _phrases(body: str) -> set[str]:
    """Runs of six or more CJK characters of a body: what a leak of it would show."""
    import re

    return set(re.findall(r"[\u4e00-\u9fff]{6,}", body))


def leaks(files: dict[str, Markdown | Yaml | str | bytes], site: dict[str, bytes]) -> list[str]:
    """Phrases of the bodies of documents that are not 主动公开 (依申请公开 or 不予公开) found in
    `site` (as UTF-8 or JSON-escaped), unless a public file (a 主动公开 document, a consultation)
    says the same."""
    hidden: set[str] = set()
    public: set[str] = set()
    for f in files.values():
        if isinstance(f, Markdown):  # a consultation has no attribute: it is public
            (public if f.fields.get("attribute", "主动公开") == "主动公开" else hidden).update(_phrases(f.body))
    found = []
    for phrase in sorted(hidden - public):
        forms = (phrase.encode("utf-8"), phrase.encode("ascii", "backslashreplace").lower())
        found += [f"{rel}: {phrase}" for rel, data in site.items() if any(form in data.lower() for form in forms)]
    return found


def run_sequence(root: Path, sequence: list[tuple], tally: dict[str, int] | None = None) -> list[str]:  # type: ignore[type-arg]
    """Apply `sequence` to a fresh town under `root`; after every edit compare the cached rebuild
    with a clean build. Returns the problems found (empty: every step was identical). `tally`
    counts the steps by the way the rebuild went (quick, full, failed)."""
    tally = {} if tally is None else tally
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    files = town()
    state: dict[str, object] = {"today": TODAY, "template": 0}
    site, clean, cache, compiled = root / "site", root / "clean", root / "cache", root.parent / "compiled"
    compiled.mkdir(exist_ok=True)
    content, templates = write(root, files, state)
    first = build_once(content, templates, site, cache, TODAY)
    if not first.ok:
        return ["the town does not build: " + "; ".join(texts(first))]
    for step, edit in enumerate(sequence):
        apply(files, edit, state)
        content, templates = write(root, files, state)
        today = state["today"]
        before = tree(site)
        rebuilt = build_once(content, templates, site, cache, today)  # type: ignore[arg-type]
        reference = clean_build(content, templates, clean, compiled, today)  # type: ignore[arg-type]
        where = f"step {step + 1} {edit!r}"
        way = "failed" if not rebuilt.ok else "quick" if rebuilt.stats.get("quick") else "full"
        tally[way] = tally.get(way, 0) + 1
        if rebuilt.ok != reference.ok:
            return [f"{where}: rebuild ok={rebuilt.ok}, clean build ok={reference.ok}: " + "; ".join(texts(reference) or texts(rebuilt))]
        if texts(rebuilt) != texts(reference):
            extra = sorted(set(texts(rebuilt)) ^ set(texts(reference)))
            return [f"{where}: diagnostics differ: {extra or 'order'}"]
        now = tree(site)
        summary = (rebuilt.pages, rebuilt.files, rebuilt.attributes)  # the build's summary line
        if rebuilt.ok and summary != (reference.pages, reference.files, reference.attributes):
            return [f"{where}: the summary says {summary}, a clean build {(reference.pages, reference.files, reference.attributes)} (way: {way})"]
        if rebuilt.ok and (leaked := leaks(files, now)):
            return [f"{where}: a body that is not 主动公开 reached site/: {leaked[:4]}"]
        if rebuilt.ok:
            diff = differences(now, tree(clean))
            if diff:
                return [f"{where}: site/ differs from a clean build in {diff[:8]} (way: {way})"]
        elif now != before:
            return [f"{where}: a failed rebuild changed site/"]
    return []
