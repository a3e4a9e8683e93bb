"""Archiving a crawl into WARC.gz files, and rebuilding its records from them."""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from warc_helpers import Exchange as SiteExchange
from warc_helpers import article_html, write_warc
from warcio.archiveiterator import ArchiveIterator

from newsbot.cli.extract_warc import run_warc
from newsbot.middlewares.warc import WarcArchiveMiddleware
from newsbot.warc import iter_warc_pages
from newsbot.warc.to_records import extract_warc
from newsbot.warc.writer import Exchange, RotatingWarcWriter

MIDDLEWARE = "newsbot.middlewares.warc.WarcArchiveMiddleware"


# --- writer -------------------------------------------------------------------------


def _exchange(i: int) -> Exchange:
    return Exchange(
        url=f"http://news.example/story/{i}?ref=home",
        method="GET",
        request_headers=[("Host", "news.example"), ("User-Agent", "newsbot-test")],
        request_body=b"",
        status=200,
        response_headers=[("Content-Type", "text/html; charset=utf-8")],
        body=os.urandom(1500).hex().encode(),  # 3 KB that gzip cannot shrink much
        date=f"2024-05-01T10:00:{i:02d}Z",
    )


def test_writer_rotates_by_size_and_pairs_every_request_with_its_response(tmp_path):
    with RotatingWarcWriter(tmp_path / "gazette", "20240501T100000Z", 5000, {"software": "t"}) as w:
        for i in range(8):
            w.write(_exchange(i))
    files = w.files
    names = [Path(f).name for f in files]
    assert len(files) >= 3
    assert names == [f"20240501T100000Z-{n:05d}.warc.gz" for n in range(len(files))]
    assert sorted(str(p) for p in (tmp_path / "gazette").iterdir()) == sorted(files)
    # Rotation happens after a file passes the limit: all but the last reach it.
    assert all(os.path.getsize(f) >= 5000 for f in files[:-1])

    # Each request names the response it got (WARC-Concurrent-To), same URL, same file.
    pairs = []
    for f in files:
        with open(f, "rb") as stream:
            records = list(ArchiveIterator(stream))
        assert records[0].rec_type == "warcinfo"
        by_id = {r.rec_headers.get_header("WARC-Record-ID"): r for r in records}
        for record in records:
            if record.rec_type == "request":
                response = by_id[record.rec_headers.get_header("WARC-Concurrent-To")]
                assert response.rec_type == "response"
                pairs.append(
                    (
                        record.rec_headers.get_header("WARC-Target-URI"),
                        response.rec_headers.get_header("WARC-Target-URI"),
                        record.http_headers.get_header("User-Agent"),
                    )
                )
    assert pairs == [(_exchange(i).url, _exchange(i).url, "newsbot-test") for i in range(8)]
    pages = [p for f in files for p in iter_warc_pages(f)]
    assert [p.url for p in pages] == [_exchange(i).url for i in range(8)]
    assert pages[3].fetched_at == "2024-05-01T10:00:03+00:00"


def test_archive_is_off_by_default_and_on_with_the_setting():
    with pytest.raises(NotConfigured):
        WarcArchiveMiddleware.from_crawler(get_crawler())
    crawler = get_crawler(settings_dict={"NEWSBOT_WARC_ENABLED": True})
    assert isinstance(WarcArchiveMiddleware.from_crawler(crawler), WarcArchiveMiddleware)


# --- a local news site --------------------------------------------------------------

ARTICLES = {f"/news/{i}": article_html(i) for i in range(1, 5)}
SHORT = "<html><head><title>Brief</title></head><body><p>Too short.</p></body></html>"


class _Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Transfer-Encoding" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        html = {"Content-Type": "text/html; charset=utf-8"}
        path = self.path
        if path == "/news/2":  # compressed on the wire
            body = gzip.compress(ARTICLES[path].encode())
            self._send(200, body, {**html, "Content-Encoding": "gzip"})
        elif path == "/news/3":  # chunked on the wire
            data = ARTICLES[path].encode()
            chunks = b"".join(
                b"%x\r\n%s\r\n" % (len(data[i : i + 500]), data[i : i + 500])
                for i in range(0, len(data), 500)
            )
            self._send(200, chunks + b"0\r\n\r\n", {**html, "Transfer-Encoding": "chunked"})
        elif path in ARTICLES:
            self._send(200, ARTICLES[path].encode(), html)
        elif path == "/moved":
            self._send(302, b"", {"Location": "/news/4"})
        elif path == "/brief":
            self._send(200, SHORT.encode(), html)
        elif path == "/logo.png":
            self._send(200, b"\x89PNG\r\n\x1a\n", {"Content-Type": "image/png"})
        else:
            self._send(404, b"<html><title>Not found</title></html>", html)


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _crawl(site: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    urls = ",".join(
        f"{site}{p}" for p in ("/news/1", "/news/2", "/news/3", "/moved", "/brief", "/logo.png")
    )
    command = [
        sys.executable, "-m", "scrapy", "crawl", "urls",
        "-a", f"urls={urls}", "-a", "allow_private=true",
        "-s", "NEWSBOT_WARC_ENABLED=True",
        "-s", "NEWSBOT_WORKERS=-1",
        "-s", "NEWSBOT_PROGRESS_ENABLED=False",
        "-s", "LOG_LEVEL=INFO",
        "-s", json.dumps({MIDDLEWARE: 950}).join(["DOWNLOADER_MIDDLEWARES=", ""]),
        "-O", "crawl.jsonl",
    ]  # fmt: skip
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings"}
    return subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=180
    )


