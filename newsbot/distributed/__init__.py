"""Distributed crawling: many ``newsbot crawl`` workers share one frontier in Redis.

Set ``NEWSBOT_REDIS_URL`` (or ``newsbot crawl --redis URL``) and the add-on
:class:`newsbot.distributed.addon.RedisAddon` switches the crawl to:

* a shared request queue and duplicate filter (:mod:`newsbot.distributed.scheduler`,
  built on scrapy-redis), keyed per *source*, so each URL is fetched once across all
  workers;
* a worker registry with heartbeats and a cluster-wide idle rule
  (:mod:`newsbot.distributed.cluster`): workers stop together once the shared queue has
  stayed empty and no worker has been busy for ``NEWSBOT_REDIS_IDLE_TIMEOUT`` seconds;
* the Redis crawl state store (:mod:`newsbot.state.redis`).

See docs/distributed.md for running a cluster.
"""

from __future__ import annotations
