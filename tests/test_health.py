"""Health checks: a run that finds no articles, or whose share of empty texts or
undated articles jumps against its recent runs, fails with a clear message."""

from __future__ import annotations

import pytest
from test_state_support import NewsSite, crawl_argv, run_crawl, stub_html

from newsbot.demo.server import DemoServer
from newsbot.extensions.manifest import EXIT_OK, EXIT_UNHEALTHY, HealthThresholds, check_health
from newsbot.state import RunRecord

THRESHOLDS = HealthThresholds(max_jump=0.3, min_pages=5, history=5)


def _run(n: int, status: int = EXIT_OK, **metrics: int) -> RunRecord:
    return RunRecord(run_id=f"r{n}", started=n, finished=n, exit_status=status, metrics=metrics)


HEALTHY = dict(fetched=12, pages=10, empty=1, records=9, undated=0, articles_seen=9)


def test_a_run_that_meets_no_article_after_healthy_runs_fails_with_the_template_message():
    metrics = dict(fetched=7, pages=5, empty=5, records=0, undated=0, articles_seen=0)
    health = check_health("daily", metrics, [_run(1, **HEALTHY)], THRESHOLDS)
    assert not health.ok
    assert health.problems[0] == (
        "source daily: 0 articles from 7 pages — its last healthy run wrote 9 articles"
        " — the site probably changed its template (or is unreachable)"
    )


@pytest.mark.parametrize(
    ("metrics", "why"),
    [
        (
            dict(fetched=7, pages=5, empty=5, records=0, articles_seen=0),
            "no page fetched gave an article text long enough to keep (see dropped)",
        ),
        (
            dict(fetched=3, pages=0, empty=0, records=0, articles_seen=0),
            "none of the pages fetched was taken for an article page",
        ),
        (
            dict(fetched=0, pages=0, empty=0, records=0, articles_seen=0),
            "no page could be fetched (see the errors above)",
        ),
        (
            dict(fetched=0, pages=0, records=0, articles_seen=0, refused_private=2),
            "2 requests refused because the host is a private address; "
            "to crawl it: -a allow_private=1 (allow_private = true in the sources file)",
        ),
    ],
)
def test_a_first_run_that_meets_no_article_says_why_without_blaming_a_template(metrics, why):
    health = check_health("daily", dict(metrics, undated=0), [], THRESHOLDS)
    assert not health.ok
    fetched = metrics["fetched"]
    noun = "page" if fetched == 1 else "pages"
    assert health.problems == [f"source daily: 0 articles from {fetched} {noun} — {why}"]


def test_a_run_with_nothing_new_but_known_articles_is_healthy():
    metrics = dict(fetched=2, pages=0, empty=0, records=0, undated=0, articles_seen=40)
    assert check_health("daily", metrics, [_run(1, **HEALTHY)], THRESHOLDS).ok


def test_a_jump_in_empty_texts_against_recent_runs_fails():
    history = [_run(n, **HEALTHY) for n in range(3)]
    metrics = dict(fetched=12, pages=10, empty=6, records=4, undated=0, articles_seen=30)
    health = check_health("daily", metrics, history, THRESHOLDS)
    assert not health.ok
    assert health.problems == [
        "source daily: 60% of 10 pages had no article text, against 10% in its last 3 runs"
        " — the site probably changed its template"
    ]
    assert health.baseline["empty_share"] == pytest.approx(0.1)


def test_a_jump_in_undated_articles_fails_and_a_small_rise_does_not():
    history = [_run(n, **HEALTHY) for n in range(3)]
    undated = dict(HEALTHY, undated=9)
    assert "9 articles had no date" in check_health("d", undated, history, THRESHOLDS).problems[0]
    slight = dict(HEALTHY, undated=2, empty=2)
    assert check_health("d", slight, history, THRESHOLDS).ok


def test_failed_runs_and_small_samples_are_not_a_baseline():
    bad_history = [_run(n, EXIT_UNHEALTHY, **dict(HEALTHY, empty=10)) for n in range(3)]
    metrics = dict(HEALTHY, empty=9)
    # The only history is unhealthy: nothing to compare with, so no jump is claimed.
    assert check_health("d", metrics, bad_history, THRESHOLDS).ok
    few = dict(fetched=3, pages=2, empty=2, records=1, undated=0, articles_seen=5)
    assert check_health("d", few, [_run(1, **HEALTHY)], THRESHOLDS).ok


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site-root"
    root.mkdir()
    with DemoServer(root=root) as server:
        yield NewsSite(server)


@pytest.mark.slow
def test_a_source_whose_pages_lost_their_body_fails_the_run(site, tmp_path):
    for number in (1, 2, 3):
        site.add(number, stub_html(f"Story number {number}"))
    argv = crawl_argv(site.server.url)
    # Through the user's command: `newsbot crawl` exits with the manifest's verdict.
    at = argv.index("scrapy")
    argv[at : at + 3] = ["newsbot", "crawl", "--spider", "site"]
    run = run_crawl(tmp_path, argv)
    assert run.returncode != 0
    assert run.records == []
    manifest = run.manifest
    assert manifest["exit_status"] == EXIT_UNHEALTHY
    assert manifest["health"]["ok"] is False
    fetched = manifest["counts"]["fetched"]
    # A first run has no earlier one to compare with: no template is blamed.
    message = (
        f"source site: 0 articles from {fetched} pages — "
        "no page fetched gave an article text long enough to keep (see dropped)"
    )
    assert manifest["health"]["problems"] == [message]
    assert message in run.stderr


@pytest.mark.slow
def test_new_pages_without_a_body_after_healthy_runs_fail_the_run(site, tmp_path):
    for number in range(1, 6):
        site.add(number)
    first = run_crawl(tmp_path, crawl_argv(site.server.url))
    assert first.manifest["exit_status"] == EXIT_OK, first.stderr[-2000:]

    for number in range(6, 11):
        site.add(number, stub_html(f"Story number {number}"))
    second = run_crawl(tmp_path, crawl_argv(site.server.url))
    manifest = second.manifest
    assert manifest["exit_status"] == EXIT_UNHEALTHY
    assert manifest["health"]["problems"] == [
        "source site: 100% of 5 pages had no article text, against 0% in its last 1 run"
        " — the site probably changed its template"
    ]
    assert "health check failed" in second.stderr


def test_a_cluster_worker_that_got_no_page_is_not_taken_for_a_broken_site():
    from newsbot.extensions.manifest import HealthThresholds, check_health

    idle = {"fetched": 1, "pages": 0, "records": 0, "articles_seen": 0, "cluster_worker": True}
    assert check_health("s", idle, [], HealthThresholds()).ok
    alone = dict(idle, cluster_worker=False)
    assert not check_health("s", alone, [], HealthThresholds()).ok
    broken = dict(idle, pages=12)  # a worker that did extract pages and found nothing
    assert not check_health("s", broken, [], HealthThresholds()).ok
