"""Spider-trap limits: infinite calendars, session ids and query permutations end.

A site can offer an endless supply of distinct URLs for a finite set of pages: a
calendar with a "next month" link forever, a session id minted into every link, a
faceted search whose filters combine in any order. Scrapy's duplicate filter compares
URLs nearly as written, so each of those is new to it. This spider middleware sits on
every request a spider yields (start requests included) and:

1. drops a request whose canonical URL (:func:`newsbot.canonical_urls.canonicalize_url`:
   tracking parameters and session ids dropped, query sorted, fragment removed) was
   already requested in this run;
2. applies per-source limits, counted per host:

   - ``NEWSBOT_TRAP_MAX_QUERY_VARIANTS`` distinct query strings on one path;
   - ``NEWSBOT_TRAP_MAX_URLS_PER_PATTERN`` URLs whose path has the same shape once
     every run of digits is replaced by ``N`` (``/calendar/2031/07`` and
     ``/calendar/2031/08`` share ``/calendar/N/N``);
   - ``NEWSBOT_TRAP_MAX_DEPTH`` link hops from a start URL;
   - ``NEWSBOT_TRAP_MAX_REPEATED_SEGMENT`` occurrences of one path segment
     (``/a/b/a/b/a/b/``: relative links resolved against the wrong base);
   - ``NEWSBOT_TRAP_MAX_URL_LENGTH`` characters.

A dropped request is counted in ``newsbot/traps/<limit>`` (``duplicate``,
``query_variants``, ``path_pattern``, ``depth``, ``repeated_segment``,
``url_length``), and the first time a limit fires for a path the log says which, so
an operator can tell a trap from a limit set too low. A spider can set any limit
for its source with an attribute of the setting's name in lower case, without the
``NEWSBOT_`` prefix (``trap_max_depth = 5``). Requests with ``dont_filter`` are
exempt. Set a limit to 0 to switch it off; ``NEWSBOT_TRAPS_ENABLED`` switches the
whole middleware.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newsbot import defaults
from newsbot.canonical_urls import canonicalize_url

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"\d+")

LIMITS = {
    # setting name: default
    "NEWSBOT_TRAP_MAX_QUERY_VARIANTS": 50,
    "NEWSBOT_TRAP_MAX_URLS_PER_PATTERN": 2000,
    "NEWSBOT_TRAP_MAX_DEPTH": 20,
    "NEWSBOT_TRAP_MAX_REPEATED_SEGMENT": 3,
    "NEWSBOT_TRAP_MAX_URL_LENGTH": 2048,
}


def path_pattern(path: str) -> str:
    """The shape of a URL path: every run of digits replaced by ``N``."""
    return _DIGITS.sub("N", path)


@dataclass(slots=True)
class TrapLimits:
    """The limits of one spider's run (0: no limit)."""

    max_query_variants: int
    max_urls_per_pattern: int
    max_depth: int
    max_repeated_segment: int
    max_url_length: int


class TrapState:
    """What one run has requested so far, and which limits have fired."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.queries: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        self.patterns: Counter[tuple[str, str]] = Counter()
        self.reported: set[tuple[str, str]] = set()


class SpiderTrapMiddleware:
    """Spider middleware: drops requests that would lead a crawl round a trap."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.defaults = {
            name: crawler.settings.getint(name, default) for name, default in LIMITS.items()
        }
        self.state = TrapState()
        self._limits: TrapLimits | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SpiderTrapMiddleware:
        if not crawler.settings.getbool("NEWSBOT_TRAPS_ENABLED", defaults.NEWSBOT_TRAPS_ENABLED):
            raise NotConfigured("NEWSBOT_TRAPS_ENABLED is off")
        return cls(crawler)

    def limits(self) -> TrapLimits:
        """The limits in force: spider attributes over settings."""
        if self._limits is None:
            spider: Spider | None = self.crawler.spider

            def get(name: str) -> int:
                attribute = name.removeprefix("NEWSBOT_").lower()
                value = getattr(spider, attribute, None)
                return int(value) if value is not None else self.defaults[name]

            self._limits = TrapLimits(
                max_query_variants=get("NEWSBOT_TRAP_MAX_QUERY_VARIANTS"),
                max_urls_per_pattern=get("NEWSBOT_TRAP_MAX_URLS_PER_PATTERN"),
                max_depth=get("NEWSBOT_TRAP_MAX_DEPTH"),
                max_repeated_segment=get("NEWSBOT_TRAP_MAX_REPEATED_SEGMENT"),
                max_url_length=get("NEWSBOT_TRAP_MAX_URL_LENGTH"),
            )
        return self._limits

    def check(self, request: Request, depth: int, *, listed: bool = False) -> str | None:
        """The limit *request* would break, or None to let it through. Records the
        request as seen when it passes. A *listed* URL (a sitemap or feed entry, a URL
        the user gave) escapes the shape limits: a site that names 50,000 articles
        ``/news/<id>`` in its sitemap means them, while the same shape met by following
        links could be a trap."""
        limits = self.limits()
        url = request.url
        if limits.max_url_length and len(url) > limits.max_url_length:
            return "url_length"
        if limits.max_depth and depth > limits.max_depth:
            return "depth"
        canonical = canonicalize_url(url)
        if canonical in self.state.seen:
            return "duplicate"
        parts = urlsplit(canonical)
        host, path, query = parts.netloc, parts.path, parts.query
        if limits.max_repeated_segment:
            segments = Counter(s for s in path.split("/") if s)
            if segments and max(segments.values()) > limits.max_repeated_segment:
                return "repeated_segment"
        variants = self.state.queries[(host, path)]
        if (
            limits.max_query_variants
            and not listed
            and query
            and query not in variants
            and len(variants) >= limits.max_query_variants
        ):
            return "query_variants"
        if (
            limits.max_urls_per_pattern
            and not listed
            and self.state.patterns[(host, path_pattern(path))] >= limits.max_urls_per_pattern
        ):
            return "path_pattern"
        self.record(canonical)
        return None

    def record(self, canonical: str) -> None:
        """Count *canonical* as requested."""
        if canonical in self.state.seen:
            return
        parts = urlsplit(canonical)
        self.state.seen.add(canonical)
        if parts.query:
            self.state.queries[(parts.netloc, parts.path)].add(parts.query)
        self.state.patterns[(parts.netloc, path_pattern(parts.path))] += 1

    def _filter(self, request: Request, depth: int) -> bool:
        if request.dont_filter:
            # Never dropped (start URLs are dont_filter), but counted, so that a link
            # back to a start URL is known.
            self.record(canonicalize_url(request.url))
            return True
        limit = self.check(request, depth, listed=bool(request.meta.get("newsbot_listed")))
        if limit is None:
            return True
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newsbot/traps/{limit}")
        parts = urlsplit(request.url)
        key = (limit, f"{parts.netloc}{path_pattern(parts.path)}")
        if limit != "duplicate" and key not in self.state.reported:
            # Once per limit and path shape: a trap may offer millions of URLs.
            self.state.reported.add(key)
            logger.warning(
                "Spider-trap limit %s fired at %s: further URLs like it are dropped "
                "(see newsbot/traps/%s in the stats)",
                limit,
                request.url,
                limit,
            )
        else:
            logger.debug("dropped %s: trap limit %s", request.url, limit)
        return False

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in start:
            if not isinstance(item, Request) or self._filter(item, 0):
                yield item

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        depth = int(response.meta.get("depth", 0)) + 1
        async for item in result:
            if not isinstance(item, Request) or self._filter(
                item, int(item.meta.get("depth", depth))
            ):
                yield item
