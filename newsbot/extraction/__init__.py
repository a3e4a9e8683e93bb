"""Pure extraction and cleaning: ``(html, url, options) -> article fields``.

Nothing in this package imports Scrapy or does I/O, so the crawl pipelines, the
``newsbot extract`` command and the WARC reader all share one code path.
"""

from __future__ import annotations

from newsbot.extraction.api import ExtractedArticle, ExtractionOptions, extract_article
from newsbot.extraction.encoding import decode_html

__all__ = ["ExtractedArticle", "ExtractionOptions", "decode_html", "extract_article"]
