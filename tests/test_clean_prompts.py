"""Cleaning rules added for what the cue lists missed, and for real text that looked
like clutter: each both ways (the clutter goes, the look-alike real text stays), on
small pages in the shape of a tabloid article (see tests/test_clean_rules.py)."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from newsbot.extraction import extract_article
from newsbot.extraction.clean import (
    CleaningContext,
    as_trafilatura_xml,
    body_to_text,
    build_link_index,
    clean_body,
)

_PROSE = [
    "The prime minister will join a call with European leaders on Wednesday ahead of the "
    "summit, Downing Street confirmed on Tuesday evening after days of speculation.",
    "Officials said the talks would focus on security guarantees, and that no agreement "
    "could be reached without the consent of the government in Kyiv, whatever happens.",
    "Several ministers argued that the plan did not go far enough, pointing out that the "
    "fighting had grown more intense every week since the last round of talks ended.",
    "The spokesman added that the government would publish a statement after the call, "
    "and that the prime minister would take questions from reporters on Thursday.",
]


def _page(middle: str = "", end: str = "", *, lang: str = "en", head: str = "") -> str:
    first, second, third, fourth = (f"<p>{p}</p>" for p in _PROSE)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>Leaders to hold call before summit | The Daily Example</title>{head}</head>"
        '<body><article><h1>Leaders to hold call before summit</h1><div class="body">'
        f"{first}{second}{middle}{third}{fourth}{end}</div></article></body></html>"
    )


def _extract(html: str) -> tuple[str, dict[str, int]]:
    result = extract_article(html, "https://www.example.co.uk/news/politics/call-123")
    assert result.error is None, result.error
    text = result.text or ""
    for paragraph in _PROSE:
        assert paragraph in text
    return text, result.removed


def _visible(fragment: str) -> str:
    return " ".join(lxml.html.fromstring(f"<div>{fragment}</div>").text_content().split())


def _clean(
    body_xml: str, source_html: str = "<html><body></body></html>"
) -> tuple[str, dict[str, int]]:
    body = etree.fromstring(body_xml)
    links = build_link_index(lxml.html.fromstring(source_html))
    removed = clean_body(body, CleaningContext(links=links))
    return body_to_text(body), removed


# --- tip lines, contact prompts, follow-us lines, notices, paywalls ----------------------


@pytest.mark.parametrize(
    ("clutter", "kind", "lang"),
    [
        (
            "<p><strong>Got a story?</strong> Email our newsroom at "
            '<a href="mailto:news@example.co.uk">news@example.co.uk</a></p>',
            "call_to_action",
            "en",
        ),
        (
            "<p>Have you been affected by the floods? Tell us on 0800 123 4567</p>",
            "call_to_action",
            "en",
        ),
        (
            '<p>Do you have a story to share? <a href="/contact">Contact us here</a></p>',
            "call_to_action",
            "en",
        ),
        (
            "<p>Jane Smith is our political editor. Follow her on X @janesmith</p>",
            "call_to_action",
            "en",
        ),
        (
            "<p><em>This article contains affiliate links; we may earn a commission on "
            "purchases made through them.</em></p>",
            "boilerplate",
            "en",
        ),
        (
            "<p>Members get offers from our carefully selected partners, as set out in our "
            '<a href="/privacy">privacy notice</a></p>',
            "boilerplate",
            "en",
        ),
        ("<p>Log in to keep reading</p>", "call_to_action", "en"),
        ("<p>Already a subscriber? Sign in</p>", "call_to_action", "en"),
        (
            "<p>Haben Sie einen Hinweis? Schreiben Sie uns: "
            '<a href="mailto:redaktion@example.de">redaktion@example.de</a></p>',
            "call_to_action",
            "de",
        ),
        ("<p>Dieser Beitrag enthält Affiliate-Links</p>", "boilerplate", "de"),
        (
            "<p>Vous avez une info ? Contactez-nous : redaction@example.fr</p>",
            "call_to_action",
            "fr",
        ),
        ("<p>Déjà abonné ? Connectez-vous</p>", "call_to_action", "fr"),
        (
            "<p>Síguenos en Telegram, Instagram y Facebook para recibir nuestras noticias</p>",
            "call_to_action",
            "es",
        ),
        ("<p>¿Tienes una denuncia? Escríbenos a @diarioejemplo</p>", "call_to_action", "es"),
        ("<p>Hai una segnalazione? Scrivici a redazione@esempio.it</p>", "call_to_action", "it"),
        ("<p>Já é assinante? Faça login</p>", "call_to_action", "pt"),
        ("<p>Heb je een tip? Mail ons: tips@voorbeeld.nl</p>", "call_to_action", "nl"),
        # Appeals for money or membership, app and channel pitches, "view the full
        # story" prompts, advertiser notices.
        (
            '<p>Help us keep local reporting free: <a href="/donate">donate today</a></p>',
            "call_to_action",
            "en",
        ),
        ("<p>HAZTE SOCIO Y DISFRUTA DE VENTAJAS PARA LECTORES</p>", "call_to_action", "es"),
        ("<p>Werden Sie Förderer: jetzt spenden</p>", "call_to_action", "de"),
        (
            "<p>Get the Example News app for iOS and Android: all our stories, free</p>",
            "call_to_action",
            "en",
        ),
        ("<p>¡Descubre lo que publicamos en nuestro canal de YouTube!</p>", "call_to_action", "es"),
        ("<p>Subscribe to view the full story</p>", "call_to_action", "en"),
        (
            "<p>This page contains products from our partners: we may receive compensation</p>",
            "boilerplate",
            "en",
        ),
        (
            '<p>MIRA: <a href="/otra">El alcalde presenta el plan de obras</a></p>',
            "promo",
            "es",
        ),
    ],
)
def test_prompt_after_the_last_paragraph_is_removed(clutter: str, kind: str, lang: str) -> None:
    # Straight on the cleaner (trafilatura itself drops some of these before cleaning),
    # with the source page's links indexed.
    visible = _visible(clutter)
    source = f"<html lang='{lang}'><body>{''.join(_PARAGRAPHS)}{clutter}</body></html>"
    text, removed = _clean(f"<body>{''.join(_PARAGRAPHS)}<p>{visible}</p></body>", source)
    assert text == "\n\n".join(_PROSE)
    assert removed == {kind: 1}


@pytest.mark.parametrize(
    "real",
    [
        # Reporting on a newsletter, an e-mail, affiliate schemes, logging in: prose in
        # the third person, ending on a full stop, no way to reach anyone.
        "Police asked anyone who saw the crash to contact them, quoting reference 123.",
        "The minister said the firm had paid affiliate commissions to dozens of websites "
        "that promoted its loans to students without saying so.",
        "Staff were told to log in to the new system by Friday or lose access to their "
        "accounts, according to an internal memo seen by the paper.",
        "Her spokesman said she would follow the talks closely from London.",
        # An interviewer's question: it ends on its question mark.
        "Can you tell us a bit about the plan, and what made you sign up to it?",
        # A quote holding the words of a prompt.
        '"Tell us your story," the campaign\'s leaflet urged voters in the constituency.',
        "Der Minister sagte, die Firma habe Provisionen an Dutzende Webseiten gezahlt.",
        "Le ministre a déclaré que les abonnés devront se connecter avant vendredi.",
        # Reporting on apps, donations and channels.
        "The company said it would release an app for iOS and Android next year, after "
        "a long delay.",
        "The charity said it would help us continue the search for the missing climbers.",
        "Mira, yo no sé qué pasó esa noche, dijo el testigo a los periodistas en la plaza.",
        "El club anunció que su nuevo canal de YouTube tendrá entrevistas con la plantilla.",
    ],
)
def test_real_text_in_a_prompt_s_words_stays(real: str) -> None:
    # At the end of the body, the edge where prompts sit, and in the middle.
    for html in (_page(end=f"<p>{real}</p>"), _page(middle=f"<p>{real}</p>")):
        text, _ = _extract(html)
        assert real in text


def test_prompt_inside_the_body_needs_more_signals() -> None:
    # Mid-article, "contact us" in a sentence of prose ending on a full stop stays.
    real = "Readers who contact us about the summit will get a reply from the foreign desk."
    text, _ = _extract(_page(middle=f"<p>{real}</p>"))
    assert real in text
    # A tip line between paragraphs still goes: an address, a question, an e-mail.
    clutter = "<p>Got a story? Email us at news@example.co.uk</p>"
    text, removed = _extract(_page(middle=clutter))
    assert "news@example.co.uk" not in text
    assert removed.get("call_to_action") == 1


# --- orphaned headings -------------------------------------------------------------------


_PARAGRAPHS = [f"<p>{p}</p>" for p in _PROSE]
_P1 = f"<p>{_PROSE[0]}</p>"
_P2 = f"<p>{_PROSE[1]}</p>"


@pytest.mark.parametrize(
    "headings",
    [
        ["Most read in Politics"],
        ["Read more"],
        ["Meistgelesen", "Mehr aus Politik"],
        ["Les plus lus"],
        ["More on this story", "Around the web"],
    ],
)
def test_headings_left_at_the_end_are_removed(headings: list[str]) -> None:
    tail = "".join(f'<head rend="h3">{h}</head>' for h in headings)
    text, removed = _clean(f"<body>{_P1}{_P2}{tail}</body>")
    assert text == f"{_PROSE[0]}\n\n{_PROSE[1]}"
    assert sum(removed.values()) == len(headings)


def test_heading_with_its_text_after_it_stays() -> None:
    text, removed = _clean(f'<body>{_P1}<head rend="h2">What happens next</head>{_P2}</body>')
    assert "What happens next" in text
    assert removed == {}


# --- A1: a standfirst equal to the page's description ------------------------------------

_STANDFIRST = "Ministers fear a deal could be struck over the heads of the government in Kyiv"


def test_standfirst_printed_once_stays() -> None:
    body = f'<body><head rend="h2">{_STANDFIRST}</head>{_P1}{_P2}</body>'
    tree = etree.fromstring(body)
    removed = clean_body(
        tree, CleaningContext(title="Leaders to hold call", description=_STANDFIRST)
    )
    assert body_to_text(tree).startswith(_STANDFIRST)
    assert removed == {}


def test_header_reprinted_atop_the_body_goes() -> None:
    # The headline and its summary, as the page's header prints them: both are the
    # record's own fields (title, description).
    body = f'<body><head rend="h1">Leaders to hold call</head><head rend="h2">{_STANDFIRST}</head>{_P1}{_P2}</body>'
    tree = etree.fromstring(body)
    removed = clean_body(
        tree, CleaningContext(title="Leaders to hold call", description=_STANDFIRST)
    )
    assert body_to_text(tree) == f"{_PROSE[0]}\n\n{_PROSE[1]}"
    assert removed == {"boilerplate": 2}


def test_standfirst_reprinted_as_the_lead_goes_once() -> None:
    body = (
        f'<body><head rend="h2">{_STANDFIRST}</head><p>{_STANDFIRST}, officials say.</p>'
        f"{_P1}{_P2}</body>"
    )
    tree = etree.fromstring(body)
    removed = clean_body(
        tree, CleaningContext(title="Leaders to hold call", description=_STANDFIRST)
    )
    assert body_to_text(tree).count(_STANDFIRST) == 1
    assert removed == {"boilerplate": 1}


# --- A2: prose with several keyword links is not a teaser link ---------------------------


def test_paragraph_of_separate_keyword_links_stays() -> None:
    real = (
        '<p><a href="/t/starmer">Keir Starmer</a> met <a href="/t/macron">Emmanuel Macron</a>'
        ' and <a href="/t/merz">Friedrich Merz</a> in <a href="/t/london">London</a></p>'
    )
    visible = _visible(real)
    text, removed = _clean(
        f"<body>{_P1}<p>{visible}</p>{_P2}</body>", f"<html><body>{real}</body></html>"
    )
    assert visible in text
    assert removed == {}


def test_paragraph_that_is_one_teaser_link_still_goes() -> None:
    teaser = '<p><a href="/news/x">Macron and Merz in London as leaders meet on Ukraine</a></p>'
    visible = _visible(teaser)
    text, removed = _clean(
        f"<body>{_P1}<p>{visible}</p>{_P2}</body>", f"<html><body>{teaser}</body></html>"
    )
    assert visible not in text
    assert removed == {"promo": 1}


# --- A3: consent: the embed's placeholder goes, prose about cookies stays ----------------


@pytest.mark.parametrize(
    ("clutter", "lang"),
    [
        ("<p>To view this content, accept cookies from the provider</p>", "en"),
        (
            "<p>This content is provided by YouTube, which uses cookies. To show you this "
            "content, we need your permission to use cookies.</p>",
            "en",
        ),
        (
            "<p>Externer Inhalt: Um diesen Inhalt zu sehen, müssen Cookies akzeptiert werden.</p>",
            "de",
        ),
        ("<p>Ce contenu externe est bloqué. Acceptez les cookies pour l'afficher.</p>", "fr"),
        ("<p>Para ver este contenido, debes aceptar las cookies.</p>", "es"),
    ],
)
def test_embed_placeholder_asking_for_consent_is_removed(clutter: str, lang: str) -> None:
    text, removed = _extract(_page(middle=clutter, lang=lang))
    assert _visible(clutter) not in text
    assert removed.get("consent") == 1


@pytest.mark.parametrize(
    "real",
    [
        "The regulator found that the site uses cookies to track readers across the web "
        "and fined the publisher for failing to ask for their consent.",
        "Campaigners said people were pushed to accept cookies by banners designed to "
        "confuse them, and that the law was widely ignored.",
        "Laut der Behörde hat die Firma Cookies akzeptieren lassen, ohne die Nutzer zu fragen.",
    ],
)
def test_paragraph_about_cookies_stays(real: str) -> None:
    text, removed = _extract(_page(middle=f"<p>{real}</p>"))
    assert real in text
    assert "consent" not in removed


# --- A named anchor (a jump target) is not a link -----------------------------------------


def test_question_wrapped_in_a_named_anchor_stays() -> None:
    # Podcast transcripts mark each question as a jump target: <a name=...>, no href.
    question = (
        '<p><a name="q7">One of the questions listeners ask most: what does the expert say?</a></p>'
    )
    visible = _visible(question)
    text, removed = _clean(
        f"<body>{_P1}<p>{visible}</p>{_P2}</body>", f"<html><body>{question}</body></html>"
    )
    assert visible in text
    assert removed == {}


# --- The headline repeated as a subheading: what precedes it is the lead ------------------

_HEADLINE = "Leaders to hold call before the summit in London"


def _headline_body(before: str) -> str:
    return f'<body>{before}<head rend="h2">{_HEADLINE}</head>{_P1}{_P2}</body>'


def test_lead_above_a_subheading_repeating_the_shown_headline_stays() -> None:
    body = etree.fromstring(_headline_body(f"<p>{_PROSE[2]}</p>"))
    removed = clean_body(
        body, CleaningContext(title=_HEADLINE, headings=frozenset({_HEADLINE.lower()}))
    )
    text = body_to_text(body)
    assert _PROSE[2] in text
    assert removed == {}


def test_teaser_above_the_only_shown_headline_goes() -> None:
    # No h1 elsewhere shows the headline: the body's heading is where the page shows
    # it, and the short block above it belongs to another story.
    teaser = "<p>Which party gains most from the new rules? We have the whole story here.</p>"
    body = etree.fromstring(_headline_body(teaser))
    removed = clean_body(body, CleaningContext(title=_HEADLINE))
    text = body_to_text(body)
    assert "Which party gains most" not in text
    assert _PROSE[0] in text
    assert removed == {"boilerplate": 2}


# --- More languages and forms: Polish and Nordic cues, German du-forms and compounds,
# credit and date lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clutter", "kind"),
    [
        ('<p>Czytaj też: <a href="/inny">Rząd przyjął projekt budżetu</a></p>', "promo"),
        ('<p>Läs också: <a href="/annan">Regeringen lägger fram budgeten</a></p>', "promo"),
        (
            "<p>Lust auf mehr? Melde dich hier für unseren Wochen-Newsletter an</p>",
            "call_to_action",
        ),
        ("<p>Schau in unseren Reisenewsletter: jeden Monat neue Ziele!</p>", "call_to_action"),
        ("<p>Crédits photos : Agence Exemple</p>", "caption"),
        ("<p>Titelbild: Max Muster/Exempla</p>", "caption"),
        ("<p>Copyright: Erika Beispiel</p>", "caption"),
        ("<p>Letzte Änderung 14.02.2024</p>", "boilerplate"),
        (
            "<p>Zapraszamy też do subskrypcji naszego tygodnika: www.przyklad.pl</p>",
            "call_to_action",
        ),
        # Reading times, categories, bare tag headings, comment counters, advertising
        # labels, bare newsletter headings, agency sign-offs.
        ("<p>Ten tekst przeczytasz w mniej niż minutę</p>", "boilerplate"),
        ("<p>Lesezeit: 4 Minuten</p>", "boilerplate"),
        ("<p>Tiempo de lectura: 3 minutos</p>", "boilerplate"),
        ("<p>Kategorie: Nachrichten</p>", "boilerplate"),
        ("<p>Temas</p>", "boilerplate"),
        ("<p>12 comments</p>", "boilerplate"),
        ("<p>ANZEIGE - Heute schon an das Wochenende gedacht? Hier entlang:</p>", "boilerplate"),
        ("<p>Example Times Newsletter</p>", "boilerplate"),
        ("<p>mak/PAP</p>", "boilerplate"),
        # Comment and log-in furniture, an embed's click-to-load placeholder.
        ("<p>Noch keine Kommentare (Kommentare erscheinen nach Prüfung)</p>", "boilerplate"),
        ("<p>You are not logged in.</p>", "boilerplate"),
        # The notices forum software prints atop every thread.
        (
            "<p>JavaScript ist deaktiviert. Für eine bessere Darstellung aktiviere bitte"
            " JavaScript in deinem Browser, bevor du fortfährst.</p>",
            "boilerplate",
        ),
        (
            "<p>You are using an out of date browser. It may not display this or other"
            " websites correctly.</p>",
            "boilerplate",
        ),
        (
            "<p>Vous utilisez un navigateur obsolète : ce site peut mal s'afficher.</p>",
            "boilerplate",
        ),
        (
            "<p>Klicken Sie auf den Button, um den Inhalt von www.karten.example zu laden.</p>",
            "boilerplate",
        ),
        ('<p>Related post: <a href="/r">Pickled onions in ten minutes</a></p>', "promo"),
        (
            "<p>Reach the reporter on X at https://x.example/janereports</p>",
            "call_to_action",
        ),
        ("<p>NOTE: comments are moderated and may take a day to appear</p>", "boilerplate"),
        (
            "<p>ATENÇÃO: Comentários ofensivos não serão aprovados pelo moderador</p>",
            "boilerplate",
        ),
        ("<p>Tags</p>", "boilerplate"),
        (
            "<p>Follow our full coverage of the election at https://news.example/election</p>",
            "call_to_action",
        ),
        (
            "<p>If you enjoyed this article, we have a proposition for you: join our club"
            " of members.</p>",
            "call_to_action",
        ),
    ],
)
def test_clutter_in_more_languages_and_forms_goes(clutter: str, kind: str) -> None:
    visible = _visible(clutter)
    source = f"<html><body>{''.join(_PARAGRAPHS)}{clutter}</body></html>"
    text, removed = _clean(f"<body>{''.join(_PARAGRAPHS)}<p>{visible}</p></body>", source)
    assert text == "\n\n".join(_PROSE)
    assert removed == {kind: 1}


@pytest.mark.parametrize(
    "real",
    [
        "Czytaj też uważnie umowy, radzi rzecznik konsumentów w rozmowie z dziennikarzami.",
        "Der Verlag stellte seinen Newsletter im März ein, weil zu wenige Leser ihn öffneten.",
        "Die letzte Änderung des Gesetzes liegt nach Angaben des Ministeriums zehn Jahre zurück.",
        "Die Lesezeit der Schüler ist nach einer Studie in zehn Jahren um ein Drittel gesunken.",
        "Temas como la vivienda y el empleo dominaron el debate de los candidatos en la radio.",
        "The newsletter, which has 40,000 readers, will close at the end of the year, she said.",
        "Comments from the minister drew criticism from both opposition parties on Monday.",
        "Users who click on the video are asked to load the content again, the study found.",
        "Keine Kommentare gab es zunächst von der Stadtverwaltung zu den neuen Plänen.",
        "Critics who follow the coverage of the trial say the judge has been even-handed.",
        "If you enjoyed the first film, the sequel will not disappoint, the critic wrote.",
        "Rescuers tried for hours to reach the reporters at the border crossing, police said.",
        "The minister said comments are reviewed by a panel before the law is changed.",
        "JavaScript is disabled by default in the browser's safest mode, its developers said.",
        "Users of an outdated browser were the most exposed to the flaw, the agency warned.",
    ],
)
def test_prose_in_those_words_stays(real: str) -> None:
    for html in (_page(end=f"<p>{real}</p>"), _page(middle=f"<p>{real}</p>")):
        text, _ = _extract(html)
        assert real in text


@pytest.mark.parametrize(
    "heading",
    [
        "Das Thema könnte dich auch interessieren:",
        "Articles you may also like",
        "Ces sujets pourraient vous intéresser",
        "Otras noticias que te pueden interesar",
    ],
)
def test_related_heading_worded_with_a_subject_first_goes(heading: str) -> None:
    links = (
        '<ul><li><a href="/a">Zehn Tipps für den Winter</a></li>'
        '<li><a href="/b">So gelingt der Umzug</a></li></ul>'
    )
    body = (
        f"<body>{''.join(_PARAGRAPHS)}<head>{heading}</head>"
        "<list><item>Zehn Tipps für den Winter</item><item>So gelingt der Umzug</item></list>"
        "</body>"
    )
    text, removed = _clean(body, f"<html><body>{''.join(_PARAGRAPHS)}{links}</body></html>")
    assert text == "\n\n".join(_PROSE)
    assert removed == {"related": 3}


def test_related_heading_in_du_form_goes_with_its_links() -> None:
    links = (
        '<ul><li><a href="/a">Zehn Tipps für den Winter</a></li>'
        '<li><a href="/b">So gelingt der Umzug</a></li></ul>'
    )
    body = (
        f"<body>{''.join(_PARAGRAPHS)}<head>Das könnte dich auch interessieren</head>"
        "<list><item>Zehn Tipps für den Winter</item><item>So gelingt der Umzug</item></list>"
        "</body>"
    )
    text, removed = _clean(body, f"<html><body>{''.join(_PARAGRAPHS)}{links}</body></html>")
    assert text == "\n\n".join(_PROSE)
    assert removed == {"related": 3}


# --- A related block ends where a section of the page's own begins ------------------------

_NOTES = (
    "Figures for 2023 are provisional and were revised by the statistics office in May.",
    "The survey asked 2,000 adults in all regions, weighted by age and income group.",
)


def test_notes_after_a_related_block_stay() -> None:
    links = (
        '<ul><li><a href="/a">Budget talks resume</a></li>'
        '<li><a href="/b">Who pays for the new bridge</a></li></ul>'
    )
    body = (
        f"<body>{''.join(_PARAGRAPHS)}<head>See also</head>"
        "<list><item>Budget talks resume</item><item>Who pays for the new bridge</item></list>"
        f"<head>Notes</head><list><item>{_NOTES[0]}</item><item>{_NOTES[1]}</item></list>"
        "</body>"
    )
    text, removed = _clean(body, f"<html><body>{''.join(_PARAGRAPHS)}{links}</body></html>")
    assert "Budget talks resume" not in text
    assert "Notes" in text and _NOTES[0] in text and _NOTES[1] in text
    assert removed == {"related": 3}


def test_teaser_headings_in_a_related_block_go() -> None:
    # Teaser headlines that are no links, each with its widget's buttons: all one block.
    body = (
        f"<body>{''.join(_PARAGRAPHS)}<head>More stories</head>"
        "<head>Council approves the new tram line</head><p>Previous</p><p>Next</p>"
        "<head>A winter of strikes ahead</head><p>Previous</p><p>Next</p></body>"
    )
    text, removed = _clean(body)
    assert text == "\n\n".join(_PROSE)
    assert removed == {"related": 7}


# --- A body in the page's own HTML (trafilatura's fallbacks) is cleaned like its XML -----


def test_body_of_html_from_a_fallback_is_cleaned_and_rendered_by_blocks() -> None:
    body = (
        f'<body><div class="story"><h2>The talks</h2>{_P1}<div class="inner">{_P2}'
        '<p>READ MORE: <a href="/x">Ministers meet in Brussels</a></p></div>'
        "<ul><li>First point of the plan</li><li>Second point of the plan</li></ul>"
        '<h3>Most read</h3><ul><li><a href="/a">Storm hits coast</a></li>'
        '<li><a href="/b">Team wins cup</a></li></ul></div></body>'
    )
    source = (
        f"<html><body>{_P1}{_P2}"
        '<p>READ MORE: <a href="/x">Ministers meet in Brussels</a></p>'
        '<ul><li><a href="/a">Storm hits coast</a></li><li><a href="/b">Team wins cup</a></li>'
        "</ul></body></html>"
    )
    tree = etree.fromstring(body)
    as_trafilatura_xml(tree)
    removed = clean_body(
        tree, CleaningContext(links=build_link_index(lxml.html.fromstring(source)))
    )
    text = body_to_text(tree)
    assert text == "\n\n".join(
        ["The talks", _PROSE[0], _PROSE[1], "First point of the plan", "Second point of the plan"]
    )
    assert removed == {"promo": 1, "related": 3}


def test_headlines_on_lines_of_one_block_after_a_related_heading_go() -> None:
    headlines = [
        "Council approves the new tram line after a long night of debate [INSIGHT]",
        "Harbour bridge to close for eight weeks of repairs this spring [VIDEO]",
        "Minister defends the budget as unions threaten more strikes [REACTION]",
    ]
    links = "<br>".join(f'<a href="/n{i}">{h}</a>' for i, h in enumerate(headlines))
    body = (
        f"<body>{_P1}<p>DON'T MISS</p><p>{'<lb/>'.join(headlines)}</p>{_P2}"
        f"{''.join(_PARAGRAPHS[2:])}</body>"
    )
    source = f"<html><body>{_P1}<p>DON'T MISS</p><p>{links}</p>{_P2}</body></html>"
    text, removed = _clean(body, source)
    assert text == "\n\n".join(_PROSE)
    assert removed == {"related": 2}
    # One long paragraph of prose after such a heading stays: it is no list of links.
    prose = " ".join(_PROSE[2:4])
    text, _ = _clean(f"<body>{_P1}<p>DON'T MISS</p><p>{prose}</p>{_P2}</body>")
    assert prose in text


def test_a_run_of_linked_headlines_at_an_edge_goes_but_one_linked_subheading_stays() -> None:
    headlines = [
        "Council approves the new tram line",
        "Harbour bridge to close for repairs",
        "Minister defends the winter budget",
    ]
    links = "".join(f'<h3><a href="/n{i}">{h}</a></h3>' for i, h in enumerate(headlines))
    heads = "".join(f"<head>{h}</head>" for h in headlines)
    source = f"<html><body>{links}{''.join(_PARAGRAPHS)}</body></html>"
    # Before the first paragraph, and after the last: a block of other stories.
    for body in (
        f"<body>{heads}{''.join(_PARAGRAPHS)}</body>",
        f"<body>{''.join(_PARAGRAPHS)}{heads}</body>",
    ):
        text, removed = _clean(body, source)
        assert text == "\n\n".join(_PROSE)
        assert removed == {"related": 3}
    # Between paragraphs they are the story's own (linked) subheadings; and one linked
    # subheading at the top is no block of links.
    between = f"<body>{_P1}{heads}{''.join(_PARAGRAPHS[1:])}</body>"
    text, removed = _clean(between, source)
    assert all(h in text for h in headlines) and removed == {}
    one = f"<body><head>{headlines[0]}</head>{''.join(_PARAGRAPHS)}</body>"
    text, removed = _clean(one, source)
    assert headlines[0] in text and removed == {}


@pytest.mark.parametrize(
    "heading",
    [
        "<h2>Most read in world news</h2>",
        "<h3>Top stories</h3>",
        "<p>Meistgelesen</p>",
        "<h2>Lo más leído</h2>",
        "<h2>Recommended for you</h2>",
    ],
)
def test_a_site_list_heading_left_alone_mid_body_goes(heading: str) -> None:
    # The list it headed is gone (trafilatura dropped the links): only the heading is
    # left between two paragraphs of the story.
    text, removed = _extract(_page(middle=heading))
    visible = heading.split(">", 1)[1].rsplit("<", 1)[0]
    assert visible not in text
    assert removed.get("related") == 1


@pytest.mark.parametrize(
    "real",
    [
        # An article's own sections, worded like list headings but not only ever theirs.
        "<h2>More from the summit</h2>",
        "<h2>Related costs</h2>",
        # Headings and sentences that merely start with the words.
        "<h2>The most read book of the year</h2>",
        "<h2>Most read in secret, the report says.</h2>",
        "<p>Most read in their spare time, the survey of 2,000 adults found.</p>",
    ],
)
def test_a_section_heading_worded_like_a_list_heading_stays(real: str) -> None:
    text, _ = _extract(_page(middle=real))
    visible = real.split(">", 1)[1].rsplit("<", 1)[0]
    assert visible in text


_KO_LINKS = "".join(
    f'<p><a href="/news/{n}">{title}</a></p>'
    for n, title in enumerate(
        [
            "진흙탕 싸움, 공적인 사안으로 봐야하는 이유",
            "악녀의 덫에 걸린 주인공",
            "시청률 두 자릿수 돌파",
        ]
    )
)
_JA_LINKS = "".join(
    f'<p><a href="/ja/{n}">{title}</a></p>'
    for n, title in enumerate(
        ["新しい橋の建設が始まる", "市議会が予算案を可決", "駅前に図書館が開館"]
    )
)


@pytest.mark.parametrize(
    "block",
    [
        # A site's name, then "main news", then its headlines.
        f"<h2>Entermedia 주요뉴스</h2>{_KO_LINKS}",
        f"<h3>関連記事</h3>{_JA_LINKS}",
        "<h2>热门文章</h2>",
    ],
)
def test_related_headings_in_korean_japanese_and_chinese_go(block: str) -> None:
    text, removed = _extract(_page(middle=block))
    for gone in ("주요뉴스", "진흙탕", "関連記事", "新しい橋", "热门文章"):
        assert gone not in text
    assert removed.get("related", 0) >= 1


def test_a_sentence_naming_related_articles_in_korean_stays() -> None:
    real = "<p>경찰은 관련기사를 삭제해 달라는 요청을 세 차례 받았다고 밝혔다.</p>"
    text, _ = _extract(_page(middle=real))
    assert "경찰은 관련기사를 삭제해 달라는 요청을 세 차례 받았다고 밝혔다." in text
