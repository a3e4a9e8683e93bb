"""Every cleaning rule both ways: the clutter line goes, a look-alike real paragraph
stays. Pages are small hand-written HTML, in the shapes publishers use."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from newsbot.extraction import ExtractionOptions, extract_article
from newsbot.extraction.clean import (
    CleaningContext,
    body_to_text,
    build_link_index,
    clean_body,
    compiled_rules,
)

PAGES = Path(__file__).parent / "pages"

_BEFORE = [
    "The city council voted on Tuesday night to approve a new budget for road repairs, "
    "after months of complaints from residents about potholes on the main routes into town.",
    "Officials said the money would be spent over three years, starting with the streets "
    "that carry the most buses, and that contractors would be chosen by open tender.",
    "Several councillors argued that the plan did not go far enough, pointing out that the "
    "backlog of repairs had grown every year since the last major programme ended.",
]
_AFTER = [
    "The leader of the council said the vote showed that members were listening to "
    "residents, and promised a public report on progress every six months.",
    "Work on the first streets is expected to begin in the spring, weather permitting, "
    "and the council will publish a map of the planned repairs on its website next week.",
]


def page(middle: str, *, lang: str = "en", head: str = "") -> str:
    before = "".join(f"<p>{p}</p>\n" for p in _BEFORE)
    after = "".join(f"<p>{p}</p>\n" for p in _AFTER)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>Council approves road repair budget | The Example Post</title>{head}</head>"
        '<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article>'
        "<h1>Council approves road repair budget</h1>"
        f'<div class="body">{before}{middle}{after}</div></article>'
        "<footer><p>Contact us</p></footer></body></html>"
    )


def text_of(html: str, **options: object) -> tuple[str, dict[str, int]]:
    result = extract_article(
        html, "https://news.example.com/2025/03/road-repairs", ExtractionOptions(**options)
    )
    assert result.error is None, result.error
    assert result.text is not None
    # The article itself is always there.
    for paragraph in _BEFORE + _AFTER:
        assert paragraph in result.text
    return result.text, result.removed


# --- in-body promos ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clutter", "lang"),
    [
        (
            '<p><strong>READ MORE: <a href="/a">Bridge to close for eight weeks</a></strong></p>',
            "en",
        ),
        ('<p>Read more: <a href="/b">Why bus fares are rising again this year</a></p>', "en"),
        ('<p>RELATED: <a href="/c">Mayor defends parking charges</a></p>', "en"),
        ('<p>MORE: <a href="/d">Five things to know about the budget</a></p>', "en"),
        ('<p>Don\'t miss: <a href="/e">The best walks in the county</a></p>', "en"),
        ('<p>Also read: <a href="/f">Council tax to rise by five per cent</a></p>', "en"),
        (
            '<p>Lesen Sie auch: <a href="/g">Neue Buslinie verbindet Hafen und Innenstadt</a></p>',
            "de",
        ),
        ('<p>Mehr zum Thema: <a href="/h">Fernwärme wird teurer</a></p>', "de"),
        ('<p>Lire aussi : <a href="/i">Le festival du livre revient en mai</a></p>', "fr"),
        (
            '<p>À lire aussi <a href="/j">Les bibliothèques face aux baisses de dotations</a></p>',
            "fr",
        ),
        ('<p>Leer más: <a href="/k">La ciudad estrena carril bici</a></p>', "es"),
        ('<p>Te puede interesar: <a href="/l">Los mercados amplían su horario</a></p>', "es"),
    ],
)
def test_cue_led_promo_is_removed(clutter: str, lang: str) -> None:
    text, removed = text_of(page(clutter, lang=lang))
    linked = clutter.split('">', 1)[1].split("</a>")[0]
    assert linked not in text
    assert removed.get("promo", 0) >= 1


def test_sentence_mentioning_read_more_stays() -> None:
    real = (
        "Residents who want to read more about the plan can find the full report at the "
        "library, the council said, adding that printed copies would be free of charge."
    )
    text, _ = text_of(page(f"<p>{real}</p>"))
    assert real in text


def test_paragraph_starting_with_more_stays() -> None:
    real = "More than 400 people signed the petition calling for the repairs, organisers said."
    text, _ = text_of(page(f"<p>{real}</p>"))
    assert real in text


def test_paragraph_that_is_one_link_is_removed() -> None:
    clutter = (
        '<p><a href="/news/x">Harbour bridge to close for eight weeks as repairs begin</a></p>'
    )
    text, removed = text_of(page(clutter))
    assert "Harbour bridge to close" not in text
    assert removed.get("promo") == 1


def test_quote_with_a_link_stays() -> None:
    real = (
        '<p>"We have listened," the leader wrote in <a href="https://example.org/blog">a blog '
        'post on Monday</a>, "and this budget is the result of what residents told us."</p>'
    )
    text, _ = text_of(page(real))
    assert "a blog post on Monday" in text
    assert "this budget is the result" in text


def test_linked_list_items_and_headings_of_the_article_stay() -> None:
    # Straight on the cleaner: trafilatura itself drops some link lists before cleaning.
    source = lxml.html.fromstring(
        "<html><body><h3><a href='/p/1'>Acme Road Survey Kit 2024</a></h3><ul>"
        "<li><a href='/docs/1'>The full road condition survey for 2024</a></li>"
        "<li><a href='/docs/2'>The list of streets in the first year of works</a></li>"
        "</ul></body></html>"
    )
    body = etree.fromstring(
        "<body><p>The council published three documents alongside the budget, all of them "
        "online, and it will hold two public meetings to explain them in April.</p>"
        '<head rend="h3">Acme Road Survey Kit 2024</head><list>'
        "<item>The full road condition survey for 2024</item>"
        "<item>The list of streets in the first year of works</item></list>"
        "<p>Each of them can be read at the town hall during opening hours, and comments "
        "can be sent to the council until the end of April, officials said.</p></body>"
    )
    removed = clean_body(body, CleaningContext(links=build_link_index(source)))
    text = body_to_text(body)
    assert removed == {}
    assert "The full road condition survey for 2024" in text
    assert "Acme Road Survey Kit 2024" in text


# --- calls to action ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Sign up to our newsletter to get the biggest stories delivered to your inbox.",
        '<a href="https://chat.whatsapp.com/x">Join our politics WhatsApp group to get the latest updates</a>',
        "Follow us on Facebook, Instagram and X for more local news.",
        "Download our app to get breaking news alerts on your phone.",
        "Subscribe now for unlimited access to every story.",
        "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité.",
        "Folgen Sie uns auf Instagram und Facebook.",
        "Síguenos en Twitter y Facebook.",
    ],
)
def test_call_to_action_is_removed(line: str) -> None:
    text, removed = text_of(page(f"<p>{line}</p>"))
    visible = lxml.html.fromstring(f"<p>{line}</p>").text_content()
    assert visible not in text
    assert removed.get("call_to_action", 0) >= 1


def test_report_about_a_newsletter_stays() -> None:
    real = (
        "The council said 12,000 residents had signed up to its monthly newsletter since "
        "January, and that it would follow up with those who asked for updates on repairs."
    )
    text, _ = text_of(page(f"<p>{real}</p>"))
    assert real in text


# --- related-link blocks ----------------------------------------------------------------


def test_related_block_with_its_heading_is_removed() -> None:
    clutter = (
        "<h3>Related articles</h3><ul>"
        '<li><a href="/1">Mayor defends new parking charges in the city centre</a></li>'
        '<li><a href="/2">Bus company cuts evening services on three routes</a></li>'
        '<li><a href="/3">Why the ring road is always jammed on Fridays</a></li></ul>'
    )
    text, _ = text_of(page(clutter))
    assert "Related articles" not in text
    assert "Mayor defends new parking charges" not in text


def test_most_read_heading_with_headlines_is_removed() -> None:
    clutter = (
        "<p>Most read</p>"
        '<p><a href="/1">Seven new restaurants opening this spring</a></p>'
        '<p><a href="/2">Police appeal after crash on the bypass</a></p>'
    )
    text, removed = text_of(page(clutter))
    assert "Most read" not in text
    assert "Seven new restaurants" not in text
    assert removed.get("related", 0) >= 2


def test_heading_like_related_followed_by_prose_stays() -> None:
    real = (
        "<h2>More from the meeting</h2><p>Councillors also agreed to review the cost of "
        "parking permits, which have not changed since 2019, and to consult residents on "
        "extending the controlled zone to two more streets near the station.</p>"
    )
    text, _ = text_of(page(real))
    assert "More from the meeting" in text
    assert "review the cost of parking permits" in text


# --- captions and credits ---------------------------------------------------------------


@pytest.mark.parametrize(
    "clutter",
    [
        "<p>Photo: Sam Reed/Example Press Agency</p>",
        "<p>Workers repair a road in the town centre (Getty Images)</p>",
        "<p>Image credit: Example County Council</p>",
        "<p>Foto: dpa</p>",
    ],
)
def test_credit_line_is_removed(clutter: str) -> None:
    text, removed = text_of(page(clutter))
    inner = clutter[3:-4]
    assert inner not in text
    assert removed.get("caption", 0) >= 1


def test_sentence_quoting_an_agency_stays() -> None:
    real = "The contractor declined to comment on the tender, a spokesman told Reuters."
    text, _ = text_of(page(f"<p>{real}</p>"))
    assert real in text


# --- consent ------------------------------------------------------------------------------


def test_cookie_notice_in_body_is_removed() -> None:
    clutter = (
        "<p>We use cookies to improve your experience. By continuing to browse the site "
        "you agree to our use of cookies.</p>"
    )
    text, removed = text_of(page(clutter))
    assert "We use cookies" not in text
    assert removed.get("consent") == 1


def test_article_about_cookies_stays() -> None:
    real = (
        "The regulator said the council's website had set tracking files without asking "
        "visitors first, and ordered it to fix the banner within a month."
    )
    text, _ = text_of(page(f"<p>{real}</p>"))
    assert real in text


# --- boilerplate ------------------------------------------------------------------------


def test_advertisement_label_is_removed() -> None:
    text, removed = text_of(page("<p>Advertisement</p>"))
    assert "Advertisement" not in text
    assert removed.get("boilerplate", 0) >= 1


def test_sentence_about_advertisement_stays() -> None:
    real = "The advertisement for the contract will be published in the spring, officials said."
    text, _ = text_of(page(f"<p>{real}</p>"))
    assert real in text


def test_repeated_headline_atop_body_is_removed() -> None:
    html = page("").replace(
        '<div class="body">', '<div class="body"><h2>Council approves road repair budget</h2>'
    )
    result = extract_article(html, "https://news.example.com/x")
    assert result.text is not None
    assert not result.text.startswith("Council approves road repair budget")


_REPEATED = (
    "Residents who want to report a pothole can still do so through the council's online "
    "form, which asks for the street name and a photograph of the damage if possible."
)


def test_paragraph_printed_twice_in_a_row_is_kept_once() -> None:
    # Pages often carry a desktop and a mobile copy of the same block.
    text, removed = text_of(page(f"<p>{_REPEATED}</p><p>{_REPEATED}</p>"))
    assert text.count(_REPEATED) == 1
    assert removed.get("boilerplate", 0) >= 1


def test_question_asked_again_later_is_kept() -> None:
    # An interview asks each guest the same question: the repeat is the article.
    question = (
        "What would you tell a resident who has been waiting two years for the pothole "
        "outside their house to be filled, and who has heard promises like this before?"
    )
    answers = [
        "Our first guest said that patience had run out and that the budget was overdue.",
        "The second guest said the tender process would at last make repairs predictable.",
    ]
    middle = "".join(f"<p>{question}</p><p>{answer}</p>" for answer in answers)
    text, _ = text_of(page(middle))
    assert text.count(question) == 2
    for answer in answers:
        assert answer in text


# --- options and format -------------------------------------------------------------------


def test_extra_cleanup_drops_selected_elements() -> None:
    special = (
        '<div class="sponsor-box"><p>This section is brought to you by a local garage that '
        "would like you to know about its winter tyre offer, valid until the end of March.</p></div>"
    )
    text, _ = text_of(page(special), extra_cleanup=("div.sponsor-box",))
    assert "winter tyre offer" not in text
    text, _ = text_of(page(special), extra_cleanup=("//div[@class='sponsor-box']",))
    assert "winter tyre offer" not in text
    text, _ = text_of(page(special))
    assert "winter tyre offer" in text


def test_text_format_is_paragraphs_with_one_blank_line() -> None:
    text, _ = text_of(page("<p>A   paragraph\n with   odd\tspacing, left by a careless CMS.</p>"))
    assert "A paragraph with odd spacing, left by a careless CMS." in text
    assert "\n\n\n" not in text
    assert all(p == " ".join(p.split()) for p in text.split("\n\n"))


def test_cleaning_can_be_switched_off() -> None:
    clutter = "<p>Sign up to our newsletter to get the biggest stories delivered to your inbox.</p>"
    result = extract_article(page(clutter), None, ExtractionOptions(clean=False))
    assert result.removed == {}


# --- the tabloid page modelled on ../shared/examples ----------------------------------


def test_tabloid_page_is_clean() -> None:
    result = extract_article(
        (PAGES / "tabloid.html").read_bytes(),
        "https://www.example.co.uk/news/politics/starmer-trump-call-123",
    )
    text = result.text or ""
    assert text.startswith("Keir Starmer is set to join a call")
    assert text.endswith("nothing can be decided about Ukraine without Ukraine.")
    for clutter in (
        "Netanyahu",
        "small boats returns deal",
        "WhatsApp",
        "You may also like",
        "Battlefield 6",
        "All rights reserved",
    ):
        assert clutter not in text
    # The look-alikes stay: a sentence saying "read more", a quote holding a link.
    assert "can read more in the published readout" in text
    assert "a statement on his website" in text
    assert result.removed["promo"] == 2
    assert result.removed["call_to_action"] == 1


# --- the cue tables' pre-check must never change a verdict -------------------------------

_CUE_BLOCKS = [
    "We use cookies to improve your experience.",
    "THIS WEBSITE USES COOKIES",
    "Manage your privacy settings",
    "Gérer les cookies",
    "Política de cookies",
    "Si continúa navegando, acepta",
    "Wir verwenden Cookies.",
    "Follow us on Twitter",
    "Join our WhatsApp group for news",
    "Subscribe to our weekly newsletter",
    "Suscríbete a nuestro boletín",
    "Síguenos en Instagram",
    "Photo: Getty Images",
    "Crédit photo AFP",
    "Copyright 2024 by the Times",
    "© 2024 The Times",
    "(c) 2024 The Times",
    "All rights reserved.",
    "Tags: politics, economy",
    "Publié le 3 mai",
    "Veröffentlicht am 3. Mai",
    "5 min read",
    # Characters that case-insensitive matching equates with ASCII letters.
    "ſubscribe to our newsletter",
    "FOLLOW US ON",
    "İnscrivez-vous à notre newsletter",
    "Keep an eye on your ınbox",
    # Prose, typographic quotes, other scripts.
    "The minister’s “cookie jar” remark drew laughter.",
    "Σήμερα η κυβέρνηση ανακοίνωσε νέα μέτρα.",
    "A quiet day in the markets, with stocks flat.",
]


def test_cue_search_pre_check_agrees_with_the_expression():
    rules = compiled_rules()
    for search in (rules.cta_anywhere, rules.caption, rules.consent, rules.boilerplate):
        for block in _CUE_BLOCKS:
            for variant in (block, block.upper(), block.swapcase(), f"x {block} y"):
                expected = bool(
                    (search.anchored is not None and search.anchored.match(variant))
                    or (search.pattern is not None and search.pattern.search(variant))
                )
                assert search.search(variant) == expected, variant
    # The pre-check is in force (it spares work) for the consent cues at least.
    assert rules.consent.ascii_literals and rules.consent.literals
    assert rules.consent.search("We use cookies here") is True
    assert rules.consent.search("A quiet day in the markets") is False


def test_case_twins_of_ascii_are_all_known():
    """The pre-check lower-cases blocks; it is exact only if every non-ASCII character
    that case-insensitive matching equates with ASCII, or that lower-cases to ASCII, is
    one of those it sends straight to the expression."""
    import re
    import string

    from newsbot.extraction.clean import _ASCII_CASE_TWINS

    everything = "".join(
        chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code <= 0xDFFF
    )
    twins = set()
    for char in string.ascii_lowercase + string.digits + string.punctuation + " ":
        twins |= set(re.findall(re.escape(char), everything, re.IGNORECASE))
    twins |= {c for c in everything if any(x.isascii() for x in c.lower())}
    assert twins
    assert all(_ASCII_CASE_TWINS.match(c) for c in twins)
