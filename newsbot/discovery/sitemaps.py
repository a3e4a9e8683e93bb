"""Sitemaps (https://www.sitemaps.org/protocol.html) with Google News tags.

Scrapy's own sitemap parser keeps ``loc`` and ``lastmod`` only; news sitemaps also
carry ``news:publication_date``, ``news:title`` and ``news:language``, which tell the
article's date and title before it is fetched. This module reads them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from newsbot.canonical_urls import web_url
from newsbot.discovery.feed_dates import ParsedDate, parse_w3c
from newsbot.discovery.safexml import (
    NotXMLError,
    TooLargeError,
    gunzip_capped,
    is_gzip,
    local_name,
    parse_xml,
)

# The sitemaps.org limit on an uncompressed sitemap: 50 MB (52,428,800 bytes).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Where sites put their sitemap when robots.txt does not say, most common first.
USUAL_LOCATIONS = (
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/news-sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap_news.xml",
    "/sitemap.xml.gz",
    "/wp-sitemap.xml",
    "/sitemap-index.xml",
)


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One ``<url>`` of a urlset, or one ``<sitemap>`` of a sitemap index."""

    loc: str
    lastmod: ParsedDate | None = None
    news_published: ParsedDate | None = None
    news_title: str | None = None
    news_language: str | None = None

    @property
    def is_news(self) -> bool:
        """Whether the entry carries Google News tags (then it is an article)."""
        return bool(self.news_published or self.news_title)

    @property
    def date(self) -> ParsedDate | None:
        """The entry's best date: the news publication date, else ``lastmod``."""
        return self.news_published or self.lastmod

    def older_than(self, since: datetime) -> bool:
        """Whether the entry is dated and its date is before *since* (aware)."""
        date = self.date
        return date is not None and date.as_utc() < since

    def hints(self) -> dict[str, str]:
        """What the entry tells about its page, as PageItem hints."""
        hints: dict[str, str] = {}
        if self.news_title:
            hints["title"] = self.news_title
        if self.news_published:
            hints["published"] = self.news_published.iso
        if self.news_language:
            hints["language"] = self.news_language
        if self.lastmod:
            hints["lastmod"] = self.lastmod.iso
        return hints


@dataclass(slots=True)
class Sitemap:
    """A parsed sitemap: a ``urlset`` of pages or a ``sitemapindex`` of sitemaps."""

    kind: str
    """``urlset`` or ``sitemapindex``."""
    entries: list[SitemapEntry] = field(default_factory=list)

    @property
    def is_index(self) -> bool:
        return self.kind == "sitemapindex"


def _text(element: object) -> str | None:
    text = getattr(element, "text", None)
    if text is None:
        return None
    text = text.strip()
    return text or None


def _clean_language(value: str | None) -> str | None:
    # news:language is an ISO 639 code; Google also accepts zh-cn and zh-tw.
    if not value:
        return None
    value = value.strip().lower().replace("_", "-")
    return value if 2 <= len(value) <= 8 and value.replace("-", "").isalpha() else None


def parse_sitemap(
    data: bytes, base_url: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Sitemap:
    """Parse a sitemap or sitemap index (gzip-compressed or not).

    Raises :class:`~newsbot.discovery.safexml.NotXMLError` when the document is not a
    sitemap, :class:`~newsbot.discovery.safexml.TooLargeError` when it is bigger than
    *max_bytes* (compressed or not), and
    :class:`~newsbot.discovery.safexml.UnsafeXMLError` for entity tricks.
    """
    if is_gzip(data):
        data = gunzip_capped(data, max_bytes)
    elif len(data) > max_bytes:
        raise TooLargeError(f"is larger than {max_bytes} bytes")
    root = parse_xml(data)
    kind = local_name(root)
    if kind not in ("urlset", "sitemapindex"):
        raise NotXMLError(f"root element is <{kind or '?'}>, not <urlset> or <sitemapindex>")
    child_name = "url" if kind == "urlset" else "sitemap"
    sitemap = Sitemap(kind=kind)
    seen: set[str] = set()
    for child in root:
        if local_name(child) != child_name:
            continue
        entry = _entry(child, base_url)
        if entry and entry.loc not in seen:
            seen.add(entry.loc)
            sitemap.entries.append(entry)
    return sitemap


def _entry(element: object, base_url: str | None) -> SitemapEntry | None:
    loc = lastmod = published = title = language = None
    for part in element:  # type: ignore[attr-defined]
        name = local_name(part)
        if name == "loc":
            loc = _text(part)
        elif name == "lastmod":
            lastmod = _text(part)
        elif name == "news":
            for news_part in part.iter():
                news_name = local_name(news_part)
                if news_name == "publication_date":
                    published = _text(news_part)
                elif news_name == "title":
                    title = _text(news_part)
                elif news_name == "language":
                    language = _text(news_part)
    if not loc:
        return None
    resolved = web_url(loc, base_url)
    if resolved is None:
        return None
    loc = resolved
    return SitemapEntry(
        loc=loc,
        lastmod=parse_w3c(lastmod),
        news_published=parse_w3c(published),
        news_title=" ".join(title.split()) if title else None,
        news_language=_clean_language(language),
    )


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt lists, absolute, in order, without repeats."""
    urls: list[str] = []
    for line in robots_txt.splitlines():
        line = line.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if not sep or key.strip().lower() != "sitemap":
            continue
        url = web_url(value, base_url)
        if url is not None and url not in urls:
            urls.append(url)
    return urls


def site_root(url: str) -> str:
    """The root URL (``scheme://host/``) of *url*."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def is_site_root(url: str) -> bool:
    """Whether *url* names a whole site (no path, no query) rather than a document."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def usual_locations(url: str, locations: Iterable[str] = USUAL_LOCATIONS) -> list[str]:
    """The usual sitemap URLs of the site of *url*."""
    root = site_root(url)
    return [urljoin(root, path) for path in locations]
