"""The ``site`` spider: follow a site's links, keep its article pages.

``scrapy crawl site -a url=HOME [-a max_pages=N] [-a max_depth=N]``. Every page within
the allowed domains is fetched (up to the limits) and its links followed; pages that
look like articles go to extraction, section, tag, author and other listing pages are
only followed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import scrapy
from protego import Protego
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from newsbot import defaults
from newsbot.extraction.pagekind import classify_page
from newsbot.middlewares.budget import BUDGET_DEPTH, BreadthFirstBudget
from newsbot.spiders.base import START_META, NewsSpider


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class SiteSpider(NewsSpider):
    """``scrapy crawl site -a url=HOME`` or ``-a source=NAME``.

    Setting: ``NEWSBOT_SITE_MAX_PAGES`` (default 1000), the page budget of a source
    that sets no ``max_pages``.
    """

    name = "site"
    kind = "site"
    own_arguments = ("max_depth",)

    def _configure(self, crawler: Crawler) -> None:
        super()._configure(crawler)
        if self.max_pages is None:
            self.max_pages = crawler.settings.getint(
                "NEWSBOT_SITE_MAX_PAGES", defaults.NEWSBOT_SITE_MAX_PAGES
            )
        self.max_depth = self.source.max_depth
        self.robots_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or "newsbot"
        self.obey_robots = crawler.settings.getbool("ROBOTSTXT_OBEY")
        # Parsed robots.txt per origin (None: none found, everything allowed). The
        # spider checks links itself, so disallowed pages never use up max_pages.
        self._robots: dict[str, Protego | None] = {}
        # Domains are checked by on_site(): LinkExtractor's allow_domains compares the
        # host with its port, so it would reject every link of a site on a port.
        self._links = LinkExtractor(unique=True)
        self._budget_gate: bool | None = None

    async def start(self) -> AsyncIterator[Any]:
        by_origin: dict[str, list[str]] = {}
        for url in self.source.urls:
            by_origin.setdefault(_origin(url), []).append(url)
        for origin, urls in by_origin.items():
            if not self.obey_robots:
                for request in self.start_requests_for(urls):
                    yield request
                continue
            yield scrapy.Request(
                urljoin(origin, "/robots.txt"),
                callback=self.parse_robots,
                errback=self.robots_failed,
                meta={"dont_obey_robotstxt": True, "allow_offsite": True},
                cb_kwargs={"starts": urls},
                dont_filter=True,
                priority=100,
            )

    def parse_robots(self, response: Response, starts: list[str]) -> Iterator[Any]:
        text = response.text if isinstance(response, scrapy.http.TextResponse) else ""
        self._robots[_origin(response.url)] = Protego.parse(text) if text.strip() else None
        yield from self.start_requests_for(starts)

    def robots_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        # No robots.txt (a 404) means no restriction, as for Scrapy's own middleware.
        self._robots[_origin(request.url)] = None
        yield from self.start_requests_for(request.cb_kwargs["starts"])

    def start_requests_for(self, urls: list[str]) -> Iterator[scrapy.Request]:
        for url in urls:
            if not self.allowed_by_robots(url):
                self.logger.error("start URL %s is disallowed by robots.txt; skipped", url)
                self.stat("robots_disallowed")
                continue
            if self.first_sight(url) and self.take_page_budget():
                yield self.page_request(url, depth=0, start=True)

    def on_site(self, url: str) -> bool:
        """Whether *url*'s host is one of the allowed domains or their subdomains."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def allowed_by_robots(self, url: str) -> bool:
        if not self.obey_robots:
            return True
        robots = self._robots.get(_origin(url))
        return robots is None or robots.can_fetch(url, self.robots_agent)

    def page_request(self, url: str, *, depth: int, start: bool = False) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.fetch_failed,
            meta={START_META: start},
            cb_kwargs={"depth": depth},
            # Breadth first: a page budget is better spent on the pages near the start
            # pages (the freshest articles) than deep in an archive.
            priority=-depth,
        )

    def parse_page(self, response: Response, depth: int) -> Iterator[Any]:
        if not self.is_page(response):
            return
        verdict = classify_page(response.body, response.url)
        if verdict.is_article and self.wanted(response.url):
            self.stat("article_pages")
            self.logger.debug("article page %s (%s)", response.url, verdict.reason)
            yield self.page_item(response, require_article=True)
        else:
            self.stat("index_pages")
            self.logger.debug("not an article: %s (%s)", response.url, verdict.reason)
            self.no_record(
                response.url,
                "an article page left out by include=/exclude="
                if verdict.is_article
                else f"not an article page ({verdict.reason}); its links are followed",
            )
        if not isinstance(response, HtmlResponse):
            return
        if depth >= self.max_depth:
            self.stat("max_depth_reached")
            return
        yield from self.follow_links(response, depth)

    def follow_links(self, response: HtmlResponse, depth: int) -> Iterator[scrapy.Request]:
        for link in self._links.extract_links(response):
            url = urldefrag(link.url).url
            if not self.on_site(url):
                continue
            if self.excluded(url):
                self.stat("filtered")
                continue
            if not self.first_sight(url):
                continue
            if not self.allowed_by_robots(url):
                self.stat("robots_disallowed")
                continue
            if self.already_done(url):
                continue
            request = self.page_request(url, depth=depth + 1)
            if self.breadth_first_budget():
                # The budget is taken when the link's level is released.
                request.meta[BUDGET_DEPTH] = depth + 1
            elif not self.take_page_budget():
                return
            yield request

    def breadth_first_budget(self) -> bool:
        """Whether :class:`~newsbot.middlewares.budget.BreadthFirstBudget` spends the
        page budget on followed links (else they take it as they are yielded)."""
        if self._budget_gate is None:
            self._budget_gate = self.crawler.get_spider_middleware(BreadthFirstBudget) is not None
        return self._budget_gate
