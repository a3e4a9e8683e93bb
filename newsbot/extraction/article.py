"""What extraction takes and gives: plain dataclasses, importable without the
extractor (trafilatura), so that the crawl process, which only hands pages to the
workers and reads their results back, does not load it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class ExtractionOptions:
    """How to extract one page."""

    extra_cleanup: tuple[str, ...] = ()
    """CSS or XPath selectors (XPath when starting with ``/`` or ``(``) of elements to
    drop before extraction: a source's own clutter."""
    language: str | None = None
    """The language the source is expected to be in (ISO 639-1), a hint for cleaning."""
    clean: bool = True
    """Apply newsbot's cleaning rules on top of trafilatura (off: trafilatura's text)."""
    dates_from_text: bool = True
    """When the markup gives no publication date, look for one in the visible page
    (htmldate). Off saves a few milliseconds a page."""


@dataclass(kw_only=True, slots=True)
class PageMetadata:
    """The metadata fields of an article page, as extraction hands them on (here, not in
    :mod:`newsbot.extraction.metadata`: the crawl process needs the fields, not the
    rules that read them)."""

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

    def page_fields(self) -> dict[str, Any]:
        """These fields (and no others of a subclass) by name."""
        return {name: getattr(self, name) for name in PAGE_FIELDS}


PAGE_FIELDS = tuple(f.name for f in fields(PageMetadata))


@dataclass(kw_only=True, slots=True)
class ExtractedArticle(PageMetadata):
    """What extraction found on one page: the page's metadata, and its text. Picklable:
    it crosses process boundaries."""

    text: str | None = None
    word_count: int = 0
    """The words of ``text``, counted as :func:`newsbot.extraction.words.count_words`
    does (counted where the text is made, so the crawl process need not)."""
    removed: dict[str, int] = field(default_factory=dict)
    """What cleaning removed, as a count of blocks per kind: ``promo``,
    ``call_to_action``, ``related``, ``caption``, ``consent``, ``boilerplate``."""
    rescued: bool = False
    """Whether the fast extraction fell short of the page's prose, so trafilatura's full
    cascade ran too (the better of the two was kept)."""
    is_article: bool = False
    """Whether the page looks like an article page (JSON-LD article type, og:type
    article, or three paragraphs of prose): :func:`newsbot.extraction.pagekind.classify`,
    the rule the spiders' check before extraction applies too."""
    error: str | None = None
