"""Hand-checked metadata cases: headline, authors, dates, and the order of trust."""

from __future__ import annotations

import pytest

from newsbot.extraction import extract_article
from newsbot.extraction.metadata import clean_authors, clean_title, normalize_date

BODY = "".join(
    f"<p>Paragraph {i} of a long enough article about the harbour works, which the council "
    "says will take most of the year and cost more than first planned by the engineers.</p>"
    for i in range(8)
)


def html(head: str, body: str = BODY) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("raw", "site", "url", "expected"),
    [
        (
            "Harbour bridge to close | The Example Post",
            "The Example Post",
            None,
            "Harbour bridge to close",
        ),
        (
            "Harbour bridge to close - Example Post",
            None,
            "https://www.examplepost.com/a",
            "Harbour bridge to close",
        ),
        (
            "The Example Post: Harbour bridge to close",
            "The Example Post",
            None,
            "Harbour bridge to close",
        ),
        (
            "Harbour bridge to close – Local News – Example Post",
            "Example Post",
            None,
            "Harbour bridge to close – Local News",
        ),
        (
            "Covid-19 - what you need to know",
            "Example Post",
            None,
            "Covid-19 - what you need to know",
        ),
    ],
)
def test_title_loses_site_suffix_only(
    raw: str, site: str | None, url: str | None, expected: str
) -> None:
    assert clean_title(raw, site_name=site, url=url) == expected


