"""Measure extraction quality on folders of pages whose right answer is known.

Three layouts are read, each recognised by its contents (see :data:`LAYOUTS`):

- ``article-extraction-benchmark``: ``html/<id>.html.gz`` (or ``.html``) plus
  ``ground-truth.json`` mapping each id to ``{"url", "articleBody"}``; scored with the
  benchmark's shingle metric: ``\\w+`` tokens, multisets of 4-token shingles, per-page
  tp/fp/fn, precision and recall averaged over pages, F1 from the two means.
- ``trafilatura-corpus``: ``html/<file>.gz`` plus ``evaldata.json`` mapping a URL (or a
  label) to ``{"file", "with", "without"}``: snippets that must and must not appear in
  the text; scored as trafilatura's own evaluation does, over the summed snippet counts.
- ``readability-test-pages``: one folder per page holding ``source.html.gz``,
  ``expected.html.gz`` (the expected reader view) and ``expected-metadata.json``; the
  expected view's text is scored with the shingle metric, and the expected metadata
  with :func:`score_metadata` (headline, authors, published date), for newsbot beside
  plain ``trafilatura.extract_metadata``.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from newsbot.extraction.article import ExtractedArticle

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4


# --- The shingle metric (the article-extraction benchmark's) -------------------------


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


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def summarize(scores: Sequence[Score]) -> Summary:
    """Average per-page precision and recall (each over the pages where it is defined)
    and combine them into F1."""
    precisions = [p for p in (s.precision for s in scores) if p is not None]
    recalls = [r for r in (s.recall for s in scores) if r is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return Summary(precision, recall, _f1(precision, recall))


# --- The snippet metric (trafilatura's evaluation) ------------------------------------


def collapse_whitespace(text: str | None) -> str:
    """Every run of whitespace as one space, none at the ends."""
    return " ".join((text or "").split())


@dataclass(frozen=True, slots=True)
class SnippetScore:
    """Snippet counts of one page: must-have snippets found (tp) and missed (fn),
    must-not-have snippets found (fp) and absent (tn)."""

    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def precision(self) -> float | None:
        total = self.tp + self.fp
        return self.tp / total if total > 0 else None

    @property
    def recall(self) -> float | None:
        """The share of the must-have snippets found."""
        total = self.tp + self.fn
        return self.tp / total if total > 0 else None

    @property
    def f1(self) -> float:
        return _f1(self.precision or 0.0, self.recall or 0.0)


def score_snippets(
    must_have: Sequence[str], must_not_have: Sequence[str], prediction: str | None
) -> SnippetScore:
    """Look for each snippet in the predicted text, whitespace collapsed in both."""
    text = collapse_whitespace(prediction)
    found = [collapse_whitespace(s) in text for s in must_have]
    wrong = [collapse_whitespace(s) in text for s in must_not_have]
    return SnippetScore(
        tp=sum(found), fn=len(found) - sum(found), fp=sum(wrong), tn=len(wrong) - sum(wrong)
    )


def summarize_snippets(scores: Sequence[Score]) -> Summary:
    """Precision, recall and F1 over the snippet counts of all pages together."""
    tp = sum(s.tp for s in scores)
    fp = sum(s.fp for s in scores)
    fn = sum(s.fn for s in scores)
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    return Summary(precision, recall, _f1(precision, recall))


# --- Pages, and the metrics over them ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an evaluation set, with what its layout knows of the right answer."""

    page_id: str
    url: str | None
    html: bytes
    truth: str = ""
    """The article's text (the shingle layouts)."""
    must_have: tuple[str, ...] = ()
    """Snippets the text must hold (the snippet layout)."""
    must_not_have: tuple[str, ...] = ()
    """Snippets the text must not hold (the snippet layout)."""
    metadata: Mapping[str, Any] | None = None
    """The expected metadata where the layout gives it (readability-test-pages:
    ``title``, ``byline``, ``excerpt``, ``siteName``, ``publishedTime``, ``lang``...),
    scored by :func:`score_metadata`."""


