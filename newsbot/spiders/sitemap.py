"""The ``sitemap`` spider: the pages of sitemaps, sitemap indexes and news sitemaps.

``scrapy crawl sitemap -a url=URL``: a sitemap, a sitemap index (followed
recursively; gzip too) or a site root, whose sitemaps are then found from robots.txt
``Sitemap:`` lines, else at the usual locations. Google News tags become hints;
``-a since=`` skips entries dated before a bound without fetching them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from newsbot import defaults
from newsbot.discovery.safexml import NotXMLError, TooLargeError, UnsafeXMLError
from newsbot.discovery.sitemaps import (
    SitemapEntry,
    is_site_root,
    parse_sitemap,
    robots_sitemaps,
    site_root,
    usual_locations,
)
from newsbot.extraction.pagekind import classify_page
from newsbot.spiders.base import LISTED_META, START_META, NewsSpider

# Sitemap indexes may nest; real sites use two levels, a loop would go on forever
# (the dupefilter stops exact repeats, not ever-new URLs).
MAX_INDEX_DEPTH = 5
# On requests for the usual sitemap locations: those still to try, those tried.
FALLBACKS_META = "newsbot_sitemap_fallbacks"
TRIED_META = "newsbot_sitemap_tried"
DEPTH_META = "newsbot_sitemap_depth"


class SitemapSpider(NewsSpider):
    """``scrapy crawl sitemap -a url=URL [-a since=2d]`` or ``-a source=NAME``.

    Setting: ``NEWSBOT_SITEMAP_MAX_BYTES`` (default 50 MB, the sitemaps.org limit):
    the largest sitemap read, after decompression.
    """

    name = "sitemap"
    kind = "sitemap"
    own_arguments = ("since",)

    def _configure(self, crawler: Crawler) -> None:
        super()._configure(crawler)
        self.max_sitemap_bytes = crawler.settings.getint(
            "NEWSBOT_SITEMAP_MAX_BYTES", defaults.NEWSBOT_SITEMAP_MAX_BYTES
        )

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.urls:
            if is_site_root(url):
                robots = urljoin(site_root(url), "/robots.txt")
                yield scrapy.Request(
                    robots,
                    callback=self.parse_robots,
                    errback=self.robots_failed,
                    meta={START_META: True, "dont_obey_robotstxt": True, "allow_offsite": True},
                    cb_kwargs={"site": url},
                    dont_filter=True,
                )
            else:
                yield self.sitemap_request(url, depth=0, start=True)

    def sitemap_request(
        self,
        url: str,
        *,
        depth: int,
        start: bool = False,
        fallbacks: list[str] | None = None,
        tried: list[str] | None = None,
    ) -> scrapy.Request:
        meta: dict[str, Any] = {
            START_META: start,
            DEPTH_META: depth,
            # Sitemaps may be bigger than pages (50 MB by the protocol); this cap
            # also bounds Content-Encoding: gzip decompression.
            "download_maxsize": self.max_sitemap_bytes,
            # robots.txt may name a sitemap on another host (a CDN).
            "allow_offsite": True,
        }
        if tried is not None:
            meta[FALLBACKS_META] = list(fallbacks or [])
            meta[TRIED_META] = list(tried)
        return scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            meta=meta,
            # Read sitemaps before pages, so that the page budget goes to the freshest
            # entries of every sitemap rather than all of the first one.
            priority=10,
        )

    # --- Finding the sitemaps of a site ---------------------------------------------

    def parse_robots(self, response: Response, site: str) -> Iterator[Any]:
        text = response.text if hasattr(response, "text") else ""
        sitemaps = robots_sitemaps(text, response.url)
        if sitemaps:
            self.logger.info("%s lists %d sitemap(s)", response.url, len(sitemaps))
            for url in sitemaps:
                yield self.sitemap_request(url, depth=0, start=True)
        else:
            yield from self.try_usual_locations(site)

    def robots_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        self.logger.info(
            "no robots.txt at %s (%s); trying the usual sitemap locations",
            request.url,
            failure.getErrorMessage(),
        )
        yield from self.try_usual_locations(request.cb_kwargs["site"])

    def try_usual_locations(self, site: str) -> Iterator[Any]:
        # One at a time: the first that is a sitemap wins, so a site is not hit with
        # a burst of 404s.
        first, *rest = usual_locations(site)
        yield self.sitemap_request(first, depth=0, start=True, fallbacks=rest, tried=[])

    def next_fallback(self, request: scrapy.Request, why: str) -> Iterator[Any]:
        """Try the next usual location after *request* was no sitemap, or report that
        none was."""
        self.logger.debug("no sitemap at %s (%s)", request.url, why)
        fallbacks = request.meta[FALLBACKS_META]
        tried = request.meta[TRIED_META] + [request.url]
        if fallbacks:
            yield self.sitemap_request(
                fallbacks[0], depth=0, start=True, fallbacks=fallbacks[1:], tried=tried
            )
            return
        self.logger.error(
            "no sitemap found for %s: robots.txt lists none, and none of %s is one",
            site_root(request.url),
            ", ".join(tried),
        )
        self.stat("not_found")

    def sitemap_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        if TRIED_META in request.meta:
            yield from self.next_fallback(request, failure.getErrorMessage())
            return
        self.fetch_failed(failure)

    # --- Reading a sitemap ------------------------------------------------------------

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        request = response.request
        assert request is not None
        in_fallback_chain = TRIED_META in request.meta
        try:
            sitemap = parse_sitemap(response.body, response.url, max_bytes=self.max_sitemap_bytes)
        except TooLargeError as exc:
            self.logger.error(
                "sitemap %s refused: it %s (NEWSBOT_SITEMAP_MAX_BYTES)", response.url, exc
            )
            self.stat("too_large")
            return
        except UnsafeXMLError as exc:
            self.logger.error("sitemap %s refused: %s", response.url, exc)
            self.stat("unsafe")
            return
        except NotXMLError as exc:
            if in_fallback_chain:
                yield from self.next_fallback(request, str(exc))
                return
            self.logger.error("%s is not a sitemap: %s", response.url, exc)
            self.stat("invalid")
            return
        self.stat("sitemaps")
        if not sitemap.entries:
            self.logger.error("sitemap %s is empty: no URLs in it", response.url)
            self.stat("empty")
            return
        if sitemap.is_index:
            yield from self.follow_index(response, sitemap.entries)
        else:
            yield from self.request_pages(sitemap.entries)

    def follow_index(self, response: Response, entries: list[SitemapEntry]) -> Iterator[Any]:
        depth = int(response.meta.get(DEPTH_META, 0))
        if depth >= MAX_INDEX_DEPTH:
            self.logger.warning(
                "sitemap index %s is nested %d deep; its sitemaps are not read",
                response.url,
                depth,
            )
            self.stat("too_deep")
            return
        for entry in entries:
            # A child sitemap last modified before the bound lists nothing newer.
            if self.since and entry.lastmod and entry.lastmod.as_utc() < self.since:
                self.stat("skipped_old_sitemaps")
                continue
            yield self.sitemap_request(entry.loc, depth=depth + 1)

    def request_pages(self, entries: list[SitemapEntry]) -> Iterator[Any]:
        self.stat("entries", len(entries))
        for entry in entries:
            admitted = self.admit(entry.loc, old=bool(self.since and entry.older_than(self.since)))
            if admitted is None:
                return
            if not admitted:
                continue
            yield scrapy.Request(
                entry.loc,
                callback=self.parse_page,
                errback=self.fetch_failed,
                # News-sitemap entries are articles by declaration; a plain sitemap
                # also lists sections and tag pages, which extraction must weed out.
                cb_kwargs={"hints": entry.hints(), "require_article": not entry.is_news},
                meta={LISTED_META: True},
            )

    def parse_page(
        self, response: Response, hints: dict[str, Any], require_article: bool
    ) -> Iterator[Any]:
        if not self.is_page(response):
            return
        if require_article:
            # The cheap check keeps section and tag pages of a plain sitemap away from
            # extraction; extraction still has the last word on what passes.
            verdict = classify_page(response.body, response.url)
            if not verdict.is_article:
                self.logger.debug("not an article: %s (%s)", response.url, verdict.reason)
                self.stat("not_article")
                self.no_record(response.url, f"not an article page ({verdict.reason})")
                return
        yield self.page_item(response, hints, require_article=require_article)
