"""Fuzzing: random and mutated pages, sitemaps and feeds never crash the code that reads
them. Bounded (few examples, a deadline per example) so it runs in the normal suite."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from faultserver import article_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbot.canonical_urls import canonicalize_url
from newsbot.discovery.feeds import discover_feeds, parse_feed
from newsbot.discovery.sitemaps import parse_sitemap, robots_sitemaps
from newsbot.extraction import ExtractedArticle, decode_html, extract_article
from newsbot.extraction.encoding import NotHtmlError

FUZZ = settings(
    max_examples=25,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/2031/07/01/story</loc><lastmod>2031-07-01T10:00:00Z</lastmod>
<news:news><news:publication><news:name>Example</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2031-07-01</news:publication_date>
<news:title>A story</news:title></news:news></url></urlset>"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>
<link>https://news.example/</link><item><title>Story</title>
<link>https://news.example/story</link><pubDate>Tue, 01 Jul 2031 10:00:00 GMT</pubDate>
<description>&lt;p&gt;text&lt;/p&gt;</description></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Example</title><entry><title>Story</title><link href="https://news.example/story"/>
<updated>2031-07-01T10:00:00Z</updated><id>urn:1</id></entry></feed>"""

PAGE = article_html("fuzz").encode()


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """*seed* with a few random cuts, insertions, duplications and byte flips."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["cut", "insert", "dup", "flip"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "cut":
            del data[pos : pos + draw(st.integers(1, 200))]
        elif op == "insert":
            data[pos:pos] = draw(
                st.one_of(
                    st.binary(max_size=64),
                    st.sampled_from(
                        [
                            b"<",
                            b">",
                            b"&",
                            b"]]>",
                            b"<!--",
                            b"<![CDATA[",
                            b"\x00",
                            b"\xff\xfe",
                            b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
                            b"&e;",
                            b"<script>",
                            b"\xef\xbb\xbf",
                            b'<meta charset="shift_jis">',
                            b"<div>" * 50,
                        ]
                    ),
                )
            )
        elif op == "dup":
            chunk = bytes(data[pos : pos + draw(st.integers(1, 100))])
            data[pos:pos] = chunk * draw(st.integers(1, 20))
        elif data:
            data[pos] ^= draw(st.integers(1, 255))
    return bytes(data)


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=4096), mutated(PAGE)),
    content_type=st.sampled_from(
        [
            None,
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=bogus",
            "application/pdf",
        ]
    ),
)
def test_extraction_never_raises_on_random_or_mutated_pages(body, content_type):
    try:
        text = decode_html(body, content_type)
        assert isinstance(text, str)
    except NotHtmlError:
        pass
    article = extract_article(body, "https://news.example/story", content_type=content_type)
    assert isinstance(article, ExtractedArticle)
    assert article.text or article.error


@FUZZ
@given(html=st.text(max_size=2000))
def test_extraction_never_raises_on_random_text(html):
    assert isinstance(extract_article(html, "https://news.example/"), ExtractedArticle)


def _parses_or_refuses(parse, data: bytes) -> None:
    # NotXMLError, UnsafeXMLError, TooLargeError (all ValueError): a clear refusal.
    with contextlib.suppress(ValueError):
        parse(data, "https://news.example/")


@FUZZ
@given(data=st.one_of(st.binary(max_size=2048), mutated(SITEMAP)))
def test_sitemap_parser_never_crashes(data):
    _parses_or_refuses(parse_sitemap, data)


@FUZZ
@given(data=st.one_of(st.binary(max_size=2048), mutated(RSS), mutated(ATOM)))
def test_feed_parser_never_crashes(data):
    _parses_or_refuses(parse_feed, data)


@FUZZ
@given(html=st.one_of(st.binary(max_size=2048), mutated(PAGE)), robots=st.text(max_size=500))
def test_feed_discovery_and_robots_never_crash(html, robots):
    assert isinstance(discover_feeds(html, "https://news.example/"), list)
    assert isinstance(robots_sitemaps(robots, "https://news.example/"), list)


@FUZZ
@given(url=st.one_of(st.text(max_size=200), st.from_regex(r"https?://[^\s]{0,80}", fullmatch=True)))
def test_canonicalize_url_never_raises(url):
    assert isinstance(canonicalize_url(url), str)