@pytest.mark.slow
def test_extracting_a_crawls_warcs_reproduces_its_records(site, tmp_path):
    result = _crawl(site, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    crawled = [json.loads(line) for line in (tmp_path / "crawl.jsonl").read_text().splitlines()]
    warcs = sorted((tmp_path / "output" / "urls").glob("*-00000.warc.gz"))
    assert len(warcs) == 1
    # The files written are in the run's stats, for the manifest.
    assert "'newsbot/warc/files': ['" in result.stderr and warcs[0].name in result.stderr

    out = io.StringIO()
    counts = extract_warc(warcs, out=out, workers=2)
    rebuilt = [json.loads(line) for line in out.getvalue().splitlines()]

    assert sorted(r["url"] for r in crawled) == sorted(f"{site}/news/{i}" for i in range(1, 5))
    assert {r["id"]: r["text"] for r in rebuilt} == {r["id"]: r["text"] for r in crawled}
    assert {r["id"]: r["title"] for r in rebuilt} == {r["id"]: r["title"] for r in crawled}
    assert counts["newsbot/dropped/too_short"] == 1  # /brief, as in the crawl
    assert counts["warc/skipped/not_html"] == 1  # the image
    assert all(r["source"] == str(warcs[0]) for r in rebuilt)

    # The archive holds what was on the wire: the redirect, and gzip as sent.
    with open(warcs[0], "rb") as stream:
        responses = {
            r.rec_headers.get_header("WARC-Target-URI"): r
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        }
    assert responses[f"{site}/moved"].http_headers.get_statuscode() == "302"
    assert responses[f"{site}/news/2"].http_headers.get_header("Content-Encoding") == "gzip"
    assert f"{site}/robots.txt" in responses


# --- extract_warc and the command's WARC path ---------------------------------------


def _dataset_warc(path: Path) -> Path:
    pages = [
        SiteExchange(f"https://gazette.example/news/{i}", article_html(i).encode())
        for i in range(1, 4)
    ]
    pages += [
        # The same article under a second URL: dropped as in a crawl.
        SiteExchange("https://gazette.example/print/1", article_html(1).encode()),
        SiteExchange("https://gazette.example/brief", SHORT.encode()),
        SiteExchange(
            "https://other.example/news/9", article_html(9).encode(), date="2024-06-01T00:00:00Z"
        ),
    ]
    write_warc(path, pages)
    return path


def test_extract_warc_validates_and_dedupes_like_a_crawl(tmp_path):
    warc = _dataset_warc(tmp_path / "cc.warc.gz")
    out = io.StringIO()
    counts = extract_warc([warc], out=out, workers=0)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["url"] for r in records] == [
        "https://gazette.example/news/1",
        "https://gazette.example/news/2",
        "https://gazette.example/news/3",
        "https://other.example/news/9",
    ]
    assert records[0]["fetched_at"] == "2024-05-01T10:00:00+00:00"
    assert records[0]["title"] == "Story number 1 about the council"
    assert "paragraph 3" in records[0]["text"]
    assert counts["written"] == 4
    assert counts["newsbot/dropped/duplicate_text"] == 1
    assert counts["newsbot/dropped/too_short"] == 1


def test_run_warc_applies_the_command_line_filters(tmp_path, capsys):
    warc = _dataset_warc(tmp_path / "cc.warc.gz")
    args = argparse.Namespace(
        workers=1, drop=[], host=["gazette.example"], url_pattern=r"/news/",
        since="2024-05-01", until="2024-05-01", source="cc-news", articles_only=False,
    )  # fmt: skip
    out = io.StringIO()
    assert run_warc(args, [warc], out) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["url"].rsplit("/", 1)[1] for r in records] == ["1", "2", "3"]
    assert {r["source"] for r in records} == {"cc-news"}
    assert "3 records written" in capsys.readouterr().err

    args.until = "not a date"
    assert run_warc(args, [warc], io.StringIO()) == 2


def test_run_warc_reports_a_missing_file_and_still_reads_the_others(tmp_path, caplog):
    warc = _dataset_warc(tmp_path / "cc.warc.gz")
    args = argparse.Namespace(workers=1, drop=[])
    out = io.StringIO()
    assert run_warc(args, [tmp_path / "missing.warc.gz", warc], out) == 1
    assert len(out.getvalue().splitlines()) == 4
    assert any("missing.warc.gz" in r.getMessage() for r in caplog.records)
