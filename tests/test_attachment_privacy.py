"""Attachments are scanned like the page: the text of CSV, TXT, XLSX, DOCX and PDF attachments
and every attachment's file name. A finding names the document, the attachment's line in the
front matter, and the row and column, cell, paragraph or page inside the attachment."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import Workbook
from sitekit import TODAY, doc, make_site, run_cli

from gongkai.loading.attachment_text import passages
from gongkai.validate import check_content

ID = "450324199001011230"
ID_MASKED = "4503**********1230"
MOBILE = "13812345678"
MOBILE_MASKED = "138****5678"
HINT = ("（公开的附件不得含有完整的身份证号、手机号、银行卡号，依据《政府信息公开条例》第十五条、"
        "《个人信息保护法》第二十八条；请在附件中改为遮盖形式（名单只写姓名、村组、人数、金额等）后重新附上）")
NAME_HINT = "（附件的文件名会显示在网站上并成为网址的一部分：请给文件改名，不要在文件名中写身份证号、手机号、银行卡号）"
DOC = "content/documents/2026/dibao.md"


def xlsx(rows: dict[str, object], sheet: str = "名单") -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for cell, value in rows.items():
        ws[cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(paragraphs: list[str], cells: list[list[str]]) -> bytes:
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=len(cells), cols=len(cells[0]))
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(pages: list[str]) -> bytes:
    """A real, minimal PDF with one line of (ASCII) text per page, xref offsets and all."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        page_no, content_no = len(objects) + 1, len(objects) + 2
        kids.append(f"{page_no} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_no} 0 R "
                       f"/Resources << /Font << /F1 {len(pages) * 2 + 3} 0 R >> >> >>")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def privacy_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes, **fields: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    text = doc(attachments=f"[{{file: attachments/2026/{name}, title: 名单}}]", **fields)
    content = make_site(tmp_path, {"documents/2026/dibao.md": text, f"attachments/2026/{name}": data})
    _, diags = check_content(content, TODAY)
    assert not [d for d in diags.errors if d.code != "governance.privacy"], [d.text() for d in diags.errors]
    return [d.text() for d in diags.sorted() if d.code == "governance.privacy"]


def finding(where: str, kind: str, masked: str) -> str:
    return f"{DOC}:8:15: 错误: 个人信息未遮盖：主动公开文件的{where}中有完整的{kind}，公开时应写作“{masked}”{HINT}"


def test_csv_beneficiary_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = f"户主,身份证号,金额\n张某,{ID[:6]}********{ID[-4:]},500\n李某,{ID},600\n".encode()
    assert privacy_errors(tmp_path, monkeypatch, "名单.csv", data) == [
        finding("附件“attachments/2026/名单.csv”第 3 行第 2 列", "身份证号", ID_MASKED)]


def test_csv_in_gb18030_with_a_grouped_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "户主,联系电话\n王某,138-1234-5678\n".encode("gb18030")
    assert privacy_errors(tmp_path, monkeypatch, "名单.csv", data) == [
        finding("附件“attachments/2026/名单.csv”第 2 行第 2 列", "手机号", "138-****-5678")]


def test_txt_full_width_digits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "申请说明\n\n联系人：赵某，电话：１３８１２３４５６７８\n".encode()
    assert privacy_errors(tmp_path, monkeypatch, "说明.txt", data) == [
        finding("附件“attachments/2026/说明.txt”第 3 行", "手机号", "１３８****５６７８")]


def test_xlsx_cell_text_and_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx({"A1": "户主", "B1": "身份证号", "C1": "电话", "B4": ID, "C2": int(MOBILE), "A5": "合计"})
    assert privacy_errors(tmp_path, monkeypatch, "名单.xlsx", data) == [
        finding("附件“attachments/2026/名单.xlsx”工作表“名单”的 B4 单元格", "身份证号", ID_MASKED),
        finding("附件“attachments/2026/名单.xlsx”工作表“名单”的 C2 单元格", "手机号", MOBILE_MASKED),
    ]


