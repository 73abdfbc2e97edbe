"""`gongkai new`: every scaffold passes `gongkai check` once its blanks are filled, gives clear
errors (never a traceback) while they are not, and never overwrites a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitekit import doc, make_site, run_cli

from gongkai.scaffold import next_doc_number, prefixes, scalar

TODAY = "2026-11-26"
LISTS = """\
title: 永岁镇公共服务事项清单
kind: 公共服务事项清单
entries:
  - code: GG-001
    name: 最低生活保障申请
    category: 行政给付
    department: 永岁镇社会事务办公室
    time_limit: 20个工作日
"""
NUMBERED = {
    "documents/2026/a.md": doc(title="关于甲的通知", doc_number="永政发〔2026〕12号"),
    "documents/2026/b.md": doc(title="关于乙的通知", doc_number="永政发〔2026〕3号"),
    "documents/2025/c.md": doc(title="关于丙的通知", doc_number="永政发〔2025〕30号", created="2025-03-02", published="2025-03-05"),
    "documents/2026/d.md": doc(title="关于丁的通知", doc_number="永政办发〔2026〕7号"),
    "lists/services.yaml": LISTS,
}


def new(tmp: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("new", *args, "--today", TODAY, cwd=tmp)


def check(tmp: Path):  # type: ignore[no-untyped-def]
    return run_cli("check", "--today", TODAY, cwd=tmp)


def fill(path: Path, values: dict[str, str]) -> None:
    """Fill blank `key:` lines the way a clerk would (first blank occurrence of each key)."""
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        text, n = re.subn(rf"^(\s*){key}:$", lambda m, k=key, v=value: f"{m.group(1)}{k}: {v}", text, count=1,
                          flags=re.MULTILINE)
        assert n == 1, f"no blank {key}: in {path}"
    path.write_text(text, encoding="utf-8")


def assert_clear_failure(proc, path: str, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out and "内部错误" not in out
    for key in keys:
        assert re.search(rf"{re.escape(path)}:\d+:\d+: 错误: .*{key}", out), f"{key} not reported:\n{out}"


# --- pure helpers ------------------------------------------------------------------------------


def test_next_doc_number_per_prefix_and_year() -> None:
    numbers = ["永政发〔2026〕12号", "永政发〔2026〕3号", "永政发〔2025〕30号", "永政办发〔2026〕7号", "坏的文号"]
    assert next_doc_number(numbers, "永政发", 2026) == ("永政发〔2026〕13号", 12)
    assert next_doc_number(numbers, "永政办发", 2026) == ("永政办发〔2026〕8号", 7)
    assert next_doc_number(numbers, "永政发", 2027) == ("永政发〔2027〕1号", 0)
    assert prefixes(numbers) == ["永政办发", "永政发"]


@pytest.mark.parametrize("value", ["普通标题", "标题: 带冒号", "- 以连字符开头", "#号开头", "a #b", "[x]", "", "'引号"])
def test_scalar_reads_back_as_the_same_string(value: str) -> None:
    import yaml

    assert yaml.load(f"k: {scalar(value)}", Loader=yaml.BaseLoader) == {"k": value}


# --- documents ---------------------------------------------------------------------------------


def test_document_suggests_next_number_and_passes_check_once_filled(tmp_path: Path) -> None:
    make_site(tmp_path, NUMBERED)
    proc = new(tmp_path, "document", "--title", "关于开展冬季防火工作的通知", "--prefix", "永政发", "--slug", "fanghuo")
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "content/documents/2026/fanghuo.md"
    text = path.read_text(encoding="utf-8")
    assert "doc_number: 永政发〔2026〕13号" in text
    assert "永政发〔2026〕已用到 12 号" in text and "建议文号：永政发〔2026〕13号" in proc.stdout
    assert f"created: {TODAY}" in text and f"published: {TODAY}" in text
    assert "# 所属公开事项" in text and "\nitem:\n" in text  # every field explained, blanks blank
    assert re.search(r"content/documents/2026/fanghuo.md:\d+  item（所属公开事项）", proc.stdout)
    assert_clear_failure(check(tmp_path), "content/documents/2026/fanghuo.md", ["item"])
    fill(path, {"item": "shjz-dibao"})
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr


def test_document_without_prefix_lists_the_next_numbers_in_a_comment(tmp_path: Path) -> None:
    make_site(tmp_path, NUMBERED)
    proc = new(tmp_path, "document", "--title", "关于低保复核的通知", "--item", "shjz-dibao", "--village", "jingtou")
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "content/documents/2026/tongzhi-1126.md"
    text = path.read_text(encoding="utf-8")
    assert "# doc_number:" in text and "永政办发〔2026〕8号、永政发〔2026〕13号" in text
    assert "villages: [jingtou]" in text
    assert check(tmp_path).returncode == 0  # nothing left blank: passes as written
    again = new(tmp_path, "document", "--title", "第二份", "--item", "shjz-dibao")
    assert again.returncode == 0 and (tmp_path / "content/documents/2026/tongzhi-1126-2.md").is_file()


@pytest.mark.parametrize(
    ("attribute", "kind", "blanks", "values"),
    [
        ("依申请公开", "通知", ["reason"], {"reason": "涉及第三方合法权益"}),
        ("不予公开", "纪要", ["reason", "legal_basis"], {"reason": "内部讨论记录", "legal_basis": "内部事务信息"}),
        # the model's rules run before cross-references: `item` is reported once interprets is filled
        ("主动公开", "解读", ["interprets"], {"item": "shjz-dibao", "interprets": "2026/dibao"}),
    ],
)
def test_document_variants_fail_clearly_then_pass(tmp_path: Path, attribute: str, kind: str, blanks: list[str],
                                                   values: dict[str, str]) -> None:
    make_site(tmp_path)
    proc = new(tmp_path, "document", "--title", "测试文件标题", "--attribute", attribute, "--kind", kind, "--slug", "t")
    assert proc.returncode == 0, proc.stderr
    for key in [*blanks, *values]:
        assert re.search(rf":\d+  {key}（", proc.stdout), proc.stdout
    assert_clear_failure(check(tmp_path), "content/documents/2026/t.md", blanks)
    fill(tmp_path / "content/documents/2026/t.md", values)
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr


def test_never_overwrites(tmp_path: Path) -> None:
    make_site(tmp_path)
    target = tmp_path / "content/documents/2026/dibao.md"
    before = target.read_bytes()
    proc = new(tmp_path, "document", "--title", "同名文件", "--slug", "dibao")
    assert proc.returncode == 1
    assert "content/documents/2026/dibao.md 已存在，没有覆盖" in proc.stderr and "Traceback" not in proc.stderr
    assert target.read_bytes() == before
    village = new(tmp_path, "village", "--slug", "jingtou", "--name", "井头村")
    assert village.returncode == 1 and "已存在" in village.stderr


def test_bad_references_and_slugs_are_usage_errors(tmp_path: Path) -> None:
    make_site(tmp_path)
    proc = new(tmp_path, "document", "--title", "标题", "--item", "shjz-dibo")
    assert proc.returncode == 2 and "公开事项“shjz-dibao”" not in proc.stderr
    assert "“shjz-dibo”在 catalog/ 中不存在，是否想写“shjz-dibao”？" in proc.stderr
    proc = new(tmp_path, "document", "--title", "标题", "--village", "jingto")
    assert proc.returncode == 2 and "是否想写“jingtou”" in proc.stderr
    proc = new(tmp_path, "village", "--slug", "井头", "--name", "井头村")
    assert proc.returncode == 2 and "小写字母" in proc.stderr
    proc = new(tmp_path, "document", "--title", "标题", "--kind", "通报")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert not list((tmp_path / "content/documents/2026").glob("tongzhi-*"))


def test_stdout_writes_nothing(tmp_path: Path) -> None:
    make_site(tmp_path)
    proc = new(tmp_path, "document", "--title", "只打印", "--slug", "print-only", "--stdout")
    assert proc.returncode == 0 and proc.stdout.startswith("---\n# 标题") and "title: 只打印" in proc.stdout
    assert not (tmp_path / "content/documents/2026/print-only.md").exists()


# --- other kinds ---------------------------------------------------------------------------------


def test_village_passes_check_as_written(tmp_path: Path) -> None:
    make_site(tmp_path)
    proc = new(tmp_path, "village", "--slug", "xinzhai-shequ", "--name", "新寨社区")
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "content/villages/xinzhai-shequ.yaml").read_text(encoding="utf-8")
    assert "kind: 社区" in text and "committee: 新寨社区居民委员会" in text and "# 公示栏位置" in text
    assert check(tmp_path).returncode == 0


def test_guide_takes_department_and_time_limit_from_the_list(tmp_path: Path) -> None:
    make_site(tmp_path, {"lists/services.yaml": LISTS})
    proc = new(tmp_path, "guide", "--slug", "dibao", "--title", "最低生活保障申请", "--entry", "GG-001")
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "content/guides/dibao.yaml"
    text = path.read_text(encoding="utf-8")
    assert "department: 永岁镇社会事务办公室" in text and "time_limit: 20个工作日" in text
    assert_clear_failure(check(tmp_path), "content/guides/dibao.yaml", ["conditions", "materials"])
    fill(path, {"conditions": "户籍在本镇且家庭人均收入低于当地低保标准", "materials": "\n  - 身份证\n  - 户口簿"})
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr


def test_guide_without_entry_and_unknown_entry(tmp_path: Path) -> None:
    make_site(tmp_path, {"lists/services.yaml": LISTS})
    assert new(tmp_path, "guide", "--slug", "x", "--title", "某事项", "--entry", "GG-002").returncode == 2
    proc = new(tmp_path, "guide", "--slug", "x", "--title", "某事项")
    assert proc.returncode == 0
    assert_clear_failure(check(tmp_path), "content/guides/x.yaml", ["entry", "department", "time_limit", "conditions"])
    fill(tmp_path / "content/guides/x.yaml", {
        "entry": "GG-001", "department": "永岁镇社会事务办公室", "time_limit": "20个工作日",
        "conditions": "符合条件的本镇居民", "materials": "[身份证]",
    })
    assert check(tmp_path).returncode == 0


def test_consultation_fails_clearly_then_passes(tmp_path: Path) -> None:
    """A 20-day window (《重大行政决策程序暂行条例》第十五条: 30 days unless the reason is given)
    asks for `short_reason` in the scaffold; check passes once it is written."""
    make_site(tmp_path)
    proc = new(tmp_path, "consultation", "--slug", "paishui", "--title", "镇区排水改造方案", "--days", "20")
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "content/consultations/paishui.md"
    text = path.read_text(encoding="utf-8")
    assert f"opens: {TODAY}" in text and "closes: 2026-12-16" in text
    assert_clear_failure(check(tmp_path), "content/consultations/paishui.md", ["scope", "channels"])
    assert "\nshort_reason:\n" in text
    fill(path, {"scope": "镇区居民", "channels": "[镇政府意见箱, 电话 0773-4800000]"})
    assert "征求意见期不足" in check(tmp_path).stderr
    fill(path, {"short_reason": "汛期前须开工，经镇长办公会议研究缩短为20日"})
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr


def test_item_is_appended_without_touching_the_rest(tmp_path: Path) -> None:
    make_site(tmp_path)
    area = tmp_path / "content/catalog/shjz.yaml"
    before = area.read_text(encoding="utf-8")
    proc = new(tmp_path, "item", "--area", "shjz", "--id", "shjz-linshi", "--level1", "临时救助", "--level2", "救助结果")
    assert proc.returncode == 0, proc.stderr
    after = area.read_text(encoding="utf-8")
    assert after.startswith(before)  # byte for byte
    added = after[len(before):]
    assert "  - id: shjz-linshi\n" in added and "    level1: 临时救助\n" in added
    assert "    subject: 全州县永岁镇人民政府\n" in added  # from site.yaml
    assert_clear_failure(check(tmp_path), "content/catalog/shjz.yaml", ["content", "time_limit"])
    fill(area, {"content": "临时救助对象、救助金额", "time_limit": "制定或获取信息之日起10个工作日内"})
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr
    dup = new(tmp_path, "item", "--area", "shjz", "--id", "shjz-linshi")
    assert dup.returncode == 2 and "已在 catalog/shjz.yaml 中使用" in dup.stderr
    missing = new(tmp_path, "item", "--area", "shj", "--id", "shj-x")
    assert missing.returncode == 2 and "是否想写“shjz”" in missing.stderr


def test_item_append_that_would_be_unsafe_prints_a_snippet(tmp_path: Path) -> None:
    from sitekit import AREA_YAML

    odd = AREA_YAML.replace("area: 社会救助\norder: 1\n", "area: 社会救助\n") + "order: 1\n"  # items not last
    make_site(tmp_path, {"catalog/shjz.yaml": odd})
    area = tmp_path / "content/catalog/shjz.yaml"
    proc = new(tmp_path, "item", "--area", "shjz", "--id", "shjz-new")
    assert proc.returncode == 0
    assert area.read_text(encoding="utf-8") == odd
    assert "没有修改" in proc.stderr and "items: 不是文件中的最后一个字段" in proc.stderr
    assert proc.stdout.startswith("  # ---- 新增事项") and "  - id: shjz-new\n" in proc.stdout
