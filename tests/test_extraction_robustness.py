"""extract_article never raises and takes bounded time on hostile input."""

from __future__ import annotations

import time

import pytest

from newsbot.extraction import extract_article

HOSTILE = {
    "deep nesting": b"<html><body>" + b"<div>" * 10_000 + b"<p>deep</p>" + b"</div>" * 10_000,
    "unclosed nesting": ("<html><body>" + "<span><div>" * 10_000 + "text").encode(),
    "huge attribute": b'<html><body><p class="'
    + b"x" * 5_000_000
    + b'">hello there</p></body></html>',
    "NUL bytes": b"<html>\x00<body>\x00<p>hello\x00 world</p></body></html>",
    "only scripts": b"<html><head><script>var a=1;</script></head><body><script>x()</script></body></html>",
    "empty": b"",
    "whitespace": b"  \n\t ",
    "binary": bytes(range(256)) * 100,
    "broken JSON-LD": (
        b'<html><head><script type="application/ld+json">{"@type": ["NewsArticle"], '
        b'"author": {"name": 5}, "datePublished": 12345, "headline": {"x": []}'
        b"</script></head><body><p>x</p></body></html>"
    ),
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_gives_a_result_not_an_exception(body: bytes) -> None:
    start = time.monotonic()
    result = extract_article(body, "https://example.com/x")
    elapsed = time.monotonic() - start
    assert result.text is None or isinstance(result.text, str)
    if result.text is None:
        assert result.error
    # Generous bound for a shared, loaded machine; a quadratic path takes minutes.
    assert elapsed < 20


def test_empty_page_says_why() -> None:
    assert extract_article(b"").error == "empty page"
    assert extract_article("   ").error == "empty page"


def test_nul_bytes_do_not_reach_the_text() -> None:
    result = extract_article(HOSTILE["NUL bytes"])
    assert "\x00" not in (result.text or "")


def test_whole_page_text_dump_is_told_from_an_article() -> None:
    from lxml import etree

    from newsbot.extraction.rescue import is_text_dump as _is_text_dump

    menu = "\n".join(f"Menu entry {i}" for i in range(80))
    dump = etree.fromstring(f"<body><p>{menu}</p></body>")
    assert _is_text_dump(dump)
    # An article with many short lines keeps them as <lb/> elements: not a dump.
    poem = "".join(f"Line {i} of the poem<lb/>" for i in range(80))
    article = etree.fromstring(f"<body><p>Intro.</p><p>{poem}</p><p>Outro.</p></body>")
    assert not _is_text_dump(article)
