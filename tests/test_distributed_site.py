"""A generated news site for the distributed-crawl tests and benchmark.

``NewsSite(articles=500)`` serves, on 127.0.0.1 and a free port, a home page linking
section pages, each listing its articles; every article links a few others (so that
several workers discover the same URL and the shared duplicate filter has work to do).
The server counts every request by path, so a test can assert that no page was
fetched twice. The tests in this module check the site itself.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newsbot.extraction.pagekind import classify_page

_WORDS = tuple(
    [
        "council",
        "harbour",
        "budget",
        "river",
        "school",
        "transport",
        "market",
        "festival",
        "library",
        "bridge",
        "hospital",
        "election",
        "museum",
        "weather",
        "railway",
        "farmers",
        "theatre",
        "police",
        "housing",
        "energy",
        "tourism",
        "fishing",
        "workers",
        "students",
        "mayor",
        "village",
        "county",
        "coast",
        "orchard",
        "factory",
        "bakery",
        "cyclists",
        "parliament",
        "court",
        "garden",
        "stadium",
        "airport",
        "ferry",
        "volunteers",
        "charity",
        "forest",
        "archive",
        "vineyard",
        "brewery",
        "canal",
        "tunnel",
        "clinic",
        "inspectors",
        "committee",
        "residents",
    ]
)
PER_SECTION = 20


def article_path(number: int) -> str:
    return f"/news/2025/05/story-{number:04d}-about-local-affairs.html"


def _paragraphs(number: int) -> list[str]:
    # Seeded per article: unique text (the dedupe pipeline drops repeats) that is the
    # same on every run.
    rng = random.Random(number)
    return [" ".join(rng.choice(_WORDS) for _ in range(45)).capitalize() + "." for _ in range(5)]


def article_page(number: int, count: int) -> bytes:
    links = "".join(
        f'<li><a href="{article_path((number + step) % count)}">More {step}</a></li>'
        for step in (1, 7, 31)
    )
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(number))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Story {number}: local affairs</title>"
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="Story {number}: local affairs">'
        '<meta property="article:published_time" content="2025-05-02T08:00:00Z">'
        "</head><body><header><a href='/'>Home</a></header>"
        f"<article><h1>Story {number}: local affairs</h1>{body}</article>"
        f"<aside><ul>{links}</ul></aside></body></html>"
    ).encode()


def section_page(section: int, count: int) -> bytes:
    first = section * PER_SECTION
    items = "".join(
        f'<li><a href="{article_path(n)}">Story {n}</a></li>'
        for n in range(first, min(first + PER_SECTION, count))
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Section {section}</title></head><body><a href='/'>Home</a>"
        f"<ul>{items}</ul></body></html>"
    ).encode()


def home_page(count: int) -> bytes:
    sections = (count + PER_SECTION - 1) // PER_SECTION
    items = "".join(
        f'<li><a href="/section/{s}.html">Section {s}</a></li>' for s in range(sections)
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Home</title>"
        f"</head><body><ul>{items}</ul></body></html>"
    ).encode()


class NewsSite:
    """The site, served by a threaded HTTP server on 127.0.0.1 (port 0)."""

    def __init__(self, articles: int = 500, delay: float = 0.0):
        self.articles = articles
        self.delay = delay
        self.requests: Counter[str] = Counter()
        self.times: list[float] = []
        """When each request arrived (time.monotonic()), for rates."""
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                with site._lock:
                    site.requests[self.path] += 1
                    site.times.append(time.monotonic())
                if site.delay:
                    threading.Event().wait(site.delay)
                status, body = site.page(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def article_urls(self) -> set[str]:
        return {self.url.rstrip("/") + article_path(n) for n in range(self.articles)}

    def page(self, path: str) -> tuple[int, bytes]:
        if path == "/":
            return 200, home_page(self.articles)
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n"
        if path.startswith("/section/") and path.endswith(".html"):
            number = path[len("/section/") : -len(".html")]
            if number.isdigit():
                return 200, section_page(int(number), self.articles)
        if path.startswith("/news/2025/05/story-"):
            number = path[len("/news/2025/05/story-") :][:4]
            found = number.isdigit() and path == article_path(int(number))
            if found and int(number) < self.articles:
                return 200, article_page(int(number), self.articles)
        return 404, b"<html><body>Not found</body></html>"

    def pages_fetched(self) -> Counter[str]:
        """Requests per path, robots.txt left out (each worker reads it itself)."""
        with self._lock:
            return Counter({p: n for p, n in self.requests.items() if p != "/robots.txt"})

    def reset(self) -> None:
        """Forget the requests counted so far."""
        with self._lock:
            self.requests.clear()
            self.times.clear()

    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_site_links_every_article_from_its_sections() -> None:
    with NewsSite(articles=45) as site:
        linked = set()
        for section in range(3):
            _, body = site.page(f"/section/{section}.html")
            linked |= {
                site.url.rstrip("/") + article_path(n)
                for n in range(45)
                if article_path(n).encode() in body
            }
        assert linked == site.article_urls()
        assert site.page("/news/2025/05/story-0045-about-local-affairs.html")[0] == 404


def test_articles_look_like_articles_and_sections_do_not() -> None:
    url = "http://127.0.0.1/"
    assert classify_page(article_page(3, 10), url + article_path(3)[1:]).is_article
    assert not classify_page(section_page(0, 10), url + "section/0.html").is_article
    # Unique text per article, or the dedupe pipeline would drop them.
    assert _paragraphs(1) != _paragraphs(2)


@pytest.mark.parametrize("path", ["/", "/section/0.html", article_path(0)])
def test_server_counts_requests(path: str) -> None:
    import urllib.request

    with NewsSite(articles=20) as site:
        with urllib.request.urlopen(site.url.rstrip("/") + path) as response:
            assert response.status == 200
        assert site.pages_fetched() == Counter({path: 1})
