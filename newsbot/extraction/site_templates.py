"""A site's own boilerplate, learned from its articles: the lines that recur inside the
bodies of most of a site's articles are its template, not the article.

Pure functions and plain data: no Scrapy, no I/O. The memory of what was seen (a count
of distinct articles per block and per site) lives in a store
(:mod:`newsbot.state.template_memory`); this module says what a block is, which articles
teach, and which blocks of a text are template.

* A **block** is one line of a record's ``text`` (a paragraph, or a line of a list),
  keyed by a hash of its normalised words. A short line made of a fixed lead phrase, a
  separator and a changing headline ("Elsewhere on the coast: Harbour bridge shut") has
  a second key, its lead, so that it recurs even though its headline never does.
* A block is **template** when it was seen in at least ``min_articles`` distinct
  articles of the site *and* in at least ``min_share`` of the site's articles seen
  since it first appeared: boilerplate is on most of a site's articles; a quote two
  articles share, or a formula some of them carry ("X did not respond to a request for
  comment."), is not.
* An article **teaches** (its blocks are counted) only when its own text is new to the
  site: a syndicated copy or a second fetch of one story shares its longest
  paragraphs with an article already seen, and would count the story's own lines twice.
* Removal never takes a block that is most of the article's words, nor more than half
  of them in all (the cleaning rules' own bound).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

KIND = "template"
"""The kind template lines are counted as in a record's ``removed``."""

MAX_BLOCK_CHARS = 600
"""Longer lines are prose, never template (a standing disclaimer fits below this)."""
SAMPLE_CHARS = 160
"""How much of a block's text the memory keeps, to show it (``newsbot templates``)."""
_LEAD_MAX_WORDS = 8
_LEAD_LINE_MAX_WORDS = 25
# Blocks of at least this many words say what an article is about: the longest of them
# tell a copy of an article already seen.
_CONTENT_WORDS = 12
_CONTENT_BLOCKS = 3

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
# A fixed lead, a separator, a changing rest: "Elsewhere on the coast: <headline>",
# "MORE FROM US | <headline>", "Podcast - <title>".
_LEAD_LINE = re.compile(r"^(?P<lead>[^:|»›–—\n]{2,60}?)\s*(?::|\||»|›|\s[-–—]\s)\s*(?P<rest>\S.*)$")
_QUOTE_MARKS = frozenset("\"“”„«»‘’'")


@dataclass(frozen=True, slots=True)
class TemplateRules:
    """When a block is template. The defaults are the crawl settings' defaults."""

    min_articles: int = 5
    """Distinct articles of the site a block must have been seen in
    (``NEWSBOT_TEMPLATES_MIN_ARTICLES``)."""
    min_share: float = 0.5
    """Share of the site's articles seen since the block first appeared that carry it
    (``NEWSBOT_TEMPLATES_MIN_SHARE``)."""


@dataclass(frozen=True, slots=True)
class BlockStats:
    """What the memory knows of one block of one site."""

    count: int
    """Distinct (teaching) articles of the site the block was seen in."""
    first_n: int
    """The site's article count when the block was first seen (1 for its first)."""
    last_seen: float = 0.0
    """Unix time it was last seen."""
    sample: str = ""
    """The block's text as first seen (cut at :data:`SAMPLE_CHARS`)."""


@dataclass(frozen=True, slots=True)
class Block:
    """One line of a text."""

    line: str
    words: int
    keys: tuple[str, ...]
    """The exact key, then the lead key for a lead line."""


def normalise(text: str) -> str:
    """Lower-case words of *text* joined by single spaces: what two copies of one
    template line share whatever their punctuation, case or spacing."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _key(kind: str, normalised: str) -> str:
    return kind + hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).hexdigest()


def _lead(line: str, words: int) -> str | None:
    """The fixed lead of a lead line, normalised, or None. Only short lines whose rest
    reads as a headline: no quotation marks (``He said: "..."`` is a quote), no closing
    full stop (``LONDON - The council said ...`` is a dateline before a sentence)."""
    if words > _LEAD_LINE_MAX_WORDS or ":" not in line and not _has_separator(line):
        return None
    match = _LEAD_LINE.match(line)
    if match is None:
        return None
    rest = match["rest"].rstrip()
    if rest.endswith((".", "…")) or _QUOTE_MARKS.intersection(line):
        return None
    lead = normalise(match["lead"])
    if not lead or len(lead.split()) > _LEAD_MAX_WORDS:
        return None
    return lead


def _has_separator(line: str) -> bool:
    return any(sep in line for sep in ("|", "»", "›", " - ", " – ", " — "))


def split_blocks(text: str | None) -> list[Block]:
    """The blocks of a record's text, in order (blank lines are no blocks)."""
    blocks: list[Block] = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped or len(stripped) > MAX_BLOCK_CHARS:
            blocks.append(Block(line=line, words=len(_WORD.findall(line)), keys=()))
            continue
        normalised = normalise(stripped)
        words = len(normalised.split())
        if not normalised:
            blocks.append(Block(line=line, words=0, keys=()))
            continue
        keys = [_key("b", normalised)]
        lead = _lead(stripped, words)
        if lead is not None:
            keys.append(_key("l", lead))
        blocks.append(Block(line=line, words=words, keys=tuple(keys)))
    return blocks


