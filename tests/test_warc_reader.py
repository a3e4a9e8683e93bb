"""Reading HTML pages out of WARC files: what comes out, filters, damaged records."""

from __future__ import annotations

import gzip
import logging
import zlib
from collections import Counter
from datetime import UTC, datetime

import pytest
from warc_helpers import Exchange, article_html, write_warc

from newsbot.warc import iter_warc_pages
from newsbot.warc.reader import dechunk

HTML = "text/html; charset=utf-8"


def _chunked(data: bytes, size: int = 100) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size])
        for i in range(0, len(data), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def test_pages_carry_url_date_type_and_the_decoded_payload(tmp_path):
    plain = article_html(1).encode()
    zipped = article_html(2).encode()
    chunked = article_html(3).encode("utf-8")
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            Exchange("http://news.example/a1", plain, date="2024-05-01T10:00:00Z"),
            Exchange(
                "http://news.example/a2",
                gzip.compress(zipped),
                headers=[("Content-Type", HTML), ("Content-Encoding", "gzip")],
                date="2024-05-01T12:30:00.123456+02:00",
            ),
            Exchange(
                "http://news.example/a3",
                _chunked(chunked),
                headers=[
                    ("Content-Type", "application/xhtml+xml"),
                    ("Transfer-Encoding", "chunked"),
                ],
            ),
            Exchange(
                "http://news.example/logo.png",
                b"\x89PNG\r\n",
                headers=[("Content-Type", "image/png")],
            ),
            Exchange("http://news.example/gone", b"<html>gone</html>", status=404),
            Exchange("http://news.example/old", b"", status=301, headers=[("Location", "/a1")]),
        ],
    )
    stats: Counter[str] = Counter()
    pages = list(iter_warc_pages(path, stats=stats))

    assert [p.url for p in pages] == [
        "http://news.example/a1",
        "http://news.example/a2",
        "http://news.example/a3",
    ]
    assert [p.body for p in pages] == [plain, zipped, chunked]
    assert pages[0].fetched_at == "2024-05-01T10:00:00+00:00"
    assert pages[1].fetched_at == "2024-05-01T10:30:00+00:00"  # converted to UTC
    assert pages[0].content_type == HTML
    assert pages[2].content_type == "application/xhtml+xml"
    assert stats["warc/skipped/not_html"] == 1
    assert stats["warc/skipped/status"] == 2
    assert stats["warc/pages"] == 3
    assert not any(key.startswith("warc/errors/") for key in stats)


def test_a_page_without_content_type_is_kept_only_if_it_looks_like_html(tmp_path):
    path = tmp_path / "x.warc"
    write_warc(
        path,
        [
            Exchange("http://a.example/page", b"<!DOCTYPE html><html><p>hi</p></html>", headers=[]),
            Exchange("http://a.example/data", b'{"json": true}', headers=[]),
        ],
        gzip=False,
    )
    assert [p.url for p in iter_warc_pages(path)] == ["http://a.example/page"]


def test_filters_by_host_url_pattern_and_date(tmp_path):
    path = tmp_path / "mixed.warc.gz"
    write_warc(
        path,
        [
            Exchange(
                "https://www.gazette.example/news/1", b"<html>1</html>", date="2024-04-30T23:59:59Z"
            ),
            Exchange(
                "https://sport.gazette.example/news/2",
                b"<html>2</html>",
                date="2024-05-01T00:00:00Z",
            ),
            Exchange(
                "https://gazette.example/about", b"<html>3</html>", date="2024-05-02T08:00:00Z"
            ),
            Exchange(
                "https://other.example/news/4", b"<html>4</html>", date="2024-05-01T09:00:00Z"
            ),
            Exchange(
                "https://notgazette.example/news/5", b"<html>5</html>", date="2024-05-01T09:00:00Z"
            ),
        ],
    )

    def urls(**filters):
        return [p.url.split("//")[1] for p in iter_warc_pages(path, **filters)]

    assert urls(hosts=["gazette.example"]) == [
        "www.gazette.example/news/1",
        "sport.gazette.example/news/2",
        "gazette.example/about",
    ]
    assert urls(url_pattern=r"/news/") == [
        "www.gazette.example/news/1",
        "sport.gazette.example/news/2",
        "other.example/news/4",
        "notgazette.example/news/5",
    ]
    may_first = datetime(2024, 5, 1, tzinfo=UTC)
    assert urls(since=may_first, until=datetime(2024, 5, 2, tzinfo=UTC)) == [
        "sport.gazette.example/news/2",
        "other.example/news/4",
        "notgazette.example/news/5",
    ]
    stats: Counter[str] = Counter()
    assert urls(hosts=["other.example"], since=may_first, stats=stats) == ["other.example/news/4"]
    assert stats["warc/skipped/filtered"] == 4


