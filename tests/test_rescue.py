"""The rescue: when trafilatura's fast path keeps only part of an article, newsbot runs
the full cascade on the unpruned page and keeps the result that holds more of the
page's prose. Each page below is made up, modelled on a failure class seen on real
sites; each test also checks that the fast path alone does fail on it, so the test
fails if the rescue stops working."""

from __future__ import annotations

import pytest
from lxml import etree

import newsbot.extraction.api as api
from newsbot.extraction import extract_article
from newsbot.extraction.rescue import PageProse, choose_body, is_text_dump, rescue_reason

URL = "https://news.example.org/2026/12/05/night-buses"
PARAGRAPHS = [
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "suburbs, a plan that residents had requested for almost a decade and that transport "
    "officials had repeatedly postponed.",
    "Under the new timetable, three additional routes will run every twenty minutes between "
    "midnight and five in the morning, linking the hospital district with the central "
    "station and the industrial park.",
    "Council member Maria Lopez, who sponsored the proposal, said the change would help "
    "shift workers who currently rely on expensive taxis or long walks home after their "
    "shifts end.",
    "The extension will cost about four million euros a year, paid for partly by a small "
    "increase in parking fees in the city centre and partly by a regional transport grant.",
    "Opposition members questioned whether demand would justify the expense, pointing to "
    "low ridership on an earlier trial route that was cancelled after six months.",
    "Transport officials said the earlier trial had suffered from poor publicity and an "
    "unreliable schedule, problems they promised to avoid by publishing live arrival data.",
    "The first of the new routes is expected to start running in March, with the remaining "
    "two following in the summer once additional drivers have been hired and trained.",
    "Residents' associations in the northern suburbs welcomed the decision and said they "
    "would monitor the service closely during its first year to make sure it is kept.",
]
HEAD = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Night buses reach the northern suburbs</title></head><body>"
)
MENU = (
    "<nav><ul>"
    + "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(30))
    + "</ul></nav>"
)
H1 = "<h1>Night buses reach the northern suburbs</h1>"


