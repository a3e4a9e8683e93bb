"""Read HTML pages out of WARC files, streaming, surviving damaged records.

The parsing is FastWARC's (a C++ reader, several times faster than warcio at gzip and
header parsing). What this module adds on top:

* Only successful (2xx) HTTP responses with an HTML content type come out, as
  :class:`WarcPage` objects whose body is the HTTP payload as the server meant it:
  de-chunked and content-decoded (gzip, deflate, br, zstd).
* Filters by host, URL pattern and WARC-Date, applied to the WARC headers before the
  body is read.
* A damaged record does not end the file. FastWARC raises (or, for a cut-off file,
  silently yields a short record) at the first bad byte, so the reader detects the
  damage itself (short block, missing headers, a block digest that does not match),
  counts and logs it, and resumes at the next record boundary: the next gzip member
  in a ``.warc.gz`` (one record per member, as the WARC standard recommends), the next
  ``WARC/1.x`` line in a plain ``.warc``.

Memory stays flat whatever the file size: one record is in memory at a time, and
records larger than ``max_record_bytes`` are skipped without being read.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, HeaderMap, WarcRecord, WarcRecordType

from newsbot.canonical_urls import host_of
from newsbot.dates import parse_iso_utc

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""HTTP media types taken as HTML pages."""

DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024
"""Records with a larger block are skipped unread: no news page is that large (a crawl
stops downloads at 10 MB, ``DOWNLOAD_MAXSIZE``), and it keeps memory bounded."""

# How each container format marks the start of a record, to resume after damage.
_GZIP_MAGIC = b"\x1f\x8b\x08"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_PLAIN_MAGIC = b"WARC/1."
_SCAN_CHUNK = 1 << 20

Stats = MutableMapping[str, int]
"""Counters the reader adds to, by name (a :class:`collections.Counter` will do):
``warc/records`` (records read), ``warc/pages`` (pages yielded),
``warc/skipped/<why>`` (``filtered``, ``not_html``, ``status``, ``too_large``),
``warc/errors/<kind>`` (``corrupt``, ``truncated``, ``digest``, ``http``, ``decode``)."""


@dataclass(frozen=True, slots=True)
class WarcPage:
    """An HTML page read from a WARC response record."""

    url: str
    """The ``WARC-Target-URI``."""
    fetched_at: str
    """The ``WARC-Date``, ISO 8601 in UTC, to the second (as records carry it)."""
    body: bytes
    """The HTTP payload: de-chunked and content-decoded."""
    content_type: str | None
    """The HTTP ``Content-Type`` header, as sent (it may carry a charset)."""
    status: int
    """The HTTP status code."""
    warc_file: str
    """The WARC file the page came from."""
    offset: int
    """Where the record starts in that file (compressed offset for ``.warc.gz``)."""


