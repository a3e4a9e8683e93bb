"""``newsbot export``: deduplication, filters, shards, schema, manifest, bad input."""

from __future__ import annotations

import gzip
import json
import logging
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from newsbot.cli import main
from newsbot.export import (
    ExportError,
    ExportOptions,
    dataset_fields,
    export_dataset,
    generate_record_schema,
)
from newsbot.export.near_duplicates import similarity
from newsbot.items import ArticleRecord, record_id

_VOCABULARY_TEXT = (
    "the council said on tuesday that new rules for river water will cost farmers more "
    "than expected while ministers argued over the budget and police closed roads near "
    "the harbour after storms damaged homes schools hospitals bridges trains markets "
    "prices rose sharply across europe as energy firms warned of shortages this winter "
    "officials declined to comment but residents described long queues at clinics and "
    "shops union leaders called a strike vote for next month over pay and pensions"
)
VOCABULARY = _VOCABULARY_TEXT.split()


def story(seed: int, words: int = 400) -> str:
    """A deterministic article body: paragraphs of sentences of common words."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    left = words
    while left > 0:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            n = min(left, rng.randint(8, 16))
            if n <= 0:
                break
            left -= n
            sentence = " ".join(rng.choice(VOCABULARY) for _ in range(n))
            sentences.append(sentence.capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def make_record(url: str, text: str | None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": record_id(url),
        "url": url,
        "canonical_url": url,
        "title": fields.pop("title", "A headline"),
        "published": "2024-03-01T09:00:00+00:00",
        "language": "en",
        "text": text,
        "word_count": len(text.split()) if text else 0,
        "fetched_at": "2024-03-02T10:00:00+00:00",
        "source": "wire",
        "version": 1,
    }
    record.update(fields)
    return record


def write_run(path: Path, records: list[dict[str, Any]], extra_lines: list[str] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def read_dataset(out_dir: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for shard in sorted(out_dir.glob("data-*.jsonl.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle]
    return records


def export(tmp_path: Path, *inputs: Path, **options: Any) -> tuple[list[dict], dict]:
    out_dir = options.pop("out_dir", tmp_path / "dataset")
    options.setdefault("progress", False)
    result = export_dataset(ExportOptions(out_dir=out_dir, inputs=list(inputs), **options))
    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert result.records == manifest["counts"]["records"]
    return read_dataset(out_dir), manifest


def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"]: r for r in records}


# --- duplicates --------------------------------------------------------------------------


def wire_copies() -> list[dict[str, Any]]:
    """One wire story on three outlets, each with its own lines around it."""
    body = story(1)
    return [
        make_record(
            "https://daily.example/news/river-rules",
            "Daily Example: your morning briefing, every day.\n\n"
            + body
            + "\n\nSign up for the Daily Example newsletter today.",
            source="daily",
            published="2024-03-01T11:00:00+00:00",
        ),
        make_record(
            "https://herald.example/2024/03/01/rules",
            "From our wire service partners.\n\n"
            + body
            + "\n\nRead more stories on the Herald app for phones.",
            source="herald",
            published="2024-03-01T08:30:00+00:00",
        ),
        make_record(
            "https://courier.example/story/991",
            body + "\n\nCopyright Courier Media; all rights reserved worldwide.",
            source="courier",
            published="2024-03-01T09:15:00+00:00",
        ),
    ]


def test_wire_story_on_three_outlets_keeps_earliest_with_the_others_as_duplicates(tmp_path):
    copies = wire_copies()
    assert all(similarity(copies[0]["text"], other["text"], 5) < 1.0 for other in copies[1:]), (
        "the copies must differ (boilerplate)"
    )
    other_story = make_record("https://daily.example/news/strike", story(2), source="daily")
    write_run(tmp_path / "output/mixed/run1.jsonl", [*copies, other_story])

    records, manifest = export(tmp_path, tmp_path / "output")

    urls = by_url(records)
    assert set(urls) == {"https://herald.example/2024/03/01/rules", other_story["url"]}
    kept = urls["https://herald.example/2024/03/01/rules"]
    assert kept["duplicates"] == [
        "https://courier.example/story/991",
        "https://daily.example/news/river-rules",
    ]
    assert kept["text"] == copies[1]["text"]
    assert urls[other_story["url"]]["duplicates"] == []
    assert manifest["removed"]["dedup"]["near_duplicate"] == 2
    assert manifest["removed"]["dedup"]["exact_text"] == 0


def test_near_threshold_and_no_near_keep_the_copies(tmp_path):
    write_run(tmp_path / "run.jsonl", wire_copies())
    records, manifest = export(tmp_path, tmp_path / "run.jsonl", near=False)
    assert len(records) == 3
    assert manifest["removed"]["dedup"]["near_duplicate"] == 0
    # At a threshold above the copies' similarity (about 0.93-0.95) they are distinct
    # stories; 256 permutations estimate it finely enough to tell 0.95 from 0.99.
    records, _ = export(
        tmp_path,
        tmp_path / "run.jsonl",
        near_threshold=0.99,
        num_perm=256,
        out_dir=tmp_path / "strict",
    )
    assert len(records) == 3


def test_updated_version_across_runs_newest_wins(tmp_path):
    url = "https://daily.example/news/budget"
    first = make_record(url, story(3), fetched_at="2024-03-01T10:00:00+00:00", version=1)
    second = make_record(
        url, story(4), fetched_at="2024-03-02T10:00:00+00:00", version=2, title="Updated"
    )
    # The newer run is read first, and gzipped: order and compression must not matter.
    write_run(tmp_path / "output/daily/2024-03-02.jsonl.gz", [second])
    write_run(tmp_path / "output/daily/2024-03-03.jsonl", [first])

    records, manifest = export(tmp_path, tmp_path / "output")

    assert len(records) == 1
    assert records[0]["version"] == 2
    assert records[0]["title"] == "Updated"
    assert records[0]["text"] == second["text"]
    assert manifest["removed"]["dedup"]["older_version"] == 1


def test_same_version_latest_fetch_wins(tmp_path):
    url = "https://daily.example/a"
    late = make_record(url, story(5), fetched_at="2024-03-05T00:00:00Z", title="late")
    early = make_record(url, story(6), fetched_at="2024-03-04T00:00:00Z", title="early")
    write_run(tmp_path / "run.jsonl", [late, early])
    records, _ = export(tmp_path, tmp_path / "run.jsonl")
    assert [r["title"] for r in records] == ["late"]


def test_identical_text_at_two_urls_is_one_record(tmp_path):
    body = story(7)
    rewrapped = body.replace(". ", ".\n ").replace(" the ", "  the ")
    a = make_record("https://a.example/1", body, published="2024-03-02")
    b = make_record("https://b.example/1", rewrapped, published="2024-03-01", source="b")
    write_run(tmp_path / "run.jsonl", [a, b])

    for near in (True, False):
        out = tmp_path / f"out-{near}"
        records, manifest = export(tmp_path, tmp_path / "run.jsonl", near=near, out_dir=out)
        assert [r["url"] for r in records] == ["https://b.example/1"]
        assert records[0]["duplicates"] == ["https://a.example/1"]
        assert manifest["removed"]["dedup"] == {
            "older_version": 0,
            "exact_text": 1,
            "near_duplicate": 0,
        }


# --- filters -----------------------------------------------------------------------------


def filter_corpus(tmp_path: Path) -> Path:
    records = [
        make_record(
            "https://a.example/1",
            story(11),
            source="a",
            language="en",
            published="2024-01-15T10:00:00+01:00",
        ),
        make_record(
            "https://a.example/2", story(12), source="a", language="de", published="2024-02-10"
        ),
        make_record(
            "https://b.example/1",
            story(13),
            source="b",
            language="en-GB",
            published="2024-03-20T23:00:00-05:00",
        ),
        make_record(
            "https://b.example/2",
            story(14, words=30),
            source="b",
            language="fr",
            published="2024-02-01",
        ),
        make_record("https://c.example/1", story(15), source="c", language="en", published=None),
    ]
    return write_run(tmp_path / "runs/all.jsonl", records)


def urls_of(records: list[dict[str, Any]]) -> set[str]:
    return {r["url"] for r in records}


def test_no_filter_keeps_undated_records(tmp_path):
    records, manifest = export(tmp_path, filter_corpus(tmp_path))
    assert len(records) == 5
    assert "https://c.example/1" in urls_of(records)
    assert manifest["by_month"] == {"2024-01": 1, "2024-02": 2, "2024-03": 1, "unknown": 1}


def test_source_filter(tmp_path):
    records, manifest = export(tmp_path, filter_corpus(tmp_path), sources=frozenset({"a", "c"}))
    assert urls_of(records) == {"https://a.example/1", "https://a.example/2", "https://c.example/1"}
    assert manifest["removed"]["filters"]["source"] == 2


def test_language_filter_matches_regional_codes(tmp_path):
    records, manifest = export(tmp_path, filter_corpus(tmp_path), languages=frozenset({"en"}))
    assert urls_of(records) == {"https://a.example/1", "https://b.example/1", "https://c.example/1"}
    assert manifest["removed"]["filters"]["language"] == 2


def test_date_range_is_inclusive_and_drops_undated(tmp_path):
    from datetime import date

    records, manifest = export(
        tmp_path, filter_corpus(tmp_path), since=date(2024, 2, 1), until=date(2024, 3, 20)
    )
    # The page's own local date counts: 2024-03-20T23:00-05:00 is on the 20th.
    assert urls_of(records) == {"https://a.example/2", "https://b.example/1", "https://b.example/2"}
    assert manifest["removed"]["filters"]["published_out_of_range"] == 1
    assert manifest["removed"]["filters"]["no_published_date"] == 1


def test_since_alone(tmp_path):
    from datetime import date

    records, _ = export(tmp_path, filter_corpus(tmp_path), since=date(2024, 3, 1))
    assert urls_of(records) == {"https://b.example/1"}


def test_min_words(tmp_path):
    records, manifest = export(tmp_path, filter_corpus(tmp_path), min_words=100)
    assert "https://b.example/2" not in urls_of(records)
    assert len(records) == 4
    assert manifest["removed"]["filters"]["min_words"] == 1


def test_records_without_text_are_left_out(tmp_path):
    write_run(
        tmp_path / "run.jsonl",
        [
            make_record("https://a.example/ok", story(20)),
            make_record("https://a.example/empty", None, error="no text found"),
        ],
    )
    records, manifest = export(tmp_path, tmp_path / "run.jsonl")
    assert urls_of(records) == {"https://a.example/ok"}
    assert manifest["removed"]["filters"]["empty_text"] == 1


# --- shards, schema, manifest ------------------------------------------------------------


def test_schema_covers_the_record_class_plus_duplicates():
    schema = generate_record_schema()
    names = [f.name for f in dataset_fields()]
    assert names[-1] == "duplicates"
    assert set(schema["properties"]) == set(ArticleRecord.__dataclass_fields__) | {"duplicates"}
    assert schema["properties"]["authors"]["type"] == "array"
    assert schema["properties"]["title"]["type"] == ["string", "null"]
    assert "canonical" in schema["properties"]["canonical_url"]["description"].lower()
    jsonschema.Draft202012Validator.check_schema(schema)


def test_shards_are_bounded_and_valid_against_the_schema(tmp_path):
    records = [
        make_record(
            f"https://s.example/{i}",
            story(100 + i),
            source=f"s{i % 2}",
            removed={"promo": i},
            authors=["Ann Lee"],
            tags=["x"],
            extra_key="dropped",
        )
        for i in range(7)
    ]
    write_run(tmp_path / "run.jsonl", records)
    out = tmp_path / "ds"
    exported, manifest = export(tmp_path, tmp_path / "run.jsonl", out_dir=out, shard_records=3)

    assert sorted(p.name for p in out.glob("data-*")) == [
        "data-00000.jsonl.gz",
        "data-00001.jsonl.gz",
        "data-00002.jsonl.gz",
    ]
    assert [s["records"] for s in manifest["shards"]] == [3, 3, 1]
    schema = json.loads((out / "article.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for record in exported:
        validator.validate(record)
        assert "extra_key" not in record
    assert len(exported) == 7

    # A byte bound: no shard holds more uncompressed JSON than asked (two records fit).
    line_size = max(
        len(json.dumps(r, ensure_ascii=False, separators=(",", ":"))) + 1 for r in exported
    )
    out2 = tmp_path / "ds2"
    _, manifest2 = export(
        tmp_path,
        tmp_path / "run.jsonl",
        out_dir=out2,
        shard_records=None,
        shard_bytes=2 * line_size + 10,
    )
    for shard in manifest2["shards"]:
        with gzip.open(out2 / shard["name"], "rb") as handle:
            assert len(handle.read()) <= 2 * line_size + 10
    assert sum(s["records"] for s in manifest2["shards"]) == 7
    assert len(manifest2["shards"]) >= 4


def test_manifest_counts_and_card(tmp_path):
    import hashlib

    copies = wire_copies()
    url = "https://daily.example/v"
    runs = [
        write_run(
            tmp_path / "output/wire/r1.jsonl",
            [*copies, make_record(url, story(30))],
            extra_lines=["not json"],
        ),
        write_run(
            tmp_path / "output/wire/r2.jsonl.gz",
            [
                make_record(
                    url,
                    story(31),
                    version=2,
                    fetched_at="2024-04-01T00:00:00Z",
                    published="2024-04-01",
                    language="de",
                    source="daily",
                ),
                make_record(
                    "https://x.example/dup", copies[2]["text"], source="x", published="2024-05-01"
                ),
                make_record("https://x.example/short", "Too short.", source="x"),
            ],
        ),
    ]
    (tmp_path / "output/wire/r1.manifest.json").write_text("{}")
    out = tmp_path / "ds"
    records, manifest = export(
        tmp_path,
        tmp_path / "output",
        out_dir=out,
        min_words=50,
        command=["newsbot", "export", "ds", "--min-words", "50"],
    )

    assert manifest["newsbot_version"] == __import__("newsbot").__version__
    assert manifest["command"] == "newsbot export ds --min-words 50"
    assert manifest["inputs"] == [str(p) for p in runs]
    assert manifest["counts"] == {
        "input_lines": 8,
        "invalid_lines": 1,
        "valid_records": 7,
        "distinct_urls": 6,
        "records": 2,
    }
    assert manifest["removed"]["dedup"] == {
        "older_version": 1,
        "exact_text": 1,
        "near_duplicate": 2,
    }
    assert manifest["removed"]["filters"]["min_words"] == 1
    assert manifest["by_source"] == {"daily": 1, "herald": 1}
    assert manifest["by_language"] == {"de": 1, "en": 1}
    assert manifest["by_month"] == {"2024-03": 1, "2024-04": 1}
    assert manifest["errors"][0]["line"] == 5
    for shard in manifest["shards"]:
        data = (out / shard["name"]).read_bytes()
        assert shard["sha256"] == hashlib.sha256(data).hexdigest()
        assert shard["bytes"] == len(data)
    card = (out / "README.md").read_text()
    assert "newsbot export ds --min-words 50" in card
    assert "| herald | 1 |" in card
    assert "near_duplicate" not in card and "2 removed" in card
    kept = by_url(records)["https://herald.example/2024/03/01/rules"]
    # The exact copy at x.example folds into the same kept record as the near copies.
    assert kept["duplicates"] == [
        "https://courier.example/story/991",
        "https://daily.example/news/river-rules",
        "https://x.example/dup",
    ]


# --- bad input ---------------------------------------------------------------------------


def test_corrupt_line_is_named_counted_and_skipped(tmp_path, caplog):
    run = write_run(
        tmp_path / "run.jsonl",
        [make_record("https://a.example/1", story(40))],
        extra_lines=[
            '{"url": "https://a.example/2", "trunc',
            "[1, 2]",
            json.dumps(make_record("https://a.example/3", story(41))),
        ],
    )
    with caplog.at_level(logging.WARNING):
        records, manifest = export(tmp_path, run)
    assert urls_of(records) == {"https://a.example/1", "https://a.example/3"}
    assert manifest["counts"]["invalid_lines"] == 2
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"{run}:2:" in m and "invalid JSON" in m for m in messages)
    assert any(f"{run}:3:" in m and "not a JSON object" in m for m in messages)


def test_record_missing_a_required_field_is_reported(tmp_path, caplog):
    bad = make_record("https://a.example/x", story(42))
    del bad["canonical_url"]
    run = write_run(tmp_path / "run.jsonl", [bad, make_record("https://a.example/y", story(43))])
    with caplog.at_level(logging.WARNING):
        records, manifest = export(tmp_path, run)
    assert len(records) == 1
    assert any(
        "run.jsonl:1:" in r.getMessage() and "canonical_url" in r.getMessage()
        for r in caplog.records
    )


def test_truncated_gzip_keeps_what_was_readable(tmp_path, caplog):
    records = [make_record(f"https://a.example/{i}", story(50 + i)) for i in range(50)]
    run = write_run(tmp_path / "run.jsonl.gz", records)
    run.write_bytes(run.read_bytes()[: run.stat().st_size // 2])
    with caplog.at_level(logging.WARNING):
        exported, manifest = export(tmp_path, run)
    assert 0 < len(exported) < 50
    assert manifest["counts"]["invalid_lines"] == 1
    assert any("unreadable" in r.getMessage() for r in caplog.records)


def test_missing_input_path_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(ExportError, match="input path not found: .*nowhere"):
        export_dataset(ExportOptions(out_dir=tmp_path / "ds", inputs=[tmp_path / "nowhere"]))
    assert main(["export", "ds", "nowhere.jsonl"]) == 2
    assert "input path not found: nowhere.jsonl" in capsys.readouterr().err
    # The default input is output/, which is missing here.
    assert main(["export", "ds"]) == 2
    assert "input path not found: output" in capsys.readouterr().err


def test_existing_dataset_needs_overwrite(tmp_path, capsys):
    write_run(tmp_path / "output/a/r.jsonl", [make_record("https://a.example/1", story(60))])
    assert main(["export", "ds", "--no-progress"]) == 0
    assert main(["export", "ds", "--no-progress"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["export", "ds", "--no-progress", "--overwrite", "--shard-records", "1"]) == 0
    assert sorted(p.name for p in (tmp_path / "ds").glob("data-*")) == ["data-00000.jsonl.gz"]


def test_output_inside_the_input_folder_is_not_read_back(tmp_path):
    write_run(tmp_path / "output/a/r.jsonl", [make_record("https://a.example/1", story(61))])
    assert main(["export", "output/dataset", "--no-progress"]) == 0
    assert main(["export", "output/dataset", "--no-progress", "--overwrite"]) == 0
    manifest = json.loads((tmp_path / "output/dataset/manifest.json").read_text())
    assert manifest["inputs"] == ["output/a/r.jsonl"]


@pytest.mark.slow
def test_command_line_subprocess_records_the_exact_command(tmp_path):
    write_run(tmp_path / "runs/r.jsonl", wire_copies())
    command = [
        sys.executable,
        "-m",
        "newsbot",
        "export",
        "ds",
        "runs",
        "--near-threshold",
        "0.7",
        "--source",
        "herald",
        "--source",
        "daily",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    # Not a terminal: no progress bar on stderr.
    assert done.stderr == ""
    assert "2 records" not in done.stdout and "1 records" in done.stdout
    manifest = json.loads((tmp_path / "ds/manifest.json").read_text())
    assert manifest["command"] == (
        "newsbot export ds runs --near-threshold 0.7 --source herald --source daily"
    )
    assert manifest["options"]["near_threshold"] == 0.7
    assert manifest["removed"]["filters"]["source"] == 1


def test_shingle_hashes_match_string_shingles():
    from newsbot.export.near_duplicates import shingle_hashes, shingles

    # A long token beside short ones, or not, must not change the shared words' hashes.
    a, b = story(80), story(80) + " Extraordinarily"
    assert set(shingle_hashes(a, 5)) <= set(shingle_hashes(b, 5))
    for text in (a, "Short text.", "Ünïcode wörds, wörds again " + "x" * 60):
        assert len(shingle_hashes(text, 5)) == len(shingles(text, 5))


def test_no_record_left_still_makes_a_loadable_empty_shard(tmp_path):
    run = write_run(tmp_path / "run.jsonl", [make_record("https://a.example/1", story(90))])
    records, manifest = export(tmp_path, run, languages=frozenset({"en-GB"}), min_words=10_000)
    assert records == []
    assert manifest["counts"]["records"] == 0
    assert [s["records"] for s in manifest["shards"]] == [0]
    assert gzip.decompress((tmp_path / "dataset/data-00000.jsonl.gz").read_bytes()) == b""


def test_a_dataset_can_be_exported_again_without_losing_duplicates(tmp_path):
    write_run(tmp_path / "runs/r.jsonl", wire_copies())
    first, _ = export(tmp_path, tmp_path / "runs", out_dir=tmp_path / "one")
    # A later run brings one more copy of the story; the new export reads the first
    # dataset plus the new run.
    extra = make_record(
        "https://late.example/copy", wire_copies()[2]["text"], published="2024-03-05"
    )
    write_run(tmp_path / "runs2/r.jsonl", [extra])
    second, manifest = export(
        tmp_path, tmp_path / "one", tmp_path / "runs2", out_dir=tmp_path / "two"
    )
    assert len(second) == 1
    assert second[0]["duplicates"] == [*first[0]["duplicates"], "https://late.example/copy"]
    jsonschema.validate(second[0], json.loads((tmp_path / "two/article.schema.json").read_text()))


def test_progress_bar_does_not_change_the_dataset(tmp_path, capsys):
    run = write_run(tmp_path / "run.jsonl", wire_copies())
    quiet, _ = export(tmp_path, run, out_dir=tmp_path / "quiet")
    shown, _ = export(tmp_path, run, out_dir=tmp_path / "shown", progress=True)
    assert shown == quiet
    assert "Deduplicating" in capsys.readouterr().err
