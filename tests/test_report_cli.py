"""`gongkai report ...` as a user runs it: outputs, exit codes, refusing to write into site/."""

from __future__ import annotations

from pathlib import Path

from sitekit import doc, make_site, run_cli

TODAY = "2026-11-26"
WITHHELD = doc(
    "党委会议纪要",
    attribute="不予公开",
    reason="讨论记录",
    legal_basis="过程性信息",
    kind="纪要",
    created="2024-11-20",
    published=None,
)


def setup(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    make_site(tmp_path, {"documents/2024/minutes.md": WITHHELD, **(extra or {})})
    return tmp_path


def test_register_writes_three_files_under_reports(tmp_path: Path) -> None:
    result = run_cli("report", "register", "--today", TODAY, cwd=setup(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "已写入 reports/register.csv",
        "已写入 reports/register.html",
        "已写入 reports/register.xlsx",
    ]
    assert "（内容有 1 个警告，运行 gongkai check 查看）" in result.stderr  # the overdue review
    assert "党委会议纪要" in (tmp_path / "reports/register.html").read_text(encoding="utf-8")
    assert not (tmp_path / "site").exists()


def test_each_report_kind(tmp_path: Path) -> None:
    setup(tmp_path)
    out = tmp_path / "out"
    for args, names in [
        (("review",), ["review.csv", "review.html", "review.md"]),
        (("annual",), ["annual-2025.md", "annual-2025.xlsx"]),  # default: the previous year
        (("annual", "--year", "2024"), ["annual-2024.md", "annual-2024.xlsx"]),
        (("catalog",), ["catalog.xlsx"]),
        (("catalog", "--format", "csv"), ["catalog-shjz.csv"]),
    ]:
        result = run_cli("report", *args, "--out", "out", "--today", TODAY, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        for name in names:
            assert (out / name).is_file(), name


def test_out_inside_the_site_output_is_refused(tmp_path: Path) -> None:
    setup(tmp_path)
    for out, site_args in [("site", ()), ("site/reports", ()), ("public/r", ("--site", "public"))]:
        result = run_cli(
            "report", "register", "--out", out, *site_args, "--today", TODAY, cwd=tmp_path
        )
        assert result.returncode == 2
        assert "位于网站输出目录" in result.stderr
        assert (
            "报告含不予公开信息，不能放进网站；请用 --out 指定网站之外的目录（默认 reports）"
            in result.stderr
        )
        assert not (tmp_path / out).exists()


def test_out_inside_content_is_refused(tmp_path: Path) -> None:
    result = run_cli(
        "report", "register", "--out", "content/reports", "--today", TODAY, cwd=setup(tmp_path)
    )
    assert result.returncode == 2
    assert "gongkai: 用法错误：报告目录 content/reports 位于内容目录 content 之内" in result.stderr
    assert not (tmp_path / "content/reports").exists()


def test_content_errors_exit_1_without_writing(tmp_path: Path) -> None:
    bad = doc("缺理由", attribute="不予公开", published=None, legal_basis="过程性信息")
    result = run_cli(
        "report", "register", "--today", TODAY, cwd=setup(tmp_path, {"documents/2024/bad.md": bad})
    )
    assert result.returncode == 1
    assert "content/documents/2024/bad.md:" in result.stderr
    assert "不予公开的文件必须填写 reason" in result.stderr
    assert "内容有错误，未生成报告" in result.stderr
    assert not (tmp_path / "reports").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    setup(tmp_path)
    assert run_cli("report", cwd=tmp_path).returncode == 2
    assert run_cli("report", "catalog", "--format", "pdf", cwd=tmp_path).returncode == 2
    assert run_cli("report", "annual", "--year", "abc", cwd=tmp_path).returncode == 2
    result = run_cli("report", "annual", "--year", "20", cwd=tmp_path)
    assert result.returncode == 2 and "年份 20 不正确" in result.stderr


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    setup(tmp_path)
    outputs = []
    for out in ("a", "b"):
        for kind in (("register",), ("review",), ("annual",), ("catalog",)):
            assert (
                run_cli("report", *kind, "--out", out, "--today", TODAY, cwd=tmp_path).returncode
                == 0
            )
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / out).iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 10
