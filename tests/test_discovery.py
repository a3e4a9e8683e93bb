"""Safe feed and sitemap parsing, and article-page detection (pure functions)."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbot.discovery.feed_dates import parse_any, parse_rfc822, parse_w3c
from newsbot.discovery.feeds import discover_feeds, parse_feed, sniff
from newsbot.discovery.safexml import (
    NotXMLError,
    TooLargeError,
    UnsafeXMLError,
    gunzip_capped,
    parse_xml,
)
from newsbot.discovery.sitemaps import (
    is_site_root,
    parse_sitemap,
    robots_sitemaps,
    usual_locations,
)
from newsbot.extraction.pagekind import classify_page, url_kind

SITE = Path(__file__).resolve().parent.parent / "newsbot" / "demo" / "site"
BASE = "https://news.example"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&lol9;</loc></url></urlset>
"""


def _demo(path: str) -> bytes:
    return (SITE / path.lstrip("/")).read_bytes().replace(b"{{BASE}}", BASE.encode())


# --- safe XML -------------------------------------------------------------------------


@pytest.mark.parametrize("parse", [parse_xml, parse_sitemap, parse_feed])
def test_billion_laughs_is_refused_quickly(parse):
    started = time.perf_counter()
    with pytest.raises(UnsafeXMLError):
        parse(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1.0


def test_entity_bomb_hidden_after_a_long_comment_is_still_refused():
    padded = BILLION_LAUGHS.replace(b"<!DOCTYPE", b"<!--" + b"x" * 20000 + b"--><!DOCTYPE")
    with pytest.raises(UnsafeXMLError):
        parse_xml(padded)


@pytest.mark.parametrize("parse", [parse_sitemap, parse_feed])
def test_external_entity_is_never_resolved(tmp_path, parse):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:SECRET-LINE", encoding="utf-8")
    for url in (f"file://{secret}", "file:///etc/passwd"):
        document = (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "{url}">]>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://x.example/&xxe;</loc></url></urlset>"
        ).encode()
        with pytest.raises(UnsafeXMLError):
            parse(document)


def test_external_dtd_is_not_loaded(tmp_path):
    # An entity defined in an external DTD: with no DTD loading, the reference stays
    # unresolved and the file's contents never enter the document.
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "SECRET-FROM-DTD">', encoding="utf-8")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "file://{dtd}">'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://x.example/a&secret;b</loc></url></urlset>"
    ).encode()
    sitemap = parse_sitemap(document)
    assert all("SECRET" not in e.loc for e in sitemap.entries)


def test_entity_declaration_behind_a_fake_subset_end_is_still_refused():
    with pytest.raises(UnsafeXMLError):
        parse_xml(b'<!DOCTYPE r [<!-- ]> --><!ENTITY a "x">]><r>&a;</r>')


def test_entity_text_inside_cdata_is_not_mistaken_for_a_declaration():
    feed = parse_feed(
        b'<?xml version="1.0"?><!DOCTYPE rss><rss version="2.0"><channel><title>t</title>'
        b"<item><title><![CDATA[How <!ENTITY> works]]></title>"
        b"<link>https://x.example/xml-entities-explained</link></item></channel></rss>"
    )
    assert [e.title for e in feed.entries] == ["How <!ENTITY> works"]


def test_gunzip_within_the_cap():
    data = b"<urlset/>" * 1000
    assert gunzip_capped(gzip.compress(data), len(data)) == data


def test_gzip_bomb_is_refused_at_the_cap_without_inflating_it():
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(TooLargeError):
        gunzip_capped(bomb, 1024 * 1024)
    assert time.perf_counter() - started < 1.0


