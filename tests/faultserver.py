"""A fault-injecting HTTP server on 127.0.0.1 (port 0), and a crawl runner for tests.

The server plays every misbehaving site the crawler must survive: errors with and
without ``Retry-After``, hangs, slow drips, resets mid-body, truncated gzip, redirect
chains and loops, non-HTML answers, oversized pages, pages in legacy encodings, and
spider traps. It records when each path was hit, so tests can check backoff timing and
that traps stopped.

``run_crawl`` runs a crawl in a fresh Python process (Scrapy's reactor cannot be
restarted in one test process) through this file's ``__main__``, and returns the items,
the final stats and the log.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent

WORDS = [
    *("council", "harbour", "budget", "river", "bridge", "school", "library", "market"),
    *("festival", "weather", "railway", "hospital", "election", "museum", "garden"),
    *("station", "transport", "policy", "housing", "energy", "water", "report"),
    *("teachers", "residents", "planning", "community", "tourism", "coastal"),
]


def article_html(name: str, *, charset_meta: str | None = None, extra: str = "") -> str:
    """A plain news article page whose text is derived from *name*."""
    rnd = random.Random(name)
    paragraphs = []
    for i in range(6):
        words = [rnd.choice(WORDS) for _ in range(28)]
        paragraphs.append(f"Paragraph {i} of {name}: " + " ".join(words) + ".")
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>Story {name}</title>"
        f'<meta property="og:type" content="article"></head><body><article>'
        f"<h1>Story {name}</h1>{extra}{body}</article></body></html>"
    )


def article_paragraphs(name: str) -> list[str]:
    """The paragraphs :func:`article_html` writes for *name*."""
    rnd = random.Random(name)
    out = []
    for i in range(6):
        words = [rnd.choice(WORDS) for _ in range(28)]
        out.append(f"Paragraph {i} of {name}: " + " ".join(words) + ".")
    return out


# Legacy-encoding pages: text with characters outside ASCII, each encoded the way a
# real server would send it. (body encoding, meta charset, header charset)
ENCODED_TEXT = {
    "cp1252": "Les élèves ont dit « bonjour » au maire — “c’est l’été”, a-t-il répondu, "
    "et le café coûte 2 € de plus.",
    "latin1": "Der Bürgermeister eröffnete die Brücke über die Straße; Ärger gab es "
    "wegen der Gebühren für Radfahrer.",
    "shift_jis": "市議会は新しい橋の建設計画を承認しました。工事は来年の春に始まる予定です。①",
    "gb2312": "市议会批准了新桥的建设计划，工程预计明年春天开始，居民表示欢迎。",
    "utf8": "Zoë’s café in Kraków serves pierogi — naïve visitors pay 12 zł, "
    "locals say «très bien».",
}
ENCODING_CASES: dict[str, tuple[str, str, str | None, str | None]] = {
    # case: (text key, body encoding, meta charset, header Content-Type)
    "utf8-bom": ("utf8", "utf-8-sig", None, "text/html"),
    "cp1252-undeclared": ("cp1252", "cp1252", None, "text/html"),
    "latin1-undeclared": ("latin1", "iso-8859-1", None, "text/html"),
    "sjis-meta": ("shift_jis", "cp932", "shift_jis", "text/html"),
    "gb2312-meta": ("gb2312", "gb2312", "gb2312", "text/html"),
    "header-says-latin1-page-is-utf8": ("utf8", "utf-8", None, "text/html; charset=iso-8859-1"),
    "header-says-utf8-page-is-cp1252": (
        "cp1252",
        "cp1252",
        "windows-1252",
        "text/html; charset=utf-8",
    ),
    "header-says-latin1-page-is-sjis": (
        "shift_jis",
        "cp932",
        "shift_jis",
        "text/html; charset=iso-8859-1",
    ),
}


def encoded_page(case: str) -> tuple[bytes, str | None, str]:
    """(body, Content-Type, expected sentence) of an encoding case."""
    key, encoding, meta, content_type = ENCODING_CASES[case]
    sentence = ENCODED_TEXT[key]
    filler = " ".join(f"{sentence}" for _ in range(3))
    meta_tag = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    )
    html = (
        f"<html><head>{meta_tag}<title>{sentence[:20]}</title></head><body><article>"
        f"<h1>{sentence[:20]}</h1><p>{sentence}</p><p>{filler}</p><p>{filler}</p>"
        f"<p>{' '.join(article_paragraphs(case))}</p></article></body></html>"
    )
    return html.encode(encoding), content_type, sentence


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


class FaultServer:
    """The server. ``with FaultServer() as server: server.url("/article/a")``."""

    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.hits: defaultdict[str, list[float]] = defaultdict(list)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"server_state": self})
        self.httpd = ThreadingHTTPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def record(self, path: str) -> None:
        with self.lock:
            self.hits[path].append(time.monotonic())

    def count(self, prefix: str) -> int:
        with self.lock:
            return sum(len(v) for k, v in self.hits.items() if k.startswith(prefix))


class _Handler(BaseHTTPRequestHandler):
    server_state: FaultServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    # -- helpers ------------------------------------------------------------------
    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _html(self, html: str, status: int = 200) -> None:
        self._send(status, html.encode("utf-8"))

    def _links(self, hrefs: list[str]) -> None:
        links = "".join(f'<a href="{h}">link</a>\n' for h in hrefs)
        self._html(f"<html><body><nav>{links}</nav></body></html>")

    def _reset(self) -> None:
        # SO_LINGER 0 makes close() send a TCP RST instead of a clean FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    # -- routes -------------------------------------------------------------------
    def do_GET(self) -> None:
        state = self.server_state
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        state.record(path)
        segments = [s for s in path.split("/") if s]
        head = segments[0] if segments else ""
        # The client hanging up on a fault page is part of the test, not an error.
        with contextlib.suppress(OSError):
            self._route(head, segments, path, query)

    def _route(
        self, head: str, segments: list[str], path: str, query: dict[str, list[str]]
    ) -> None:
        state = self.server_state
        if head == "article":
            if "delay" in query:  # a slow site, so a test can stop a crawl mid-run
                state.stop.wait(float(query["delay"][0]))
            self._html(article_html(segments[1]))
        elif head == "status":
            # /status/<code>[?retry_after=S]
            headers = {}
            if "retry_after" in query:
                headers["Retry-After"] = query["retry_after"][0]
            self._send(int(segments[1]), b"<html><body>busy</body></html>", headers=headers)
        elif head == "flaky":
            # /flaky/<code>/<fails>/<name>[?retry_after=S]: fails <fails> times, then works
            code, fails, name = int(segments[1]), int(segments[2]), segments[3]
            if len(state.hits[path]) <= fails:
                headers = {"Retry-After": query["retry_after"][0]} if "retry_after" in query else {}
                self._send(code, b"<html><body>try later</body></html>", headers=headers)
            else:
                self._html(article_html(name))
        elif head == "hang":
            state.stop.wait(30)
        elif head == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            deadline = time.monotonic() + 30
            while not state.stop.is_set() and time.monotonic() < deadline:
                self.wfile.write(b"<")
                self.wfile.flush()
                state.stop.wait(0.2)
        elif head == "reset":
            page = article_html("reset").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page[: len(page) // 3])
            self.wfile.flush()
            time.sleep(0.05)  # the fault itself: part of the body goes out, then the reset
            self._reset()
        elif head == "truncated-gzip":
            data = gzip_bytes(article_html("truncated").encode())
            self._send(200, data[: len(data) // 2], headers={"Content-Encoding": "gzip"})
        elif head == "redirect":
            # /redirect/<n>/<name>: n hops, then the article
            n, name = int(segments[1]), segments[2]
            target = f"/redirect/{n - 1}/{name}" if n > 1 else f"/article/{name}"
            self._send(302, b"", headers={"Location": target})
        elif head == "loop":
            target = "/loop/b" if segments[1] == "a" else "/loop/a"
            self._send(302, b"", headers={"Location": target})
        elif head == "to":
            # /to?url=...: a redirect anywhere
            self._send(302, b"", headers={"Location": query["url"][0]})
        elif head == "empty":
            self._send(200, b"")
        elif head == "binary":
            self._send(200, random.Random(1).randbytes(20000), "application/octet-stream")
        elif head == "pdf":
            body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + random.Random(2).randbytes(
                5000
            )
            self._send(200, body, "application/pdf")
        elif head == "pdf-as-html":
            body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + random.Random(3).randbytes(
                5000
            )
            self._send(200, body, "text/html")
        elif head == "image":
            body = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(4).randbytes(5000)
            self._send(200, body, "image/png")
        elif head == "big":
            # /big/<kilobytes>
            size = int(segments[1]) * 1024
            para = "<p>" + " ".join(WORDS) + "</p>\n"
            html = (
                "<html><body><article>"
                + para * (size // len(para) + 1)
                + "</article></body></html>"
            )
            self._html(html)
        elif head == "enc":
            body, content_type, _ = encoded_page(segments[1])
            self._send(200, body, content_type)
        elif head == "slow-extract":
            # Valid, but marked for the test extractor to hang on (see faulty_extract_page)
            self._html(article_html("slow", extra="<p>newsbot-test: hang</p>"))
        elif head == "crash-extract":
            self._html(article_html("crash", extra="<p>newsbot-test: crash</p>"))
        elif head == "cal":
            # /cal/<year>/<month>: an endless calendar
            year, month = int(segments[1]), int(segments[2])
            nxt = (year + month // 12, month % 12 + 1)
            prv = (year - (month == 1), (month - 2) % 12 + 1)
            self._links([f"/cal/{nxt[0]}/{nxt[1]:02d}", f"/cal/{prv[0]}/{prv[1]:02d}"])
        elif head == "session":
            # /session/<page>: every link carries a fresh session id
            sid = random.randrange(10**12)
            self._links(
                [f"/session/p{i}?sid={sid}" for i in range(1, 4)]
                + [f"/session/p{i};jsessionid={sid}" for i in range(1, 4)]
                + [f"/session/p{i}?utm_source=x{sid}&PHPSESSID={sid}#top" for i in range(1, 4)]
            )
        elif head == "facets":
            # /facets?page=N&...: every page links to more filter combinations
            page = int(query.get("page", ["1"])[0])
            colours = ["red", "blue", "green"]
            hrefs = [f"/facets?page={page + 1}&colour={c}" for c in colours]
            hrefs += [f"/facets?colour={c}&page={page + 1}" for c in colours]  # same, reordered
            hrefs += [f"/facets?page={page + 1}&size={page}&sort={s}" for s in ("asc", "desc")]
            self._links(hrefs)
        elif head == "chain":
            # /chain/<letters>: an endlessly deeper link chain (no digits: every path
            # has its own shape, so only the depth limit catches it)
            self._links([f"/chain/{segments[1]}x"])
        elif head == "relative":
            # relative links resolved against the wrong base: /relative/a/b/a/b/...
            self._links(["a/", "b/"])
        else:
            self._send(404, b"not found")


# -- crawl runner --------------------------------------------------------------------

BASE_SETTINGS: dict[str, Any] = {
    "ROBOTSTXT_OBEY": False,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    # What an operator sees: a traceback or a flood at INFO is a failure.
    "LOG_LEVEL": "INFO",
    "NEWSBOT_PROGRESS_ENABLED": False,
    "NEWSBOT_WORKERS": -1,
    "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": True,
    "NEWSBOT_RETRY_BACKOFF_BASE": 0.1,
    "NEWSBOT_RETRY_BACKOFF_MAX": 5.0,
    "DOWNLOAD_TIMEOUT": 5,
    # The project's own middlewares (newsbot/settings.py) run as in a real crawl.
    "CLOSESPIDER_TIMEOUT": 60,
}


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str
    stderr: str
    records: list[dict[str, Any]] = field(default_factory=list)

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))

    def log_lines(self, level: str) -> list[str]:
        return [
            line for line in self.log.splitlines() if f"[{level}]" in line or f" {level}:" in line
        ]


def run_crawl(
    workdir: Path,
    *,
    spider: str = "urls",
    args: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 90,
) -> CrawlResult:
    """Run one crawl in a fresh process (this file as a script) and collect what it did."""
    merged = dict(BASE_SETTINGS)
    for key, value in (settings or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    merged["LOG_FILE"] = str(workdir / "crawl.log")
    merged["FEEDS"] = {str(workdir / "out.jsonl"): {"format": "jsonlines"}}
    config = {
        "spider": spider,
        "args": args or {},
        "settings": merged,
        "result": str(workdir / "result.json"),
    }
    (workdir / "config.json").write_text(json.dumps(config))
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    )
    proc = subprocess.run(
        [sys.executable, str(HERE / "faultserver.py"), str(workdir / "config.json")],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    result_path = workdir / "result.json"
    data = (
        json.loads(result_path.read_text()) if result_path.exists() else {"items": [], "stats": {}}
    )
    log_path = workdir / "crawl.log"
    out = workdir / "out.jsonl"
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return CrawlResult(
        returncode=proc.returncode,
        items=data["items"],
        stats=data["stats"],
        log=log_path.read_text(errors="replace") if log_path.exists() else "",
        stderr=proc.stderr,
        records=records,
    )


def faulty_extract_page(task: Any) -> Any:
    """The real worker function, except that pages marked for it hang or kill their
    worker: a stand-in for an extractor stuck in native code, or killed by the OOM
    killer, which no page content can be relied on to cause."""
    from newsbot.pool.processes import extract_page

    if b"newsbot-test: crash" in task.body:
        os.kill(os.getpid(), 9)
    if b"newsbot-test: hang" in task.body:
        time.sleep(600)  # the hang is what is tested: the pool's time-out ends it
    return extract_page(task)


def faulty_pipeline_class() -> type:
    from newsbot.pipelines.page_to_record import ExtractionPipeline
    from newsbot.pool.processes import ExtractionPool

    class FaultyExtractionPipeline(ExtractionPipeline):
        @classmethod
        def from_crawler(cls, crawler: Any) -> Any:
            pipeline = super().from_crawler(crawler)
            pipeline.pool.close()
            pipeline.pool = ExtractionPool(
                workers=2,
                timeout=crawler.settings.getfloat("NEWSBOT_EXTRACT_TIMEOUT"),
                function=faulty_extract_page,
            )
            return pipeline

    return FaultyExtractionPipeline


def _follow_spider() -> type:
    import scrapy

    class Follow(scrapy.Spider):
        """Follows every link; yields nothing else."""

        name = "follow"

        def __init__(self, urls: str = "", **kwargs: Any):
            super().__init__(**kwargs)
            self.start_urls = urls.split(",")

        def parse(self, response: Any, **kwargs: Any) -> Iterator[Any]:
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, callback=self.parse)

    return Follow


def _main(config_path: str) -> int:
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    config = json.loads(Path(config_path).read_text())
    settings = get_project_settings()
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    if config["settings"].pop("TEST_FAULTY_EXTRACTION", False):
        pipelines.pop("newsbot.pipelines.page_to_record.ExtractionPipeline", None)
        pipelines["faultserver.FaultyPipeline"] = 100
    settings.set("ITEM_PIPELINES", pipelines)
    settings.setdict(config["settings"], priority="cmdline")
    process = CrawlerProcess(settings)
    spider: Any = _follow_spider() if config["spider"] == "follow" else config["spider"]
    crawler = process.create_crawler(spider)
    items: list[dict[str, Any]] = []

    def scraped(item: Any) -> None:
        from itemadapter import ItemAdapter

        items.append(ItemAdapter(item).asdict())

    crawler.signals.connect(scraped, signal=signals.item_scraped)
    process.crawl(crawler, **config["args"])
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    Path(config["result"]).write_text(json.dumps({"items": items, "stats": stats}, default=str))
    return 0


def __getattr__(name: str) -> Any:
    # Lets settings name "faultserver.FaultyPipeline" without importing Scrapy here.
    if name == "FaultyPipeline":
        return faulty_pipeline_class()
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1]))
