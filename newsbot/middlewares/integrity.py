"""Report bodies that arrived broken, instead of extracting a part of them silently.

A gzip body cut short (a proxy or server that closed the stream early while the
``Content-Length`` matched what it sent) decompresses without error in Scrapy, which
keeps "as much data as possible": the page would become a record of half an article.
A gzip stream ends with the size of the uncompressed data (its ISIZE field, modulo
2**32); when the decompressed body has another size, the stream was truncated. Reading
the trailer before Scrapy decompresses and comparing after costs no second
decompression.
"""

from __future__ import annotations

import logging
import struct

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

logger = logging.getLogger(__name__)

_TRAILER_META = "newsbot_gzip_isize"


class TruncatedBody(IgnoreRequest):
    """The body arrived incomplete, and retries did not bring it whole."""


class GzipTrailerReader:
    """Runs before Scrapy's HttpCompressionMiddleware (590) on the response: keeps the
    ISIZE of a single-gzip body for :class:`TruncatedGzipCheck`."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GzipTrailerReader:
        return cls()

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        encoding = (response.headers.get(b"Content-Encoding") or b"").strip().lower()
        body = response.body
        if encoding in (b"gzip", b"x-gzip") and len(body) >= 18 and body[:2] == b"\x1f\x8b":
            request.meta[_TRAILER_META] = struct.unpack("<I", body[-4:])[0]
        return response


class TruncatedGzipCheck:
    """Runs after decompression: a body whose size does not match its gzip trailer was
    truncated. It is retried like any transfer fault; when retries run out, the URL is
    given up with one ERROR line and counted as ``newsbot/fetch/truncated``."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TruncatedGzipCheck:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        expected = request.meta.pop(_TRAILER_META, None)
        if expected is None or len(response.body) % 2**32 == expected:
            return response
        spider = spider or self.crawler.spider
        assert spider is not None
        # Scrapy's give-up line would be a second ERROR for the same URL: ours says more.
        retry = get_retry_request(
            request, spider=spider, reason="truncated_gzip", give_up_log_level=logging.INFO
        )
        if retry is not None:
            return retry
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newsbot/fetch/truncated")
        logger.error(
            "%s: the gzip body arrived truncated (%d bytes decompressed, the stream "
            "announced %d); given up after retries",
            request.url,
            len(response.body),
            expected,
        )
        raise TruncatedBody(f"truncated gzip body from {request.url}")
