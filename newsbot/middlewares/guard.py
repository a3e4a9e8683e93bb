"""The private-address guard: newsbot fetches only the public web unless told otherwise.

A crawler that follows links, redirects and URLs from sources it does not control can
be steered at the machine it runs on (``http://localhost:6379/``), the cloud metadata
service (``http://169.254.169.254/``) or the office network. This downloader middleware
refuses, before any byte is sent:

- any scheme but ``http`` and ``https``;
- hosts that resolve to a loopback, private, link-local, multicast, reserved or
  otherwise non-global address. The host is resolved here, so a name that points at
  ``127.0.0.1`` is caught as surely as the literal address; redirected requests come
  back through the middleware and are checked in turn.

As a second line against DNS rebinding (a name that resolves to a public address for
the check and to a private one for the fetch), a response whose peer address is not
allowed is dropped as well, before a redirect in it is followed.

Opt in to private addresses with the spider attribute ``allow_private`` (a source's
``allow_private = true``), or for a whole run with ``NEWSBOT_ALLOW_PRIVATE_ADDRESSES``.
``NEWSBOT_ALLOWED_NETWORKS`` lists addresses or networks (CIDR) allowed even so, e.g. a
single intranet host, without opening every private range.

Settings: ``NEWSBOT_GUARD_ENABLED`` (default True), ``NEWSBOT_ALLOW_PRIVATE_ADDRESSES``
(default False), ``NEWSBOT_ALLOWED_NETWORKS`` (default ``[]``).
Stats: ``newsbot/guard/refused/<reason>`` with reason ``scheme``, ``private_address``,
``unresolvable`` or ``private_peer``.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from newsbot import defaults

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]

ALLOWED_SCHEMES = ("http", "https")


class RefusedAddress(IgnoreRequest):
    """The request was refused by the private-address guard."""


def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


DNS_CACHE_SECONDS = 60.0
DNS_CACHE_SIZE = 10_000


async def resolve_host(host: str, port: int) -> list[str]:
    """All addresses *host* resolves to, looked up in a thread: getaddrinfo blocks,
    and the event loop must not."""
    result: list[str] = await maybe_deferred_to_future(deferToThread(_getaddrinfo, host, port))
    return result


def parse_ip(value: str) -> IPAddress | None:
    """*value* as an IP address (IPv4-mapped IPv6 unwrapped), or None."""
    try:
        ip = ipaddress.ip_address(value.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_public(ip: IPAddress) -> bool:
    """Whether *ip* is on the public internet: not loopback, private, link-local,
    multicast, reserved, unspecified, shared (CGNAT) or documentation space."""
    return ip.is_global and not ip.is_multicast


def parse_networks(values: Iterable[str]) -> list[IPNetwork]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(
                f"NEWSBOT_ALLOWED_NETWORKS: {value!r} is not an address or network"
            ) from exc
    return networks


class PrivateAddressGuard:
    """Downloader middleware refusing requests to non-public addresses and odd schemes."""

    def __init__(
        self,
        crawler: Crawler,
        *,
        allow_private: bool = False,
        allowed_networks: Iterable[str] = (),
        resolver: Resolver = resolve_host,
    ):
        self.crawler = crawler
        self.allow_private = allow_private
        self._dns_cache: dict[tuple[str, int], tuple[float, list[str]]] = {}
        self.allowed_networks = parse_networks(allowed_networks)
        self.resolver = resolver

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressGuard:
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_GUARD_ENABLED", defaults.NEWSBOT_GUARD_ENABLED):
            raise NotConfigured("NEWSBOT_GUARD_ENABLED is off")
        return cls(
            crawler,
            allow_private=settings.getbool("NEWSBOT_ALLOW_PRIVATE_ADDRESSES"),
            allowed_networks=settings.getlist("NEWSBOT_ALLOWED_NETWORKS"),
        )

    def _private_allowed(self) -> bool:
        if self.allow_private:
            return True
        spider: Spider | None = self.crawler.spider
        return bool(getattr(spider, "allow_private", False))

    def allowed(self, ip: IPAddress) -> bool:
        """Whether the guard lets a request reach *ip*."""
        return is_public(ip) or any(ip in net for net in self.allowed_networks)

    def _refuse(self, request: Request, reason: str, detail: str) -> RefusedAddress:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newsbot/guard/refused/{reason}")
        hint = (
            ""
            if reason == "scheme"
            else " (to crawl private addresses: -a allow_private=1, allow_private = true "
            "on the source, or -s NEWSBOT_ALLOW_PRIVATE_ADDRESSES=1)"
        )
        logger.warning("Refused %s: %s%s", request.url, detail, hint)
        return RefusedAddress(f"refused {request.url}: {detail}")

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            # Never configurable: file:, ftp:, data: and friends are no news source.
            raise self._refuse(request, "scheme", f"scheme {scheme!r} is not http or https")
        if self._private_allowed():
            return
        host = parts.hostname or ""
        literal = parse_ip(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                port = parts.port or (443 if scheme == "https" else 80)
            except ValueError:
                port = 80
            try:
                resolved = await self._resolve(host, port)
            except (OSError, UnicodeError) as exc:
                # Unresolvable: let the download fail as usual (retried, logged once),
                # there is nothing to fetch either way.
                logger.debug("could not resolve %s: %s", host, exc)
                return
            addresses = [ip for ip in map(parse_ip, resolved) if ip is not None]
        for ip in addresses:
            # Any one private address is enough: the connector may pick any of them.
            if not self.allowed(ip):
                raise self._refuse(
                    request,
                    "private_address",
                    f"{host or '(no host)'} is {ip}, not a public address",
                )

    async def _resolve(self, host: str, port: int) -> list[str]:
        """The host's addresses, remembered for ``DNS_CACHE_SECONDS``: a crawl asks for
        the same few hosts thousands of times. (The address that actually answers is
        checked again in :meth:`process_response`, so a stale answer cannot let a
        rebinding host through.)"""
        now = time.monotonic()
        cached = self._dns_cache.get((host, port))
        if cached is not None and cached[0] > now:
            return cached[1]
        resolved = await self.resolver(host, port)
        if len(self._dns_cache) >= DNS_CACHE_SIZE:
            self._dns_cache.clear()
        self._dns_cache[(host, port)] = (now + DNS_CACHE_SECONDS, resolved)
        return resolved

    def process_response(self, request: Request, response: Response) -> Response:
        if self._private_allowed() or response.ip_address is None:
            return response
        ip = parse_ip(str(response.ip_address))
        if ip is not None and not self.allowed(ip):
            raise self._refuse(
                request, "private_peer", f"the server answered from {ip}, not a public address"
            )
        return response
