"""Meta refresh redirects are followed as Scrapy follows them, and pages without one
pass untouched (newsbot.middlewares.refresh)."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot.middlewares.refresh import HEAD_BYTES, HeadMetaRefreshMiddleware
from newsbot.settings import DOWNLOADER_MIDDLEWARES

URL = "https://news.example/old-story"


@pytest.fixture
def middleware() -> HeadMetaRefreshMiddleware:
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    return HeadMetaRefreshMiddleware.from_crawler(crawler)


def _page(head: str, body: str = "<p>Story text.</p>", encoding: str = "utf-8") -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse(
        URL,
        body=html.encode(encoding),
        headers={"Content-Type": f"text/html; charset={encoding}"},
    )


def _follows(middleware: HeadMetaRefreshMiddleware, response: HtmlResponse) -> str | None:
    result = middleware.process_response(Request(URL), response)
    return result.url if isinstance(result, Request) else None


REFRESH = '<meta http-equiv="Refresh" content="0; url=https://news.example/new-story">'


def test_refresh_is_followed(middleware):
    assert _follows(middleware, _page(REFRESH)) == "https://news.example/new-story"


def test_page_without_refresh_passes_through(middleware):
    response = _page("<title>A story</title>")
    assert middleware.process_response(Request(URL), response) is response


def test_a_delayed_refresh_is_not_followed(middleware):
    # Scrapy's METAREFRESH_MAXDELAY (100 s) still applies: a page that reloads itself
    # every five minutes is a page, not a redirect.
    slow = '<meta http-equiv="refresh" content="300; url=https://news.example/new-story">'
    assert _follows(middleware, _page(slow)) is None


def test_refresh_after_a_long_multibyte_head_is_still_found(middleware):
    # 3,000 characters of three-byte UTF-8 text: the refresh sits past byte 9,000 but
    # within the 4,096 characters Scrapy reads.
    padding = "<title>" + "新" * 3000 + "</title>"
    response = _page(padding + REFRESH)
    assert response.body.index(b"Refresh") > 9000
    assert _follows(middleware, response) == "https://news.example/new-story"


def test_refresh_in_utf16_is_found(middleware):
    response = _page(REFRESH, encoding="utf-16")
    assert _follows(middleware, response) == "https://news.example/new-story"


def test_refresh_beyond_what_scrapy_reads_is_ignored_as_scrapy_ignores_it(middleware):
    response = _page("<title>" + "x" * HEAD_BYTES + "</title>" + REFRESH)
    assert _follows(middleware, response) is None


def test_the_crawl_uses_it_in_place_of_scrapys():
    settings = Settings({"DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES})
    mws = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert mws["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert mws["newsbot.middlewares.refresh.HeadMetaRefreshMiddleware"] == 580
