"""`gongkai report supervision`: per township the findings of the ordinary rules, staleness,
empty areas and villages behind, as HTML and XLSX (tests/countykit.py builds the county)."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from countykit import REPO, TODAY, make

from gongkai.validate import check_content


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("sup") / "repo")


def report(root: Path, out: Path, today=TODAY) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def,type-arg]
    env = {"PYTHONPATH": str(REPO), "GONGKAI_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(out.parent)}
    return subprocess.run([sys.executable, "-m", "gongkai", "report", "supervision", "--out", str(out), "--today", today.isoformat()],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)


def sheet_rows(path: Path, name: str) -> list[tuple]:  # type: ignore[type-arg]
    wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    rows = []
    for r in wb[name].iter_rows(min_row=3, values_only=True):
        if all(v is None for v in r):
            break  # the table ends; a note may follow
        rows.append(tuple(r))
    return rows


def test_counts_are_the_findings_of_gongkai_check(county: Path, tmp_path: Path) -> None:
    run = report(county, tmp_path / "reports")
    assert run.returncode == 0, run.stderr
    rows = {r[0]: r for r in sheet_rows(tmp_path / "reports/supervision.xlsx", "汇总")}
    assert set(rows) == {"永岁镇", "青溪镇"}
    details = sheet_rows(tmp_path / "reports/supervision.xlsx", "问题明细")
    for slug, name in (("yongsui", "永岁镇"), ("qingxi", "青溪镇")):
        site, diags = check_content(county / "towns" / slug, TODAY)
        codes = [d.code for d in diags.warnings]
        assert rows[name][2:5] == (codes.count("governance.missing"), codes.count("governance.late"),
                                   codes.count("governance.review_overdue"))
        assert rows[name][1] == len(site.public_documents)
        assert rows[name][5] == "未建立申请登记，无法统计"
        mine = [d for d in details if d[0] == name]
        assert len(mine) == sum(rows[name][2:5])
    assert rows["永岁镇"][4] == 1  # the example town's deliberate 自查逾期
    finding = next(d for d in details if d[0] == "永岁镇")
    assert finding[1] == "自查逾期" and finding[2].endswith("towns/yongsui/documents/2023/jiguan-kaoqin-tongbao-2023.md")
    html = (tmp_path / "reports/supervision.html").read_text(encoding="utf-8")
    assert "<h1>全州县基层政务公开督查报告</h1>" in html and "内部资料" in html
    assert "依申请公开的申请不在 gongkai 的内容中登记" in html


def test_stale_townships_and_villages_behind_are_flagged(county: Path, tmp_path: Path) -> None:
    site, _ = check_content(county / "towns" / "qingxi", TODAY)
    from gongkai.site import doc_date

    newest = max(doc_date(d.model) for d in site.public_documents.values())
    for offset, flagged in ((13, False), (14, True)):
        out = tmp_path / f"r{offset}"
        assert report(county, out, newest + timedelta(days=offset)).returncode == 0
        row = next(r for r in sheet_rows(out / "supervision.xlsx", "汇总") if r[0] == "青溪镇")
        assert row[7] == f"{newest.isoformat()}（{offset} 天）"
        assert ("超过 14 天未更新" in row[9]) is flagged
    villages = sheet_rows(tmp_path / "r14/supervision.xlsx", "村务公开")
    for _, name, last in villages:
        slug = next(s for s, v in site.villages.items() if v.model.name == name)
        ids = site.documents_by_village.get(slug, [])
        assert last == (doc_date(site.documents[ids[0]].model).isoformat() if ids else "从未")
    behind = {name for town, name, _ in villages if town == "青溪镇"}
    for slug, v in site.villages.items():
        ids = site.documents_by_village.get(slug, [])
        recent = bool(ids) and (newest + timedelta(days=14) - doc_date(site.documents[ids[0]].model)).days <= 92
        assert (v.model.name in behind) is not recent


def test_same_input_same_bytes_and_not_into_a_town(county: Path, tmp_path: Path) -> None:
    assert report(county, tmp_path / "a").returncode == 0
    assert report(county, tmp_path / "b").returncode == 0
    for name in ("supervision.html", "supervision.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    run = report(county, county / "towns" / "qingxi" / "reports")
    assert run.returncode == 2 and "位于乡镇内容目录之内" in run.stderr


def test_a_town_with_errors_is_reported_not_hidden(tmp_path: Path) -> None:
    root = make(tmp_path / "repo")
    site = root / "towns" / "qingxi" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("org_code:", "org_code: 坏\nxorg_code:", 1), encoding="utf-8")
    assert report(root, tmp_path / "r").returncode == 0
    row = next(r for r in sheet_rows(tmp_path / "r/supervision.xlsx", "汇总") if r[0] == "qingxi")
    assert row[9].startswith("内容有 ") and "个错误，无法生成" in row[9]