def test_truncated_or_corrupt_gzip_is_not_xml():
    data = gzip.compress(b"<urlset>" + b"<url><loc>https://x.example/a</loc></url>" * 500)
    with pytest.raises(NotXMLError):
        gunzip_capped(data[: len(data) // 2], 10**6)
    with pytest.raises(NotXMLError):
        gunzip_capped(data[:10] + b"garbage" * 10, 10**6)


def test_plain_sitemap_over_the_cap_is_refused():
    data = _demo("/sitemap.xml")
    with pytest.raises(TooLargeError):
        parse_sitemap(data, max_bytes=len(data) - 1)
    assert parse_sitemap(data, max_bytes=len(data)).entries


@pytest.mark.parametrize("data", [b"", b"   ", b"not xml at all", b"\x00\x01\x02", b"<html>"])
def test_junk_is_not_a_sitemap(data):
    with pytest.raises(NotXMLError):
        parse_sitemap(data)


# --- sitemaps -------------------------------------------------------------------------


def test_news_sitemap_tags_are_read():
    sitemap = parse_sitemap(_demo("/news-sitemap.xml"))
    assert not sitemap.is_index
    first = sitemap.entries[0]
    assert first.is_news
    assert first.news_published is not None
    assert first.hints()["published"] == first.news_published.iso
    assert first.hints()["published"].endswith("+00:00")
    assert first.news_language == "en"
    assert "'runs dry'" in (first.news_title or "")
    languages = {e.news_language for e in sitemap.entries}
    assert {"en", "de", "fr", "es"} <= languages


def test_sitemap_index_and_gzip_sitemap():
    index = parse_sitemap(_demo("/sitemap_index.xml"))
    assert index.is_index
    assert [e.loc for e in index.entries][-1] == f"{BASE}/sitemap-archive.xml.gz"
    raw = (SITE / "sitemap-archive.xml.gz").read_bytes()
    archive = parse_sitemap(gzip.compress(gzip.decompress(raw).replace(b"{{BASE}}", BASE.encode())))
    assert len(archive.entries) == 3


def test_sitemap_entries_keep_web_urls_only_and_resolve_relative_ones():
    sitemap = parse_sitemap(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc> /2024/05/07/relative-story </loc><lastmod>2024-05-07</lastmod></url>"
        b"<url><loc>javascript:alert(1)</loc></url><url><loc>file:///etc/passwd</loc></url>"
        b"<url><loc>https://x.example/a</loc></url><url><loc>https://x.example/a</loc></url>"
        b"<url><lastmod>2024-05-07</lastmod></url></urlset>",
        "https://x.example/sitemap.xml",
    )
    assert [e.loc for e in sitemap.entries] == [
        "https://x.example/2024/05/07/relative-story",
        "https://x.example/a",
    ]
    assert sitemap.entries[0].hints() == {"lastmod": "2024-05-07"}
    assert not sitemap.entries[0].is_news


def test_sitemap_without_namespace_and_with_a_bom_is_read():
    sitemap = parse_sitemap(
        b"\xef\xbb\xbf\n<?xml version='1.0'?><urlset><url><loc>https://x.example/a</loc></url></urlset>"
    )
    assert [e.loc for e in sitemap.entries] == ["https://x.example/a"]


def test_robots_sitemap_lines():
    robots = (
        "User-agent: *\nDisallow: /private/\n"
        "SITEMAP: https://x.example/news.xml  # the news one\n"
        "Sitemap: /relative.xml\nsitemap:https://x.example/news.xml\nSitemap: ftp://x/a.xml\n"
    )
    assert robots_sitemaps(robots, "https://x.example/robots.txt") == [
        "https://x.example/news.xml",
        "https://x.example/relative.xml",
    ]


def test_site_roots_and_usual_locations():
    assert is_site_root("https://x.example") and is_site_root("https://x.example/")
    assert not is_site_root("https://x.example/sitemap.xml")
    locations = usual_locations("https://x.example/some/page")
    assert locations[0] == "https://x.example/sitemap.xml"
    assert "https://x.example/news-sitemap.xml" in locations


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-05-07", "2024-05-07"),
        ("2024-05-07T09:30:00Z", "2024-05-07T09:30:00+00:00"),
        ("2024-05-07T09:30+0200", "2024-05-07T09:30:00+02:00"),
        ("2024-05-07T09:30:00.123456-05:00", "2024-05-07T09:30:00.123456-05:00"),
        ("2024-05-07 09:30:00", "2024-05-07T09:30:00"),
    ],
)
def test_w3c_dates_keep_their_precision_and_offset(text, iso):
    parsed = parse_w3c(text)
    assert parsed is not None and parsed.iso == iso


def test_rfc822_and_bad_dates():
    parsed = parse_rfc822("Tue, 07 May 2024 09:30:00 +0200")
    assert parsed is not None and parsed.iso == "2024-05-07T09:30:00+02:00"
    assert parse_any("Tue, 07 May 2024 09:30:00 GMT").iso == "2024-05-07T09:30:00+00:00"  # type: ignore[union-attr]
    for bad in ("", "yesterday", "2024-13-45", "2024-02-30T10:00:00Z", None):
        assert parse_any(bad) is None


