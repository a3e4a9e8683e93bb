"""Meta refresh redirects, found without decoding every page.

Scrapy's ``MetaRefreshMiddleware`` looks for ``<meta http-equiv="refresh">`` in the
first 4,096 characters of a page, but gets them by decoding the whole body first
(``response.text``), which costs the event loop about a tenth of a millisecond per
news page and keeps a decoded copy of every body alive. Those 4,096 characters lie
within the first 16,384 bytes in any ASCII-compatible encoding (at most four bytes a
character), where the word "refresh" then appears as ASCII bytes: a page without it
there cannot redirect, and is passed on untouched. Pages that may be in UTF-16 or
UTF-32 (a NUL byte in that head) and pages that mention "refresh" go to Scrapy's
middleware unchanged, so the behaviour and settings (``METAREFRESH_*``) are Scrapy's.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response

# 4,096 characters (what Scrapy reads) at up to four bytes each.
HEAD_BYTES = 4 * 4096


def may_refresh(body: bytes) -> bool:
    """Whether a page whose body is *body* may hold a meta refresh in the part Scrapy
    reads: the word "refresh" in its head, or an encoding where ASCII is not ASCII."""
    head = body[:HEAD_BYTES]
    return b"\x00" in head or b"refresh" in head.lower()


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta refresh handling, run only on pages that may need it."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_refresh(response.body):
            return response
        return super().process_response(request, response)
