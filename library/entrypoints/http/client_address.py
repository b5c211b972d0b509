"""Which client a request comes from, for its rate budget: the peer, or what trusted proxies say.

The socket's peer is the client unless it is one of LIBRARY_TRUSTED_PROXIES; then the client
is the right-most `X-Forwarded-For` hop that is not a trusted proxy (hops to its left were
written by the client itself and cannot be believed). IPv6 clients are grouped by /64: one
host is usually given a whole /64, and counting single addresses would give it 2^64 budgets.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

log = logging.getLogger("library.access")

UNKNOWN = "unknown"


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port, as some proxies write it
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _group(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


MAX_REMEMBERED = 4096


class ClientAddresses:
    """Name the client of a request (`addr:<address>`) from its peer and `X-Forwarded-For`.

    Parsing addresses costs microseconds and the same few peers and proxy chains come back
    request after request, so answers are remembered (a bounded number of them).
    """

    def __init__(self, trusted_proxies: Sequence[Network]) -> None:
        self._trusted = tuple(trusted_proxies)
        self._warned = False
        self._known: dict[tuple[str | None, str | None], str] = {}

    def _is_trusted(self, address: Address) -> bool:
        return any(address in network for network in self._trusted)

    def client(self, peer: str | None, forwarded_for: str | None) -> str:
        """`addr:` and the client's address (an IPv6 /64 for IPv6 clients), or `addr:unknown`."""
        key = (peer, forwarded_for)
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= MAX_REMEMBERED:
                self._known.clear()
            known = self._known[key] = "addr:" + self.address(peer, forwarded_for)
        return known

    def address(self, peer: str | None, forwarded_for: str | None) -> str:
        """The client's address (an IPv6 /64 for IPv6 clients), or `unknown`."""
        peer_address = None if peer is None else _address(peer)
        if peer_address is None:
            return UNKNOWN
        if forwarded_for is None:
            return _group(peer_address)
        if not self._is_trusted(peer_address):
            self._warn_untrusted(peer_address)
            return _group(peer_address)
        for hop in reversed(forwarded_for.split(",")):
            address = _address(hop)
            if address is None:  # garbage written by someone: stop believing the chain here
                return _group(peer_address)
            if not self._is_trusted(address):
                return _group(address)
            peer_address = address
        return _group(peer_address)  # every hop is a proxy of ours: the left-most one

    def _warn_untrusted(self, peer: Address) -> None:
        if self._warned:
            return
        self._warned = True
        log.warning(
            "requests from %s carry X-Forwarded-For, but it is not a trusted proxy: each client"
            " is counted by the peer address, so every client behind that proxy shares one"
            " rate budget. If it is your proxy, list it in LIBRARY_TRUSTED_PROXIES.",
            peer,
        )