class Score(Protocol):
    """What the report reads of a page's score, in either metric."""

    @property
    def tp(self) -> float: ...
    @property
    def fp(self) -> float: ...
    @property
    def fn(self) -> float: ...
    @property
    def precision(self) -> float | None: ...
    @property
    def recall(self) -> float | None: ...
    @property
    def f1(self) -> float: ...


# How far below plain trafilatura newsbot must fall on a page to count as a collapse.
SHINGLE_COLLAPSE_F1_GAP = 0.2
# Snippet layout: newsbot finds under half of the must-have snippets, trafilatura 80%+.
SNIPPET_COLLAPSE_OURS_BELOW = 0.5
SNIPPET_COLLAPSE_THEIRS_AT_LEAST = 0.8


class ShingleMetric:
    """The benchmark's metric: the text against a hand-marked truth, in shingles."""

    name = "shingles"
    collapse_rule = f"newsbot's F1 {SHINGLE_COLLAPSE_F1_GAP} or more below trafilatura's"

    def score(self, page: Page, text: str) -> Score:
        return score_page(page.truth, text)

    def summarize(self, scores: Sequence[Score]) -> Summary:
        return summarize(scores)

    def collapsed(self, ours: Score, theirs: Score) -> bool:
        # The small allowance keeps a gap of exactly 0.2 from losing to rounding.
        return theirs.f1 - ours.f1 >= SHINGLE_COLLAPSE_F1_GAP - 1e-9

    def describe(self, score: Score) -> str:
        return f"F1 {score.f1:.3f} (P {score.precision or 0:.3f}, R {score.recall or 0:.3f})"

    def rank(self, score: Score) -> float:
        """Sort key: the worst page first."""
        return score.f1

    labels = ("kept wrongly", "missed")

    def differences(self, page: Page, text: str) -> tuple[list[str], list[str]]:
        return differences(page.truth, text)


class SnippetMetric:
    """trafilatura's metric: snippets that must and must not be in the text."""

    name = "snippets"
    collapse_rule = (
        f"newsbot finds under {SNIPPET_COLLAPSE_OURS_BELOW:.0%} of the must-have snippets, "
        f"trafilatura {SNIPPET_COLLAPSE_THEIRS_AT_LEAST:.0%} or more"
    )

    def score(self, page: Page, text: str) -> Score:
        return score_snippets(page.must_have, page.must_not_have, text)

    def summarize(self, scores: Sequence[Score]) -> Summary:
        return summarize_snippets(scores)

    def collapsed(self, ours: Score, theirs: Score) -> bool:
        if ours.recall is None or theirs.recall is None:
            return False
        return (
            ours.recall < SNIPPET_COLLAPSE_OURS_BELOW
            and theirs.recall >= SNIPPET_COLLAPSE_THEIRS_AT_LEAST
        )

    def describe(self, score: Score) -> str:
        return f"with {score.tp:.0f}/{score.tp + score.fn:.0f} found, without {score.fp:.0f} found"

    def rank(self, score: Score) -> float:
        return -(score.fn + score.fp)

    labels = ("found, must not be", "missed, must be")

    def differences(self, page: Page, text: str) -> tuple[list[str], list[str]]:
        return snippet_differences(page, text)


Metric = ShingleMetric | SnippetMetric
SHINGLES = ShingleMetric()
SNIPPETS = SnippetMetric()


# --- The extractors --------------------------------------------------------------------

Extractor = Callable[[bytes, "str | None"], "str | ExtractedArticle | None"]
"""An extractor gives the text, or newsbot's whole article (whose ``rescued`` flag the
report counts)."""

UNCLEANED = "newsbot-raw"
"""newsbot without its cleaning rules, in the report."""


def newsbot_extractor(html: bytes, url: str | None, *, clean: bool = True) -> ExtractedArticle:
    """newsbot's extraction and cleaning, as a crawl runs it."""
    from newsbot.extraction import ExtractionOptions, extract_article

    return extract_article(html, url, ExtractionOptions(clean=clean))


def newsbot_uncleaned_extractor(html: bytes, url: str | None) -> ExtractedArticle:
    """newsbot's extraction without its cleaning rules: what the rules add, in time
    and in precision."""
    return newsbot_extractor(html, url, clean=False)


