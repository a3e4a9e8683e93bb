"""Hostile markup: extraction never raises and takes bounded time; ``newsbot extract``
answers any bytes with a record or a clear error, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from faultserver import article_html, article_paragraphs

from newsbot.extraction import ExtractedArticle, extract_article

# Generous for a 2-core machine shared with other test runs; a hang or a quadratic
# blow-up on these inputs takes minutes.
TIME_LIMIT = 10.0
MB = 1024 * 1024


def _nested(depth: int) -> bytes:
    return (
        b"<html><body>"
        + b"<div>" * depth
        + b"<p>deep text</p>"
        + b"</div>" * depth
        + b"</body></html>"
    )


HOSTILE = {
    "nested-10000": _nested(10_000),
    "nested-unclosed-50000": b"<html><body>" + b"<div><span>" * 50_000 + b"text",
    "huge-attribute": b'<html><body><div data-x="'
    + b"a" * (5 * MB)
    + b'"><p>hi</p></div></body></html>',
    "many-attributes": b"<html><body><p "
    + b" ".join(b"a%d=x" % i for i in range(100_000))
    + b">text</p></body></html>",
    "unclosed-tags": b"<html><body>" + b"<p><b><i><table><tr><td><span>word " * 20_000,
    "only-scripts": b"<html><head>"
    + b"<script>var a = '<p>not text</p>'; for(;;){}</script>" * 20_000
    + b"</head></html>",
    "links-5mb": b"<html><body>"
    + b"".join(b'<a href="/story/%d">Link number %d</a> ' % (i, i) for i in range(130_000))
    + b"</body></html>",
    "nul-and-controls": article_html("controls")
    .replace("</p>", "\x00\x01\x02\x1b\x7f</p>")
    .encode(),
    "all-nul": b"\x00" * MB,
    "random-bytes": bytes((i * 7919 + 13) % 256 for i in range(MB)),
    "xml-declaration": b'<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
    "comment-bomb": b"<html><body>" + b"<!--" * 100_000 + b"</body></html>",
    "cdata-and-doctype": b"<!DOCTYPE html [<!ENTITY x 'y'>]><html><body><![CDATA[&x;]]></body></html>",
    "empty": b"",
    "whitespace": b" \n\t" * 1000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_extract_article_never_raises_and_is_bounded(name):
    body = HOSTILE[name]
    started = time.monotonic()
    article = extract_article(body, "https://news.example/hostile")
    elapsed = time.monotonic() - started
    assert isinstance(article, ExtractedArticle)
    assert article.text or article.error
    assert elapsed < TIME_LIMIT, f"{name}: {elapsed:.1f}s"


def test_control_characters_do_not_cost_the_article():
    article = extract_article(HOSTILE["nul-and-controls"], "https://news.example/c")
    assert article.text is not None, article.error
    for paragraph in article_paragraphs("controls"):
        assert paragraph in article.text
    assert not any(ch in article.text for ch in "\x00\x01\x02\x1b\x7f")


@pytest.mark.slow
def test_newsbot_extract_answers_any_bytes_without_a_traceback(tmp_path):
    names = ["nested-10000", "only-scripts", "all-nul", "random-bytes", "empty", "nul-and-controls"]
    files = []
    for name in names:
        path = tmp_path / f"{name}.html"
        path.write_bytes(HOSTILE[name])
        files.append(str(path))
    files.append(str(tmp_path / "missing.html"))
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "extract", "--workers", "1", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    by_source = {r["source"]: r for r in records}
    for path in files:
        record = by_source.get(path)
        if record is None:
            # Not a record: then a clear one-line error naming the file.
            assert path in proc.stderr
            continue
        assert record["text"] or record.get("error"), record
    assert by_source[files[names.index("nul-and-controls")]]["text"]


@pytest.mark.slow
def test_newsbot_extract_on_a_broken_gzip_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "broken.html.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 20)
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "extract", "--workers", "1", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert (records and records[0].get("error")) or str(path) in proc.stderr


def test_long_attribute_values_are_found_wherever_they_sit():
    # The pre-check searches only the page's runs without '>'; it must find every value
    # the plain expression finds, at any offset and length around the limit.
    from newsbot.extraction import api

    for length in (1999, 2000, 2001, 3000, 40_000):
        for lead in (0, 1, 999, 1000, 1001, 4321):
            for quote in ('"', "'"):
                page = (
                    "<p>x</p>" * lead
                    + f"<div class={quote}{'c' * length}{quote}>text</div>"
                    + "<p>y</p>" * 7
                )
                expected = api._LONG_ATTRIBUTE.search(page) is not None
                assert api._has_long_attribute(page) is expected, (length, lead, quote)


def test_an_article_behind_a_long_class_value_is_still_extracted():
    paragraphs = article_paragraphs("long-class")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f'<html><body><article class="{"story " * 2000}"><h1>A headline</h1>{body}</article>'
    article = extract_article(page.encode(), "https://news.example/long-class")
    assert all(p in (article.text or "") for p in paragraphs)
