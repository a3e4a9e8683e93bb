"""Write HTTP exchanges into WARC.gz files, rotated by size.

warcio's writer is used here (the reader uses FastWARC): it builds standard-conforming
request/response pairs (``WARC-Concurrent-To``, block and payload digests) from a few
lines of code, and writing runs at crawl speed, tens of pages a second, where its
pure-Python cost does not show.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

Headers = Iterable[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP request and the response it got, as sent and received."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    """The body as received: still content-encoded (gzip, br...) if it was sent so."""
    date: str
    """When the response arrived: ISO 8601 in UTC (``WARC-Date``)."""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None


class RotatingWarcWriter:
    """Writes exchanges into ``<directory>/<prefix>-00000.warc.gz``, then ``-00001``
    and so on: a new file starts once the current one reaches ``max_bytes``
    (compressed). Each file opens with a ``warcinfo`` record carrying ``info``.

    Each record is its own gzip member and the file is flushed after each exchange,
    so a crawl killed mid-write leaves at most its last record damaged, which the
    reader skips.
    """

    def __init__(
        self,
        directory: str | Path,
        prefix: str,
        max_bytes: int,
        info: dict[str, str] | None = None,
    ):
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.info = dict(info or {})
        self.files: list[str] = []
        """Paths of the files written so far, in order (the current one last)."""
        self.records = 0
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    def write(self, exchange: Exchange) -> None:
        writer = self._current()
        request, response = self._records(writer, exchange)
        writer.write_request_response_pair(request, response)
        self.records += 2
        assert self._file is not None
        self._file.flush()
        if self._file.tell() >= self.max_bytes:
            self._close_file()

    def close(self) -> None:
        self._close_file()

    def __enter__(self) -> RotatingWarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _current(self) -> WARCWriter:
        if self._writer is not None:
            return self._writer
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{self.prefix}-{len(self.files):05d}.warc.gz"
        path = self.directory / name
        # "x": never overwrite an earlier run's archive.
        self._file = open(path, "xb")  # noqa: SIM115 (closed in _close_file)
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self.files.append(os.fspath(path))
        self._writer.write_record(self._writer.create_warcinfo_record(name, self.info))
        logger.info("archiving responses to %s", path)
        return self._writer

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._writer = None

    @staticmethod
    def _records(writer: WARCWriter, ex: Exchange) -> tuple[object, object]:
        target = _request_target(ex.url)
        request_http = StatusAndHeaders(
            f"{ex.method} {target} {ex.protocol}",
            list(ex.request_headers),
            is_http_request=True,
        )
        request = writer.create_warc_record(
            ex.url,
            "request",
            payload=io.BytesIO(ex.request_body),
            length=len(ex.request_body),
            http_headers=request_http,
            warc_headers_dict={"WARC-Date": ex.date},
        )
        reason = _reason(ex.status)
        response_http = StatusAndHeaders(
            f"{ex.status} {reason}".strip(), list(ex.response_headers), protocol=ex.protocol
        )
        warc_headers = {"WARC-Date": ex.date}
        if ex.ip_address:
            warc_headers["WARC-IP-Address"] = ex.ip_address
        response = writer.create_warc_record(
            ex.url,
            "response",
            payload=io.BytesIO(ex.body),
            length=len(ex.body),
            http_headers=response_http,
            warc_headers_dict=warc_headers,
        )
        return request, response


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
