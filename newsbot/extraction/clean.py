"""Cleaning on top of trafilatura: remove what its main-text extraction leaves behind.

The rules run on trafilatura's structured output (its XML body: ``p``, ``head``,
``list``/``item``, ``quote`` ...), where a block's position and kind are still known,
and look up each short block in an index of the source page's link blocks, so a
paragraph that is mostly one link is told from prose that mentions one.

Every rule needs two signals before it removes a block (a cue *and* shortness, a link
*and* a cue, a heading *and* a list of links under it): a sentence that merely says
"read more", or a quote with a link in it, stays.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from newsbot.extraction import cues

REMOVED_KINDS = ("promo", "call_to_action", "related", "caption", "consent", "boilerplate")
"""The kinds of clutter counted in ``ExtractedArticle.removed``."""

_WORD = re.compile(r"\w+", re.UNICODE)
# Tags of the source page whose text forms one block (a paragraph-like unit).
_BLOCK_TAGS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dd",
        "dt",
        "figcaption",
        "blockquote",
        "td",
        "th",
        "div",
        "section",
        "aside",
        "header",
        "footer",
        "span",
        "strong",
        "em",
        "b",
    }
)
# Separators that end a promo cue ("READ MORE: ...", "Related | ...", "Lire aussi »").
_CUE_END = r"(?:\s*[:：|»>›▶►→•·–—-]+\s*|\s*$)"
# A source block longer than this is prose, never a promo: skip indexing it.
_MAX_INDEXED_CHARS = 1500
_MAX_ANCESTOR_HOPS = 4
# A line that is only a machine date-time or the address of an image file.
_DATE_OR_FILE_LINE = re.compile(
    r"^\s*(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\S+\.(?:jpe?g|png|gif|webp|svg)(?:\?\S*)?)\s*$",
    re.IGNORECASE,
)
# Blocks at the top of a body that may be a teaser reprinted as the article's lead.
_LEAD_BLOCKS = 3
# Linked headlines in a row, at an edge of the body, that make a block of related links.
_HEADLINE_RUN = 3
# Blocks at the top of a body that are at its edge, where prompts are set.
_EDGE_BLOCKS = 2
_BARE_URL = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.IGNORECASE)
# The removed kind each kind of reader prompt (cues.PROMPT_PATTERNS) counts as.
_PROMPT_KINDS = {
    "contact": "call_to_action",
    "follow": "call_to_action",
    "notice": "boilerplate",
    "paywall": "call_to_action",
    "support": "call_to_action",
}
# Ways to reach someone: an e-mail address, a social handle, a phone number, a web
# address.
_CONTACT_POINT = re.compile(
    r"\S@\w[\w-]*\.\w|(?<![\w@])@\w{2,}|\+?\d[\d ()-]{7,}\d|https?://|\bwww\.\w",
    re.UNICODE,
)
# What ends a sentence of prose.
_CLOSING = (".", "!", "?", "…", '"', "”", "»", "’", "'")
# Quotation marks: a prompt speaks in the site's voice, never quotes anyone.
_QUOTES = re.compile('["“”«»„]')
# A paragraph of prose has more words than a prompt.
_MAX_PROMPT_WORDS = 40


@functools.lru_cache(maxsize=1024)
def text_key(text: str) -> str:
    """A comparison key that ignores case, punctuation and spacing. (Cached, for the
    page at hand: its blocks are keyed by several rules, and its link texts again by
    the link index.)"""
    return " ".join(_WORD.findall(text.lower()))


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace into one space."""
    return " ".join(text.split())


_ASCII_BLOCK, _OTHER_BLOCK, _TWINS_BLOCK = 0, 1, 2


@functools.lru_cache(maxsize=1024)
def _lowered(text: str) -> tuple[int, str]:
    """A block's kind for the literal pre-check (ASCII, other, or holding a character
    that case-folds to an ASCII letter) and its lower-cased text: each block meets a
    dozen cue tables, and this is the same for all of them."""
    if text.isascii():
        return _ASCII_BLOCK, text.lower()
    if _ASCII_CASE_TWINS.search(text) is None:
        return _OTHER_BLOCK, text.lower()
    return _TWINS_BLOCK, text


@dataclass(frozen=True, slots=True)
class CueSearch:
    """A cue table searched anywhere in a block, with a cheap exact pre-check.

    Python's ``re`` has no fast scan for a case-insensitive alternation: it tries every
    pattern at every position. But each pattern of the tables needs some fixed text
    (``cookie`` in "we use cookies"), so a block holding none of those texts,
    lower-cased, cannot match, which a few substring tests tell at a fraction of the
    cost. Lower-casing stands for the expression's case folding except on the few
    characters that fold to ASCII letters ("ſ", "K", "İ", "ı"): a block with one of
    those always goes to the expression.
    """

    pattern: re.Pattern[str] | None
    """The patterns that may match anywhere."""
    anchored: re.Pattern[str] | None
    """The patterns that match at the start only ("^..."), tried there alone: in one
    alternation with the others, the expression would try them at every position."""
    ascii_literals: tuple[str, ...] | None
    """Lower-cased texts one of which an ASCII block must hold to match; None when
    some pattern needs no fixed text (then the expression always runs)."""
    literals: tuple[str, ...] | None
    """The same for any other block (patterns needing "é" or "©" can match it)."""

    def search(self, text: str) -> bool:
        """Whether one of the patterns occurs in ``text``."""
        kind, lowered = _lowered(text)
        literals = (
            self.ascii_literals
            if kind == _ASCII_BLOCK
            else self.literals
            if kind == _OTHER_BLOCK
            else None
        )
        if literals is not None and not any(map(lowered.__contains__, literals)):
            return False
        if self.anchored is not None and self.anchored.match(text) is not None:
            return True
        return self.pattern is not None and self.pattern.search(text) is not None


