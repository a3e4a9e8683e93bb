"""The worker side of a cluster: registry, heartbeats, waking up, closing together.

Each worker of a source registers in ``<prefix>:<source>:workers`` (a sorted set
scored by Redis's own clock, so machines whose clocks disagree still agree on who is
alive) and beats every ``NEWSBOT_REDIS_HEARTBEAT`` seconds, noting in
``<prefix>:<source>:activity`` whether it was busy since its last beat.

* **A run begins** when a worker joins and no live worker is registered: the queue,
  the duplicate filter and the activity of the previous run are deleted, atomically
  (a Lua script), so two workers starting together cannot both wipe each other's
  first requests. A run interrupted by a crash is not resumed: requests a dead worker
  had popped are lost from its queue, so the new run rediscovers the site instead,
  and the crawl state skips what was already written.
* **A worker closes** (reason ``finished``) only when the shared queue is empty and
  no live worker, itself included, has been busy for ``NEWSBOT_REDIS_IDLE_TIMEOUT``
  seconds. A second worker whose start requests were all filtered (the first worker
  had queued them) therefore stays and takes its share once links are queued; a
  worker that joins late does the same. Nothing waits forever: a worker that died
  stops counting after ``NEWSBOT_REDIS_STALE_AFTER`` seconds without a heartbeat.
  (scrapy-redis's ``MAX_IDLE_TIME_BEFORE_CLOSE`` is not used: it counts time since
  the worker went idle, not the cluster.)
* **An idle worker is woken** every ``NEWSBOT_REDIS_POLL_INTERVAL`` seconds if the
  shared queue has requests (Scrapy's own engine looks only every 5 seconds when
  nothing is in flight).
* **A run ends** when its last worker leaves: the per-run keys are deleted. Every
  per-run key also expires ``NEWSBOT_REDIS_RUN_TTL`` seconds after the last
  heartbeat, so a cluster that crashed leaves nothing behind for long.
* **Redis lost mid-crawl**: retried with a growing delay (0.5 s up to 5 s); past
  ``NEWSBOT_REDIS_RETRY_TIMEOUT`` seconds the worker stops cleanly with the reason
  ``redis_unavailable``: the records written so far stay in its output file.

Each worker writes its own output file: its run id becomes ``<run id>-<worker id>``,
where the run id is the one the first worker of the run chose, so the files of one
run sort together (``newsbot export`` merges them).

Stats: ``newsbot/redis/fresh_run`` (1 if this worker began the run),
``newsbot/redis/workers_at_join``, ``newsbot/redis/handoffs``,
``newsbot/redis/outages``.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Callable
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from newsbot import defaults
from newsbot.distributed.addon import redis_url
from newsbot.distributed.connection import (
    REDIS_DOWN_ERRORS,
    LinkOwner,
    RedisLink,
    check,
    connect,
    redacted,
)
from newsbot.distributed.keys import DEFAULT_PREFIX, SourceKeys
from newsbot.distributed.scheduler import REDIS_UNAVAILABLE, RedisScheduler, source_of
from newsbot.run_context import join_run, new_run_id

logger = logging.getLogger(__name__)


# KEYS: workers, activity, requests, dupefilter, run (SourceKeys.per_run order).
_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000\n"

_EXPIRE_ALL = """
for _, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[3]) end
"""

# ARGV: worker id, stale after (s), run TTL (s), proposed run id.
JOIN = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
local fresh = 0
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  fresh = 1
end
if redis.call('HSETNX', KEYS[5], 'id', ARGV[4]) == 1 then
  redis.call('HSET', KEYS[5], 'started', tostring(now))
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
"""
    + _EXPIRE_ALL
    + """
return {fresh, redis.call('HGET', KEYS[5], 'id'), redis.call('ZCARD', KEYS[1])}
"""
)

