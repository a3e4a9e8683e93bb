"""Is this page an article? One classifier, asked at two moments of a page's life.

- Before extraction, the ``site`` and ``sitemap`` spiders keep section, tag, author and
  other index pages away from it (they are only followed): :func:`classify_page` reads
  the raw page and its URL.
- After extraction, the record's ``is_article`` (what a crawl's ``require_article``
  pages and ``newsbot extract --articles-only`` keep): :func:`classify_text` reads the
  type the page's markup declared (``Metadata.page_type``) and the extracted text.

Each gathers a :class:`PageEvidence`, and :func:`classify` applies the one rule to it.
The evidence differs only in what each moment can see: the raw page knows its URL and
which words sit in links; the extracted text holds the prose however the page marked it
up (``<p>``, ``<br>``, ``<div>``). No Scrapy, no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from newsbot.extraction.words import count_words

# The schema.org types that declare an article, and those that declare a listing: also
# the sets extract_metadata reads Metadata.page_type with, so that both evidences agree.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "scholarlyarticle",
        "techarticle",
        "report",
        "liveblogposting",
        "posting",
        "socialmediaposting",
        "review",
        "criticreview",
    }
)
"""JSON-LD ``@type`` values (lower-cased) that mark an article page."""

LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"})
"""JSON-LD ``@type`` values (lower-cased) that mark a listing page."""

__all__ = [
    "ARTICLE_TYPES",
    "LISTING_TYPES",
    "PageEvidence",
    "PageVerdict",
    "classify",
    "classify_page",
    "classify_text",
    "url_kind",
]

LONG_PARAGRAPH_WORDS = 25
"""A paragraph of running prose has at least this many words (as
:func:`~newsbot.extraction.words.count_words` counts them: in Chinese, Japanese or Thai
a character each, so that their articles are not taken for index pages)."""

# --- the URL's shape ---------------------------------------------------------------------

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

UrlShape = Literal["article", "index", "unknown"]


def url_kind(url: str) -> UrlShape:
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


# --- the rule ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageEvidence:
    """What is known about a page's kind, from its raw HTML or from its extraction."""

    declared: Literal["article", "listing"] | None = None
    """What the page's markup says it is: ``article`` for a JSON-LD article type or an
    ``og:type`` of ``article``, ``listing`` for a JSON-LD collection, item list, search
    results or profile page (and no article). A ``WebSite`` block or ``og:type
    website`` declares nothing: every page of a site carries them."""
    declared_by: str = ""
    """The markup that declared it, for the verdict's reason (``json-ld``, ``og:type``)."""
    has_text: bool = True
    """False for an empty or unparsable page, or an extraction that found no text."""
    long_paragraphs: int = 0
    """Paragraphs of running prose: :data:`LONG_PARAGRAPH_WORDS` words or more, not
    mostly link text (when links are known)."""
    link_ratio: float | None = None
    """Share of the page's visible words inside links; None when unknown (an extracted
    text keeps no links)."""
    url_shape: UrlShape = "unknown"
    """:func:`url_kind` of the page's URL; ``unknown`` when no URL is at hand."""


@dataclass(frozen=True, slots=True)
class PageVerdict:
    """Whether a page looks like an article, and the signal that decided."""

    is_article: bool
    reason: str


def classify(evidence: PageEvidence) -> PageVerdict:
    """Decide whether a page is an article page, strongest signal first.

    1. What the markup declares decides, either way: a site that marks a page up as a
       collection says what it is, whatever prose its teasers hold.
    2. No text, no article.
    3. A listing-shaped URL (a section, a tag, a page number) needs four paragraphs of
       prose to count as an article: a section's intro is often one or two.
    4. Three paragraphs of prose, on a page whose words are not mostly links, make an
       article. Nothing more is asked of them: a technical article is half code and
       captions, a short story has under 200 words, and both are articles.
    5. An article-shaped URL (a date, an id, a long slug) needs one such paragraph.
    """
    if evidence.declared == "article":
        return PageVerdict(True, f"{evidence.declared_by} article type".strip())
    if not evidence.has_text:
        return PageVerdict(False, "empty page")
    if evidence.declared == "listing":
        return PageVerdict(False, "declared listing page")
    long_paragraphs = evidence.long_paragraphs
    if evidence.url_shape == "index" and long_paragraphs < 4:
        return PageVerdict(False, "listing URL")
    if long_paragraphs >= 3 and (evidence.link_ratio is None or evidence.link_ratio < 0.5):
        return PageVerdict(True, "text density")
    if evidence.url_shape == "article" and long_paragraphs >= 1:
        return PageVerdict(True, "article URL")
    return PageVerdict(False, "little running text")


# --- evidence from an extraction ---------------------------------------------------------


def text_evidence(declared: str | None, text: str | None) -> PageEvidence:
    """The evidence of an extraction: the type the page declared
    (``Metadata.page_type``) and the extracted text, whose paragraphs are separated by
    a blank line."""
    kind: Literal["article", "listing"] | None = (
        "article" if declared == "article" else "listing" if declared == "listing" else None
    )
    if not text:
        return PageEvidence(declared=kind, declared_by="declared", has_text=False)
    long_paragraphs = sum(
        1 for paragraph in text.split("\n\n") if count_words(paragraph) >= LONG_PARAGRAPH_WORDS
    )
    return PageEvidence(declared=kind, declared_by="declared", long_paragraphs=long_paragraphs)


def classify_text(declared: str | None, text: str | None) -> PageVerdict:
    """:func:`classify` an extraction (see :func:`text_evidence`)."""
    return classify(text_evidence(declared, text))


# --- evidence from the raw page ----------------------------------------------------------


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
    """``<p>`` elements of :data:`LONG_PARAGRAPH_WORDS` words or more that are not
    mostly link text."""
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
        if words >= LONG_PARAGRAPH_WORDS and link_words * 2 < words:
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


def page_evidence(html: bytes | str, url: str) -> PageEvidence:
    """The evidence of a raw page at *url*: its JSON-LD types and ``og:type``, its
    ``<p>`` paragraphs of prose, the share of its words in links, its URL's shape.
    Cheap: one parse, no extraction."""
    document = parse_html(html)
    if document is None:
        return PageEvidence(has_text=False, url_shape=url_kind(url))
    types = json_ld_types(document)
    og_type = _meta(document, "og:type") or ""
    declared: Literal["article", "listing"] | None = None
    declared_by = ""
    if any(t in ARTICLE_TYPES for t in types):
        declared, declared_by = "article", "json-ld"
    elif og_type.startswith("article"):
        declared, declared_by = "article", "og:type"
    elif any(t in LISTING_TYPES for t in types):
        declared, declared_by = "listing", "json-ld"
    density = text_density(document)
    return PageEvidence(
        declared=declared,
        declared_by=declared_by,
        long_paragraphs=density.long_paragraphs,
        link_ratio=density.link_ratio,
        url_shape=url_kind(url),
    )


def classify_page(html: bytes | str, url: str) -> PageVerdict:
    """:func:`classify` a raw page at *url* (see :func:`page_evidence`)."""
    return classify(page_evidence(html, url))