def trafilatura_extractor(html: bytes, url: str | None) -> str | None:
    """Plain trafilatura, called as the published benchmarks call it (on the page
    decoded as UTF-8, which the benchmark's pages are)."""
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", errors="replace"), include_comments=False)


def trafilatura_bytes_extractor(html: bytes, url: str | None) -> str | None:
    """Plain trafilatura given the page's bytes, so that it detects their encoding
    itself: the fair call on pages whose encoding is not always UTF-8, or declared."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False)


def _read_output(output: str | ExtractedArticle | None) -> tuple[str, bool]:
    """The text of an extractor's output, and whether newsbot's rescue ran for it."""
    if output is None:
        return "", False
    if isinstance(output, str):
        return output, False
    return output.text or "", bool(getattr(output, "rescued", False))


# --- Running the systems ---------------------------------------------------------------


@dataclass(slots=True)
class SystemRun:
    """The outputs, scores and times of one extractor over a set."""

    name: str
    outputs: dict[str, str] = field(default_factory=dict)
    scores: dict[str, Score] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    """Seconds per page id."""
    rescued: set[str] = field(default_factory=set)
    """The pages on which newsbot's rescue ran."""
    metadata: dict[str, FoundMetadata] = field(default_factory=dict)
    """Headline, authors and date per page id, for extractors that give them."""
    seconds: float = 0.0
    metric: Metric = SHINGLES

    def summary(self) -> Summary:
        return self.metric.summarize(list(self.scores.values()))

    def ms_per_page(self) -> float:
        return 1000 * self.seconds / len(self.scores) if self.scores else 0.0


def run_systems(
    systems: list[tuple[str, Extractor]], pages: list[Page], metric: Metric = SHINGLES
) -> list[SystemRun]:
    """Run several extractors over the pages, page by page in turn, timing the
    extraction alone. Taking turns on each page means a change in the machine's load
    during the run weighs on every system alike, so their times compare; the order
    alternates from page to page."""
    results = [SystemRun(name, metric=metric) for name, _ in systems]
    pairs = list(zip(systems, results, strict=True))
    for number, page in enumerate(pages):
        # Alternate who goes first: the first to touch a page pays for bringing it
        # into the processor's caches.
        order = pairs if number % 2 == 0 else pairs[::-1]
        for (_, extractor), result in order:
            start = time.perf_counter()
            output = extractor(page.html, page.url)
            elapsed = time.perf_counter() - start
            text, rescued = _read_output(output)
            result.seconds += elapsed
            result.times[page.page_id] = elapsed
            if rescued:
                result.rescued.add(page.page_id)
            if output is not None and not isinstance(output, str):
                result.metadata[page.page_id] = FoundMetadata.of(output)
            result.outputs[page.page_id] = text
            result.scores[page.page_id] = metric.score(page, text)
    return results


# --- Metadata: headline, authors, published date ---------------------------------------

