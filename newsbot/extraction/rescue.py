"""When trafilatura's fast path falls short, and which of two results to keep.

newsbot runs trafilatura in its fast mode (no readability or jusText comparison) on a
page pruned of navigation, footers and sidebars. On most pages that finds the article at
two thirds of the full cascade's cost. On a few it keeps only part of it: the first of
several sibling containers of a split body, a teaser ``<article>`` before the story, a
JSON-LD ``articleBody`` that holds only the lead, a body wrapper deleted for a class
name; or the pruning itself lost the article (an unclosed ``<div>`` inside an
``<aside>`` makes the parser stretch the aside over the rest of the page).

The evidence is the page's own prose: the blocks of running text a reader sees (a
paragraph, a ``div`` of text with line breaks), read before anything is pruned. A fast
result that covers little of it, a whole-page text dump, a JSON-LD body much longer
than the result, or prose that only a pruned container held, are the reasons to run the
full cascade on the unpruned page (:func:`rescue_reason`). Between the two results,
:func:`choose_body` keeps the one that holds more of the page's prose, never a text
dump over a structured result, and never on length alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

_WORD = re.compile(r"\w+")

PROSE_BLOCK_CHARS = 100
"""A block of a page's visible text this long (in characters, whitespace collapsed)
counts as prose: a menu entry, a teaser headline or a button is shorter."""
RESCUE_MISSED_CHARS = 800
"""The fast result must miss at least this much of the page's prose for a rescue..."""
RESCUE_MISSED_SHARE_SHORT = 1.0
RESCUE_MISSED_SHARE = 1.5
"""... and miss at least this many times what it covers: as much (a short result, under
:data:`SHORT_RESULT_CHARS`), or twice as much (a long one: its page also has comments,
teasers and notices of prose length that no extractor should keep)."""
SHORT_RESULT_CHARS = 1000
LONG_RESULT_CHARS = 4000
"""A fast result this long is an article's worth: the page's prose is not read for it
(it saves a millisecond on most news pages), only the dump and JSON-LD checks apply."""
ARTICLE_BODY_SHARE = 0.6
"""A fast result shorter than this share of the page's JSON-LD ``articleBody``."""
ARTICLE_BODY_MIN_CHARS = 500
PRUNED_PROSE_CHARS = 1000
"""Prose held by one navigation, footer or sidebar element, when it is more than all the
prose outside such elements: the markup stretched that element over the article."""
DUMP_LINES = 50
DUMP_SHORT_LINE_WORDS = 4
DUMP_SHORT_SHARE = 0.6
"""A whole-page dump: one block of at least :data:`DUMP_LINES` raw lines, most of them
(:data:`DUMP_SHORT_SHARE`) of a few words, as menus and link lists are."""
_MIN_GAIN_CHARS = 200
PARTIAL_MISSED_CHARS = 200
FLAT_KEPT_SHARE = 0.9
"""A structured result replaces a flat one (paragraphs only, subheadings and lists
lost) when it holds at least this share of the prose the flat one held."""
"""A block of prose the fast result holds most of (at least half, under nine tenths)
but misses this much of: trafilatura dropped a piece of it (text after an image box,
a collapsed continuation inside the paragraph's own container)."""

# Inline elements: their text belongs to the block around them.
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    }
)
# Never visible text, or never article text (forms, headers).
_NOT_TEXT = frozenset(
    {"head", "script", "style", "noscript", "template", "select", "option", "textarea"}
)
_OUTSIDE_ARTICLE = frozenset({"header", "form", "button", "label"})
# Text nodes worth a look: a word or two at least.
# The elements holding a text node of some length (a tail's text node is its parent's: it
# comes back as the element the tail follows within).
_TEXT_HOLDERS = etree.XPath(".//text()[string-length(.) >= 30]/..")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


_WINDOW = 6
"""Blocks are compared in windows of this many words: a block counts as held by a text in
the share of its windows that the text holds, so an extractor that drops a word, a
caption or a button inside a long block still holds the rest of it."""
# A block that ends cut short is a teaser of another page, not prose of this one, unless
# it links nowhere and sits in the headline's <article> (the story cut short by a paywall).
_TRUNCATED = ("…", "...", "[…]", "[...]", "(…)", "(...)")
# Inside such an element a sidebar or footer is no sidebar: the markup is broken.
_ARTICLE_MARKERS = etree.XPath("boolean(.//h1 | .//article | .//main)")


