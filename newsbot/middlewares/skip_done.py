"""Skip article URLs already done, before fetching them; re-check recent ones cheaply."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from newsbot.extensions.crawl_state import CrawlState, crawl_state

logger = logging.getLogger(__name__)

# Request.meta keys. A spider sets DONT_SKIP on a request that must be fetched even if
# its URL is done; RECHECK marks the conditional GETs this middleware sends.
DONT_SKIP = "newsbot_dont_skip"
RECHECK = "newsbot_recheck"


class AlreadyDone(IgnoreRequest):
    """The request was skipped: its URL's record was written by an earlier run, or the
    server said ``304 Not Modified`` to a re-check. Errbacks may stay quiet about it."""


class SkipDoneMiddleware:
    """Downloader middleware: a GET for a URL whose record an earlier run wrote is
    dropped before it reaches the network (``IgnoreRequest``, counted as
    ``newsbot/state/skipped``).

    Only URLs with a written record are ever skipped, so robots.txt, feeds, sitemaps
    and index pages, which never become records, are fetched on every run.

    When the source sets ``recheck_within`` and the URL was first written less than that
    long ago, the request goes out as a conditional GET (``If-None-Match`` /
    ``If-Modified-Since`` from the last response); a ``304 Not Modified`` ends there
    (``newsbot/state/not_modified``), a ``200`` goes on to the pipelines, where
    :class:`newsbot.pipelines.versions.VersionPipeline` writes a new version only if the
    text changed.

    Needs the :class:`~newsbot.extensions.crawl_state.CrawlState` extension; off with it.
    """

    def __init__(self, crawler: Crawler, state: CrawlState):
        self.stats = crawler.stats
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipDoneMiddleware:
        state = crawl_state(crawler)
        if state is None:
            raise NotConfigured("the CrawlState extension is off (NEWSBOT_STATE_ENABLED)")
        return cls(crawler, state)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if request.method != "GET" or request.meta.get(DONT_SKIP):
            return None
        entry = self.state.lookup(request.url)
        if entry is None:
            return None
        if self.state.is_recent(entry, time.time()):
            request.meta[RECHECK] = True
            if entry.etag:
                request.headers.setdefault(b"If-None-Match", entry.etag)
            if entry.last_modified:
                request.headers.setdefault(b"If-Modified-Since", entry.last_modified)
            self.stats.inc_value("newsbot/state/rechecked")
            return None
        self.state.touch(request.url)
        self.stats.inc_value("newsbot/state/skipped")
        logger.debug("skipped %s: its record was written by an earlier run", request.url)
        raise AlreadyDone(f"already done: {request.url}")

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if response.status == 304 and request.meta.get(RECHECK):
            self.state.touch(request.url)
            self.stats.inc_value("newsbot/state/not_modified")
            raise AlreadyDone(f"not modified since the last run: {request.url}")
        return response
