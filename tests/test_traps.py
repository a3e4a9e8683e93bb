"""Spider traps end: canonical URLs and per-source limits stop endless URL spaces.

The crawl follows every link from five traps on the fault server: an endless calendar,
session ids minted into every link, endless filter combinations, an endless chain of
ever deeper pages, and relative links that nest for ever. Without the trap middleware
each would run until CLOSESPIDER_PAGECOUNT.
"""

from __future__ import annotations

import pytest
from faultserver import FaultServer, run_crawl

from newsbot.canonical_urls import canonicalize_url
from newsbot.middlewares.traps import path_pattern

SAFETY_NET = 400


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://News.Example:80/a?b=2&a=1#frag", "http://news.example/a?a=1&b=2"),
        ("https://news.example/a?utm_source=x&id=7&fbclid=y", "https://news.example/a?id=7"),
        ("https://news.example/a;jsessionid=ABC123?x=1", "https://news.example/a?x=1"),
        ("https://news.example/a?PHPSESSID=1&sid=2&page=3", "https://news.example/a?page=3"),
        ("https://news.example", "https://news.example/"),
        ("http://[::1/broken", "http://[::1/broken"),  # malformed: returned, never raises
    ],
)
def test_canonical_urls(url, canonical):
    assert canonicalize_url(url) == canonical


def test_path_pattern_merges_numbers():
    assert path_pattern("/cal/2031/07") == path_pattern("/cal/1999/12") == "/cal/N/N"
    assert path_pattern("/story/big-news") == "/story/big-news"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("traps")
    with FaultServer() as server:
        starts = ["/cal/2030/01", "/session/start", "/facets?page=1", "/chain/x", "/relative/"]
        result = run_crawl(
            workdir,
            spider="follow",
            args={"urls": ",".join(server.url(p) for p in starts)},
            settings={
                "CLOSESPIDER_PAGECOUNT": SAFETY_NET,
                "NEWSBOT_TRAP_MAX_URLS_PER_PATTERN": 20,
                "NEWSBOT_TRAP_MAX_QUERY_VARIANTS": 10,
                "NEWSBOT_TRAP_MAX_DEPTH": 15,
                "NEWSBOT_TRAP_MAX_REPEATED_SEGMENT": 2,
            },
        )
        yield server, result


@pytest.mark.slow
def test_crawl_ends_by_itself(crawl):
    server, result = crawl
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stats.get("finish_reason") == "finished"
    assert sum(len(v) for v in server.hits.values()) < SAFETY_NET / 2


@pytest.mark.slow
def test_endless_calendar_stopped_by_the_path_pattern_limit(crawl):
    server, result = crawl
    assert server.count("/cal/") <= 20
    assert result.stat("newsbot/traps/path_pattern") >= 1
    assert "Spider-trap limit path_pattern fired" in result.log


@pytest.mark.slow
def test_session_ids_collapse_to_the_real_pages(crawl):
    server, result = crawl
    pages = {k for k in server.hits if k.startswith("/session/p")}
    # Three real pages, each fetched once, whatever session id its links carried.
    assert {p.split(";")[0] for p in pages} == {"/session/p1", "/session/p2", "/session/p3"}
    assert server.count("/session/p") == 3
    assert result.stat("newsbot/traps/duplicate") > 0


@pytest.mark.slow
def test_query_permutations_stopped_by_the_variants_limit(crawl):
    server, result = crawl
    assert server.count("/facets") <= 10 + 1
    assert result.stat("newsbot/traps/query_variants") >= 1
    assert "Spider-trap limit query_variants fired" in result.log


@pytest.mark.slow
def test_endless_chain_stopped_by_the_depth_limit(crawl):
    server, result = crawl
    assert server.count("/chain/") == 15 + 1  # the start page and 15 hops
    assert result.stat("newsbot/traps/depth") >= 1


@pytest.mark.slow
def test_nesting_relative_links_stopped_by_the_repeated_segment_limit(crawl):
    server, result = crawl
    assert result.stat("newsbot/traps/repeated_segment") >= 1
    assert all(max(p.split("/").count("a"), p.split("/").count("b")) <= 2 for p in server.hits)


def _middleware(**settings):
    from scrapy.utils.test import get_crawler

    from newsbot.middlewares.traps import SpiderTrapMiddleware

    crawler = get_crawler(settings_dict={"NEWSBOT_TRAP_MAX_URLS_PER_PATTERN": 3, **settings})
    crawler.stats.open_spider()
    return SpiderTrapMiddleware.from_crawler(crawler)


def test_listed_urls_escape_the_shape_limits_that_followed_links_hit():
    from scrapy import Request

    # A sitemap naming many id-only article URLs means them all ...
    listed = _middleware()
    kept = [
        listed.check(Request(f"https://news.example/news/{n}"), 1, listed=True) for n in range(10)
    ]
    assert kept == [None] * 10
    # ... while the same shape met by following links is capped.
    followed = _middleware()
    verdicts = [followed.check(Request(f"https://news.example/news/{n}"), 1) for n in range(10)]
    assert verdicts[:3] == [None] * 3
    assert set(verdicts[3:]) == {"path_pattern"}
    # A listed URL is still a duplicate the second time.
    assert listed.check(Request("https://news.example/news/1"), 1, listed=True) == "duplicate"