def samples(blocks: Iterable[Block]) -> dict[str, str]:
    """Key -> the text to show for it: the line, or the lead and a placeholder."""
    found: dict[str, str] = {}
    for block in blocks:
        for key in block.keys:
            if key in found:
                continue
            if key.startswith("l"):
                match = _LEAD_LINE.match(block.line.strip())
                found[key] = (match["lead"].strip() if match else block.line.strip()) + ": …"
            else:
                found[key] = block.line.strip()[:SAMPLE_CHARS]
    return found


def is_template(stats: BlockStats | None, site_articles: int, rules: TemplateRules) -> bool:
    """Whether a block with these *stats* is template on a site whose memory has seen
    *site_articles* teaching articles."""
    if stats is None or stats.count < rules.min_articles:
        return False
    window = max(site_articles - stats.first_n + 1, 1)
    # The window starts at the block's first sighting, which flatters its share: the
    # share is taken without it, and over no fewer than 2k articles, so that a formula
    # on a quarter of a site's articles that happens to cluster is not taken for the
    # site's frame (a sweep over made-up sites: README, "Site templates").
    return stats.count - 1 >= rules.min_share * max(window - 1, 1) and (
        stats.count >= rules.min_share * max(window, 2 * rules.min_articles)
    )


def teaching_keys(
    blocks: list[Block],
    known: Mapping[str, BlockStats],
    site_articles: int,
    rules: TemplateRules,
) -> list[str]:
    """The keys an article adds to its site's memory: none when it is a copy of an
    article already seen (two of its three longest non-template blocks known, or its
    only one), else every key of its blocks but a block that is most of its text."""
    total = sum(b.words for b in blocks)
    content = sorted(
        (
            b
            for b in blocks
            if b.words >= _CONTENT_WORDS
            and b.keys
            and not any(is_template(known.get(k), site_articles, rules) for k in b.keys)
        ),
        key=lambda b: -b.words,
    )[:_CONTENT_BLOCKS]
    if content:
        seen = sum(1 for b in content if b.keys[0] in known)
        if seen * 2 > len(content) or (len(content) == 1 and seen == 1):
            return []
    keys: dict[str, None] = {}
    for block in blocks:
        if block.words * 2 > total:
            continue
        for key in block.keys:
            keys[key] = None
    return list(keys)


@dataclass(frozen=True, slots=True)
class Removal:
    """A text with its template lines removed."""

    text: str | None
    removed: int
    """How many lines went."""
    lines: tuple[str, ...] = ()
    """The lines removed, as they were."""


def remove_template(
    text: str | None,
    blocks: list[Block],
    known: Mapping[str, BlockStats],
    site_articles: int,
    rules: TemplateRules,
) -> Removal:
    """Remove from *text* (whose blocks are *blocks*) the lines that are template for
    a site whose memory is *known* and has seen *site_articles* articles."""
    if not text or not blocks:
        return Removal(text, 0)
    total = sum(b.words for b in blocks)
    doomed = [
        b.words * 2 <= total
        and any(is_template(known.get(k), site_articles, rules) for k in b.keys)
        for b in blocks
    ]
    if not any(doomed):
        return Removal(text, 0)
    gone = sum(b.words for b, d in zip(blocks, doomed, strict=True) if d)
    if gone * 2 > total:
        # More than half the words "template": the memory has taken the article for
        # its site's frame (a page that is all standing text). Keep it whole.
        return Removal(text, 0)
    kept: list[str] = []
    for block, drop in zip(blocks, doomed, strict=True):
        if not drop:
            kept.append(block.line)
    # Removing a paragraph leaves two blank lines together: one blank line between
    # paragraphs, none at either end.
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    lines = tuple(b.line.strip() for b, d in zip(blocks, doomed, strict=True) if d)
    return Removal(joined or None, len(lines), lines)


@functools.cache
def _domains() -> Any:
    import tldextract

    # The public suffix list bundled with tldextract: never fetched, never cached on
    # disk.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def site_of(url: str | None) -> str:
    """The site a page belongs to, whose template it shares: the registered domain of
    its host (``news.example.co.uk`` -> ``example.co.uk``), the host itself for an IP
    address or a single-label name, the folder of a ``file:`` URL; "" when none."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return "file:" + parts.path.rsplit("/", 1)[0]
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return ""
    found = _domains()(host)
    # tldextract 5.2 renamed registered_domain (the old name warns); both are "" for an
    # IP address or a single-label host.
    if hasattr(found, "top_domain_under_public_suffix"):
        domain = found.top_domain_under_public_suffix
    else:
        domain = found.registered_domain
    return str(domain or host)
