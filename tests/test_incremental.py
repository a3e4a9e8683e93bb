"""Incremental crawls of a local news site through real ``scrapy crawl`` runs: each run
writes only what is new, never fetches a done article again, re-checks recent ones
when asked, and never loses an article to a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from test_state_support import NewsSite, article_html, collect, crawl_argv, crawl_env, run_crawl

from newsbot.demo.server import DemoServer

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site-root"
    root.mkdir()
    with DemoServer(root=root) as server:
        yield NewsSite(server)


def _paths(records):
    return sorted("/" + r["url"].split("/", 3)[3] for r in records)


def test_each_run_writes_only_new_articles_and_fetches_no_done_article(site, tmp_path):
    for number in range(1, 7):
        site.add(number)

    first = run_crawl(tmp_path, crawl_argv(site.server.url))
    assert first.returncode == 0, first.stderr[-2000:]
    assert _paths(first.records) == [site.path(n) for n in range(1, 7)]
    assert {r["version"] for r in first.records} == {1}
    assert first.manifest["counts"]["new"] == 6

    site.server.clear_log()
    second = run_crawl(tmp_path, crawl_argv(site.server.url))
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.records == []
    assert site.article_fetches() == {}, "a done article was fetched again"
    # The index page is not an article: it is fetched on every run.
    assert site.server.count("/") == 1
    assert second.manifest["counts"]["skipped"] == 6
    assert second.manifest["exit_status"] == 0

    for number in (7, 8, 9):
        site.add(number)
    site.server.clear_log()
    third = run_crawl(tmp_path, crawl_argv(site.server.url))
    assert third.returncode == 0, third.stderr[-2000:]
    assert _paths(third.records) == [site.path(n) for n in (7, 8, 9)]
    assert sorted(site.article_fetches()) == [site.path(n) for n in (7, 8, 9)]
    assert third.manifest["counts"]["new"] == 3
    assert third.manifest["counts"]["skipped"] == 6


def test_recheck_writes_one_new_version_of_a_changed_article_only(site, tmp_path):
    for number in (1, 2, 3):
        site.add(number)
    argv = crawl_argv(site.server.url, spider_args={"recheck_within": "2d"})

    first = run_crawl(tmp_path, argv)
    assert len(first.records) == 3, first.stderr[-2000:]
    original = next(r for r in first.records if r["url"] == site.url(2))

    changed = article_html(
        "Story number 2",
        [*original["text"].split("\n\n"), "Update: the council has now approved the plan."],
    )
    site.change(2, changed)
    site.server.clear_log()
    second = run_crawl(tmp_path, argv)
    assert second.returncode == 0, second.stderr[-2000:]
    assert len(second.records) == 1
    updated = second.records[0]
    assert updated["url"] == site.url(2)
    assert updated["id"] == original["id"]
    assert updated["version"] == 2
    assert updated["text"].endswith("Update: the council has now approved the plan.")
    assert updated["modified"] is not None
    # Re-checks are conditional GETs: the unchanged pages answered 304, no body.
    conditional = [
        r for r in site.server.log if r.path.startswith("/news/") and "If-None-Match" in r.headers
    ]
    assert len(conditional) == 3
    assert second.manifest["counts"]["not_modified"] == 2
    assert second.manifest["counts"]["updated"] == 1

    third = run_crawl(tmp_path, argv)
    assert third.records == [], "an unchanged article was written again"


def test_a_crawl_killed_between_fetch_and_write_fetches_that_article_again(site, tmp_path):
    for number in (1, 2, 3, 4):
        site.add(number)
    marker = tmp_path / "stalled"
    argv = crawl_argv(
        site.server.url,
        extra={
            "NEWSBOT_TEST_STALL": site.path(3),
            "NEWSBOT_TEST_STALL_MARKER": str(marker),
        },
        extra_pipelines={"test_state_support.StallPipeline": 350},
    )
    process = subprocess.Popen(
        argv,
        cwd=tmp_path,
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        written = 0
        while time.monotonic() < deadline:
            files = list((tmp_path / "output").rglob("*.jsonl"))
            written = sum(len(f.read_text().splitlines()) for f in files)
            if marker.exists() and written == 3:
                break
            assert process.poll() is None, process.stderr.read()[-2000:] if process.stderr else ""
            time.sleep(0.05)
        assert marker.exists() and written == 3, "the crawl did not reach the stalled article"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    killed = collect(tmp_path, set(), process.returncode, "")
    assert _paths(killed.records) == [site.path(n) for n in (1, 2, 4)]

    site.server.clear_log()
    again = run_crawl(tmp_path, crawl_argv(site.server.url))
    assert again.returncode == 0, again.stderr[-2000:]
    assert _paths(again.records) == [site.path(3)]
    assert site.article_fetches() == {site.path(3): 1}