@dataclass(frozen=True, slots=True)
class CueRules:
    """The cue tables compiled into regular expressions."""

    promo: re.Pattern[str]
    related_heading: re.Pattern[str]
    furniture_heading: re.Pattern[str]
    cta_start: re.Pattern[str]
    cta_anywhere: CueSearch
    caption: CueSearch
    consent: CueSearch
    boilerplate_line: frozenset[str]
    boilerplate: CueSearch
    address: re.Pattern[str]
    embed_placeholder: CueSearch
    click: re.Pattern[str]
    consent_word: CueSearch
    prompts: tuple[tuple[str, CueSearch], ...]
    """Each kind of reader prompt (cues.PROMPT_PATTERNS) with the removed kind it
    counts as."""


_ASCII = "".join(chr(code) for code in range(128))
# Characters of a pattern that are syntax, not text, outside a character class.
_SYNTAX = frozenset("\\.^$*+?{}[]()|")
_QUANTIFIERS = frozenset("*+?{")
# The non-ASCII characters that case-insensitive matching equates with an ASCII one or
# that lower-case to ASCII (tests/test_clean_rules.py checks every code point).
_ASCII_CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")
# Sets of texts a run may stand for before it is cut (its texts multiply).
_MAX_CHOICES = 64


def _class_end(entry: str, i: int) -> int:
    """The index after the character class opening at ``entry[i]``."""
    i += 1
    if i < len(entry) and entry[i] == "^":
        i += 1
    if i < len(entry) and entry[i] == "]":
        i += 1
    while i < len(entry) and entry[i] != "]":
        i += 2 if entry[i] == "\\" else 1
    return i + 1


