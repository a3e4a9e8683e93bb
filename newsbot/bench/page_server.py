"""A threaded HTTP server on 127.0.0.1 for the benchmark's pages.

It serves page *n* at :func:`~newsbot.bench.pages.article_path` (of a list of files, ``.html`` or
``.html.gz``, gzip-encoded on the wire when the client accepts it, as news sites do),
``/urls.txt`` (one URL a line) and ``/sitemap.xml``. Files are read at each request,
so serving 20,000 pages costs no memory.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsbot.bench.pages import article_path

_ARTICLE = re.compile(r"-(\d+)\.html$")


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as Scrapy re-uses connections.
    protocol_version = "HTTP/1.1"
    server: _PagesServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return  # a line per request would cost more than the request

    def _send(self, body: bytes, content_type: str, encoding: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        paths = self.server.paths
        if self.path == "/urls.txt":
            self._send(self.server.url_list().encode(), "text/plain; charset=utf-8")
            return
        if self.path == "/sitemap.xml":
            self._send(self.server.sitemap().encode(), "application/xml")
            return
        match = _ARTICLE.search(self.path)
        n = int(match.group(1)) if match else -1
        if not 0 <= n < self.server.count or self.path != article_path(n):
            self.send_error(404)
            return
        path = paths[n % len(paths)]
        data = path.read_bytes()
        gzipped = path.suffix == ".gz"
        accepts_gzip = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if gzipped and not accepts_gzip:
            data, gzipped = gzip.decompress(data), False
        self._send(data, "text/html; charset=utf-8", "gzip" if gzipped else None)


class _PagesServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, paths: Sequence[Path], count: int):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.paths = list(paths)
        self.count = count

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def urls(self) -> Iterator[str]:
        return (f"{self.base_url}{article_path(n)}" for n in range(self.count))

    def url_list(self) -> str:
        return "".join(f"{url}\n" for url in self.urls())

    def sitemap(self) -> str:
        entries = "".join(f"<url><loc>{url}</loc></url>" for url in self.urls())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n'
        )


@contextmanager
def serve_pages(paths: Sequence[Path], count: int | None = None) -> Iterator[_PagesServer]:
    """Serve *count* pages (default: one per path; the paths are cycled through when
    *count* is larger) until the block ends. The server's ``base_url`` says where."""
    if not paths:
        raise ValueError("no pages to serve")
    server = _PagesServer(paths, len(paths) if count is None else count)
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
