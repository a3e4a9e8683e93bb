"""Build the exported record from what extraction found."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsbot.extraction import ExtractedArticle
from newsbot.extraction.words import count_words
from newsbot.items import ArticleRecord, record_id
from newsbot.urls import canonicalize_url, host_of


def utc_now() -> str:
    """The current time, ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def choose_canonical(url: str, declared: str | None) -> str:
    """The page's declared canonical URL when it stays on the same site, else *url*;
    either way canonicalised. A canonical pointing elsewhere (a syndication partner, a
    home page) would merge unrelated articles, so it is not trusted."""
    if (
        declared
        and declared.startswith(("http://", "https://"))
        and host_of(declared) == host_of(url)
    ):
        return canonicalize_url(declared)
    return canonicalize_url(url)


def make_record(
    article: ExtractedArticle,
    *,
    url: str,
    source: str,
    fetched_at: str | None = None,
    hints: dict[str, Any] | None = None,
) -> ArticleRecord:
    """Combine extraction output, the page's URL and discovery hints into a record.

    Discovery hints (a news-sitemap date or language, a feed title) fill only fields
    the page itself left empty: the page is the better witness of its own metadata.
    """
    hints = hints or {}
    canonical = choose_canonical(url, article.canonical_url)
    return ArticleRecord(
        id=record_id(canonical),
        url=url,
        canonical_url=canonical,
        title=article.title or hints.get("title") or None,
        authors=list(article.authors),
        published=article.published or hints.get("published") or None,
        modified=article.modified,
        language=article.language or hints.get("language") or None,
        site_name=article.site_name,
        description=article.description,
        section=article.section,
        tags=list(article.tags),
        image=article.image,
        text=article.text,
        word_count=count_words(article.text),
        fetched_at=fetched_at or utc_now(),
        source=source,
        removed=dict(article.removed),
        error=article.error,
    )
