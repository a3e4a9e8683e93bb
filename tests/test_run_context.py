"""The run context: one frozen (source, run id, output folder) per crawl, which every
component reads, and which a cluster worker builds once, on joining, from the
cluster's run id (nobody rewrites a spider attribute afterwards)."""

from __future__ import annotations

import ast
import dataclasses
import gzip
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_twisted
from redis_server import RedisServer, redis_server_binary
from scrapy import signals
from scrapy.utils.test import get_crawler

import newsbot.settings
from newsbot.demo.server import DemoServer
from newsbot.distributed.cluster import Cluster
from newsbot.extensions.crawl_state import CrawlState, crawl_state
from newsbot.run_context import RunContext, join_run, new_run_id, run_context
from newsbot.spiders.site import SiteSpider
from newsbot.spiders.urls import UrlsSpider

PROJECT = {
    k: v for k, v in vars(newsbot.settings).items() if k.isupper() and k != "TWISTED_REACTOR"
}


@pytest.fixture
def site() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


def test_a_run_id_has_milliseconds_and_sorts_by_time() -> None:
    first = new_run_id(datetime(2025, 3, 5, 9, 30, 1, 4000, tzinfo=UTC))
    second = new_run_id(datetime(2025, 3, 5, 9, 30, 1, 5000, tzinfo=UTC))
    assert (first, second) == ("20250305T093001.004Z", "20250305T093001.005Z")
    assert first < second


@pytest_twisted.ensureDeferred
async def test_every_component_names_the_run_from_one_context(site, tmp_path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="newsbot")
    output = tmp_path / "out"
    articles = sorted(site.expected()["articles"])[:2]
    crawler = get_crawler(
        UrlsSpider,
        {
            **PROJECT,
            "NEWSBOT_OUTPUT_DIR": str(output),
            "NEWSBOT_WARC_ENABLED": True,
            "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": True,
            "NEWSBOT_WORKERS": 1,
            "AUTOTHROTTLE_ENABLED": False,
            "NEWSBOT_PROGRESS_INTERVAL": 60,
        },
    )
    state_sources: list[str] = []

    def opened(spider: object) -> None:
        state = crawl_state(crawler)
        assert state is not None
        state_sources.append(str(state.source_name))

    crawler.signals.connect(opened, signal=signals.spider_opened)
    await crawler.crawl(urls=",".join(site.url_for(p) for p in articles), state="1")
    spider = crawler.spider
    assert spider is not None
    context = run_context(crawler)
    # Built once: the same object, frozen.
    assert run_context(crawler) is context
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.run_id = "other"  # type: ignore[misc]
    assert (context.source, context.output_dir) == ("urls", output)
    assert (context.worker_id, context.cluster_run_id) == (None, None)
    assert spider.run_id == context.run_id  # type: ignore[attr-defined]

    folder = output / "urls"
    # The feed path, the manifest and the WARC archive carry the same run id.
    records = folder / f"{context.run_id}.jsonl"
    assert len(records.read_text(encoding="utf-8").splitlines()) == 2
    manifest = json.loads((folder / f"{context.run_id}.manifest.json").read_text("utf-8"))
    assert (manifest["run_id"], manifest["source"]) == (context.run_id, "urls")
    (archive,) = folder.glob("*.warc.gz")
    assert archive.name.startswith(context.run_id)
    with gzip.open(archive) as warc:
        assert f"isPartOf: urls/{context.run_id}".encode() in warc.read()
    # The crawl state and the end-of-run summary name the same source.
    assert state_sources == ["urls"]
    assert "summary: urls: 2 records written" in caplog.text


# --- The cluster ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed (make test installs it)")
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server.url
    server.stop()


def _worker(redis_url: str, worker_id: str, tmp_path: Path) -> tuple[Cluster, SiteSpider]:
    crawler = get_crawler(
        SiteSpider,
        {
            "NEWSBOT_REDIS_URL": redis_url,
            "NEWSBOT_REDIS_WORKER_ID": worker_id,
            "NEWSBOT_REDIS_PREFIX": "run-context-test",
            "NEWSBOT_OUTPUT_DIR": str(tmp_path),
        },
    )
    spider = SiteSpider.from_crawler(crawler, url="https://news.example/", state="1")
    crawler.spider = spider
    # Built before the cluster (EXTENSIONS order reversed): it reads the run context
    # only once it is used, after every extension is built.
    CrawlState.from_crawler(crawler)
    return Cluster.from_crawler(crawler), spider


def test_a_cluster_worker_builds_the_context_once_from_the_cluster_run(redis_url, tmp_path):
    first, spider_a = _worker(redis_url, "w1", tmp_path)
    second, spider_b = _worker(redis_url, "w2", tmp_path)
    try:
        a = run_context(first.crawler)
        b = run_context(second.crawler)
        # Both joined one run; each worker's own id keeps their files apart.
        assert a.cluster_run_id == b.cluster_run_id == first.run_id == second.run_id
        assert (a.worker_id, b.worker_id) == ("w1", "w2")
        assert a.run_id == f"{a.cluster_run_id}-w1"
        assert b.run_id == f"{a.cluster_run_id}-w2"
        assert (a.source, a.output_dir) == ("site", tmp_path)
        # The spider reads the context; nobody writes a run id onto it.
        assert spider_a.run_id == a.run_id
        assert "run_id" not in vars(spider_a)
        with pytest.raises(AttributeError):
            spider_a.run_id = "rewritten"  # type: ignore[misc]
        # Joining again cannot build a second context for the same crawl.
        with pytest.raises(RuntimeError, match="before the worker joined"):
            join_run(first.crawler, "another-run", "w1")
        assert run_context(first.crawler) is a
    finally:
        for cluster, spider in ((first, spider_a), (second, spider_b)):
            cluster.spider_closed(spider, "finished")


def test_a_context_read_before_the_cluster_joins_is_a_clear_error(redis_url, tmp_path):
    crawler = get_crawler(SiteSpider, {"NEWSBOT_OUTPUT_DIR": str(tmp_path)})
    spider = SiteSpider.from_crawler(crawler, url="https://news.example/")
    crawler.spider = spider
    assert isinstance(run_context(crawler), RunContext)
    with pytest.raises(RuntimeError, match="cluster extension must come before"):
        join_run(crawler, "cluster-run", "w1")


def test_only_the_run_context_reads_the_run_from_spider_attributes() -> None:
    # The five guesses (getattr(spider, "source_name", None) or spider.name, three
    # run-id fallbacks) must not come back: one module reads the spider, the others
    # read the context; nothing assigns a run id or an output folder to a spider.
    package = Path(__file__).resolve().parent.parent / "newsbot"
    readers = set()
    writers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in ("source_name", "run_id", "output_dir")
            ):
                readers.add(path.relative_to(package).as_posix())
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and target.attr in ("run_id", "output_dir")
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "spider"
                    ):
                        writers.add(path.relative_to(package).as_posix())
    assert readers == {"run_context.py"}
    assert writers == set()
