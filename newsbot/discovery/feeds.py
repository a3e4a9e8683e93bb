"""RSS 2.0, RSS 1.0 and Atom feeds, and finding a site's feeds from its home page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from newsbot.canonical_urls import web_url
from newsbot.discovery.feed_dates import ParsedDate, parse_any
from newsbot.discovery.safexml import NotXMLError, local_name, parse_xml

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Sniffing: a feed's root element, possibly after an XML declaration and comments.
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|rdf)[\s>/]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed: the article's URL and what the feed says about it."""

    url: str
    title: str | None = None
    published: ParsedDate | None = None
    language: str | None = None

    def hints(self) -> dict[str, str]:
        """What the entry tells about its page, as PageItem hints."""
        hints: dict[str, str] = {}
        if self.title:
            hints["title"] = self.title
        if self.published:
            hints["published"] = self.published.iso
        if self.language:
            hints["language"] = self.language
        return hints


@dataclass(slots=True)
class Feed:
    """A parsed feed."""

    kind: str
    """``rss``, ``rdf`` (RSS 1.0) or ``atom``."""
    title: str | None = None
    language: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)


def sniff(body: bytes) -> str:
    """Guess what a response body is: ``feed``, ``html`` or ``other``.

    Looks at the first few kilobytes only; Content-Type headers lie too often.
    """
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_ROOT.search(head[:1024]) and not _FEED_ROOT.search(head[:512]):
        return "html"
    if _FEED_ROOT.search(head):
        return "feed"
    if _HTML_ROOT.search(head):
        return "html"
    return "other"


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _child(element: etree._Element, *names: str) -> etree._Element | None:
    for child in element:
        if local_name(child) in names:
            return child
    return None


def _language(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().replace("_", "-")
    return value if 2 <= len(value) <= 8 and value.replace("-", "").isalpha() else None


def _web_url(value: str | None, base_url: str | None) -> str | None:
    return web_url(value, base_url)


def parse_feed(data: bytes, base_url: str | None = None) -> Feed:
    """Parse an RSS 2.0, RSS 1.0 or Atom feed.

    Raises :class:`~newsbot.discovery.safexml.NotXMLError` when *data* is not a feed
    and :class:`~newsbot.discovery.safexml.UnsafeXMLError` for entity tricks.
    """
    root = parse_xml(data)
    kind = local_name(root)
    if kind == "rss":
        channel = _child(root, "channel")
        if channel is None:
            raise NotXMLError("an <rss> document without a <channel>")
        return _parse_rss(channel, root, "rss", base_url)
    if kind == "rdf":
        channel = _child(root, "channel")
        return _parse_rss(channel if channel is not None else root, root, "rdf", base_url)
    if kind == "feed":
        return _parse_atom(root, base_url)
    raise NotXMLError(f"root element is <{kind or '?'}>, not <rss>, <rdf:RDF> or <feed>")


def _parse_rss(
    channel: etree._Element, root: etree._Element, kind: str, base_url: str | None
) -> Feed:
    language = _language(_text(_child(channel, "language")))
    feed = Feed(kind=kind, title=_text(_child(channel, "title")), language=language)
    # RSS 2.0 nests items in the channel; RSS 1.0 puts them beside it.
    items = [e for e in channel if local_name(e) == "item"]
    if kind == "rdf":
        items += [e for e in root if local_name(e) == "item"]
    seen: set[str] = set()
    for item in items:
        url = _web_url(_text(_child(item, "link")), base_url)
        if url is None:
            guid = _child(item, "guid")
            if guid is not None and guid.get("isPermaLink", "true").lower() == "true":
                url = _web_url(_text(guid), base_url)
        if url is None or url in seen:
            continue
        seen.add(url)
        date = parse_any(_text(_child(item, "pubdate"))) or parse_any(
            _text(_child(item, "date"))  # dc:date
        )
        item_language = _language(_text(_child(item, "language")))
        feed.entries.append(
            FeedEntry(
                url=url,
                title=_text(_child(item, "title")),
                published=date,
                language=item_language or language,
            )
        )
    return feed


def _atom_link(entry: etree._Element, base_url: str | None) -> str | None:
    fallback = None
    for link in entry:
        if local_name(link) != "link":
            continue
        rel = (link.get("rel") or "alternate").lower()
        href = _web_url(link.get("href"), base_url)
        if href is None:
            continue
        if rel == "alternate" and (link.get("type") or "text/html").lower() in (
            "text/html",
            "application/xhtml+xml",
        ):
            return href
        if rel == "alternate" and fallback is None:
            fallback = href
    return fallback


def _parse_atom(root: etree._Element, base_url: str | None) -> Feed:
    language = _language(root.get(_XML_LANG))
    feed = Feed(kind="atom", title=_text(_child(root, "title")), language=language)
    seen: set[str] = set()
    for entry in root:
        if local_name(entry) != "entry":
            continue
        # xml:base on the entry, when given, is what relative links resolve against.
        entry_base = web_url(
            entry.get("{http://www.w3.org/XML/1998/namespace}base") or "", base_url
        )
        url = _atom_link(entry, entry_base or base_url)
        if url is None or url in seen:
            continue
        seen.add(url)
        date = parse_any(_text(_child(entry, "published"))) or parse_any(
            _text(_child(entry, "updated"))
        )
        feed.entries.append(
            FeedEntry(
                url=url,
                title=_text(_child(entry, "title")),
                published=date,
                language=_language(entry.get(_XML_LANG)) or language,
            )
        )
    return feed


def discover_feeds(html: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a page declares with ``<link rel="alternate" type="application/rss+xml">``
    (or Atom), absolute, in page order, without repeats."""
    if isinstance(html, bytes) and not html.strip() or isinstance(html, str) and not html.strip():
        return []
    try:
        document = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    urls: list[str] = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = _web_url(link.get("href"), base_url)
        if url and url not in urls:
            urls.append(url)
    return urls
