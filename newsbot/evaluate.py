"""Measure extraction quality on a folder of pages with hand-marked article bodies.

The folder is laid out like the public article-extraction-benchmark: ``html/<id>.html.gz``
(or ``.html``) plus ``ground-truth.json`` mapping each id to ``{"url", "articleBody"}``.

The metric reproduces the benchmark's: ``\\w+`` tokens, multisets of 4-token shingles,
per-page tp/fp/fn, precision and recall averaged over pages, F1 from the two means.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4


def tokenize(text: str | None) -> list[str]:
    """Split a text into the metric's tokens."""
    return _TOKEN.findall(text or "")


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> list[tuple[str, ...]]:
    """All runs of ``size`` consecutive tokens; a shorter text gives one shorter
    shingle and an empty one none."""
    if not tokens:
        return []
    if len(tokens) < size:
        return [tuple(tokens)]
    return [tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


@dataclass(frozen=True, slots=True)
class PageScore:
    """Normalised tp, fp, fn of one page (they sum to 1, or are all 0)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        total = self.tp + self.fp
        return self.tp / total if total > 0 else None

    @property
    def recall(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        total = self.tp + self.fn
        return self.tp / total if total > 0 else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


def score_page(truth: str | None, prediction: str | None) -> PageScore:
    """Compare one predicted text with the truth."""
    expected = Counter(shingles(tokenize(truth)))
    got = Counter(shingles(tokenize(prediction)))
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True, slots=True)
class Summary:
    """Precision, recall and F1 over a set of pages."""

    precision: float
    recall: float
    f1: float


def summarize(scores: list[PageScore]) -> Summary:
    """Average per-page precision and recall (each over the pages where it is defined)
    and combine them into F1."""
    precisions = [p for p in (s.precision for s in scores) if p is not None]
    recalls = [r for r in (s.recall for s in scores) if r is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return Summary(precision, recall, f1)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an evaluation folder."""

    page_id: str
    url: str | None
    html: bytes
    truth: str


def load_pages(folder: str | Path) -> Iterator[Page]:
    """Yield the pages of an evaluation folder, in id order."""
    root = Path(folder)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        entry = truth[page_id]
        gz = root / "html" / f"{page_id}.html.gz"
        if gz.exists():
            html = gzip.decompress(gz.read_bytes())
        else:
            html = (root / "html" / f"{page_id}.html").read_bytes()
        yield Page(page_id, entry.get("url"), html, entry.get("articleBody") or "")


@dataclass(slots=True)
class SystemRun:
    """The outputs, scores and time of one extractor over a folder."""

    name: str
    outputs: dict[str, str] = field(default_factory=dict)
    scores: dict[str, PageScore] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> Summary:
        return summarize(list(self.scores.values()))

    def ms_per_page(self) -> float:
        return 1000 * self.seconds / len(self.scores) if self.scores else 0.0


Extractor = Callable[[bytes, "str | None"], "str | None"]

UNCLEANED = "newsbot-raw"
"""newsbot without its cleaning rules, in the report."""


def newsbot_extractor(html: bytes, url: str | None, *, clean: bool = True) -> str | None:
    """newsbot's extraction and cleaning, as a crawl runs it."""
    from newsbot.extraction import ExtractionOptions, extract_article

    return extract_article(html, url, ExtractionOptions(clean=clean)).text


def newsbot_uncleaned_extractor(html: bytes, url: str | None) -> str | None:
    """newsbot's extraction without its cleaning rules: what the rules add, in time
    and in precision."""
    return newsbot_extractor(html, url, clean=False)


def trafilatura_extractor(html: bytes, url: str | None) -> str | None:
    """Plain trafilatura, called as the published benchmarks call it."""
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", errors="replace"), include_comments=False)


def run_system(name: str, extractor: Extractor, pages: list[Page]) -> SystemRun:
    """Run one extractor over the pages, timing the extraction alone."""
    return run_systems([(name, extractor)], pages)[0]


def run_systems(systems: list[tuple[str, Extractor]], pages: list[Page]) -> list[SystemRun]:
    """Run several extractors over the pages, page by page in turn, timing the
    extraction alone. Taking turns on each page means a change in the machine's load
    during the run weighs on every system alike, so their times compare; the order
    alternates from page to page."""
    results = [SystemRun(name) for name, _ in systems]
    pairs = list(zip(systems, results, strict=True))
    for number, page in enumerate(pages):
        # Alternate who goes first: the first to touch a page pays for bringing it
        # into the processor's caches.
        order = pairs if number % 2 == 0 else pairs[::-1]
        for (_, extractor), result in order:
            start = time.perf_counter()
            text = extractor(page.html, page.url)
            result.seconds += time.perf_counter() - start
            result.outputs[page.page_id] = text or ""
            result.scores[page.page_id] = score_page(page.truth, text)
    return results


def _unmatched_runs(tokens: list[str], other: Counter[tuple[str, ...]]) -> list[str]:
    """The runs of ``tokens`` covered only by shingles that ``other`` does not have."""
    remaining = Counter(other)
    grams = shingles(tokens)
    wrong = [False] * len(tokens)
    for i, gram in enumerate(grams):
        if remaining[gram] > 0:
            remaining[gram] -= 1
            continue
        for j in range(i, min(i + len(gram), len(tokens))):
            wrong[j] = True
    runs: list[str] = []
    current: list[str] = []
    for token, bad in zip(tokens, wrong, strict=True):
        if bad:
            current.append(token)
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return runs


def differences(truth: str, prediction: str) -> tuple[list[str], list[str]]:
    """The text kept wrongly and the text missed, as runs of tokens."""
    truth_tokens, pred_tokens = tokenize(truth), tokenize(prediction)
    kept = _unmatched_runs(pred_tokens, Counter(shingles(truth_tokens)))
    missed = _unmatched_runs(truth_tokens, Counter(shingles(pred_tokens)))
    return kept, missed


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def report(pages: list[Page], runs: list[SystemRun], worst: int = 0, *, clip: int = 300) -> str:
    """A plain-text table of the runs, then the pages where the first run loses most."""
    lines = [f"{len(pages)} pages", ""]
    lines.append(f"{'system':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'ms/page':>10}")
    for run in runs:
        s = run.summary()
        lines.append(
            f"{run.name:<14}{s.precision:>10.4f}{s.recall:>10.4f}{s.f1:>10.4f}"
            f"{run.ms_per_page():>10.1f}"
        )
    if len(runs) > 1 and runs[1].ms_per_page() > 0:
        ratio = runs[0].ms_per_page() / runs[1].ms_per_page()
        lines.append("")
        lines.append(
            f"time per page: {runs[0].name} {ratio:.2f}x {runs[1].name} "
            f"({abs(ratio - 1):.0%} {'more' if ratio > 1 else 'less'})"
        )
        uncleaned = next((run for run in runs if run.name == UNCLEANED), None)
        if uncleaned is not None:
            added = runs[0].ms_per_page() - uncleaned.ms_per_page()
            lines.append(
                f"newsbot's cleaning rules: {added:+.1f} ms/page, "
                f"{added / runs[1].ms_per_page():+.0%} of {runs[1].name}'s time per page"
            )
    if worst > 0 and runs:
        main = runs[0]
        by_id = {page.page_id: page for page in pages}
        ranked = sorted(main.scores.items(), key=lambda item: item[1].f1)[:worst]
        lines.append("")
        lines.append(f"{worst} worst pages for {main.name}:")
        for page_id, score in ranked:
            page = by_id[page_id]
            others = "  ".join(f"{run.name} F1 {run.scores[page_id].f1:.3f}" for run in runs[1:])
            lines.append("")
            lines.append(
                f"{page_id}  F1 {score.f1:.3f} (P {score.precision or 0:.3f}, "
                f"R {score.recall or 0:.3f})  {others}"
            )
            lines.append(f"  url: {page.url}")
            kept, missed = differences(page.truth, main.outputs[page_id])
            for label, chunks in (("kept wrongly", kept), ("missed", missed)):
                for chunk in chunks[:8]:
                    lines.append(f"  {label}: {_clip(chunk, clip)}")
                if len(chunks) > 8:
                    lines.append(f"  {label}: ... {len(chunks) - 8} more")
    return "\n".join(lines)


def evaluate(folder: str | Path, worst: int = 0, *, baseline: bool = True) -> str:
    """Evaluate newsbot (and plain trafilatura, unless ``baseline`` is false) on a
    folder and return the report."""
    pages = list(load_pages(folder))
    systems: list[tuple[str, Extractor]] = [("newsbot", newsbot_extractor)]
    if baseline:
        systems.append(("trafilatura", trafilatura_extractor))
        systems.append((UNCLEANED, newsbot_uncleaned_extractor))
    # Warm both up on one page first: the first call of each imports its modules and
    # compiles its expressions, a cost a crawl pays once.
    for _, extractor in systems:
        if pages:
            extractor(pages[0].html, pages[0].url)
    # jusText's stop lists load on first use, in whichever system first needs them.
    from trafilatura.external import jt_stoplist_init

    jt_stoplist_init()
    runs = run_systems(systems, pages)
    return report(pages, runs, worst)
