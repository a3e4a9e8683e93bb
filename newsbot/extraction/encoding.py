"""Turn response bytes into text without mojibake, and refuse bytes that are not a page."""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same C0 controls and DEL as bytes. Deleting them before decoding is ten times
# cheaper than a regex over the text, and safe in every ASCII-compatible encoding
# (UTF-8, the single-byte ones, Shift_JIS, GBK, Big5, EUC: none uses these bytes
# inside a character); not in UTF-16/32 or the escape-based ISO-2022 encodings.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# C1 controls (U+0080-U+009F) in UTF-8.
# Bytes that never occur in text (ESC aside: ISO-2022 uses it), for sniffing binaries.
_BINARY_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_WIDE = re.compile(r"^(utf[-_]?(16|32)|utf[-_]?7|iso[-_]?2022|hz)", re.IGNORECASE)
# UTF-8 of U+FFFD itself: a page may really contain it, and that is not a decoding error.
_UTF8_REPLACEMENT = "\ufffd".encode()
# A body cut short (size cap, reset connection) may end inside a multi-byte character.
_TAIL = 3

# Magic numbers of the binary formats that servers most often send where a page was
# expected: the answer is "not a page", never an article made of their bytes.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP, WAV or AVI) file"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x1aE\xdf\xa3", "a WebM/Matroska video"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
# Content types that are never a page, whatever the body looks like.
_NON_PAGE_TYPES = re.compile(
    r"^\s*(image|audio|video|font)/|^\s*application/(pdf|zip|octet-stream)"
)


# Markup that no real page has and that makes the HTML parser and the extractors take
# minutes (their cost grows faster than the input): start tags longer than this are
# cut back to their bare name, and links beyond this count lose their tags (their
# text is kept). Both are checked in one linear pass.
MAX_TAG_LENGTH = 64 * 1024
MAX_LINKS = 5000
_LONG_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9:-]*)[^<>]{{{MAX_TAG_LENGTH},}}>?")
_LINK_TAG = re.compile(r"</?a\b[^<>]*>", re.IGNORECASE)


class NotHtmlError(ValueError):
    """The body is not a text document (a PDF, an image, binary data)."""


def sniff_not_html(body: bytes, content_type: str | None = None) -> str | None:
    """Say what *body* is when it is clearly not an HTML or XML document, else None.

    Checks the Content-Type for media types, then magic numbers, then the share of
    bytes that never occur in text (NUL and other C0 controls) in the first 4 KB.
    """
    if content_type:
        match = _NON_PAGE_TYPES.search(content_type.lower())
        if match:
            media = content_type.split(";", 1)[0].strip().lower()
            # application/octet-stream is what misconfigured servers send for pages too:
            # trust it only when the bytes agree (checked below).
            if media != "application/octet-stream":
                return f"{media} content"
    head = body[:4096].lstrip()
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[4:8] == b"ftyp":
        return "an MP4 or QuickTime video"
    if any(body.startswith(bom) for bom, _ in _BOMS[1:]):
        return None  # UTF-16/32 text has NULs by nature
    sample = body[:4096]
    if sample:
        controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
        # A text page has next to none; a few stray NULs must not cost the page.
        if controls > max(8, len(sample) // 10):
            return "binary data"
    return None


def _decode(body: bytes, name: str) -> tuple[str, int]:
    """Decode leniently; return the text and how many byte sequences did not decode."""
    text = body.decode(name, errors="replace")
    errors = text.count("\ufffd")
    if errors and codecs.lookup(name).name == "utf-8":
        errors -= body.count(_UTF8_REPLACEMENT)
    return text, errors


def _strict(body: bytes, name: str) -> str | None:
    """The text if *body* decodes as *name*, allowing only a character cut off at the end."""
    try:
        return body.decode(name)
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - _TAIL:
            return None
    except LookupError:
        return None
    text, _ = _decode(body, name)
    return text.rstrip("\ufffd")


def _is_multibyte(name: str) -> bool:
    """Whether *name* is a multi-byte encoding: single-byte ones decode any bytes at
    all, so they prove nothing by decoding cleanly."""
    try:
        return len("\u00e9\u4e2d".encode(name, errors="ignore")) not in (0, 1)
    except LookupError:
        return False


def _resolve(label: str | None) -> str | None:
    if not label:
        return None
    name = resolve_encoding(label)
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _cp1252(body: bytes) -> str:
    # The five bytes cp1252 leaves undefined are C1 controls in ISO-8859-1, never text:
    # drop them rather than leave U+FFFD (cp1252 text cannot hold a real U+FFFD).
    return body.decode("cp1252", errors="replace").replace("\ufffd", "")


def runs_without_gt(text: str, length: int = MAX_TAG_LENGTH) -> list[tuple[int, int]]:
    """The maximal runs of at least ``length`` characters without '>', as (start, end)
    offsets. Such a run holds a whole aligned window of half that length, so probing
    those windows with ``str.find`` finds every run without splitting the text (a split
    of a large page costs more than all the rest of this module)."""
    half = length // 2
    runs: list[tuple[int, int]] = []
    for window in range(0, len(text) - half + 1, half):
        if runs and window < runs[-1][1]:
            continue
        if text.find(">", window, window + half) != -1:
            continue
        start = text.rfind(">", 0, window) + 1
        end = text.find(">", window + half)
        end = len(text) if end == -1 else end
        if end - start >= length:
            runs.append((start, end))
    return runs


def defuse_markup(text: str, *, tags_at_most: int | None = None) -> str:
    """Bound the work a hostile page can cause: see :data:`MAX_TAG_LENGTH` and
    :data:`MAX_LINKS`. Pages of ordinary size come back unchanged, after two cheap
    checks (this runs on every page, so the regular expressions run only when needed)."""
    if len(text) < MAX_TAG_LENGTH:
        return text
    # A long tag lies within a run of MAX_TAG_LENGTH characters without '>' (big
    # inline scripts are such runs too): the expression runs on those runs only.
    runs = runs_without_gt(text)
    if runs:
        pieces: list[str] = []
        done = 0
        for start, end in runs:
            if text.find("<", start, end - MAX_TAG_LENGTH + 1) == -1:
                # No tag opens early enough in the run to be that long (a big inline
                # script or JSON blob, its '>'-free text after the tag that opened it).
                continue
            # The run and the '>' that closes it: a match ends there at the latest.
            pieces.append(text[done:start])
            pieces.append(_LONG_TAG.sub(lambda m: f"<{m.group(1)}>", text[start : end + 1]))
            done = end + 1
        pieces.append(text[done:])
        text = "".join(pieces)
    # Every link tag starts with "<a" or "<A" (the counts include <abbr>, <article>...,
    # which only makes the check err on the safe side); first, a page with fewer tags
    # of any kind than that needs no count of its links. ``tags_at_most`` is that bound
    # when the caller knows it (the "<" bytes of the undecoded page, counted at a tenth
    # of the cost of a search through the text).
    if tags_at_most is None:
        tags_at_most = text.count("<")
    if tags_at_most <= 2 * MAX_LINKS:
        return text
    tags = text.count("<a") + (text.count("<A") if "<A" in text else 0)
    if tags <= 2 * MAX_LINKS:
        return text
    links = 0

    def link(match: re.Match[str]) -> str:
        nonlocal links
        links += 1
        return match.group(0) if links <= 2 * MAX_LINKS else ""

    return _LINK_TAG.sub(link, text)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body to text, see :func:`decode_text`; then bound the markup of
    hostile pages (:func:`defuse_markup`)."""
    return decode_html_utf8(body, content_type)[0]


def decode_html_utf8(body: bytes, content_type: str | None = None) -> tuple[str, bytes | None]:
    """:func:`decode_html`, and the text's UTF-8 encoding when the body (less its
    control bytes) already is exactly that (most pages: UTF-8 or ASCII, nothing
    defused), else None. A parser that reads UTF-8 then needs no second encoding."""
    text, utf8 = _decode_text(body, content_type)
    # Each "<" of the text is a "<" byte in any encoding a page can come in.
    defused = defuse_markup(text, tags_at_most=body.count(b"<"))
    return defused, utf8 if defused is text else None


def decode_text(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML (or XML) body to text.

    Order:

    1. a byte-order mark;
    2. UTF-8, when the body has non-ASCII bytes and they all decode as UTF-8: valid
       multi-byte UTF-8 does not happen by accident, so it beats a header or a
       declaration that says otherwise (servers often claim ISO-8859-1 by default);
    3. the HTTP header charset and the charset declared in the page, each only if the
       body decodes with it; a multi-byte encoding that fits beats a single-byte one,
       since single-byte encodings decode any bytes at all; among equals the header
       wins, as in browsers;
    4. a declared multi-byte encoding under which only a few bytes are broken (a page
       with one bad byte is still in that encoding);
    5. Windows-1252, the usual undeclared legacy encoding of Western pages (a superset
       of ISO-8859-1 for text), which never fails.

    Control characters other than tab and newlines are dropped. Raises
    :class:`NotHtmlError` when the body is clearly not a document (see
    :func:`sniff_not_html`).
    """
    return _decode_text(body, content_type)[0]