def _p(paragraphs: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def split_body() -> str:
    """The story in four sibling containers of one class, advertisements between."""
    parts = [PARAGRAPHS[i : i + 2] for i in range(0, 8, 2)]
    blocks = "".join(
        f'<div class="article-body">{_p(part)}</div><div class="ad"><span>Advertisement</span></div>'
        for part in parts
    )
    return f'{HEAD}{MENU}<div class="page">{H1}{blocks}</div></body></html>'


def teaser_first() -> str:
    """A teaser <article> of another story before the story itself."""
    teaser = (
        '<article class="teaser"><h2><a href="/other">Regional election campaign enters its '
        "last week</a></h2><p>A short teaser about the regional election campaign that is "
        "linked from this page and runs to a couple of sentences, so that it reads like "
        "prose and passes a length check of the extractor.</p><p>Candidates from all four "
        "parties will meet for a final televised debate on Thursday evening.</p></article>"
    )
    return f'{HEAD}{MENU}{teaser}<div class="story-text">{H1}{_p(PARAGRAPHS)}</div></body></html>'


def swallowed_by_sidebar() -> str:
    """An unclosed <div> inside an <aside>: the parser stretches the aside over the rest
    of the page, article included."""
    aside = '<aside class="share"><div class="buttons"><a href="/share">Share</a></aside>'
    return (
        f'{HEAD}{MENU}{aside}<div class="article">{H1}{_p(PARAGRAPHS)}</div>'
        "<footer><p>Copyright 2026 The Example Herald</p></footer></body></html>"
    )


def plain_article() -> str:
    return (
        f"{HEAD}{MENU}<article>{H1}{_p(PARAGRAPHS)}</article>"
        "<footer><p>Copyright 2026 The Example Herald</p></footer></body></html>"
    )


def _paragraphs_kept(text: str | None) -> int:
    return sum(1 for paragraph in PARAGRAPHS if paragraph in (text or ""))


@pytest.mark.parametrize("page", [split_body, teaser_first, swallowed_by_sidebar])
def test_a_partial_fast_result_is_rescued(page, monkeypatch: pytest.MonkeyPatch) -> None:
    html = page().encode()
    with monkeypatch.context() as patch:
        patch.setattr(api, "rescue_reason", lambda *args, **kwargs: None)
        fast_only = extract_article(html, URL)
    # The failure class is real: the fast path alone loses most of the story.
    assert _paragraphs_kept(fast_only.text) <= 2
    article = extract_article(html, URL)
    assert article.rescued
    assert _paragraphs_kept(article.text) == len(PARAGRAPHS)
    assert "Regional election campaign" not in (article.text or "")
    assert "Section 3" not in (article.text or "")


def test_a_complete_fast_result_is_not_second_guessed() -> None:
    article = extract_article(plain_article().encode(), URL)
    assert not article.rescued
    assert _paragraphs_kept(article.text) == len(PARAGRAPHS)


def test_invisible_characters_do_not_reach_the_text() -> None:
    soft = PARAGRAPHS[0].replace("council", "coun\u00adcil").replace("voted", "vo\u200bted")
    html = f"{HEAD}<article>{H1}{_p([soft, *PARAGRAPHS[1:]])}</article></body></html>"
    text = extract_article(html.encode(), URL).text or ""
    assert PARAGRAPHS[0] in text
    assert "\u00ad" not in text and "\u200b" not in text


def _body(xml: str) -> etree._Element:
    return etree.fromstring(f"<body>{xml}</body>")


def test_a_menu_dump_is_a_dump_but_wrapped_paragraphs_are_not() -> None:
    menu = "\n".join(f"Menu entry {i}" for i in range(80))
    assert is_text_dump(_body(f"<p>{menu}</p>"))
    # A real paragraph whose source was wrapped at 80 columns: many raw line breaks,
    # but long lines of prose.
    wrapped = "\n".join(PARAGRAPHS * 8)
    assert wrapped.count("\n") >= 50
    assert not is_text_dump(_body(f"<p>{wrapped}</p>"))
    # Structured output with many blocks is never a dump.
    assert not is_text_dump(_body("".join(f"<p>{menu}</p>" for _ in range(3))))


def _prose(html: str) -> PageProse:
    tree = api._parse(html)
    assert tree is not None
    return PageProse.of(tree, api._INERT_CONTAINERS)


def test_page_prose_leaves_out_menus_teasers_and_other_stories() -> None:
    teaser = "A teaser of another story that runs on for a good many words before it stops …"
    teaser = f'<a class="card" href="/other-story"><div>{teaser * 2}</div></a>'
    other = (
        "<article><p>" + "Another post on the same page, long enough to read as prose, "
        "written about something else entirely and by someone else.</p></article>"
    )
    html = f"{HEAD}{MENU}<article>{H1}{_p(PARAGRAPHS)}{teaser}</article>{other}</body></html>"
    prose = _prose(html)
    assert prose.total == sum(len(p) for p in PARAGRAPHS)
    assert prose.covered("\n\n".join(PARAGRAPHS)) == prose.total
    # Half the story held: about half the prose covered.
    half = prose.covered("\n\n".join(PARAGRAPHS[:4]))
    assert 0.4 * prose.total < half < 0.6 * prose.total


def test_the_reasons_to_rescue() -> None:
    prose = _prose(plain_article())
    full = "\n\n".join(PARAGRAPHS)
    body = _body("".join(f"<p>{p}</p>" for p in PARAGRAPHS))
    assert rescue_reason(body, full, prose, None) is None
    lead = _body(f"<p>{PARAGRAPHS[0]}</p>")
    assert rescue_reason(lead, PARAGRAPHS[0], prose, None) == "short"
    # A JSON-LD body far longer than the result.
    assert rescue_reason(body, full, prose, full * 3) == "article_body"
    assert rescue_reason(None, "", prose, None) == "empty"


def test_the_choice_takes_evidence_not_length() -> None:
    prose = _prose(plain_article())
    lead = _body(f"<p>{PARAGRAPHS[0]}</p>")
    whole = _body("".join(f"<p>{p}</p>" for p in PARAGRAPHS))
    full = "\n\n".join(PARAGRAPHS)
    assert choose_body(lead, PARAGRAPHS[0], whole, full, prose, "short")
    # Longer, but with text that is not the page's prose: the fast result stays.
    padded = "\n\n".join([PARAGRAPHS[0]] + ["Lorem ipsum dolor sit amet consectetur."] * 40)
    padded_body = _body("".join(f"<p>{p}</p>" for p in padded.split("\n\n")))
    assert not choose_body(lead, PARAGRAPHS[0], padded_body, padded, prose, "short")
    # A whole-page dump never replaces a structured result.
    dump_text = "\n".join([*PARAGRAPHS, *(f"Menu entry {i}" for i in range(200))])
    dump = _body(f"<p>{dump_text}</p>")
    assert not choose_body(lead, PARAGRAPHS[0], dump, dump_text, prose, "short")


def test_a_failing_rescue_keeps_the_fast_result(monkeypatch: pytest.MonkeyPatch) -> None:
    real = api.trafilatura.bare_extraction

    def fails_unless_fast(*args, **kwargs):
        if not kwargs.get("fast"):
            raise ValueError("full cascade broke")
        return real(*args, **kwargs)

    monkeypatch.setattr(api.trafilatura, "bare_extraction", fails_unless_fast)
    article = extract_article(split_body().encode(), URL)
    assert article.rescued and article.error is None
    assert _paragraphs_kept(article.text) >= 1


def test_a_block_held_in_part_is_a_reason_and_its_whole_copy_wins() -> None:
    # One long block of lines broken with <br> (the story's body container), of which
    # the fast result dropped the start (text after a picture box, as seen on sites
    # whose first lines follow the box): the rest of the block is there.
    lines = "<br/>".join(PARAGRAPHS)
    prose = _prose(f"{HEAD}{MENU}<article>{H1}<div>{lines}</div></article></body></html>")
    whole = "\n\n".join(PARAGRAPHS)
    partial = "\n\n".join(PARAGRAPHS[1:])
    partial_body = _body("".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:]))
    assert rescue_reason(partial_body, partial, prose, None) == "partial"
    whole_body = _body("".join(f"<p>{p}</p>" for p in PARAGRAPHS))
    assert rescue_reason(whole_body, whole, prose, None) is None
    assert choose_body(partial_body, partial, whole_body, whole, prose, "partial")
    # A second opinion that holds the missed start but loses the end does not win.
    other = "\n\n".join(PARAGRAPHS[:4])
    other_body = _body("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4]))
    assert not choose_body(partial_body, partial, other_body, other, prose, "partial")


def test_page_prose_leaves_out_hidden_blocks_teaser_summaries_and_comments() -> None:
    hidden = (
        '<div style="display: none"><p>' + PARAGRAPHS[0].replace("council", "board") + "</p></div>"
        '<p hidden="">' + PARAGRAPHS[1].replace("timetable", "schedule") + "</p>"
    )
    cards = "".join(
        f'<div class="card"><h3><a href="/story/{i}">Another story number {i}</a></h3>'
        f"<p>{text.replace('bus', 'tram')}</p></div>"
        for i, text in enumerate(PARAGRAPHS[2:5])
    )
    html = f"{HEAD}{MENU}<article>{H1}{_p(PARAGRAPHS)}</article>{hidden}{cards}</body></html>"
    comments = (
        '<section id="comments"><div class="comment"><p>'
        + PARAGRAPHS[5].replace("officials", "readers")
        + '</p></div></section><div class="commentary">'
        + _p([PARAGRAPHS[6].replace("routes", "lines")])
        + "</div>"
    )
    html = html.replace("</body>", f"{comments}</body>")
    prose = _prose(html)
    commentary = sum(len(p) for p in PARAGRAPHS) + len(PARAGRAPHS[6].replace("routes", "lines"))
    # Only the story's own paragraphs (and a "commentary" box, which is no comment
    # section): what is hidden, the cards' summaries and readers' comments are not
    # the page's prose, so a result holding them gains nothing by it.
    assert prose.total == commentary
    # A paragraph after a subheading that is no link is the story's own.
    subheaded = f"{HEAD}<article>{H1}<h3>The cost</h3>{_p(PARAGRAPHS)}</article></body></html>"
    assert _prose(subheaded).total == sum(len(p) for p in PARAGRAPHS)


SUBHEADS = ["What the new routes cover", "How the service is paid for"]
ROUTES = [
    "A route from the hospital district to the central station every twenty minutes.",
    "A route from the industrial park to the northern suburbs after midnight.",
    "A route along the ring road linking the three largest estates.",
]


def wrapper_named_like_a_teaser() -> str:
    """The story, with subheadings and a list, in a wrapper whose class trafilatura
    discards ("teaser"): its main extractor finds nothing and its last resort returns
    the page's paragraphs alone, subheadings and list lost."""
    items = "".join(f"<li>{route}</li>" for route in ROUTES)
    story = (
        f"{_p(PARAGRAPHS[:3])}<h2>{SUBHEADS[0]}</h2><ul>{items}</ul>{_p(PARAGRAPHS[3:6])}"
        f"<h2>{SUBHEADS[1]}</h2>{_p(PARAGRAPHS[6:])}"
    )
    return (
        f'{HEAD}{MENU}<div class="page">{H1}<div class="teaser_text" id="story_content">'
        f"<div>{story}</div></div></div></body></html>"
    )


def test_a_flat_result_that_lost_the_subheadings_and_lists_is_rescued(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    html = wrapper_named_like_a_teaser().encode()
    with monkeypatch.context() as patch:
        patch.setattr(api, "_lost_structure", lambda *args: False)
        fast_only = extract_article(html, URL)
    # The failure class is real: every paragraph, no subheading, no list item.
    assert _paragraphs_kept(fast_only.text) == len(PARAGRAPHS)
    assert not any(line in (fast_only.text or "") for line in SUBHEADS + ROUTES)
    article = extract_article(html, URL)
    assert article.rescued
    text = article.text or ""
    assert _paragraphs_kept(text) == len(PARAGRAPHS)
    assert all(line in text for line in SUBHEADS + ROUTES)
    assert text.index(SUBHEADS[0]) < text.index(ROUTES[0]) < text.index(PARAGRAPHS[3])


def test_a_flat_result_of_a_page_without_structure_is_left_alone() -> None:
    # Paragraphs only on the page too: nothing was lost, no second opinion.
    article = extract_article(plain_article().encode(), URL)
    assert not article.rescued
    assert _paragraphs_kept(article.text) == len(PARAGRAPHS)


POSTS = [
    "Our cat comes home every morning with dark crumbs in his fur, and the blanket he "
    "sleeps on is covered in them by the time I get up. Has anyone seen this before?",
    "Could it be ear mites? One of our cats once had a bad case and dark specks came out "
    "of his ears for weeks until the vet gave us drops for them.",
    "Mine drags in dry leaves and moss all summer long, but never anything like crumbs. "
    "I would check whether he digs in a flower pot during the night.",
    "Try wetting the crumbs on a white tissue: if they turn red, they are flea dirt, and "
    "a flea comb will tell you the rest within a minute or two.",
    "Update: the crumbs did turn red on the wet tissue, so it is fleas after all. We are "
    "off to the vet this afternoon and the blankets are in the wash at sixty degrees.",
    "Wash everything he sleeps on at sixty degrees and vacuum the sofa too: the eggs fall "
    "off wherever he lies, and they hatch for weeks after the first treatment.",
    "Our vet said to treat every animal in the house at the same time, the dog included, "
    "or the fleas simply move from one to the other and back again.",
    "Thanks, everyone. Two weeks on, the crumbs are gone and he is sleeping on his old "
    "blanket again. I will keep combing him every few days until the autumn.",
]


def forum_thread(declared: bool) -> str:
    """A thread of a forum: each post its own <article>, as forum software writes them."""
    posting = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "DiscussionForumPosting", "headline": "Dark crumbs in the fur every '
        'night"}</script>'
        if declared
        else ""
    )
    # The opening post, long, then the replies.
    opening = (
        f'<div class="message"><article class="message-body">{_p(PARAGRAPHS[:3])}</article></div>'
    )
    posts = opening + "".join(
        f'<div class="message"><div class="user">member{i}</div>'
        f'<article class="message-body"><p>{post}</p></article></div>'
        for i, post in enumerate(POSTS)
    )
    return (
        f'{HEAD.replace("</head>", posting + "</head>")}{MENU}<div class="thread">'
        f"<h1>Dark crumbs in the fur every night</h1>{posts}</div></body></html>"
    )


def test_page_prose_of_a_forum_thread_is_every_post_and_of_other_pages_one_story() -> None:
    tree = api._parse(forum_thread(declared=False))
    assert tree is not None
    # A page of several <article> elements, none declared a forum's posting: one story,
    # the article holding most prose (here the longest post) ...
    opening = sum(len(p) for p in PARAGRAPHS[:3])
    assert PageProse.of(tree, api._INERT_CONTAINERS).total == opening
    # ... and a thread's posts are all its prose.
    thread = PageProse.of(tree, api._INERT_CONTAINERS, one_story=False)
    assert thread.total == opening + sum(len(p) for p in POSTS)


VIDEO_DESCRIPTION = (
    "The city council extended the night bus network to the northern suburbs on "
    "Tuesday. Our reporter rode the first test bus and spoke to drivers and passengers."
)
DIALOG_LINES = [
    "Your password must be at least eight characters long and contain a capital letter, "
    "a digit and a special character, or your account cannot be created.",
    "Your registration has failed. Please delete your browsing history and your cookies, "
    "then click the confirmation link in our e-mail once more.",
    "To watch programmes with an age rating at any time of day, verify your age now: you "
    "will need an identity document and a few minutes.",
]


def video_page(dialog_markup: str) -> str:
    """A video's page: a short description, and the site's log-in panels in the markup
    of every page, shown only on demand."""
    panels = "".join(dialog_markup.format(text=line) for line in DIALOG_LINES)
    return (
        f'{HEAD}{MENU}<main><article class="video">{H1}<div class="player"></div>'
        f'<div class="caption"><p class="description">{VIDEO_DESCRIPTION}</p></div>'
        f"</article></main>{panels}</body></html>"
    )


@pytest.mark.parametrize(
    "dialog",
    [
        '<article class="login-modal dark-modal"><h2>Log in</h2><p>{text}</p></article>',
        '<div role="dialog" aria-label="Account"><p>{text}</p></div>',
        "<dialog><p>{text}</p></dialog>",
    ],
)
def test_dialogs_are_never_the_article(dialog: str) -> None:
    text = extract_article(video_page(dialog).encode(), URL).text or ""
    assert VIDEO_DESCRIPTION in text
    assert not any(line in text for line in DIALOG_LINES)


def test_a_story_in_a_wrapper_named_after_a_modal_stays() -> None:
    # A site that shows its story in a reader overlay: the wrapper holds the headline.
    html = (
        f'{HEAD}{MENU}<div class="reader-modal is-modal-open"><article>{H1}'
        f"{_p(PARAGRAPHS)}</article></div></body></html>"
    )
    assert _paragraphs_kept(extract_article(html.encode(), URL).text) == len(PARAGRAPHS)


def test_a_paywall_preview_is_the_story_cut_short_and_a_linked_teaser_is_not() -> None:
    preview = PARAGRAPHS[0] + " " + PARAGRAPHS[1][:120] + " ..."
    teaser = PARAGRAPHS[2].replace("Council", "Mayor") + " ..."
    html = (
        f'{HEAD}{MENU}<article>{H1}<div class="preview">{preview}</div>'
        f'<div class="paywall"><a href="/subscribe">Subscribe</a></div></article>'
        f'<div class="more"><a class="card" href="/other"><p>{teaser}</p></a>'
        f'<div class="card"><p>{teaser.replace("Mayor", "Member")}</p></div></div></body></html>'
    )
    # The preview is the story's prose; the teasers of other stories (in a link, or cut
    # short outside the headline's article) are not.
    assert _prose(html).total == len(preview)
