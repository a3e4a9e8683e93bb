"""``newsbot eval`` on made-up folders of each layout it reads: the snippet metric, the
readability pages' expected text, the collapse list, the rescue share, and finding the
sets under a parent folder."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsbot.cli import main
from newsbot.evaluate import (
    SHINGLES,
    SNIPPETS,
    NoEvalSetError,
    Page,
    evaluate,
    evaluate_set,
    find_sets,
    html_text,
    load_reader_pages,
    load_snippet_pages,
    report,
    run_systems,
    score_snippets,
    summarize_snippets,
    trafilatura_bytes_extractor,
    trafilatura_extractor,
)

BODY = " ".join(
    f"Sentence number {i} of the article says something about the council budget."
    for i in range(12)
)
OTHER = BODY.replace("number", "item")


def _page_html(title: str, body: str = BODY, other: str = OTHER) -> str:
    return (
        f"<html><head><title>{title}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1><p>{body}</p><p>{other}</p></article>"
        "</body></html>"
    )


def _benchmark(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    (root / "html" / "p1.html.gz").write_bytes(gzip.compress(_page_html("Budget").encode()))
    truth = {"p1": {"url": "https://example.com/a", "articleBody": f"{BODY}\n{OTHER}"}}
    (root / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return root


def _corpus(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    pages = {
        "https://example.com/budget": ("budget.html", _page_html("Budget")),
        "hard::parks.html": (
            "parks.html",
            _page_html("Parks", BODY.replace("budget", "parks"), OTHER.replace("budget", "parks")),
        ),
    }
    data = {}
    for key, (name, html) in pages.items():
        (root / "html" / f"{name}.gz").write_bytes(gzip.compress(html.encode()))
        topic = "parks" if "parks" in name else "budget"
        data[key] = {
            "file": name,
            "with": [
                f"Sentence number 3 of the article says something about the council {topic}.",
                "Sentence   item 7 of the\narticle says",
            ],
            "without": ["Home News"],
        }
    (root / "evaldata.json").write_text(json.dumps(data), encoding="utf-8")
    return root


def _reader_pages(root: Path) -> Path:
    for name, title in (("001", "Budget"), ("002-parks", "Parks")):
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "source.html.gz").write_bytes(gzip.compress(_page_html(title).encode()))
        expected = (
            f'<div id="readability-page-1" class="page"><h2>{title}</h2>'
            f"<p>{BODY}</p><p>{OTHER}</p></div>"
        )
        (folder / "expected.html.gz").write_bytes(gzip.compress(expected.encode()))
        (folder / "expected-metadata.json").write_text(
            json.dumps({"title": title, "byline": None}), encoding="utf-8"
        )
    (root / "LICENSE").write_text("Apache-2.0", encoding="utf-8")
    return root


def _all_sets(root: Path) -> Path:
    _benchmark(root / "article-extraction-benchmark")
    _corpus(root / "trafilatura-corpus")
    _reader_pages(root / "readability-test-pages")
    (root / "README.md").write_text("data", encoding="utf-8")
    return root


# --- The snippet metric -------------------------------------------------------------


def test_snippets_count_with_found_missed_and_without_found() -> None:
    score = score_snippets(
        ["the council met", "a missing line"],
        ["Subscribe now", "Share this"],
        "Today the council\n  met.\nSubscribe   now to read more.",
    )
    # Whitespace is collapsed in both the snippet and the text.
    assert (score.tp, score.fn, score.fp, score.tn) == (1, 1, 1, 1)
    assert score.recall == 0.5
    assert score.precision == 0.5


def test_snippet_summary_sums_counts_over_pages() -> None:
    scores = [
        score_snippets(["a b", "c d", "e f"], ["x"], "a b c d e f"),  # tp 3
        score_snippets(["g h"], ["y", "z"], "y z"),  # fn 1, fp 2
    ]
    summary = summarize_snippets(scores)
    # Summed: tp 3, fp 2, fn 1 (not a mean of the pages' own figures).
    assert summary.precision == pytest.approx(3 / 5)
    assert summary.recall == pytest.approx(3 / 4)
    assert summary.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_no_text_finds_no_snippet() -> None:
    score = score_snippets(["a b"], ["c d"], None)
    assert (score.tp, score.fn, score.fp, score.tn) == (0, 1, 0, 1)


def test_collapse_thresholds() -> None:
    from newsbot.evaluate import PageScore, SnippetScore

    def shingle(f1: float) -> PageScore:
        # tp and fp only: precision is the F1's own input, recall 1.
        precision = f1 / (2 - f1)
        return PageScore(precision, 1 - precision, 0.0)

    assert shingle(0.75).f1 == pytest.approx(0.75)
    # 0.2 or more below trafilatura's F1 collapses; less does not.
    assert SHINGLES.collapsed(shingle(0.75), shingle(0.95))
    assert not SHINGLES.collapsed(shingle(0.76), shingle(0.95))

    def found(tp: int, of: int) -> SnippetScore:
        return SnippetScore(tp=tp, fn=of - tp, fp=0, tn=0)

    # Under half of the must-have snippets beside trafilatura's 80% or more.
    assert SNIPPETS.collapsed(found(1, 3), found(4, 5))
    assert not SNIPPETS.collapsed(found(2, 4), found(4, 5))  # newsbot finds half
    assert not SNIPPETS.collapsed(found(1, 3), found(3, 4))  # trafilatura under 80%
    assert not SNIPPETS.collapsed(found(0, 0), found(0, 0))  # no must-have snippet


# --- Loading the layouts ------------------------------------------------------------


def test_corpus_pages_pass_urls_only_when_the_key_is_one(tmp_path: Path) -> None:
    pages = {page.page_id: page for page in load_snippet_pages(_corpus(tmp_path))}
    assert pages["budget.html"].url == "https://example.com/budget"
    assert pages["parks.html"].url is None
    assert pages["parks.html"].html.startswith(b"<html>")
    assert "Home News" in pages["budget.html"].must_not_have
    assert len(pages["budget.html"].must_have) == 2


def test_reader_text_keeps_paragraphs_apart() -> None:
    text = html_text(
        b"<div>Lead<h2>Title</h2><p>one<br>two</p><p>three <b>four</b></p>"
        b"<script>var x = 1;</script><ul><li>five</li><li>six</li></ul>tail</div>"
    )
    assert text == "Lead\n\nTitle\n\none two\n\nthree four\n\nfive\n\nsix\n\ntail"


def test_reader_pages_load_expected_text_and_metadata(tmp_path: Path) -> None:
    pages = list(load_reader_pages(_reader_pages(tmp_path)))
    assert [page.page_id for page in pages] == ["001", "002-parks"]
    assert pages[0].url is None
    assert pages[0].truth.startswith("Budget\n\nSentence number 0 of the article")
    assert pages[0].metadata == {"title": "Budget", "byline": None}


def test_sets_are_found_under_a_parent_folder(tmp_path: Path) -> None:
    sets = find_sets(_all_sets(tmp_path))
    assert [(s.name, s.layout.name) for s in sets] == [
        ("article-extraction-benchmark", "article-extraction-benchmark"),
        ("readability-test-pages", "readability-test-pages"),
        ("trafilatura-corpus", "trafilatura-corpus"),
    ]
    by_name = {s.name: s for s in sets}
    # The benchmark's baseline stays as published; the others get the page's bytes.
    assert by_name["article-extraction-benchmark"].layout.baseline is trafilatura_extractor
    assert by_name["trafilatura-corpus"].layout.baseline is trafilatura_bytes_extractor
    assert by_name["trafilatura-corpus"].layout.metric is SNIPPETS
    assert by_name["readability-test-pages"].layout.metric is SHINGLES
    assert [s.name for s in find_sets(tmp_path, ["trafilatura-corpus"])] == ["trafilatura-corpus"]
    assert find_sets(tmp_path / "trafilatura-corpus")[0].layout.name == "trafilatura-corpus"


def test_an_unknown_set_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NoEvalSetError, match="found: article-extraction-benchmark"):
        find_sets(_all_sets(tmp_path), ["nonesuch"])


# --- Runs and reports ---------------------------------------------------------------


def test_snippet_run_counts_a_found_without_snippet_as_fp(tmp_path: Path) -> None:
    pages = list(load_snippet_pages(_corpus(tmp_path)))

    def menu_and_all(html: bytes, url: str | None) -> str:
        return "Home News " + BODY + " " + OTHER

    [run] = run_systems([("menu", menu_and_all)], pages, SNIPPETS)
    budget = run.scores["budget.html"]
    assert (budget.tp, budget.fn, budget.fp) == (2, 0, 1)
    # The parks page's snippets speak of parks: this text has only the budget.
    parks = run.scores["parks.html"]
    assert (parks.tp, parks.fn, parks.fp) == (1, 1, 1)
    summary = run.summary()
    assert summary.precision == pytest.approx(3 / 5)
    assert summary.recall == pytest.approx(3 / 4)


@dataclass
class _Rescued:
    """Stands for newsbot's article, with the flag the rescue sets."""

    text: str
    rescued: bool


