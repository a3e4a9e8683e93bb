"""The one "is this an article?" classifier (``newsbot/extraction/pagekind.py``), asked
both ways on made-up pages: by the spiders on the raw page (``classify_page``) and by
extraction for the record (``extract_article(...).is_article``, what ``require_article``
and ``--articles-only`` keep). The two must agree."""

from __future__ import annotations

import pytest

from newsbot.extraction import extract_article
from newsbot.extraction.pagekind import PageEvidence, classify, classify_page

SENTENCES = (
    "The harbour bridge will close for eight weeks from Monday while engineers replace "
    "the worn bearings under its eastern span.",
    "Council officers said the work had been planned for two years and could not wait "
    "for the quieter winter months any longer.",
    "Buses will run every ten minutes between the two ends of the bridge, and the ferry "
    "will add a late crossing on Fridays and Saturdays.",
    "Shop owners on the quay told this newspaper they feared a quiet summer, although "
    "several said the repairs were overdue.",
    "The last major repair, in 1998, took twice as long as planned after divers found "
    "cracks in two of the piers.",
    "This time the contractor has surveyed every pier in advance and keeps a spare crew "
    "on standby for anything it has missed.",
    "Cyclists and walkers may still cross on the northern footway, which stays open "
    "except on two weekends in the middle of the work.",
    "Emergency services have agreed a route through the old dock gates, and an "
    "ambulance will be stationed on the island side at night.",
    "The council expects the bill to come in just under four million pounds, most of it "
    "met by a grant from the transport fund.",
    "Residents can follow the progress of the work on a page the council updates every "
    "Friday afternoon with photographs.",
    "A public meeting about the closure is planned for Thursday evening in the library "
    "on the high street, and all are welcome.",
    "Engineers say the new bearings should last another forty years with little more "
    "than a yearly inspection and fresh grease.",
)


def paragraph(number: int) -> str:
    # About 40 words; six different ones.
    return f"{SENTENCES[2 * number % 12]} {SENTENCES[(2 * number + 1) % 12]}"


def page(head: str, main: str) -> str:
    nav = "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in ("local", "world", "sport"))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>{head}</head><body>"
        f"<header><nav><ul>{nav}</ul></nav></header><main>{main}</main>"
        "<footer><p><a href='/about'>About us</a> <a href='/contact'>Contact</a></p></footer>"
        "</body></html>"
    )


def both_ways(html: str, url: str) -> tuple[bool, bool]:
    """(the spider's verdict on the raw page, extraction's verdict for the record)."""
    return classify_page(html, url).is_article, extract_article(html, url).is_article


# No JSON-LD, no og:type, a URL of no telling shape: the prose must decide.
URL = "https://news.example/local/story"

ARTICLE = page(
    "<title>Harbour bridge to close</title>",
    "<article><h1>Harbour bridge to close for eight weeks</h1>"
    + "".join(f"<p>{paragraph(i)}</p>" for i in range(6))
    + "</article>",
)

INDEX = page(
    "<title>Local news</title>",
    "<h1>Local news</h1><ul>"
    + "".join(
        f'<li><h2><a href="/local/story-{i}">Harbour story number {i} of the week</a></h2>'
        f"<p>{SENTENCES[i % 12].split(',')[0]}.</p></li>"
        for i in range(20)
    )
    + "</ul>",
)


def test_an_article_page_is_an_article_both_ways():
    assert both_ways(ARTICLE, URL) == (True, True)


def test_an_index_page_is_not_an_article_either_way():
    assert both_ways(INDEX, URL) == (False, False)


def test_a_declared_collection_is_not_an_article_whatever_its_teasers_hold():
    # Where the two heuristics used to disagree: the spider let three long teasers
    # outweigh the declaration, extraction did not. The markup's claim is explicit.
    teasers = "".join(
        f'<h2><a href="/local/story-{i}">Story {i}</a></h2><p>{paragraph(i)}</p>' for i in range(4)
    )
    head = (
        '<script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "CollectionPage", "name": "Local"}'
        "</script>"
    )
    assert both_ways(page(head, teasers), URL) == (False, False)


def test_og_type_website_declares_nothing():
    # Every page of many sites says og:type "website" (Open Graph's default): it is no
    # listing's declaration, and an article URL with a paragraph of prose goes on to
    # extraction (which then asks for three).
    head = '<meta property="og:type" content="website"><title>Harbour bridge</title>'
    html = page(head, f"<article><h1>Bridge</h1><p>{paragraph(0)}</p></article>")
    verdict = classify_page(html, "https://news.example/2025/03/12/harbour-bridge-to-close")
    assert verdict.is_article and verdict.reason == "article URL"


@pytest.mark.parametrize(
    "main",
    [
        # Short: three paragraphs, some 120 words (extraction used to ask for 200).
        "<article><h1>Bridge</h1>" + "".join(f"<p>{paragraph(i)}</p>" for i in range(3)),
        # A how-to: its steps outnumber its paragraphs of prose four to one (extraction
        # used to ask for a quarter of the paragraphs to be prose).
        "<article><h1>Bridge</h1>"
        + "".join(f"<p>{paragraph(i)}</p>" for i in range(3))
        + "<ol>"
        + "".join(f"<li>Step {i}: cross at the ferry.</li>" for i in range(14))
        + "</ol></article>",
    ],
    ids=["short", "how-to"],
)
def test_three_paragraphs_of_prose_make_an_article_both_ways(main):
    assert both_ways(page("<title>Bridge</title>", main), URL) == (True, True)


def test_the_rule_reads_the_evidence_it_is_given():
    # The URL's shape and the links count when known (the raw page), not otherwise.
    assert not classify(PageEvidence(long_paragraphs=3, url_shape="index")).is_article
    assert classify(PageEvidence(long_paragraphs=4, url_shape="index")).is_article
    assert not classify(PageEvidence(long_paragraphs=3, link_ratio=0.6)).is_article
    assert classify(PageEvidence(long_paragraphs=3)).is_article
    assert classify(PageEvidence(long_paragraphs=1, url_shape="article")).is_article
    assert not classify(PageEvidence(long_paragraphs=2)).is_article
    assert not classify(PageEvidence(has_text=False, url_shape="article")).is_article
    assert classify(PageEvidence(declared="article", has_text=False)).is_article
