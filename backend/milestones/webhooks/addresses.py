"""Which webhook URLs may be called.

`https` only, and never a private, loopback, link-local (cloud metadata included),
multicast, reserved or unspecified address, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true
(which also allows `http`). Checked when a webhook is saved (literal addresses and
local names) and again at every send on the addresses the name resolves to then, the
connection going to the address that was checked (no second lookup: DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

_NUMERIC = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
METADATA_NAMES = ("metadata.google.internal", "metadata")


class AddressRefused(ValueError):
    """The URL or the address it leads to may not be called."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written (for Host, SNI and the certificate check)
    port: int
    path: str  # path and query


def allow_private() -> bool:
    return bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE_NETWORKS"))


def parse(url: str) -> Target:
    """The URL's parts, or AddressRefused saying what is wrong with it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused("Not a valid URL.") from exc
    scheme = parts.scheme.lower()
    if scheme not in {"https", "http"} or not parts.hostname:
        raise AddressRefused("Must be an https URL with a host.")
    if scheme == "http" and not allow_private():
        raise AddressRefused("Must use https.")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("Must not carry a user name or password.")
    if parts.fragment:
        raise AddressRefused("Must not have a #fragment.")
    host = parts.hostname.rstrip(".").lower()
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def refused_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if address.is_private:
        return "a private network address"
    if address.is_multicast or address.is_reserved or address.is_unspecified:
        return "a reserved address"
    if not address.is_global:
        return "a non-public address"
    return None


def check_address(address: str) -> None:
    if allow_private():
        return
    reason = refused_reason(ipaddress.ip_address(address.split("%", 1)[0]))
    if reason:
        raise AddressRefused(
            f"Leads to {reason} ({address}); set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow."
        )


def _literal(host: str) -> str | None:
    """The address a host written as one stands for, short forms included ("127.1",
    "2130706433", "0x7f000001": what the system's resolver would make of them)."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if _NUMERIC.fullmatch(host):
        try:
            return str(ipaddress.IPv4Address(socket.inet_aton(host)))
        except OSError:
            return None
    return None


def check_url(url: str) -> Target:
    """What can be checked without DNS (when a webhook is saved)."""
    target = parse(url)
    literal = _literal(target.host)
    if literal is not None:
        check_address(literal)
    elif not allow_private() and (
        target.host in LOCAL_NAMES
        or target.host.endswith(".localhost")
        or target.host in METADATA_NAMES
    ):
        raise AddressRefused(f"Leads to a local name ({target.host}).")
    return target


def resolve(target: Target) -> str:
    """The address to connect to: the host's first, after checking every one it has."""
    literal = _literal(target.host)
    if literal is not None:
        check_address(literal)
        return literal
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise AddressRefused(f"Cannot resolve {target.host}: {exc}") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise AddressRefused(f"{target.host} has no address.")
    for address in addresses:
        check_address(address)
    return addresses[0]