# Separators between a headline and the site's name in an expected title.
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·»:]\s+|\s*::\s*")
# How a reader splits a byline into names: line breaks, commas, "and" in the languages
# of the sets. A leading "By" (or its equivalent) goes, and so do parts holding digits
# (the date line printed under many bylines).
_BYLINE_LINES = re.compile(r"[\r\n]+")
_BYLINE_JOINS = re.compile(
    r"\s*(?:[,;、，&]|\s(?:and|und|et|y|e|i|og|och|en|avec|with|mit|con|met|med)\s)\s*",
    re.IGNORECASE,
)
_BYLINE_LEAD = re.compile(
    r"^(?:(?:written|edited|posted|reported|words)\s+by|by|von|par|por|di|door|av|af)\b[:\s]*",
    re.IGNORECASE,
)
_URL = re.compile(r"\(?\s*https?://\S+\s*\)?")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_WITH = re.compile(r"^\s*(?:avec|with|mit|con|met|med)\s", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FoundMetadata:
    """The headline, authors and published date an extractor gave for one page."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None

    @classmethod
    def of(cls, article: ExtractedArticle) -> FoundMetadata:
        # getattr: an extractor may hand back an article-like object without them.
        return cls(
            title=getattr(article, "title", None),
            authors=tuple(getattr(article, "authors", None) or ()),
            published=getattr(article, "published", None),
        )


def trafilatura_metadata(html: bytes) -> FoundMetadata:
    """Plain ``trafilatura.extract_metadata`` on a page: its title, its authors (a
    "; "-separated string) and its date (a day)."""
    import trafilatura

    try:
        doc = trafilatura.extract_metadata(html.decode("utf-8", errors="replace"))
    except Exception:  # a baseline that fails on a page scores nothing there
        return FoundMetadata()
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return FoundMetadata(title=doc.title, authors=authors, published=doc.date)


def expected_authors(byline: str | None) -> list[str]:
    """The names in an expected byline (a raw string), split as a reader would: at line
    breaks, commas and "and"-words, without a leading "By", an address, or parts holding
    digits; "A (avec B et C)" gives three names, other parentheses are dropped."""
    if not byline:
        return []
    names: list[str] = []
    for line in _BYLINE_LINES.split(_URL.sub(" ", byline)):
        line = _PARENTHESES.sub(
            lambda m: ", " + _WITH.sub("", m.group(1)) if _WITH.match(m.group(1)) else " ", line
        )
        for part in _BYLINE_JOINS.split(line):
            part = collapse_whitespace(_BYLINE_LEAD.sub("", part.strip())).strip(" .:-–|")
            if part and not any(ch.isdigit() for ch in part):
                names.append(part)
    return names


def name_key(name: str) -> str:
    """A name compared without case, punctuation or spacing differences."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", name.casefold()).split())


def title_variants(title: str, site_name: str | None) -> set[str]:
    """An expected title, and the same without its site's name at either end (the
    Readability pages' titles keep it; a headline does not)."""
    title = collapse_whitespace(title)
    variants = {title}
    if site_name:
        site = name_key(site_name)
        parts = _TITLE_SEPARATOR.split(title)
        if len(parts) > 1 and name_key(parts[-1]) == site:
            variants.add(title[: title.rfind(parts[-1])].rstrip(" |-–—·»:"))
        if len(parts) > 1 and name_key(parts[0]) == site:
            variants.add(title[len(parts[0]) :].lstrip(" |-–—·»:"))
    return variants


def _day(value: str | None) -> str | None:
    match = re.match(r"\d{4}-\d{2}-\d{2}", (value or "").strip())
    return match.group(0) if match else None


@dataclass(frozen=True, slots=True)
class MetadataScore:
    """One page's metadata against the expected: None where the expected has no value."""

    title_exact: bool | None = None
    """The title as expected, whitespace collapsed."""
    title_headline: bool | None = None
    """The title as expected, or as expected without the site's name."""
    authors_f1: float | None = None
    """Set-F1 of the names, compared by :func:`name_key`."""
    published: bool | None = None
    """The published day as expected (the day as each writes it: trafilatura gives no
    time, and both keep the page's offset)."""


def score_metadata(expected: Mapping[str, Any], found: FoundMetadata) -> MetadataScore:
    """Compare what an extractor found with a page's expected metadata."""
    title_exact = title_headline = None
    expected_title = collapse_whitespace(expected.get("title"))
    if expected_title:
        got = collapse_whitespace(found.title)
        title_exact = got == expected_title
        title_headline = got in title_variants(expected_title, expected.get("siteName"))
    authors_f1 = None
    names = {name_key(n) for n in expected_authors(expected.get("byline"))} - {""}
    if names:
        got_names = {name_key(n) for n in found.authors} - {""}
        hits = len(names & got_names)
        authors_f1 = 2 * hits / (len(names) + len(got_names))
    published = None
    day = _day(expected.get("publishedTime"))
    if day:
        published = _day(found.published) == day
    return MetadataScore(title_exact, title_headline, authors_f1, published)


def _mean(values: list[float | bool | None]) -> tuple[float, int]:
    scored = [float(v) for v in values if v is not None]
    return (sum(scored) / len(scored) if scored else 0.0), len(scored)


