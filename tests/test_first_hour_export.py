"""The first hour with ``newsbot export`` (issue #15, point 6): a language that is no
ISO 639-1 code is refused, a dataset under ``output/`` is not read back by the next
export, and the dataset card says how to use the data, whose it is, and when it was
published and crawled. Each test runs the command as a user types it."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from commands import run_newsbot

from newsbot.items import record_id

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow

WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "bridge",
    "school",
    "library",
    "winter",
    "market",
    "festival",
]


def record(n: int, **fields: object) -> dict:
    url = f"https://gazette.example/story-{n}"
    text = " ".join(WORDS[(n * 3 + i) % len(WORDS)] + str(i * n) for i in range(80))
    return {
        "id": record_id(url),
        "url": url,
        "canonical_url": url,
        "title": f"Story {n}",
        "published": f"2025-03-0{n}T09:00:00+01:00",
        "language": "en",
        "text": text,
        "word_count": 80,
        "fetched_at": f"2025-04-1{n}T10:00:00+00:00",
        "source": "gazette",
        "version": 1,
        **fields,
    }


def newsbot(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The dataset loaders must never reach for the network.
    return run_newsbot(*args, cwd=cwd, env={"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"})


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    """A project folder with one crawl run under output/, as `newsbot crawl` leaves it."""
    run = tmp_path / "output" / "gazette" / "run-1.jsonl"
    run.parent.mkdir(parents=True)
    records = [record(1), record(2, language="de-DE"), record(3, published=None)]
    run.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return tmp_path


def shard_lines(folder: Path) -> int:
    return sum(
        len(gzip.decompress(p.read_bytes()).splitlines()) for p in folder.glob("data-*.jsonl.gz")
    )


def test_a_language_that_is_no_iso_code_is_refused_before_anything_is_written(runs):
    result = newsbot(runs, "export", "dataset", "--language", "english")
    assert result.returncode == 2
    assert result.stderr == (
        "newsbot export: error: --language 'english' is not an ISO 639-1 language code "
        "(two letters, e.g. en, de, fr; a region may follow: en-GB)\n"
    )
    assert not (runs / "dataset").exists()
    # A code with a region is a code.
    result = newsbot(runs, "export", "dataset", "--language", "DE-at", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert shard_lines(runs / "dataset") == 1


def test_a_valid_filter_that_keeps_nothing_says_so(runs):
    result = newsbot(runs, "export", "dataset", "--language", "fr", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "newsbot export: warning: the dataset is empty (removed by the filters: language 3)\n"
    )


def test_a_dataset_under_output_is_not_read_back_by_the_next_export(runs):
    first = newsbot(runs, "export", "output/dataset", "--no-progress")
    assert first.returncode == 0, first.stderr
    second = newsbot(runs, "export", "output/dataset-2", "--no-progress")
    assert second.returncode == 0, second.stderr
    assert second.stderr == (
        "newsbot export: not reading output/dataset: it is a dataset written by newsbot "
        "export (name it as an input to read it)\n"
    )
    manifest = json.loads((runs / "output/dataset-2/manifest.json").read_text())
    assert manifest["inputs"] == ["output/gazette/run-1.jsonl"]
    assert manifest["counts"]["input_lines"] == 3
    # Named, a dataset is read (to merge it with newer runs).
    third = newsbot(runs, "export", "merged", "output/dataset", "--no-progress")
    assert third.returncode == 0, third.stderr
    assert json.loads((runs / "merged/manifest.json").read_text())["inputs"] == [
        "output/dataset/data-00000.jsonl.gz"
    ]


def test_the_card_has_hub_metadata_dates_copyright_and_loading_code_that_runs(runs):
    result = newsbot(runs, "export", "dataset", "--no-progress")
    assert result.returncode == 0, result.stderr
    card = (runs / "dataset/README.md").read_text(encoding="utf-8")
    front, body = re.fullmatch(r"---\n(.*?)\n---\n(.*)", card, re.S).groups()
    meta = yaml.safe_load(front)
    assert meta["pretty_name"] == "News articles from gazette"
    assert meta["language"] == ["de", "en"]
    assert meta["size_categories"] == ["n<1K"]
    assert meta["license"] == "other"
    assert meta["configs"] == [{"config_name": "default", "data_files": "data-*.jsonl.gz"}]
    # The dates of the articles (their own calendar day) and of the crawl.
    assert "- Articles published: 2025-03-01 to 2025-03-02 (1 without a date)." in body
    assert "- Crawled: 2025-04-11 to 2025-04-13." in body
    manifest = json.loads((runs / "dataset/manifest.json").read_text())
    assert manifest["date_ranges"] == {
        "published": {"first": "2025-03-01", "last": "2025-03-02"},
        "fetched": {"first": "2025-04-11", "last": "2025-04-13"},
    }
    # Whose the articles are, and what to check before using them.
    usage = body.split("## Use and copyright\n", 1)[1].split("\n## ", 1)[0]
    assert "belong to their publishers" in usage and "license: other" in usage
    # The loading code names the real folder, and runs as it stands.
    assert "OUT_DIR" not in card
    (code,) = re.findall(r"```python\n(.*?)```", body, re.S)
    pytest.importorskip("datasets")
    check = code + "\nprint(len(df), sorted(df['language'].dropna()))\n"
    ran = subprocess.run(
        [sys.executable, "-c", check],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=runs,
        env=dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", HF_HOME=str(runs / "hf")),
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.strip().splitlines()[-1] == "3 ['de-DE', 'en', 'en']"
