"""``newsbot export`` deduplication at scale, against a brute-force reference."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from test_export import export, make_record, story, write_run

from newsbot.export.dataset import timestamp
from newsbot.export.near_duplicates import lsh_bands, shingles


def _words(rng: random.Random, count: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(count)]


def _corpus(rng: random.Random) -> list[dict[str, Any]]:
    """Distinct stories, wire copies (one or two extra words: Jaccard about 0.98),
    re-wrapped exact copies, and copies of copies, with shuffled publication times
    (some unknown) so the keeper is often not the first read."""
    vocabulary = _words(rng, 50_000)
    records: list[dict[str, Any]] = []
    texts: list[str] = []
    for n in range(2_600):
        roll = rng.random()
        if roll < 0.15 and texts:
            text = rng.choice(texts) + " " + " ".join(rng.choices(vocabulary, k=rng.randint(1, 2)))
        elif roll < 0.22 and texts:
            text = rng.choice(texts).replace(" ", "\n", 3)
        else:
            text = " ".join(rng.choices(vocabulary, k=rng.randint(110, 140)))
        texts.append(text)
        day = rng.randint(1, 28)
        fields: dict[str, Any] = {
            "published": f"2024-05-{day:02d}T{rng.randint(0, 23):02d}:00:00+00:00",
            "fetched_at": f"2024-06-{rng.randint(1, 3):02d}T00:00:00+00:00",
        }
        if rng.random() < 0.05:
            fields["published"] = None
        records.append(make_record(f"https://s{n % 7}.example/{n}", text, **fields))
    return records


def _reference(records: list[dict[str, Any]], threshold: float) -> dict[str, list[str]]:
    """Kept URL -> its duplicates, by exact Jaccard over every pair that shares a
    shingle (any other pair has similarity 0), and the earliest published kept."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_of: dict[str, int] = {}
    sets: list[set[bytes]] = []
    by_shingle: dict[bytes, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        normal = " ".join(record["text"].split())
        if normal in first_of:
            join(first_of[normal], i)
            sets.append(set())
            continue
        first_of[normal] = i
        own = shingles(record["text"], 5)
        sets.append(own)
        candidates = {j for shingle in own for j in by_shingle[shingle]}
        for j in candidates:
            if len(own & sets[j]) / len(own | sets[j]) >= threshold:
                join(i, j)
        for shingle in own:
            by_shingle[shingle].append(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        members[find(i)].append(i)

    def order(i: int) -> tuple[float, float, int]:
        record = records[i]
        return timestamp(record["published"]), timestamp(record["fetched_at"]), i

    expected: dict[str, list[str]] = {}
    for group in members.values():
        keeper = min(group, key=order)
        expected[records[keeper]["url"]] = sorted(records[i]["url"] for i in group if i != keeper)
    return expected


def test_many_records_match_a_brute_force_jaccard_reference(tmp_path: Path):
    records = _corpus(random.Random(20))
    # Several run files, so reading order crosses files as well.
    for part in range(4):
        write_run(tmp_path / f"runs/r{part}.jsonl", records[part::4])
    reading_order = [r for part in range(4) for r in records[part::4]]
    expected = _reference(reading_order, 0.8)

    kept, manifest = export(tmp_path, tmp_path / "runs")

    assert {r["url"]: r["duplicates"] for r in kept} == expected
    dedup = manifest["removed"]["dedup"]
    assert dedup["near_duplicate"] + dedup["exact_text"] == len(records) - len(expected)
    assert dedup["near_duplicate"] > 200 and dedup["exact_text"] > 100
    assert manifest["options"]["lsh_bands_rows"] == [5, 11]


def test_exact_groups_alone_without_near_duplicates(tmp_path: Path):
    records = _corpus(random.Random(21))
    write_run(tmp_path / "run.jsonl", records)
    kept, manifest = export(tmp_path, tmp_path / "run.jsonl", near=False)
    expected = _reference(records, 1.01)  # nothing is near enough: exact copies only
    assert {r["url"]: r["duplicates"] for r in kept} == expected
    assert manifest["removed"]["dedup"]["near_duplicate"] == 0
    assert manifest["options"]["lsh_bands_rows"] is None


def test_a_threshold_of_one_folds_only_the_same_wording(tmp_path: Path):
    # datasketch refuses the single band its optimum gives at 1.0; two bands are used,
    # and only texts with the same words (here: other case and punctuation) fold.
    assert lsh_bands(1.0, 64) == (2, 32)
    text = story(11)
    records = [
        make_record("https://a.example/1", text, published="2024-03-01T08:00:00+00:00"),
        make_record("https://b.example/1", text.upper().replace(".", "!")),
        # The same story, rewritten for its second half: far from the same wording.
        make_record("https://c.example/1", text[: len(text) // 2] + " " + story(12, 200)),
    ]
    kept, manifest = export(
        tmp_path, write_run(tmp_path / "runs" / "r.jsonl", records), near_threshold=1.0
    )
    assert {r["url"]: r["duplicates"] for r in kept} == {
        "https://a.example/1": ["https://b.example/1"],
        "https://c.example/1": [],
    }
    assert manifest["removed"]["dedup"]["near_duplicate"] == 1


def test_thousands_of_near_identical_pages_fold_into_the_earliest(tmp_path: Path):
    # A paywall stub on every page of a site: the same words but for the reference
    # number, so no two texts are identical, and all share their LSH buckets.
    stub = story(99, words=120)
    records = [
        make_record(
            f"https://paywall.example/{n}",
            f"{stub} Reference {n}.",
            published=f"2024-05-{1 + n % 28:02d}T{n % 24:02d}:00:00+00:00",
        )
        for n in range(3_000)
    ]
    write_run(tmp_path / "run.jsonl", records)

    kept, manifest = export(tmp_path, tmp_path / "run.jsonl")

    assert [r["url"] for r in kept] == ["https://paywall.example/0"]
    assert len(kept[0]["duplicates"]) == 2_999
    assert manifest["removed"]["dedup"]["near_duplicate"] == 2_999