def metadata_report(
    pages: list[Page], rows: Sequence[tuple[str, Mapping[str, FoundMetadata]]], *, worst: int = 0
) -> str:
    """A table of metadata accuracy per system over the pages that have expected
    metadata, each figure over the pages where the expected value is given; with
    ``worst``, the pages where the first system's metadata differs from the expected."""
    with_meta = [page for page in pages if page.metadata]
    scores = {
        name: {
            page.page_id: score_metadata(
                page.metadata or {}, found.get(page.page_id, FoundMetadata())
            )
            for page in with_meta
        }
        for name, found in rows
    }
    first = next(iter(scores.values()), {})
    counts = [
        _mean([getattr(s, attr) for s in first.values()])[1]
        for attr in ("title_exact", "title_headline", "authors_f1", "published")
    ]
    lines = [
        f"metadata on {len(with_meta)} pages with expected metadata: title exact "
        f"({counts[0]} pages; whitespace collapsed), title as headline ({counts[1]}; also "
        f"right without the expected title's site-name suffix), authors set-F1 ({counts[2]}; "
        f"expected bylines split at line breaks, commas and 'and'-words, no 'By', no dates), "
        f"published day ({counts[3]})",
        "",
        # One column per system, one row per figure.
        f"{'metadata':<16}" + "".join(f"{name:>14}" for name in scores),
    ]
    labels = ("title exact", "title headline", "authors F1", "published day")
    attrs = ("title_exact", "title_headline", "authors_f1", "published")
    for label, attr in zip(labels, attrs, strict=True):
        values = [
            _mean([getattr(s, attr) for s in by_page.values()])[0] for by_page in scores.values()
        ]
        lines.append(f"{label:<16}" + "".join(f"{v:>14.3f}" for v in values))
    if worst > 0 and rows:
        name, found = rows[0]
        lines += ["", f"metadata {name} got wrong (expected / found):"]
        for page in with_meta:
            s = first[page.page_id]
            got = found.get(page.page_id, FoundMetadata())
            meta = page.metadata or {}
            if s.title_headline is False:
                lines.append(f"  {page.page_id} title: {meta.get('title')!r} / {got.title!r}")
            if s.authors_f1 is not None and s.authors_f1 < 1:
                wanted = expected_authors(meta.get("byline"))
                lines.append(f"  {page.page_id} authors: {wanted} / {list(got.authors)}")
            if s.published is False:
                lines.append(
                    f"  {page.page_id} published: {meta.get('publishedTime')!r} / {got.published!r}"
                )
    return "\n".join(lines)


# --- Layouts -------------------------------------------------------------------------


def _read_maybe_gzipped(path: Path) -> bytes:
    """``path`` + ``.gz`` decompressed, or else ``path`` itself."""
    gz = path.with_name(path.name + ".gz")
    if gz.exists():
        return gzip.decompress(gz.read_bytes())
    return path.read_bytes()


def _exists_maybe_gzipped(path: Path) -> bool:
    return path.with_name(path.name + ".gz").is_file() or path.is_file()


def _is_benchmark(folder: Path) -> bool:
    return (folder / "ground-truth.json").is_file() and (folder / "html").is_dir()


def load_pages(folder: str | Path) -> Iterator[Page]:
    """Yield the pages of an article-extraction-benchmark folder, in id order."""
    root = Path(folder)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        entry = truth[page_id]
        html = _read_maybe_gzipped(root / "html" / f"{page_id}.html")
        yield Page(page_id, entry.get("url"), html, entry.get("articleBody") or "")


def _is_snippet_corpus(folder: Path) -> bool:
    return (folder / "evaldata.json").is_file() and (folder / "html").is_dir()


