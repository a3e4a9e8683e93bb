"""Encodings: the text comes out right, whatever the bytes and headers claim.

Each case is a page in a real legacy encoding (or UTF-8 with a wrong header), checked
three ways: decode_html, extract_article (as the worker does: raw body + Content-Type),
and a crawl through the fault server, where Scrapy's own headers handling is involved.
"""

from __future__ import annotations

import pytest
from faultserver import ENCODING_CASES, FaultServer, encoded_page, run_crawl

from newsbot.extraction import decode_html, extract_article
from newsbot.extraction.encoding import (
    MAX_TAG_LENGTH,
    NotHtmlError,
    defuse_markup,
    sniff_not_html,
)

CASES = sorted(ENCODING_CASES)


@pytest.mark.parametrize("case", CASES)
def test_decode_html_gives_the_real_characters(case):
    body, content_type, sentence = encoded_page(case)
    text = decode_html(body, content_type)
    assert sentence in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("case", CASES)
def test_extract_article_text_has_no_mojibake(case):
    body, content_type, sentence = encoded_page(case)
    article = extract_article(body, "https://news.example/story", content_type=content_type)
    assert article.text is not None, article.error
    assert sentence in article.text
    assert "\ufffd" not in article.text
    # Typical mojibake of UTF-8 read as Latin-1 / cp1252.
    for junk in ("Ã", "â€", "Â«"):
        assert junk not in article.text


def test_a_real_replacement_character_in_utf8_is_kept():
    body = "<p>The sign \ufffd is a real character here, café.</p>".encode()
    assert "\ufffd is a real character" in decode_html(body)


def test_one_broken_byte_does_not_turn_a_declared_page_into_mojibake():
    good = (
        "<meta charset=shift_jis><p>" + "市議会は新しい橋の建設計画を承認しました。" * 20 + "</p>"
    )
    body = good.encode("cp932")
    broken = body[:200] + b"\xff" + body[200:]
    text = decode_html(broken)
    assert "建設計画を承認しました" in text


def test_body_cut_inside_a_utf8_character_stays_utf8():
    body = ("<p>" + "Zoë’s café " * 50 + "</p>").encode()
    cut = body[: len(body) - 1 - body[::-1].index("’".encode()[0:1]) + 1]
    text = decode_html(cut)
    assert "Zoë’s café" in text
    assert "Ã" not in text


def test_control_characters_and_nul_bytes_are_dropped():
    text = decode_html(b"<p>news\x00 of\x01 the\x1b day\x7f</p>")
    assert text == "<p>news of the day</p>"


@pytest.mark.parametrize(
    ("body", "content_type", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "text/html", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "PNG"),
        (b"<html>looks like a page</html>", "image/jpeg", "image/jpeg"),
        (bytes(range(256)) * 20, None, "binary"),
    ],
)
def test_non_pages_are_refused_with_a_reason(body, content_type, what):
    assert what in (sniff_not_html(body, content_type) or "")
    with pytest.raises(NotHtmlError):
        decode_html(body, content_type)
    article = extract_article(body, "https://news.example/x", content_type=content_type)
    assert article.text is None and "not an HTML page" in (article.error or "")


def test_octet_stream_html_is_still_a_page():
    # Misconfigured servers send pages as application/octet-stream.
    assert sniff_not_html(b"<html><p>hello</p></html>", "application/octet-stream") is None


@pytest.mark.slow
def test_encodings_survive_a_real_crawl(tmp_path):
    with FaultServer() as server:
        result = run_crawl(
            tmp_path, args={"urls": ",".join(server.url(f"/enc/{c}") for c in CASES)}
        )
    assert result.returncode == 0, result.stderr[-2000:]
    texts = {r["url"].rsplit("/", 1)[1]: r["text"] for r in result.records}
    assert sorted(texts) == CASES
    for case in CASES:
        _, _, sentence = encoded_page(case)
        assert sentence in texts[case], case
        assert "\ufffd" not in texts[case]


def test_defuse_markup_cuts_long_tags_and_keeps_long_scripts():
    # Two tags too long for the parser, one at the very end without its '>', between
    # runs of script text as long (no '>' either) that must come back untouched.
    filler = "a b " * (MAX_TAG_LENGTH // 3)
    script = "var x = 1; " * (MAX_TAG_LENGTH // 5)
    text = (
        "<html><body><p>before</p>"
        f'<div data-x="{filler}"><p>middle</p>'
        f"<script>{script}</script><p>after</p>"
        f'<span title="{filler}">tail</span>'
        f"<script>{script}</script>"
        f"<img alt='{filler}"
    )
    expected = (
        "<html><body><p>before</p>"
        "<div><p>middle</p>"
        f"<script>{script}</script><p>after</p>"
        "<span>tail</span>"
        f"<script>{script}</script>"
        "<img>"
    )
    assert defuse_markup(text) == expected


def test_defuse_markup_leaves_ordinary_large_pages_alone():
    text = "<html><body>" + "<p>A paragraph of text.</p>" * 10_000 + "</body></html>"
    assert defuse_markup(text) is text


def test_the_utf8_bytes_handed_to_the_parser_are_always_the_texts_own() -> None:
    from newsbot.extraction.encoding import decode_html_utf8

    page = "<html><head><title>Zürich</title></head><body><p>“Grüezi” — {}</p></body></html>"
    cases = {
        # UTF-8 and ASCII bodies are their text's UTF-8 already: handed on as they are.
        "utf-8": page.format("fine").encode("utf-8"),
        "ascii": b"<html><body><p>plain</p></body></html>",
        # A control byte dropped: the bytes handed on are those without it.
        "control": page.format("a\x01b").encode("utf-8"),
        # Another encoding, or a byte-order mark: the text must be encoded afresh.
        "cp1252": "<html><body><p>Zürich – Grüezi</p></body></html>".encode("cp1252"),
        "bom": b"\xef\xbb\xbf" + page.format("bom").encode("utf-8"),
    }
    for name, body in cases.items():
        text, utf8 = decode_html_utf8(body, "text/html")
        assert text == decode_html(body, "text/html"), name
        if name in {"cp1252", "bom"}:
            assert utf8 is None, name
        else:
            assert utf8 == text.encode("utf-8"), name
