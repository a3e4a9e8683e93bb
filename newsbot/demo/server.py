"""A tiny HTTP server for the embedded demo news site (tests, ``make run``, ``newsbot demo``).

Usage::

    from newsbot.demo.server import DemoServer

    with DemoServer() as server:          # binds 127.0.0.1 on a free port
        server.url                         # "http://127.0.0.1:PORT" (no trailing slash)
        server.url_for("/feed.xml")        # "http://127.0.0.1:PORT/feed.xml"
        server.expected()                  # site/expected.json, parsed
        server.requests                    # ["/robots.txt", "/feed.xml", ...] (a copy)

Or from a shell: ``python -m newsbot.demo.server [--host H] [--port N]``.

Serving rules
    * Files under ``root`` (default: the packaged ``site/`` folder). A path ending in ``/``
      serves ``index.html`` in that folder; an extensionless path serves ``<path>.html``
      or ``<path>/index.html``. Anything else is a 404.
    * ``{{BASE}}`` in text bodies (``.html``, ``.xml``, ``.txt``, and the XML inside
      ``.xml.gz`` files, which are decompressed, substituted and recompressed) becomes
      the server's base URL, so feeds and sitemaps carry absolute URLs for the random port.
    * Content types: ``text/html; charset=utf-8``, ``application/xml; charset=utf-8``,
      ``text/plain; charset=utf-8`` (robots.txt), ``application/gzip`` (``.gz``; no
      ``Content-Encoding``, as real sites serve sitemap archives).
    * Every response carries an ``ETag`` (a hash of the body) and ``Last-Modified``;
      a matching ``If-None-Match`` or a not-older ``If-Modified-Since`` gets a 304,
      so conditional re-fetches can be tested.

Changing the site at run time (thread-safe; the override wins over the file)
    * ``add_page(path, body, content_type="text/html; charset=utf-8", status=200,
      headers=None)``: serve ``body`` at ``path`` (a new page, or a replacement of a
      packaged one). ``body`` may be ``str`` or ``bytes``; ``{{BASE}}`` in a textual
      body is substituted. Use ``status=301, headers={"Location": ...}`` for redirects,
      ``status=500`` for errors. Each call bumps the page's ``Last-Modified``.
    * ``set_body(path, body)``: change the body of a page, keeping its content type,
      status and headers (a packaged file becomes an override with the new body), e.g.
      to edit an article between two incremental crawls.
    * ``remove_page(path)``: drop an override, so the packaged file (or a 404) is
      served again. ``hide_page(path)`` makes a page 404 even if a file exists.
    * ``read_page(path) -> bytes | None``: the raw (unsubstituted) body that would be
      served, handy for building an edited copy.

Request log
    * ``requests``: the paths (with query string) of every request, in order.
    * ``log``: the same as :class:`LoggedRequest` records (method, path, headers).
    * ``count(path)``: how many times ``path`` was requested; ``clear_log()``.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

SITE_ROOT = Path(__file__).parent / "site"
PLACEHOLDER = b"{{BASE}}"
HTML = "text/html; charset=utf-8"

_TYPES = {
    ".html": HTML,
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/gzip",
    ".jpg": "image/jpeg",
}


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request the server received."""

    method: str
    path: str
    """The request target as sent: path plus query string."""
    headers: dict[str, str]


@dataclass(slots=True)
class _Page:
    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    modified: float = field(default_factory=time.time)


def _is_textual(content_type: str) -> bool:
    ct = content_type.split(";", 1)[0].strip().lower()
    return ct.startswith("text/") or ct.endswith(("xml", "json", "javascript"))