def load_snippet_pages(folder: str | Path) -> Iterator[Page]:
    """Yield the pages of a trafilatura-corpus folder, in key order. A page's id is its
    file's name (what one opens to look at it); its key is passed as the URL when it is
    one."""
    root = Path(folder)
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    files = Counter(entry["file"] for entry in data.values())
    for key in sorted(data):
        entry = data[key]
        html = _read_maybe_gzipped(root / "html" / entry["file"])
        yield Page(
            page_id=entry["file"] if files[entry["file"]] == 1 else key,
            url=key if key.startswith(("http://", "https://")) else None,
            html=html,
            must_have=tuple(entry.get("with") or ()),
            must_not_have=tuple(entry.get("without") or ()),
        )


def _is_reader_page(folder: Path) -> bool:
    return _exists_maybe_gzipped(folder / "source.html") and _exists_maybe_gzipped(
        folder / "expected.html"
    )


def _is_reader_pages(folder: Path) -> bool:
    return any(child.is_dir() and _is_reader_page(child) for child in folder.iterdir())


# Elements that start and end a paragraph of the expected reader view's text.
_BLOCKS = frozenset(
    "address article aside blockquote caption dd details dialog div dl dt fieldset "  # noqa: SIM905
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p "
    "pre section summary table tbody td tfoot th thead tr ul".split()
)
_NEVER_TEXT = frozenset({"script", "style", "template", "noscript"})


def html_text(html: bytes | str) -> str:
    """The text of an HTML fragment, a paragraph per block element, paragraphs apart
    by a blank line and the whitespace inside each collapsed (so two paragraphs never
    run into one word)."""
    import lxml.html
    from lxml import etree

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        return ""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    root = lxml.html.document_fromstring(html, parser=parser)
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = collapse_whitespace("".join(current))
        if text:
            paragraphs.append(text)
        current.clear()

    # iterwalk, not recursion: a deeply nested page must not hit the recursion limit.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                flush()
            if tag == "br":
                current.append(" ")
            if tag not in _NEVER_TEXT:
                current.append(element.text or "")
        else:
            if tag in _BLOCKS:
                flush()
            current.append(element.tail or "")
    flush()
    return "\n\n".join(paragraphs)


def load_reader_pages(folder: str | Path) -> Iterator[Page]:
    """Yield the pages of a readability-test-pages folder, in folder-name order. The
    truth is the expected reader view's text; there is no URL."""
    root = Path(folder)
    for child in sorted(root.iterdir()):
        if not (child.is_dir() and _is_reader_page(child)):
            continue
        meta_path = child / "expected-metadata.json"
        metadata = (
            json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else None
        )
        yield Page(
            page_id=child.name,
            url=None,
            html=_read_maybe_gzipped(child / "source.html"),
            truth=html_text(_read_maybe_gzipped(child / "expected.html")),
            metadata=metadata,
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """A way evaluation sets are laid out on disk, and how they are scored."""

    name: str
    looks_for: str
    """The files that identify the layout, for error messages."""
    detect: Callable[[Path], bool]
    load: Callable[[Path], Iterator[Page]]
    metric: Metric
    baseline: Extractor
    """How plain trafilatura is called on its pages."""


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="article-extraction-benchmark",
        looks_for="ground-truth.json + html/",
        detect=_is_benchmark,
        load=load_pages,
        metric=SHINGLES,
        # Unchanged, so that the figures compare with the published ones.
        baseline=trafilatura_extractor,
    ),
    Layout(
        name="trafilatura-corpus",
        looks_for="evaldata.json + html/",
        detect=_is_snippet_corpus,
        load=load_snippet_pages,
        metric=SNIPPETS,
        # The pages' encodings are not all UTF-8, nor all declared.
        baseline=trafilatura_bytes_extractor,
    ),
    Layout(
        name="readability-test-pages",
        looks_for="folders of source.html.gz + expected.html.gz",
        detect=_is_reader_pages,
        load=load_reader_pages,
        metric=SHINGLES,
        baseline=trafilatura_bytes_extractor,
    ),
)


@dataclass(frozen=True, slots=True)
class EvalSet:
    """One evaluation set found on disk."""

    layout: Layout
    folder: Path

    @property
    def name(self) -> str:
        return self.folder.name


class NoEvalSetError(ValueError):
    """The path holds no evaluation set of a known layout."""


