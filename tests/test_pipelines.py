"""The item pipelines, one by one, with a real crawler's stats."""

from __future__ import annotations

import asyncio
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newsbot.feed_exporter import JsonLinesExporter
from newsbot.items import ArticleRecord, PageItem
from newsbot.pipelines.dedupe import DedupePipeline
from newsbot.pipelines.page_to_record import ExtractionPipeline
from newsbot.pipelines.validate import ValidationPipeline

PARAGRAPHS = [
    "The county council voted on Tuesday to approve a budget that will fund road repairs "
    "across the district for the next three years, officials said after the meeting.",
    "Residents had complained for months about potholes on the main road, and several "
    "local businesses said deliveries had been delayed because of the damage to it.",
    "The mayor said the plan was the largest investment in local roads in a decade and "
    "promised that the first crews would begin work early in the spring.",
]
ARTICLE = (
    "<html><head><title>Council approves road budget | The Gazette</title>"
    '<meta property="og:type" content="article"></head><body><article>'
    "<h1>Council approves road budget</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article></body></html>"
).encode()


def run(coro):
    # pytest-twisted may already run an asyncio loop in this thread (the reactor).
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coro).result()


def crawler(**settings):
    c = get_crawler(settings_dict={"NEWSBOT_WORKERS": -1, **settings})
    c.stats.open_spider()
    return c


def page(body: bytes = ARTICLE, url: str = "https://news.example/2025/01/road-budget", **kw):
    return PageItem(url=url, body=body, source="test", fetched_at="2025-01-02T03:04:05+00:00", **kw)


def record(**kw) -> ArticleRecord:
    base = dict(
        id="x",
        url="https://news.example/a",
        canonical_url="https://news.example/a",
        title="A headline",
        text=" ".join(["word"] * 100),
        word_count=100,
        source="test",
    )
    base.update(kw)
    return ArticleRecord(**base)


def test_extraction_pipeline_turns_a_page_into_a_record():
    c = crawler()
    pipe = ExtractionPipeline.from_crawler(c)
    out = run(pipe.process_item(page()))
    pipe.close_spider()
    assert isinstance(out, ArticleRecord)
    assert out.title == "Council approves road budget"
    for paragraph in PARAGRAPHS:
        assert paragraph in out.text
    assert out.source == "test"
    assert out.fetched_at == "2025-01-02T03:04:05+00:00"
    assert out.word_count > 60
    assert c.stats.get_value("newsbot/extract/pages") == 1


def test_extraction_pipeline_drops_an_empty_page_with_a_counted_reason():
    c = crawler()
    pipe = ExtractionPipeline.from_crawler(c)
    with pytest.raises(DropItem, match="no article text"):
        run(pipe.process_item(page(body=b"")))
    pipe.close_spider()
    errors = {k: v for k, v in c.stats.get_stats().items() if k.startswith("newsbot/extract/error")}
    assert sum(errors.values()) == 1


def test_extraction_pipeline_uses_discovery_hints_only_to_fill_gaps():
    c = crawler()
    pipe = ExtractionPipeline.from_crawler(c)
    hinted = page(hints={"title": "Sitemap title", "published": "2025-01-01T08:00:00+01:00"})
    out = run(pipe.process_item(hinted))
    pipe.close_spider()
    assert out.title == "Council approves road budget"  # the page wins
    assert out.published == "2025-01-01T08:00:00+01:00"  # the page had none


def test_extraction_pipeline_passes_other_items_through():
    pipe = ExtractionPipeline.from_crawler(crawler())
    assert run(pipe.process_item({"a": 1})) == {"a": 1}
    pipe.close_spider()


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"title": None}, "no_title"),
        ({"text": "Too short.", "word_count": 2}, "too_short"),
        (
            {
                "text": "Subscribe to continue reading. Already a subscriber? Log in.",
                "word_count": 9,
            },
            "stub",
        ),
    ],
)
def test_validation_drops_non_articles_and_counts_why(kwargs, reason):
    c = crawler()
    pipe = ValidationPipeline.from_crawler(c)
    with pytest.raises(DropItem, match=reason):
        run(pipe.process_item(record(**kwargs)))
    assert c.stats.get_value(f"newsbot/dropped/{reason}") == 1


