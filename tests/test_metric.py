"""The evaluation metric on hand-made cases, and ``newsbot eval`` on a tiny folder."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsbot.cli import main
from newsbot.evaluate import differences, score_page, shingles, summarize, tokenize


def test_tokens_are_unicode_words() -> None:
    assert tokenize("Größe: 3,5 m — ça va?") == ["Größe", "3", "5", "m", "ça", "va"]


def test_short_text_gives_one_short_shingle_and_empty_none() -> None:
    assert shingles(["a", "b"]) == [("a", "b")]
    assert shingles([]) == []
    assert shingles(list("abcde")) == [tuple("abcd"), tuple("bcde")]


def test_identical_texts_score_one() -> None:
    score = score_page("one two three four five", "one two three four five")
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.fp == score.fn == 0


def test_disjoint_texts_score_zero() -> None:
    score = score_page("alpha beta gamma delta", "one two three four")
    assert score.precision == 0.0
    assert score.recall == 0.0
    assert score.tp == 0 and score.fp == pytest.approx(0.5) and score.fn == pytest.approx(0.5)


def test_known_partial_overlap() -> None:
    # truth: 6 tokens -> 3 shingles; prediction adds two tokens -> 5 shingles, 3 shared.
    truth = "a b c d e f"
    prediction = "a b c d e f g h"
    score = score_page(truth, prediction)
    # tp = 3, fp = 2, fn = 0, normalised by 5.
    assert score.tp == pytest.approx(3 / 5)
    assert score.fp == pytest.approx(2 / 5)
    assert score.fn == 0
    assert score.precision == pytest.approx(3 / 5)
    assert score.recall == pytest.approx(1.0)


def test_repeated_shingles_count_as_a_multiset() -> None:
    score = score_page("x y z w", "x y z w x y z w")
    # prediction shingles: xyzw, yzwx, zwxy, wxyz, xyzw -> one shared of five.
    assert score.precision == pytest.approx(1 / 5)


def test_empty_prediction_counts_for_recall_only() -> None:
    scores = [score_page("a b c d", ""), score_page("a b c d", "a b c d")]
    assert scores[0].precision is None
    assert scores[0].recall == 0.0
    summary = summarize(scores)
    assert summary.precision == 1.0
    assert summary.recall == 0.5
    assert summary.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_both_empty_scores_one() -> None:
    score = score_page("", "")
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_differences_show_kept_and_missed_text() -> None:
    kept, missed = differences(
        "the cat sat on the mat today", "the cat sat on the mat today READ MORE buy now"
    )
    assert kept and "READ MORE buy now" in kept[0]
    assert missed == []


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    body = " ".join(
        f"Sentence number {i} of the article says something about the council budget."
        for i in range(12)
    )
    html = (
        "<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
        f"<p>{body}</p><p>{body.replace('number', 'item')}</p>"
        "<p>Sign up to our newsletter to get the biggest stories delivered to your inbox.</p>"
        "</article></body></html>"
    )
    (tmp_path / "html" / "page1.html.gz").write_bytes(gzip.compress(html.encode()))
    truth = {
        "page1": {
            "url": "https://example.com/a",
            "articleBody": body + "\n" + body.replace("number", "item"),
        }
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_eval_command_prints_both_systems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["eval", str(_folder(tmp_path)), "--worst", "1"])
    out = capsys.readouterr().out
    assert status == 0
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["newsbot"][1:4] == ["1.0000", "1.0000", "1.0000"]
    assert "trafilatura" in lines
    assert float(lines["newsbot"][4]) > 0  # ms/page
    # Without its cleaning, newsbot keeps the newsletter line: the ablation shows it.
    assert float(lines["newsbot-raw"][1]) < 1.0
    assert "newsbot's cleaning rules:" in out
    assert "worst pages for newsbot" in out
    assert "page1" in out


def test_eval_command_rejects_a_wrong_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    # The message names what each known layout needs.
    for needed in ("ground-truth.json", "evaldata.json", "expected.html.gz"):
        assert needed in err