def layouts_looked_for() -> str:
    """The known layouts, for a one-line message."""
    return "; ".join(f"{layout.name} ({layout.looks_for})" for layout in LAYOUTS)


def find_sets(path: str | Path, names: Sequence[str] = ()) -> list[EvalSet]:
    """The evaluation sets at ``path``: the folder itself when it has a known layout,
    else each of its subfolders that has one. ``names`` keeps only the sets whose
    folder or layout has one of those names. Raises :class:`NoEvalSetError`."""
    root = Path(path)
    if not root.is_dir():
        raise NoEvalSetError(f"{root} is not a folder")
    found: list[EvalSet] = []
    for layout in LAYOUTS:
        if layout.detect(root):
            found.append(EvalSet(layout, root))
            break
    else:
        for child in sorted(root.iterdir()):
            if not child.is_dir():
                continue
            layout_found = next((layout for layout in LAYOUTS if layout.detect(child)), None)
            if layout_found is not None:
                found.append(EvalSet(layout_found, child))
    if not found:
        raise NoEvalSetError(
            f"{root} holds no evaluation set, in it or its subfolders; "
            f"looked for: {layouts_looked_for()}"
        )
    if names:
        wanted = set(names)
        kept = [s for s in found if s.name in wanted or s.layout.name in wanted]
        if not kept:
            raise NoEvalSetError(
                f"no set named {', '.join(sorted(wanted))} in {root}; "
                f"found: {', '.join(s.name for s in found)}"
            )
        found = kept
    return found


# --- The report --------------------------------------------------------------------------


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


def snippet_differences(page: Page, prediction: str) -> tuple[list[str], list[str]]:
    """The must-not-have snippets found and the must-have snippets missed."""
    text = collapse_whitespace(prediction)
    kept = [s for s in page.must_not_have if collapse_whitespace(s) in text]
    missed = [s for s in page.must_have if collapse_whitespace(s) not in text]
    return kept, missed


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _page_label(page: Page) -> str:
    return page.page_id if page.url in (None, page.page_id) else f"{page.page_id}  {page.url}"


def _baseline_run(runs: list[SystemRun]) -> SystemRun | None:
    """The plain trafilatura run, the one newsbot is compared with page by page."""
    return next((run for run in runs[1:] if run.name == "trafilatura"), None)


def collapses(runs: list[SystemRun]) -> list[str]:
    """The pages where the first run collapses against plain trafilatura's, worst first."""
    if not runs:
        return []
    main, baseline = runs[0], _baseline_run(runs)
    if baseline is None:
        return []
    metric = main.metric
    hits = [
        page_id
        for page_id, score in main.scores.items()
        if page_id in baseline.scores and metric.collapsed(score, baseline.scores[page_id])
    ]
    return sorted(hits, key=lambda page_id: metric.rank(main.scores[page_id]))


def _rescue_lines(run: SystemRun) -> list[str]:
    total = len(run.scores)
    rescued = [run.times[p] for p in run.scores if p in run.rescued]
    others = [run.times[p] for p in run.scores if p not in run.rescued]
    share = len(rescued) / total if total else 0.0

    def mean_ms(times: list[float]) -> str:
        return f"{1000 * sum(times) / len(times):.1f}" if times else "-"

    return [
        f"rescue ran on {len(rescued)} of {total} pages ({share:.1%})",
        f"time per page of {run.name}: {mean_ms(rescued)} ms on rescued pages, "
        f"{mean_ms(others)} ms on the others",
    ]


