"""The add-on that turns a crawl into a worker of a cluster when a Redis URL is set.

Enable it once in the project settings; it does nothing unless ``NEWSBOT_REDIS_URL``
is set (``newsbot crawl --redis URL``, ``-s NEWSBOT_REDIS_URL=...``, or the settings)::

    ADDONS = {"newsbot.distributed.addon.RedisAddon": 0}

With a URL it sets, at add-on priority (a user's ``-s`` still wins where that is
safe):

* ``SCHEDULER`` and ``DUPEFILTER_CLASS``: the shared frontier
  (:mod:`newsbot.distributed.scheduler`);
* ``SCHEDULER_PERSIST = True`` and ``SCHEDULER_IDLE_BEFORE_CLOSE = 0``, *forced*: with
  more than one worker the first to finish would otherwise wipe the shared queue, and
  a blocking pop would stall the event loop;
* ``REDIS_URL`` (for scrapy-redis components a user adds, e.g. its stats collector);
* the extension :class:`newsbot.distributed.cluster.Cluster`;
* ``NEWSBOT_STATE_BACKEND``: the Redis crawl state store, so that every worker of a
  source shares what was done (unless chosen on the command line).
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

logger = logging.getLogger(__name__)

SCHEDULER = "newsbot.distributed.scheduler.RedisScheduler"
DUPEFILTER = "newsbot.distributed.scheduler.RedisDupeFilter"
CLUSTER = "newsbot.distributed.cluster.Cluster"
STATE_BACKEND = "newsbot.state.redis.RedisStateStore"
# The cluster builds the run context (with the cluster's run id) when it joins, in its
# from_crawler; no other extension reads the context before all are built, so this
# order is not what makes it work (see newsbot/run_context.py).
CLUSTER_ORDER = 50


def redis_url(settings: BaseSettings) -> str | None:
    """The Redis URL of the run: ``NEWSBOT_REDIS_URL``, or None when distribution is off.
    (Here, not in :mod:`newsbot.distributed.connection`: every crawl asks, and only a
    crawl that has a URL imports the redis library.)"""
    url = settings.get("NEWSBOT_REDIS_URL")
    return str(url) if url else None


class RedisAddon:
    """``ADDONS = {"newsbot.distributed.addon.RedisAddon": 0}``."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisAddon:
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        settings.set("SCHEDULER", SCHEDULER, priority="addon")
        settings.set("DUPEFILTER_CLASS", DUPEFILTER, priority="addon")
        settings.set("REDIS_URL", url, priority="addon")
        # The project's settings name the SQLite store as the default; replace it
        # unless a user chose a backend on the command line or in the spider.
        if (settings.getpriority("NEWSBOT_STATE_BACKEND") or 0) <= SETTINGS_PRIORITIES["project"]:
            settings.set("NEWSBOT_STATE_BACKEND", STATE_BACKEND, priority="project")
        # Not a choice: each has a failure that loses pages or stalls workers.
        for name, value in (("SCHEDULER_PERSIST", True), ("SCHEDULER_IDLE_BEFORE_CLOSE", 0)):
            if settings.get(name) not in (None, value):
                logger.warning(
                    "%s=%r ignored: a shared frontier needs %r", name, settings.get(name), value
                )
            settings.set(name, value, priority=max(settings.getpriority(name) or 0, 40))
        settings["EXTENSIONS"].set(CLUSTER, CLUSTER_ORDER, priority="addon")
