"""Word counts in every script: ``\\w+`` runs where words are spaced, a character a word
in Chinese, Japanese, Thai, Lao, Khmer and Burmese."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbot.extraction.words import count_words

_WORD = re.compile(r"\w+")

# The unspaced scripts by Unicode character name: an independent statement of the rule,
# against which the module's table of code point ranges is checked.
_UNSPACED_NAMES = (
    *("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA"),
    *("HALFWIDTH KATAKANA", "HENTAIGANA", "THAI ", "LAO ", "KHMER ", "MYANMAR "),
    *("IDEOGRAPHIC ITERATION MARK", "IDEOGRAPHIC CLOSING MARK", "IDEOGRAPHIC NUMBER ZERO"),
    *("VERTICAL IDEOGRAPHIC ITERATION MARK", "HANGZHOU NUMERAL", "VERTICAL KANA REPEAT"),
    "MASU MARK",
)


def _counts_alone(ch: str) -> bool:
    """Whether *ch* is a letter of an unspaced script (a word by itself)."""
    return (
        _WORD.fullmatch(ch) is not None
        and unicodedata.category(ch) not in ("Nd", "No")  # digits make numbers
        and unicodedata.name(ch, "").startswith(_UNSPACED_NAMES)
    )


def reference_count(text: str) -> int:
    """The rule, one character at a time."""
    count, in_run = 0, False
    for ch in text:
        if _counts_alone(ch):
            count, in_run = count + 1, False
        elif _WORD.fullmatch(ch):
            count, in_run = count + (not in_run), True
        else:
            in_run = False
    return count


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Chinese: a word a character; punctuation (，。“”) counts for nothing.
        ("市议会批准了新桥的建设计划。", 13),
        ("“方便多了，”李先生说。", 8),
        # Japanese: kanji, hiragana and katakana alike; the long-vowel mark ー is a
        # letter, the middle dot ・ is not.
        ("東京都は新しいバス路線を開設すると発表しました。", 23),
        ("コーヒー", 4),
        ("ジョン・スミス", 6),
        ("ｶﾀｶﾅ", 4),
        # Thai: the letters count, their vowel and tone marks (ั ี ่ ้) ride on them; a
        # number in Thai digits is one word.
        ("สวัสดีครับ", 7),
        ("ปี ๒๕๖๗", 2),
        # Lao, Khmer, Burmese
        ("ສະບາຍດີ", 6),
        ("ភ្នំពេញ", 4),
        ("ရန်ကုန်မြို့", 5),
        # Mixed: Latin and digit runs are tokens, the unspaced characters one each.
        ("2024年のiPhone 15", 5),
        ("Apple発表のiPhone15Pro", 5),
        ("Ünïcode wörds, 東京 2025", 5),
        # Spaced scripts: \w+ runs.
        ("U.S. well-being: 3,5 % — naïve_user", 7),
        ("The council voted on Tuesday.", 5),
        ("Der Bürgermeister eröffnete die Brücke über die Straße.", 8),
        ("Москва — столица России", 3),
        # Korean puts spaces between words: its runs are words, not its syllables.
        ("서울시는 새 버스 노선을 발표했다.", 5),
        # Nothing to count
        ("", 0),
        ("。、「」・！？…", 0),
        (" \n\t", 0),
    ],
)
def test_words_of_each_script(text: str, words: int) -> None:
    assert count_words(text) == words
    assert reference_count(text) == words


def test_none_has_no_words() -> None:
    assert count_words(None) == 0


def test_every_character_of_the_unspaced_scripts_and_no_other_counts_alone() -> None:
    # Two of a character: two words if it counts alone, one if it is any other word
    # character, none if it is not a word character.
    planes = [range(0x10000), range(0x1AFF0, 0x1B170), range(0x20000, 0x20100)]
    wrong = []
    for code in (c for plane in planes for c in plane):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cs", "Cn"):
            continue
        expected = 2 if _counts_alone(ch) else 1 if _WORD.fullmatch(ch) else 0
        if count_words(ch * 2) != expected:
            wrong.append(f"U+{code:04X} {unicodedata.name(ch, '?')}")
    assert wrong == [], f"Unicode {unicodedata.unidata_version}, Python {sys.version}"


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_counts_are_the_expression(text: str) -> None:
    assert count_words(text) == len(_WORD.findall(text))


@given(st.text(alphabet=st.characters(max_codepoint=0x0DFF)))
def test_spaced_scripts_count_as_the_expression(text: str) -> None:
    # Everything below Thai (Latin, Greek, Cyrillic, Arabic, Hebrew, Indic scripts)
    assert count_words(text) == len(_WORD.findall(text))


_MIXED = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x7F),
        st.characters(min_codepoint=0x0E00, max_codepoint=0x0EFF),  # Thai, Lao
        st.characters(min_codepoint=0x1000, max_codepoint=0x109F),  # Myanmar
        st.characters(min_codepoint=0x1780, max_codepoint=0x17FF),  # Khmer
        st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),  # kana, CJK punctuation
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4EFF),  # Han
        st.characters(min_codepoint=0xAC00, max_codepoint=0xACFF),  # Hangul
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # half- and fullwidth
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1F5FF),  # emoji
        st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),  # Han Extension B
    ).filter(lambda ch: unicodedata.category(ch) != "Cn")
)


@given(_MIXED)
def test_mixed_text_counts_as_the_rule(text: str) -> None:
    assert count_words(text) == reference_count(text)


@given(st.text())
def test_any_text_counts_as_the_rule(text: str) -> None:
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cn")
    assert count_words(text) == reference_count(text)
