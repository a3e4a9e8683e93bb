"""Pure extraction and cleaning: ``(html, url, options) -> article fields``.

Nothing in this package imports Scrapy or does I/O, so the crawl pipelines, the
``newsbot extract`` command and the WARC reader all share one code path.

:func:`extract_article` is imported on first use: the crawl process needs only the
dataclasses (its workers extract), and importing trafilatura would cost it a tenth of
a second at start-up and some 20 MB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsbot.extraction.article import ExtractedArticle, ExtractionOptions
from newsbot.extraction.encoding import decode_html

if TYPE_CHECKING:
    from newsbot.extraction.api import extract_article

__all__ = ["ExtractedArticle", "ExtractionOptions", "decode_html", "extract_article"]


def __getattr__(name: str) -> Any:
    if name == "extract_article":
        from newsbot.extraction.api import extract_article

        return extract_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
