"""Which Host headers the preview answers: only its own addresses (DNS rebinding defence).

A web page on another site can make the browser send requests to 127.0.0.1 under its own host
name (rebinding `evil.example` to 127.0.0.1) and read the answers, unpublished drafts included.
The browser still sends `Host: evil.example`, so anything but our own address is refused.
"""

from __future__ import annotations

import socket

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def _lan_addresses() -> set[str]:
    """The machine's own addresses (for `--host 0.0.0.0`): its host name's and the outgoing one."""
    found: set[str] = set()
    name = socket.gethostname()
    found.add(name.lower())
    try:
        found.update(str(info[4][0]) for info in socket.getaddrinfo(name, None))
    except OSError:
        pass
    try:  # a UDP "connect" sends nothing; it only picks the interface of the default route
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    return found


def allowed_hosts(bound: str, port: int) -> frozenset[str]:
    """Every accepted Host value (lower case) for a server bound to `bound`:`port`."""
    names = set(LOOPBACK_NAMES)
    if bound in ANY_ADDRESS:
        names |= _lan_addresses()
    else:
        names.add(bound.lower())
    out = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out.add(f"{shown}:{port}")
        if port == 80:
            out.add(shown)
    return frozenset(out)


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's Host header names this server (a trailing dot is the same name)."""
    if not header:
        return False
    host = header.strip().lower()
    name, sep, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if sep and name.endswith("."):
        host = f"{name[:-1]}:{port}"
    elif not sep and host.endswith("."):
        host = host[:-1]
    return host in allowed