class DemoServer:
    """The demo site on a background thread; see the module docstring for the API."""

    def __init__(self, root: Path | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = (root or SITE_ROOT).resolve()
        self._host = host
        self._port = port
        self._lock = threading.Lock()
        self._overrides: dict[str, _Page] = {}
        self._hidden: set[str] = set()
        self._log: list[LoggedRequest] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Packaged files are "modified" when the server starts: stable within a run.
        self._started = float(int(time.time()))

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> DemoServer:
        if self._httpd is not None:
            return self
        self._httpd = ThreadingHTTPServer((self._host, self._port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="newsbot-demo-server", daemon=True
        )
        self._thread.start()
        logger.debug("Demo site serving %s at %s", self.root, self.url)
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("DemoServer is not running; call start() first")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        return f"http://{self._host}:{self.port}"

    def url_for(self, path: str) -> str:
        return self.url + (path if path.startswith("/") else "/" + path)

    def expected(self) -> dict[str, Any]:
        """The site's truth file (``expected.json``), parsed."""
        data: dict[str, Any] = json.loads((self.root / "expected.json").read_text("utf-8"))
        return data

    # -- run-time pages --------------------------------------------------------------

    def add_page(
        self,
        path: str,
        body: bytes | str,
        content_type: str = HTML,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self._hidden.discard(path)
            self._overrides[path] = _Page(raw, content_type, status, dict(headers or {}))

    def set_body(self, path: str, body: bytes | str) -> None:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            current = self._overrides.get(path)
            if current is not None:
                self._overrides[path] = _Page(
                    raw, current.content_type, current.status, current.headers
                )
                return
        file = self.file_for(path)
        if file is None:
            raise KeyError(f"no page at {path!r}; use add_page() to create one")
        self.add_page(path, raw, self._type_for(file))

    def remove_page(self, path: str) -> None:
        with self._lock:
            self._overrides.pop(path, None)
            self._hidden.discard(path)

    def hide_page(self, path: str) -> None:
        with self._lock:
            self._overrides.pop(path, None)
            self._hidden.add(path)

    def read_page(self, path: str) -> bytes | None:
        with self._lock:
            if path in self._hidden:
                return None
            page = self._overrides.get(path)
        if page is not None:
            return page.body
        file = self.file_for(path)
        return file.read_bytes() if file is not None else None

    def file_for(self, path: str) -> Path | None:
        """The packaged file that serves ``path``, or None."""
        rel = urlsplit(path).path.lstrip("/")
        if ".." in rel.split("/"):
            return None
        candidates: list[Path]
        if not rel or rel.endswith("/"):
            candidates = [self.root / rel / "index.html"]
        elif "." in rel.rsplit("/", 1)[-1]:
            candidates = [self.root / rel]
        else:
            candidates = [self.root / (rel + ".html"), self.root / rel / "index.html"]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(self.root):
                return resolved
        return None

    # -- request log -----------------------------------------------------------------

    @property
    def requests(self) -> list[str]:
        with self._lock:
            return [r.path for r in self._log]

    @property
    def log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self._log if r.path == path)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- serving ---------------------------------------------------------------------

    @staticmethod
    def _type_for(file: Path) -> str:
        return _TYPES.get(file.suffix.lower(), "application/octet-stream")

    def _substitute(self, body: bytes, content_type: str, gzipped: bool) -> bytes:
        base = self.url.encode("ascii")
        if gzipped:
            return gzip.compress(gzip.decompress(body).replace(PLACEHOLDER, base), mtime=0)
        if _is_textual(content_type):
            return body.replace(PLACEHOLDER, base)
        return body

    def _lookup(self, target: str) -> _Page | None:
        path = urlsplit(target).path
        with self._lock:
            if path in self._hidden:
                return None
            # An override registered with a query string matches only that exact target.
            page = self._overrides.get(target) or self._overrides.get(path)
        if page is not None:
            gz = page.content_type.split(";")[0].strip() in (
                "application/gzip",
                "application/x-gzip",
            )
            body = self._substitute(page.body, page.content_type, gz)
            return _Page(body, page.content_type, page.status, page.headers, page.modified)
        file = self.file_for(path)
        if file is None:
            return None
        content_type = self._type_for(file)
        body = self._substitute(file.read_bytes(), content_type, file.suffix == ".gz")
        return _Page(body, content_type, 200, {}, self._started)

    def _record(self, method: str, target: str, headers: dict[str, str]) -> None:
        with self._lock:
            self._log.append(LoggedRequest(method, target, headers))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._respond(send_body=True)

            def do_HEAD(self) -> None:
                self._respond(send_body=False)

            def _respond(self, send_body: bool) -> None:
                server._record(self.command, self.path, dict(self.headers.items()))
                page = server._lookup(self.path)
                if page is None:
                    page = _Page(
                        b"<!DOCTYPE html><title>Not found</title><h1>404</h1>\n", HTML, 404
                    )
                etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                last_modified = email.utils.formatdate(page.modified, usegmt=True)
                status = page.status
                if status == 200 and self._not_modified(etag, page.modified):
                    status = 304
                self.send_response(status)
                self.send_header("Content-Type", page.content_type)
                if status in (200, 304):
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", last_modified)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                body = b"" if status == 304 else page.body
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body and body:
                    self.wfile.write(body)

            def _not_modified(self, etag: str, modified: float) -> bool:
                if_none_match = self.headers.get("If-None-Match")
                if if_none_match is not None:
                    return etag in [t.strip() for t in if_none_match.split(",")]
                since = self.headers.get("If-Modified-Since")
                if since:
                    try:
                        when = email.utils.parsedate_to_datetime(since).timestamp()
                    except (TypeError, ValueError):
                        return False
                    return int(modified) <= when
                return False

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                logger.debug("demo server: " + format, *args)

        return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsbot.demo.server", description="Serve the newsbot demo news site."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = DemoServer(host=args.host, port=args.port).start()
    print(f"Demo news site at {server.url}/ (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
