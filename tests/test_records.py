"""Record building: the word count is the same whichever way it is computed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsbot.records import count_words

_WORD = re.compile(r"\w+")


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_counts_match_the_expression(text: str) -> None:
    assert count_words(text) == len(_WORD.findall(text))


@given(st.text())
def test_any_text_counts_match_the_expression(text: str) -> None:
    assert count_words(text) == len(_WORD.findall(text))


def test_words_are_unicode_word_runs() -> None:
    assert count_words("U.S. well-being: 3,5 % — naïve_user") == 7
    assert count_words("Ünïcode wörds, 東京 2025") == 4
    assert count_words("") == 0
    assert count_words(None) == 0
