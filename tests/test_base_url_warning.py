"""Issue 21: without a base URL, the QR codes of the print pages hold a path inside the site that
a phone cannot open — `gongkai build` (which makes those pages) warns at site.yaml; a `base_url`
in site.yaml or `--base-url` withdraws it; the example town has its (example) address, so its
build keeps the single deliberate warning."""

from __future__ import annotations

from pathlib import Path

from sitekit import SITE_YAML, make_site, run_cli

TODAY = "2026-11-26"
REPO = Path(__file__).resolve().parent.parent


def warning_line(count: int) -> str:
    return (f"content/site.yaml:1:1: 警告: 没有设置网站正式网址（base_url）：{count} 个公示栏打印页和海报上的二维码只能写站内路径，"
            "手机扫码无法打开（请在 site.yaml 中填写 base_url（网站发布后的网址，例如县政府门户网站上本镇栏目的地址 "
            "https://www.example.gov.cn/yongsui/），或生成时用 --base-url 指定）")


def problems(stderr: str) -> list[str]:
    """stderr without the progress lines (one per stage, `…`)."""
    return [ln for ln in stderr.splitlines() if not ln.endswith("…")]


def test_build_warns_without_base_url(tmp_path: Path) -> None:
    make_site(tmp_path)  # two villages: a print and a poster each
    built = run_cli("build", "--today", TODAY, "-j", "1", cwd=tmp_path)
    assert built.returncode == 0
    assert problems(built.stderr) == [warning_line(4), "共 0 个错误，1 个警告。"]
    assert "警告 1 个。" in built.stdout
    prints = list((tmp_path / "site" / "print").rglob("*.html"))
    assert len(prints) == 4 and all("本站尚未设置正式网址" in p.read_text(encoding="utf-8") for p in prints)


def test_a_base_url_in_site_yaml_or_on_the_command_line_withdraws_it(tmp_path: Path) -> None:
    make_site(tmp_path)
    proc = run_cli("build", "-j", "1", "--base-url", "https://www.example.org/ys/", "--today", TODAY, cwd=tmp_path)
    assert proc.returncode == 0 and problems(proc.stderr) == [], proc.stderr
    make_site(tmp_path, {"site.yaml": SITE_YAML + "base_url: https://www.example.org/ys/\n"})
    proc = run_cli("build", "-j", "1", "--today", TODAY, cwd=tmp_path)
    assert proc.returncode == 0 and problems(proc.stderr) == [], proc.stderr


def test_no_print_pages_no_warning(tmp_path: Path) -> None:
    make_site(tmp_path, {"villages/jingtou.yaml": None, "villages/mudao.yaml": None})
    proc = run_cli("build", "-j", "1", "--today", TODAY, cwd=tmp_path)
    assert proc.returncode == 0 and "base_url" not in proc.stderr, proc.stderr


def test_the_example_town_has_an_example_address_and_one_warning(tmp_path: Path) -> None:
    proc = run_cli("build", "--content", str(REPO / "content"), "--out", str(tmp_path / "site"), "-j", "1",
                   "--today", TODAY, cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stderr.splitlines()[-1] == "共 0 个错误，1 个警告。"
    assert "自查逾期" in proc.stderr and "base_url" not in proc.stderr
    site_yaml = (REPO / "content" / "site.yaml").read_text(encoding="utf-8")
    assert "base_url: https://www.quanzhou.example/yongsui/" in site_yaml  # .example: reserved, not a real site
