"""``newsbot eval``'s metadata figures: how expected bylines, titles and dates are read,
and the table printed beside plain trafilatura's."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsbot.evaluate import (
    FoundMetadata,
    default_systems,
    evaluate_set,
    expected_authors,
    find_sets,
    score_metadata,
    title_variants,
)


def test_expected_bylines_are_split_as_a_reader_would() -> None:
    assert expected_authors("By Nathan Willis\n    March 25, 2015") == ["Nathan Willis"]
    assert expected_authors("Martin Untersinger (avec Damien Leloup et Morgane Tual)") == [
        "Martin Untersinger",
        "Damien Leloup",
        "Morgane Tual",
    ]
    assert expected_authors("Stella Kim, Jennifer Jett") == ["Stella Kim", "Jennifer Jett"]
    assert expected_authors("Bradley Kuhn (http://example.org/bk/)") == ["Bradley Kuhn"]
    assert expected_authors(None) == []


def test_title_counts_as_headline_without_the_site_suffix_only() -> None:
    variants = title_variants("How to Build a Terrarium | eHowish", "eHowish")
    assert variants == {"How to Build a Terrarium | eHowish", "How to Build a Terrarium"}
    assert title_variants("Covid-19 - what next", "Example Post") == {"Covid-19 - what next"}


def test_scores_title_authors_and_day() -> None:
    expected = {
        "title": "Harbour bridge to close | Example Post",
        "siteName": "Example Post",
        "byline": "By Jane Miller and Tom Reed",
        "publishedTime": "2025-03-14T07:45:00+01:00",
    }
    found = FoundMetadata(
        title="Harbour bridge to close",
        authors=("Jane Miller",),
        published="2025-03-14T07:45:00+01:00",
    )
    score = score_metadata(expected, found)
    assert score.title_exact is False
    assert score.title_headline is True
    assert score.authors_f1 == 2 * 1 / (2 + 1)
    assert score.published is True
    assert score_metadata(expected, FoundMetadata(published="2025-03-15")).published is False
    # Nothing expected, nothing scored.
    assert score_metadata({}, found) == score_metadata({"byline": None}, found)
    assert score_metadata({}, found).authors_f1 is None


def test_eval_prints_metadata_beside_trafilatura(tmp_path: Path) -> None:
    page = tmp_path / "set" / "harbour"
    page.mkdir(parents=True)
    body = "".join(
        f"<p>Sentence {i} says the harbour bridge closes for eight weeks of repairs.</p>"
        for i in range(10)
    )
    source = (
        "<html><head><title>Harbour bridge to close | Example Post</title>"
        '<meta property="og:site_name" content="Example Post">'
        '<meta name="author" content="By Jane Miller">'
        '<meta property="article:published_time" content="2025-03-14T07:45:00+01:00">'
        f"</head><body><article><h1>Harbour bridge to close</h1>{body}</article></body></html>"
    )
    (page / "source.html.gz").write_bytes(gzip.compress(source.encode()))
    (page / "expected.html.gz").write_bytes(gzip.compress(body.encode()))
    expected = {
        "title": "Harbour bridge to close | Example Post",
        "byline": "Jane Miller",
        "siteName": "Example Post",
        "publishedTime": "2025-03-14T07:45:00+01:00",
    }
    (page / "expected-metadata.json").write_text(json.dumps(expected), encoding="utf-8")
    [eval_set] = find_sets(tmp_path / "set")
    text = evaluate_set(eval_set, default_systems(eval_set.layout))
    table = text[text.index("metadata on 1 pages") :].splitlines()
    header = next(line for line in table if line.startswith("metadata    "))
    assert header.split()[1:] == ["newsbot", "trafilatura"]
    rows = {line[:16].strip(): line[16:].split() for line in table[3:] if line.strip()}
    assert [
        rows[k][0] for k in ("title exact", "title headline", "authors F1", "published day")
    ] == [
        "0.000",
        "1.000",
        "1.000",
        "1.000",
    ]
