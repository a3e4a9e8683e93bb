"""robots.txt obeyed for every request that waits for it.

Scrapy's ``RobotsTxtMiddleware`` (2.13 and later) keeps one Deferred per host while
the host's robots.txt downloads, and each request that arrives meanwhile awaits that
same Deferred. A Deferred hands its result down its chain of callbacks, and the
callback that wakes the first waiter returns nothing: the second waiter gets ``None``
for a parser, which the middleware reads as "no robots.txt", so its request goes out
unchecked. With three start URLs on one host, the third is fetched even when robots.txt
forbids it. This middleware gives each waiter its own Deferred, fed from the shared one
without consuming its result; the rest is Scrapy's (same settings, same stats).
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class EveryWaiterRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every waiting request given the parser."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            # Parsed already, or not asked for yet (the parent downloads it).
            return await super().robot_parser(request)
        own: Deferred[Any] = Deferred()

        def relay(result: Any) -> Any:
            own.callback(result)
            return result  # the next waiter gets it too

        pending.addBoth(relay)
        return await maybe_deferred_to_future(own)
