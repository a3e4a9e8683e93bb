"""The run manifest: one JSON file per run saying what ran and what came of it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from test_state_support import NewsSite, article_html, crawl_argv, run_crawl

from newsbot.demo.server import DemoServer

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site-root"
    root.mkdir()
    with DemoServer(root=root) as server:
        yield NewsSite(server)


def test_the_manifest_says_what_the_run_fetched_wrote_dropped_and_where(site, tmp_path):
    for number in (1, 2, 3):
        site.add(number)
    site.add(4, article_html("A brief", ["Only a line of text here."]))

    run = run_crawl(tmp_path, crawl_argv(site.server.url))
    assert run.returncode == 0, run.stderr[-2000:]
    manifest = run.manifest
    assert manifest is not None
    (output,) = run.files
    manifest_file = output.with_name(output.stem + ".manifest.json")
    assert json.loads(manifest_file.read_text(encoding="utf-8")) == manifest

    assert manifest["run_id"] == output.stem
    assert manifest["source"] == "site"
    started = datetime.fromisoformat(manifest["started"])
    finished = datetime.fromisoformat(manifest["finished"])
    assert started <= finished
    assert manifest["finish_reason"] == "finished"
    counts = manifest["counts"]
    # robots.txt, the index page and four article pages.
    assert counts["fetched"] >= 6
    assert (counts["written"], counts["new"], counts["updated"], counts["skipped"]) == (3, 3, 0, 0)
    assert counts["dropped"] == {"too_short": 1}
    assert counts["errors"] == 0
    assert [Path(p).resolve() for p in manifest["output_files"]] == [output.resolve()]
    assert len(output.read_text(encoding="utf-8").splitlines()) == 3
    assert manifest["exit_status"] == 0
    assert manifest["health"]["ok"] is True
    assert manifest["health"]["problems"] == []


def test_a_crawl_with_the_state_off_still_writes_records_and_a_manifest(site, tmp_path):
    for number in (1, 2):
        site.add(number)
    argv = crawl_argv(site.server.url, extra={"NEWSBOT_STATE_ENABLED": "0"})
    first = run_crawl(tmp_path, argv)
    second = run_crawl(tmp_path, argv)
    assert len(first.records) == len(second.records) == 2, second.stderr[-2000:]
    assert second.manifest["exit_status"] == 0
    assert second.manifest["counts"]["new"] == 2
    assert not (tmp_path / ".newsbot").exists()