def _group_end(entry: str, i: int) -> int:
    """The index of the parenthesis closing the group opening at ``entry[i]``."""
    depth = 0
    while i < len(entry):
        char = entry[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(entry, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(entry)


def _folded(char: str, flags: int, twins: dict[str, str]) -> str | None:
    """``char`` lower-cased, when lower-casing an ASCII block stands for the flags'
    case folding on it; "" when no ASCII character matches it ("é", "©"); else None."""
    if char not in twins:
        twins[char] = "".join(re.findall(re.escape(char), _ASCII, flags))
    if not twins[char]:
        return ""
    if char.isascii() and set(twins[char]) == {c for c in _ASCII if c.lower() == char.lower()}:
        return char.lower()
    return None


def _group_texts(
    body: str, flags: int, twins: dict[str, str], *, ascii_only: bool
) -> set[str] | None:
    """The texts a group of plain alternatives ("a|b|c") matches in an ASCII block,
    or None when it is more than that."""
    if "\\|" in body:
        return None
    texts: set[str] = set()
    for option in body.split("|"):
        folded: list[str] = []
        possible = True
        i = 0
        while i < len(option):
            char = option[i]
            if char == "\\":
                if i + 1 >= len(option) or option[i + 1].isalnum():
                    return None
                char = option[i + 1]
                i += 1
            elif char in _SYNTAX:
                return None
            lower = _folded(char, flags, twins)
            if lower is None or (lower == "" and not ascii_only):
                return None
            possible = possible and lower != ""
            folded.append(lower)
            i += 1
        if possible:
            texts.add("".join(folded))
    return texts


def _required_texts(
    entry: str, flags: int, twins: dict[str, str], *, ascii_only: bool
) -> tuple[str, ...] | None:
    """Texts one of which every match of ``entry`` on an ASCII block holds, lower-cased:
    the most telling run of plain characters and groups of plain alternatives outside
    quantifiers. An empty tuple when no ASCII block can match (the pattern needs "©"
    or "é"); None when nothing is surely required (an alternation at the top, escapes
    that stand for a character). Errs only towards None."""
    if "(?x" in entry or flags & re.VERBOSE:
        return None  # verbose mode: spaces are not text
    items: list[set[str] | None] = []  # None: something other than plain text
    i, size = 0, len(entry)
    while i < size:
        char = entry[i]
        step = 1
        if char == "\\":
            escaped = entry[i + 1 : i + 2]
            if escaped and not escaped.isalnum():
                char, step = escaped, 2
            elif escaped and escaped in "xuUN0123456789":
                return None  # a character code or a back-reference
            else:
                items.append(None)  # \b, \s, \w ...
                i += 2
                continue
        elif char == "[":
            items.append(None)
            i = _class_end(entry, i)
            continue
        elif char == "(":
            end = _group_end(entry, i)
            body = entry[i + 1 : end]
            quantified = entry[end + 1 : end + 2] in _QUANTIFIERS
            if body.startswith("?:"):
                body = body[2:]
            elif body.startswith("?"):
                quantified = True  # a look-around, flags, a named group: not plain
            items.append(
                None if quantified else _group_texts(body, flags, twins, ascii_only=ascii_only)
            )
            i = end + 1
            continue
        elif char == "|":
            return None
        elif char in _SYNTAX:
            items.append(None)
            if char == "{":
                closing = entry.find("}", i)
                i = size if closing == -1 else closing + 1
            else:
                i += 1
            continue
        if entry[i + step : i + step + 1] in _QUANTIFIERS:
            items.append(None)  # optional or repeated: not surely there once
        else:
            lower = _folded(char, flags, twins)
            if lower == "" and not ascii_only:
                lower = None  # a character of another script: no requirement known
            items.append(None if lower is None else ({lower} if lower else set()))
        i += step
    runs: list[set[str]] = []
    run: set[str] | None = None
    for item in items:
        if item is not None and not item:
            return ()  # a character no ASCII block has
        if item is None or run is None or len(run) * len(item) > _MAX_CHOICES:
            if run:
                runs.append(run)
            run = None if item is None else set(item)
        else:
            run = {a + b for a in run for b in item}
    if run:
        runs.append(run)
    if not runs:
        return None
    best = max(runs, key=lambda texts: min(map(len, texts)))
    return tuple(sorted(best))


def _cue_search(entries: tuple[str, ...], flags: int) -> CueSearch:
    twins: dict[str, str] = {}
    found: list[tuple[str, ...] | None] = []
    for ascii_only in (True, False):
        required = [_required_texts(e, flags, twins, ascii_only=ascii_only) for e in entries]
        found.append(
            None
            if any(texts is None for texts in required)
            else tuple(dict.fromkeys(text for texts in required if texts for text in texts))
        )
    anchored = [entry[1:] for entry in entries if entry.startswith("^")]
    floating = [entry for entry in entries if not entry.startswith("^")]
    return CueSearch(
        re.compile(_alternation(floating, literal=False), flags) if floating else None,
        re.compile(_alternation(anchored, literal=False), flags) if anchored else None,
        *found,
    )


def _alternation(entries: Iterable[str], *, literal: bool) -> str:
    items = sorted(entries, key=len, reverse=True)
    parts = [
        re.escape(e).replace(r"\ ", r"\s+").replace("'", "['’]") if literal else e for e in items
    ]
    return "(?:" + "|".join(parts) + ")"


@functools.cache
def compiled_rules() -> CueRules:
    """Compile the cue tables once per process (the tables are constant data)."""
    flags = re.IGNORECASE | re.UNICODE
    promo = _alternation(cues.all_entries(cues.PROMO_CUES), literal=True)
    related = _alternation(cues.all_entries(cues.RELATED_HEADINGS), literal=True)
    endings = _alternation(cues.all_entries(cues.RELATED_HEADING_ENDINGS), literal=False)
    furniture = _alternation(cues.all_entries(cues.FURNITURE_HEADINGS), literal=True)
    return CueRules(
        promo=re.compile(rf"^\W{{0,3}}(?P<cue>{promo})(?P<end>{_CUE_END})?", flags),
        related_heading=re.compile(
            rf"^\W{{0,3}}{related}(?:\s*[:.…!»›>]*\s*$|\s+(?:\S+\s*){{1,5}}$)"
            rf"|^(?:\S+\s+){{0,4}}{endings}\s*[:.…!?»›>]*\s*$",
            flags,
        ),
        furniture_heading=re.compile(
            rf"^\W{{0,3}}{furniture}(?:\s*[:…»›>]*\s*$|\s+(?:\S+\s*){{1,5}}$)"
            rf"|^(?:\S+\s+){{1,4}}{furniture}\s*[:…»›>]*\s*$",
            flags,
        ),
        cta_start=re.compile(
            r"^\W{0,3}"
            + _alternation(cues.all_entries(cues.CALL_TO_ACTION_PATTERNS), literal=False),
            flags,
        ),
        cta_anywhere=_cue_search(cues.all_entries(cues.CALL_TO_ACTION_ANYWHERE), flags),
        caption=_cue_search(cues.all_entries(cues.CAPTION_PATTERNS), flags),
        consent=_cue_search(cues.all_entries(cues.CONSENT_PATTERNS), flags),
        boilerplate_line=frozenset(
            text_key(line) for line in cues.all_entries(cues.BOILERPLATE_LINES)
        ),
        boilerplate=_cue_search(cues.all_entries(cues.BOILERPLATE_PATTERNS), flags),
        address=re.compile(
            _alternation(cues.all_entries(cues.ADDRESS_PATTERNS), literal=False), flags
        ),
        embed_placeholder=_cue_search(cues.all_entries(cues.EMBED_PLACEHOLDER_PATTERNS), flags),
        click=re.compile(
            r"^\W{0,3}(?:(?:please|bitte|veuillez|por favor|per favore)\s+)?"
            + _alternation(cues.all_entries(cues.CLICK_PATTERNS), literal=False),
            flags,
        ),
        consent_word=_cue_search(cues.all_entries(cues.CONSENT_WORDS), flags),
        prompts=tuple(
            (_PROMPT_KINDS[name], _cue_search(cues.all_entries(table), flags))
            for name, table in cues.PROMPT_PATTERNS.items()
        ),
    )


@dataclass(slots=True)
class BlockInfo:
    """What the source page says about a block of text."""

    link_chars: int = 0
    """Characters of the block's text (as a key) inside links."""
    text_chars: int = 0
    """Characters of the block's text (as a key)."""
    in_caption: bool = False
    """The block is (inside) a figcaption."""
    link_runs: int = 0
    """Runs of links in the block that words of prose set apart: 1 for a teaser (one
    link, or links side by side), more for prose with several links in it."""

    @property
    def link_ratio(self) -> float:
        return self.link_chars / self.text_chars if self.text_chars else 0.0


def _block_of(element: etree._Element) -> etree._Element | None:
    node: etree._Element | None = element.getparent()
    for _ in range(_MAX_ANCESTOR_HOPS):
        if node is None:
            return None
        if isinstance(node.tag, str) and node.tag in _BLOCK_TAGS:
            return node
        node = node.getparent()
    return None


def _element_text(element: etree._Element, limit: int) -> str | None:
    if not len(element):
        # No children (most links): the text is the element's own, no walk needed.
        text = element.text
        if text is None:
            return ""
        return None if len(text) > limit else text
    parts: list[str] = []
    size = 0
    for piece in element.itertext():
        size += len(piece)
        if size > limit:
            return None
        parts.append(piece)
    return "".join(parts)


def build_link_index(tree: etree._Element, within: str | None = None) -> dict[str, BlockInfo]:
    """Index the page's short blocks that hold links (and its captions) by text key.

    Each link's nearest block ancestor is measured once: the share of its text that is
    link text. Blocks longer than a few paragraphs are prose and are not indexed.

    ``within``, the text key of the extracted body, limits the work to links whose text
    appears in it: the rules only look up blocks of the body, and a block holds its
    links' text, so a link whose text is not in the body cannot matter (most links of a
    page are menus and footers, and measuring their blocks is most of the cost).
    """
    index: dict[str, BlockInfo] = {}
    # Holding the elements themselves (not their id()) keeps lxml's proxies alive, so
    # an id is never reused by another element within the loop.
    seen: set[etree._Element] = set()
    # A link's words must occur in the body as whole words, in a row. Its first and
    # last words being words of the body is a set look-up that rules out most links
    # before a search through the whole body (microseconds per link when it fails, and
    # a page has hundreds of links).
    body_words = set(within.split()) if within is not None else set()
    padded = f" {within} "
    for anchor in tree.iter("a"):
        if anchor.get("href") is None:
            # A named anchor (a jump target, "<a name=...>") is not a link: it wraps
            # prose to mark a place in the page.
            continue
        if within is not None:
            own = _element_text(anchor, _MAX_INDEXED_CHARS)
            if not own:
                continue
            words = _WORD.findall(own.lower())
            if not words or words[0] not in body_words or words[-1] not in body_words:
                continue
            if f" {' '.join(words)} " not in padded:
                continue
        block = _block_of(anchor)
        if block is None:
            text = _element_text(anchor, _MAX_INDEXED_CHARS)
            if text:
                key = text_key(text)
                if key:
                    index.setdefault(key, BlockInfo(len(key), len(key), link_runs=1))
            continue
        if block in seen:
            continue
        seen.add(block)
        text = _element_text(block, _MAX_INDEXED_CHARS)
        if not text:
            continue
        key = text_key(text)
        if not key:
            continue
        link_chars = 0
        inner_keys: list[str] = []
        # Links set apart by words of prose ("<a>Trump</a> met <a>Putin</a> in ..."):
        # an auto-linked paragraph, not one teaser link. Found in order in the key.
        runs = 0
        end = -1
        for inner in block.iter("a"):
            if inner.get("href") is None:
                continue
            inner_text = _element_text(inner, _MAX_INDEXED_CHARS)
            if inner_text:
                inner_key = text_key(inner_text)
                if not inner_key:
                    continue
                link_chars += len(inner_key) + 1
                inner_keys.append(inner_key)
                start = key.find(inner_key, max(end, 0))
                if start == -1:
                    continue
                if end == -1 or key[end:start].strip():
                    runs += 1
                end = start + len(inner_key)
        info = BlockInfo(min(link_chars, len(key)), len(key), link_runs=runs)
        previous = index.get(key)
        if previous is None or info.link_ratio > previous.link_ratio:
            index[key] = info
        # The anchor alone is also a block when trafilatura keeps only the link's text.
        for inner_key in inner_keys:
            if inner_key and inner_key not in index:
                index[inner_key] = BlockInfo(len(inner_key), len(inner_key), link_runs=1)
    for caption in tree.iter("figcaption"):
        text = _element_text(caption, _MAX_INDEXED_CHARS)
        if text and (key := text_key(text)):
            index.setdefault(key, BlockInfo()).in_caption = True
    return index


@dataclass(frozen=True, slots=True)
class CleaningContext:
    """What the rules know about the page besides its body."""

    title: str | None = None
    description: str | None = None
    links: Mapping[str, BlockInfo] | None = None
    headings: frozenset[str] = frozenset()
    """Text keys of the page's ``h1`` elements: where the page shows its headline."""


def _block_text(element: etree._Element) -> str:
    return normalize_space("".join(element.itertext()))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


class Cleaner:
    """Applies the rules to one trafilatura XML body, counting what it removes."""

    def __init__(self, context: CleaningContext, rules: CueRules | None = None) -> None:
        self.context = context
        self.rules = rules or compiled_rules()
        self.removed: Counter[str] = Counter()
        # Several rules read the same blocks: measure each once. Keys are the elements
        # themselves, which keeps their lxml proxies (and so their identity) alive.
        self._texts: dict[etree._Element, str] = {}
        self._word_counts: dict[str, int] = {}

    def text(self, element: etree._Element) -> str:
        """The block's text, whitespace normalised."""
        text = self._texts.get(element)
        if text is None:
            text = self._texts[element] = _block_text(element)
        return text

    def words(self, text: str) -> int:
        """The number of words in a text."""
        count = self._word_counts.get(text)
        if count is None:
            count = self._word_counts[text] = _words(text)
        return count

    def info(self, text: str) -> BlockInfo:
        links = self.context.links
        if not links:
            return BlockInfo()
        return links.get(text_key(text)) or BlockInfo()

    def classify(self, text: str, *, tag: str, edge: bool = False) -> str | None:
        """The kind of clutter a block is, or None for article text. ``edge``: the
        block sits at an edge of the body (among its first blocks, or after its last
        paragraph of prose), where a site's prompts are set."""
        if not text:
            return None
        words = self.words(text)
        if words == 0:
            return None
        rules = self.rules
        info = self.info(text) if words <= 60 else BlockInfo()
        key = text_key(text)
        if words <= 12 and key in rules.boilerplate_line:
            return "boilerplate"
        if words <= 12 and _DATE_OR_FILE_LINE.match(text):
            return "boilerplate"
        if words <= 80 and self._is_consent(text, words):
            return "consent"
        if words <= 30 and rules.click.search(text) and rules.embed_placeholder.search(text):
            # An embed's placeholder asking for a click to load it (no consent words).
            return "boilerplate"
        if info.in_caption and words <= 60:
            return "caption"
        if words <= 50 and rules.cta_start.search(text):
            return "call_to_action"
        if words <= 40 and rules.cta_anywhere.search(text):
            return "call_to_action"
        if words <= 40 and self._is_cue_promo(text, info):
            return "promo"
        if (
            tag == "p"
            and 4 <= words <= 25
            and info.link_ratio >= 0.8
            and info.link_runs <= 1
            and not _BARE_URL.match(text)
        ):
            # A short paragraph that is all one link: a teaser for another page. Headings
            # and list items that are links are an article's own structure (a product
            # roundup, a list of sources), a bare URL is a citation, and prose whose
            # words link to tag pages one by one is prose: all stay.
            return "promo"
        if words <= 30 and rules.caption.search(text):
            return "caption"
        if words <= 30 and rules.boilerplate.search(text):
            return "boilerplate"
        if words <= _MAX_PROMPT_WORDS:
            return self._prompt_kind(text, words, info, edge=edge)
        return None

    def _is_consent(self, text: str, words: int) -> bool:
        """A consent notice: a consent cue in a notice's voice (speaking to the reader,
        or of the site itself, or a bare label), or an embed's placeholder asking for
        consent ("To view this content, accept cookies"). A paragraph reporting on
        cookies or consent speaks of others: it stays."""
        rules = self.rules
        if rules.consent.search(text) and (words <= 6 or rules.address.search(text)):
            return True
        return (
            words <= 60 and rules.consent_word.search(text) and rules.embed_placeholder.search(text)
        )

    def _prompt_kind(self, text: str, words: int, info: BlockInfo, *, edge: bool) -> str | None:
        """A prompt the site addresses to its reader (a tip line, a follow-us line, a
        newsletter pitch, a marketing or legal notice, a log-in or paywall prompt): the
        vocabulary of one of those kinds, and the shape of a prompt besides.

        The shape is counted in signals: short; no closing full stop; a colon among
        the first words; a link; speaking to the reader or as "we"; a way to reach
        someone (e-mail, handle, phone, web address); a question. At an edge of the
        body two of them are enough, within it three: prose mentions such words too,
        but rarely in a prompt's shape."""
        if _QUOTES.search(text) or text.endswith("?"):
            # A quote, or a question standing alone (an interviewer's): a prompt
            # speaks in the site's voice and says what to do after its question.
            return None
        # The shape first: few blocks have it, and the vocabulary is the costly part.
        head = text.split(None, 5)[:5]
        signals = (
            (words <= 20)
            + (not text.endswith(_CLOSING))
            + any(w.endswith(":") for w in head)
            + (info.link_chars > 0)
            # A question, then what to do about it ("Got a story? Email us").
            + ("?" in text)
        )
        needed = 2 if edge else 3
        if signals + 2 < needed:
            return None
        signals += (_CONTACT_POINT.search(text) is not None) + (
            self.rules.address.search(text) is not None
        )
        if signals < needed:
            return None
        return next((kind for kind, search in self.rules.prompts if search.search(text)), None)

    def _is_cue_promo(self, text: str, info: BlockInfo) -> bool:
        match = self.rules.promo.match(text)
        if match is None:
            return False
        rest = text[match.end() :].strip()
        if not rest:
            # A bare cue ("Read more", "Related") standing alone is a widget label.
            return self.words(text) <= 4
        if match.group("end") and match.group("end").strip():
            return True
        # No separator: the cue must be set apart by capitals ("READ MORE Headline")
        # or be followed by a link, otherwise it is a sentence starting with "More".
        cue = match.group("cue")
        if _is_upper(cue) and not _is_upper(rest):
            return True
        return info.link_ratio >= 0.5 and info.link_runs <= 1 and self.words(cue) >= 2

    def is_related_heading(self, text: str) -> bool:
        return 0 < self.words(text) <= 8 and bool(self.rules.related_heading.match(text))

    def is_furniture_heading(self, text: str) -> bool:
        """A heading of the site's own lists only (see ``cues.FURNITURE_HEADINGS``),
        without a sentence's full stop or question mark."""
        return (
            0 < self.words(text) <= 8
            and not text.rstrip().endswith((".", "?", "!"))
            and bool(self.rules.furniture_heading.match(text))
        )

    def looks_like_link_item(self, element: etree._Element) -> bool:
        """A block that is a headline or a link: what follows a related heading.

        A list qualifies when most of its items do; a heading when it is a link (a
        teaser's headline) or heads more of the same: a heading that links nowhere and
        is followed by prose or notes opens a section of the page's own (footnotes,
        references), where the related block ends."""
        if element.tag == "list":
            items = [item for item in element if item.tag == "item"]
            return not items or 2 * sum(map(self.looks_like_link_item, items)) >= len(items)
        text = self.text(element)
        if not text:
            return True
        words = self.words(text)
        # A block of several headlines on lines of their own (broken with <lb/>) is
        # judged by its lines' length.
        lines = 1 + sum(1 for _ in element.iter("lb"))
        if words > 30 and (lines == 1 or words > 20 * lines):
            return False
        if self.info(text).link_ratio >= 0.5:
            return True
        if words > 30:
            return False
        if element.tag == "head":
            following = element.getnext()
            return following is None or (
                following.tag != "head" and self.looks_like_link_item(following)
            )
        # A headline: short, no final full stop.
        return words <= 20 and not text.endswith((".", "!", "?", ":", "”", '"'))

    def remove(self, element: etree._Element, kind: str) -> None:
        parent = element.getparent()
        if parent is None:
            return
        # Count lines, as a reader sees them: each list item of a removed list.
        count = (sum(1 for _ in element.iter("item")) or 1) if element.tag == "list" else 1
        self.removed[kind] += count
        remove_element(element)

    def clean(self, body: etree._Element) -> None:
        """Clean a trafilatura XML body in place (a body of the page's HTML, from the
        full cascade's fallbacks, goes through :func:`as_trafilatura_xml` first)."""
        self._drop_before_headline(body)
        self._strip_leading(body)
        self._drop_repeats(body)
        self._drop_headline_runs(body)
        children = list(body)
        # Index of the last paragraph of prose: lists after it are the page's furniture.
        last_prose = max(self._prose_positions(children), default=-1)
        i = 0
        while i < len(children):
            element = children[i]
            text = self.text(element)
            if element.tag in {"head", "p"} and self.is_related_heading(text):
                followers = []
                j = i + 1
                while j < len(children) and self.looks_like_link_item(children[j]):
                    followers.append(children[j])
                    j += 1
                if followers or j == len(children):
                    self.remove(element, "related")
                    for follower in followers:
                        self.remove(follower, "related")
                    i = j
                    continue
                if self.is_furniture_heading(text):
                    # Its list is gone (trafilatura dropped it): the heading alone is left
                    # between two paragraphs of the story.
                    self.remove(element, "related")
                    i += 1
                    continue
            if element.tag == "list":
                self._clean_list(element, is_last=i > last_prose)
            elif element.tag in {"p", "head", "quote"}:
                edge = i < _EDGE_BLOCKS or i > last_prose
                kind = self.classify(text, tag=element.tag, edge=edge)
                if kind:
                    self.remove(element, kind)
            i += 1
        self._clean_loose_text(body)
        self._drop_orphan_headings(body)

    def _prose_positions(self, children: list[etree._Element]) -> list[int]:
        """The positions of the paragraphs of prose (over 25 words) among *children*."""
        return [
            n
            for n, child in enumerate(children)
            if child.tag == "p" and self.words(self.text(child)) > 25
        ]

    def _drop_headline_runs(self, body: etree._Element) -> None:
        """Other stories' headlines in a row at an edge of the body (before its first
        paragraph of prose or after its last): three or more headings or short blocks,
        each a link, with no prose between them. One linked heading is a subheading
        that links somewhere; a run of them is a block of related links that lost its
        label, or kept one the cue lists do not know."""
        children = list(body)
        prose = self._prose_positions(children)
        if not prose:
            return
        for span in (range(prose[0]), range(prose[-1] + 1, len(children))):
            run: list[etree._Element] = []
            for n in [*span, None]:
                child = children[n] if n is not None else None
                if child is not None and child.tag in {"head", "p", "item"}:
                    text = self.text(child)
                    if text and self.words(text) <= 20 and self.info(text).link_ratio >= 0.8:
                        run.append(child)
                        continue
                if len(run) >= _HEADLINE_RUN:
                    for element in run:
                        self.remove(element, "related")
                run = []

    def _drop_orphan_headings(self, body: etree._Element) -> None:
        """Headings left at the end of the body, followed by nothing (or only by other
        headings): the heading of a block removed above ("Most read", "Read more"),
        or of one trafilatura did not keep. They head nothing."""
        while len(body) > 1:
            last = body[-1]
            if last.tag != "head" or (last.tail or "").strip():
                return
            text = self.text(last)
            if self.words(text) > 15:
                return
            self.remove(last, "related" if self.is_related_heading(text) else "boilerplate")

    def _clean_loose_text(self, body: etree._Element) -> None:
        """Text trafilatura left between blocks (links of a widget, mostly) is judged
        like a paragraph."""
        text = normalize_space(body.text or "")
        if text and (kind := self.classify(text, tag="p")):
            self.removed[kind] += 1
            body.text = None
        for child in body:
            text = normalize_space(child.tail or "")
            if text and (kind := self.classify(text, tag="p")):
                self.removed[kind] += 1
                child.tail = None

    def _clean_list(self, element: etree._Element, *, is_last: bool) -> None:
        items = [item for item in element if item.tag == "item"]
        texts = [self.text(item) for item in items]
        # A list of nothing but links after the article's last paragraph is a block of
        # related headlines that lost its heading.
        if is_last and len(items) >= 2 and all(t and self.info(t).link_ratio >= 0.8 for t in texts):
            self.remove(element, "related")
            return
        for item, text in zip(items, texts, strict=True):
            kind = self.classify(text, tag="item")
            if kind:
                self.remove(item, kind)
        if len(element) == 0 and not (element.text or "").strip():
            remove_element(element)

    def _drop_before_headline(self, body: etree._Element) -> None:
        """When the headline appears as a heading a few blocks into the body, what
        precedes it is another page element (a teaser, a date line), not the article."""
        title_key = text_key(self.context.title or "")
        if len(title_key) < 15:
            return
        children = list(body)
        for position, element in enumerate(children[1:6], start=1):
            if element.tag != "head" or text_key(self.text(element)) != title_key:
                continue
            before = children[:position]
            if any(text_key(self.text(e)) == title_key for e in before):
                # The headline stood first already: this is the site reusing it as a
                # subheading, and what lies between is the article.
                return
            if element.get("rend") != "h1" and title_key in self.context.headings:
                # The page shows its headline as an h1 outside the body: this lesser
                # heading repeats it as a subheading, and what comes before it is the
                # article's lead (a teaser's heading is the page's headline only when
                # the page shows it nowhere else).
                return
            words_before = sum(self.words(self.text(e)) for e in before)
            words_total = sum(self.words(self.text(e)) for e in children)
            if words_before * 3 <= words_total:
                for earlier in before:
                    self.remove(earlier, "boilerplate")
            return

    def _drop_repeats(self, body: etree._Element) -> None:
        """A paragraph printed twice in a row (a page's desktop and mobile copies), or a
        lead paragraph printed again (a teaser, then the article): keep the first.

        A repeat with other text between is the article's own structure (an interview
        asking each guest the same question, a meal plan listing a meal twice): it
        stays."""
        seen: dict[str, int] = {}
        previous_key = ""
        for position, element in enumerate(list(body)):
            if element.tag not in {"p", "head", "quote"}:
                previous_key = ""
                continue
            key = text_key(self.text(element))
            if key.count(" ") < 19:
                previous_key = key
                continue
            first = seen.get(key)
            if key == previous_key or (first is not None and first < _LEAD_BLOCKS):
                self.remove(element, "boilerplate")
                continue
            seen.setdefault(key, position)
            previous_key = key

    def _strip_leading(self, body: etree._Element) -> None:
        """Drop the headline (and a standfirst set as a heading) repeated atop the body."""
        title_key = text_key(self.context.title or "")
        description_key = text_key(self.context.description or "")
        saw_title = False
        for element in list(body)[:3]:
            if element.tag not in {"head", "p"}:
                break
            key = text_key(self.text(element))
            if not key:
                continue
            if title_key and (
                key == title_key
                or (len(key) > 20 and title_key.startswith(key))
                # The headline with a suffix ("Headline | Site"), not a paragraph that
                # opens with the headline's words (a page whose title is its first line).
                or (
                    len(title_key) > 20
                    and key.startswith(title_key)
                    and len(key) <= 2 * len(title_key)
                )
            ):
                self.remove(element, "boilerplate")
                saw_title = True
                continue
            if (
                element.tag == "head"
                and (saw_title or (description_key and key == description_key))
                and description_key
                and (key == description_key or description_key.startswith(key))
                and (saw_title or self._printed_again(body, element, key))
            ):
                # The page's header reprinted atop the body (the headline, then its
                # summary, both in the record's own fields), or a teaser printed twice
                # (as a heading, then as the lead): the copy goes. Standing alone and
                # printed once, the standfirst is the article's own text, even when
                # the page's description repeats it.
                self.remove(element, "boilerplate")
                continue
            break

    def _printed_again(self, body: etree._Element, element: etree._Element, key: str) -> bool:
        """Whether another block of the body holds the text of ``element`` (by key)."""
        padded = f" {key} "
        for other in body:
            if other is not element and padded in f" {text_key(self.text(other))} ":
                return True
        return False


def clean_body(body: etree._Element, context: CleaningContext) -> dict[str, int]:
    """Clean a trafilatura XML body in place; return the count of blocks removed per
    kind."""
    cleaner = Cleaner(context)
    cleaner.clean(body)
    return {kind: cleaner.removed[kind] for kind in REMOVED_KINDS if cleaner.removed[kind]}


# The elements of trafilatura's XML output. A body from its fallback extractors
# (readability, jusText) can hold the page's own HTML instead: wrapper divs, h2, ul, li.
_XML_TAGS = frozenset(
    {"p", "head", "list", "item", "quote", "table", "row", "cell", "code", "graphic", "hi"}
    | {"lb", "ref", "del", "note", "label"}
)
_HTML_TO_XML = {
    "h1": "head",
    "h2": "head",
    "h3": "head",
    "h4": "head",
    "h5": "head",
    "h6": "head",
    "ul": "list",
    "ol": "list",
    "dl": "list",
    "li": "item",
    "dt": "item",
    "dd": "item",
    "blockquote": "quote",
    "pre": "code",
    "tr": "row",
    "td": "cell",
    "th": "cell",
    "br": "lb",
    "figcaption": "p",
}
_HTML_INLINE = (
    "a",
    "span",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "small",
    "font",
    "sup",
    "sub",
    "abbr",
    "time",
    "mark",
    "cite",
    "q",
    "tbody",
    "thead",
)
_HTML_WRAPPERS = ("div", "section", "article", "main", "figure", "header", "center")
_XML_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "code", "div"})


