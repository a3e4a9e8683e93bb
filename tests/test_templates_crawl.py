"""Issue #18, end to end: real ``scrapy crawl`` runs of a made-up paper on 127.0.0.1
learn its own boilerplate, remove it from the first run's records already, remember it
for the next run, and never lose a real paragraph (a quote two articles share, a
formula a few carry)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from template_site import (
    FORMULA,
    FORMULA_ARTICLES,
    LEAD,
    QUOTE,
    QUOTE_ARTICLES,
    TEMPLATE_LINES,
    LedgerSite,
    story,
)
from test_state_support import collect, crawl_env

from newsbot.demo.server import DemoServer

pytestmark = pytest.mark.slow


@pytest.fixture
def ledger(tmp_path):
    root = tmp_path / "site-root"
    root.mkdir()
    with DemoServer(root=root) as server:
        yield LedgerSite(server)


def crawl(workdir, site: LedgerSite, *settings: str):
    argv = [sys.executable, "-m", "scrapy", "crawl", "sitemap"]
    for arg in (f"url={site.server.url}/", "allow_private=1", "state=1"):
        argv += ["-a", arg]
    for setting in (
        "NEWSBOT_ALLOW_PRIVATE_ADDRESSES=1",
        "NEWSBOT_WORKERS=-1",
        "NEWSBOT_PROGRESS_ENABLED=0",
        "AUTOTHROTTLE_ENABLED=0",
        "LOG_LEVEL=INFO",
        *settings,
    ):
        argv += ["-s", setting]
    before = set((workdir / "output").rglob("*.jsonl")) if (workdir / "output").exists() else set()
    result = subprocess.run(
        argv, cwd=workdir, capture_output=True, text=True, timeout=180, env=crawl_env()
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return collect(workdir, before, result.returncode, result.stderr)


def number_of(record) -> int:
    return int(record["url"].rsplit("/", 1)[1].split(".")[0])


def carries_template(text: str) -> bool:
    return any(line in text for line in TEMPLATE_LINES) or LEAD in text


def lost_paragraphs(record) -> list[str]:
    paragraphs = set(record["text"].split("\n\n"))
    return [p for p in story(number_of(record)) if p not in paragraphs]


def test_first_and_second_run_are_free_of_the_sites_own_boilerplate(ledger, tmp_path):
    ledger.add(range(1, 41))
    first = crawl(tmp_path, ledger)
    assert sorted(number_of(r) for r in first.records) == list(range(1, 41))
    clean = [r for r in first.records if not carries_template(r["text"])]
    # The issue asks for 90 %: holding the first records until 20 articles were seen
    # makes it all of them.
    assert len(clean) == 40, [number_of(r) for r in first.records if r not in clean]
    assert all(r["removed"].get("template") == 4 for r in first.records)
    for record in first.records:
        assert lost_paragraphs(record) == [], number_of(record)
        number = number_of(record)
        assert (QUOTE in record["text"]) == (number in QUOTE_ARTICLES)
        assert (FORMULA in record["text"]) == (number in FORMULA_ARTICLES)
    assert first.manifest["counts"]["removed"]["template"] == 160

    ledger.add(range(41, 51))
    second = crawl(tmp_path, ledger)
    assert sorted(number_of(r) for r in second.records) == list(range(41, 51))
    for record in second.records:
        assert not carries_template(record["text"]), number_of(record)
        assert lost_paragraphs(record) == [], number_of(record)
        assert (FORMULA in record["text"]) == (number_of(record) in FORMULA_ARTICLES)

    # What was learned, as a user checks it.
    listing = subprocess.run(
        [sys.executable, "-m", "newsbot", "templates", "sitemap", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=crawl_env(),
    )
    assert listing.returncode == 0, listing.stderr
    sites = json.loads(listing.stdout)
    blocks = {b["text"]: b for b in sites["127.0.0.1"]["blocks"]}
    assert sites["127.0.0.1"]["articles"] == 50
    for line in TEMPLATE_LINES:
        assert blocks[line]["articles"] == 50 and blocks[line]["template"]
    assert blocks[f"{LEAD}: …"]["template"]
    assert blocks[FORMULA]["template"] is False


def test_without_the_memory_the_lines_stay(ledger, tmp_path):
    """The lines are no cue list's: only the learning removes them."""
    ledger.add(range(1, 9))
    run = crawl(tmp_path, ledger, "NEWSBOT_TEMPLATES_ENABLED=0")
    assert len(run.records) == 8
    assert all(carries_template(r["text"]) for r in run.records)
    assert all("template" not in r["removed"] for r in run.records)
