"""Record building: the word count follows the one rule, whatever the script.

(The rule itself, script by script, is tested in test_words.py.)"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsbot.extraction import ExtractedArticle
from newsbot.extraction.words import count_words
from newsbot.records import make_record

_WORD = re.compile(r"\w+")


def _record(text: str | None):
    return make_record(ExtractedArticle(text=text), url="https://news.example/a", source="s")


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_counts_match_the_expression(text: str) -> None:
    assert _record(text).word_count == len(_WORD.findall(text))


@given(st.text())
def test_the_record_counts_its_text_by_the_rule(text: str) -> None:
    assert _record(text).word_count == count_words(text)


def test_a_chinese_or_thai_text_counts_a_word_a_character() -> None:
    assert _record("市议会批准了新桥的建设计划。").word_count == 13
    assert _record("สวัสดีครับ").word_count == 7
    assert _record("U.S. well-being: 3,5 % — naïve_user").word_count == 7
    assert _record("").word_count == 0
    assert _record(None).word_count == 0


def test_the_extractor_counts_the_words_of_the_text_it_makes() -> None:
    # The worker counts (the crawl process only copies the count into the record), by
    # the same rule as a text counted afresh; invisible characters no longer split words.
    from newsbot.extraction import extract_article

    paragraph = "The coun\u00adcil met on Tuesday and approved the new bridge over the river. "
    paragraphs = "".join(f"<p>{paragraph * 3} Paragraph {n}.</p>" for n in range(6))
    html = f"<html><body><article><h1>Bridge</h1>{paragraphs}</article></body></html>"
    article = extract_article(html.encode(), "https://news.example/bridge")
    assert article.text and "\u00ad" not in article.text
    assert article.word_count == count_words(article.text) > 100
    record = make_record(article, url="https://news.example/bridge", source="s")
    assert record.word_count == article.word_count