def test_title_loses_section_suffix_when_page_names_the_section() -> None:
    assert (
        clean_title("Harbour bridge to close - Local News", section="Local News")
        == "Harbour bridge to close"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["By Jane Miller"], ["Jane Miller"]),
        (["By Jane Miller and Tom Reed"], ["Jane Miller", "Tom Reed"]),
        (["Jane Miller, Political Reporter"], ["Jane Miller"]),
        (["Jane Miller (@janemiller)"], ["Jane Miller"]),
        (["@janemiller"], []),
        (["The Example Post"], []),
        (["Example Post Staff"], []),
        (["https://www.facebook.com/janemiller"], []),
        (["Von Anna Schmidt und Peter Braun"], ["Anna Schmidt", "Peter Braun"]),
        (["Par Marie Dubois"], ["Marie Dubois"]),
        (["Jane Miller", "jane miller"], ["Jane Miller"]),
    ],
)
def test_authors_are_people_only(raw: list[str], expected: list[str]) -> None:
    assert (
        clean_authors(raw, site_name="The Example Post", url="https://examplepost.com/a")
        == expected
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-14T07:45:00Z", "2025-03-14T07:45:00+00:00"),
        ("2025-03-14T07:45:00+0100", "2025-03-14T07:45:00+01:00"),
        ("2025-03-14T07:45:00-05:00", "2025-03-14T07:45:00-05:00"),
        ("2025-03-14 07:45:00", "2025-03-14T07:45:00"),
        ("2025-03-14", "2025-03-14"),
        ("Fri, 14 Mar 2025 07:45:00 +0000", "2025-03-14T07:45:00+00:00"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_dates_keep_the_pages_offset_and_invent_none(raw: str, expected: str | None) -> None:
    assert normalize_date(raw) == expected


def test_json_ld_is_trusted_over_meta_tags() -> None:
    head = (
        '<meta property="og:title" content="OG headline | Example Post">'
        '<meta property="article:published_time" content="2025-01-01T00:00:00+00:00">'
        '<meta name="author" content="Someone Else">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "name": "Example Post"},'
        '{"@type": "NewsArticle", "headline": "JSON-LD headline",'
        ' "datePublished": "2025-03-14T07:45:00+01:00", "dateModified": "2025-03-14T09:00:00+01:00",'
        ' "author": [{"@type": "Person", "name": "Jane Miller"}, {"@type": "Person", "name": "Tom Reed"}],'
        ' "articleSection": "Local", "keywords": ["Harbour", "Bridges"], "inLanguage": "en-GB",'
        ' "image": {"@type": "ImageObject", "url": "/img/bridge.jpg"}}]}</script>'
    )
    result = extract_article(html(head), "https://examplepost.com/local/bridge")
    assert result.title == "JSON-LD headline"
    assert result.published == "2025-03-14T07:45:00+01:00"
    assert result.modified == "2025-03-14T09:00:00+01:00"
    assert result.authors == ["Jane Miller", "Tom Reed"]
    assert result.section == "Local"
    assert result.tags == ["Harbour", "Bridges"]
    assert result.language == "en"
    assert result.image == "https://examplepost.com/img/bridge.jpg"
    assert result.is_article


def test_meta_tags_when_there_is_no_json_ld() -> None:
    head = (
        "<title>Harbour bridge to close | Example Post</title>"
        '<meta property="og:site_name" content="Example Post">'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2025-03-14T07:45:00Z">'
        '<meta property="article:section" content="Local">'
        '<meta property="article:tag" content="Harbour"><meta property="article:tag" content="Roads">'
        '<meta name="description" content="The bridge will shut for eight weeks.">'
        '<meta name="author" content="By Jane Miller">'
        '<link rel="canonical" href="/local/bridge">'
    )
    result = extract_article(html(head), "https://examplepost.com/local/bridge?utm_source=x")
    assert result.title == "Harbour bridge to close"
    assert result.site_name == "Example Post"
    assert result.published == "2025-03-14T07:45:00+00:00"
    assert result.modified is None
    assert result.authors == ["Jane Miller"]
    assert result.tags == ["Harbour", "Roads"]
    assert result.description == "The bridge will shut for eight weeks."
    assert result.canonical_url == "https://examplepost.com/local/bridge"
    assert result.is_article


def test_no_date_anywhere_stays_none() -> None:
    result = extract_article(
        html("<title>Harbour works</title>"), "https://examplepost.com/harbour"
    )
    assert result.published is None
    assert result.modified is None


def test_visible_byline_and_date_are_the_last_resort() -> None:
    body = (
        '<h1>Harbour works</h1><p class="byline">By <span class="author">Jane Miller</span></p>'
        '<time datetime="2025-03-14T07:45:00+00:00" itemprop="datePublished">14 March</time>' + BODY
    )
    result = extract_article(
        html("<title>Harbour works</title>", body), "https://examplepost.com/h"
    )
    assert result.published == "2025-03-14T07:45:00+00:00"
    assert result.authors == ["Jane Miller"]


def test_index_page_is_not_an_article() -> None:
    head = '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Local news"}</script>'
    body = (
        "<ul>"
        + "".join(f'<li><a href="/a{i}">Headline number {i}</a></li>' for i in range(30))
        + "</ul>"
    )
    assert not extract_article(html(head, body), "https://examplepost.com/local/").is_article


def test_long_prose_without_markup_is_an_article() -> None:
    assert extract_article(
        html("<title>Harbour works</title>"), "https://examplepost.com/h"
    ).is_article


def test_visible_byline_leaves_out_its_date() -> None:
    body = (
        '<div class="byline">By <a rel="author" href="/people/jane">Jane Miller</a>'
        ' <time datetime="2025-03-14">March 14, 2025</time></div>' + BODY
    )
    result = extract_article(html("<title>Harbour works</title>", body), "https://ex.com/h")
    assert result.authors == ["Jane Miller"]


def test_commenter_named_author_is_not_the_byline() -> None:
    # The article names no author; the only "author" markup is a reader's comment.
    comments = (
        '<div class="comments"><div class="comment">'
        '<span class="comment-author">Peter Grant</span><p>Great piece.</p></div></div>'
    )
    result = extract_article(
        html("<title>Harbour works</title>", BODY + comments), "https://ex.com/h"
    )
    assert result.authors == []
    byline = '<p class="author-name">Jane Miller</p>'
    result = extract_article(
        html("<title>Harbour works</title>", byline + BODY + comments), "https://ex.com/h"
    )
    assert result.authors == ["Jane Miller"]


def test_byline_that_names_only_the_section_gives_no_author() -> None:
    head = '<meta property="article:section" content="Politics">'
    body = '<div class="byline">Politics</div>' + BODY
    result = extract_article(html("<title>Harbour works</title>" + head, body), "https://ex.com/h")
    assert result.authors == []


def test_a_modified_date_alone_is_not_taken_for_the_published_date() -> None:
    head = '<meta property="article:modified_time" content="2025-03-20T10:00:00+01:00">'
    result = extract_article(html("<title>Harbour works</title>" + head), "https://ex.com/h")
    assert result.modified == "2025-03-20T10:00:00+01:00"
    assert result.published is None


def test_the_byline_beside_the_headline_wins_over_an_author_box_elsewhere() -> None:
    # A teaser box before the story names another story's author with the strongest
    # markup; the story's own byline sits under its headline.
    teaser = (
        '<div class="teaser"><a href="/other">Other story</a>'
        '<span class="author-name">Max Mustermann</span></div>'
    )
    story = (
        '<div class="story"><div class="head"><h1>Harbour works</h1>'
        '<p class="byline">By Jane Miller</p></div>' + BODY + "</div>"
    )
    page = f"<html><head><title>Harbour works</title></head><body>{teaser}{story}</body></html>"
    assert extract_article(page, "https://ex.com/h").authors == ["Jane Miller"]
