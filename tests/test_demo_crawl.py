"""The embedded default: `newsbot demo` crawls the demo site into clean records.

This is the project's main promise, checked end to end through the real command:
exactly one record per demo article, none for section, tag, author or index pages,
every record valid against the schema, every article paragraph kept and no promo,
call-to-action, related-link or caption line left.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from newsbot.schema import load_schema

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow

SITE = Path(__file__).resolve().parent.parent / "newsbot" / "demo" / "site"
EXPECTED = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sys.executable, "-m", "newsbot", "demo"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    files = sorted((workdir / "output" / "demo").glob("*.jsonl"))
    records = [
        json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()
    ]
    return result, files, records


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_demo_exits_cleanly_and_says_where_the_records_went(demo_run):
    result, files, records = demo_run
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(files) == 1
    # With the logs, on stderr: stdout is kept for records (-O -).
    assert f"{len(records)} records written to output/demo/{files[0].name}" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_record_per_demo_article_and_none_for_other_pages(demo_run):
    _, _, records = demo_run
    paths = sorted(_path(r["url"]) for r in records)
    assert paths == sorted(EXPECTED["articles"])


def test_every_record_is_valid_against_the_schema(demo_run):
    schema = load_schema()
    for record in demo_run[2]:
        jsonschema.validate(record, schema)


def test_records_keep_every_paragraph_and_drop_every_clutter_line(demo_run):
    for record in demo_run[2]:
        truth = EXPECTED["articles"][_path(record["url"])]
        text = record["text"]
        missing = [p for p in truth["paragraphs"] if p not in text]
        assert missing == [], f"{record['url']}: paragraphs lost"
        left = [c for c in truth["clutter"] if c in text]
        assert left == [], f"{record['url']}: clutter kept"
        if truth["template"] == "tabloid":
            # Two READ MORE promos and the WhatsApp call to action, each counted.
            assert record["removed"].get("promo", 0) >= 2
            assert record["removed"].get("call_to_action", 0) >= 1


def test_records_carry_the_pages_metadata(demo_run):
    for record in demo_run[2]:
        truth = EXPECTED["articles"][_path(record["url"])]
        assert record["title"] == truth["title"]
        assert record["language"] == truth["language"]
        assert record["published"] == truth["published"]
        assert record["authors"] == truth["authors"]