def report(
    pages: list[Page],
    runs: list[SystemRun],
    worst: int = 0,
    *,
    clip: int = 300,
    title: str | None = None,
) -> str:
    """A plain-text table of the runs, the rescue's share and cost, the collapses
    against plain trafilatura, then the pages where the first run loses most."""
    metric = runs[0].metric if runs else SHINGLES
    lines = [title] if title else []
    lines += [f"{len(pages)} pages, metric: {metric.name}", ""]
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
    if not runs:
        return "\n".join(lines)
    main = runs[0]
    by_id = {page.page_id: page for page in pages}
    lines.append("")
    lines += _rescue_lines(main)
    baseline = _baseline_run(runs)
    if baseline is not None:
        collapsed = collapses(runs)
        lines.append("")
        lines.append(f"collapses: {len(collapsed)} ({metric.collapse_rule})")
        for page_id in collapsed:
            lines.append(
                f"  {_page_label(by_id[page_id])}  {main.name} "
                f"{metric.describe(main.scores[page_id])}  {baseline.name} "
                f"{metric.describe(baseline.scores[page_id])}"
            )
    if worst > 0:
        ranked = sorted(main.scores.items(), key=lambda item: metric.rank(item[1]))[:worst]
        lines.append("")
        lines.append(f"{worst} worst pages for {main.name}:")
        for page_id, score in ranked:
            page = by_id[page_id]
            others = "  ".join(
                f"{run.name} {metric.describe(run.scores[page_id])}" for run in runs[1:]
            )
            lines.append("")
            lines.append(f"{page_id}  {metric.describe(score)}  {others}")
            if page.url is not None and page.url != page_id:
                lines.append(f"  url: {page.url}")
            kept, missed = metric.differences(page, main.outputs[page_id])
            for label, chunks in zip(metric.labels, (kept, missed), strict=True):
                for chunk in chunks[:8]:
                    lines.append(f"  {label}: {_clip(chunk, clip)}")
                if len(chunks) > 8:
                    lines.append(f"  {label}: ... {len(chunks) - 8} more")
    return "\n".join(lines)


def default_systems(
    layout: Layout, *, baseline: bool = True, newsbot: Extractor = newsbot_extractor
) -> list[tuple[str, Extractor]]:
    """newsbot first (the run the report is about), then plain trafilatura as the
    layout calls it, then newsbot without its cleaning rules."""
    systems: list[tuple[str, Extractor]] = [("newsbot", newsbot)]
    if baseline:
        systems.append(("trafilatura", layout.baseline))
        systems.append((UNCLEANED, newsbot_uncleaned_extractor))
    return systems


def evaluate_set(
    eval_set: EvalSet,
    systems: list[tuple[str, Extractor]],
    worst: int = 0,
    *,
    limit: int | None = None,
) -> str:
    """Load one set (its first ``limit`` pages), run the systems on it and return the
    report."""
    pages = list(eval_set.layout.load(eval_set.folder))
    if limit is not None:
        pages = pages[:limit]
    # Warm every system up on one page first: the first call of each imports its
    # modules and compiles its expressions, a cost a crawl pays once.
    for _, extractor in systems:
        if pages:
            extractor(pages[0].html, pages[0].url)
    # jusText's stop lists load on first use, in whichever system first needs them.
    from trafilatura.external import jt_stoplist_init

    jt_stoplist_init()
    runs = run_systems(systems, pages, eval_set.layout.metric)
    layout = "" if eval_set.name == eval_set.layout.name else f" ({eval_set.layout.name})"
    title = f"== {eval_set.name}{layout} ==\n{eval_set.folder}"
    text = report(pages, runs, worst, title=title)
    if runs and any(page.metadata for page in pages):
        rows = [(runs[0].name, runs[0].metadata)]
        if len(systems) > 1:
            # Plain trafilatura's metadata, read from the same pages in the same run
            # (untimed: its extraction time above is the text's alone).
            rows.append(("trafilatura", {p.page_id: trafilatura_metadata(p.html) for p in pages}))
        text += "\n\n" + metadata_report(pages, rows, worst=worst)
    return text


def evaluate(
    path: str | Path,
    worst: int = 0,
    *,
    baseline: bool = True,
    limit: int | None = None,
    names: Sequence[str] = (),
    newsbot: Extractor = newsbot_extractor,
) -> str:
    """Evaluate newsbot (and plain trafilatura, unless ``baseline`` is false) on every
    set at ``path`` and return the reports. Raises :class:`NoEvalSetError`."""
    reports = []
    for eval_set in find_sets(path, names):
        systems = default_systems(eval_set.layout, baseline=baseline, newsbot=newsbot)
        reports.append(evaluate_set(eval_set, systems, worst, limit=limit))
    return "\n\n".join(reports)
