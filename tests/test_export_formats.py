"""``newsbot export`` datasets in the tools people load them with: Parquet, pandas, datasets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_export import make_record, read_dataset, story, wire_copies, write_run

from newsbot.export import ExportOptions, arrow_schema, export_dataset

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def corpus(tmp_path: Path) -> Path:
    records = [
        *wire_copies(),
        make_record(
            "https://a.example/1",
            story(70),
            authors=["Ann Lee", "Bo Ng"],
            tags=["rivers", "farming"],
            removed={"promo": 2, "caption": 1},
            language="de",
            published=None,
            title=None,
        ),
        make_record(
            "https://a.example/2", story(71), source="a", version=3, removed={"ad_slot": 1}
        ),
        make_record("https://a.example/3", "Ein kurzer Text über Flüsse — «Wasser».", source="a"),
    ]
    return write_run(tmp_path / "runs/r.jsonl", records)


def build(tmp_path: Path, fmt: str, name: str, **options: Any) -> Path:
    out = tmp_path / name
    export_dataset(
        ExportOptions(out_dir=out, inputs=[corpus(tmp_path)], format=fmt, progress=False, **options)
    )
    return out


def test_parquet_round_trip_matches_json_lines(tmp_path):
    jsonl = read_dataset(build(tmp_path, "jsonl", "json"))
    out = build(tmp_path, "parquet", "parquet", shard_records=3)

    shards = sorted(out.glob("data-*.parquet"))
    assert [p.name for p in shards] == ["data-00000.parquet", "data-00001.parquet"]
    table = pa.concat_tables([pq.read_table(p) for p in shards])
    assert table.schema.equals(arrow_schema(map_keys={"removed": {"promo", "caption", "ad_slot"}}))
    assert table.schema.field("authors").type == pa.list_(pa.string())
    assert table.schema.field("duplicates").type == pa.list_(pa.string())
    removed_type = table.schema.field("removed").type
    assert pa.types.is_struct(removed_type)
    # The kinds ArticleRecord documents, whether or not this data has them.
    assert {"promo", "caption", "consent", "boilerplate"} <= {f.name for f in removed_type}
    assert table.schema.field("word_count").type == pa.int64()
    assert not table.schema.field("url").nullable and table.schema.field("title").nullable

    rows = table.to_pylist()
    for row in rows:
        # A kind a record did not report is null in the struct, absent in JSON.
        row["removed"] = {k: v for k, v in row["removed"].items() if v is not None}
    assert rows == jsonl
    by_url = {r["url"]: r for r in rows}
    assert by_url["https://a.example/1"]["removed"] == {"promo": 2, "caption": 1}
    assert by_url["https://a.example/2"]["removed"] == {"ad_slot": 1}
    assert by_url["https://a.example/1"]["title"] is None
    assert len(by_url["https://herald.example/2024/03/01/rules"]["duplicates"]) == 2
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == "parquet"
    assert [s["records"] for s in manifest["shards"]] == [3, 1]
    assert "data-*.parquet" in (out / "README.md").read_text()


def test_pandas_reads_the_shards(tmp_path):
    pandas = pytest.importorskip("pandas")
    out = build(tmp_path, "jsonl", "ds", shard_records=3)
    frames = [
        pandas.read_json(p, lines=True, compression="gzip")
        for p in sorted(out.glob("data-*.jsonl.gz"))
    ]
    frame = pandas.concat(frames, ignore_index=True)
    expected = read_dataset(out)
    assert len(frame) == len(expected) == 4
    assert list(frame.columns) == list(expected[0])
    assert frame["url"].tolist() == [r["url"] for r in expected]
    herald = frame[frame["source"] == "herald"].iloc[0]
    assert sorted(herald["duplicates"]) == [
        "https://courier.example/story/991",
        "https://daily.example/news/river-rules",
    ]
    assert "«Wasser»" in frame[frame["url"] == "https://a.example/3"]["text"].iloc[0]

    parquet = build(tmp_path, "parquet", "pq")
    from_parquet = pandas.read_parquet(parquet / "data-00000.parquet")
    assert from_parquet["text"].tolist() == [r["text"] for r in expected]


def test_datasets_load_dataset_reads_the_shards(tmp_path, monkeypatch):
    # Everything local: no hub look-ups, a private cache.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    out = build(tmp_path, "jsonl", "ds", shard_records=2)
    expected = read_dataset(out)

    loaded = datasets.load_dataset(
        "json",
        data_files=sorted(str(p) for p in out.glob("data-*.jsonl.gz")),
        split="train",
        cache_dir=str(tmp_path / "cache"),
    )
    assert loaded.num_rows == len(expected) == 4
    assert loaded.column_names == list(expected[0])
    assert loaded["url"] == [r["url"] for r in expected]
    row = loaded[[r["url"] for r in expected].index("https://a.example/1")]
    assert row["authors"] == ["Ann Lee", "Bo Ng"]
    assert row["removed"]["promo"] == 2

    # The dataset card's front matter names the shards: the folder alone loads too.
    by_folder = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "c3"))
    assert by_folder["url"] == [r["url"] for r in expected]

    from_parquet = datasets.load_dataset(
        "parquet",
        data_files=str(build(tmp_path, "parquet", "pq") / "data-*.parquet"),
        split="train",
        cache_dir=str(tmp_path / "cache2"),
    )
    assert from_parquet["url"] == [r["url"] for r in expected]
