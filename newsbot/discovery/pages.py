"""Telling article pages from section, tag, author and index pages, cheaply.

The ``site`` spider uses this before handing a page to extraction, so that index pages
are only followed. The extraction side makes the final call
(``ExtractedArticle.is_article``); this check errs towards "article" when the
signals are weak, since a page it rejects never becomes a record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from newsbot.extraction.metadata import ARTICLE_TYPES
from newsbot.extraction.words import count_words

# One list of schema.org article types for the spider's pre-check and extraction.
INDEX_TYPES = frozenset(
    {"collectionpage", "itemlist", "website", "searchresultspage", "profilepage", "aboutpage"}
)

# Paths of listing pages: tags, authors, categories, sections, archives, pagination.
_INDEX_PATH = re.compile(
    r"/(tags?|topics?|authors?|by|people|writers?|contributors?|category|categories|"
    r"section|sections|archives?|search|page|feed|rss|newsletters?|about|contact|"
    r"subscribe|login|register|account|privacy|terms|cookies?|themen|thema|autor|"
    r"rubrique|auteurs?|etiquetas?|categoria|seccion|autores?)(/|$)",
    re.IGNORECASE,
)
_PAGINATION = re.compile(r"([?&](page|p|paged|offset)=\d+)|(/page/\d+/?$)", re.IGNORECASE)
# Article-like paths: a date in the path (/2024/05/07/slug), or a slug of several
# words, or an id of digits in the last segment (/politics/some-story-12345678).
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])(/(0?[1-9]|[12]\d|3[01]))?/[^/]+")
_DATE_SLUG = re.compile(r"(19|20)\d{2}-?(0[1-9]|1[0-2])-?([0-2]\d|3[01])")
_LONG_ID = re.compile(r"\d{5,}")


def url_kind(url: str) -> str:
    """What a URL's shape says: ``article``, ``index`` or ``unknown``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path in ("", "/") or _PAGINATION.search(path + ("?" + parts.query if parts.query else "")):
        return "index"
    if _INDEX_PATH.search(path):
        return "index"
    if _DATE_PATH.search(path):
        return "article"
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    stem = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", last, flags=re.IGNORECASE)
    words = [w for w in re.split(r"[-_]+", stem) if w]
    if _LONG_ID.search(stem) and len(segments) >= 2:
        return "article"
    if _DATE_SLUG.search(stem) and len(words) >= 2:
        return "article"
    if len(words) >= 4 and len(stem) >= 20:
        return "article"
    if len(segments) <= 1 and len(words) <= 2:
        return "index"
    return "unknown"


@dataclass(frozen=True, slots=True)
class PageVerdict:
    """Whether a page looks like an article, and the signal that decided."""

    is_article: bool
    reason: str


def _walk_json_ld(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _walk_json_ld(item)
    elif isinstance(value, dict):
        kind = value.get("@type")
        for one in kind if isinstance(kind, list) else [kind]:
            if isinstance(one, str):
                yield one.rsplit("/", 1)[-1].lower()
        if "@graph" in value:
            yield from _walk_json_ld(value["@graph"])
        main = value.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk_json_ld(main)


def json_ld_types(document: lxml.html.HtmlElement) -> list[str]:
    """The ``@type`` values of a page's JSON-LD blocks, lower-cased."""
    types: list[str] = []
    for script in document.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        types.extend(_walk_json_ld(data))
    return types


def _meta(document: lxml.html.HtmlElement, key: str) -> str | None:
    for meta in document.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == key:
            content = meta.get("content")
            return content.strip().lower() if content else None
    return None


@dataclass(frozen=True, slots=True)
class Density:
    """How much running prose a page has, outside navigation."""

    long_paragraphs: int
    """Paragraphs of 25 words or more that are not mostly link text (words as
    :func:`~newsbot.extraction.words.count_words` counts them: in Chinese, Japanese or
    Thai a character each, so that their articles are not taken for index pages)."""
    prose_words: int
    """Words in those paragraphs."""
    link_ratio: float
    """Share of the page's visible words that sit inside links."""


_SKIP = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form"}
)


def text_density(document: lxml.html.HtmlElement) -> Density:
    """Measure the page's prose: long, link-poor paragraphs outside nav and footers."""
    long_paragraphs = prose_words = 0
    for paragraph in document.iter("p"):
        if any(isinstance(a.tag, str) and a.tag in _SKIP for a in paragraph.iterancestors()):
            continue
        words = count_words(paragraph.text_content())
        link_words = sum(count_words(a.text_content()) for a in paragraph.iter("a"))
        if words >= 25 and link_words * 2 < words:
            long_paragraphs += 1
            prose_words += words
    body = document.find("body")
    scope = body if body is not None else document
    all_words = count_words(scope.text_content())
    link_words = sum(count_words(a.text_content()) for a in scope.iter("a"))
    ratio = link_words / all_words if all_words else 1.0
    return Density(long_paragraphs, prose_words, ratio)


def parse_html(html: bytes | str) -> lxml.html.HtmlElement | None:
    """Parse a page for these checks; None when there is nothing to parse."""
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def classify_page(html: bytes | str, url: str) -> PageVerdict:
    """Decide whether the page at *url* is an article page.

    Strong signals first (JSON-LD type, ``og:type``), then the URL's shape together
    with the amount of running prose.
    """
    document = parse_html(html)
    if document is None:
        return PageVerdict(False, "empty page")
    types = json_ld_types(document)
    if any(t in ARTICLE_TYPES for t in types):
        return PageVerdict(True, "json-ld article type")
    og_type = _meta(document, "og:type")
    if og_type == "article" or (og_type or "").startswith("article"):
        return PageVerdict(True, "og:type article")
    density = text_density(document)
    shape = url_kind(url)
    declared_index = any(t in INDEX_TYPES for t in types) or og_type in ("website", "profile")
    if declared_index and density.long_paragraphs < 3:
        return PageVerdict(False, "declared listing page")
    if shape == "index" and density.long_paragraphs < 4:
        return PageVerdict(False, "listing URL")
    if density.long_paragraphs >= 3 and density.link_ratio < 0.5:
        return PageVerdict(True, "text density")
    if shape == "article" and density.long_paragraphs >= 1:
        return PageVerdict(True, "article URL")
    return PageVerdict(False, "little running text")