def _text_windows(words: list[str]) -> Iterator[str]:
    """Every run of :data:`_WINDOW` words of a text (one, shorter, for a short text)."""
    return (" ".join(words[i : i + _WINDOW]) for i in range(max(len(words) - _WINDOW + 1, 1)))


def _held_windows(text: str) -> set[str]:
    return set(_text_windows(_key(text).split(" ")))


def _share_held(key: str, held: set[str]) -> float:
    windows = _windows(key)
    return sum(1 for window in windows if window in held) / len(windows)


def _windows(key: str) -> list[str]:
    words = key.split(" ")
    if len(words) <= _WINDOW:
        return [key]
    return [" ".join(words[i : i + _WINDOW]) for i in range(0, len(words) - _WINDOW + 1, _WINDOW)]


@dataclass(slots=True)
class PageProse:
    """The prose blocks of a page, keyed by their words (case and punctuation ignored)."""

    counts: Counter[str] = field(default_factory=Counter)
    """Prose blocks outside navigation, footers, sidebars, headers and forms."""
    lengths: dict[str, int] = field(default_factory=dict)
    inert_counts: Counter[str] = field(default_factory=Counter)
    """Prose blocks inside the elements pruned up front (navigation, footers, sidebars)."""
    largest_inert: int = 0
    """Prose characters held by the one pruned element that holds most, when it also
    holds the page's headline or article element (the markup stretched it)."""

    @property
    def total(self) -> int:
        return sum(self.lengths[key] * n for key, n in self.counts.items())

    def covered(self, text: str, *, with_inert: bool = False) -> int:
        """Characters of the page's prose that ``text`` holds (a block repeated on the
        page counts as often as ``text`` repeats it)."""
        words = _key(text).split(" ")
        if not words or not words[0]:
            return 0
        held: Counter[str] = Counter(_text_windows(words))
        short = len(words) < _WINDOW
        covered = 0.0
        counters = (self.counts, self.inert_counts) if with_inert else (self.counts,)
        for counter in counters:
            for key, n in counter.items():
                windows = _windows(key)
                if len(windows) == 1 and short:
                    covered += self.lengths[key] * n * int(windows[0] == " ".join(words))
                    continue
                # Whole copies of the block the text holds (a block may repeat its own
                # sentences: count each window as often as the block needs it) ...
                need = Counter(windows)
                copies = min(n, min(held[window] // count for window, count in need.items()))
                covered += self.lengths[key] * copies
                if copies == 0:
                    # ... or the share of one copy that it holds.
                    found = sum(1 for window in windows if held[window])
                    covered += self.lengths[key] * found / len(windows)
        # A text cannot hold more of the page than its own length (a block whose
        # sentences repeat matches itself several times over).
        return int(min(covered, len(text)))

    def partly_held(self, text: str) -> list[str]:
        """The page's prose blocks (keys) of which ``text`` holds most but misses a good
        piece (:data:`PARTIAL_MISSED_CHARS`)."""
        held = _held_windows(text)
        found = []
        for key in self.counts:
            length = self.lengths[key]
            if length < 2 * PARTIAL_MISSED_CHARS:
                continue
            share = _share_held(key, held)
            if 0.5 <= share < 0.9 and (1 - share) * length >= PARTIAL_MISSED_CHARS:
                found.append(key)
        return found

    @classmethod
    def of(
        cls,
        tree: etree._Element,
        inert: Collection[str],
        removed: Iterable[etree._Element] = (),
        *,
        one_story: bool = True,
    ) -> PageProse:
        """Read a page's prose blocks: those of ``tree``, and those of the elements
        ``removed`` from it up front (navigation, footers, sidebars, as detached
        subtrees). With ``one_story`` (every page but a forum's thread), a page of
        several ``<article>`` elements has its prose in the one holding most."""
        prose = cls()
        seen: set[etree._Element] = set()
        held: Counter[etree._Element] = Counter()
        # Prose outside the pruned elements, with the <article> element holding it: a
        # page of several articles (a blog's posts, a teaser before the story) has one
        # story, the article holding most prose; the others are other stories.
        outside: list[tuple[str, etree._Element | None]] = []
        by_article: Counter[etree._Element | None] = Counter()
        holders = [element for root in (tree, *removed) for element in _TEXT_HOLDERS(root)]
        # The <article> elements around the headline: a block in them cut short with no
        # link on is the story's own, cut short by a paywall.
        headline = next(tree.iter("h1"), None)
        story_articles = (
            {ancestor for ancestor in headline.iterancestors("article")}
            if headline is not None
            else set()
        )
        # Readers' comments are prose, but not the article's (comments are never text).
        comments = {
            element
            for element in _COMMENT_CANDIDATES(tree)
            if _COMMENT_NAME.search(element.get("id") or "")
            or _COMMENT_NAME.search(element.get("class") or "")
        }
        for block in holders:
            while block is not None and block.tag in _INLINE:
                block = block.getparent()
            if block is None or block in seen or not isinstance(block.tag, str):
                continue
            seen.add(block)
            if block.tag in _NOT_TEXT:
                continue
            text, link_chars = _own_text(block)
            cut_short = text.endswith(_TRUNCATED)
            if (
                len(text) < PROSE_BLOCK_CHARS
                or link_chars * 2 >= len(text)
                or (cut_short and (not story_articles or _leads_elsewhere(block, link_chars)))
                or _is_hidden(block)
                or _follows_a_linked_heading(block)
            ):
                continue
            container = None
            article = block if block.tag == "article" else None
            skip = block.tag in _OUTSIDE_ARTICLE
            for ancestor in block.iterancestors():
                tag = ancestor.tag
                if tag in _NOT_TEXT or _is_hidden(ancestor) or ancestor in comments:
                    break
                if tag in inert and container is None:
                    container = ancestor
                elif tag in _OUTSIDE_ARTICLE:
                    skip = True
                elif tag == "article" and article is None:
                    article = ancestor
            else:
                if cut_short and article not in story_articles:
                    continue
                key = _key(text)
                if not key:
                    continue
                prose.lengths[key] = len(text)
                if container is not None or block.tag in inert:
                    prose.inert_counts[key] += 1
                    held[container if container is not None else block] += len(text)
                elif not skip:
                    outside.append((key, article))
                    by_article[article] += len(text)
        articles = [article for article in by_article if article is not None]
        main = (
            max(articles, key=by_article.__getitem__) if one_story and len(articles) > 1 else None
        )
        for key, article in outside:
            if main is None or article is None or article is main:
                prose.counts[key] += 1
        for container, chars in held.most_common():
            if _ARTICLE_MARKERS(container):
                prose.largest_inert = chars
                break
        return prose


# Containers of readers' comments: an id or class naming them (found natively, then
# checked word by word: "comments", "comment-list", "disqus_thread", not "commentary").
_COMMENT_CANDIDATES = etree.XPath(
    "//@id[contains(., 'omment') or contains(., 'isqus')]/.."
    " | //@class[contains(., 'omment') or contains(., 'isqus')]/.."
)
_COMMENT_NAME = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|comment-?list|comments?-?(?:area|section|wrap\w*|thread|"
    r"container|block)|disqus\w*)(?:$|[\s_-])",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TEASER_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _is_hidden(element: etree._Element) -> bool:
    """Whether the element is hidden from the reader by its own markup (the hidden
    attribute, aria-hidden, an inline style): what no one sees is not the page's prose."""
    get = element.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    style = get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def _follows_a_linked_heading(block: etree._Element) -> bool:
    """A teaser's summary: a block right after a heading that is a link to another page
    (a card of a list of stories, its summary clamped to a few lines)."""
    previous = block.getprevious()
    if previous is None or previous.tag not in _TEASER_HEADINGS:
        return False
    heading = " ".join(previous.text_content().split())
    linked = sum(
        len(" ".join(a.text_content().split())) for a in previous.iter("a") if a.get("href")
    )
    return bool(heading) and linked * 2 >= len(heading)


def _leads_elsewhere(block: etree._Element, link_chars: int) -> bool:
    """Whether a block holds a link (a teaser's "read more") or sits in one (a card)."""
    return bool(link_chars) or any(ancestor.tag == "a" for ancestor in block.iterancestors())


def _own_text(block: etree._Element) -> tuple[str, int]:
    """A block's text with its inline children's (not its nested blocks'), and how much
    of it is link text."""
    parts = [block.text or ""]
    link_chars = 0
    for child in block:
        tag = child.tag
        if isinstance(tag, str) and tag in _INLINE:
            if tag == "br":
                parts.append(" ")
            else:
                inner = child.text_content()
                parts.append(inner)
                if tag == "a":
                    link_chars += len(inner.strip())
        parts.append(child.tail or "")
    return " ".join("".join(parts).split()), link_chars


def is_text_dump(body: etree._Element | None) -> bool:
    """Whether trafilatura's output is the page's flat text (its last resort: menus,
    footers and all in one block of raw lines) rather than an article. A real paragraph
    whose source has line breaks is not one: its lines are long."""
    if body is None or len(body) > 2:
        return False
    for element in body.iter():
        for text in (element.text, element.tail):
            if not text or text.count("\n") < DUMP_LINES:
                continue
            lines = [line for line in text.split("\n") if line.strip()]
            if len(lines) < DUMP_LINES:
                continue
            short = sum(1 for line in lines if len(_WORD.findall(line)) <= DUMP_SHORT_LINE_WORDS)
            if short >= DUMP_SHORT_SHARE * len(lines):
                return True
    return False


ProseSource = PageProse | Callable[[], PageProse]
"""The page's prose, or a function that reads it when first needed."""


def _resolve(prose: ProseSource) -> PageProse:
    return prose() if callable(prose) else prose


def rescue_reason(
    body: etree._Element | None,
    text: str,
    prose: ProseSource,
    article_body: str | None,
) -> str | None:
    """Why the fast result needs a second opinion from the full cascade, or None."""
    if body is None or not text.strip():
        page = _resolve(prose)
        return "empty" if page.total or page.largest_inert else None
    if is_text_dump(body):
        return "dump"
    if (
        article_body
        and len(article_body) >= ARTICLE_BODY_MIN_CHARS
        and len(text) < ARTICLE_BODY_SHARE * len(article_body)
    ):
        return "article_body"
    if len(text) >= LONG_RESULT_CHARS:
        return None
    page = _resolve(prose)
    total = page.total
    if page.largest_inert >= PRUNED_PROSE_CHARS and page.largest_inert > total:
        return "pruned"
    covered = page.covered(text)
    missed = total - covered
    share = RESCUE_MISSED_SHARE_SHORT if len(text) < SHORT_RESULT_CHARS else RESCUE_MISSED_SHARE
    if missed >= RESCUE_MISSED_CHARS and missed >= share * covered:
        return "short"
    if missed >= PARTIAL_MISSED_CHARS and page.partly_held(text):
        return "partial"
    return None


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 4]) for i in range(max(len(words) - 3, 1))} if words else set()


