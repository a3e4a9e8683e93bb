"""Item classes.

Two items flow through a crawl:

* :class:`PageItem` is what a spider yields for a fetched page: the raw body and what
  discovery knew about the URL. It never reaches an exported record.
* :class:`ArticleRecord` is the clean record that the pipelines write, one JSON line per
  article. It is the single source of the JSON Schema (see :mod:`newsbot.schema`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(kw_only=True, slots=True)
class PageItem:
    """A fetched page on its way to extraction (never exported)."""

    url: str
    """The URL the page was fetched from, after redirects."""
    body: bytes
    """The raw response body."""
    content_type: str | None = None
    """The ``Content-Type`` header, as sent (it may carry a charset)."""
    encoding: str | None = None
    """The encoding Scrapy inferred for the body, when it is a text response."""
    status: int = 200
    """The HTTP status code."""
    source: str
    """The name of the configured source, or of the spider when run without one."""
    fetched_at: str
    """When the response arrived, ISO 8601 in UTC."""
    hints: dict[str, Any] = field(default_factory=dict)
    """What discovery knew: a news-sitemap date, title or language, a feed entry's title.
    Keys: ``published``, ``title``, ``language``, ``lastmod``."""
    last_modified: str | None = None
    """The ``Last-Modified`` response header, for conditional re-fetches."""
    etag: str | None = None
    """The ``ETag`` response header, for conditional re-fetches."""
    extra_cleanup: list[str] = field(default_factory=list)
    """Per-source CSS or XPath selectors of elements to drop before extraction."""
    require_article: bool = False
    """When true, the page becomes a record only if it looks like an article page
    (the ``site`` spider sets it; listed URLs are taken as articles)."""


@dataclass(kw_only=True, slots=True)
class ArticleRecord:
    """One clean article: a line of the JSON Lines output."""

    id: str
    """Stable identifier: the first 32 hex digits of SHA-256 over the canonical URL."""
    url: str
    """The URL the page was fetched from (after redirects)."""
    canonical_url: str
    """The canonical URL: the page's ``<link rel=canonical>`` when it is on the same site,
    else the fetched URL, normalised (tracking parameters dropped, query sorted, no
    fragment)."""
    title: str | None = None
    """The headline, without a " | Site name" or " - Section" suffix."""
    authors: list[str] = field(default_factory=list)
    """People's names, one per entry: no "By", no site name, no social handles."""
    published: str | None = None
    """Publication date and time, ISO 8601, with the offset when the page gives one,
    a bare date (YYYY-MM-DD) when the page gives only a date; null when unknown."""
    modified: str | None = None
    """Last modification date, in the same format as ``published``; null when unknown."""
    language: str | None = None
    """ISO 639-1 code of the text's language (from the page's markup, or detected)."""
    site_name: str | None = None
    """The publication's name (``og:site_name`` or JSON-LD publisher)."""
    description: str | None = None
    """The page's summary (meta description or ``og:description``)."""
    section: str | None = None
    """The section of the site the article belongs to, when the page says so."""
    tags: list[str] = field(default_factory=list)
    """Keywords and tags the page gives."""
    image: str | None = None
    """Absolute URL of the lead image."""
    text: str | None = None
    """The clean article body: paragraphs separated by one blank line, normalised
    whitespace, no promos, calls to action, related links, captions or consent text."""
    word_count: int = 0
    """Number of words in ``text``: runs of Unicode word characters (``\\w+``), except
    that in Chinese, Japanese, Thai, Lao, Khmer and Burmese, written without spaces,
    each character is a word."""
    fetched_at: str | None = None
    """When the page was fetched, ISO 8601 in UTC (for saved files: when it was read)."""
    source: str
    """The configured source, the spider's name, or the file path for ``newsbot extract``."""
    removed: dict[str, int] = field(default_factory=dict)
    """What cleaning removed from the body, as a count per kind: ``promo``,
    ``call_to_action``, ``related``, ``caption``, ``consent``, ``boilerplate``, and
    ``template`` (lines most of the site's articles carry, learned across the crawl)."""
    version: int = 1
    """1 for the first record of a URL; raised each time a re-check finds changed text."""
    error: str | None = None
    """Why no text could be extracted (only in ``newsbot extract`` output); else null."""


def record_id(canonical_url: str) -> str:
    """Return the stable record id of a canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]
