"""`gongkai lsp` driven over stdio as an editor does: the diagnostics are `gongkai check`'s, with
the same Chinese text and positions, for `.md` front matter as it is typed; completion and hover."""

from __future__ import annotations

from pathlib import Path

import pytest
from lspkit import Client
from sitekit import make_site, run_cli

TODAY = "2026-12-01"
FRONT = "---\ntitle: 关于做好低保工作的通知\nattribute: 主动公开\nitem: shjz-dibao\ncreated: {created}\npublished: 2026-03-05\nkind: 通知\n{summary}\n---\n正文。\n"
COLON = FRONT.format(created="2026-03-02", summary="summary：本月低保名单")
BAD_DATE = FRONT.format(created="2026-13-01", summary="summary: 本月低保名单")
GOOD = FRONT.format(created="2026-03-02", summary="summary: 本月低保名单")


@pytest.fixture
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    make_site(tmp_path)
    c = Client(tmp_path, "--today", TODAY)
    c.initialize(tmp_path)
    yield c
    c.close()


def check_lines(tmp_path: Path, rel: str, text: str) -> list[str]:
    """What `gongkai check` prints for `text` saved as `rel` (the reference the server must match)."""
    path = tmp_path / "content" / rel
    path.write_text(text, encoding="utf-8")
    out = run_cli("check", "--today", TODAY, cwd=tmp_path).stderr.splitlines()[:-1]
    path.unlink()
    return out


def open_doc(client: Client, uri: str, text: str) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})


def change(client: Client, uri: str, version: int, text: str) -> None:
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})


def test_diagnostics_follow_typing_in_front_matter(client: Client, tmp_path: Path) -> None:
    """An unsaved .md file: full-width colon, then a bad date, then clean — as check reports them."""
    file = tmp_path / "content" / "documents" / "2026" / "new.md"
    uri = file.as_uri()
    expected_colon = check_lines(tmp_path, "documents/2026/new.md", COLON)
    expected_date = check_lines(tmp_path, "documents/2026/new.md", BAD_DATE)
    assert expected_colon == [(
        "content/documents/2026/new.md:8:8: 错误: “summary”后面使用了全角冒号“：”"
        "（请改成半角冒号加空格，例如 summary: …；输入冒号前先切换到英文输入法）"
    )]
    assert len(expected_date) == 1 and expected_date[0].startswith("content/documents/2026/new.md:5:10: 错误: ")

    file.write_text(GOOD, encoding="utf-8")  # on disk: clean; the editor's text is what counts
    open_doc(client, uri, COLON)
    [diag] = client.diagnostics(uri)
    assert diag["message"] == expected_colon[0].split(": 错误: ", 1)[1]
    assert diag["severity"] == 1 and diag["source"] == "gongkai"
    assert diag["range"] == {"start": {"line": 7, "character": 7}, "end": {"line": 7, "character": 14}}

    change(client, uri, 2, BAD_DATE)
    [diag] = client.diagnostics(uri)
    assert diag["message"] == expected_date[0].split(": 错误: ", 1)[1]
    assert "2026-13-01" in diag["message"]
    assert diag["range"]["start"] == {"line": 4, "character": 9}
    assert diag["range"]["end"] == {"line": 4, "character": 19}

    change(client, uri, 3, GOOD)
    assert client.diagnostics(uri) == []


def test_diagnostics_of_other_files_and_yaml(client: Client, tmp_path: Path) -> None:
    """Editing a village file reports there; a document that cites a now-missing village reports too."""
    village = tmp_path / "content" / "villages" / "jingtou.yaml"
    uri = village.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": "name: 井头村\ncommittee: 井头村民委员会\nsample: 也许\n"}})
    [diag] = client.diagnostics(uri)
    expected = check_lines(tmp_path, "villages/zz.yaml", "name: 井头村\ncommittee: 井头村民委员会\nsample: 也许\n")
    start = diag["range"]["start"]
    assert [line.replace("villages/zz.yaml", "villages/jingtou.yaml") for line in expected] == [
        f"content/villages/jingtou.yaml:{start['line'] + 1}:{start['character'] + 1}: 错误: {diag['message']}"
    ]


def labels(result: dict) -> list[str]:  # type: ignore[type-arg]
    return [item["label"] for item in result["items"]]


def test_completion_of_keys_values_items_and_villages(client: Client, tmp_path: Path) -> None:
    file = tmp_path / "content" / "documents" / "2026" / "c.md"
    uri = file.as_uri()
    text = "---\ntitle: 标题\nkind: \nitem: \nvillages: \n  - \nvalid\n---\n"
    open_doc(client, uri, text)
    client.diagnostics(uri)

    def at(line: int, character: int) -> list[str]:
        return labels(client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                                 "position": {"line": line, "character": character}}))

    assert "通知" in at(2, 6) and "公示" in at(2, 6) and "制度" in at(2, 6)
    assert at(3, 6) == ["shjz-dibao", "shjz-guide"]
    assert at(4, 10) == ["jingtou", "mudao"]
    assert at(5, 4) == ["jingtou", "mudao"]
    keys = at(6, 5)
    assert "valid_until" in keys and "attribute" in keys and "title" not in keys  # title is already there
    assert at(8, 0) == []  # the body: nothing to complete


def test_hover_shows_field_title_and_choices(client: Client, tmp_path: Path) -> None:
    file = tmp_path / "content" / "documents" / "2026" / "dibao.md"
    uri = file.as_uri()
    text = file.read_text(encoding="utf-8")
    open_doc(client, uri, text)
    client.diagnostics(uri)
    row = text.split("\n").index("attribute: 主动公开")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": row, "character": 2}})
    value = hover["contents"]["value"]
    assert value.startswith("**公开属性**（`attribute`）")
    assert "可选值：主动公开、依申请公开、不予公开" in value