def _five_pages(tmp_path, *, compressed: bool):
    path = tmp_path / ("five.warc.gz" if compressed else "five.warc")
    exchanges = [Exchange(f"http://news.example/{i}", article_html(i).encode()) for i in range(5)]
    offsets = write_warc(path, exchanges, gzip=compressed)
    return path, offsets


def test_a_corrupt_record_in_a_warc_gz_is_skipped_counted_and_logged(tmp_path, caplog):
    path, offsets = _five_pages(tmp_path, compressed=True)
    data = bytearray(path.read_bytes())
    middle = (offsets[2] + offsets[3]) // 2  # inside the third response's gzip member
    for i in range(middle, middle + 30):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    stats: Counter[str] = Counter()
    with caplog.at_level(logging.ERROR, logger="newsbot.warc.reader"):
        urls = [p.url for p in iter_warc_pages(path, stats=stats)]

    assert urls == [f"http://news.example/{i}" for i in (0, 1, 3, 4)]
    assert stats["warc/errors/corrupt"] == 1
    assert any(
        "five.warc.gz" in r.getMessage() and "corrupt" in r.getMessage() for r in caplog.records
    )


def test_a_record_with_a_broken_gzip_header_is_skipped(tmp_path):
    path, offsets = _five_pages(tmp_path, compressed=True)
    data = bytearray(path.read_bytes())
    for i in range(offsets[1] + 3, offsets[1] + 20):  # past the magic bytes
        data[i] = 0
    path.write_bytes(bytes(data))
    stats: Counter[str] = Counter()
    assert [p.url[-1] for p in iter_warc_pages(path, stats=stats)] == ["0", "2", "3", "4"]
    assert sum(v for k, v in stats.items() if k.startswith("warc/errors/")) == 1


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_a_file_cut_inside_its_last_record_gives_the_others_and_one_error(
    tmp_path, compressed, keep
):
    path, offsets = _five_pages(tmp_path, compressed=compressed)
    data = path.read_bytes()
    cut = offsets[4] + int((offsets[5] - offsets[4]) * keep)
    path.write_bytes(data[:cut])
    stats: Counter[str] = Counter()
    assert [p.url[-1] for p in iter_warc_pages(path, stats=stats)] == ["0", "1", "2", "3"]
    assert sum(v for k, v in stats.items() if k.startswith("warc/errors/")) == 1


def test_a_plain_warc_with_a_short_record_reads_on_after_it(tmp_path):
    path, offsets = _five_pages(tmp_path, compressed=False)
    data = path.read_bytes()
    middle = (offsets[1] + offsets[2]) // 2
    path.write_bytes(data[:middle] + data[middle + 200 :])  # record 1 lost 200 bytes
    stats: Counter[str] = Counter()
    assert [p.url[-1] for p in iter_warc_pages(path, stats=stats)] == ["0", "2", "3", "4"]
    assert sum(v for k, v in stats.items() if k.startswith("warc/errors/")) == 1


def test_a_record_whose_digest_does_not_match_is_skipped(tmp_path):
    path, offsets = _five_pages(tmp_path, compressed=False)
    data = bytearray(path.read_bytes())
    at = data.index(b"paragraph 1", offsets[2])  # same length, different bytes
    data[at : at + 9] = b"PARAGRAPH"
    path.write_bytes(bytes(data))
    stats: Counter[str] = Counter()
    assert [p.url[-1] for p in iter_warc_pages(path, stats=stats)] == ["0", "1", "3", "4"]
    assert stats["warc/errors/digest"] == 1


def test_a_body_that_cannot_be_decoded_is_an_error_not_garbage(tmp_path):
    path = tmp_path / "bad-gzip.warc.gz"
    write_warc(
        path,
        [
            Exchange(
                "http://a.example/1",
                b"not gzip at all",
                headers=[("Content-Type", HTML), ("Content-Encoding", "gzip")],
            ),
            Exchange(
                "http://a.example/2",
                zlib.compress(b"<html>deflated</html>"),
                headers=[("Content-Type", HTML), ("Content-Encoding", "deflate")],
            ),
        ],
    )
    stats: Counter[str] = Counter()
    pages = list(iter_warc_pages(path, stats=stats))
    assert [(p.url, p.body) for p in pages] == [("http://a.example/2", b"<html>deflated</html>")]
    assert stats["warc/errors/decode"] == 1


def test_dechunk_leaves_a_body_that_is_not_chunked_alone():
    assert dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n") == b"Wikipedia"
    assert dechunk(b"<html>already joined</html>") == b"<html>already joined</html>"