def as_trafilatura_xml(body: etree._Element) -> None:
    """Give a body that holds the page's HTML (from trafilatura's fallbacks) the shape
    of its XML output, so that the rules see its blocks: headings, lists and items by
    their XML names, inline markup dropped (its text kept), wrappers unwrapped. A body
    already in that shape is left as it is."""
    if all(
        element.tag in _XML_TAGS
        for element in body.iterdescendants()
        if isinstance(element.tag, str)
    ):
        return
    for element in body.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        renamed = _HTML_TO_XML.get(element.tag)
        if renamed is not None:
            if renamed == "head":
                element.set("rend", element.tag)
            element.tag = renamed
    etree.strip_tags(body, *_HTML_INLINE)
    # Wrappers, innermost first: one holding blocks only is unwrapped, one holding
    # text only is a paragraph, one holding both stays a block of its own.
    for wrapper in reversed(list(body.iterdescendants(*_HTML_WRAPPERS))):
        has_text = bool((wrapper.text or "").strip()) or any(
            (child.tail or "").strip() for child in wrapper
        )
        has_blocks = any(child.tag in _XML_BLOCKS for child in wrapper)
        if not has_blocks:
            wrapper.tag = "p"
        elif not has_text:
            _unwrap(wrapper)
        else:
            wrapper.tag = "div"