def test_validation_keeps_an_article_that_mentions_subscribing():
    text = "The paper said readers could subscribe to continue reading its coverage. " + " ".join(
        ["The council met again and discussed the plan at length."] * 20
    )
    pipe = ValidationPipeline.from_crawler(crawler())
    kept = run(pipe.process_item(record(text=text, word_count=len(text.split()))))
    assert kept.text == text


def test_validation_threshold_is_a_setting():
    pipe = ValidationPipeline.from_crawler(crawler(NEWSBOT_MIN_WORDS=5))
    short = record(text="one two three four five six", word_count=6)
    assert run(pipe.process_item(short)) is short


def test_dedupe_drops_a_second_record_of_a_url_and_of_a_text():
    c = crawler()
    pipe = DedupePipeline.from_crawler(c)
    first = record()
    assert run(pipe.process_item(first)) is first
    with pytest.raises(DropItem, match="duplicate_url"):
        run(pipe.process_item(record(url="https://news.example/a?utm_source=x")))
    with pytest.raises(DropItem, match="duplicate_text"):
        run(
            pipe.process_item(
                record(url="https://news.example/b", canonical_url="https://news.example/b")
            )
        )
    other = record(
        url="https://news.example/c", canonical_url="https://news.example/c", text="other " * 60
    )
    assert run(pipe.process_item(other)) is other
    assert c.stats.get_value("newsbot/dropped/duplicate_url") == 1
    assert c.stats.get_value("newsbot/dropped/duplicate_text") == 1


def test_text_dedupe_can_be_turned_off_while_urls_stay_unique():
    c = crawler(NEWSBOT_DEDUPE_TEXT=False)
    pipe = DedupePipeline.from_crawler(c)
    first = record()
    assert run(pipe.process_item(first)) is first
    same_text = record(url="https://news.example/b", canonical_url="https://news.example/b")
    assert run(pipe.process_item(same_text)) is same_text
    with pytest.raises(DropItem, match="duplicate_url"):
        run(pipe.process_item(record(url="https://news.example/a?utm_source=x")))
    assert c.stats.get_value("newsbot/dropped/duplicate_text") is None


def test_exporter_writes_whole_utf8_lines_and_flushes_each():
    class Sink(io.BytesIO):
        flushes = 0

        def flush(self):
            Sink.flushes += 1
            super().flush()

    sink = Sink()
    exporter = JsonLinesExporter(sink, encoding="utf-8")
    exporter.start_exporting()
    exporter.export_item(record(title="Zürich – «Grüße»"))
    exporter.export_item(record(title="second"))
    exporter.finish_exporting()
    lines = sink.getvalue().decode("utf-8").splitlines()
    assert len(lines) == 2
    assert "Zürich – «Grüße»" in lines[0]  # not \u-escaped
    assert json.loads(lines[0])["title"] == "Zürich – «Grüße»"
    assert Sink.flushes >= 2


def test_item_log_lines_name_the_url_not_the_raw_body():
    from scrapy import Spider

    from newsbot.logformatter import NewsbotLogFormatter

    spider = Spider("t")
    spider.crawler = crawler()
    big = page(body=b"<p>" + b"x" * 1_000_000 + b"</p>")
    entry = NewsbotLogFormatter().dropped(big, DropItem("too_short: why"), None, spider)
    line = entry["msg"] % entry["args"]
    assert "too_short: why" in line
    assert len(line) < 300
    scraped = NewsbotLogFormatter().scraped(record(), None, spider)
    line = scraped["msg"] % scraped["args"]
    assert "https://news.example/a" in line and "word word" not in line
