"""The parts of distributed crawling, each against a real redis-server: the cluster's
Lua scripts (run begin, idle rule, last worker), the add-on's forced settings, the
scheduler's filtering and its behaviour when Redis goes away, the Redis state store,
and the spiders' start requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import scrapy
from redis_server import RedisServer, redis_server_binary
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

pytest.importorskip("scrapy_redis", reason="scrapy-redis is not installed (pip install -e .)")

from newsbot.distributed.addon import RedisAddon
from newsbot.distributed.cluster import CLUSTER_IDLE, HEARTBEAT, JOIN, LEAVE
from newsbot.distributed.connection import RedisLink, check, connect, redacted
from newsbot.distributed.keys import SourceKeys
from newsbot.distributed.scheduler import RedisScheduler, source_of
from newsbot.spiders.feed import FeedSpider
from newsbot.spiders.site import SiteSpider
from newsbot.spiders.sitemap import SitemapSpider
from newsbot.spiders.urls import UrlsSpider
from newsbot.state.redis import RedisStateStore
from newsbot.state.store import RunRecord

needs_redis = pytest.mark.skipif(
    redis_server_binary() is None,
    reason="redis-server is not installed (make test installs it: scripts/ensure-services.sh)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed (make test installs it)")
    running = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield running
    running.stop()


@pytest.fixture
def client(server: RedisServer) -> Iterator[redis.Redis]:
    connection = server.client()
    connection.flushall()
    yield connection
    connection.close()


KEYS = SourceKeys("news-a", "t")


class Scripts:
    def __init__(self, client: redis.Redis):
        self.client = client
        self.join = client.register_script(JOIN)
        self.beat = client.register_script(HEARTBEAT)
        self.idle = client.register_script(CLUSTER_IDLE)
        self.leave = client.register_script(LEAVE)

    def joins(self, worker: str, stale: float = 30, run_id: str = "run") -> tuple[int, str, int]:
        fresh, run, workers = self.join(keys=KEYS.per_run(), args=[worker, stale, 3600, run_id])
        return int(fresh), run.decode(), int(workers)

    def is_idle(self, idle_timeout: float, stale: float = 30) -> bool:
        return bool(self.idle(keys=KEYS.per_run(), args=[idle_timeout, stale]))

    def backdate(self, key: str, worker: str, seconds: float) -> None:
        """Set *worker*'s last heartbeat (``KEYS.workers``) or last busy one
        (``KEYS.activity``) *seconds* back on Redis' clock: what that long without a
        beat leaves, without waiting for it."""
        now, micros = self.client.time()
        self.client.zadd(key, {worker: now + micros / 1e6 - seconds})


# --- The cluster's scripts ----------------------------------------------------------------
@needs_redis
def test_first_worker_begins_a_run_and_wipes_the_previous_one(client: redis.Redis) -> None:
    scripts = Scripts(client)
    client.zadd(KEYS.requests, {"old request": 0})
    client.sadd(KEYS.dupefilter, "old fingerprint")
    assert scripts.joins("w1", run_id="r1") == (1, "r1", 1)
    assert client.zcard(KEYS.requests) == 0 and client.scard(KEYS.dupefilter) == 0
    # A second worker joins the same run: nothing wiped, the first run id kept.
    client.zadd(KEYS.requests, {"new request": 0})
    assert scripts.joins("w2", run_id="r2") == (0, "r1", 2)
    assert client.zcard(KEYS.requests) == 1
    # Every per-run key expires if the cluster dies.
    assert 0 < client.ttl(KEYS.requests) <= 3600


@needs_redis
def test_a_run_whose_workers_all_died_is_not_resumed(client: redis.Redis) -> None:
    scripts = Scripts(client)
    scripts.joins("dead", run_id="r1")
    client.zadd(KEYS.requests, {"orphan": 0})
    scripts.backdate(KEYS.workers, "dead", 0.3)
    # The dead worker's heartbeat is older than the stale limit: a fresh run.
    assert scripts.joins("w2", stale=0.2, run_id="r2") == (1, "r2", 1)
    assert client.zcard(KEYS.requests) == 0


@needs_redis
def test_cluster_is_idle_only_when_queue_empty_and_no_live_worker_busy(
    client: redis.Redis,
) -> None:
    scripts = Scripts(client)
    scripts.joins("w1")
    scripts.joins("w2")
    # Joining counts as activity: a worker that just came is not idle (pitfall 5).
    assert not scripts.is_idle(idle_timeout=0.3)
    for worker in ("w1", "w2"):
        scripts.backdate(KEYS.activity, worker, 0.35)
    assert scripts.is_idle(idle_timeout=0.3)
    # A busy heartbeat of any worker keeps everyone up...
    scripts.beat(keys=KEYS.per_run(), args=["w2", 1, 3600])
    assert not scripts.is_idle(idle_timeout=0.3)
    scripts.backdate(KEYS.activity, "w2", 0.35)
    # ...a quiet one does not...
    scripts.beat(keys=KEYS.per_run(), args=["w2", 0, 3600])
    assert scripts.is_idle(idle_timeout=0.3)
    # ...and neither may a queued request be left behind.
    client.zadd(KEYS.requests, {"request": 0})
    assert not scripts.is_idle(idle_timeout=0.3)


@needs_redis
def test_busy_worker_that_died_does_not_keep_the_cluster_up(client: redis.Redis) -> None:
    scripts = Scripts(client)
    scripts.joins("w1")
    scripts.beat(keys=KEYS.per_run(), args=["w1", 1, 3600])
    # w1 was busy a moment ago but has not beaten for longer than the stale limit.
    scripts.backdate(KEYS.workers, "w1", 0.3)
    assert scripts.is_idle(idle_timeout=10, stale=0.2)


@needs_redis
def test_last_worker_to_leave_deletes_the_per_run_keys(client: redis.Redis) -> None:
    scripts = Scripts(client)
    scripts.joins("w1")
    scripts.joins("w2")
    client.zadd(KEYS.requests, {"request": 0})
    client.sadd(KEYS.dupefilter, "fingerprint")
    client.hset(KEYS.state_urls, "http://x/", "{}")
    # The first worker to finish must not wipe what the other still crawls (pitfall 3).
    assert scripts.leave(keys=KEYS.per_run(), args=["w1", 30]) == 0
    assert client.zcard(KEYS.requests) == 1 and client.scard(KEYS.dupefilter) == 1
    assert scripts.leave(keys=KEYS.per_run(), args=["w2", 30]) == 1
    assert [k.decode() for k in client.keys("*")] == [KEYS.state_urls]


# --- The add-on ---------------------------------------------------------------------------
def test_addon_does_nothing_without_a_redis_url() -> None:
    settings = Settings()
    RedisAddon().update_settings(settings)
    assert settings.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"
    assert "newsbot.distributed.cluster.Cluster" not in settings.getdict("EXTENSIONS")


def test_addon_switches_the_frontier_and_forces_the_safe_settings() -> None:
    settings = Settings({"NEWSBOT_REDIS_URL": "redis://127.0.0.1:1/0"})
    # The project's default backend, as newsbot/settings.py sets it.
    settings.set("NEWSBOT_STATE_BACKEND", "newsbot.state.sqlite.SqliteStateStore", "project")
    # What a user might pass, each a known pitfall with several workers.
    settings.set("SCHEDULER_PERSIST", False, priority="cmdline")
    settings.set("SCHEDULER_IDLE_BEFORE_CLOSE", 5, priority="cmdline")
    RedisAddon().update_settings(settings)
    assert settings.get("SCHEDULER") == "newsbot.distributed.scheduler.RedisScheduler"
    assert settings.get("DUPEFILTER_CLASS") == "newsbot.distributed.scheduler.RedisDupeFilter"
    assert settings.get("NEWSBOT_STATE_BACKEND") == "newsbot.state.redis.RedisStateStore"
    assert settings.getbool("SCHEDULER_PERSIST") is True
    assert settings.getint("SCHEDULER_IDLE_BEFORE_CLOSE") == 0
    assert "newsbot.distributed.cluster.Cluster" in settings.getdict("EXTENSIONS")


def test_connection_check_names_the_server_and_hides_the_password() -> None:
    problem = check("redis://user:secret@127.0.0.1:1/0", timeout=1)
    assert problem is not None and "127.0.0.1:1" in problem and "secret" not in problem
    assert redacted("redis://:pw@host:6379/0") == "redis://:***@host:6379/0"


# --- The scheduler --------------------------------------------------------------------
class _Spider(scrapy.Spider):
    name = "plain"


def scheduler_for(url: str, spider: scrapy.Spider | None = None) -> RedisScheduler:
    crawler = get_crawler(_Spider, {"NEWSBOT_REDIS_URL": url, "NEWSBOT_REDIS_PREFIX": "t"})
    scheduler = RedisScheduler.from_crawler(crawler)
    scheduler.open(spider or _Spider())
    return scheduler


def start_request(url: str) -> scrapy.Request:
    # What Scrapy's default start() makes: dont_filter, marked as a start request.
    return scrapy.Request(url, dont_filter=True, meta={"is_start_request": True})


@needs_redis
def test_workers_share_one_filter_and_one_queue(client: redis.Redis, server: RedisServer) -> None:
    one, two = scheduler_for(server.url), scheduler_for(server.url)
    assert one.enqueue_request(scrapy.Request("http://site.test/a"))
    assert not two.enqueue_request(scrapy.Request("http://site.test/a#fragment"))
    assert two.has_pending_requests()
    request = two.next_request()
    assert request is not None and request.url == "http://site.test/a"
    assert not one.has_pending_requests()


@needs_redis
def test_start_requests_with_dont_filter_are_fetched_by_one_worker_only(
    client: redis.Redis, server: RedisServer
) -> None:
    one, two = scheduler_for(server.url), scheduler_for(server.url)
    assert one.enqueue_request(start_request("http://site.test/"))
    # The second worker was given the same start URL: dropped (pitfall 2).
    assert not two.enqueue_request(start_request("http://site.test/"))
    popped = one.next_request()
    assert popped is not None
    # A retry of it (dont_filter, still a start request) is not a duplicate: it stays
    # with the worker that fetched it.
    assert one.enqueue_request(popped.replace(meta={**popped.meta, "retry_times": 1}))
    assert client.zcard("t:plain:requests") == 0
    assert one.next_request() is not None


@needs_redis
def test_retries_stay_local(client: redis.Redis, server: RedisServer) -> None:
    scheduler = scheduler_for(server.url)
    assert scheduler.enqueue_request(scrapy.Request("http://site.test/x", dont_filter=True))
    assert client.zcard("t:plain:requests") == 0
    assert scheduler.has_pending_requests()


def test_frontier_is_per_source_even_on_one_spider() -> None:
    class Fake(scrapy.Spider):
        name = "site"

    spider_a, spider_b, named = Fake(), Fake(), Fake()
    spider_a.source = type("S", (), {"urls": ["https://a.example/"], "name": "site"})()
    spider_b.source = type("S", (), {"urls": ["https://b.example/"], "name": "site"})()
    named.source = type("S", (), {"urls": ["https://a.example/"], "name": "daily"})()
    named.source_name = "daily"  # type: ignore[attr-defined]
    spider_a.source_name = spider_b.source_name = "site"  # type: ignore[attr-defined]
    assert source_of(spider_a) != source_of(spider_b)
    assert source_of(spider_a).startswith("site-")
    assert source_of(named) == "daily"


@needs_redis
def test_scheduler_holds_requests_while_redis_is_away(tmp_path: Path) -> None:
    running = RedisServer(tmp_path / "r").start()
    try:
        scheduler = scheduler_for(running.url)
        running.stop()
        # No exception out of the engine's loop; the request is kept.
        assert scheduler.enqueue_request(scrapy.Request("http://site.test/kept"))
        assert scheduler.link.down
        assert scheduler.next_request() is None
        assert not scheduler.has_pending_requests()
        running.start()
        scheduler.link.recovered()
        request = scheduler.next_request()
        assert request is not None and request.url == "http://site.test/kept"
    finally:
        running.stop()


# --- The Redis state store -------------------------------------------------------------
@needs_redis
def test_state_store_round_trip(client: redis.Redis) -> None:
    store = RedisStateStore(client, "src", prefix="t")
    assert store.get("http://x/1") is None and store.count() == 0
    store.mark_done(
        ["http://x/1", "http://x/1?amp"],
        fingerprint="ab",
        version=1,
        etag='"e"',
        last_modified=None,
        now=100.0,
    )
    store.mark_done(
        ["http://x/1"], fingerprint="cd", version=2, etag=None, last_modified="L", now=200.0
    )
    state = store.get("http://x/1")
    assert state is not None
    assert (state.fingerprint, state.version, state.first_seen, state.last_seen) == (
        "cd",
        2,
        100.0,
        200.0,
    )
    assert store.count() == 2
    store.touch(["http://x/1?amp", "http://unknown/"], now=300.0)
    touched = store.get("http://x/1?amp")
    assert touched is not None and touched.last_seen == 300.0
    assert store.get("http://unknown/") is None
    for n in range(5):
        store.add_run(RunRecord(run_id=f"r{n}", started=n, finished=n + 0.5, exit_status=0), keep=3)
    assert [run.run_id for run in store.recent_runs(10)] == ["r4", "r3", "r2"]
    store.close()


@needs_redis
def test_state_store_prunes_by_retention_and_expires_its_keys(client: redis.Redis) -> None:
    store = RedisStateStore(client, "src", prefix="t")
    now = time.time()
    store.mark_done(
        ["http://x/old"], fingerprint="a", version=1, etag=None, last_modified=None, now=now - 100
    )
    store.mark_done(
        ["http://x/new"], fingerprint="b", version=1, etag=None, last_modified=None, now=now
    )
    assert store.prune(now - 50) == 1
    assert store.get("http://x/old") is None and store.get("http://x/new") is not None
    # Written after prune() learnt the retention (50 s): every key expires with it, so a
    # source no longer crawled leaves nothing behind.
    store.mark_done(
        ["http://x/newer"], fingerprint="c", version=1, etag=None, last_modified=None, now=now
    )
    ttl = client.ttl(SourceKeys("src", "t").state_urls)
    assert 0 < ttl <= 51
    store.close()


@needs_redis
def test_state_store_holds_writes_while_redis_is_away(tmp_path: Path) -> None:
    running = RedisServer(tmp_path / "r").start()
    try:
        store = RedisStateStore(
            connect(running.url), "src", prefix="t", url=running.url, retry_every=0
        )
        running.stop()
        store.mark_done(
            ["http://x/1"], fingerprint="a", version=1, etag=None, last_modified=None, now=1.0
        )
        assert store.get("http://x/1") is None  # unknown meanwhile: fetched, not lost
        running.start()
        store.touch(["http://x/1"], now=2.0)  # the next write sends the held one first
        entry = store.get("http://x/1")
        assert entry is not None and entry.last_seen == 2.0
        store.close()
    finally:
        running.stop()


@needs_redis
def test_in_a_crawl_the_state_store_shares_the_cluster_link_and_its_outage(
    tmp_path: Path,
) -> None:
    running = RedisServer(tmp_path / "r").start()
    try:
        link = RedisLink(connect(running.url), running.url)
        store = RedisStateStore(
            connect(running.url), "src", prefix="t", url=running.url, find_link=lambda: link
        )
        running.stop()
        store.mark_done(
            ["http://x/1"], fingerprint="a", version=1, etag=None, last_modified=None, now=1.0
        )
        # The store's failure is the worker's outage: one flag, one retry schedule.
        assert link.down
        running.start()
        # The cluster retries the link, not the store: the write stays held meanwhile.
        store.touch(["http://x/1"], now=2.0)
        assert store.get("http://x/1") is None
        link.recovered()  # what the cluster does once Redis answers its ping
        store.touch(["http://x/1"], now=3.0)
        entry = store.get("http://x/1")
        # The held writes went out first, in order, then this one.
        assert entry is not None and entry.last_seen == 3.0
        store.close()
    finally:
        running.stop()


# --- The spiders' start requests (pitfalls 1 and 2) ---------------------------------------
@pytest.mark.parametrize("spider_cls", [SiteSpider, FeedSpider, SitemapSpider, UrlsSpider])
def test_spiders_override_async_start(spider_cls: type[scrapy.Spider]) -> None:
    # Scrapy 2.19's start() no longer calls start_requests(): a spider relying on the
    # latter would read its start URLs late or not at all.
    assert spider_cls.start is not scrapy.Spider.start


def drain(generator: Any) -> list[Any]:
    """The items of an async generator that never awaits anything pending (the tests
    run inside the reactor's loop, where asyncio.run() is not allowed)."""
    items = []
    while True:
        step = generator.__anext__()
        try:
            step.send(None)
        except StopIteration as done:
            items.append(done.value)
        except StopAsyncIteration:
            return items
        else:
            step.close()
            raise AssertionError("start() awaited something")


@pytest.mark.parametrize("spider_cls", [SiteSpider, FeedSpider, UrlsSpider])
def test_seed_requests_go_through_the_shared_filter(spider_cls: type[scrapy.Spider]) -> None:
    crawler = get_crawler(spider_cls, {"ROBOTSTXT_OBEY": False})
    spider = spider_cls.from_crawler(crawler, url="https://news.example/")

    requests = drain(spider.start())
    assert requests and all(not r.dont_filter for r in requests), [r.url for r in requests]
    # They travel through Redis: callbacks must be methods of the spider.
    for request in requests:
        json.dumps(request.to_dict(spider=spider), default=str)