def _unwrap(element: etree._Element) -> None:
    """Put an element's children in its place (it holds no text of its own)."""
    parent = element.getparent()
    if parent is None:
        return
    position = parent.index(element)
    children = list(element)
    tail = element.tail
    for offset, child in enumerate(children):
        parent.insert(position + offset, child)
    parent.remove(element)
    if tail and tail.strip():
        last = children[-1] if children else None
        if last is not None:
            last.tail = (last.tail or "") + tail
        elif position > 0:
            previous = parent[position - 1]
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


_TEXT_BLOCKS = frozenset(
    {
        "p",
        "head",
        "item",
        "quote",
        "list",
        "table",
        "row",
        "code",
        "div",
        "graphic",
        "note",
        "body",
        "doc",
        "main",
        "comments",
    }
)


def body_to_text(body: etree._Element) -> str:
    """Render a cleaned body as text: one block a paragraph, a blank line between
    paragraphs, whitespace normalised within each.

    Walks the tree without recursion (a hostile page can nest thousands deep); text
    loose between blocks (trafilatura leaves some in tails) becomes its own paragraph,
    and a ``<lb/>`` inside a paragraph is a line break the author meant.
    """
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = normalize_space("".join(buffer))
        buffer.clear()
        if line:
            paragraphs.append(line)

    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag in _TEXT_BLOCKS or tag == "lb":
                flush()
            elif tag == "cell" and buffer:
                buffer.append(" ")
            if element.text and tag != "lb":
                buffer.append(element.text)
        else:
            if tag in _TEXT_BLOCKS:
                flush()
            if element.tail and element is not body:
                buffer.append(element.tail)
    flush()
    return "\n\n".join(paragraphs)


def remove_element(element: etree._Element) -> None:
    """Remove an element from its tree, keeping the text that follows it (its tail),
    which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