class RecordError(Exception):
    """A record that cannot be used; ``kind`` names the counter it goes to."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class PageFilter:
    """Which responses to keep, judged from WARC headers alone (before the body is read)."""

    hosts: frozenset[str] = frozenset()
    """Hosts to keep (without ``www.``); a host also matches its subdomains."""
    url_pattern: re.Pattern[str] | None = None
    """A regular expression the URL must contain (``re.search``)."""
    since: datetime | None = None
    """Keep records dated at or after this (timezone-aware)."""
    until: datetime | None = None
    """Keep records dated before this (timezone-aware)."""

    @classmethod
    def build(
        cls,
        hosts: Iterable[str] | None = None,
        url_pattern: str | re.Pattern[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PageFilter:
        normalised = frozenset(host_of(f"http://{h.strip()}/") for h in hosts or () if h.strip())
        pattern = re.compile(url_pattern) if isinstance(url_pattern, str) else url_pattern
        return cls(hosts=normalised, url_pattern=pattern, since=_aware(since), until=_aware(until))

    def wants(self, url: str, when: datetime | None) -> bool:
        if self.hosts:
            host = host_of(url)
            if not any(host == h or host.endswith("." + h) for h in self.hosts):
                return False
        if self.url_pattern is not None and not self.url_pattern.search(url):
            return False
        if self.since is not None and (when is None or when < self.since):
            return False
        return not (self.until is not None and (when is None or when >= self.until))


def _aware(value: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC, as WARC dates are."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def parse_warc_date(value: str | None) -> datetime | None:
    """A ``WARC-Date`` (ISO 8601, ``Z`` or an offset, optional fraction) as aware UTC."""
    parsed = parse_iso_utc(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def iter_warc_pages(
    path: str | Path,
    *,
    hosts: Iterable[str] | None = None,
    url_pattern: str | re.Pattern[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    stats: Stats | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[WarcPage]:
    """Yield the HTML pages of a WARC or WARC.gz file, in file order.

    Only ``response`` records with a 2xx status and an HTML content type (or, lacking
    a content type, a body that starts like HTML) are yielded. A damaged record is
    counted in ``stats`` under ``warc/errors/<kind>``, logged at ERROR, and skipped;
    reading resumes at the next record. Raises :class:`OSError` only when the file
    cannot be opened.
    """
    page_filter = PageFilter.build(hosts, url_pattern, since, until)
    counts: Stats = stats if stats is not None else {}
    with open(path, "rb") as stream:
        yield from _Scanner(stream, str(path), page_filter, counts, max_record_bytes).pages()


def _inc(stats: Stats, key: str, n: int = 1) -> None:
    stats[key] = stats.get(key, 0) + n


class _Scanner:
    """One pass over one file, restarting FastWARC after each damaged record."""

    def __init__(
        self,
        stream: BinaryIO,
        name: str,
        page_filter: PageFilter,
        stats: Stats,
        max_record_bytes: int,
    ):
        self.stream = stream
        self.name = name
        self.filter = page_filter
        self.stats = stats
        self.max_record_bytes = max_record_bytes
        head = stream.read(4)
        if head.startswith(_GZIP_MAGIC[:2]):
            self.magic = _GZIP_MAGIC
        elif head.startswith(_ZSTD_MAGIC):
            self.magic = _ZSTD_MAGIC
        else:
            self.magic = _PLAIN_MAGIC
        # Where the last good record started; resumption searches past it.
        self.last_good = -1
        # Set after a counted error until a good record is read: one damaged stretch
        # (a bad gzip member FastWARC trips on twice, a short block that swallowed the
        # next header) counts once.
        self.in_error = False

    def error(self, kind: str, where: str, message: str) -> None:
        if self.in_error:
            logger.debug("%s: still damaged %s: %s", self.name, where, message)
            return
        self.in_error = True
        _inc(self.stats, f"warc/errors/{kind}")
        logger.error("%s: skipped a %s record %s: %s", self.name, kind, where, message)

    def pages(self) -> Iterator[WarcPage]:
        start = 0
        while start >= 0:
            start = yield from self._run_from(start)

    def _run_from(self, start: int) -> Generator[WarcPage, None, int]:
        """Read records from *start*; return where to resume, or -1 at the end."""
        self.stream.seek(start)
        # parse_http=False: the block is read whole, so a short (truncated) one can be
        # told from a complete one; HTTP headers are then parsed here.
        records = iter(
            ArchiveIterator(self.stream, record_types=WarcRecordType.any_type, parse_http=False)
        )
        current = start
        while True:
            try:
                record = next(records)
            except StopIteration:
                return self._check_tail()
            except OSError as exc:
                # The damage is in a record after the last good one (its header, or a
                # record FastWARC skipped on its own).
                after = max(self.last_good, current)
                self.error("corrupt", f"after offset {after}", str(exc))
                return self._resume_after(after)
            current = record.stream_pos
            try:
                page = self._read(record)
            except RecordError as exc:
                self.error(exc.kind, f"at offset {current}", str(exc))
                if exc.kind in ("corrupt", "truncated"):
                    return self._resume_after(current)
                # The record was read to its end: the framing is sound, go on.
                self.last_good = current
                continue
            except OSError as exc:
                self.error("corrupt", f"at offset {current}", str(exc))
                return self._resume_after(current)
            self.in_error = False
            self.last_good = current
            if page is not None:
                _inc(self.stats, "warc/pages")
                yield page

    def _read(self, record: WarcRecord) -> WarcPage | None:
        headers = record.headers
        length_header = headers.get("Content-Length")
        if not length_header or not headers.get("WARC-Type"):
            raise RecordError("corrupt", "incomplete WARC headers")
        _inc(self.stats, "warc/records")
        if record.record_type != WarcRecordType.response:
            record.consume()
            return None
        url = (headers.get("WARC-Target-URI") or "").strip().strip("<>")
        when = parse_warc_date(headers.get("WARC-Date"))
        if not url or not self.filter.wants(url, when):
            _inc(self.stats, "warc/skipped/filtered")
            record.consume()
            return None
        if record.content_length > self.max_record_bytes:
            _inc(self.stats, "warc/skipped/too_large")
            record.consume()
            return None
        block = record.reader.read()
        if len(block) < record.content_length:
            raise RecordError(
                "truncated", f"{url}: block of {len(block)} bytes, {record.content_length} declared"
            )
        digest = headers.get("WARC-Block-Digest")
        if digest and not _digest_matches(digest, block):
            raise RecordError("digest", f"{url}: block digest does not match")
        return self._page(url, when, block, record.stream_pos)

    def _page(self, url: str, when: datetime | None, block: bytes, offset: int) -> WarcPage | None:
        http = HeaderMap()
        try:
            header_size = http.parse(io.BytesIO(block))
        except (OSError, ValueError) as exc:
            raise RecordError("http", f"{url}: bad HTTP header: {exc}") from exc
        status = http.status_code or 0
        if not 200 <= status < 300:
            _inc(self.stats, "warc/skipped/status")
            return None
        content_type = http.get("Content-Type")
        body = block[header_size:]
        try:
            if "chunked" in (http.get("Transfer-Encoding") or "").lower():
                body = dechunk(body)
            body = decode_content(body, http.get("Content-Encoding"))
        except (OSError, ValueError, zlib.error) as exc:
            raise RecordError("decode", f"{url}: cannot decode the body: {exc}") from exc
        if not is_html(content_type, body):
            _inc(self.stats, "warc/skipped/not_html")
            return None
        fetched = (when or datetime.now(UTC)).replace(microsecond=0).isoformat()
        return WarcPage(
            url=url,
            fetched_at=fetched,
            body=body,
            content_type=content_type,
            status=status,
            warc_file=self.name,
            offset=offset,
        )

    def _resume_after(self, offset: int) -> int:
        """The next record boundary after *offset*, or -1 when there is none."""
        found = self._find_magic(offset + 1)
        if found < 0:
            logger.debug("%s: no record boundary after offset %d", self.name, offset)
        return found

    def _check_tail(self) -> int:
        """FastWARC ends quietly on a file cut inside a record's header; a record
        boundary past the last good record means such a stub was left unread."""
        tail = self._find_magic(self.last_good + 1)
        if tail >= 0:
            self.error("truncated", f"at offset {tail}", "the file ends inside this record")
        return -1

    def _find_magic(self, offset: int) -> int:
        """Offset of the next record boundary at or after *offset*, or -1."""
        magic = self.magic
        plain = magic is _PLAIN_MAGIC
        # A plain WARC record starts a line (elsewhere "WARC/1." is page text), so the
        # byte before the match is read too.
        position = max(offset - 1, 0) if plain else offset
        self.stream.seek(position)
        carry = b""
        while True:
            chunk = self.stream.read(_SCAN_CHUNK)
            if not chunk:
                return -1
            data = carry + chunk
            base = position - len(carry)
            at = data.find(magic)
            while at >= 0:
                where = base + at
                if where >= offset and (
                    not plain or where == 0 or (at > 0 and data[at - 1 : at] == b"\n")
                ):
                    return where
                at = data.find(magic, at + 1)
            carry = data[-(len(magic) + 1) :]
            position += len(chunk)


def _digest_matches(header: str, block: bytes) -> bool:
    """Check a ``WARC-Block-Digest`` (``sha1:BASE32``, ``sha256:HEX`` and the like).
    An algorithm or encoding this reader does not know is taken as matching."""
    algorithm, _, expected = header.strip().partition(":")
    algorithm = algorithm.lower().replace("-", "")
    if algorithm not in hashlib.algorithms_available or not expected:
        return True
    raw = hashlib.new(algorithm, block).digest()
    candidates = {base64.b32encode(raw).decode(), raw.hex(), base64.b64encode(raw).decode()}
    return expected.strip() in candidates or expected.strip().upper() in candidates


def dechunk(body: bytes) -> bytes:
    """Undo HTTP chunked transfer coding. Archivers disagree on whether they store
    the body chunked or already joined (keeping the header either way), so a body
    that does not parse as chunks is returned unchanged."""
    out = bytearray()
    position = 0
    size_line = re.compile(rb"[ \t]*([0-9A-Fa-f]+)[^\r\n]*\r?\n")
    while True:
        match = size_line.match(body, position)
        if match is None:
            return body
        size = int(match.group(1), 16)
        position = match.end()
        if size == 0:
            return bytes(out)
        if position + size > len(body):
            return body
        out += body[position : position + size]
        position += size
        if body[position : position + 2] == b"\r\n":
            position += 2
        elif body[position : position + 1] == b"\n":
            position += 1
        else:
            return body


def _decoder(name: str) -> Callable[[bytes], bytes] | None:
    if name in ("gzip", "x-gzip"):
        return lambda data: zlib.decompress(data, wbits=47)
    if name == "deflate":
        return _inflate
    if name == "br":
        import brotli  # Scrapy's own choice for br; imported only when a page needs it

        return brotli.decompress  # type: ignore[no-any-return]
    if name == "zstd":
        try:
            from compression import zstd  # type: ignore[import-not-found]
        except ImportError:
            from backports import zstd  # type: ignore[import-not-found,no-redef]
        return zstd.decompress  # type: ignore[no-any-return]
    if name in ("identity", ""):
        return lambda data: data
    return None


def _inflate(data: bytes) -> bytes:
    # "deflate" is zlib-wrapped by the standard, raw deflate on many servers.
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data, wbits=-15)


def decode_content(body: bytes, content_encoding: str | None) -> bytes:
    """Undo the ``Content-Encoding`` codings, last applied first."""
    if not content_encoding:
        return body
    for name in reversed([c.strip().lower() for c in content_encoding.split(",")]):
        decode = _decoder(name)
        if decode is None:
            raise ValueError(f"unknown content encoding {name!r}")
        try:
            body = decode(body)
        except ImportError as exc:
            raise ValueError(f"no decoder installed for {name!r}") from exc
        except Exception as exc:  # each codec library raises its own error type
            raise ValueError(f"{name}: {exc}") from exc
    return body


_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


def is_html(content_type: str | None, body: bytes) -> bool:
    """Whether a response is an HTML page: by its media type, or, when it has none,
    by how the body starts."""
    if content_type:
        return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES
    return _HTML_START.match(body[:2048]) is not None