# --- feeds ----------------------------------------------------------------------------


def test_rss_feed_entries_with_titles_dates_and_language():
    feed = parse_feed(_demo("/feed.xml"), BASE + "/feed.xml")
    assert feed.kind == "rss"
    assert len(feed.entries) == 8
    entry = feed.entries[0]
    assert entry.url.startswith(BASE + "/")
    hints = entry.hints()
    assert hints["title"] and hints["published"][4] == "-" and "T" in hints["published"]


def test_atom_feed_prefers_the_alternate_html_link():
    feed = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>T</title>'
        b'<entry><title type="html">Erste &amp; beste</title>'
        b'<link rel="self" href="https://x.example/api/1"/>'
        b'<link rel="alternate" type="text/html" href="/2024/05/erste-meldung"/>'
        b"<updated>2024-05-07T10:00:00Z</updated><published>2024-05-06T08:00:00+02:00</published>"
        b'</entry><entry xml:lang="en"><title>Second</title><link href="https://x.example/b"/>'
        b"<updated>2024-05-08T10:00:00Z</updated></entry><entry><title>no link</title></entry></feed>",
        "https://x.example/atom.xml",
    )
    assert feed.kind == "atom"
    assert [(e.url, e.title, e.language) for e in feed.entries] == [
        ("https://x.example/2024/05/erste-meldung", "Erste & beste", "de"),
        ("https://x.example/b", "Second", "en"),
    ]
    assert feed.entries[0].hints()["published"] == "2024-05-06T08:00:00+02:00"
    assert feed.entries[1].hints()["published"] == "2024-05-08T10:00:00+00:00"


def test_rss_guid_permalink_dc_date_and_rss1():
    rss = parse_feed(
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        b"<title>t</title><language>fr-FR</language>"
        b'<item><title>A</title><guid isPermaLink="true">https://x.example/a</guid>'
        b"<dc:date>2024-05-07T09:00:00+02:00</dc:date></item>"
        b'<item><title>B</title><guid isPermaLink="false">tag:x,1</guid></item>'
        b"</channel></rss>"
    )
    assert [(e.url, e.language) for e in rss.entries] == [("https://x.example/a", "fr-fr")]
    assert rss.entries[0].hints()["published"] == "2024-05-07T09:00:00+02:00"
    rdf = parse_feed(
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel><title>t</title></channel>'
        b"<item><title>R</title><link>https://x.example/r</link></item></rdf:RDF>"
    )
    assert rdf.kind == "rdf" and [e.url for e in rdf.entries] == ["https://x.example/r"]


def test_a_sitemap_is_not_a_feed():
    with pytest.raises(NotXMLError):
        parse_feed(_demo("/sitemap.xml"))


def test_sniff_tells_feeds_from_pages():
    assert sniff(_demo("/feed.xml")) == "feed"
    assert sniff(_demo("/atom.xml")) == "feed"
    assert sniff(_demo("/index.html")) == "html"
    assert sniff(b"%PDF-1.7 ...") == "other"


def test_feeds_are_discovered_from_link_alternate():
    html = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss">'
        b'<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://x.example/atom">'
        b'<link rel="alternate" type="text/html" hreflang="de" href="/de/">'
        b'<link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">'
        b'<link rel="alternate" type="application/rss+xml" href="/rss"></head><body></body></html>'
    )
    assert discover_feeds(html, "https://x.example/home") == [
        "https://x.example/rss",
        "https://x.example/atom",
    ]
    assert discover_feeds(b"", "https://x.example/") == []
    demo = discover_feeds(_demo("/index.html"), BASE + "/")
    assert demo == [f"{BASE}/feed.xml", f"{BASE}/atom.xml"]


# --- article pages --------------------------------------------------------------------


def _demo_page(path: str) -> bytes:
    for candidate in (path.rstrip("/") + ".html", path.rstrip("/") + "/index.html", path):
        file = SITE / candidate.lstrip("/")
        if file.is_file():
            return _demo(candidate)
    raise FileNotFoundError(path)


