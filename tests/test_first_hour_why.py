"""Why a page gave no record (issue #15, point 7): ``newsbot crawl --why`` (or
``-s NEWSBOT_WHY_ENABLED=1`` with ``scrapy crawl``) lists each page asked for that gave
no record, with the reason, on standard error; the records are untouched."""

from __future__ import annotations

import pytest
from test_first_hour import crawl, lines, run

from newsbot.demo.server import DemoServer

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow

ARTICLE = "/politics/chancellor-pothole-fund-runs-dry-29481.html"


@pytest.fixture(scope="module")
def server():
    with DemoServer() as demo:
        yield demo


def listing(stderr: str) -> dict[str, str]:
    """The ``--why`` lines: {URL: reason}."""
    head, _, rest = stderr.partition(" gave no record:\n")
    assert head, stderr[-3000:]
    found = {}
    for line in rest.splitlines():
        if not line.startswith("  "):
            break
        url, _, reason = line.strip().partition("  ")
        found[url] = reason
    return found


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
def test_why_lists_each_page_without_a_record_and_the_reason(server, tmp_path, command):
    urls = [server.url_for(path) for path in (ARTICLE, "/about.html", "/missing.html")]
    why = ["--why"] if command == "newsbot" else ["-s", "NEWSBOT_WHY_ENABLED=1"]
    argv = crawl(command, "urls", "-a", "urls=" + ",".join(urls), "-a", "allow_private=1")
    result = run(*argv, *why, "-a", "state=1", "-O", "out.jsonl")
    assert result.returncode == 0, result.stderr[-3000:]
    assert [r["url"] for r in lines(tmp_path / "out.jsonl")] == [urls[0]]
    assert "why 2 pages gave no record:" in result.stderr
    assert listing(result.stderr) == {
        urls[1]: "too_short (17 words < 40)",
        urls[2]: "HTTP 404",
    }
    # Run again: the crawl state knew the article, and --why says so and how to fetch it.
    again = run(*argv, *why, "-a", "state=1", "-O", "again.jsonl")
    assert again.returncode == 0, again.stderr[-3000:]
    assert lines(tmp_path / "again.jsonl") == []
    assert listing(again.stderr)[urls[0]] == (
        "written by an earlier run (crawl state; -s NEWSBOT_STATE_ENABLED=0 fetches it)"
    )


def test_why_names_the_pages_the_site_spider_took_for_index_pages(server, tmp_path):
    result = run(
        *crawl("newsbot", "site", "-a", f"url={server.url_for('/')}", "-a", "allow_private=1"),
        "--why",
        "-O",
        "site.jsonl",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    written = {r["url"] for r in lines(tmp_path / "site.jsonl")}
    found = listing(result.stderr)
    assert found[server.url_for("/tag/eastmouth/")].startswith("not an article page (")
    assert found[server.url_for("/")].endswith("; its links are followed")
    assert not written & set(found)  # a page is either written or explained


def test_without_why_nothing_is_listed(server, tmp_path):
    urls = f"{server.url_for(ARTICLE)},{server.url_for('/about.html')}"
    result = run(*crawl("newsbot", "urls", "-a", f"urls={urls}", "-a", "allow_private=1"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "gave no record" not in result.stderr
