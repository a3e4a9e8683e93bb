"""Distributed crawling end to end: real ``scrapy crawl`` / ``newsbot crawl`` worker
processes sharing a frontier in a real redis-server, against a generated local site.

Each known pitfall of scrapy-redis 0.9.1 on Scrapy 2.19 (issue 8) has a test here or in
tests/test_distributed_units.py:

1. ``start()`` not calling ``start_requests()``: every newsbot spider overrides
   ``start()`` and its seeds reach the shared queue (the two-worker crawl works at all,
   and ``test_spiders_override_async_start``);
2. start URLs with ``dont_filter=True`` escaping the shared filter: the server sees the
   home page once although both workers were given it;
3. ``SCHEDULER_PERSIST`` off wiping the shared queue: forced on (units) and the late
   worker still finds work after the first one's seeds were queued;
4. ``MAX_IDLE_TIME_BEFORE_CLOSE`` not measuring idle time: newsbot's own idle rule
   closes a lone worker a set time after its last activity (``test_idle_worker_*``);
5. a second worker closing at once on an empty queue: the late worker writes records;
6. ``SCHEDULER_IDLE_BEFORE_CLOSE`` > 0 blocking the loop: forced to 0 (units).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis_server import RedisServer, redis_server_binary
from test_distributed_site import NewsSite

pytest.importorskip("scrapy_redis", reason="scrapy-redis is not installed (pip install -e .)")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.skipif(
        redis_server_binary() is None,
        reason="redis-server is not installed (make test installs it: scripts/ensure-services.sh)",
    ),
]

ADDON = json.dumps({"newsbot.distributed.addon.RedisAddon": 0})
# Fast and deterministic on a 2-core machine: no throttling, one extraction process
# per worker, a short cluster idle timeout.
TEST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": "1",
    "NEWSBOT_WORKERS": "1",
    "NEWSBOT_SITE_MAX_PAGES": "5000",
    "NEWSBOT_REDIS_IDLE_TIMEOUT": "2",
    "NEWSBOT_PROGRESS_INTERVAL": "60",
    "LOG_LEVEL": "INFO",
}


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["SCRAPY_SETTINGS_MODULE"] = "newsbot.settings"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
    )
    return env


def scrapy_worker(
    workdir: Path, site_url: str, redis_url: str | None, **settings: str
) -> subprocess.Popen[str]:
    """``scrapy crawl site -a url=...`` in *workdir* (its records: workdir/output)."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "site", "-a", f"url={site_url}"]
    command += ["-a", "state=1"]  # an ad-hoc run keeps (shared) crawl state when asked
    merged = {**TEST_SETTINGS, **settings}
    if redis_url:
        merged.update(NEWSBOT_REDIS_URL=redis_url, ADDONS=ADDON)
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    return _spawn(command, workdir)