def test_rescue_share_and_time_are_reported() -> None:
    pages = [Page(f"p{i}", None, b"<html></html>", truth=BODY) for i in range(4)]

    def sometimes_rescued(html: bytes, url: str | None) -> _Rescued:
        sometimes_rescued.calls += 1  # type: ignore[attr-defined]
        return _Rescued(BODY, rescued=sometimes_rescued.calls == 2)  # type: ignore[attr-defined]

    sometimes_rescued.calls = 0  # type: ignore[attr-defined]
    runs = run_systems([("newsbot", sometimes_rescued)], pages)  # type: ignore[list-item]
    assert runs[0].rescued == {"p1"}
    assert runs[0].summary().f1 == 1.0
    out = report(pages, runs)
    assert "rescue ran on 1 of 4 pages (25.0%)" in out
    line = next(line for line in out.splitlines() if line.startswith("time per page of"))
    assert "- ms" not in line  # both kinds of page have a time


def test_an_article_without_the_rescue_flag_counts_as_not_rescued() -> None:
    from newsbot.extraction.article import ExtractedArticle

    pages = [Page("p0", None, b"", truth="a b c d")]
    [run] = run_systems([("newsbot", lambda html, url: ExtractedArticle(text="a b c d"))], pages)
    assert run.rescued == set()
    assert "rescue ran on 0 of 1 pages (0.0%)" in report(pages, [run])


