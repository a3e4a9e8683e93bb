"""Retries with backoff that honour ``Retry-After``, and one counted error per lost URL.

Scrapy's own retry middleware re-queues a failed request at once: a server that
answered 503 or 429 because it is overloaded gets hit again within milliseconds, and
its ``Retry-After`` header is ignored. This middleware replaces it (same settings:
``RETRY_ENABLED``, ``RETRY_TIMES``, ``RETRY_HTTP_CODES``, ``RETRY_EXCEPTIONS``, and
the ``dont_retry`` / ``max_retry_times`` request meta keys) and waits before each retry:

- the server's ``Retry-After`` (seconds or an HTTP date) when it sent one;
- else ``NEWSBOT_RETRY_BACKOFF_BASE * 2 ** (attempt - 1)`` seconds, jittered;
- never more than ``NEWSBOT_RETRY_BACKOFF_MAX`` seconds.

The wait holds only the retried request; other requests keep flowing.

When retries run out the URL is given up, counted in ``newsbot/fetch/gave_up`` and
``newsbot/fetch/gave_up/<reason>``, and logged at INFO: the one ERROR line for the URL
is the request's errback's (newsbot's spiders log every failed fetch once) or, for a
request without one, Scrapy's own "Error downloading" line.

Settings: ``NEWSBOT_RETRY_BACKOFF_BASE`` (default 1.0 s), ``NEWSBOT_RETRY_BACKOFF_MAX``
(default 60.0 s).
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

from newsbot import defaults

logger = logging.getLogger(__name__)


def parse_retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header value, or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware:
    """Drop-in replacement for ``scrapy.downloadermiddlewares.retry.RetryMiddleware``."""

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off")
        self.crawler = crawler
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions_to_retry = tuple(
            load_object(x) if isinstance(x, str) else x
            for x in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff_base = settings.getfloat(
            "NEWSBOT_RETRY_BACKOFF_BASE", defaults.NEWSBOT_RETRY_BACKOFF_BASE
        )
        self.backoff_max = settings.getfloat(
            "NEWSBOT_RETRY_BACKOFF_MAX", defaults.NEWSBOT_RETRY_BACKOFF_MAX
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number *attempt* (1-based)."""
        if retry_after is not None:
            wait = retry_after
        else:
            # Jitter spreads retries of many URLs of one site over time instead of
            # sending them all back at the same instant.
            wait = self.backoff_base * 2 ** (attempt - 1) * random.uniform(0.75, 1.25)
        return max(0.0, min(wait, self.backoff_max))

    async def _retry(
        self,
        request: Request,
        reason: str | Exception,
        retry_after: float | None,
    ) -> Request | None:
        spider = self.crawler.spider
        assert spider is not None and self.crawler.stats is not None
        max_times = request.meta.get("max_retry_times", self.max_retry_times)
        attempt = request.meta.get("retry_times", 0) + 1
        if attempt <= max_times:
            wait = self.delay(attempt, retry_after)
            if wait > 0:
                logger.debug("waiting %.2fs before retrying %s", wait, request.url)
                await asyncio.sleep(wait)
        retry = get_retry_request(
            request,
            spider=spider,
            reason=reason,
            max_retry_times=max_times,
            give_up_log_level=logging.INFO,
        )
        if retry is None:
            label = reason.split(" ", 1)[0] if isinstance(reason, str) else type(reason).__name__
            self.crawler.stats.inc_value("newsbot/fetch/gave_up")
            self.crawler.stats.inc_value(f"newsbot/fetch/gave_up/{label}")
        return retry

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry_after = parse_retry_after(response.headers.get(b"Retry-After"))
        reason = response_status_message(response.status)
        retry = await self._retry(request, reason, retry_after)
        return retry or response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        return await self._retry(request, exception, None)