def _decode_text(body: bytes, content_type: str | None) -> tuple[str, bytes | None]:
    """:func:`decode_text`, and the text's UTF-8 bytes when they are the body's own."""
    what = sniff_not_html(body, content_type)
    if what:
        raise NotHtmlError(f"not an HTML page: {what}")
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _CONTROL.sub("", body[len(bom) :].decode(name, errors="replace")), None
    header = _resolve(http_content_type_encoding(content_type) if content_type else None)
    declared = _resolve(html_body_declared_encoding(body))
    candidates = [name for name in dict.fromkeys((header, declared)) if name]
    if b"\x1b" in body or any(_WIDE.match(name) for name in candidates):
        return _CONTROL.sub("", _choose(body, candidates)[0]), None
    body = body.translate(None, _CONTROL_BYTES)
    text, name = _choose(body, candidates)
    if text.isascii():
        # ASCII bytes decode to the same text in every encoding that can be chosen here.
        return text, body if body.isascii() else None
    # Only C1 controls (U+0080-U+009F) can be left. UTF-8 has a byte pattern for them;
    # Windows-1252 maps those bytes to letters; other legacy encodings may yield them.
    if name == "utf-8" and not _UTF8_C1.search(body):
        # Decoded strictly: the bytes are the text's UTF-8.
        return text, body
    if name == "cp1252":
        return text, None
    return _CONTROL.sub("", text), None


def _choose(body: bytes, candidates: list[str]) -> tuple[str, str]:
    """Decode *body* with the best-fitting encoding (see :func:`decode_text`);
    return the text and the encoding's name."""
    if not body.isascii():
        text = _strict(body, "utf-8")
        if text is not None:
            return text, "utf-8"
    multibyte = [name for name in candidates if _is_multibyte(name)]
    ordered = multibyte + [name for name in candidates if name not in multibyte]
    for name in ordered:
        text = _strict(body, name)
        if text is not None:
            return text, name
    for name in multibyte:
        text, errors = _decode(body, name)
        if errors <= max(2, len(body) // 500):
            return text, name
    if body.isascii():
        return body.decode("ascii"), "ascii"
    return _cp1252(body), "cp1252"