def _expected() -> dict:
    import json

    return json.loads((SITE / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(_expected()["articles"]))
def test_demo_articles_are_recognised(path):
    assert classify_page(_demo_page(path), BASE + path).is_article


@pytest.mark.parametrize("path", _expected()["non_articles"])
def test_demo_index_pages_are_not_articles(path):
    assert not classify_page(_demo_page(path), BASE + path).is_article


PROSE = "<p>" + " ".join(["word"] * 60) + ".</p>"


def test_json_ld_in_a_graph_decides():
    html = (
        '<html><head><script type="application/ld+json">'
        '{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},'
        '{"@type":["NewsArticle"],"headline":"h"}]}</script></head><body><p>short</p></body></html>'
    )
    verdict = classify_page(html, "https://x.example/politics/")
    assert verdict.is_article and verdict.reason == "json-ld article type"


def test_og_type_article_decides():
    html = '<html><head><meta property="og:type" content="article"></head><body></body></html>'
    assert classify_page(html, "https://x.example/tag/x/").is_article


def test_a_list_of_links_is_not_an_article_even_at_an_article_like_url():
    links = "".join(
        f'<li><a href="/s/{i}">A headline that is fairly long {i}</a></li>' for i in range(40)
    )
    html = f"<html><body><ul>{links}</ul></body></html>"
    assert not classify_page(html, "https://x.example/2024/05/07/roundup").is_article


def test_prose_without_metadata_is_an_article():
    html = f"<html><body><nav><a href='/'>Home</a></nav>{PROSE * 4}</body></html>"
    verdict = classify_page(html, "https://x.example/some/page")
    assert verdict.is_article and verdict.reason == "text density"


def test_declared_collection_page_with_teasers_is_not_an_article():
    html = (
        '<html><head><meta property="og:type" content="website"></head><body>'
        f"{PROSE}<p>teaser</p></body></html>"
    )
    assert not classify_page(html, "https://x.example/politics/").is_article


def test_empty_page_is_not_an_article():
    assert not classify_page(b"", "https://x.example/2024/05/07/story").is_article


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://x.example/", "index"),
        ("https://x.example/politics/", "index"),
        ("https://x.example/tag/brexit/", "index"),
        ("https://x.example/author/jane-doe/", "index"),
        ("https://x.example/news/page/3/", "index"),
        ("https://x.example/news?page=2", "index"),
        ("https://x.example/2024/05/07/council-votes-on-budget", "article"),
        ("https://x.example/world/2025/mar/12/offshore-wind-auction", "unknown"),
        ("https://x.example/local/news/harbour-bridge-to-close-1187342", "article"),
        ("https://x.example/politics/minister-resigns-after-vote.html", "article"),
    ],
)
def test_url_shapes(url, kind):
    assert url_kind(url) == kind


# --- fuzzing ----------------------------------------------------------------------------

_SEEDS = [_demo(p) for p in ("/feed.xml", "/atom.xml", "/news-sitemap.xml", "/sitemap_index.xml")]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "flip"]))
        if action == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [b"<", b"&", b"]]>", b"<!ENTITY a 'b'>", b"\x00", b"<url>", b"\xff"]
                )
            )
        elif data:
            data[min(at, len(data) - 1)] ^= 0xFF
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_mutated(), st.binary(max_size=2000)))
def test_parsers_never_raise_anything_but_their_own_errors(data):
    for parse in (parse_sitemap, parse_feed):
        try:
            result = parse(data)
        except (NotXMLError, UnsafeXMLError, TooLargeError):
            continue
        for entry in result.entries:
            url = getattr(entry, "loc", None) or getattr(entry, "url", "")
            assert url.startswith(("http://", "https://"))
    discover_feeds(data, BASE + "/")
    classify_page(data, BASE + "/2024/05/07/story")


def test_malformed_entry_urls_are_skipped_not_raised():
    # Found by the fuzz test: "https://]]>host/" makes urllib raise "Invalid IPv6 URL".
    from newsbot.discovery.feeds import parse_feed
    from newsbot.discovery.sitemaps import parse_sitemap, robots_sitemaps

    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<entry><title>bad</title><link href="https://]]>news.example/a.html"/></entry>'
        b'<entry><title>good</title><link href="https://news.example/b.html"/></entry></feed>'
    )
    assert [e.url for e in parse_feed(atom).entries] == ["https://news.example/b.html"]
    sitemap = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://[news.example/a.html</loc></url>"
        b"<url><loc>https://news.example/b.html</loc></url></urlset>"
    )
    assert [e.loc for e in parse_sitemap(sitemap).entries] == ["https://news.example/b.html"]
    robots = "Sitemap: https://[bad/sitemap.xml\nSitemap: /news-sitemap.xml\n"
    assert robots_sitemaps(robots, "https://news.example/") == [
        "https://news.example/news-sitemap.xml"
    ]