def test_docx_paragraph_and_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = docx(["关于低保对象的公示", f"如有异议请联系 {MOBILE}。"], [["户主", "身份证号"], ["张某", ID]])
    assert privacy_errors(tmp_path, monkeypatch, "公示.docx", data) == [
        finding("附件“attachments/2026/公示.docx”第 2 段", "手机号", MOBILE_MASKED),
        finding("附件“attachments/2026/公示.docx”表格 1 第 2 行第 2 列", "身份证号", ID_MASKED),
    ]


def test_pdf_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = pdf(["Notice page one", f"Tel {MOBILE}"])
    assert [p.where for p in passages(_saved(tmp_path, "a.pdf", data))] == ["第 1 页", "第 2 页"]
    assert privacy_errors(tmp_path, monkeypatch, "公示.pdf", data) == [
        finding("附件“attachments/2026/公示.pdf”第 2 页", "手机号", MOBILE_MASKED)]


def test_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"张某{MOBILE}.csv"
    assert privacy_errors(tmp_path, monkeypatch, name, "户主,金额\n张某,500\n".encode()) == [
        (f"{DOC}:8:15: 错误: 个人信息未遮盖：主动公开文件的附件文件名“attachments/2026/{name}”中有完整的手机号，"
        f"公开时应写作“{MOBILE_MASKED}”{NAME_HINT}")]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("名单.csv", f"户主,身份证号\n张某,{ID_MASKED}\n".encode()),
        ("名单.xlsx", xlsx({"A1": "户主", "B1": ID_MASKED, "C1": 500})),
        ("公示.docx", docx(["电话：0773-4800000"], [["张某", MOBILE_MASKED]])),
        ("公示.pdf", pdf([f"ID {ID_MASKED}"])),
    ],
    ids=["csv", "xlsx", "docx", "pdf"],  # generated bytes (zip times) must not name the tests: xdist workers compare
)
def test_masked_attachments_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes) -> None:
    assert privacy_errors(tmp_path, monkeypatch, name, data) == []


def test_attachments_of_documents_on_request_are_not_published_so_not_scanned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fields = {"attribute": "依申请公开", "published": None, "reason": "涉及第三方权益", "reviewed": "2026-03-02"}
    assert privacy_errors(tmp_path, monkeypatch, "名单.csv", f"张某,{ID}\n".encode(), **fields) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("坏.xlsx", b"PK\x03\x04" + b"\x00" * 40),
        ("坏.docx", _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"})),
        ("坏.pdf", b"%PDF-1.4\n" + b"\xff" * 200),
        ("坏.csv", b'a,"b\n' * 3),
    ],
    ids=["xlsx", "docx", "pdf", "csv"],
)
def test_broken_files_never_crash_the_reader(tmp_path: Path, name: str, data: bytes) -> None:
    assert isinstance(passages(_saved(tmp_path, name, data)), tuple)


def test_check_fails_with_exit_1(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/dibao.md": doc(attachments="[attachments/2026/名单.csv]"),
                         "attachments/2026/名单.csv": f"户主,身份证号\n张某,{ID}\n".encode()})
    proc = run_cli("build", "--today", "2026-11-26", "-q", cwd=tmp_path)
    assert proc.returncode == 1
    assert (proc.stdout + proc.stderr).splitlines()[0] == finding(
        "附件“attachments/2026/名单.csv”第 2 行第 2 列", "身份证号", ID_MASKED)
    assert not (tmp_path / "site").exists()


def _saved(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "raw" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_link_to_another_attachment_is_read_as_its_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site copies what a link inside attachments/ points at: the scan reads the same bytes."""
    import os

    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"documents/2026/dibao.md": doc(attachments="[attachments/2026/公开.csv]"),
                                   "attachments/2026/原始.csv": f"户主,身份证号\n张某,{ID}\n".encode()})
    os.symlink("原始.csv", content / "attachments/2026/公开.csv")
    _, diags = check_content(content, TODAY)
    assert [d.text() for d in diags.sorted() if d.code == "governance.privacy"] == [
        finding("附件“attachments/2026/公开.csv”第 2 行第 2 列", "身份证号", ID_MASKED)]
