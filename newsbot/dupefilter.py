"""Scrapy's duplicate filter, saying when it ends a redirect loop."""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.dupefilters import RFPDupeFilter

logger = logging.getLogger(__name__)


class RedirectLoopReportingDupeFilter(RFPDupeFilter):
    """A redirect that leads back to a URL already fetched is a loop; Scrapy's filter
    ends it silently (a DEBUG line at most). This one logs it once per URL at WARNING
    and counts ``newsbot/fetch/redirect_loop``, so an operator sees which page was
    lost to it."""

    def log(self, request: Request, spider: Spider) -> None:
        chain = request.meta.get("redirect_urls")
        if chain:
            logger.warning(
                "redirect loop: %s leads back to itself (%s); not fetched",
                chain[0],
                " -> ".join([*chain, request.url]),
            )
            spider.crawler.stats.inc_value("newsbot/fetch/redirect_loop")
        super().log(request, spider)
