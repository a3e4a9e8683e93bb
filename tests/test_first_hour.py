"""The first hour with newsbot (issue #15): every command does what was asked, or says in
one line why not. Each test runs the command as a user types it (``newsbot crawl`` or
``scrapy crawl`` in a subprocess) against the demo site on 127.0.0.1, and checks the
exit status, the message and the files written."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.demo.server import DemoServer

SITE = Path(__file__).resolve().parent.parent / "newsbot" / "demo" / "site"
EXPECTED = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
ARTICLE = next(iter(EXPECTED["articles"]))
SPIDERS = ("urls", "feed", "sitemap", "site")


def run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``newsbot ...`` or ``scrapy ...`` in the test's own folder (the project settings
    found through SCRAPY_SETTINGS_MODULE, as in a project folder)."""
    command, *rest = argv
    base = dict(os.environ, SCRAPY_SETTINGS_MODULE="newsbot.settings", **(env or {}))
    # The console scripts, as a user types them (``python -m scrapy`` would call
    # itself "__main__.py" in its messages).
    return subprocess.run(
        [str(Path(sys.executable).parent / command), *rest],
        capture_output=True,
        text=True,
        timeout=240,
        env=base,
    )


def crawl(command: str, spider: str, *args: str) -> list[str]:
    """The argv of one spider run through *command* (``newsbot`` or ``scrapy``)."""
    if command == "newsbot":
        return ["newsbot", "crawl", "--spider", spider, *args]
    return ["scrapy", "crawl", spider, *args]