# ARGV: worker id, busy ('1' or '0'), run TTL (s).
HEARTBEAT = (
    _NOW
    + """
redis.call('ZADD', KEYS[1], now, ARGV[1])
if ARGV[2] == '1' then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
"""
    + _EXPIRE_ALL
    + """
return 1
"""
)

# ARGV: idle timeout (s), stale after (s). 1 when the whole cluster is idle.
CLUSTER_IDLE = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[3]) > 0 then return 0 end
local recent = redis.call('ZRANGEBYSCORE', KEYS[2], now - tonumber(ARGV[1]), '+inf')
for _, worker in ipairs(recent) do
  if redis.call('ZSCORE', KEYS[1], worker) then return 0 end
end
return 1
"""
)

# ARGV: worker id, stale after (s). 1 when this was the last worker (keys deleted).
LEAVE = (
    _NOW
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  return 1
end
return 0
"""
)


def default_worker_id() -> str:
    """``<host>-<pid>``: unique among live workers, and safe in a file name."""
    host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "host"
    return f"{host}-{os.getpid()}"


class Cluster(LinkOwner):
    """The extension that makes a worker a member of its source's cluster.

    Settings (each with its default): ``NEWSBOT_REDIS_URL`` (unset: off),
    ``NEWSBOT_REDIS_PREFIX`` (``newsbot``), ``NEWSBOT_REDIS_IDLE_TIMEOUT`` (10),
    ``NEWSBOT_REDIS_HEARTBEAT`` (1), ``NEWSBOT_REDIS_POLL_INTERVAL`` (0.5),
    ``NEWSBOT_REDIS_STALE_AFTER`` (30), ``NEWSBOT_REDIS_RETRY_TIMEOUT`` (60),
    ``NEWSBOT_REDIS_RUN_TTL`` (86400), ``NEWSBOT_REDIS_WORKER_ID`` (``<host>-<pid>``).
    """

    def __init__(self, crawler: Crawler, link: RedisLink):
        settings = crawler.settings
        self.crawler = crawler
        self.link = link
        self.prefix = settings.get("NEWSBOT_REDIS_PREFIX") or DEFAULT_PREFIX
        self.idle_timeout = settings.getfloat(
            "NEWSBOT_REDIS_IDLE_TIMEOUT", defaults.NEWSBOT_REDIS_IDLE_TIMEOUT
        )
        self.heartbeat = settings.getfloat(
            "NEWSBOT_REDIS_HEARTBEAT", defaults.NEWSBOT_REDIS_HEARTBEAT
        )
        self.poll_interval = settings.getfloat(
            "NEWSBOT_REDIS_POLL_INTERVAL", defaults.NEWSBOT_REDIS_POLL_INTERVAL
        )
        self.stale_after = settings.getfloat(
            "NEWSBOT_REDIS_STALE_AFTER", defaults.NEWSBOT_REDIS_STALE_AFTER
        )
        self.run_ttl = settings.getint("NEWSBOT_REDIS_RUN_TTL", defaults.NEWSBOT_REDIS_RUN_TTL)
        self.worker_id = settings.get("NEWSBOT_REDIS_WORKER_ID") or default_worker_id()
        self.keys: SourceKeys | None = None
        self.run_id: str | None = None
        self.closing = False
        # Set by the signals of work done; sent (and cleared) with the next heartbeat.
        self.busy = True
        self._join = link.client.register_script(JOIN)
        self._beat = link.client.register_script(HEARTBEAT)
        self._idle = link.client.register_script(CLUSTER_IDLE)
        self._leave = link.client.register_script(LEAVE)
        self._loops: list[task.LoopingCall] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Cluster:
        settings = crawler.settings
        url = redis_url(settings)
        if not url:
            raise NotConfigured("NEWSBOT_REDIS_URL is not set")
        link = RedisLink(
            connect(url),
            url,
            give_up_after=settings.getfloat(
                "NEWSBOT_REDIS_RETRY_TIMEOUT", defaults.NEWSBOT_REDIS_RETRY_TIMEOUT
            ),
        )
        problem = check(url)
        if problem:
            # One clear line, then a clean close (RedisScheduler.open asks for it): an
            # exception here would print a wall of traceback and no reason.
            logger.error("%s; worker not started", problem)
            link.start_error = problem
        ext = cls(crawler, link)
        for signal in (
            signals.request_reached_downloader,
            signals.response_received,
            signals.item_scraped,
            signals.item_dropped,
        ):
            crawler.signals.connect(ext.note_busy, signal=signal)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        # The spider exists already (Scrapy builds it before the extensions). Joining
        # now, before any spider_opened handler, gives the feed exporter (which opens
        # its file on spider_opened) the worker's own run id.
        if crawler.spider is not None and not link.start_error:
            ext.join(crawler.spider)
        return ext

    # --- Life cycle -------------------------------------------------------------------
    def join(self, spider: Spider) -> None:
        if self.keys is not None:
            return
        keys = SourceKeys(source_of(spider), self.prefix)
        # The first worker's proposal becomes the cluster's run id.
        proposed = new_run_id()
        try:
            fresh, run_id, workers = self._join(
                keys=keys.per_run(),
                args=[self.worker_id, self.stale_after, self.run_ttl, proposed],
            )
        except REDIS_DOWN_ERRORS as exc:
            # Gone between the check and the join: the same clean stop as at start.
            self.link.start_error = f"lost Redis at {redacted(self.link.url)} while joining: {exc}"
            logger.error("%s; worker not started", self.link.start_error)
            return
        self.keys = keys
        self.run_id = run_id.decode() if isinstance(run_id, bytes) else str(run_id)
        # The run context is built here, once: its run id is the cluster's with the
        # worker's id after it, so that two workers never append to one output file.
        join_run(self.crawler, self.run_id, self.worker_id)
        stats = self.crawler.stats
        stats.set_value("newsbot/redis/fresh_run", int(fresh))
        stats.set_value("newsbot/redis/workers_at_join", int(workers))
        stats.set_value("newsbot/redis/worker_id", self.worker_id)
        logger.info(
            "worker %s %s run %s of source %s on Redis %s (%d worker(s) now)",
            self.worker_id,
            "began" if fresh else "joined",
            self.run_id,
            self.keys.source,
            redacted(self.link.url),
            workers,
        )

    def spider_opened(self, spider: Spider) -> None:
        if self.link.start_error:
            # Raised from spider_opened, Scrapy closes the spider cleanly with this
            # reason once every component is open, without a traceback.
            raise CloseSpider(REDIS_UNAVAILABLE)
        self.join(spider)
        if self.link.start_error:
            raise CloseSpider(REDIS_UNAVAILABLE)
        for interval, function in (
            (self.heartbeat, self.beat),
            (self.poll_interval, self.poll),
        ):
            loop = task.LoopingCall(self._guarded, function)
            loop.start(interval, now=False)
            self._loops.append(loop)

    def _guarded(self, function: Callable[[], None]) -> None:
        # A LoopingCall stops at its first exception: a worker whose heartbeat stopped
        # would count as dead to the others while it goes on crawling.
        try:
            function()
        except Exception:
            logger.exception("cluster %s failed; trying again next time", function.__name__)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.closing = True
        for loop in self._loops:
            if loop.running:
                loop.stop()
        self._loops.clear()
        if self.keys is None:
            return
        if self.link.down:
            logger.warning(
                "Redis unreachable at close: worker %s left no goodbye; it expires from "
                "the registry after %.0fs",
                self.worker_id,
                self.stale_after,
            )
            return
        try:
            last = self._leave(keys=self.keys.per_run(), args=[self.worker_id, self.stale_after])
        except REDIS_DOWN_ERRORS as exc:
            logger.warning("Redis unreachable at close (%s): per-run keys left to expire", exc)
            return
        if last:
            logger.info("last worker of run %s: its queue and filter were deleted", self.run_id)
        else:
            logger.info("worker %s left run %s; other workers go on", self.worker_id, self.run_id)

    # --- Signals ----------------------------------------------------------------------
    def note_busy(self, *args: Any, **kwargs: Any) -> None:
        self.busy = True

    def spider_idle(self, spider: Spider) -> None:
        """Close only when the cluster is idle (see the module docstring)."""
        if self.closing or self.keys is None:
            return
        if self.link.down or not self.cluster_idle():
            raise DontCloseSpider("the cluster is still busy")
        logger.info(
            "shared queue empty and no worker busy for %.0fs: worker %s closes",
            self.idle_timeout,
            self.worker_id,
        )

    # --- Loops ------------------------------------------------------------------------
    def beat(self) -> None:
        if self.keys is None or self.closing:
            return
        if self.link.down:
            self._retry()
            return
        busy = self.busy or not self.locally_idle()
        self.busy = False
        try:
            self._beat(keys=self.keys.per_run(), args=[self.worker_id, int(busy), self.run_ttl])
        except REDIS_DOWN_ERRORS as exc:
            self.busy = self.busy or busy
            self.crawler.stats.inc_value("newsbot/redis/outages")
            self.link.failed(exc)

    def poll(self) -> None:
        """Wake this worker if the shared queue has work; close it if the cluster is
        idle. Runs only while the worker has nothing in flight."""
        engine = self.crawler.engine
        if self.closing or self.keys is None or self.link.down:
            return
        if engine is None or engine.spider is None:
            return
        if not self.locally_idle():
            return
        scheduler = engine.scheduler
        if not isinstance(scheduler, RedisScheduler):
            return
        try:
            if scheduler.queued() > 0:
                if scheduler.hand_off():
                    self.crawler.stats.inc_value("newsbot/redis/handoffs")
            elif engine.spider_is_idle() and self.cluster_idle():
                self.closing = True
                logger.info(
                    "shared queue empty and no worker busy for %.0fs: worker %s closes",
                    self.idle_timeout,
                    self.worker_id,
                )
                deferred_from_coro(engine.close_spider_async(reason="finished"))
        except REDIS_DOWN_ERRORS as exc:
            self.crawler.stats.inc_value("newsbot/redis/outages")
            self.link.failed(exc)

    def locally_idle(self) -> bool:
        """Nothing being downloaded or processed by this worker."""
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return True
        scheduler = engine.scheduler
        if isinstance(scheduler, RedisScheduler) and scheduler.ready:
            return False
        slot = engine.scraper.slot
        return not engine.downloader.active and (slot is None or slot.is_idle())

    def cluster_idle(self) -> bool:
        """Whether the shared queue is empty and no live worker has been busy for the
        idle timeout. Sends this worker's pending heartbeat first."""
        assert self.keys is not None
        if self.busy:
            self.beat()
        try:
            return bool(
                self._idle(keys=self.keys.per_run(), args=[self.idle_timeout, self.stale_after])
            )
        except REDIS_DOWN_ERRORS as exc:
            self.link.failed(exc)
            return False

    def _retry(self) -> None:
        link = self.link
        if link.gave_up():
            self.stop(REDIS_UNAVAILABLE)
            return
        if not link.retry_due():
            return
        try:
            link.client.ping()
        except REDIS_DOWN_ERRORS:
            link.retry_failed()
            if link.gave_up():
                self.stop(REDIS_UNAVAILABLE)
            return
        link.recovered()
        self.busy = True
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        if isinstance(scheduler, RedisScheduler):
            try:
                scheduler.push_held()
            except REDIS_DOWN_ERRORS as exc:
                link.failed(exc)

    def stop(self, reason: str) -> None:
        if self.closing:
            return
        self.closing = True
        logger.error(
            "Redis at %s unreachable for %.0fs: worker %s stops (%s); records written "
            "so far are kept",
            redacted(self.link.url),
            self.link.outage(),
            self.worker_id,
            reason,
        )
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=reason))
