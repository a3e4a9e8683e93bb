"""The shared frontier: scrapy-redis's scheduler and duplicate filter, per source.

What newsbot changes in scrapy-redis 0.9.1, and why:

* Keys are per *source* (``<prefix>:<source>:requests``), not per spider name: two
  sources crawled by the same spider must not share a queue.
* The duplicate filter fingerprints requests with the crawler's own request
  fingerprinter, so a distributed crawl filters exactly what a single-process crawl
  filters.
* The queue is never flushed when a worker closes (the first worker to finish would
  otherwise wipe the frontier the others still crawl); per-run keys are the business
  of :class:`newsbot.distributed.cluster.Cluster`, which deletes them when the *last*
  worker leaves.
* Start requests are filtered by the shared filter even when they carry
  ``dont_filter=True`` (Scrapy's default ``start()`` sets it, and every worker is given
  the same start URLs: each would fetch them). Other ``dont_filter`` requests (retries)
  stay with the worker that made them, outside Redis.
* Pops never block (a blocking pop would stall the event loop); an idle worker is
  woken up by the cluster's poller instead (:meth:`RedisScheduler.hand_off`).
* Redis going away mid-crawl does not raise out of the engine's loop: the scheduler
  reports the failure to the cluster's :class:`~newsbot.distributed.connection.RedisLink`
  and keeps the requests it could not push, to push them when Redis is back.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import deque
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from newsbot.distributed.addon import redis_url
from newsbot.distributed.connection import (
    REDIS_DOWN_ERRORS,
    RedisLink,
    RedisUnavailable,
    connect_checked,
)
from newsbot.distributed.keys import DEFAULT_PREFIX, SourceKeys
from newsbot.run_context import spider_source

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = "redis_unavailable"
"""The close reason of a worker that could not reach Redis, or lost it for good."""

DEFAULT_QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"
# Set by Scrapy's StartSpiderMiddleware on the requests of Spider.start() (not to be
# confused with newsbot's own START_META of spiders/base.py, which the spiders set).
SCRAPY_START_META = "is_start_request"


def source_of(spider: Spider) -> str:
    """The name of the frontier a spider's workers share: its source's name.

    A source built from spider arguments (``scrapy crawl site -a url=...``) is named
    after the spider, so two such crawls of different sites would share one queue
    (and drop each other's requests as offsite); their frontier name adds a digest
    of the start URLs: ``site-3f9a0c12d4``. Every worker of a cluster must be given
    the same source (or the same arguments).
    """
    name = spider_source(spider)
    source = getattr(spider, "source", None)
    what = [*getattr(source, "urls", ()), str(getattr(source, "file", None) or "")]
    if name == spider.name and any(what):
        digest = hashlib.sha1("\n".join(sorted(what)).encode()).hexdigest()[:10]
        return f"{name}-{digest}"
    return name


class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter with Scrapy's request fingerprinter."""

    def __init__(self, server: redis.Redis, key: str, crawler: Crawler, debug: bool = False):
        super().__init__(server, key=key, debug=debug)
        self.fingerprinter = crawler.request_fingerprinter

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason: str = "") -> None:
        # scrapy-redis deletes the set here, i.e. whenever *one* worker closes; the
        # cluster deletes it when the last one does.
        pass


