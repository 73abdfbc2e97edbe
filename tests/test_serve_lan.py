"""`gongkai serve --host 0.0.0.0` prints the LAN addresses and a QR code a phone can scan off the
terminal (issue 21)."""

from __future__ import annotations

import zxingcpp

from gongkai.reach.qr import terminal_text
from gongkai.serve import lan

SCALE = 4
# light modules are blocks (a dark terminal shows them light): top half, bottom half
GLYPHS = {"█": (False, False), "▀": (False, True), "▄": (True, False), " ": (True, True)}


def decode_terminal(text: str) -> list[str]:
    rows: list[list[bool]] = []
    for line in text.split("\n"):
        top, bottom = zip(*(GLYPHS[ch] for ch in line), strict=True)
        rows += [list(top), list(bottom)]
    width, height = len(rows[0]), len(rows)
    pixels = bytes(b for row in rows for _ in range(SCALE) for dark in row for b in [0 if dark else 255] * SCALE)
    view = zxingcpp.ImageView(pixels, width * SCALE, height * SCALE, zxingcpp.ImageFormat.Lum)
    return [b.text for b in zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_terminal_qr_code_decodes_to_the_preview_url() -> None:
    for url in ("http://192.168.1.23:8000/", "http://10.0.0.7:18080/index.html"):
        assert decode_terminal(terminal_text(url)) == [url]


def test_preview_urls_list_every_lan_address_for_all_interfaces(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(lan, "lan_addresses", lambda host_name=None: ["192.168.1.23", "10.0.0.7"])
    assert lan.preview_urls("0.0.0.0", 8000) == ["http://192.168.1.23:8000/", "http://10.0.0.7:8000/"]
    assert lan.preview_urls("127.0.0.1", 8000) == []


def test_lan_addresses_leave_out_loopback(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    infos = [(2, 1, 6, "", ("127.0.1.1", 0)), (2, 1, 6, "", ("192.168.1.23", 0)), (2, 1, 6, "", ("192.168.1.23", 0))]
    monkeypatch.setattr(lan.socket, "getaddrinfo", lambda *a, **k: infos)
    assert lan.lan_addresses("pc") == ["192.168.1.23"]
