"""The record, Scrapy-free: built from what extraction found, judged an article or
not, and kept or dropped as a duplicate within the run."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from newsbot.canonical_urls import canonicalize_url, host_of
from newsbot.extraction import ExtractedArticle
from newsbot.extraction.words import count_words
from newsbot.items import ArticleRecord, record_id


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
        word_count=article.word_count if article.word_count else count_words(article.text),
        fetched_at=fetched_at or utc_now(),
        source=source,
        removed=dict(article.removed),
        error=article.error,
    )


# --- Is it an article, and a new one? ---------------------------------------------
# The crawl's pipelines, `newsbot extract` and the WARC reader all decide here, so
# that the three cannot drift apart. Nothing below knows about Scrapy: a rejection is
# a `Rejected`, which the pipelines turn into Scrapy's DropItem.

# Pages that are not the article but stand in its place: error pages, paywall stubs.
_STUB = re.compile(
    r"(page (was )?not found|404 error|this page (does not|doesn't) exist|"
    r"subscribe to (continue|read)|to continue reading|this (article|content) is "
    r"(for|available to) (subscribers|members)|already a subscriber|"
    r"enable javascript|access denied|are you a robot)",
    re.IGNORECASE,
)

Count = Callable[[str, int], None]
"""Adds to a named counter (Scrapy's ``stats.inc_value``, or a Counter's update)."""


class Rejected(Exception):
    """A page that gives no record: *reason* is the stable key counted in the stats
    (``newsbot/dropped/<reason>`` or ``newsbot/extract/error/<reason>``), the message
    says which page and why."""

    def __init__(self, reason: str, message: str, *, log_level: str = "INFO"):
        super().__init__(message)
        self.reason = reason
        self.log_level = log_level


def not_an_article(record: ArticleRecord, min_words: int) -> tuple[str, str] | None:
    """Why *record* is no article, as ``(reason, detail)``, or ``None`` when it is one:
    no headline, fewer than *min_words* words, or an error or paywall stub."""
    if not record.title:
        return "no_title", "the page has no headline"
    if record.word_count < min_words:
        if record.text and _STUB.search(record.text):
            return "stub", "an error or paywall page"
        return "too_short", f"{record.word_count} words < {min_words}"
    if record.word_count < 150 and record.text and _STUB.search(record.text):
        return "stub", "an error or paywall page"
    return None


def validate_record(record: ArticleRecord, min_words: int, count: Count) -> None:
    """Raise :class:`Rejected` (counted as ``newsbot/dropped/<reason>``) when *record*
    is no article (:func:`not_an_article`)."""
    problem = not_an_article(record, min_words)
    if problem is not None:
        reason, detail = problem
        count(f"newsbot/dropped/{reason}", 1)
        raise Rejected(reason, f"{reason}: {record.url} ({detail})")


def record_from_article(
    article: ExtractedArticle,
    *,
    url: str,
    source: str,
    fetched_at: str,
    count: Count,
    hints: dict[str, Any] | None = None,
    require_article: bool = False,
) -> ArticleRecord:
    """Turn what extraction found into a record, or raise :class:`Rejected` when the
    page gave no article; what happened is counted through *count*."""
    count("newsbot/extract/pages", 1)
    if article.error and not article.text:
        # A stable key per kind of failure ("extraction timed out after 3s" and
        # "... after 30s" count together).
        reason = re.sub(r"[^a-z]+", "_", article.error.split(":", 1)[0].lower())
        reason = re.sub(r"_after_.*$", "", reason).strip("_") or "error"
        count(f"newsbot/extract/error/{reason}", 1)
        raise Rejected(reason, f"no article text in {url}: {article.error}")
    if require_article and not article.is_article:
        count("newsbot/dropped/not_article", 1)
        raise Rejected("not_article", f"not an article page: {url}", log_level="DEBUG")
    for kind, removed in article.removed.items():
        count(f"newsbot/clean/removed/{kind}", removed)
    record = make_record(article, url=url, source=source, fetched_at=fetched_at, hints=hints)
    record.error = None
    return record


@functools.lru_cache(maxsize=256)
def text_fingerprint(text: str) -> bytes:
    """A compact fingerprint of a text, blind to whitespace and case.

    Cached: the dedupe pipeline and the crawl state both ask for the fingerprint of
    each record's text, and a string's hash (the cache key) is computed once per
    string object."""
    normalised = " ".join(text.lower().split())
    return hashlib.blake2b(normalised.encode("utf-8"), digest_size=16).digest()


def fingerprint_hex(text: str | None) -> str:
    """The text fingerprint the crawl state stores for a record."""
    return text_fingerprint(text or "").hex()


class RunDedup:
    """One record per canonical URL and (with *by_text*) per text within a run.
    Keys are 16-byte digests, so memory stays small on long crawls."""

    def __init__(self, *, by_text: bool = True):
        self.by_text = by_text
        self.seen_urls: set[bytes] = set()
        self.seen_texts: set[bytes] = set()

    def admit(self, record: ArticleRecord, count: Count) -> None:
        """Remember *record*, or raise :class:`Rejected` (counted as
        ``newsbot/dropped/duplicate_url`` or ``duplicate_text``) when the run already
        wrote its canonical URL or its text."""
        url_key = hashlib.blake2b(record.canonical_url.encode("utf-8"), digest_size=16).digest()
        if url_key in self.seen_urls:
            count("newsbot/dropped/duplicate_url", 1)
            raise Rejected("duplicate_url", f"duplicate_url: {record.url} ({record.canonical_url})")
        if self.by_text:
            text_key = text_fingerprint(record.text or "")
            if text_key in self.seen_texts:
                count("newsbot/dropped/duplicate_text", 1)
                raise Rejected("duplicate_text", f"duplicate_text: {record.url}")
            self.seen_texts.add(text_key)
        self.seen_urls.add(url_key)
