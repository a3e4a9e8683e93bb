"""The extraction entry point."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from newsbot.extraction.article import ExtractedArticle, ExtractionOptions
from newsbot.extraction.clean import (
    CleaningContext,
    as_trafilatura_xml,
    body_to_text,
    build_link_index,
    clean_body,
    remove_element,
    text_key,
)
from newsbot.extraction.encoding import decode_html_utf8, runs_without_gt
from newsbot.extraction.metadata import (
    Metadata,
    clean_title,
    extract_metadata,
)
from newsbot.extraction.metadata import normalize_date as _normalize_date
from newsbot.extraction.pagekind import classify_text
from newsbot.extraction.rescue import PageProse, choose_body, rescue_reason
from newsbot.extraction.words import count_words

logger = logging.getLogger(__name__)

MAX_HTML_CHARS = 10_000_000
"""Pages larger than this (after decoding) are cut: no article needs more, and it
bounds the time a hostile page can take."""
MAX_ATTRIBUTE_CHARS = 2000
"""Longer attribute values (other than a meta's content or a link) are dropped before
extraction."""
_LONG_ATTRIBUTE = re.compile(r"=\s*[\"'][^\"'<>]{" + str(MAX_ATTRIBUTE_CHARS) + "}")
# The elements holding such a value, found natively: a walk over every element in
# Python costs twice as much (each element visited gets a Python proxy).
_HAS_LONG_ATTRIBUTE = etree.XPath(f"//@*[string-length(.) > {MAX_ATTRIBUTE_CHARS}]/..")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that are never seen on the page and only split words for a machine: soft
# hyphens, zero-width spaces, word joiners, stray byte-order marks. (The zero-width
# joiner and non-joiner stay: they shape Persian, Indic scripts and emoji.)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


def extract_article(
    html: bytes | str,
    url: str | None = None,
    options: ExtractionOptions | None = None,
    *,
    content_type: str | None = None,
) -> ExtractedArticle:
    """Extract and clean the article of one page. Never raises: failures come back as
    an :class:`ExtractedArticle` with ``text`` None and ``error`` set."""
    try:
        return _extract(html, url, options or ExtractionOptions(), content_type)
    except RecursionError:
        return ExtractedArticle(error="extraction failed: page nested too deeply")
    except Exception as exc:  # extraction must never take the crawl down
        logger.debug("extraction failed for %s", url, exc_info=True)
        return ExtractedArticle(error=f"extraction failed: {type(exc).__name__}: {exc}")


# trafilatura's parser settings: comments and processing instructions are never text.
_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
# Every element of the page is an HtmlElement (trafilatura calls its text_content),
# chosen in C: lxml.html's own lookup asks a Python method for each element proxy
# (a tenth of the extraction time), to give form and input elements classes of
# their own that no extractor uses.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
# An XHTML-style doctype (one holding a "/", as in its DTD address) on the first line,
# and a self-closing <html/> start tag: libxml2 mis-parses both.
_SLASHED_DOCTYPE = re.compile(r"^< ?! ?doctype[^>]*/[^<>]*>", re.IGNORECASE)
_SELF_CLOSING_HTML = re.compile(r"(<html\b[^>]*?)\s*/>", re.IGNORECASE)


def _parse(text: str, utf8: bytes | None = None) -> etree._Element | None:
    """Parse a decoded page as trafilatura's ``load_html`` would, without its second
    pass over the text for control characters (decoding has dropped them already) and
    from UTF-8 bytes, which libxml2 reads faster than a Python string (``utf8``: the
    text's UTF-8 when the caller has it)."""
    original = text
    beginning = text[:50].lower()
    if "doctype" in beginning:
        first, newline, rest = text.partition("\n")
        fixed = _SLASHED_DOCTYPE.sub("", first, count=1)
        if fixed != first:
            text = fixed + newline + rest
    for line in text[:4096].splitlines()[:4]:
        if "<html" in line.lower() and line.endswith("/>"):
            text = _SELF_CLOSING_HTML.sub(r"\1>", text, count=1)
            break
    if text is not original:
        utf8 = None
    if "\ufffe" in text or "\uffff" in text:
        # Noncharacters XML cannot hold; lxml refuses text containing them.
        text, utf8 = text.replace("\ufffe", "").replace("\uffff", ""), None
    if utf8 is None:
        utf8 = text.encode("utf-8", "surrogatepass")
    try:
        tree = lxml.html.fromstring(utf8, parser=_PARSER)
    except (ValueError, etree.LxmlError):
        return None
    if tree is None or not isinstance(tree.tag, str) or len(tree) < 1:
        return None
    if "html" not in beginning and len(tree) < 2:
        # Neither an HTML declaration nor a document's structure: not a page.
        return None
    return tree


def drop_selectors(tree: etree._Element, selectors: tuple[str, ...] | list[str]) -> int:
    """Remove the elements matched by CSS or XPath selectors; return how many."""
    from lxml.cssselect import CSSSelector

    dropped = 0
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        try:
            if selector.startswith(("/", "(", "./")):
                matches = tree.xpath(selector)
            else:
                matches = CSSSelector(selector)(tree)
        except Exception:  # a bad selector from a sources file must not stop extraction
            logger.warning("ignoring invalid cleanup selector %r", selector)
            continue
        for element in matches if isinstance(matches, list) else []:
            if isinstance(element, etree._Element) and element.getparent() is not None:
                remove_element(element)
                dropped += 1
    return dropped


def _has_long_attribute(text_html: str) -> bool:
    """Whether the page may hold an attribute value of :data:`MAX_ATTRIBUTE_CHARS`: such a
    value lies in a run of the page without '>', and only those runs are searched (a
    search of the whole page costs a fifth of a millisecond)."""
    return any(
        _LONG_ATTRIBUTE.search(text_html, start, end) is not None
        for start, end in runs_without_gt(text_html, MAX_ATTRIBUTE_CHARS)
    )


def _trim_attributes(tree: etree._Element) -> None:
    """Drop attribute values no real page needs at that size: trafilatura matches
    class and id values with regular expressions, so a megabyte-long one costs seconds."""
    for element in _HAS_LONG_ATTRIBUTE(tree):
        attrib = element.attrib
        for name, value in list(attrib.items()):
            if len(value) > MAX_ATTRIBUTE_CHARS and name not in {"content", "href", "src"}:
                del attrib[name]


def _prepare(
    text_html: str, options: ExtractionOptions, utf8: bytes | None = None
) -> etree._Element | None:
    """Parse a decoded page (``utf8``: its UTF-8, when known) and apply what every
    extraction of it needs: long attribute values trimmed, the source's own selectors
    dropped."""
    tree = _parse(text_html, utf8)
    if tree is None:
        return None
    if _has_long_attribute(text_html):
        _trim_attributes(tree)
    if options.extra_cleanup:
        drop_selectors(tree, options.extra_cleanup)
    return tree


# trafilatura's options for both of its runs. The output format is a text format: the
# "python" one would render the body as text too, which newsbot does its own way (the
# format changes only what is rendered, never what is extracted).
_BARE_OPTIONS: dict[str, Any] = {
    "with_metadata": False,
    "include_comments": False,
    "output_format": "txt",
}


def _extract(
    html: bytes | str, url: str | None, options: ExtractionOptions, content_type: str | None
) -> ExtractedArticle:
    if isinstance(html, bytes):
        # decode_html already drops control characters.
        text_html, utf8 = decode_html_utf8(html, content_type)
        if len(text_html) > MAX_HTML_CHARS:
            text_html, utf8 = text_html[:MAX_HTML_CHARS], None
    else:
        text_html, utf8 = _CONTROL.sub("", html[:MAX_HTML_CHARS]), None
    if not text_html.strip():
        return ExtractedArticle(error="empty page")
    tree = _prepare(text_html, options, utf8)
    if tree is None:
        return ExtractedArticle(error="not an HTML page")
    meta = extract_metadata(tree, url)
    _fill_from_visible(meta, tree, url, options)
    # Metadata read, what is never article text goes (see _drop_inert).
    # The page's bytes, where a word is found ten times faster than in its text (not
    # in UTF-16, where no ASCII word is a run of bytes).
    source = html if isinstance(html, bytes) and b"\x00" not in html[:4096] else None
    pruned = _drop_inert(tree, source)
    # The page's prose blocks (the pruned containers' too): the evidence against which
    # the fast result is checked and candidates are compared, read when first needed.
    prose = functools.cache(
        functools.partial(
            PageProse.of, tree, _INERT_CONTAINERS, pruned, one_story=not meta.forum_thread
        )
    )
    # fast: trafilatura's readability and jusText fallbacks cost a third of its time
    # and, measured on three evaluation sets, rarely change the result; the rescue
    # below runs them on the pages where the fast result falls short of the page's
    # prose. bare_extraction works on a copy of the tree.
    doc = trafilatura.bare_extraction(tree, fast=True, **_BARE_OPTIONS, url=url)
    # A Document; its body is the XML tree.
    body = getattr(doc, "body", None)
    fast_text = body_to_text(body) if body is not None else ""
    reason = rescue_reason(body, fast_text, prose, meta.article_body)
    if reason is None and _lost_structure(body, tree):
        reason = "flat"
    rescued = reason is not None
    if reason is not None:
        # trafilatura's full cascade, on the page as it came (the up-front pruning may
        # be what lost the article: an unclosed element inside a sidebar swallows it).
        whole = _prepare(text_html, options, utf8)
        try:
            second = (
                trafilatura.bare_extraction(whole, **_BARE_OPTIONS, url=url)
                if whole is not None
                else None
            )
        except RecursionError:
            raise
        except Exception:  # the fast result stands: a failed second opinion loses nothing
            logger.debug("full cascade failed for %s", url, exc_info=True)
            second = None
        second_body = getattr(second, "body", None)
        if second_body is not None and whole is not None:
            # Its fallbacks (readability, jusText) may hand back the page's own HTML.
            as_trafilatura_xml(second_body)
            second_text = body_to_text(second_body)
            if choose_body(
                body, fast_text, second_body, second_text, prose, reason, meta.article_body
            ):
                body, tree, fast_text = second_body, whole, second_text
    if body is None:
        return _article(meta, None, {}, error="no main text found", rescued=rescued)
    removed: dict[str, int] = {}
    # The text of the body kept, before cleaning.
    raw_text = fast_text
    if options.clean:
        raw_words = count_words(raw_text)
        links = build_link_index(tree, within=text_key(raw_text))
        context = CleaningContext(
            title=meta.title,
            description=meta.description,
            links=links,
            headings=frozenset(text_key("".join(h.itertext())) for h in tree.iter("h1")),
        )
        removed = clean_body(body, context)
        clean_text = body_to_text(body).translate(_INVISIBLE)
        words = count_words(clean_text)
        if raw_words >= _GUARDED_WORDS and words * 2 < raw_words:
            # Clutter is the smaller part of what trafilatura keeps: cleaning that would
            # remove most of it has taken the article for clutter (a page whose every
            # paragraph repeats, a headline that is its first line). Keep it whole.
            clean_text, removed = raw_text.translate(_INVISIBLE), {}
            words = count_words(clean_text)
    else:
        clean_text = raw_text.translate(_INVISIBLE)
        words = count_words(clean_text)
    text = clean_text.strip() or None
    return _article(
        meta,
        text,
        removed,
        error=None if text else "no main text found",
        rescued=rescued,
        words=words if text else 0,
    )


# A subheading or a list right after a paragraph of prose: the structure of an article's
# text (a teaser card puts its heading before its summary, not after).
_STRUCTURE_IN_PROSE = etree.XPath(
    "//p[string-length(normalize-space()) >= 100]/following-sibling::*[1]"
    "[self::h2 or self::h3 or self::h4 or self::ol or self::ul]"
)


def _lost_structure(body: etree._Element | None, tree: etree._Element) -> bool:
    """Whether the fast result is a flat list of paragraphs (no subheading, list or
    inline markup: what trafilatura's last-resort baseline returns when its main
    extractor found nothing) on a page whose prose has subheadings or lists."""
    if body is None or len(body) < 3:
        return False
    if any(child.tag != "p" or len(child) for child in body):
        return False
    return bool(_STRUCTURE_IN_PROSE(tree))


# Cleaning may remove at most half the words of a body of at least this many words.
_GUARDED_WORDS = 50


# Elements trafilatura deletes before it looks for the article (it only restores them
# in a last-resort retry when nothing else is left, when they would be a page's menus):
# scripts and styles, drawings, navigation, footers, sidebars, embedded frames, form
# controls and media players. (Images stay: trafilatura unwraps them, and an image
# between two words is the space between them.)
_INERT = (
    # never text
    "script",
    "style",
    "svg",
    "noscript",
    "iframe",
    "meta",
    "link",
    # menus, footers, sidebars
    "nav",
    "footer",
    "aside",
    # controls and media players (trafilatura deletes them with their contents, labels
    # and fallback texts included)
    "button",
    "input",
    "select",
    "option",
    "textarea",
    "source",
    "picture",
    "video",
    "audio",
    "canvas",
    "object",
    "embed",
    "map",
    "area",
)
# Those of them that hold text a reader sees: when one of them holds most of the page's
# prose, the markup is broken (an unclosed element stretched it over the article).
_INERT_CONTAINERS = frozenset({"nav", "footer", "aside"})


def _drop_inert(tree: etree._Element, source: bytes | None = None) -> list[etree._Element]:
    """Remove what trafilatura would delete anyway, once, up front: it walks the whole
    page with each of a dozen XPath passes and copies it twice before deleting these,
    and on news pages they are a third of the markup or more (menus, footers, related
    links). JSON-LD scripts stay: trafilatura reads them (forum pages). Dialogs go too
    (see :func:`_dialogs`; ``source``, the page's HTML when known, tells which of their
    marks to look for). Returns the removed navigation, footers and sidebars: the rescue reads
    their prose."""
    doomed = [
        element
        for element in tree.iter(*_INERT)
        if element.tag != "script" or element.get("type") != "application/ld+json"
    ]
    for element in doomed:
        # Its tail is text of the parent's, kept.
        remove_element(element)
    for element in _dialogs(tree, source):
        remove_element(element)
    return [element for element in doomed if element.tag in _INERT_CONTAINERS]


# Dialogs: log-in, registration and consent panels, newsletter pop-ups, image viewers,
# present in the markup of every page of a site and shown over it on demand. They are
# never the article, and on a short article (a video's description) their panels hold
# more prose than the story does.
# Each kind of mark found natively, and looked for only when the page's source holds its
# word: the attribute walks cost a third of a millisecond on a large page.
_DIALOG_BY_CLASS = etree.XPath("//@class[contains(., 'modal')]/..")
_DIALOG_BY_ROLE = etree.XPath(
    "//@role[. = 'dialog' or . = 'alertdialog']/.. | //@aria-modal[. = 'true']/.."
)
_MODAL_CLASS = re.compile(r"(?:^|[\s_-])modal(?:$|[\s_-])", re.IGNORECASE)
# Set on <body> or a wrapper while a dialog is open: a state, not a dialog.
_MODAL_STATE = re.compile(r"(?:^|\s)(?:has-|is-)?modal[-_](?:open|active|shown)(?:$|\s)", re.I)


def _dialogs(tree: etree._Element, source: bytes | None) -> list[etree._Element]:
    """The page's dialogs, outermost only, leaving out any that holds the headline or
    the page's main element (a site that names its article wrapper after a reader
    overlay). ``source``, the page's HTML, spares the walks for marks it never names."""
    candidates: list[etree._Element] = []
    if source is None or b"dialog" in source:
        candidates.extend(tree.iter("dialog"))
        candidates.extend(_DIALOG_BY_ROLE(tree))
    if source is None or b"modal" in source:
        candidates.extend(
            element
            for element in _DIALOG_BY_CLASS(tree)
            if _MODAL_CLASS.search(_MODAL_STATE.sub(" ", element.get("class") or ""))
        )
    marked = set(candidates)
    return [
        element
        for element in dict.fromkeys(candidates)
        if element.tag not in {"html", "body", "main"}
        and not any(ancestor in marked for ancestor in element.iterancestors())
        and next(element.iter("h1", "main"), None) is None
    ]


def _fill_from_visible(
    meta: Metadata, tree: etree._Element, url: str | None, options: ExtractionOptions
) -> None:
    """Fill what the markup did not give from the visible page: headline, bylines,
    dates (trafilatura's and htmldate's heuristics, trusted last). Each fallback runs
    only for a missing field: they cost more than reading the markup."""
    from trafilatura import metadata as tmeta

    if not meta.title:
        meta.title = clean_title(tmeta.extract_title(tree), site_name=meta.site_name, url=url)
    # Authors need no fallback here: extract_metadata reads the visible byline itself,
    # with the rules that keep section names, dates and follow buttons out.
    if not meta.published and options.dates_from_text:
        from htmldate import find_date

        # Markup and URL only (no free-text search): a date guessed from a sidebar is
        # worse than none.
        found = find_date(
            tree, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
        published = _normalize_date(found) if found else None
        if published and meta.modified and published[:10] == meta.modified[:10]:
            # The page gives a modified date and nothing else: htmldate's "original"
            # date is that one. A modified date is no publication date; leave it out.
            published = None
        meta.published = published


def _article(
    meta: Metadata,
    text: str | None,
    removed: dict[str, int],
    *,
    error: str | None,
    rescued: bool = False,
    words: int = 0,
) -> ExtractedArticle:
    return ExtractedArticle(
        **meta.page_fields(),
        text=text,
        word_count=words,
        removed=removed,
        is_article=classify_text(meta.page_type, text).is_article,
        rescued=rescued,
        error=error,
    )