def _bad(html: bytes, url: str | None) -> str:
    return "Home News"


def test_a_collapse_is_listed_on_a_shingle_layout(tmp_path: Path) -> None:
    out = evaluate(_reader_pages(tmp_path), newsbot=_bad)
    lines = out.splitlines()
    assert "collapses: 2 (newsbot's F1 0.2 or more below trafilatura's)" in lines
    listed = [line for line in lines if line.startswith("  00")]
    assert [line.split()[0] for line in listed] == ["001", "002-parks"]
    assert "newsbot F1 0.000" in listed[0] and "trafilatura F1 1.000" in listed[0]


def test_a_collapse_is_listed_on_the_snippet_layout(tmp_path: Path) -> None:
    out = evaluate(_corpus(tmp_path), newsbot=_bad)
    assert "collapses: 2 (newsbot finds under 50% of the must-have snippets" in out
    line = next(line for line in out.splitlines() if line.startswith("  budget.html"))
    assert "https://example.com/budget" in line
    assert "newsbot with 0/2 found" in line and "trafilatura with 2/2 found" in line


def test_newsbot_itself_does_not_collapse_on_clean_pages(tmp_path: Path) -> None:
    out = evaluate(_all_sets(tmp_path))
    assert out.count("collapses: 0") == 3
    assert out.count("rescue ran on") == 3
    for name in ("article-extraction-benchmark", "trafilatura-corpus", "readability-test-pages"):
        assert f"== {name} ==" in out


def test_worst_lists_the_snippets_got_wrong(tmp_path: Path) -> None:
    eval_set = find_sets(_corpus(tmp_path))[0]

    def half(html: bytes, url: str | None) -> str:
        return "Home News " + BODY if b"Budget" in html else BODY.replace("budget", "parks")

    out = evaluate_set(eval_set, [("newsbot", half)], worst=1)
    worst = out.split("1 worst pages for newsbot:")[1]
    # budget.html has a missed snippet and a found menu; parks.html only a missed one.
    assert "budget.html" in worst and "parks.html" not in worst
    assert "found, must not be: Home News" in worst
    assert "missed, must be: Sentence   item 7 of the\narticle says" in worst


# --- The command ----------------------------------------------------------------------


def test_eval_command_on_a_parent_folder_with_filters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _all_sets(tmp_path)
    assert main(["eval", str(root), "--set", "readability-test-pages", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "== readability-test-pages ==" in out
    assert "trafilatura-corpus" not in out
    assert "1 pages, metric: shingles" in out
    table = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    # The expected view keeps the heading, which newsbot leaves to the title field.
    assert table["newsbot"][1] == "1.0000"
    assert float(table["newsbot"][3]) > 0.99
    assert "trafilatura" in table and "newsbot-raw" in table


def test_eval_command_names_the_layouts_it_looks_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "something").mkdir()
    assert main(["eval", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    for name in ("article-extraction-benchmark", "trafilatura-corpus", "readability-test-pages"):
        assert name in err