class RedisScheduler(Scheduler):
    """The scheduler ``NEWSBOT_REDIS_URL`` switches to (see the add-on).

    Settings: ``NEWSBOT_REDIS_URL``, ``NEWSBOT_REDIS_PREFIX`` (default ``newsbot``),
    ``SCHEDULER_QUEUE_CLASS`` (default the priority queue: newsbot's spiders crawl
    breadth first by priority), ``SCHEDULER_SERIALIZER``, ``DUPEFILTER_DEBUG``.
    Stats: ``scheduler/enqueued/redis``, ``scheduler/dequeued/redis``,
    ``newsbot/redis/held`` (requests kept locally while Redis was away).
    """

    def __init__(
        self,
        crawler: Crawler,
        server: redis.Redis,
        link: RedisLink,
        *,
        prefix: str,
        queue_cls: str,
        serializer: Any = None,
    ):
        super().__init__(
            server,
            persist=True,
            flush_on_start=False,
            queue_cls=queue_cls,
            idle_before_close=0,
            serializer=serializer,
        )
        self.crawler = crawler
        self.link = link
        self.prefix = prefix
        self.stats = crawler.stats
        self.keys: SourceKeys | None = None
        # Requests popped from Redis for this worker but not yet handed to the engine.
        self.ready: deque[Request] = deque()
        # Requests that could not be pushed while Redis was away.
        # Requests found while Redis was away, and whether Redis may have seen them.
        self.held: list[tuple[Request, bool]] = []
        self._handoff: Request | None = None
        # Fingerprints of the dont_filter start requests this worker queued or popped,
        # so that their retries are not taken for another worker's copies.
        self.start_fingerprints: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        settings = crawler.settings
        url = redis_url(settings)
        if not url:
            raise RedisUnavailable(
                "RedisScheduler needs NEWSBOT_REDIS_URL (enable it with the add-on "
                "newsbot.distributed.addon.RedisAddon)"
            )
        link = RedisLink.of(crawler)
        server = link.client if link is not None else connect_checked(url)
        if link is None:
            # Used without the cluster extension: the scheduler reports to a link of
            # its own, which only logs.
            link = RedisLink(server, url)
        serializer = settings.get("SCHEDULER_SERIALIZER")
        if isinstance(serializer, str):
            serializer = load_object(serializer)
        return cls(
            crawler,
            server,
            link,
            prefix=settings.get("NEWSBOT_REDIS_PREFIX") or DEFAULT_PREFIX,
            queue_cls=settings.get("SCHEDULER_QUEUE_CLASS") or DEFAULT_QUEUE_CLASS,
            serializer=serializer,
        )

    def open(self, spider: Spider) -> None:
        self.spider = spider
        if self.link.start_error:
            # The cluster extension has logged why, and closes the spider as soon as
            # it is open; until then nothing may touch Redis.
            self.link.down_since = time.monotonic()
        self.keys = keys = SourceKeys(source_of(spider), self.prefix)
        # scrapy-redis %-formats the key with the spider name; escape ours.
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=keys.requests.replace("%", "%%"),
            serializer=self.serializer,
        )
        self.df = RedisDupeFilter(
            self.server,
            keys.dupefilter,
            self.crawler,
            debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
        )

    def close(self, reason: str) -> None:
        if self.held:
            logger.warning(
                "%d requests found while Redis was away were never queued; the next "
                "run finds them again",
                len(self.held),
            )

    # --- The engine's side ------------------------------------------------------------
    def enqueue_request(self, request: Request) -> bool:
        if request is self._handoff:
            # A request this worker already popped, coming back through engine.crawl()
            # (see hand_off): it was filtered when first scheduled.
            self._handoff = None
            self.ready.append(request)
            return True
        if self.link.down:
            return self._hold(request, uncertain=False)
        try:
            return self._enqueue(request)
        except REDIS_DOWN_ERRORS as exc:
            self.link.failed(exc)
            # Redis may have recorded its fingerprint before it went away.
            return self._hold(request, uncertain=True)

    def next_request(self) -> Request | None:
        if self.ready:
            return self.ready.popleft()
        if self.link.down:
            return None
        try:
            if self.held:
                self.push_held()
            return self._pop()
        except REDIS_DOWN_ERRORS as exc:
            self.link.failed(exc)
            return None

    def has_pending_requests(self) -> bool:
        if self.ready:
            return True
        if self.link.down:
            return False
        try:
            return len(self.queue) > 0 or bool(self.held)
        except REDIS_DOWN_ERRORS as exc:
            self.link.failed(exc)
            return False

    # --- The cluster's side -----------------------------------------------------------
    def queued(self) -> int:
        """Requests in the shared queue (raises the Redis error when Redis is away)."""
        return len(self.queue)

    def hand_off(self) -> bool:
        """Pop one request from the shared queue and give it to the engine.

        The engine asks the scheduler for work when a download ends, and otherwise only
        every few seconds; a worker with nothing in flight would leave the requests
        other workers push waiting that long. ``engine.crawl()`` (public) both takes
        the request and wakes the engine, which then pops the rest itself.
        """
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return False
        request = self._pop()
        if request is None:
            return False
        self._handoff = request
        try:
            engine.crawl(request)
        finally:
            self._handoff = None
        return True

    # scrapy-redis's own versions pass the deprecated spider argument to the stats.
    def _enqueue(self, request: Request) -> bool:
        if request.dont_filter:
            if not request.meta.get(SCRAPY_START_META):
                # A fetch this worker asked for again (a retry, a re-check): its own
                # business, kept here rather than handed to whichever worker pops it.
                self.ready.append(request)
                self.stats.inc_value("newsbot/redis/local")
                return True
            fingerprint = self.df.request_fingerprint(request)
            if fingerprint in self.start_fingerprints:
                self.ready.append(request)  # the retry of a start request of ours
                self.stats.inc_value("newsbot/redis/local")
                return True
            # Every worker is given the same start requests: with dont_filter they
            # would all fetch them (pitfall 2). The first worker's copy wins.
            if self.df.request_seen(request):
                self.df.log(request, self.spider)
                self.stats.inc_value("newsbot/redis/start_duplicates")
                return False
            self.start_fingerprints.add(fingerprint)
        elif self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def _pop(self) -> Request | None:
        request: Request | None = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
            if request.dont_filter and request.meta.get(SCRAPY_START_META):
                self.start_fingerprints.add(self.df.request_fingerprint(request))
        return request

    def _hold(self, request: Request, *, uncertain: bool) -> bool:
        self.held.append((request, uncertain))
        self.stats.inc_value("newsbot/redis/held")
        return True

    def push_held(self) -> None:
        """Queue the requests held while Redis was away (raises the Redis error if it
        is away still). Those found meanwhile go through the filter as usual; the one
        whose scheduling failed half-way is queued whatever the filter says (its
        fingerprint may be the only trace it left): a page fetched twice rather than
        a page lost."""
        while self.held:
            request, uncertain = self.held[0]
            if uncertain:
                self.df.request_seen(request)
                self.queue.push(request)
                self.stats.inc_value("scheduler/enqueued/redis")
            else:
                self._enqueue(request)
            self.held.pop(0)
