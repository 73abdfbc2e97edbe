"""`gongkai check` as a clerk runs it: every problem at once, a count, the right exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sitekit import TODAY, doc, make_site, run_cli

from gongkai.diagnostics import Diagnostic, Diagnostics, Severity, format_diagnostics

CHECK = ("check", "--content", "content", "--today", TODAY.isoformat())
SUMMARY = re.compile(r"^共 (\d+) 个错误，(\d+) 个警告。$")


def check(tmp_path: Path, *extra: str) -> tuple[int, list[str]]:
    result = run_cli(*CHECK, *extra, cwd=tmp_path)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, result.stderr.splitlines()


def test_clean_tiny_site_exits_0(tmp_path: Path) -> None:
    make_site(tmp_path)
    code, lines = check(tmp_path)
    assert code == 0
    assert not [line for line in lines if ": 错误: " in line]
    # governance rules may add warnings; they never change the exit code
    assert lines[-1] == "检查通过：没有发现错误。" or SUMMARY.match(lines[-1]).group(1) == "0"  # type: ignore[union-attr]


def test_every_error_of_the_run_is_printed_at_once(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "documents/2026/dibao.md": doc(attribute="不予公开", published=None),
        "documents/2026/gbk.md": doc("关于做好低保工作的通知").encode("gbk"),
        "villages/xitang.yaml": "name：西塘村\ncommittee: 西塘村村民委员会\n",
        "villages/shimen.yaml": "name: 石门村\n\tcommittee: 石门村村民委员会\n",
        "villages/dongling.yaml": "name: 东岭村\ncommittee: 东岭村村民委员会\nname: 东岭\n",
        "catalog/shjz.yaml": (Path(__file__).parent / "sitekit.py").read_text(encoding="utf-8")
        .split('AREA_YAML = """\\\n')[1].split('"""')[0].replace("level: 乡级", "levle: 乡级"),
    })
    code, lines = check(tmp_path)
    assert code == 1
    assert lines == [
        "content/catalog/shjz.yaml:14:5: 错误: 缺少必填字段“level”（公开层级）（请添加一行 level: …；县级 / 乡级 / 村级，可写“乡、村级”）",
        "content/catalog/shjz.yaml:21:5: 错误: 不认识的字段“levle”（是否想写 level（公开层级）？）",
        ("content/documents/2026/dibao.md:3:1: 错误: 不予公开的文件必须填写 legal_basis（依据《政府信息公开条例》第十四、十五或十六条，"
        "可选：国家秘密 / 法律行政法规禁止公开 / 危及国家安全、公共安全、经济安全、社会稳定 / 商业秘密 / 个人隐私 / 内部事务信息 / "
        "过程性信息 / 行政执法案卷信息）"),
        "content/documents/2026/dibao.md:3:1: 错误: 不予公开的文件必须填写 reason（写明不公开的理由）",
        "content/documents/2026/gbk.md:2:8: 错误: 文件看起来是 GBK（国标）编码，不是 UTF-8（请用记事本或 VS Code 打开，选择“另存为”→ 编码选 UTF-8 后保存）",
        "content/villages/dongling.yaml:3:1: 错误: 字段“name”重复出现（第 1 行已经写过）（删除其中一个；YAML 中后写的会悄悄覆盖先写的）",
        "content/villages/shimen.yaml:2:1: 错误: 缩进使用了 Tab 制表符（YAML 只能用半角空格缩进，请换成半角空格，并与同一层的字段左边对齐）",
        "content/villages/xitang.yaml:1:5: 错误: “name”后面使用了全角冒号“：”（请改成半角冒号加空格，例如 name: …；输入冒号前先切换到英文输入法）",
        "共 8 个错误，0 个警告。",
    ]


def test_cross_reference_errors_through_the_cli(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "documents/2026/dibao.md": doc(item="shjz-dibo", villages="[jingtou, xitang]", attachments="attachments/a.pdf"),
        "documents/2026/jiedu.md": doc(kind="解读", interprets="2026/zhengce"),
        "consultations/wushui.md": "---\ntitle: 集镇污水处理方案\nscope: 全镇居民\nmethods: 征集意见\nchannels: 电话\n"
                                   "opens: 2026-10-01\ncloses: 2026-09-01\npublished: 2026-09-30\n---\n",
    })
    code, lines = check(tmp_path)
    assert code == 1
    assert [line for line in lines if ": 错误: " in line] == [
        "content/consultations/wushui.md:7:9: 错误: 截止日期 2026-09-01 早于开始日期 2026-10-01（请检查两个日期）",
        "content/documents/2026/dibao.md:4:7: 错误: 所属公开事项“shjz-dibo”在目录中不存在（是否想写“shjz-dibao”？）",
        "content/documents/2026/dibao.md:8:21: 错误: 村（社区）“xitang”不存在（可用的村：jingtou、mudao；村的 slug 是 villages/ 下的文件名）",
        "content/documents/2026/dibao.md:9:14: 错误: 附件“attachments/a.pdf”不存在（请把文件放到 content/attachments/a.pdf，或修正路径（区分大小写））",
        "content/documents/2026/jiedu.md:8:13: 错误: 被解读的政策“2026/zhengce”不存在（填写被解读文件在 documents/ 下的路径（不含 .md），例如 2024/dibao-standard）",
    ]
    assert SUMMARY.match(lines[-1]).group(1) == "5"  # type: ignore[union-attr]


def test_warnings_are_counted_apart_and_strict_makes_them_fail(tmp_path: Path) -> None:
    make_site(tmp_path, {"说明.txt": "随手放的说明"})
    code, lines = check(tmp_path)
    assert code == 0
    assert "content/说明.txt:1:1: 警告: content/ 下不认识的文件“说明.txt”，已忽略" in lines[0]
    assert SUMMARY.match(lines[-1]).groups()[0] == "0"  # type: ignore[union-attr]
    assert int(SUMMARY.match(lines[-1]).groups()[1]) >= 1  # type: ignore[union-attr]
    code, _ = check(tmp_path, "--strict")
    assert code == 1


def test_missing_site_yaml_through_the_cli(tmp_path: Path) -> None:
    make_site(tmp_path, {"site.yaml": None})
    code, lines = check(tmp_path)
    assert code == 1
    assert lines == [
        ("content/site.yaml:1:1: 错误: 缺少 site.yaml：网站和发布机构的基本信息"
        "（请新建 site.yaml，至少填写 name、short_name、county、org_code、apply，示例见 docs/content-format.md）"),
        "共 1 个错误，0 个警告。",
    ]


def test_content_dir_missing_exits_1_with_a_message(tmp_path: Path) -> None:
    result = run_cli("check", "--content", "nope", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "nope:1:1: 错误: 内容目录“nope”不存在（请在包含 content/ 的项目目录中运行，或用 --content 指定内容目录）",
        "共 1 个错误，0 个警告。",
    ]


def test_default_content_dir_is_content(tmp_path: Path) -> None:
    make_site(tmp_path)
    assert run_cli("check", "--today", TODAY.isoformat(), cwd=tmp_path).returncode == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in (("check", "--bogus"), ("check", "--today", "2026-13-01"), ("check", "--format", "xml")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert "用法错误" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("check", "--today", "2026-13-01", cwd=tmp_path)
    assert "日期“2026-13-01”格式不正确，应为 YYYY-MM-DD" in result.stderr


def test_github_format(tmp_path: Path) -> None:
    make_site(tmp_path, {"villages/xitang.yaml": "name：西塘村\n"})
    code, lines = check(tmp_path, "--format", "github")
    assert code == 1
    assert lines == [
        ("::error file=content/villages/xitang.yaml,line=1,col=5,title=gongkai 错误::“name”后面使用了全角冒号“：”"
        "（请改成半角冒号加空格，例如 name: …；输入冒号前先切换到英文输入法）"),
        "共 1 个错误，0 个警告。",
    ]


def test_json_format_goes_to_stdout(tmp_path: Path) -> None:
    make_site(tmp_path, {"villages/xitang.yaml": "name：西塘村\n"})
    result = run_cli(*CHECK, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert (data["errors"], data["diagnostics"][0]["line"], data["diagnostics"][0]["col"]) == (1, 1, 5)
    assert data["diagnostics"][0]["code"] == "yaml.fullwidth_colon"


def test_github_properties_are_escaped() -> None:
    d = Diagnostic("content/a,b:c.md", 3, 4, Severity.ERROR, "第一行\n50%", "改")
    assert d.github() == "::error file=content/a%2Cb%3Ac.md,line=3,col=4,title=gongkai 错误::第一行%0A50%25（改）"


def test_summary_line_and_deduplication() -> None:
    diags = Diagnostics()
    same = Diagnostic("a.yaml", 1, 1, Severity.ERROR, "错")
    diags.extend([same, same, Diagnostic("a.yaml", 2, 1, Severity.WARNING, "警")])
    assert format_diagnostics(diags).splitlines() == ["a.yaml:1:1: 错误: 错", "a.yaml:2:1: 警告: 警", "共 1 个错误，1 个警告。"]
    assert format_diagnostics(Diagnostics()) == "检查通过：没有发现错误。"
