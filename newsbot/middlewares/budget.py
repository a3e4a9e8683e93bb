"""Spend a spider's page budget breadth first: every page of one link depth is granted
a share of ``max_pages`` before any page it links to.

Taking the budget when a link is yielded is not breadth first: Scrapy reads a
callback's output lazily, so while the home page's 300 links are still being read, the
first articles' responses come back and their tag links take the budget. Here followed
links wait, one list per depth, until the crawl has nothing else to do (the
``spider_idle`` signal); then the shallowest list is released, each request taking one
page of the budget, in the order the links were found.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response

from newsbot import defaults

logger = logging.getLogger(__name__)

# Request.meta key a spider sets on a followed link: its depth (1: linked from a start
# page). Requests without it (start URLs, feeds, sitemaps) pass straight through.
BUDGET_DEPTH = "newsbot_budget_depth"


class BreadthFirstBudget:
    """Spider middleware holding followed links (``meta[BUDGET_DEPTH]``) back by
    depth and releasing them level by level against the spider's
    ``take_page_budget()``. Placed nearest the engine, after every other spider
    middleware has filtered the links (spider traps, offsite).

    The waiting lists never hold more links than the budget can still pay for: once
    full, a new link is dropped, or takes the place of a deeper one
    (``newsbot/budget/dropped``).
    Off with ``NEWSBOT_BREADTH_FIRST_BUDGET_ENABLED = False`` (the spider then takes
    the budget as it yields each link)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.pending: dict[int, list[Request]] = {}
        self.waiting = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BreadthFirstBudget:
        if not crawler.settings.getbool(
            "NEWSBOT_BREADTH_FIRST_BUDGET_ENABLED", defaults.NEWSBOT_BREADTH_FIRST_BUDGET_ENABLED
        ):
            raise NotConfigured("NEWSBOT_BREADTH_FIRST_BUDGET_ENABLED is off")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        return middleware

    def _room(self, spider: Spider | None) -> bool:
        max_pages = getattr(spider, "max_pages", None)
        if max_pages is None:
            return True
        return int(getattr(spider, "pages_requested", 0)) + self.waiting < int(max_pages)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        async for item in result:
            depth = item.meta.get(BUDGET_DEPTH) if isinstance(item, Request) else None
            if depth is None:
                yield item
                continue
            depth = int(depth)
            if self._room(spider):
                self.waiting += 1
            else:
                # Full: a shallower link takes the place of the deepest one found last.
                deepest = max(self.pending, default=depth)
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("newsbot/budget/dropped")
                spent = getattr(spider, "note_budget_spent", None)
                if spent is not None:
                    spent()
                if deepest <= depth:
                    continue
                self.pending[deepest].pop()
                if not self.pending[deepest]:
                    del self.pending[deepest]
            self.pending.setdefault(depth, []).append(item)

    def spider_idle(self, spider: Spider) -> None:
        """Release the shallowest waiting level; keep the spider open while it runs."""
        take = getattr(spider, "take_page_budget", None)
        while self.pending:
            depth = min(self.pending)
            level = self.pending.pop(depth)
            self.waiting -= len(level)
            released = 0
            for request in level:
                if take is not None and not take():
                    self.pending.clear()
                    self.waiting = 0
                    break
                assert self.crawler.engine is not None
                self.crawler.engine.crawl(request)
                released += 1
            if released:
                logger.debug("released %d links of depth %d", released, depth)
                raise DontCloseSpider
