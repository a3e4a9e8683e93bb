"""Archive every response a crawl fetches into WARC.gz files."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response

from newsbot import __version__, defaults
from newsbot.run_context import run_context
from newsbot.warc.writer import Exchange, RotatingWarcWriter

logger = logging.getLogger(__name__)

FILES_STAT = "newsbot/warc/files"
"""Stats key holding the list of WARC files written in this run, in order."""


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    pairs = []
    for key, values in headers.items():
        name = key.decode("latin-1")
        for value in values:
            pairs.append((name, value.decode("latin-1")))
    return pairs


class WarcArchiveMiddleware:
    """Writes each response the crawl downloads, with the request that fetched it, to
    ``<NEWSBOT_OUTPUT_DIR>/<source>/<run id>-00000.warc.gz`` (then ``-00001`` once a
    file reaches ``NEWSBOT_WARC_MAX_BYTES``), so a dataset can be rebuilt later
    (``newsbot extract *.warc.gz``) without fetching again.

    Settings: ``NEWSBOT_WARC_ENABLED`` (default False), ``NEWSBOT_WARC_MAX_BYTES``
    (default 1 GB, as Common Crawl's files). The files written are listed in the stats
    under ``newsbot/warc/files``, for the run manifest.

    It sits next to the downloader (priority 950) so that it stores what was on the
    wire: redirects, error pages and robots.txt included, bodies still compressed as
    sent. The HTTP client has already joined a chunked body, so the
    ``Transfer-Encoding`` header is left out to keep the record consistent.
    """

    def __init__(self, crawler: Crawler, max_bytes: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_bytes = max_bytes
        self.writer: RotatingWarcWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchiveMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_WARC_ENABLED"):
            # Off by default: no message, or every crawl would log a warning about it.
            raise NotConfigured
        max_bytes = settings.getint("NEWSBOT_WARC_MAX_BYTES", defaults.NEWSBOT_WARC_MAX_BYTES)
        if max_bytes <= 0:
            raise NotConfigured("NEWSBOT_WARC_MAX_BYTES must be positive")
        middleware = cls(crawler, max_bytes)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _open(self) -> RotatingWarcWriter:
        settings = self.crawler.settings
        # The archive sits beside the run's JSON Lines.
        run = run_context(self.crawler)
        info = {
            "software": f"newsbot/{__version__}",
            "format": "WARC File Format 1.1",
            "isPartOf": f"{run.source}/{run.run_id}",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "operator": str(settings.get("NEWSBOT_CONTACT", defaults.NEWSBOT_CONTACT)),
        }
        return RotatingWarcWriter(run.source_dir, run.run_id, self.max_bytes, info)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Any:
        # A response replayed from Scrapy's HTTP cache was not fetched in this run.
        if "cached" in response.flags:
            return response
        if self.writer is None:
            self.writer = self._open()
        request_headers = _header_pairs(request.headers)
        if not any(name.lower() == "host" for name, _ in request_headers):
            request_headers.insert(0, ("Host", urlsplit(request.url).netloc))
        response_headers = [
            (name, value)
            for name, value in _header_pairs(response.headers)
            if name.lower() != "transfer-encoding"
        ]
        ip_address = getattr(response, "ip_address", None)
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=request_headers,
            request_body=request.body,
            status=response.status,
            response_headers=response_headers,
            body=response.body,
            date=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(ip_address) if ip_address else None,
        )
        files_before = len(self.writer.files)
        try:
            self.writer.write(exchange)
        except OSError as exc:
            # A full disk must not stop the crawl's own output.
            logger.error("cannot archive %s: %s", response.url, exc)
            self.stats.inc_value("newsbot/warc/errors")
            return response
        self.stats.inc_value("newsbot/warc/responses")
        if len(self.writer.files) != files_before:
            self.stats.set_value(FILES_STAT, list(self.writer.files))
        return response

    def spider_closed(self, spider: Spider) -> None:
        if self.writer is not None:
            self.writer.close()
            logger.info(
                "archived %d responses in %s",
                self.writer.records // 2,
                ", ".join(self.writer.files),
            )
