"""Synthetic news article pages for the benchmark.

Each page is what a news site serves: 100-170 KB, most of it boilerplate (a large
menu, inline styles and scripts, an ad and analytics configuration, a cookie banner,
teasers of related stories, comments, a long footer) around an article of 500-1,500
words. Every page's text is different (drawn from a seeded random generator by page
number), so the crawl's text de-duplication keeps them all and no cache helps.
"""

from __future__ import annotations

import gzip
import json
import random
from html import escape
from pathlib import Path


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SYLLABLES = _split(
    "ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko la le li lo lu ma "
    "me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to "
    "tu va ve vi vo za ze an en in on ar er or al el il st tr pr gr nd nt rs"
)
_COMMON = _split(
    "the of and to in a is that for on was with as by at from it his said has have "
    "be are not this but had they which were been their one who would will more "
    "after also new than first two year people government minister city police "
    "council report week years time officials told state national public health "
    "million percent company market plan local workers school court law vote"
)
_SECTIONS = _split(
    "World Politics Business Economy Markets Technology Science Health Sport Football "
    "Culture Books Music Film Travel Food Opinion Climate Education Cities Weather"
)
_SLUG_WORDS = _COMMON + _split(
    "budget storm talks strike vote rates prices election court trial summit rescue "
    "season final record deal merger report study warning plan reform protest"
)
_NAMES = _split(
    "Anna Ben Clara David Elena Farid Greta Hugo Ines Jonas Karin Luis Maya Nils Olga "
    "Pavel Rosa Samir Tara Umar Vera Walter Yuki Zoe"
)
_SURNAMES = _split(
    "Adler Berg Costa Dahl Evans Fischer Garcia Hansen Ivanova Jensen Kowalski Larsen "
    "Moreau Novak Olsen Petrov Quinn Rossi Schmidt Tanaka Ueda Vogel Weber Young"
)


def article_path(n: int) -> str:
    """The URL path of page *n*, shaped like a news site's: section, date, a slug of
    words, an id (so no two pages share a path shape, as on a real site)."""
    rng = random.Random(n)
    slug = "-".join(rng.choice(_SLUG_WORDS) for _ in range(rng.randint(3, 6)))
    section = _SECTIONS[n % len(_SECTIONS)].lower()
    return f"/{section}/2025/{1 + n % 12:02d}/{slug}-{n}.html"


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


class PageMaker:
    """Makes page number *n* of a synthetic news site, the same bytes every time."""

    def __init__(self, seed: int = 2026):
        rng = random.Random(seed)
        self.seed = seed
        self.vocabulary = _vocabulary(rng)
        # Boilerplate shared by every page of the site, as on a real one.
        self.style = "\n".join(
            f".c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}em;color:#{i * 2654435761 % 0xFFFFFF:06x}}}"
            for i in range(900)
        )
        self.menu = self._menu(rng)
        self.footer = self._footer(rng)
        self.ad_config = json.dumps(
            {
                "slots": [
                    {"id": f"ad-{i}", "sizes": [[300, 250], [728, 90]], "targeting": {"k": i}}
                    for i in range(120)
                ],
                "consent": {"vendors": list(range(400))},
            }
        )

    def _words(self, rng: random.Random, n: int) -> str:
        vocabulary = self.vocabulary
        return " ".join(
            rng.choice(_COMMON) if rng.random() < 0.45 else rng.choice(vocabulary) for _ in range(n)
        )

    def _sentence(self, rng: random.Random) -> str:
        text = self._words(rng, rng.randint(8, 26))
        return text[:1].upper() + text[1:] + rng.choice((".", ".", ".", "?", ","))

    def _menu(self, rng: random.Random) -> str:
        items = []
        for section in _SECTIONS:
            subs = "".join(
                f'<li class="nav-sub"><a href="/{section.lower()}/{self._words(rng, 1)}">'
                f"{self._words(rng, 2).title()}</a></li>"
                for _ in range(rng.randint(4, 9))
            )
            items.append(
                f'<li class="nav-item"><a href="/{section.lower()}/">{section}</a>'
                f'<ul class="nav-subs">{subs}</ul></li>'
            )
        return f'<nav class="site-nav" aria-label="Sections"><ul>{"".join(items)}</ul></nav>'

    def _footer(self, rng: random.Random) -> str:
        columns = []
        for title in ("About us", "Sections", "Services", "Legal", "Follow us"):
            links = "".join(
                f'<li><a href="/{self._words(rng, 1)}/">{self._words(rng, 2).title()}</a></li>'
                for _ in range(30)
            )
            columns.append(f'<div class="footer-col"><h4>{title}</h4><ul>{links}</ul></div>')
        return (
            f'<footer class="site-footer">{"".join(columns)}'
            "<p>&copy; 2026 The Daily Bench. All rights reserved. Reproduction without "
            "permission is prohibited.</p></footer>"
        )

    def _teasers(self, rng: random.Random, n: int, with_summary: bool) -> str:
        items = []
        for _ in range(n):
            section = rng.choice(_SECTIONS)
            headline = self._sentence(rng).rstrip(".?,")
            summary = f"<p>{escape(self._sentence(rng))}</p>" if with_summary else ""
            items.append(
                f'<li class="teaser"><a href="/{section.lower()}/{rng.randrange(10**7)}.html">'
                f'<img src="/img/{rng.randrange(10**6)}.jpg" alt="" loading="lazy">'
                f'<span class="kicker">{section}</span><h3>{escape(headline)}</h3></a>'
                f"{summary}</li>"
            )
        return "".join(items)

    def page(self, n: int) -> bytes:
        """The HTML of page *n*, UTF-8."""
        rng = random.Random(self.seed * 1_000_003 + n)
        section = rng.choice(_SECTIONS)
        title = self._sentence(rng).rstrip(".?,")
        author = f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}"
        day = 1 + n % 28
        published = f"2025-{1 + n % 12:02d}-{day:02d}T{n % 24:02d}:{n % 60:02d}:00+00:00"
        url = article_path(n)
        description = self._sentence(rng)
        paragraphs = []
        for i in range(rng.randint(12, 30)):
            text = " ".join(self._sentence(rng) for _ in range(rng.randint(2, 5)))
            paragraphs.append(f"<p>{escape(text)}</p>")
            if i == 3:
                paragraphs.append(
                    '<aside class="newsletter"><h4>Get the morning briefing</h4>'
                    '<form action="/subscribe"><input type="email" name="email">'
                    "<button>Sign up</button></form></aside>"
                )
            if i % 6 == 5:
                other = self._sentence(rng).rstrip(".?,")
                paragraphs.append(
                    f'<p class="read-more"><strong>Read more:</strong> '
                    f'<a href="/{section.lower()}/{rng.randrange(10**7)}.html">{escape(other)}</a></p>'
                )
        comments = "".join(
            f'<li class="comment"><span class="user">{rng.choice(_NAMES).lower()}{rng.randrange(999)}'
            f"</span><p>{escape(self._sentence(rng))}</p></li>"
            for _ in range(rng.randint(3, 12))
        )
        tracking = json.dumps(
            {
                "page": {"id": n, "section": section, "words": rng.randrange(2000)},
                "experiments": {self._words(rng, 1): rng.random() for _ in range(60)},
                "history": [self._words(rng, 3) for _ in range(400)],
            }
        )
        json_ld = json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": title,
                "datePublished": published,
                "author": {"@type": "Person", "name": author},
                "publisher": {"@type": "Organization", "name": "The Daily Bench"},
                "articleSection": section,
            }
        )
        html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | The Daily Bench</title>
