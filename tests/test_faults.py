"""Faults: a crawl against a misbehaving server goes on, and reports each failure once.

One crawl of the ``urls`` spider fetches a good page and one URL per kind of fault from
the fault server (tests/faultserver.py); the tests below read what it did.
"""

from __future__ import annotations

import re
import time

import pytest
from faultserver import FaultServer, article_paragraphs, run_crawl

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow

RETRY_TIMES = 2
FAILING = {
    # path: what the user should be told
    "/status/503": "503",
    "/status/500": "500",
    "/status/429?retry_after=1": "429",
    "/hang": "took longer than",
    "/drip": "took longer than",
    "/reset": "",
    "/big/400": "max size",
}
NOT_PAGES = ["/empty", "/binary", "/pdf", "/image", "/pdf-as-html"]
GOOD = {
    "/article/first": "first",
    "/article/second": "second",
    "/flaky/503/1/recovered?retry_after=1": "recovered",
    "/redirect/3/chained": "chained",
}
OTHER = ["/redirect/8/toolong", "/loop/a", "/truncated-gzip"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("faults")
    with FaultServer() as server:
        urls = [server.url(p) for p in [*GOOD, *FAILING, *NOT_PAGES, *OTHER]]
        started = time.monotonic()
        result = run_crawl(
            workdir,
            args={"urls": ",".join(urls)},
            settings={
                "DOWNLOAD_TIMEOUT": 2,
                "DOWNLOAD_MAXSIZE": 200 * 1024,
                "DOWNLOAD_WARNSIZE": 0,
                "REDIRECT_MAX_TIMES": 5,
                "RETRY_TIMES": RETRY_TIMES,
                "NEWSBOT_RETRY_BACKOFF_BASE": 0.2,
            },
        )
        elapsed = time.monotonic() - started
        yield server, result, elapsed


def _hits(server: FaultServer, path: str) -> list[float]:
    return server.hits[path.split("?", 1)[0]]


def test_crawl_finishes_cleanly_and_keeps_the_good_pages(crawl):
    server, result, elapsed = crawl
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.log and "Traceback" not in result.stderr
    by_name = {}
    for record in result.records:
        for path, name in GOOD.items():
            if record["url"].endswith(f"/article/{name}") or record["url"].endswith(path):
                by_name[name] = record
    assert sorted(by_name) == sorted(GOOD.values())
    for name, record in by_name.items():
        assert article_paragraphs(name)[0] in record["text"]
    # Faults cost their own time only: hangs and drips end at DOWNLOAD_TIMEOUT.
    assert elapsed < 40


def test_each_lost_url_is_one_error_line_and_counted(crawl):
    server, result, _ = crawl
    errors = result.log_lines("ERROR")
    for path, reason in FAILING.items():
        lines = [line for line in errors if path in line]
        assert len(lines) == 1, (path, lines)
        assert reason in lines[0]
    # ... and the truncated gzip body, given up after its retries, one line too.
    truncated = [line for line in errors if "/truncated-gzip" in line]
    assert len(truncated) == 1 and "arrived truncated" in truncated[0]
    assert len(errors) == len(FAILING) + 1, "\n".join(errors)
    # Retried faults (5xx, 429, timeouts, resets) are given up and counted per URL.
    retried = [p for p in FAILING if not p.startswith("/big")]
    assert result.stat("newsbot/fetch/gave_up") == len(retried)
    for path in retried:
        assert len(_hits(server, path)) == RETRY_TIMES + 1, path


def test_retries_back_off_and_honour_retry_after(crawl):
    server, _, _ = crawl
    # Retry-After: 1 -> at least a second between tries (Scrapy's own middleware
    # retries at once).
    for path in ("/status/429?retry_after=1", "/flaky/503/1/recovered?retry_after=1"):
        times = _hits(server, path)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert gaps and all(gap >= 0.95 for gap in gaps), (path, gaps)
    # No Retry-After: exponential backoff from 0.2 s (jittered by at most 25%).
    times = _hits(server, "/status/503")
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 0.15 and gaps[1] >= 0.3, gaps
    assert len(_hits(server, "/flaky/503/1/recovered")) == 2


def test_redirect_chains_are_followed_and_loops_capped(crawl):
    server, result, _ = crawl
    assert any(r["url"].endswith("/article/chained") for r in result.records)
    too_long = sum(
        len(v) for k, v in server.hits.items() if k.startswith("/redirect/") and "toolong" in k
    )
    assert too_long == 5 + 1  # REDIRECT_MAX_TIMES hops, then given up
    assert re.search(r"toolong not fetched: max redirections reached", result.log)
    assert server.count("/loop/") <= 5 + 1
    assert not any("loop" in r["url"] or "toolong" in r["url"] for r in result.records)
    # The loop is reported, not ended silently.
    assert result.stat("newsbot/fetch/redirect_loop") == 1
    assert re.search(r"WARNING: redirect loop: \S+/loop/a leads back", result.log)


def test_non_pages_are_dropped_with_a_log_line_and_counted(crawl):
    _, result, _ = crawl
    urls = {r["url"] for r in result.records}
    for path in NOT_PAGES:
        assert not any(url.endswith(path) for url in urls), path
        assert any(path in line for line in result.log.splitlines() if "ERROR" not in line), path
    counted = result.stat("newsbot/urls/not_page") + result.stat(
        "newsbot/extract/error/extraction_failed"
    )
    assert counted == len(NOT_PAGES)
    # A PDF served as text/html is recognised as a PDF, not extracted as text.
    assert re.search(r"pdf-as-html.*PDF document", result.log)


def test_oversized_and_truncated_bodies_cost_only_themselves(crawl):
    server, result, _ = crawl
    assert len(_hits(server, "/big/400")) == 1  # refused at the cap, not retried
    # A truncated gzip body is retried, then given up and reported: never a record of
    # half an article.
    assert not [r for r in result.records if r["url"].endswith("/truncated-gzip")]
    assert len(_hits(server, "/truncated-gzip")) == RETRY_TIMES + 1
    assert result.stat("newsbot/fetch/truncated") == 1
    assert re.search(r"ERROR: \S+/truncated-gzip: the gzip body arrived truncated", result.log)
