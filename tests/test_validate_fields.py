"""Schema errors mapped to the exact YAML position, in Chinese, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import SITE_YAML, TODAY, doc, make_site

from gongkai.models import Audience, Channel, Level, Mode
from gongkai.validate import check_content

DOC = "content/documents/2026/dibao.md"
GROUNDS = "国家秘密 / 法律行政法规禁止公开 / 危及国家安全、公共安全、经济安全、社会稳定 / 商业秘密 / 个人隐私 / 内部事务信息 / 过程性信息 / 行政执法案卷信息"
ITEM = """\
area: 其他
items:
  - id: x-1
    level1: 甲
    content: 乙
    time_limit: 信息形成之日起20个工作日内
    subject: 永岁镇人民政府
"""


def errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes | None]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    _, diags = check_content(make_site(tmp_path, files), TODAY)
    return [d.text() for d in diags.errors]


def doc_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **fields: str | None) -> list[str]:
    return errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(**fields)})  # type: ignore[arg-type]


def validated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes | None]):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    site, diags = check_content(make_site(tmp_path, files), TODAY)
    assert not diags.errors, [d.text() for d in diags.errors]
    return site


# -- unknown and missing fields --------------------------------------------------------------


def test_unknown_field_with_did_you_mean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, titel="通知") == [f"{DOC}:8:1: 错误: 不认识的字段“titel”（是否想写 title（标题）？）"]


def test_unknown_field_lists_the_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: 某村\ncommittee: 某村委\n电话: 0773-4800201\n"
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": text}) == [
        ("content/villages/x.yaml:3:1: 错误: 不认识的字段“电话”（可用字段：name、kind、committee、contact、contact_person、"
        "notice_board、items、sample、order、description）")
    ]


def test_unknown_field_inside_a_list_item_suggests_from_that_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = doc(attachments="\n  - file: attachments/a.pdf\n    titel: 附件")
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": text, "attachments/a.pdf": b"%PDF-1.4\n"}) == [
        f"{DOC}:10:5: 错误: 不认识的字段“titel”（是否想写 title（显示名称）？）"
    ]


def test_missing_required_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, kind=None) == [
        f"{DOC}:2:1: 错误: 缺少必填字段“kind”（文种）（请添加一行 kind: …；通知、公告、公示、方案、解读……）"
    ]


def test_missing_fields_of_a_list_item_point_at_the_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "area: 其他\nitems:\n  - id: x-1\n    level1: 甲\n    content: 乙\n    subject: 镇政府\n    level: 乡级\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        "content/catalog/x.yaml:3:5: 错误: 缺少必填字段“channels”（公开渠道和载体）（请添加一行 channels: …；从13种标准渠道中选择）",
        "content/catalog/x.yaml:3:5: 错误: 缺少必填字段“time_limit”（公开时限）（请添加一行 time_limit: …；例如：信息形成或变更之日起20个工作日内）",
    ]


def test_all_problems_of_one_file_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: 某村\nkind: 村\norder: 第一\nsample: 也许\nfoo: 1\n"
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": text}) == [
        "content/villages/x.yaml:1:1: 错误: 缺少必填字段“committee”（村（居）民委员会）（请添加一行 committee: …；例如：井头村村民委员会）",
        "content/villages/x.yaml:2:7: 错误: “kind”（类型）的值“村”无效（可选值：行政村、社区）",
        "content/villages/x.yaml:3:8: 错误: “order”（排序）应为整数，读到“第一”（只写阿拉伯数字，例如 3）",
        "content/villages/x.yaml:4:9: 错误: “sample”（示例数据）应为 true 或 false，读到“也许”（写 true（是）或 false（否））",
        ("content/villages/x.yaml:5:1: 错误: 不认识的字段“foo”（可用字段：name、kind、committee、contact、contact_person、"
        "notice_board、items、sample、order、description）"),
    ]


# -- empty values ----------------------------------------------------------------------------


def test_required_field_left_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": "name:\ncommittee: 某村委\n"}) == [
        "content/villages/x.yaml:1:1: 错误: “name”（村（社区）名称）没有填写值（请在“name: ”后面填写村（社区）名称，例如：井头村）"
    ]


def test_required_field_quoted_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": 'name: ""\ncommittee: 某村委\n'}) == [
        "content/villages/x.yaml:1:7: 错误: “name”（村（社区）名称）不能为空（请填写村（社区）名称，例如：井头村）"
    ]


def test_empty_date_and_enum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, created="", attribute="") == [
        f"{DOC}:3:1: 错误: “attribute”（公开属性）没有填写值（请在“attribute: ”后面填写公开属性，主动公开 / 依申请公开 / 不予公开）",
        f"{DOC}:5:1: 错误: “created”（成文日期）没有填写值（请在“created: ”后面填写成文日期，YYYY-MM-DD）",
    ]


def test_optional_field_with_a_default_left_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": "name: 某村\ncommittee: 某村委\norder:\n"}) == [
        "content/villages/x.yaml:3:1: 错误: “order”（排序）没有填写值（请在“order: ”后面填写排序；不需要时删除这一行）"
    ]


def test_empty_list_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ITEM + "    channels:\n      - 政府网站\n      -\n    level: 乡级\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        "content/catalog/x.yaml:10:8: 错误: “channels”（公开渠道和载体）的第 2 项是空的（填写这一项，或删除这一行空的“- ”）"
    ]


def test_empty_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ITEM + "    channels: []\n    level: 乡级\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        "content/catalog/x.yaml:8:15: 错误: “channels”（公开渠道和载体）至少需要 1 项（每项单独一行，以减号加空格“- ”开头；从13种标准渠道中选择）"
    ]


def test_title_too_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, title="通") == [f"{DOC}:2:8: 错误: “title”（标题）“通”太短，至少 2 个字（请填写完整的标题）"]


# -- enums, lists, scalars -------------------------------------------------------------------


def test_wrong_enum_values_list_the_choices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ITEM + "    channels: [政府网站, 微博]\n    level: [乡级, 省级]\n    audience: 群众\n    mode: 被动\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        "content/catalog/x.yaml:8:22: 错误: “channels”（公开渠道和载体）的值“微博”无效（可选值：" + "、".join(Channel) + "）",
        "content/catalog/x.yaml:9:17: 错误: “level”（公开层级）的值“省级”无效（可选值：" + "、".join(Level) + "）",
        "content/catalog/x.yaml:10:15: 错误: “audience”（公开对象）的值“群众”无效（可选值：" + "、".join(Audience) + "）",
        "content/catalog/x.yaml:11:11: 错误: “mode”（公开方式）的值“被动”无效（可选值：" + "、".join(Mode) + "）",
    ]


def test_choices_containing_the_list_separator_use_slashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, attribute="不予公开", published=None, reason="讨论稿", legal_basis="保密") == [
        f"{DOC}:8:14: 错误: “legal_basis”（不予公开依据）的值“保密”无效（可选值：{GROUNDS}）"
    ]


def test_pattern_mismatch_explains_the_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ITEM.replace("id: x-1", "id: X_1") + "    channels: 政府网站\n    level: 乡级\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        "content/catalog/x.yaml:3:9: 错误: “id”（事项编号）的值“X_1”格式不正确（全目录唯一，只能使用小写字母、数字和连字符，例如 dibao-shenhe）"
    ]


def test_list_where_text_is_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, title="[关于低保, 的通知]") == [
        f"{DOC}:2:8: 错误: “title”（标题）应为一段文字，读到的是列表（如果文字中有冒号或以 - 开头，请用引号括起来）"
    ]


def test_mapping_where_text_is_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": "name:\n  井头: 村\ncommittee: 某村委\n"}) == [
        "content/villages/x.yaml:2:3: 错误: “name”（村（社区）名称）应为一段文字，读到的是多个字段（如果文字中有冒号或以 - 开头，请用引号括起来）"
    ]


def test_text_where_a_list_of_records_is_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": "area: 其他\nitems: 社会救助\n"}) == [
        "content/catalog/x.yaml:2:8: 错误: “items”（公开事项）应为列表（每项单独一行，以减号加空格“- ”开头，并比“items:”多缩进两个空格）"
    ]


def test_text_where_a_record_is_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ITEM + "    channels: 政府网站\n    level: 乡级\n    deadline: 10个工作日\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        "content/catalog/x.yaml:10:15: 错误: “deadline”（时限（机器可读））应为“字段: 值”的形式，读到“10个工作日”（请检查缩进和冒号）"
    ]


def test_single_value_where_a_list_is_expected_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = validated(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(villages="jingtou", keywords="低保")})
    assert site.documents["2026/dibao"].model.villages == ["jingtou"]
    assert site.documents["2026/dibao"].model.keywords == ["低保"]


# -- variants that real catalogues use -------------------------------------------------------


def test_accepted_variants_are_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ITEM + "    channels: [政府网站, 村公示栏, 听证会, 入户]\n    level: 乡、村级\n    audience: 特定群众\n    mode: 依申请公开\n"
    text += "  - id: x-2\n    level1: 丙\n    content: 丁\n    time_limit: 20个工作日内\n    subject: 镇政府\n    channels: 政府网站\n    level: 镇级\n"
    site = validated(tmp_path, monkeypatch, {"catalog/x.yaml": text, "documents/2026/dibao.md": doc(attribute="此件公开发布")})
    first, second = site.areas["x"].model.items
    assert first.channels == [Channel.WEBSITE, Channel.NOTICE_BOARD, Channel.PRESS, Channel.DOOR_TO_DOOR]
    assert first.level == [Level.TOWNSHIP, Level.VILLAGE]
    assert (first.audience, first.mode) == (Audience.GROUP, Mode.ON_REQUEST)
    assert second.level == [Level.TOWNSHIP]
    assert site.documents["2026/dibao"].model.attribute.value == "主动公开"


@pytest.mark.parametrize("label", ["此件可依申请公开", "依申请公开"])
def test_on_request_label_variants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, label: str) -> None:
    site = validated(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(attribute=label, published=None, reason="涉及个人信息")})
    assert site.documents["2026/dibao"].model.attribute.value == "依申请公开"


@pytest.mark.parametrize("basis", ["个人隐私", "第十五条 个人隐私", "《政府信息公开条例》第十五条（个人隐私）", "第十五条：个人隐私"])
def test_legal_basis_with_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, basis: str) -> None:
    files = {"documents/2026/dibao.md": doc(attribute="不予公开", published=None, reason="涉及个人隐私", legal_basis=basis, item=None, reviewed="2026-03-02")}
    site = validated(tmp_path, monkeypatch, files)
    assert site.documents["2026/dibao"].model.legal_basis.value == "个人隐私"


# -- rules between fields of one document ----------------------------------------------------


def test_withheld_without_reason_and_legal_basis_reports_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # both fields absent: both errors, at the `attribute` line that requires them
    assert doc_errors(tmp_path, monkeypatch, attribute="不予公开", published=None) == [
        f"{DOC}:3:1: 错误: 不予公开的文件必须填写 legal_basis（依据《政府信息公开条例》第十四、十五或十六条，可选：{GROUNDS}）",
        f"{DOC}:3:1: 错误: 不予公开的文件必须填写 reason（写明不公开的理由）",
    ]


def test_withheld_with_empty_reason_and_legal_basis_each_at_its_own_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, attribute="不予公开", published=None, reason="", legal_basis="") == [
        f"{DOC}:7:1: 错误: 不予公开的文件必须填写 reason（写明不公开的理由）",
        f"{DOC}:8:1: 错误: 不予公开的文件必须填写 legal_basis（依据《政府信息公开条例》第十四、十五或十六条，可选：{GROUNDS}）",
    ]


def test_on_request_without_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, attribute="依申请公开", published=None) == [
        f"{DOC}:3:1: 错误: 依申请公开的文件必须填写 reason（写明为何不主动公开）"
    ]


def test_active_without_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, published=None) == [
        f"{DOC}:3:1: 错误: 主动公开的文件必须填写 published（发布日期，YYYY-MM-DD）"
    ]


def test_published_before_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, published="2026-03-01") == [
        f"{DOC}:6:12: 错误: 发布日期 2026-03-01 早于成文日期 2026-03-02（请检查两个日期）"
    ]


def test_interpretation_without_interprets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, kind="解读") == [
        f"{DOC}:7:1: 错误: 解读文件必须填写 interprets（被解读政策文件的 id）"
    ]


def test_doc_number_with_wrong_brackets_suggests_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert doc_errors(tmp_path, monkeypatch, doc_number="永政发[2026]3号") == [
        f"{DOC}:8:13: 错误: 文号“永政发[2026]3号”的年份应使用六角括号〔〕（请改为：永政发〔2026〕3号）"
    ]


def test_consultation_closing_before_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "---\ntitle: 集镇污水处理方案\nscope: 全镇居民\nmethods: 征集意见\nchannels: 电话\nopens: 2026-10-01\ncloses: 2026-09-01\npublished: 2026-09-30\n---\n"
    assert errors(tmp_path, monkeypatch, {"consultations/wushui.md": text}) == [
        "content/consultations/wushui.md:7:9: 错误: 截止日期 2026-09-01 早于开始日期 2026-10-01（请检查两个日期）"
    ]


def test_site_yaml_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = SITE_YAML.replace("org_code: 11450324MB0000000X", "org_code: 123") + "base_url: www.example.cn\nindex_number_format: '{org_code}'\n"
    assert errors(tmp_path, monkeypatch, {"site.yaml": text}) == [
        "content/site.yaml:7:11: 错误: “org_code”（机构代码）的值“123”格式不正确（统一社会信用代码（18 位）或组织机构代码（9 位），用于生成索引号）",
        "content/site.yaml:13:11: 错误: “base_url”（网站地址）：base_url 应以 http:// 或 https:// 开头，例如 https://www.example.gov.cn/yongsui/",
        "content/site.yaml:14:22: 错误: “index_number_format”（索引号格式）：索引号格式必须包含 {seq…}，例如 {org_code}/{year}-{seq:05d}",
    ]


CHANNEL_SPELLINGS = [
    ("行政服务中心", Channel.SERVICE_CENTRE),
    ("政务服务大厅", Channel.SERVICE_CENTRE),
    ("村务公开栏", Channel.NOTICE_BOARD),
    ("村(居)务公开栏", Channel.NOTICE_BOARD),
    ("村（居）务公开栏", Channel.NOTICE_BOARD),
    ("居务公开栏", Channel.NOTICE_BOARD),
    ("社区公示栏", Channel.NOTICE_BOARD),
    ("公开栏", Channel.NOTICE_BOARD),
    ("公示栏", Channel.NOTICE_BOARD),
    ("电子屏", Channel.NOTICE_BOARD),
    ("微信公众号", Channel.NEW_MEDIA),
    ("政务微信", Channel.NEW_MEDIA),
    ("政务微博", Channel.NEW_MEDIA),
    ("政务新媒体", Channel.NEW_MEDIA),
    ("政府门户网站", Channel.WEBSITE),
    *[(c.value, c) for c in Channel],
]


@pytest.mark.parametrize(("written", "channel"), CHANNEL_SPELLINGS)
def test_channel_spellings_of_real_catalogues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, channel: Channel
) -> None:
    """公开渠道和载体 as real county/township tables write them (政务公开标准指引) → the standard value."""
    other = "    channels_other: 征地信息公开平台\n" if channel is Channel.OTHER else ""
    text = ITEM + f"    channels: [{written}]\n{other}    level: 乡级\n"
    site = validated(tmp_path, monkeypatch, {"catalog/x.yaml": text})
    assert site.areas["x"].model.items[0].channels == [channel]


def test_channel_spellings_that_mean_the_same_channel_are_listed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ITEM + "    channels: [政府门户网站, 微信公众号, 政务微博, 村务公开栏, 政府网站]\n    level: 乡级\n"
    site = validated(tmp_path, monkeypatch, {"catalog/x.yaml": text})
    assert site.areas["x"].model.items[0].channels == [Channel.WEBSITE, Channel.NEW_MEDIA, Channel.NOTICE_BOARD]


def test_unknown_channel_still_names_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ITEM + "    channels: [村头大喇叭]\n    level: 乡级\n"
    assert errors(tmp_path, monkeypatch, {"catalog/x.yaml": text}) == [
        ("content/catalog/x.yaml:8:16: 错误: “channels”（公开渠道和载体）的值“村头大喇叭”无效（可选值：政府网站、政府公报、"
        "两微一端、发布会/听证会、广播电视、纸质媒体、公开查阅点、政务服务中心、便民服务站、入户/现场、"
        "社区/企事业单位/村公示栏（电子屏）、精准推送、其他）")
    ]
