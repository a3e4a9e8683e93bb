"""The demo news site: its server, and the consistency of its truth file with its pages."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from newsbot.demo import SITE_ROOT, DemoServer
from newsbot.demo.build import build

SITE = "The Demo Gazette"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
}
EXPECTED: dict = json.loads((SITE_ROOT / "expected.json").read_text("utf-8"))
ARTICLES: dict[str, dict] = EXPECTED["articles"]


def fetch(
    server: DemoServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One raw request (no redirect following, no proxies)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def element_texts(doc: lxml.html.HtmlElement, tag: str = "*") -> set[str]:
    return {norm(el.text_content()) for el in doc.iter(tag) if isinstance(el.tag, str)}


def path_of(url: str, server: DemoServer) -> str:
    assert url.startswith(server.url + "/"), url
    return url[len(server.url) :]


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as srv:
        yield srv


@pytest.fixture
def fresh_server() -> Iterator[DemoServer]:
    with DemoServer() as srv:
        yield srv


def page_doc(server: DemoServer, path: str) -> lxml.html.HtmlElement:
    status, _, body = fetch(server, path)
    assert status == 200, path
    return lxml.html.fromstring(body)


# -- serving ---------------------------------------------------------------------------


def test_url_is_loopback_on_a_random_port(server: DemoServer) -> None:
    parts = urlsplit(server.url)
    assert parts.scheme == "http" and parts.hostname == "127.0.0.1"
    assert parts.port and parts.port > 0 and not server.url.endswith("/")
    assert server.url_for("/feed.xml") == server.url + "/feed.xml"


def test_home_is_html_with_base_substituted(server: DemoServer) -> None:
    status, headers, body = fetch(server, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"{{BASE}}" not in body
    doc = lxml.html.fromstring(body)
    feeds = doc.xpath('//link[@rel="alternate"][@type="application/rss+xml"]/@href')
    assert feeds == [server.url + "/feed.xml"]


def test_missing_page_is_404(server: DemoServer) -> None:
    assert fetch(server, "/no/such/page.html")[0] == 404
    assert fetch(server, "/../pyproject.toml")[0] == 404


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/sitemap-archive.xml.gz", "application/gzip"),
    ],
)
def test_content_types(server: DemoServer, path: str, content_type: str) -> None:
    status, headers, _ = fetch(server, path)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers.get("Content-Encoding") is None


def test_robots_lists_sitemaps_and_disallows_a_page_linked_from_home(server: DemoServer) -> None:
    _, _, body = fetch(server, "/robots.txt")
    text = body.decode()
    sitemaps = [
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Sitemap:")
    ]
    assert sitemaps == [server.url + p for p in EXPECTED["robots_sitemaps"]]
    assert "Disallow: /private/" in text.splitlines()
    home_links = page_doc(server, "/").xpath("//a/@href")
    for private in EXPECTED["disallowed"]:
        assert private.startswith("/private/")
        assert private in home_links
        assert fetch(server, private)[0] == 200  # it exists: only robots.txt protects it


# -- the truth file against the pages ----------------------------------------------------


def test_expected_lists_pages_that_exist(server: DemoServer) -> None:
    assert len(ARTICLES) >= 8
    assert len({a["template"] for a in ARTICLES.values()}) == len(ARTICLES)
    for path in [*ARTICLES, *EXPECTED["non_articles"]]:
        assert server.file_for(path) is not None, path
        assert fetch(server, path)[0] == 200, path


@pytest.mark.parametrize("path", sorted(ARTICLES))
def test_article_paragraphs_and_clutter_are_in_the_page(server: DemoServer, path: str) -> None:
    truth = ARTICLES[path]
    doc = page_doc(server, path)
    paragraphs = element_texts(doc, "p")
    for text in truth["paragraphs"]:
        assert text in paragraphs, text
    texts = element_texts(doc)
    for line in truth["clutter"]:
        assert line in texts, line
    # Clean output must hold every paragraph and no clutter line: impossible if they overlap.
    for line in truth["clutter"]:
        assert all(line not in p for p in truth["paragraphs"]), line
        assert line not in truth["title"]


@pytest.mark.parametrize("path", sorted(ARTICLES))
def test_article_text_is_substantial_and_tricky(server: DemoServer, path: str) -> None:
    truth = ARTICLES[path]
    assert 4 <= len(truth["paragraphs"]) <= 10
    assert sum(len(p.split()) for p in truth["paragraphs"]) >= 200
    assert len(truth["clutter"]) >= 3
    doc = page_doc(server, path)
    # A real paragraph quoting someone, with a link inside it.
    linked = {norm(p.text_content()) for p in doc.iter("p") if p.find(".//a") is not None}
    assert any(p in linked for p in truth["paragraphs"])
    if truth["language"] == "en":
        # A real sentence that merely mentions "read more" (cleaning must keep it).
        assert any("read more" in p for p in truth["paragraphs"])


@pytest.mark.parametrize("path", sorted(ARTICLES))
def test_article_metadata_matches_truth(server: DemoServer, path: str) -> None:
    truth = ARTICLES[path]
    doc = page_doc(server, path)

    def meta(attr: str, name: str) -> list[str]:
        return doc.xpath(f'//meta[@{attr}="{name}"]/@content')

    assert doc.findtext(".//title") == f"{truth['title']} | {SITE}"
    assert meta("property", "og:type") == ["article"]
    assert meta("property", "og:title") == [truth["title"]]
    assert meta("property", "og:site_name") == [SITE]
    assert meta("property", "og:description") == [truth["description"]]
    assert meta("property", "og:image")[0].startswith(server.url + "/")
    assert meta("property", "article:published_time") == [truth["published"]]
    assert re.search(r"[+-]\d\d:\d\d$", truth["published"])
    assert meta("property", "article:section") == [truth["section"]]
    assert meta("property", "article:tag") == truth["tags"]
    assert meta("name", "author") == [", ".join(truth["authors"])]
    assert doc.xpath('//link[@rel="canonical"]/@href') == [server.url + path]
    assert doc.get("lang").split("-")[0] == truth["language"]
    h1 = [norm(h.text_content()) for h in doc.iter("h1")]
    assert h1 == [truth["title"]]


def test_broadsheet_json_ld_lists_people(server: DemoServer) -> None:
    path, truth = next((p, a) for p, a in ARTICLES.items() if a["template"] == "broadsheet")
    doc = page_doc(server, path)
    (script,) = doc.xpath('//script[@type="application/ld+json"]/text()')
    data = json.loads(script)
    assert data["@type"] == "NewsArticle"
    assert [a["name"] for a in data["author"]] == truth["authors"]
    assert {a["@type"] for a in data["author"]} == {"Person"}
    assert data["datePublished"] == truth["published"]
    assert data["dateModified"] == truth["modified"]


def test_tabloid_promos_are_widget_paragraphs(server: DemoServer) -> None:
    path = next(p for p, a in ARTICLES.items() if a["template"] == "tabloid")
    doc = page_doc(server, path)
    promos = [norm(p.text_content()) for p in doc.xpath('//p[@data-widget="read-more"]')]
    assert len(promos) == 3 and all(p.startswith("READ MORE: ") for p in promos)
    assert any("WhatsApp" in p for p in promos)
    (heading,) = doc.xpath('//h2[normalize-space()="You may also like"]')
    assert len(heading.getnext().xpath(".//li/a")) == 5


@pytest.mark.parametrize("path", EXPECTED["non_articles"])
def test_non_article_pages_are_not_articles(server: DemoServer, path: str) -> None:
    doc = page_doc(server, path)
    assert doc.xpath('//meta[@property="og:type"]/@content') != ["article"]
    for script in doc.xpath('//script[@type="application/ld+json"]/text()'):
        assert "Article" not in json.loads(script).get("@type", "")
    assert path not in ARTICLES


def test_listing_pages_link_to_articles(server: DemoServer) -> None:
    home_links = set(page_doc(server, "/").xpath("//a/@href"))
    assert set(ARTICLES) <= home_links
    for path in EXPECTED["non_articles"]:
        if path in ("/", "/about.html"):
            continue
        links = set(page_doc(server, path).xpath("//a/@href"))
        assert links & set(ARTICLES), path


# -- feeds and sitemaps ----------------------------------------------------------------


def xml_of(server: DemoServer, path: str) -> lxml.etree._Element:
    status, _, body = fetch(server, path)
    assert status == 200
    if path.endswith(".gz"):
        body = gzip.decompress(body)
    assert b"{{BASE}}" not in body
    return lxml.etree.fromstring(body)


def test_rss_feed_lists_exactly_the_articles(server: DemoServer) -> None:
    root = xml_of(server, "/feed.xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    links = [path_of(link, server) for link in root.xpath("/rss/channel/item/link/text()")]
    assert links == EXPECTED["feeds"]["/feed.xml"]
    assert set(links) == set(ARTICLES)
    titles = root.xpath("/rss/channel/item/title/text()")
    assert titles == [ARTICLES[p]["title"] for p in links]


def test_atom_feed_lists_exactly_the_articles(server: DemoServer) -> None:
    root = xml_of(server, "/atom.xml")
    hrefs = root.xpath("/atom:feed/atom:entry/atom:link[@rel='alternate']/@href", namespaces=NS)
    paths = [path_of(h, server) for h in hrefs]
    assert paths == EXPECTED["feeds"]["/atom.xml"]
    assert set(paths) == set(ARTICLES)
    published = root.xpath("/atom:feed/atom:entry/atom:published/text()", namespaces=NS)
    assert published == [ARTICLES[p]["published"] for p in paths]


def test_sitemap_index_and_children_cover_the_articles(server: DemoServer) -> None:
    ((index_path, children),) = EXPECTED["sitemap_index"].items()
    index = xml_of(server, index_path)
    locs = [path_of(u, server) for u in index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)]
    assert locs == children
    assert any(c.endswith(".xml.gz") for c in children)
    seen_articles: set[str] = set()
    for child in children:
        root = xml_of(server, child)
        listed = [path_of(u, server) for u in root.xpath("//sm:url/sm:loc/text()", namespaces=NS)]
        assert listed == EXPECTED["sitemaps"][child], child
        assert set(listed) <= set(ARTICLES) | set(EXPECTED["non_articles"])
        assert not set(listed) & set(EXPECTED["disallowed"])
        seen_articles |= set(listed) & set(ARTICLES)
    assert seen_articles == set(ARTICLES)


def test_news_sitemap_carries_dates_titles_languages(server: DemoServer) -> None:
    root = xml_of(server, "/news-sitemap.xml")
    entries = root.xpath("//sm:url", namespaces=NS)
    assert len(entries) == len(ARTICLES)
    for entry in entries:
        path = path_of(entry.findtext("sm:loc", namespaces=NS), server)
        truth = ARTICLES[path]
        news = entry.find("news:news", namespaces=NS)
        assert news.findtext("news:publication_date", namespaces=NS) == truth["published"]
        assert news.findtext("news:title", namespaces=NS) == truth["title"]
        lang = news.findtext("news:publication/news:language", namespaces=NS)
        assert lang == truth["language"]


def test_committed_site_matches_the_generator(tmp_path: Path) -> None:
    """The shipped files (and expected.json) are exactly what build.py writes today."""
    out = tmp_path / "site"
    build(out)
    built = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    shipped = {
        p.relative_to(SITE_ROOT): p.read_bytes() for p in SITE_ROOT.rglob("*") if p.is_file()
    }
    assert sorted(built) == sorted(shipped)
    for rel, data in built.items():
        assert data == shipped[rel], f"{rel} is stale: run python -m newsbot.demo.build"


# -- run-time pages and the request log ------------------------------------------------


def test_add_page_serves_new_content_with_base(fresh_server: DemoServer) -> None:
    fresh_server.add_page(
        "/extra/new-story.html", "<html><a href='{{BASE}}/x'>x</a></html>", status=200
    )
    status, headers, body = fetch(fresh_server, "/extra/new-story.html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == f"<html><a href='{fresh_server.url}/x'>x</a></html>".encode()
    fresh_server.add_page("/data.bin", b"{{BASE}}", content_type="application/octet-stream")
    assert fetch(fresh_server, "/data.bin")[2] == b"{{BASE}}"


def test_add_page_redirect_and_error(fresh_server: DemoServer) -> None:
    target = next(iter(ARTICLES))
    fresh_server.add_page("/go/story", b"", status=301, headers={"Location": "{{BASE}}" + target})
    status, headers, _ = fetch(fresh_server, "/go/story")
    assert status == 301 and headers["Location"] == "{{BASE}}" + target
    fresh_server.add_page("/broken.html", "oops", status=500)
    assert fetch(fresh_server, "/broken.html")[0] == 500


def test_set_body_changes_an_article_then_remove_restores_it(fresh_server: DemoServer) -> None:
    path = next(iter(ARTICLES))
    original = fetch(fresh_server, path)
    raw = fresh_server.read_page(path)
    assert raw is not None and b"{{BASE}}" in raw
    first = ARTICLES[path]["paragraphs"][0]
    fresh_server.set_body(path, raw.replace(b"</h1>", b"</h1><p>Update: a new paragraph.</p>"))
    status, headers, body = fetch(fresh_server, path)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Update: a new paragraph." in body and b"{{BASE}}" not in body
    assert headers["ETag"] != original[1]["ETag"]
    assert first in lxml.html.fromstring(body).text_content()
    fresh_server.remove_page(path)
    assert fetch(fresh_server, path)[2] == original[2]
    fresh_server.hide_page(path)
    assert fetch(fresh_server, path)[0] == 404
    fresh_server.remove_page(path)
    assert fetch(fresh_server, path)[0] == 200
    with pytest.raises(KeyError):
        fresh_server.set_body("/never/existed.html", "x")


def test_conditional_get_answers_304(fresh_server: DemoServer) -> None:
    status, headers, _ = fetch(fresh_server, "/feed.xml")
    assert status == 200
    again = fetch(fresh_server, "/feed.xml", headers={"If-None-Match": headers["ETag"]})
    assert again[0] == 304 and again[2] == b""
    since = fetch(
        fresh_server, "/feed.xml", headers={"If-Modified-Since": headers["Last-Modified"]}
    )
    assert since[0] == 304
    assert fetch(fresh_server, "/feed.xml", headers={"If-None-Match": '"other"'})[0] == 200


def test_requests_are_logged_in_order(fresh_server: DemoServer) -> None:
    fetch(fresh_server, "/robots.txt")
    fetch(fresh_server, "/feed.xml?utm_source=x")
    fetch(fresh_server, "/missing.html", method="HEAD")
    assert fresh_server.requests == ["/robots.txt", "/feed.xml?utm_source=x", "/missing.html"]
    assert [r.method for r in fresh_server.log] == ["GET", "GET", "HEAD"]
    assert fresh_server.count("/robots.txt") == 1
    fresh_server.clear_log()
    assert fresh_server.requests == []


@pytest.mark.slow
def test_module_entry_point_serves_in_the_foreground() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsbot.demo.server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=10)
        conn.request("GET", "/robots.txt")
        resp = conn.getresponse()
        assert resp.status == 200 and f"Sitemap: {match.group(0)}/" in resp.read().decode()
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
