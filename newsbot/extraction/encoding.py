"""Turn response bytes into text without mojibake."""

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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _try(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    name = resolve_encoding(encoding)
    if name is None:
        return None
    try:
        return body.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body.

    Order: a byte-order mark; then the HTTP header charset and the charset declared in
    the page, each only if the body really decodes with it (a header that contradicts
    the page loses to the declaration that fits); then UTF-8; then Windows-1252, the
    usual undeclared legacy encoding of Western pages, which never fails. Control
    characters other than tab and newlines are dropped.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _CONTROL.sub("", body[len(bom) :].decode(name, errors="replace"))
    header = http_content_type_encoding(content_type) if content_type else None
    declared = html_body_declared_encoding(body)
    for candidate in (header, declared, "utf-8"):
        text = _try(body, candidate)
        if text is not None:
            return _CONTROL.sub("", text)
    return _CONTROL.sub("", body.decode("cp1252", errors="replace"))
