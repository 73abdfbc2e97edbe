"""county.yaml and towns/: which folder names can be township URLs, for all names (hypothesis)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.county.config import RESERVED, load_county

NAMES = st.text(alphabet="abcxyz019-_.A永 ", min_size=1, max_size=12).filter(lambda s: s.strip() == s and s not in (".", ".."))
URL_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@settings(max_examples=60, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=4, unique=True))
def test_a_township_folder_is_accepted_exactly_when_its_name_is_url_safe(names: list[str]) -> None:
    names = [n for n in names if not n.startswith(".")]  # hidden folders are not townships
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "county.yaml").write_text("name: 全州县\n", encoding="utf-8")
        for name in names:
            (root / "towns" / name).mkdir(parents=True)
            (root / "towns" / name / "site.yaml").write_text("name: x\n", encoding="utf-8")
        config, diags = load_county(root)
        bad = sorted(n for n in names if not URL_SAFE.match(n) or n in RESERVED)
        flagged = sorted(re.search(r"乡镇文件夹名“(.*)”不能用作网址", d.message).group(1)
                         for d in diags if d.code == "county.town_slug")
        assert flagged == bad
        if names and not bad:
            assert config is not None and list(config.towns) == sorted(names)
        else:
            assert config is None
            assert all(d.path.endswith("county.yaml") or "/towns/" in "/" + d.path for d in diags)
        shutil.rmtree(root / "towns", ignore_errors=True)


def test_every_mistake_of_county_yaml_at_once(tmp_path: Path) -> None:
    (tmp_path / "county.yaml").write_text("name: 全州县\ntowns: [a, a, b]\nbase_url: ftp://x\nportal:\n  name: 门户\n", encoding="utf-8")
    config, diags = load_county(tmp_path)
    assert config is None
    shown = [d.text().split("county.yaml", 1)[1] for d in sorted(diags)]
    assert shown == [
        ":3:11: 错误: “base_url”（专区网址）：网址应以 http:// 或 https:// 开头，例如 https://www.quanzhou.gov.cn/",
        ":5:3: 错误: 缺少必填字段“identity”（门户网站标识）（请添加一行 identity: …；门户网站的主办单位、网站标识码、备案号（显示在页脚））",
        ":5:3: 错误: 缺少必填字段“url”（门户网站地址）（请添加一行 url: …；例如：https://www.quanzhou.gov.cn/）",
    ]
    (tmp_path / "county.yaml").write_text("name: 全州县\ntowns: [a, a, b]\n", encoding="utf-8")
    (tmp_path / "towns" / "a").mkdir(parents=True)
    (tmp_path / "towns" / "a" / "site.yaml").write_text("name: x\n", encoding="utf-8")
    config, diags = load_county(tmp_path)
    assert config is None
    assert [d.text().split("county.yaml", 1)[1] for d in sorted(diags)] == [
        ":2:12: 错误: 乡镇“a”在 towns 中重复出现（每个乡镇只写一次）",
        ":2:15: 错误: 找不到乡镇文件夹 towns/b/（请创建 towns/b/（含 site.yaml 的完整内容目录），或从 towns 中删除这一项）",
    ]
