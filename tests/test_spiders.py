"""The spiders, crawled in-process against the demo site on 127.0.0.1.

Pipelines are off: these tests look at what each spider discovers and hands on (the
PageItems and their hints), what it requests and what it refuses to request.
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_twisted
from scrapy import signals
from scrapy.utils.test import get_crawler

import newsbot.settings
from newsbot.demo.server import DemoServer
from newsbot.items import PageItem
from newsbot.spiders.feed import FeedSpider
from newsbot.spiders.site import SiteSpider
from newsbot.spiders.sitemap import SitemapSpider
from newsbot.spiders.urls import UrlsSpider

# The project's settings, minus the reactor: get_crawler picks the one pytest-twisted
# installed.
PROJECT = {
    k: v for k, v in vars(newsbot.settings).items() if k.isupper() and k != "TWISTED_REACTOR"
}
TEST_SETTINGS = {
    "ITEM_PIPELINES": {},
    "FEEDS": {},
    "EXTENSIONS": {},
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_ENABLED": False,
    "LOG_LEVEL": "DEBUG",
    "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": True,
}


@dataclass
class Crawl:
    items: list[PageItem]
    stats: dict[str, Any]

    def paths(self) -> list[str]:
        return sorted(_path(item.url) for item in self.items)

    def item(self, path: str) -> PageItem:
        return next(i for i in self.items if _path(i.url) == path)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


async def crawl(spidercls: type, settings: dict[str, Any] | None = None, **kwargs: Any) -> Crawl:
    crawler = get_crawler(spidercls, {**PROJECT, **TEST_SETTINGS, **(settings or {})})
    items: list[PageItem] = []

    def collect(item: Any) -> None:
        items.append(item)

    crawler.signals.connect(collect, signal=signals.item_scraped)
    await crawler.crawl(**kwargs)
    assert crawler.stats is not None
    return Crawl(items, dict(crawler.stats.get_stats()))


@pytest.fixture
def site():
    with DemoServer() as server:
        yield server


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info], "an error was logged with a traceback"


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _page_requests(server: DemoServer) -> list[str]:
    return [p for p in server.requests if p != "/robots.txt"]


# --- urls ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_urls_spider_fetches_the_listed_pages(site):
    expected = site.expected()
    articles = sorted(expected["articles"])[:2]
    result = await crawl(UrlsSpider, urls=",".join(site.url_for(p) for p in articles))
    assert result.paths() == articles
    item = result.item(articles[0])
    assert item.source == "urls"
    assert item.status == 200
    assert expected["articles"][articles[0]]["title"].encode()[:20] in item.body
    assert item.require_article is False


@pytest_twisted.ensureDeferred
async def test_urls_spider_reads_a_file_skipping_blank_lines_and_comments(site, tmp_path, caplog):
    articles = sorted(site.expected()["articles"])[:3]
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"# articles to fetch\n\n{site.url_for(articles[0])}\n   \n"
        f"  {site.url_for(articles[1])}  \n# {site.url_for(articles[2])}\nnot-a-url\n",
        encoding="utf-8",
    )
    result = await crawl(UrlsSpider, file=str(listing))
    assert result.paths() == articles[:2]
    assert sorted(_page_requests(site)) == articles[:2]
    assert result.stats["newsbot/urls/invalid"] == 1
    assert "urls.txt:7: 'not-a-url' is not an http(s) URL" in caplog.text


@pytest_twisted.ensureDeferred
async def test_robots_txt_holds_for_every_start_url_that_waits_for_it(site):
    # Several start URLs on one host wait together for its robots.txt: each of them is
    # checked (Scrapy's own middleware let the second waiter through unchecked).
    articles = sorted(site.expected()["articles"])[:3]
    forbidden = ["/private/drafts.html", "/newsletter"]
    urls = [site.url_for(p) for p in [*articles, *forbidden]]
    result = await crawl(UrlsSpider, urls=",".join(urls))
    assert result.paths() == articles
    assert not set(forbidden) & set(site.requests)
    assert result.stats["robotstxt/forbidden"] == len(forbidden)


@pytest_twisted.ensureDeferred
async def test_urls_spider_requests_a_page_once_whatever_its_tracking_parameters(site):
    article = sorted(site.expected()["articles"])[0]
    urls = [site.url_for(article), site.url_for(article + "?utm_source=x#top")]
    result = await crawl(UrlsSpider, urls=",".join(urls))
    assert len(result.items) == 1
    assert len(_page_requests(site)) == 1


@pytest_twisted.ensureDeferred
async def test_unreachable_start_url_is_one_clear_error(caplog):
    # A port nothing listens on: bind one, note it, close it.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await crawl(UrlsSpider, urls=f"http://127.0.0.1:{port}/story")
    assert result.items == []
    assert result.stats["newsbot/urls/fetch_errors"] == 1
    errors = _errors(caplog)
    assert any(f"start URL http://127.0.0.1:{port}/story could not be fetched" in e for e in errors)
    _no_tracebacks(caplog)


@pytest_twisted.ensureDeferred
async def test_404_start_page_is_one_clear_error(site, caplog):
    result = await crawl(UrlsSpider, urls=site.url_for("/no-such-story.html"))
    assert result.items == []
    assert any("answered HTTP 404" in e for e in _errors(caplog))
    _no_tracebacks(caplog)


@pytest_twisted.ensureDeferred
async def test_binary_answer_is_skipped_not_extracted(site, caplog):
    site.add_page("/photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8, "image/jpeg")
    result = await crawl(UrlsSpider, urls=site.url_for("/photo.jpg"))
    assert result.items == []
    assert result.stats["newsbot/urls/not_page"] == 1
    assert "not text (image/jpeg)" in caplog.text


@pytest_twisted.ensureDeferred
async def test_spider_runs_a_named_source_from_the_sources_file(site, tmp_path):
    article = sorted(site.expected()["articles"])[0]
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nname = "mine"\nkind = "urls"\nurls = ["{site.url_for(article)}"]\n'
        "allow_private = true\n",
        encoding="utf-8",
    )
    result = await crawl(
        UrlsSpider, {"NEWSBOT_SOURCES": str(tmp_path / "sources.toml")}, source="mine"
    )
    assert result.paths() == [article]
    assert result.items[0].source == "mine"


# --- feed ---------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["/feed.xml", "/atom.xml"])
@pytest_twisted.ensureDeferred
async def test_feed_spider_fetches_every_entry_with_its_hints(site, feed):
    expected = site.expected()
    result = await crawl(FeedSpider, url=site.url_for(feed))
    assert result.paths() == sorted(expected["feeds"][feed])
    for item in result.items:
        truth = expected["articles"][_path(item.url)]
        assert item.hints["title"] == truth["title"]
        # The feed's date, as an ISO 8601 date-time with its offset.
        assert item.hints["published"][:10] == truth["published"][:10]
        assert item.hints["published"][-6:] in ("+00:00", "+01:00", "+02:00")
        assert item.source == "feed"


@pytest_twisted.ensureDeferred
async def test_feed_spider_discovers_the_feeds_of_a_home_page(site):
    expected = site.expected()
    result = await crawl(FeedSpider, url=site.url_for("/"))
    # Both declared feeds are read; each article is fetched once.
    assert "/feed.xml" in site.requests and "/atom.xml" in site.requests
    every_entry = {p for paths in expected["feeds"].values() for p in paths}
    assert result.paths() == sorted(every_entry)
    assert sorted(_page_requests(site)).count(sorted(every_entry)[0]) == 1


@pytest_twisted.ensureDeferred
async def test_feed_spider_applies_since_before_fetching(site):
    expected = site.expected()
    result = await crawl(FeedSpider, url=site.url_for("/feed.xml"), since="2025-03-10")
    recent = sorted(
        p
        for p in expected["feeds"]["/feed.xml"]
        if expected["articles"][p]["published"] >= "2025-03-10"
    )
    assert 0 < len(recent) < len(expected["feeds"]["/feed.xml"])
    assert result.paths() == recent
    assert not set(_page_requests(site)) - set(recent) - {"/feed.xml"}
    assert result.stats["newsbot/feed/skipped_old"] == len(expected["feeds"]["/feed.xml"]) - len(
        recent
    )


@pytest_twisted.ensureDeferred
async def test_feed_that_is_not_xml_is_a_clear_error(site, caplog):
    site.add_page("/broken.xml", "this is { not xml ]", "application/rss+xml")
    result = await crawl(FeedSpider, url=site.url_for("/broken.xml"))
    assert result.items == []
    assert any("is neither an RSS or Atom feed nor an HTML page" in e for e in _errors(caplog))
    _no_tracebacks(caplog)


@pytest_twisted.ensureDeferred
async def test_home_page_without_feeds_is_a_clear_error(site, caplog):
    site.add_page("/plain.html", "<html><head><title>x</title></head><body>hi</body></html>")
    result = await crawl(FeedSpider, url=site.url_for("/plain.html"))
    assert result.items == []
    assert any("declares no feed" in e for e in _errors(caplog))


@pytest_twisted.ensureDeferred
async def test_feed_with_an_external_entity_is_refused(site, caplog, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    site.add_page(
        "/xxe.xml",
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        f"<rss><channel><item><title>&x;</title><link>{site.url}/&x;</link></item></channel></rss>",
        "application/rss+xml",
    )
    result = await crawl(FeedSpider, url=site.url_for("/xxe.xml"))
    assert result.items == []
    assert result.stats["newsbot/feed/unsafe_feeds"] == 1
    assert "TOP-SECRET-VALUE" not in caplog.text
    assert _page_requests(site) == ["/xxe.xml"]


# --- sitemap ------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_news_sitemap_entries_carry_their_news_tags(site):
    expected = site.expected()
    result = await crawl(SitemapSpider, url=site.url_for("/news-sitemap.xml"))
    assert result.paths() == sorted(expected["sitemaps"]["/news-sitemap.xml"])
    for item in result.items:
        truth = expected["articles"][_path(item.url)]
        assert item.hints["title"] == truth["title"]
        assert item.hints["published"] == truth["published"]
        assert item.hints["language"] == truth["language"]
        # Declared news articles need no article check.
        assert item.require_article is False


@pytest_twisted.ensureDeferred
async def test_sitemap_index_is_followed_recursively_including_gzip(site):
    expected = site.expected()
    result = await crawl(SitemapSpider, url=site.url_for("/sitemap_index.xml"))
    children = expected["sitemap_index"]["/sitemap_index.xml"]
    assert any(c.endswith(".gz") for c in children)
    listed = {p for child in children for p in expected["sitemaps"][child]}
    # Every listed page is fetched, once, even when several sitemaps list it ...
    requested = _page_requests(site)
    assert set(requested) >= listed
    assert len(requested) == len(set(requested))
    # ... and the articles become items; the section, tag and author pages that the
    # plain sitemap lists do not.
    assert result.paths() == sorted(expected["articles"])
    assert result.stats["newsbot/sitemap/not_article"] == len(
        listed & set(expected["non_articles"])
    )
    for item in result.items:
        # Entries with news tags need no further check; plain entries must prove it.
        assert item.require_article is ("title" not in item.hints)


@pytest_twisted.ensureDeferred
async def test_site_root_finds_sitemaps_through_robots_txt(site):
    expected = site.expected()
    result = await crawl(SitemapSpider, url=site.url + "/")
    for sitemap in expected["robots_sitemaps"]:
        assert sitemap in site.requests
    assert set(expected["articles"]) <= set(result.paths())
    # robots.txt named the sitemaps: no guessing at the usual locations.
    assert "/sitemap_index.xml" in site.requests
    assert "/wp-sitemap.xml" not in site.requests


@pytest_twisted.ensureDeferred
async def test_site_root_without_sitemap_lines_tries_the_usual_locations(site):
    expected = site.expected()
    site.add_page("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.hide_page("/sitemap.xml")
    result = await crawl(SitemapSpider, url=site.url + "/")
    # /sitemap.xml is missing; the next usual location, the index, is found and read.
    assert site.requests.index("/sitemap.xml") < site.requests.index("/sitemap_index.xml")
    assert set(expected["sitemaps"]["/news-sitemap.xml"]) <= set(result.paths())
    assert "/wp-sitemap.xml" not in site.requests


@pytest_twisted.ensureDeferred
async def test_site_without_any_sitemap_is_one_clear_error(site, caplog):
    site.add_page("/robots.txt", "User-agent: *\nDisallow:\n", "text/plain")
    for path in ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml"):
        site.hide_page(path)
    result = await crawl(SitemapSpider, url=site.url + "/")
    assert result.items == []
    errors = _errors(caplog)
    assert len(errors) == 1 and errors[0].startswith("no sitemap found for")
    assert result.stats["newsbot/sitemap/not_found"] == 1
    _no_tracebacks(caplog)


@pytest.mark.parametrize("since", ["2025-03-11", "since-days"])
@pytest_twisted.ensureDeferred
async def test_since_skips_old_entries_before_fetching_them(site, since):
    from datetime import UTC, datetime, timedelta

    expected = site.expected()
    bound = datetime(2025, 3, 11, tzinfo=UTC)
    if since == "since-days":
        # About the same bound, as whole days back from now: "Nd" is N times 24 hours
        # before the crawl starts, so the bound falls at this time of day (the entries
        # expected are those published after it, whatever the hour the test runs).
        days = (datetime.now(UTC) - bound).days + 1
        since = f"{days}d"
        bound = datetime.now(UTC) - timedelta(days=days)
    result = await crawl(SitemapSpider, url=site.url_for("/news-sitemap.xml"), since=since)
    news = expected["sitemaps"]["/news-sitemap.xml"]
    recent = sorted(
        p for p in news if datetime.fromisoformat(expected["articles"][p]["published"]) >= bound
    )
    assert 0 < len(recent) < len(news)
    assert result.paths() == recent
    assert sorted(_page_requests(site)) == sorted(["/news-sitemap.xml", *recent])
    assert result.stats["newsbot/sitemap/skipped_old"] == len(news) - len(recent)


@pytest_twisted.ensureDeferred
async def test_empty_sitemap_is_a_clear_error(site, caplog):
    site.add_page(
        "/empty.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
        "application/xml",
    )
    result = await crawl(SitemapSpider, url=site.url_for("/empty.xml"))
    assert result.items == []
    assert any("sitemap" in e and "is empty" in e for e in _errors(caplog))
    _no_tracebacks(caplog)


@pytest_twisted.ensureDeferred
async def test_gzip_sitemap_past_the_cap_is_refused(site, caplog):
    entries = "".join(f"<url><loc>{site.url}/story-{i}.html</loc></url>" for i in range(20000))
    xml = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    site.add_page("/big.xml.gz", gzip.compress(xml.encode()), "application/gzip")
    result = await crawl(
        SitemapSpider,
        {"NEWSBOT_SITEMAP_MAX_BYTES": 100_000},
        url=site.url_for("/big.xml.gz"),
    )
    assert result.items == []
    assert result.stats["newsbot/sitemap/too_large"] == 1
    assert any("refused" in e and "NEWSBOT_SITEMAP_MAX_BYTES" in e for e in _errors(caplog))
    assert _page_requests(site) == ["/big.xml.gz"]


@pytest_twisted.ensureDeferred
async def test_sitemap_max_pages_limits_the_pages_fetched(site):
    result = await crawl(SitemapSpider, url=site.url_for("/news-sitemap.xml"), max_pages="3")
    assert len(result.items) == 3
    assert len(_page_requests(site)) == 1 + 3
    assert result.stats["newsbot/sitemap/max_pages_reached"] >= 1


# --- site ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_site_spider_yields_articles_and_only_follows_index_pages(site):
    expected = site.expected()
    result = await crawl(SiteSpider, url=site.url + "/")
    assert result.paths() == sorted(expected["articles"])
    assert all(item.require_article for item in result.items)
    requested = set(site.requests)
    # Section, tag and author pages were fetched (their links followed), not yielded.
    for path in expected["non_articles"]:
        assert path in requested, path
    # robots.txt Disallow: never requested.
    for path in expected["disallowed"]:
        assert path not in requested
    assert result.stats["newsbot/site/robots_disallowed"] >= 1
    assert result.stats["newsbot/site/index_pages"] >= len(expected["non_articles"]) - 1


@pytest_twisted.ensureDeferred
async def test_site_spider_stops_at_max_pages(site):
    result = await crawl(SiteSpider, url=site.url + "/", max_pages="4")
    assert len(_page_requests(site)) == 4
    assert result.stats["newsbot/site/max_pages_reached"] >= 1


@pytest_twisted.ensureDeferred
async def test_site_spider_stops_at_max_depth(site):
    result = await crawl(SiteSpider, url=site.url + "/", max_depth="0")
    assert _page_requests(site) == ["/"]
    assert result.items == []
    assert result.stats["newsbot/site/max_depth_reached"] == 1


@pytest_twisted.ensureDeferred
async def test_site_spider_respects_include_and_exclude(site):
    expected = site.expected()
    result = await crawl(
        SiteSpider, url=site.url + "/", exclude=r"/tag/,/author/", include=r"\.html$"
    )
    requested = site.requests
    assert not [p for p in requested if p.startswith(("/tag/", "/author/"))]
    wanted = sorted(p for p in expected["articles"] if p.endswith(".html"))
    assert 0 < len(wanted) < len(expected["articles"])
    assert result.paths() == wanted


@pytest_twisted.ensureDeferred
async def test_site_spider_404_start_page_is_a_clear_error(site, caplog):
    result = await crawl(SiteSpider, url=site.url_for("/gone/"))
    assert result.items == []
    assert any("start URL" in e and "answered HTTP 404" in e for e in _errors(caplog))
    _no_tracebacks(caplog)


# --- the real command ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("spider", "start"), [("feed", "/"), ("sitemap", "/")])
def test_scrapy_crawl_writes_one_record_per_article(site, tmp_path, spider, start):
    import json
    import subprocess
    import sys

    out = tmp_path / "out.jsonl"
    result = subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", spider,
            "-a", f"url={site.url}{start}", "-a", "allow_private=true",
            "-s", "NEWSBOT_WORKERS=-1", "-s", "AUTOTHROTTLE_ENABLED=0", "-O", str(out),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = site.expected()["articles"]
    assert sorted(_path(r["url"]) for r in records) == sorted(expected)
    for record in records:
        assert record["title"] == expected[_path(record["url"])]["title"]
        assert record["source"] == spider
