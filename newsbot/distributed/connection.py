"""Connecting to Redis, with one clear error when it cannot be reached."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Errors that mean "Redis is not there right now" (as opposed to a bug or a bad
# command): a refused or dropped connection, a timeout, a server still loading.
REDIS_DOWN_ERRORS: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    OSError,
)


class RedisUnavailable(Exception):
    """Redis could not be reached. The message says where and why, in one line."""


def redacted(url: str) -> str:
    """*url* with any password replaced, fit for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + netloc, parts.path, parts.query, parts.fragment))


def connect(url: str, *, timeout: float = 5.0) -> redis.Redis:
    """A client for *url*. It does not connect until first used.

    Every call on this client runs on the crawl's event loop, so it must never sit in
    redis-py's own retry loop (its default backs off and *sleeps*, up to seconds): one
    immediate retry re-opens a connection the server dropped; anything longer is
    newsbot's business (see :class:`newsbot.distributed.cluster.Cluster`), which waits
    without blocking the loop.
    """
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1),
        health_check_interval=30,
    )


def check(url: str, *, timeout: float = 5.0) -> str | None:
    """None when Redis at *url* answers a PING, else a one-line reason. For a command
    line to check before it starts a crawl."""
    try:
        client = connect(url, timeout=timeout)
    except ValueError as exc:  # a malformed URL
        return f"invalid Redis URL {redacted(url)!r}: {exc}"
    try:
        client.ping()
    except redis.exceptions.AuthenticationError as exc:
        return f"Redis at {redacted(url)} refused the credentials: {exc}"
    except REDIS_DOWN_ERRORS as exc:
        return f"cannot reach Redis at {redacted(url)}: {exc}"
    except redis.exceptions.ResponseError as exc:
        return f"cannot reach Redis at {redacted(url)}: {exc}"
    finally:
        client.close()
    return None


def connect_checked(url: str, *, timeout: float = 5.0) -> redis.Redis:
    """A client for *url* that has answered a PING; :class:`RedisUnavailable` if not."""
    problem = check(url, timeout=timeout)
    if problem:
        raise RedisUnavailable(problem)
    return connect(url, timeout=timeout)


class RedisLink:
    """One worker's connection to the cluster's Redis, and whether it is up.

    Components that meet a connection error call :meth:`failed` and carry on without
    Redis (hold, skip, wait); :class:`newsbot.distributed.cluster.Cluster` retries with
    a growing delay and, past ``give_up_after`` seconds, stops the crawl cleanly.
    """

    def __init__(
        self,
        client: redis.Redis,
        url: str,
        *,
        give_up_after: float = 60.0,
        backoff: Callable[[int], float] | None = None,
    ):
        self.client = client
        self.url = url
        self.give_up_after = give_up_after
        # Seconds before retry number n (a test may want no wait at all).
        self.backoff = backoff or _backoff
        self.down_since: float | None = None
        self.start_error: str | None = None
        """Why Redis could not be reached when the worker started, if it could not."""
        self.retries = 0
        self.next_retry = 0.0

    @classmethod
    def of(cls, crawler: Crawler) -> RedisLink | None:
        """The link of the crawl's cluster extension, or None when it is not enabled."""
        owner = crawler.get_extension(LinkOwner)
        return owner.link if owner is not None else None

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def failed(self, exc: BaseException) -> None:
        """Note a failed call. The first failure of an outage is logged, once."""
        now = time.monotonic()
        if self.down_since is None:
            self.down_since = now
            self.retries = 0
            self.next_retry = now + self.backoff(0)
            logger.warning(
                "lost Redis at %s (%s); retrying for up to %.0fs, records written so far are kept",
                redacted(self.url),
                exc,
                self.give_up_after,
            )

    def retry_due(self) -> bool:
        return self.down_since is not None and time.monotonic() >= self.next_retry

    def retry_failed(self) -> None:
        self.retries += 1
        self.next_retry = time.monotonic() + self.backoff(self.retries)

    def recovered(self) -> None:
        if self.down_since is not None:
            logger.warning("Redis at %s is back after %.1fs", redacted(self.url), self.outage())
        self.down_since = None

    def outage(self) -> float:
        """Seconds since the outage began (0 when Redis is up)."""
        return 0.0 if self.down_since is None else time.monotonic() - self.down_since

    def gave_up(self) -> bool:
        return self.down_since is not None and self.outage() >= self.give_up_after


class LinkOwner:
    """The extension that owns the crawl's :class:`RedisLink`
    (:class:`newsbot.distributed.cluster.Cluster`). Other components find the link
    through Scrapy's ``crawler.get_extension(LinkOwner)``, so that this module, below
    the cluster, need not import it."""

    link: RedisLink


def _backoff(retries: int) -> float:
    """Seconds before retry number *retries*: 0.5, 1, 2, 4, then every 5."""
    return float(min(0.5 * 2**retries, 5.0))
