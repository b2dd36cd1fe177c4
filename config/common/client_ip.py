"""The client's address, in one place for everything that counts or logs per address: the admin's login
lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`), the refused-API-key throttle and the API access log.

`X-Forwarded-For` is only believed when the request comes from a trusted proxy (`TRUSTED_PROXIES`: addresses
or networks; empty by default, so the header is ignored and `REMOTE_ADDR` is the client). Anyone can send the
header: from an untrusted address it would let a guesser pick a new address for every try. From a trusted
proxy, the header is read from the right (the entry the proxy appended) to the left, skipping entries that
are trusted proxies themselves; the first other entry is the client. Entries further left were written by
the client and are never used. An entry that is not an address ends the walk (the last good one is used).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["client_ip"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network.") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: `REMOTE_ADDR`, or from `X-Forwarded-For` when a trusted proxy sent the request."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    trusted = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))

    def is_trusted(address) -> bool:
        return any(address in network for network in trusted)

    client = remote
    if is_trusted(remote):
        for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop = _address(entry)
            if hop is None:
                break
            client = hop
            if not is_trusted(hop):
                break
    return str(client)
