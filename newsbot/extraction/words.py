"""Counting the words of a text, in any script.

Most scripts separate words with spaces, and a word is a ``\\w+`` run. Chinese,
Japanese, Thai, Lao, Khmer and Burmese do not: a whole sentence is one run, so counting
runs would give a Chinese article a handful of "words" and drop it at the length gate.
In those scripts each character counts as one word instead, the usual measure of length
for them (and the only one that needs no dictionary).
"""

from __future__ import annotations

import re

# The letters of the scripts written without spaces between words: each is one word.
# Only code points that ``\w`` matches are listed, so punctuation (。、「」・) never
# counts, and combining vowel and tone marks (Thai ั ิ ่, Burmese ါ ြ) count for nothing:
# they belong to the letter they sit on. The scripts' own decimal digits are left out,
# so that a number in them is one word, as "2024" is.
_DENSE_BMP = (
    # Thai, less its digits (U+0E50-0E59)
    "\u0e01-\u0e30\u0e32-\u0e33\u0e40-\u0e46"
    # Lao, less its digits (U+0ED0-0ED9)
    "\u0e81-\u0e82\u0e84\u0e86-\u0e8a\u0e8c-\u0ea3\u0ea5\u0ea7-\u0eb0\u0eb2-\u0eb3"
    "\u0ebd\u0ec0-\u0ec4\u0ec6\u0edc-\u0edf"
    # Myanmar and its extensions, less their digits (U+1040-1049, U+1090-1099, U+A9F0-A9F9)
    "\u1000-\u102a\u103f\u1050-\u1055\u105a-\u105d\u1061\u1065-\u1066\u106e-\u1070"
    "\u1075-\u1081\u108e\ua9e0-\ua9e4\ua9e6-\ua9ef\ua9fa-\ua9fe\uaa60-\uaa76\uaa7a"
    "\uaa7e-\uaa7f"
    # Khmer, less its digits and numeral signs (U+17E0-17E9, U+17F0-17F9)
    "\u1780-\u17b3\u17d7\u17dc"
    # Han iteration and closing marks (々 〆 〇), Hangzhou numerals, kana repeat marks
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"
    # Hiragana, Katakana, their phonetic extensions, halfwidth Katakana
    "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
    # Han: CJK Unified Ideographs, Extension A, Compatibility Ideographs
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufa6d\ufa70-\ufad9"
)
# Beyond the BMP, whole blocks: the kana supplements, and Han Extensions B to H with the
# Compatibility Supplement (some of these code points are newer than Python's Unicode
# tables, and are ideographs all the same).
_DENSE_ASTRAL = "\U0001aff0-\U0001b16f\U00020000-\U000323af"
_DENSE = _DENSE_BMP + _DENSE_ASTRAL

# Runs of those letters (their length is their count), and runs of other word characters.
_DENSE_RUN = re.compile(f"[{_DENSE}]+")
_OTHER_RUN = re.compile(f"[^\\W{_DENSE}]+")
_WORD_RUN = re.compile(r"\w+")
# Whether a text may hold one of those letters: a cheap test (a class of BMP ranges and
# one astral range costs some 3 ns a character, the exact class with its astral ranges
# seven times that), so any character beyond the BMP, an emoji say, takes the slow way.
_MAYBE_DENSE = re.compile(f"[{_DENSE_BMP}\U00010000-\U0010ffff]")

# ASCII bytes that are not word characters (\w: letters, digits, "_"), made spaces.
_NON_WORD_TO_SPACE = bytes(
    b if chr(b).isascii() and (chr(b).isalnum() or b == ord("_")) else ord(" ") for b in range(256)
)


def count_words(text: str | None) -> int:
    """The number of words in *text*, in any script.

    - In scripts that put spaces between words (Latin, Greek, Cyrillic, Arabic, Hebrew,
      Devanagari, Korean Hangul, ...), a word is a run of Unicode word characters
      (``\\w+``: letters, digits, ``_``), so "well-being" is two and "3,5" two.
    - In scripts written without spaces, each character is a word: Han (Chinese, and
      kanji in Japanese), Hiragana and Katakana, Thai, Lao, Khmer and Myanmar (Burmese).
      Their combining vowel and tone marks count with the letter they sit on, and a
      number in their own digits is one word, as a number in any other digits.
    - Mixed text counts both ways: "2024年のiPhone 15" is five words ("2024", "年",
      "の", "iPhone", "15").

    A Chinese or Japanese character is about two thirds of a word, a Thai, Lao, Khmer or
    Burmese letter a third to a quarter of one: their counts run higher than those of an
    English text of the same content. None and the empty string have no words.

    The crawl process counts every record, so the common cases are fast: ASCII text is
    counted on bytes (every non-word byte made a space, the pieces counted: the same
    tokens as ``\\w+`` at a fifth of its cost), and other text without a character of
    the unspaced scripts by the plain ``\\w+`` expression.
    """
    if not text:
        return 0
    if text.isascii():
        return len(text.encode("ascii").translate(_NON_WORD_TO_SPACE).split())
    if _MAYBE_DENSE.search(text) is None:
        return len(_WORD_RUN.findall(text))
    return sum(map(len, _DENSE_RUN.findall(text))) + len(_OTHER_RUN.findall(text))
