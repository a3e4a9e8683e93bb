"""The ``feed`` spider: the articles of RSS and Atom feeds.

``scrapy crawl feed -a url=FEED`` (or a home page, whose ``<link rel="alternate">``
feeds are then read). Each entry's title, date and language travel with its page as
hints.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from newsbot.discovery.feeds import discover_feeds, parse_feed, sniff
from newsbot.discovery.safexml import NotXMLError, UnsafeXMLError
from newsbot.spiders.base import LISTED_META, START_META, NewsSpider


class FeedSpider(NewsSpider):
    """``scrapy crawl feed -a url=FEED[,FEED]`` or ``-a source=NAME``."""

    name = "feed"
    kind = "feed"
    own_arguments = ("since",)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.urls:
            yield self.feed_request(url, start=True, callback=self.parse_start)

    def feed_request(self, url: str, *, start: bool, callback: Any) -> scrapy.Request:
        # A feed may be served from another host (a CDN, a feed service): the site
        # declared it, so the offsite filter does not apply to it.
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.fetch_failed,
            meta={START_META: start, "allow_offsite": True},
            priority=10,
        )

    def parse_start(self, response: Response) -> Iterator[Any]:
        """A start URL: a feed, or a page that names its feeds."""
        kind = sniff(response.body)
        if kind == "feed":
            yield from self.parse_feed(response)
            return
        if kind == "html":
            feeds = discover_feeds(response.body, response.url)
            if not feeds:
                self.logger.error(
                    "%s is an HTML page that declares no feed "
                    '(no <link rel="alternate" type="application/rss+xml" or atom+xml>)',
                    response.url,
                )
                self.stat("no_feed_found")
                return
            self.logger.info(
                "%s declares %d feed(s): %s", response.url, len(feeds), ", ".join(feeds)
            )
            self.stat("feeds_discovered", len(feeds))
            for url in feeds:
                yield self.feed_request(url, start=False, callback=self.parse_feed)
            return
        self.logger.error(
            "%s is neither an RSS or Atom feed nor an HTML page; skipped", response.url
        )
        self.stat("invalid_feeds")

    def parse_feed(self, response: Response) -> Iterator[Any]:
        """Request the article of every entry of a feed."""
        try:
            feed = parse_feed(response.body, response.url)
        except UnsafeXMLError as exc:
            self.logger.error("feed %s refused: %s", response.url, exc)
            self.stat("unsafe_feeds")
            return
        except NotXMLError as exc:
            self.logger.error("%s is not an RSS or Atom feed: %s", response.url, exc)
            self.stat("invalid_feeds")
            return
        self.stat("feeds")
        if not feed.entries:
            self.logger.warning("feed %s has no entries", response.url)
            return
        self.stat("entries", len(feed.entries))
        for entry in feed.entries:
            old = bool(self.since and entry.published and entry.published.as_utc() < self.since)
            admitted = self.admit(entry.url, old=old)
            if admitted is None:
                return
            if not admitted:
                continue
            yield scrapy.Request(
                entry.url,
                callback=self.parse_page,
                errback=self.fetch_failed,
                cb_kwargs={"hints": entry.hints()},
                meta={LISTED_META: True},
            )

    def parse_page(self, response: Response, hints: dict[str, Any]) -> Iterator[Any]:
        if self.is_page(response):
            yield self.page_item(response, hints)
