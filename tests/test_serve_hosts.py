"""`gongkai serve` answers only requests addressed to itself: any other Host header (a DNS
rebinding page, `Host: evil.example`) gets 421 and a short Chinese text, and no content."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_serve import serving

from gongkai.serve.hosts import allowed_hosts, host_allowed


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[callable]:  # type: ignore[valid-type]
    yield from serving(tmp_path)


def raw_get(url: str, path: str, host: str | None) -> tuple[int, str]:
    """A request with exactly this Host header (None: no Host header at all)."""
    conn = http.client.HTTPConnection(url.split("//", 1)[1].rstrip("/"), timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8")
    finally:
        conn.close()


def test_foreign_host_is_refused_with_421(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    port = int(s.url.rstrip("/").rsplit(":", 1)[1])
    refusal = f"421 主机名不符：本预览服务只回应本机地址（如 http://127.0.0.1:{port}/）的请求"
    for path in ("/documents/2026/dibao.html", "/_gongkai/status", "/_gongkai/events"):
        assert raw_get(s.url, path, "evil.example") == (421, refusal)
        assert raw_get(s.url, path, f"evil.example:{port}") == (421, refusal)
    assert raw_get(s.url, "/", None) == (421, refusal)
    assert raw_get(s.url, "/", f"127.0.0.1:{port + 1}") == (421, refusal)
    for own in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost.:{port}", f"[::1]:{port}"):
        code, page = raw_get(s.url, "/documents/2026/dibao.html", own)
        assert code == 200 and "关于做好低保工作的通知" in page


def test_loopback_server_accepts_its_own_names_only() -> None:
    allowed = allowed_hosts("127.0.0.1", 8000)
    assert allowed == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert not host_allowed("localhost", allowed)  # port 80 is not ours
    assert host_allowed("localhost", allowed_hosts("127.0.0.1", 80))


def test_any_address_adds_the_machines_own_addresses() -> None:
    import socket

    allowed = allowed_hosts("0.0.0.0", 8000)
    assert {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"} <= allowed
    assert f"{socket.gethostname().lower()}:8000" in allowed
    assert not host_allowed("evil.example:8000", allowed)


def test_lan_address_binding() -> None:
    allowed = allowed_hosts("192.168.1.20", 8000)
    assert host_allowed("192.168.1.20:8000", allowed) and host_allowed("localhost:8000", allowed)
    assert not host_allowed("192.168.1.21:8000", allowed)


@given(st.from_regex(r"[a-z0-9.-]{1,30}(:[0-9]{1,5})?", fullmatch=True))
def test_no_other_name_is_accepted(host: str) -> None:
    allowed = allowed_hosts("127.0.0.1", 8000)
    assert host_allowed(host, allowed) is (host.replace(".:", ":", 1) in allowed)  # one trailing dot: same name
