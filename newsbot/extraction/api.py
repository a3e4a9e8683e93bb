"""The extraction entry point."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import trafilatura

from newsbot.extraction.encoding import decode_html

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractionOptions:
    """How to extract one page."""

    extra_cleanup: tuple[str, ...] = ()
    """CSS or XPath selectors (XPath when starting with ``/`` or ``(``) of elements to
    drop before extraction: a source's own clutter."""
    language: str | None = None
    """The language the source is expected to be in (ISO 639-1), a hint for cleaning."""


@dataclass(kw_only=True, slots=True)
class ExtractedArticle:
    """What extraction found on one page. Picklable: it crosses process boundaries."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical_url: str | None = None
    text: str | None = None
    removed: dict[str, int] = field(default_factory=dict)
    is_article: bool = False
    """Whether the page looks like an article page (JSON-LD article type, og:type
    article, or a long body of prose)."""
    error: str | None = None


def _none_if_empty(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def extract_article(
    html: bytes | str,
    url: str | None = None,
    options: ExtractionOptions | None = None,
    *,
    content_type: str | None = None,
) -> ExtractedArticle:
    """Extract and clean the article of one page. Never raises: failures come back as
    an :class:`ExtractedArticle` with ``text`` None and ``error`` set."""
    options = options or ExtractionOptions()
    try:
        text_html = decode_html(html, content_type) if isinstance(html, bytes) else html
        if not text_html.strip():
            return ExtractedArticle(error="empty page")
        doc = trafilatura.bare_extraction(
            text_html, url=url, with_metadata=True, include_comments=False
        )
    except Exception as exc:  # extraction must never take the crawl down
        logger.debug("extraction failed for %s", url, exc_info=True)
        return ExtractedArticle(error=f"extraction failed: {type(exc).__name__}: {exc}")
    if doc is None:
        return ExtractedArticle(error="no main text found")
    body = doc.text or ""
    paragraphs = [" ".join(line.split()) for line in body.splitlines()]
    text = "\n\n".join(p for p in paragraphs if p) or None
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return ExtractedArticle(
        title=_none_if_empty(doc.title),
        authors=authors,
        published=_none_if_empty(doc.date),
        language=_none_if_empty(doc.language),
        site_name=_none_if_empty(doc.sitename),
        description=_none_if_empty(doc.description),
        tags=[t for t in (doc.tags or []) if t],
        image=_none_if_empty(doc.image),
        canonical_url=_none_if_empty(doc.url),
        text=text,
        is_article=doc.pagetype == "article",
        error=None if text else "no main text found",
    )
