"""The addresses other devices on the network reach this machine by (`gongkai serve --host 0.0.0.0`).

Found from the host name's own address records: nothing is sent anywhere.
"""

from __future__ import annotations

import ipaddress
import socket


def lan_addresses(host_name: str | None = None) -> list[str]:
    """Non-loopback IPv4 addresses of this machine, sorted; empty when none is known."""
    try:
        infos = socket.getaddrinfo(host_name or socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    found = {info[4][0] for info in infos}
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback and not ipaddress.ip_address(a).is_unspecified)


def preview_urls(host: str, port: int, path: str = "/") -> list[str]:
    """What to print for a bind address: itself, or for 0.0.0.0 / :: every LAN address."""
    if host in ("0.0.0.0", "::", ""):
        return [f"http://{a}:{port}{path}" for a in lan_addresses()]
    return []
