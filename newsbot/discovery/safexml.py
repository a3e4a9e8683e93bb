"""Parsing untrusted XML (feeds, sitemaps) without letting it reach out or blow up.

Feeds and sitemaps come from sites newsbot does not control. The parser resolves no
entities (so an ``<!ENTITY x SYSTEM "file:///etc/passwd">`` stays an unexpanded
reference), loads no DTD, touches no network and keeps libxml2's default limits on
tree size. Documents that declare entities at all are refused up front: no feed or
sitemap needs them, and refusing them ends entity-expansion bombs at once.
"""

from __future__ import annotations

import re
import zlib

from lxml import etree

# A gzip member starts with these two bytes (RFC 1952).
GZIP_MAGIC = b"\x1f\x8b"
# Entity declarations live in the DOCTYPE's internal subset, before the root element.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_SUBSET_END = re.compile(rb"\]\s*>")


class UnsafeXMLError(ValueError):
    """The document tries something a feed or sitemap never needs (entities, a bomb)."""


class NotXMLError(ValueError):
    """The bytes are not a well-formed enough XML document to read."""


class TooLargeError(ValueError):
    """A compressed document expands past the size cap."""


def _parser() -> etree.XMLParser:
    # A new parser per document: lxml parsers keep state and are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        # Real-world sitemaps and feeds often have stray bytes or undeclared HTML
        # entities; recovering reads what is readable, as browsers and Scrapy do.
        recover=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse *data* as XML safely and return the root element.

    Raises :class:`UnsafeXMLError` for documents that declare entities (and for
    expansion bombs libxml2 catches), :class:`NotXMLError` for anything without a
    readable root element.
    """
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")  # a BOM or blank line before <?xml
    if not data:
        raise NotXMLError("empty document")
    doctype = _DOCTYPE.search(data)
    if doctype and _declares_entities(data, doctype.end()):
        raise UnsafeXMLError("the document declares XML entities; refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if "amplification" in message or "entity" in message.lower():
            raise UnsafeXMLError(f"entity expansion refused: {message}") from None
        raise NotXMLError(message) from None
    if root is None:
        raise NotXMLError("no root element")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXMLError("the document declares XML entities; refused")
    return root


def _declares_entities(data: bytes, start: int) -> bool:
    """Whether the DOCTYPE starting before *start* has ``<!ENTITY`` declarations in
    its internal subset. Text after the DOCTYPE (an article quoting "<!ENTITY" in
    CDATA) does not count. A subset crafted to end early is still caught after
    parsing, by the DTD check and libxml2's amplification limit."""
    bracket = data.find(b"[", start)
    close = data.find(b">", start)
    if bracket < 0 or 0 <= close < bracket:
        return False  # no internal subset: nothing can be declared
    subset_end = _SUBSET_END.search(data, bracket)
    end = subset_end.start() if subset_end else len(data)
    return _ENTITY_DECLARATION.search(data, bracket, end) is not None


def local_name(element: etree._Element) -> str:
    """An element's tag without its namespace, lower-cased ('' for comments and PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip *data*, refusing to produce more than *max_bytes*.

    Decompression stops as soon as the cap is passed, so a small "gzip bomb" costs
    at most *max_bytes* of memory. Raises :class:`TooLargeError` past the cap and
    :class:`NotXMLError` for a corrupt or truncated stream.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    chunks: list[bytes] = []
    size = 0
    pending = data
    try:
        while pending:
            chunk = decompressor.decompress(pending, max_bytes + 1 - size)
            size += len(chunk)
            chunks.append(chunk)
            if size > max_bytes:
                raise TooLargeError(f"decompresses to more than {max_bytes} bytes")
            pending = decompressor.unconsumed_tail
            if decompressor.eof:
                # Concatenated gzip members are legal; read the next one the same way.
                rest = decompressor.unused_data
                if not rest.startswith(GZIP_MAGIC):
                    break
                decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
                pending = rest
    except zlib.error as exc:
        raise NotXMLError(f"corrupt gzip data: {exc}") from None
    if not decompressor.eof:
        raise NotXMLError("truncated gzip data")
    return b"".join(chunks)


def is_gzip(data: bytes) -> bool:
    """Whether *data* starts like a gzip stream."""
    return data[:2] == GZIP_MAGIC


__all__ = [
    "NotXMLError",
    "TooLargeError",
    "UnsafeXMLError",
    "gunzip_capped",
    "is_gzip",
    "local_name",
    "parse_xml",
]
