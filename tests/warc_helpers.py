"""Helpers for the WARC tests: write small WARC files with warcio, and article pages."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "bridge",
    "school",
    "library",
    "winter",
    "market",
    "festival",
    "railway",
    "museum",
    "hospital",
    "election",
    "mayor",
    "teachers",
    "farmers",
    "storm",
    "coast",
    "village",
    "tourism",
    "energy",
    "housing",
    "transport",
    "workers",
    "students",
    "engineers",
    "artists",
    "doctors",
    "residents",
    "volunteers",
]


def article_html(number: int, title: str | None = None, paragraphs: int = 4) -> str:
    """A news article page whose text differs from every other number's."""
    title = title or f"Story number {number} about the {_WORDS[number % len(_WORDS)]}"
    body = []
    for p in range(paragraphs):
        words = [_WORDS[(number * 7 + p * 3 + i * 5) % len(_WORDS)] for i in range(24)]
        body.append(
            f"<p>In report {number}, paragraph {p}, the {' '.join(words)} said on "
            f"Tuesday that work would continue through the spring.</p>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta property='og:type' content='article'></head>"
        f"<body><header><nav><a href='/'>Home</a></nav></header><article><h1>{title}</h1>"
        + "".join(body)
        + "</article><footer>Copyright The Gazette</footer></body></html>"
    )


@dataclass
class Exchange:
    url: str
    body: bytes
    status: int = 200
    headers: list[tuple[str, str]] = field(
        default_factory=lambda: [("Content-Type", "text/html; charset=utf-8")]
    )
    date: str = "2024-05-01T10:00:00Z"


def write_warc(path: Path, exchanges: list[Exchange], *, gzip: bool = True) -> list[int]:
    """Write a warcinfo record, then a request and a response record per exchange.
    Returns the offset where each response record starts, and the file's end last."""
    offsets = []
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for ex in exchanges:
            request = writer.create_warc_record(
                ex.url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(
                    f"GET /{ex.url.split('/', 3)[-1]} HTTP/1.1", [], is_http_request=True
                ),
                warc_headers_dict={"WARC-Date": ex.date},
            )
            writer.write_record(request)
            offsets.append(stream.tell())
            response = writer.create_warc_record(
                ex.url,
                "response",
                payload=io.BytesIO(ex.body),
                length=len(ex.body),
                http_headers=StatusAndHeaders(
                    f"{ex.status} X", list(ex.headers), protocol="HTTP/1.1"
                ),
                warc_headers_dict={"WARC-Date": ex.date},
            )
            writer.write_record(response)
        offsets.append(stream.tell())
    return offsets
