"""A made-up coastal paper, the Gullhaven Ledger, whose article pages carry its own
boilerplate inside the body, in words no cue list holds (modelled on the tabloid page
of shared/examples, where promo and sign-up lines sit between the paragraphs):

* three standing lines: the Sunday bulletin, a tip-line notice, a fact-check note;
* one line with a fixed lead and a changing link: "Elsewhere on the coast: <a>...</a>";

and some real text that recurs without being template: a quote two articles share,
a one-sentence formula a few of them carry.

(No tests here: pytest collects the module and finds none.)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from newsbot.demo.server import DemoServer

TEMPLATE_LINES = (
    "Tidewatch Sunday comes folded inside the harbour almanac, with the first ferry.",
    "Seen something odd along the quay? The night desk keeps a lantern lit at 14 Rope Walk.",
    "Every piece in the Ledger is checked twice by the Gullhaven copy circle before the tide turns.",
)
LEAD = "Elsewhere on the coast"
QUOTE = (
    '"We will not let the harbour wall crumble while I am mayor," Ines Farrow told '
    "a crowd of fishermen and shopkeepers gathered at the quayside on Tuesday evening."
)
QUOTE_ARTICLES = (7, 23)
FORMULA = "The harbour authority did not respond to a request for comment."
FORMULA_ARTICLES = (4, 11, 19, 28, 33, 38, 44)

_NAMES = ["Ines Farrow", "Tomas Quill", "Maren Holt", "Oskar Brandt", "Lene Vik", "Pavel Rook"]
_PLACES = ["Gullhaven", "Saltmere", "Kittiwake Point", "Brennock", "Foxholm", "Low Tarrow"]
_THINGS = [
    "ferry timetable",
    "lifeboat station",
    "fish market",
    "sea wall",
    "lighthouse keepers",
    "harbour dues",
    "cannery",
    "tide gauge",
    "coastal path",
    "boatyard",
    "oyster beds",
    "ropewalk",
]
_VERBS = [
    "agreed",
    "postponed",
    "questioned",
    "approved",
    "rejected",
    "reviewed",
    "welcomed",
    "opposed",
    "funded",
    "inspected",
]
_EXTRA = [
    "after a long winter of storms",
    "before the summer visitors arrive",
    "despite objections from residents",
    "following a survey of the harbour floor",
    "at a packed meeting in the town hall",
    "for the third year running",
    "with help from volunteers",
    "as costs kept rising",
]


def headline(number: int) -> str:
    rng = random.Random(number * 7919)
    return (
        f"{rng.choice(_PLACES)} {rng.choice(_THINGS)} {rng.choice(_VERBS)} "
        f"as {rng.choice(_NAMES).split()[0]} speaks out (no. {number})"
    )


def story(number: int) -> list[str]:
    """The article's own paragraphs: distinct prose, 5 to 8 paragraphs."""
    rng = random.Random(number)
    paragraphs = []
    for index in range(rng.randint(5, 8)):
        sentences = []
        for _ in range(rng.randint(2, 3)):
            sentences.append(
                f"{rng.choice(_NAMES)} of {rng.choice(_PLACES)} said the {rng.choice(_THINGS)} "
                f"was {rng.choice(_VERBS)} {rng.choice(_EXTRA)}, and the {rng.choice(_THINGS)} "
                f"would be {rng.choice(_VERBS)} in turn (case {number}-{index}-{len(sentences)})."
            )
        paragraphs.append(" ".join(sentences))
    if number in QUOTE_ARTICLES:
        paragraphs.insert(2, QUOTE)
    if number in FORMULA_ARTICLES:
        paragraphs.append(FORMULA)
    return paragraphs


def page(number: int, *, template: bool = True) -> str:
    paragraphs = story(number)
    body = [f"<p>{p}</p>" for p in paragraphs]
    if template:
        other = number % 40 + 1
        body.insert(2, f"<p><em>{TEMPLATE_LINES[0]}</em></p>")
        body.insert(
            4,
            f'<p><strong>{LEAD}:</strong> <a href="/news/{other:03d}.html">'
            f"{headline(other)}</a></p>",
        )
        body.insert(len(body) - 1, f"<p>{TEMPLATE_LINES[1]}</p>")
        body.append(f"<p><small>{TEMPLATE_LINES[2]}</small></p>")
    title = headline(number)
    day = 1 + number % 28
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Gullhaven Ledger</title>
<meta property="og:type" content="article"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="2025-04-{day:02d}T07:30:00+01:00">
</head><body>
<header><nav><a href="/">Front page</a> <a href="/harbour/">Harbour</a></nav></header>
<main><article><h1>{title}</h1>
<p class="byline">By {_NAMES[number % len(_NAMES)]}</p>
{"".join(body)}
</article></main>
<footer><p>The Gullhaven Ledger, Rope Walk, Gullhaven</p></footer>
</body></html>"""


@dataclass
class LedgerSite:
    """The site on a :class:`DemoServer`: articles at ``/news/NNN.html``, a Google
    News sitemap at ``/news-sitemap.xml`` listing them, robots.txt pointing to it."""

    server: DemoServer
    numbers: list[int] = field(default_factory=list)

    def add(self, numbers: range | list[int]) -> None:
        for number in numbers:
            self.server.add_page(f"/news/{number:03d}.html", page(number))
            self.numbers.append(number)
        entries = "".join(
            f"<url><loc>{self.server.url_for(f'/news/{n:03d}.html')}</loc><news:news>"
            "<news:publication><news:name>The Gullhaven Ledger</news:name>"
            "<news:language>en</news:language></news:publication>"
            f"<news:publication_date>2025-04-{1 + n % 28:02d}T07:30:00+01:00"
            f"</news:publication_date><news:title>{headline(n)}</news:title>"
            "</news:news></url>"
            for n in self.numbers
        )
        self.server.add_page(
            "/news-sitemap.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{entries}</urlset>",
            "application/xml",
        )
        self.server.add_page(
            "/robots.txt",
            f"User-agent: *\nAllow: /\nSitemap: {self.server.url_for('/news-sitemap.xml')}\n",
            "text/plain",
        )