<meta name="description" content="{escape(description)}">
<meta property="og:type" content="article"><meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="The Daily Bench">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{json_ld}</script>
<style>{self.style}</style>
<script>window.__ADS__={self.ad_config};</script>
<script>window.__STATE__={tracking};</script>
</head><body class="article-page">
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience and
to show you personalised advertising. By continuing you accept our cookie policy.</p>
<button>Accept all</button><button>Settings</button></div>
<header class="site-header"><a class="logo" href="/">The Daily Bench</a>
<form class="search" action="/search"><input name="q"><button>Search</button></form>
{self.menu}</header>
<div class="ad ad-top" id="ad-top"></div>
<main><ol class="breadcrumb"><li><a href="/">Home</a></li>
<li><a href="/{section.lower()}/">{section}</a></li></ol>
<article class="story">
<h1>{escape(title)}</h1>
<p class="byline">By <a rel="author" href="/authors/{author.lower().replace(" ", "-")}">{author}</a>
<time datetime="{published}">{published[:10]}</time></p>
<figure><img src="/img/{n}.jpg" alt=""><figcaption>{escape(self._sentence(rng))}</figcaption></figure>
<div class="story-body">{"".join(paragraphs)}</div>
<ul class="share"><li><a href="#">Share on social</a></li><li><a href="#">E-mail</a></li></ul>
</article>
<section class="comments"><h2>Comments</h2><ol>{comments}</ol></section>
<section class="related"><h2>More from {section}</h2><ul>{self._teasers(rng, 24, True)}</ul></section>
</main>
<aside class="most-read"><h2>Most read</h2><ol>{self._teasers(rng, 20, False)}</ol></aside>
<div class="ad ad-bottom" id="ad-bottom"></div>
{self.footer}
<script>(function(){{var s=document.createElement('script');s.src='/static/app.js';document.body.appendChild(s);}})();</script>
</body></html>
"""
        return html.encode("utf-8")


def write_pages(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    """Write pages 0..count-1 as ``<n>.html.gz`` (gzip level 1: quick to write, and
    served as is to a client that accepts gzip, as news sites do)."""
    folder.mkdir(parents=True, exist_ok=True)
    maker = PageMaker(seed)
    paths = []
    for n in range(count):
        path = folder / f"{n}.html.gz"
        path.write_bytes(gzip.compress(maker.page(n), compresslevel=1, mtime=0))
        paths.append(path)
    return paths
