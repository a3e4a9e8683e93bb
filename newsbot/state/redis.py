"""The Redis crawl state: the state of a source shared by every worker of a cluster.

Chosen by the distributed add-on (``NEWSBOT_STATE_BACKEND =
"newsbot.state.redis.RedisStateStore"``) whenever ``NEWSBOT_REDIS_URL`` is set, so that
a URL one worker wrote is done for all of them, in this run and the next.

Keys (see :class:`newsbot.distributed.keys.SourceKeys`), under
``<NEWSBOT_REDIS_PREFIX>:<source>:state:``:

* ``urls``: a hash, canonical URL -> JSON of its state;
* ``seen``: a sorted set, canonical URL scored by ``last_seen``, for pruning;
* ``runs``: a sorted set of runs scored by finish time.

Memory stays bounded by the source's ``retention``: :meth:`RedisStateStore.prune`
(called at the start of every run) drops URLs not seen within it, and every key
expires ``retention`` after the last write, so a source no longer crawled disappears
entirely. Times are the workers' clocks, as in the SQLite store (keep them in sync
with NTP).

Redis going away mid-crawl: writes (:meth:`~RedisStateStore.mark_done`,
:meth:`~RedisStateStore.touch`) are kept in memory and sent when Redis answers
again; reads answer "not known" meanwhile (the page is fetched again, never lost).
In a crawl the store shares the cluster's :class:`~newsbot.distributed.connection.RedisLink`
(:meth:`RedisStateStore.from_crawler`, found once the extensions are built): one "Redis
is down" and one retry schedule for the whole worker; the held writes go out once the
cluster has seen Redis back. Used alone (a script, a test), the store keeps a link of
its own and retries on that link's schedule when it next writes.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import redis
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot.distributed.addon import redis_url
from newsbot.distributed.connection import (
    REDIS_DOWN_ERRORS,
    RedisLink,
    connect,
    redacted,
)
from newsbot.distributed.keys import DEFAULT_PREFIX, SourceKeys
from newsbot.state.store import RunRecord, StateStore, UrlState

logger = logging.getLogger(__name__)


class RedisStateStore(StateStore):
    """The crawl state of one source in Redis.

    Settings: ``NEWSBOT_REDIS_URL`` (required), ``NEWSBOT_REDIS_PREFIX`` (default
    ``newsbot``).
    """

    def __init__(
        self,
        client: redis.Redis,
        source: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        url: str = "",
        retry_every: float | None = None,
        find_link: Callable[[], RedisLink | None] | None = None,
    ):
        super().__init__(source)
        # The cluster's link (its extension retries it), found by *find_link*; else one
        # of the store's own, retried here when a write comes (every *retry_every*
        # seconds if given, else with the link's growing delay).
        self._find_link = find_link
        self._shared: RedisLink | None = None
        self._own = RedisLink(
            client,
            url,
            backoff=None if retry_every is None else (lambda retries: retry_every),
        )
        self.client = client
        self.url = url
        self.keys = SourceKeys(source, prefix)
        # Seconds every state key lives after its last write; learnt from prune(),
        # which the crawl calls with the source's retention.
        self.ttl: int | None = None
        self._held: list[Callable[[Any], None]] = []

    @classmethod
    def from_settings(cls, settings: BaseSettings, source: str) -> RedisStateStore:
        url = redis_url(settings)
        if not url:
            raise ValueError("the Redis state store needs NEWSBOT_REDIS_URL")
        # No ping: an unreachable Redis is reported (once, clearly) by the cluster
        # extension, which then stops the crawl; the store only holds its writes.
        return cls(
            connect(url),
            source,
            prefix=settings.get("NEWSBOT_REDIS_PREFIX") or DEFAULT_PREFIX,
            url=url,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler, source: str) -> RedisStateStore:
        store = cls.from_settings(crawler.settings, source)
        store._find_link = lambda: RedisLink.of(crawler)
        return store

    @property
    def link(self) -> RedisLink:
        """The cluster's link once it can be found, else the store's own."""
        if self._shared is None and self._find_link is not None:
            try:
                self._shared = self._find_link()
            except RuntimeError:
                # Asked while Scrapy is still building the extensions (the crawl state
                # opens the store then): the cluster's link is not reachable yet.
                return self._own
            self._find_link = None
        return self._shared or self._own

    @property
    def owns_link(self) -> bool:
        """Whether the store retries its link itself (no cluster retries it)."""
        return self.link is self._own

    # --- URLs done --------------------------------------------------------------------
    def get(self, url: str) -> UrlState | None:
        try:
            pipe = self.client.pipeline(transaction=False)
            pipe.hget(self.keys.state_urls, url)
            pipe.zscore(self.keys.state_seen, url)
            raw, seen = pipe.execute()
        except REDIS_DOWN_ERRORS as exc:
            self._failed(exc)
            return None
        if raw is None:
            return None
        data = json.loads(raw)
        if seen is not None:
            # touch() moves last_seen in the sorted set only.
            data["last_seen"] = max(float(seen), float(data["last_seen"]))
        return UrlState(url=url, **data)

    def mark_done(
        self,
        urls: Iterable[str],
        *,
        fingerprint: str,
        version: int,
        etag: str | None,
        last_modified: str | None,
        now: float,
    ) -> None:
        urls = set(urls)
        if not urls:
            return
        first_seen = self._first_seen(urls)

        def write(pipe: Any) -> None:
            for url in urls:
                state = {
                    "fingerprint": fingerprint,
                    "version": version,
                    "etag": etag,
                    "last_modified": last_modified,
                    "first_seen": first_seen.get(url, now),
                    "last_seen": now,
                }
                pipe.hset(self.keys.state_urls, url, json.dumps(state))
                pipe.zadd(self.keys.state_seen, {url: now})
            self._expire(pipe, self.keys.state_urls, self.keys.state_seen)

        self._write(write)

    def _first_seen(self, urls: set[str]) -> dict[str, float]:
        """``first_seen`` of the URLs already known (kept by mark_done)."""
        ordered = sorted(urls)
        try:
            rows = self.client.hmget(self.keys.state_urls, ordered)
        except REDIS_DOWN_ERRORS:
            return {}
        return {
            url: float(json.loads(raw)["first_seen"])
            for url, raw in zip(ordered, rows, strict=True)
            if raw is not None
        }

    def touch(self, urls: Iterable[str], now: float) -> None:
        urls = set(urls)
        if not urls:
            return

        def write(pipe: Any) -> None:
            # XX: only URLs already known; GT: never move last_seen backwards.
            pipe.zadd(self.keys.state_seen, dict.fromkeys(urls, now), xx=True, gt=True)

        # last_seen inside the JSON is refreshed from the sorted set on get(); the
        # sorted set is what pruning reads.
        self._write(write)

    def prune(self, before: float) -> int:
        self.ttl = max(int(time.time() - before) + 1, 1)
        try:
            old = self.client.zrangebyscore(self.keys.state_seen, "-inf", f"({before}")
            if old:
                pipe = self.client.pipeline()
                for start in range(0, len(old), 1000):
                    chunk = old[start : start + 1000]
                    pipe.hdel(self.keys.state_urls, *chunk)
                    pipe.zrem(self.keys.state_seen, *chunk)
                pipe.execute()
        except REDIS_DOWN_ERRORS as exc:
            self._failed(exc)
            return 0
        return len(old)

    def count(self) -> int:
        try:
            return int(self.client.hlen(self.keys.state_urls))
        except REDIS_DOWN_ERRORS as exc:
            self._failed(exc)
            return 0

    # --- Run history ------------------------------------------------------------------
    def add_run(self, run: RunRecord, keep: int = 50) -> None:
        entry = json.dumps(
            {
                "run_id": run.run_id,
                "started": run.started,
                "finished": run.finished,
                "exit_status": run.exit_status,
                "metrics": run.metrics,
            },
            sort_keys=True,
        )

        def write(pipe: Any) -> None:
            pipe.zadd(self.keys.state_runs, {entry: run.finished})
            pipe.zremrangebyrank(self.keys.state_runs, 0, -keep - 1)
            self._expire(pipe, self.keys.state_runs)

        self._write(write)

    def recent_runs(self, limit: int) -> list[RunRecord]:
        try:
            rows = self.client.zrevrange(self.keys.state_runs, 0, limit - 1)
        except REDIS_DOWN_ERRORS as exc:
            self._failed(exc)
            return []
        return [RunRecord(**json.loads(raw)) for raw in rows]  # type: ignore[arg-type]

    # --- Life cycle -------------------------------------------------------------------
    def close(self) -> None:
        if self._held:
            self._flush(force=True)
        if self._held:
            logger.warning(
                "Redis at %s unreachable: %d crawl-state writes lost; the next run "
                "fetches those pages again",
                redacted(self.url),
                len(self._held),
            )
        self.client.close()

    # --- Writes that survive a short outage -------------------------------------------
    def _expire(self, pipe: Any, *keys: str) -> None:
        if self.ttl is not None:
            for key in keys:
                pipe.expire(key, self.ttl)

    def _write(self, write: Callable[[Any], None]) -> None:
        self._held.append(write)
        self._flush()

    def _flush(self, force: bool = False) -> None:
        link = self.link
        # While Redis is down, a shared link is retried by the cluster; the store's own
        # link is retried here, on the link's schedule.
        if link.down and not force and not (self.owns_link and link.retry_due()):
            return
        was_down = link.down
        try:
            pipe = self.client.pipeline(transaction=True)
            for write in self._held:
                write(pipe)
            pipe.execute()
        except REDIS_DOWN_ERRORS as exc:
            if was_down and self.owns_link:
                link.retry_failed()
            self._failed(exc)
            return
        self._held.clear()
        if was_down:
            logger.info("crawl state: Redis back, held writes sent")
            if self.owns_link:
                link.recovered()

    def _failed(self, exc: BaseException) -> None:
        if not self.link.down:
            logger.warning("crawl state: writes held until Redis answers")
        self.link.failed(exc)