def choose_body(
    fast_body: etree._Element | None,
    fast_text: str,
    second_body: etree._Element,
    second_text: str,
    prose: ProseSource,
    reason: str,
    article_body: str | None = None,
) -> bool:
    """Whether the full cascade's result should replace the fast one: it holds more of
    the page's prose (or of its JSON-LD body), and is no text dump where the fast one
    was structured."""
    if not second_text.strip():
        return False
    if fast_body is None or not fast_text.strip():
        return True
    fast_dump, second_dump = is_text_dump(fast_body), is_text_dump(second_body)
    if second_dump and not fast_dump:
        return False
    if fast_dump and not second_dump:
        return len(second_text) >= _MIN_GAIN_CHARS
    with_inert = reason == "pruned"
    prose = _resolve(prose)
    fast_covered = prose.covered(fast_text, with_inert=with_inert)
    second_covered = prose.covered(second_text, with_inert=with_inert)
    if reason == "flat":
        # The same prose, with the subheadings and lists the flat result lost.
        structured = next(second_body.iter("head", "list"), None) is not None
        return structured and second_covered >= FLAT_KEPT_SHARE * fast_covered
    gain = second_covered - fast_covered
    if gain >= max(_MIN_GAIN_CHARS, fast_covered / 2):
        return True
    if reason == "partial" and second_covered >= fast_covered:
        # The second holds the blocks the fast result held in part, whole, and loses
        # none of the page's prose the fast result held.
        held = _held_windows(second_text)
        partial = prose.partly_held(fast_text)
        if partial and all(_share_held(key, held) >= 0.9 for key in partial):
            return True
    if reason == "article_body" and article_body:
        expected = _shingles(article_body)
        if expected:
            fast_share = len(expected & _shingles(fast_text)) / len(expected)
            second_share = len(expected & _shingles(second_text)) / len(expected)
            return second_share >= fast_share + 0.2
    return False