def newsbot_worker(
    workdir: Path, site_url: str, redis_url: str, **settings: str
) -> subprocess.Popen[str]:
    """``newsbot crawl --spider site -a url=... --redis URL`` in *workdir*."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "newsbot", "crawl", "--spider", "site"]
    command += ["-a", f"url={site_url}", "-a", "state=1", "--redis", redis_url]
    command += ["-s", f"ADDONS={ADDON}"]
    for name, value in {**TEST_SETTINGS, **settings}.items():
        command += ["-s", f"{name}={value}"]
    return _spawn(command, workdir)


def _spawn(command: list[str], workdir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        cwd=workdir,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 120) -> str:
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"worker did not stop within {timeout}s:\n{output[-3000:]}")
    return output


def records(workdir: Path) -> list[dict[str, object]]:
    """Every record a worker wrote (each line must be complete JSON)."""
    lines = []
    for path in sorted(workdir.glob("output/**/*.jsonl")):
        lines += path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def urls_of(workdir: Path) -> list[str]:
    return [str(record["url"]) for record in records(workdir)]


def per_run_keys(server: RedisServer) -> list[str]:
    """Redis keys left that are not crawl state (state keys outlive runs by design)."""
    keys = [key.decode() for key in server.client().keys("*")]
    return sorted(key for key in keys if ":state:" not in key)


def test_two_workers_fetch_each_page_once_and_write_every_article_once(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    with NewsSite(articles=500) as site:
        single = scrapy_worker(tmp_path / "single", site.url, None)
        single_log = finish(single)
        assert single.returncode == 0, single_log[-3000:]
        single_urls = set(urls_of(tmp_path / "single"))
        assert single_urls == site.article_urls(), "the single-process crawl is the reference"

        site.reset()
        # Slow pages (0.2 s each): the crawl must outlast the second worker's start,
        # or the first one, fast on its own, has written everything by then.
        site.delay = 0.2
        first = scrapy_worker(tmp_path / "a", site.url, redis_server.url)
        # The second worker joins once the first has queued the home page: its own
        # seed is then a duplicate, its queue looks empty, and it must stay and take
        # its share rather than close (pitfall 5), and not fetch the home page again
        # (pitfall 2).
        deadline = time.monotonic() + 60
        while not site.pages_fetched()["/"]:
            assert first.poll() is None, "the first worker ended before fetching the home page"
            assert time.monotonic() < deadline, "the first worker never fetched the home page"
            time.sleep(0.05)
        second = newsbot_worker(tmp_path / "b", site.url, redis_server.url)
        logs = [finish(first), finish(second)]
        fetched = site.pages_fetched()

    for process, log in zip((first, second), logs, strict=True):
        assert process.returncode == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
        assert "Closing spider (finished)" in log
    a, b = urls_of(tmp_path / "a"), urls_of(tmp_path / "b")
    assert a and b, f"both workers must write records: {len(a)} and {len(b)}"
    assert len(a) + len(b) == len(set(a) | set(b)), "an article was written twice"
    assert set(a) | set(b) == single_urls
    twice = {path: n for path, n in fetched.items() if n > 1}
    assert not twice, f"pages fetched more than once: {twice}"
    assert fetched["/"] == 1
    # Each worker wrote its own file, none the other's.
    assert len(list((tmp_path / "a").glob("output/**/*.jsonl"))) == 1
    assert per_run_keys(redis_server) == [], "per-run keys must be deleted after the run"
    # The crawl state is shared: every article is done for every worker's next run.
    state = redis_server.client().hkeys("newsbot:site:state:urls")
    assert {url.decode() for url in state} >= single_urls


def test_two_sources_on_one_spider_do_not_share_a_frontier(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    with NewsSite(articles=30) as one, NewsSite(articles=40) as two:
        workers = [
            scrapy_worker(tmp_path / "one", one.url, redis_server.url),
            scrapy_worker(tmp_path / "two", two.url, redis_server.url),
        ]
        logs = [finish(worker) for worker in workers]
    for worker, log in zip(workers, logs, strict=True):
        assert worker.returncode == 0, log[-3000:]
    assert set(urls_of(tmp_path / "one")) == one.article_urls()
    assert set(urls_of(tmp_path / "two")) == two.article_urls()
    assert per_run_keys(redis_server) == []


def test_redis_unreachable_at_start_is_one_clear_error(tmp_path: Path) -> None:
    with NewsSite(articles=5) as site:
        dead = "redis://127.0.0.1:1/0"
        scrapy_log = finish(scrapy_worker(tmp_path / "scrapy", site.url, dead))
        cli = newsbot_worker(tmp_path / "cli", site.url, dead)
        cli_log = finish(cli)
        assert site.pages_fetched() == {}, "nothing may be fetched without the frontier"
    for log in (scrapy_log, cli_log):
        assert "Traceback" not in log, log
        said = [line for line in log.splitlines() if "cannot reach Redis" in line]
        assert len(said) == 1, log
        assert "redis://127.0.0.1:1/0" in said[0]
        other_errors = [line for line in log.splitlines() if "ERROR" in line and line not in said]
        assert other_errors == [], other_errors
    assert "Closing spider (redis_unavailable)" in scrapy_log
    assert cli.returncode != 0


def test_redis_lost_mid_crawl_stops_cleanly_and_keeps_records(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    # A slow site, so that the crawl is well under way when Redis dies.
    with NewsSite(articles=300, delay=0.05) as site:
        worker = scrapy_worker(
            tmp_path / "w",
            site.url,
            redis_server.url,
            CONCURRENT_REQUESTS_PER_DOMAIN="4",
            NEWSBOT_REDIS_RETRY_TIMEOUT="3",
        )
        deadline = time.monotonic() + 60
        while len(records(tmp_path / "w")) < 10 and worker.poll() is None:
            assert time.monotonic() < deadline, "the crawl did not get going"
            time.sleep(0.2)
        redis_server.stop()
        written_before = {str(r["url"]) for r in records(tmp_path / "w")}
        killed = time.monotonic()
        log = finish(worker, timeout=60)
        stopped_after = time.monotonic() - killed
    assert "lost Redis" in log
    assert "Closing spider (redis_unavailable)" in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    assert stopped_after < 30, "retries must end: the worker may not hang"
    written = urls_of(tmp_path / "w")  # every line complete JSON, or this raises
    assert written_before <= set(written)
    assert len(written) == len(set(written))
    assert len(written) < 300, "the crawl stopped early, as it should"


def test_redis_back_within_the_retry_time_and_the_crawl_completes(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    log_file = tmp_path / "w.log"  # read while the worker runs
    with NewsSite(articles=120, delay=0.05) as site:
        worker = scrapy_worker(
            tmp_path / "w",
            site.url,
            redis_server.url,
            CONCURRENT_REQUESTS_PER_DOMAIN="4",
            NEWSBOT_REDIS_RETRY_TIMEOUT="30",
            LOG_FILE=str(log_file),
        )
        deadline = time.monotonic() + 60
        while len(records(tmp_path / "w")) < 10 and worker.poll() is None:
            assert time.monotonic() < deadline, "the crawl did not get going"
            time.sleep(0.2)
        redis_server.shutdown_saving()
        # Back once the worker has found it gone (not after a guess of how long that takes).
        deadline = time.monotonic() + 60
        while "lost Redis" not in log_file.read_text(encoding="utf-8"):
            assert worker.poll() is None, "the worker ended before it missed Redis"
            assert time.monotonic() < deadline, "the worker never missed Redis"
            time.sleep(0.05)
        redis_server.start()
        # What the process printed besides its log (a traceback would be there).
        log = finish(worker, timeout=90) + log_file.read_text(encoding="utf-8")
        fetched = site.pages_fetched()
    assert worker.returncode == 0, log[-3000:]
    assert "lost Redis" in log and "is back after" in log
    assert "Closing spider (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    written = urls_of(tmp_path / "w")
    assert sorted(written) == sorted(site.article_urls()), "every article, once"
    twice = {path: n for path, n in fetched.items() if n > 1}
    assert not twice, f"pages fetched more than once: {twice}"


def test_idle_worker_closes_a_set_time_after_its_last_activity(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    # The start page is the only page: the worker is idle right after fetching it.
    with NewsSite(articles=0) as site:
        started = time.monotonic()
        worker = scrapy_worker(
            tmp_path / "w", site.url, redis_server.url, NEWSBOT_REDIS_IDLE_TIMEOUT="3"
        )
        log = finish(worker, timeout=60)
        elapsed = time.monotonic() - started
    assert worker.returncode == 0, log[-3000:]
    assert "no worker busy for 3s" in log
    assert "Closing spider (finished)" in log
    # Not at once (the idle timeout is honoured) and not never: start-up takes a few
    # seconds, the idle timeout three, the poll half a second.
    assert 3 <= elapsed < 25, elapsed
    assert per_run_keys(redis_server) == []