def lines(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        text = f.read()
    if path.name.endswith((".json", ".json.gz")):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error a command printed: it exited 2 without a traceback."""
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [
        line
        for line in result.stderr.splitlines()
        if line.startswith(("newsbot crawl: ", "scrapy: error: "))
    ]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture(scope="module")
def server():
    with DemoServer() as demo:
        yield demo


# --- 1. Crawl state belongs to named sources -------------------------------------------


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
@pytest.mark.slow
def test_an_ad_hoc_crawl_run_twice_writes_its_record_both_times(server, tmp_path, command):
    url = server.url_for(ARTICLE)
    out = tmp_path / "one.jsonl"
    for _ in range(2):
        result = run(
            *crawl(command, "urls", "-a", f"urls={url}", "-a", "allow_private=1"), "-O", str(out)
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert [r["url"] for r in lines(out)] == [url]
        # State was not asked for: none kept, and nothing to warn about.
        assert " WARNING: " not in result.stderr, result.stderr[-3000:]
    assert not (tmp_path / ".newsbot").exists()


@pytest.mark.slow
def test_an_ad_hoc_crawl_keeps_state_when_asked(server, tmp_path):
    url = server.url_for(ARTICLE)
    argv = crawl("newsbot", "urls", "-a", f"urls={url}", "-a", "allow_private=1", "-a", "state=1")
    first = run(*argv, "-O", "first.jsonl")
    second = run(*argv, "-O", "second.jsonl")
    assert first.returncode == second.returncode == 0, second.stderr[-3000:]
    assert len(lines(tmp_path / "first.jsonl")) == 1
    assert lines(tmp_path / "second.jsonl") == []
    assert "skipped 1 URL whose records earlier runs wrote" in second.stderr


@pytest.mark.slow
def test_a_named_source_skips_what_earlier_runs_wrote_and_says_how_to_fetch_it_again(
    server, tmp_path
):
    url = server.url_for(ARTICLE)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "one"\nkind = "urls"\nurls = ["{url}"]\nallow_private = true\n',
        encoding="utf-8",
    )
    first = run("newsbot", "crawl", "one", "--sources", str(sources), "-O", "a.jsonl")
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(lines(tmp_path / "a.jsonl")) == 1

    second = run("newsbot", "crawl", "one", "--sources", str(sources), "-O", "b.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    assert lines(tmp_path / "b.jsonl") == []
    summary = second.stderr[second.stderr.index("one: 0 records written to b.jsonl") :]
    assert "skipped 1 URL whose records earlier runs wrote (crawl state of one)" in summary
    assert "to fetch them again: -s NEWSBOT_STATE_ENABLED=0" in summary

    # The way the summary gives: the record again, and no warning for state being off.
    again = run(
        "newsbot", "crawl", "one", "--sources", str(sources), "-O", "c.jsonl",
        "-s", "NEWSBOT_STATE_ENABLED=0",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(lines(tmp_path / "c.jsonl")) == 1
    assert " WARNING: " not in again.stderr, again.stderr[-3000:]


# --- 2. One line, not a traceback; gzip output -----------------------------------------


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
@pytest.mark.slow
def test_a_malformed_typed_setting_is_one_line(server, command):
    argv = crawl(command, "urls", "-a", f"urls={server.url_for(ARTICLE)}")
    error = one_line_error(run(*argv, "-s", "NEWSBOT_WORKERS=abc"))
    assert "setting NEWSBOT_WORKERS: 'abc' is not a whole number" in error
    error = one_line_error(run(*argv, "-s", "ROBOTSTXT_OBEY=maybe"))
    assert "setting ROBOTSTXT_OBEY: 'maybe' is not a yes/no value" in error


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["urls"], "field 'urls': at least one start URL is needed"),
        (["urls", "-a", "urls=not-a-url"], "'not-a-url' is not an absolute http(s) URL"),
        (["site", "-a", "url=https://a.example/", "-a", "max_pages=lots"], "not a whole number"),
        (["nosuch"], "no spider named 'nosuch' (spiders: feed, site, sitemap, urls)"),
    ],
)
@pytest.mark.slow
def test_scrapy_crawl_with_a_missing_or_wrong_argument_is_one_line(argv, message):
    error = one_line_error(run("scrapy", "crawl", *argv))
    assert message in error


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
@pytest.mark.parametrize("name", ["out.jsonl.gz", "out.json.gz"])
@pytest.mark.slow
def test_gzip_output_just_works(server, tmp_path, command, name):
    url = server.url_for(ARTICLE)
    argv = crawl(command, "urls", "-a", f"urls={url}", "-a", "allow_private=1")
    result = run(*argv, "-O", name)
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / name
    assert out.read_bytes()[:2] == b"\x1f\x8b"  # gzip, not plain text
    (record,) = lines(out)
    assert record["url"] == url and record["text"]


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
@pytest.mark.slow
def test_an_unknown_output_format_is_one_line_naming_the_formats(server, tmp_path, command):
    argv = crawl(command, "urls", "-a", f"urls={server.url_for(ARTICLE)}")
    error = one_line_error(run(*argv, "-O", "out.txt"))
    assert "out.txt: unknown output format 'txt'" in error
    assert "formats: json, jsonlines, jsonl, jl, csv, xml" in error
    assert "out.jsonl.gz" in error
    assert not (tmp_path / "out.txt").exists()


# --- 3. Arguments a spider does not take -----------------------------------------------


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
@pytest.mark.parametrize("spider", SPIDERS)
@pytest.mark.slow
def test_every_spider_refuses_an_argument_it_does_not_take(command, spider, tmp_path):
    argv = crawl(command, spider, "-a", "url=https://a.example/", "-a", "max_page=5")
    error = one_line_error(run(*argv))
    assert f"spider '{spider}' does not take the argument 'max_page'" in error
    assert "did you mean 'max_pages'?" in error
    assert "it takes: source, url, urls," in error
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
@pytest.mark.slow
def test_a_misspelt_urls_argument_is_named_not_taken_for_a_missing_one(command):
    error = one_line_error(run(*crawl(command, "urls", "-a", "urlz=https://a.example/")))
    assert "does not take the argument 'urlz'" in error
    assert "file" in error.partition("it takes:")[2]


@pytest.mark.slow
def test_arguments_that_belong_to_other_spiders_are_refused():
    error = one_line_error(
        run(*crawl("newsbot", "site", "-a", "url=https://a.example/", "-a", "since=2d"))
    )
    assert "spider 'site' does not take the argument 'since'" in error
    error = one_line_error(
        run(*crawl("scrapy", "urls", "-a", "url=https://a.example/", "-a", "max_depth=2"))
    )
    assert "spider 'urls' does not take the argument 'max_depth'" in error


@pytest.mark.slow
def test_a_named_source_with_more_arguments_is_refused(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "s"\nkind = "site"\nurls = ["https://a.example/"]\n')
    error = one_line_error(
        run(
            "scrapy",
            "crawl",
            "site",
            "-a",
            "source=s",
            "-a",
            "max_pages=3",
            "-s",
            f"NEWSBOT_SOURCES={sources}",
        )
    )
    assert "with source=s the sources file says what to crawl; set 'max_pages' there" in error


# --- 4. Summaries that do not mislead ---------------------------------------------------


@pytest.mark.slow
def test_summary_names_the_file_written_in_the_singular(server, tmp_path):
    url = server.url_for(ARTICLE)
    result = run(
        *crawl("newsbot", "urls", "-a", f"urls={url}", "-a", "allow_private=1"), "-O", "one.jsonl"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "urls: 1 record written to one.jsonl" in result.stderr
    assert "no output file" not in result.stderr
    assert "1 records" not in result.stderr and "1 articles" not in result.stderr


@pytest.mark.slow
def test_records_on_stdout_and_everything_else_on_stderr(server):
    url = server.url_for(ARTICLE)
    for target in ("-", "stdout:"):
        result = run(
            *crawl("newsbot", "urls", "-a", f"urls={url}", "-a", "allow_private=1"), "-O", target
        )
        assert result.returncode == 0, result.stderr[-3000:]
        records = [json.loads(line) for line in result.stdout.splitlines()]  # jq would read it
        assert [r["url"] for r in records] == [url]
        assert "urls: 1 record written to standard output" in result.stderr


@pytest.mark.slow
def test_entries_skipped_by_since_are_reported_as_such(server, tmp_path):
    feed = server.url_for("/feed.xml")
    argv = crawl(
        "newsbot", "feed", "-a", f"url={feed}", "-a", "allow_private=1", "-a", "since=2100-01-01"
    )
    result = run(*argv, "-O", "new.jsonl")
    # Nothing is newer than the bound: not a broken site, and not "earlier runs".
    assert result.returncode == 0, result.stderr[-3000:]
    assert lines(tmp_path / "new.jsonl") == []
    assert "entries dated before since=" in result.stderr
    assert "earlier runs" not in result.stderr
    assert "changed its template" not in result.stderr


@pytest.mark.slow
def test_a_refused_private_address_says_how_to_allow_it_and_blames_no_template(server):
    result = run(
        *crawl("newsbot", "urls", "-a", f"urls={server.url_for(ARTICLE)}"), "-O", "x.jsonl"
    )
    assert result.returncode == 3
    assert "-a allow_private=1" in result.stderr
    assert "2 requests refused because the host is a private address" in result.stderr
    assert "changed its template" not in result.stderr


def _proxy_env(server: DemoServer) -> dict[str, str]:
    # The demo server answers proxy requests too: a crawl of a public-looking host
    # reaches 127.0.0.1 without any DNS look-up.
    return {"http_proxy": server.url, "no_proxy": "", "NO_PROXY": ""}


@pytest.mark.slow
def test_the_placeholder_contact_is_warned_about_for_public_hosts_only(server):
    public = f"http://news.example{ARTICLE}"
    argv = crawl("newsbot", "urls", "-a", f"urls={public}", "-a", "allow_private=1")
    result = run(*argv, "-O", "p.jsonl", env=_proxy_env(server))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING: NEWSBOT_CONTACT is not set: news.example" in result.stderr

    local = run(
        *crawl("newsbot", "urls", "-a", f"urls={server.url_for(ARTICLE)}", "-a", "allow_private=1"),
        "-O",
        "l.jsonl",
    )
    assert local.returncode == 0 and "NEWSBOT_CONTACT is not set" not in local.stderr

    named = run(
        *argv, "-O", "n.jsonl", "-s", "NEWSBOT_CONTACT=ops@example.org", env=_proxy_env(server)
    )
    assert named.returncode == 0 and "NEWSBOT_CONTACT is not set" not in named.stderr


@pytest.mark.parametrize(
    "settings", [[], ["-s", "NEWSBOT_CONTACT=ops@example.org"], ["-s", "USER_AGENT=MyBot/1.0"]]
)
@pytest.mark.slow
def test_scrapy_settings_shows_the_user_agent_actually_sent(server, settings):
    shown = run("scrapy", "settings", *settings, "--get", "USER_AGENT")
    assert shown.returncode == 0, shown.stderr
    server.clear_log()
    argv = crawl("scrapy", "urls", "-a", f"urls={server.url_for(ARTICLE)}", "-a", "allow_private=1")
    result = run(*argv, *settings, "-O", "ua.jsonl")
    assert result.returncode == 0, result.stderr[-3000:]
    sent = {r.headers.get("User-Agent") for r in server.log if r.path == ARTICLE}
    assert sent == {shown.stdout.strip()}
    assert not shown.stdout.startswith("Scrapy/")


# --- 9. The site spider spends its page budget breadth first ---------------------------


@pytest.mark.slow
def test_the_page_budget_goes_to_the_home_pages_articles_before_the_pages_they_link(tmp_path):
    from test_state_support import article_html, paragraphs

    articles, tags = 300, 20
    root = tmp_path / "site-root"
    root.mkdir()
    with DemoServer(root=root) as site:
        site.add_page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        links = "".join(
            f'<li><a href="/news/story-{n}.html">Story {n}</a></li>' for n in range(articles)
        )
        site.add_page("/", f"<html><body><h1>Latest</h1><ul>{links}</ul></body></html>")
        for n in range(articles):
            tag_links = "".join(f'<a href="/tag/t{n}-{t}/">tag {t}</a> ' for t in range(tags))
            page = article_html(f"Story number {n}", paragraphs(n))
            site.add_page(
                f"/news/story-{n}.html",
                page.replace("</article>", f"<nav>{tag_links}</nav></article>"),
            )
        budget = articles + 100
        argv = crawl("newsbot", "site", "-a", f"url={site.url}/", "-a", "allow_private=1")
        result = run(*argv, "-a", f"max_pages={budget}", "-O", "site.jsonl")
        assert result.returncode == 0, result.stderr[-3000:]
        fetched_tags = sum(1 for r in site.log if r.path.startswith("/tag/"))
    records = lines(tmp_path / "site.jsonl")
    # Every article the home page links, then what is left of the budget on tag pages.
    assert len(records) == articles
    assert fetched_tags == budget - 1 - articles


async def test_links_held_back_by_depth_get_the_budget_level_by_level_whatever_order_they_come():
    """Scrapy reads callback output lazily: the first articles' tag links can arrive
    while the home page's article links are still being read. The budget must still go
    to every article first."""
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.exceptions import DontCloseSpider
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from newsbot.middlewares.budget import BUDGET_DEPTH, BreadthFirstBudget

    class Spider:
        max_pages, pages_requested = 400, 1  # the home page took one

        def take_page_budget(self) -> bool:
            if self.pages_requested >= self.max_pages:
                return False
            self.pages_requested += 1
            return True

    released: list[Request] = []
    crawler = SimpleNamespace(spider=Spider(), engine=SimpleNamespace(crawl=released.append))
    crawler.stats = MemoryStatsCollector(get_crawler())
    gate = BreadthFirstBudget(crawler)

    def link(path: str, depth: int) -> Request:
        return Request(f"https://news.example{path}", meta={BUDGET_DEPTH: depth})

    # The home page's 300 article links, read in three goes; between them, the tag
    # links of the articles fetched so far (20 each).
    order = []
    for batch in range(3):
        order += [link(f"/story-{n}", 1) for n in range(batch * 100, batch * 100 + 100)]
        order += [link(f"/tag/{batch}-{t}", 2) for t in range(20 * 30)]

    async def feed() -> list:
        async def output():
            for request in order:
                yield request

        return [item async for item in gate.process_spider_output(None, output())]

    assert await feed() == []  # all held back
    for _ in range(3):
        try:
            gate.spider_idle(crawler.spider)
        except DontCloseSpider:
            continue
        break
    depth_of = [r.meta[BUDGET_DEPTH] for r in released]
    assert depth_of == [1] * 300 + [2] * 99
    assert crawler.spider.pages_requested == 400


# --- 5. newsbot extract ---------------------------------------------------------------


@pytest.mark.slow
def test_extract_refuses_an_empty_folder_and_counts_files_skipped_for_their_extension(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("newsbot", "extract", str(tmp_path / "empty"))
    assert result.returncode == 2 and result.stdout == ""
    assert "empty: no page in this folder" in result.stderr

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_bytes((SITE / ARTICLE.lstrip("/")).read_bytes())
    (pages / "notes.txt").write_text("not a page")
    (pages / "photo.jpg").write_bytes(b"\xff\xd8")
    result = run("newsbot", "extract", str(pages))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert "1 file(s), 1 with text, 0 without; 2 skipped for their extension (.jpg, .txt)" in (
        result.stderr
    )


@pytest.mark.slow
def test_extract_dash_o_appends_and_dash_O_overwrites_as_in_scrapy(tmp_path):
    page = tmp_path / "a.html"
    page.write_bytes((SITE / ARTICLE.lstrip("/")).read_bytes())
    out = tmp_path / "out.jsonl"
    for _ in range(2):
        assert run("newsbot", "extract", str(page), "-o", str(out)).returncode == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert run("newsbot", "extract", str(page), "-O", str(out)).returncode == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.slow
def test_extract_reads_a_page_from_stdin_and_prints_just_the_text(tmp_path):
    page = (SITE / ARTICLE.lstrip("/")).read_bytes()
    base = str(Path(sys.executable).parent / "newsbot")
    result = subprocess.run(
        [base, "extract", "--format", "text", "-"], input=page, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    first = EXPECTED["articles"][ARTICLE]["paragraphs"][0]
    assert text.startswith(first)
    assert not text.lstrip().startswith("{")  # the text, not a JSON record
