"""Compact keys and the near-duplicate index used by the exporter.

Nothing here keeps a record: exact deduplication keeps 8-byte digests, and the
near-duplicate index keeps a MinHash signature (4 bytes per permutation) and
datasketch's LSH band buckets per distinct text.

Memory per distinct text in the near-duplicate index, measured with tracemalloc on
datasketch 2.0 (threshold 0.8): about 1.8 KB of LSH buckets with 64 permutations
(5 bands of 11 rows), 3.2 KB with 128 (9 bands of 13 rows), plus the 256 or 512 byte
signature kept to confirm candidates. Hence the default of 64 permutations: the
standard error of a Jaccard estimate at 0.8 is then about 0.05, and each candidate is
confirmed on its signature before two records are merged.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+")


def digest64(value: str) -> int:
    """A 64-bit digest of *value*. Collisions are negligible at dataset sizes (about
    one chance in 10^5 among 10^7 distinct values) and cost only a wrongly merged
    pair, so 8 bytes are kept instead of the value."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")


def text_key(text: str) -> int:
    """The exact-duplicate key of a text: its words and punctuation with all runs of
    whitespace made one space, so a re-wrapped copy is the same text."""
    return digest64(" ".join(text.split()))


def shingles(text: str, size: int) -> set[bytes]:
    """The word *size*-grams of *text*, lower-cased, as bytes (a text shorter than
    *size* words is one shingle)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def shingle_hashes(text: str, size: int) -> list[int]:
    """32-bit hashes of the distinct word *size*-grams of *text*, lower-cased.

    Equivalent in effect to hashing :func:`shingles`, but each word is hashed once
    (CRC-32, deterministic across processes, unlike ``hash``) and the n-grams are
    combined with numpy, which is several times faster than hashing joined strings.
    A rare 32-bit collision only nudges one similarity estimate.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return [0]
    codes = _word_codes(words)
    count = max(len(codes) - size + 1, 1)
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(min(size, len(codes))):
        # uint64 arithmetic wraps, which is what a polynomial rolling hash wants.
        combined = combined * np.uint64(1_000_003) + codes[offset : offset + count]
    folded = (combined ^ (combined >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return np.unique(folded).tolist()


def _word_codes(words: list[str]) -> np.ndarray:
    """A deterministic 64-bit code per word. Words up to 40 characters are hashed all
    at once: numpy lays them out as a fixed-width UCS-4 matrix and a polynomial over
    its columns runs vectorised; rarer longer tokens fall back to CRC-32 one by one."""
    if max(map(len, words)) <= 40:
        matrix = np.array(words).view(np.uint32).reshape(len(words), -1).astype(np.uint64)
        codes = np.zeros(len(words), dtype=np.uint64)
        # Last column first: the zero padding then adds nothing, so a word's code
        # does not depend on the width of the longest word beside it.
        for column in matrix.T[::-1]:
            codes = codes * np.uint64(0x100000001B3) + column
        return codes
    return np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), np.uint64, len(words))


def _identity(value: int) -> int:
    return value


class UnionFind:
    """Disjoint sets over 0..n-1, grown one element at a time (8 bytes each)."""

    def __init__(self) -> None:
        self._parent = array("q")

    def add(self) -> int:
        self._parent.append(len(self._parent))
        return len(self._parent) - 1

    def find(self, item: int) -> int:
        parent = self._parent
        while parent[item] != item:
            # Path halving keeps later look-ups short without recursion.
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The older root stays root; which one does not matter for correctness.
            self._parent[max(root_a, root_b)] = min(root_a, root_b)


class NearDuplicateIndex:
    """Finds, for each new text, the already indexed texts of estimated Jaccard
    similarity (over word shingles) at least *threshold*."""

    def __init__(self, *, threshold: float, num_perm: int, shingle_words: int) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        try:
            self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        except ValueError:
            # Near 1.0 datasketch's optimum is a single band, which it refuses; two
            # bands find at least as many candidates, and the signature check below
            # still holds each pair to the threshold.
            self._lsh = MinHashLSH(
                threshold=threshold, num_perm=num_perm, params=(2, num_perm // 2)
            )
        # One MinHash reused for every text: building one draws its permutations,
        # which costs more than hashing a short article.
        self._minhash = MinHash(num_perm=num_perm, hashfunc=_identity)
        # Signatures by key, in fixed-size blocks so growth never copies them all.
        self._block = 4096
        self._signatures: list[np.ndarray] = []

    @property
    def bands(self) -> tuple[int, int]:
        """LSH bands and rows per band chosen by datasketch for the threshold."""
        return self._lsh.b, self._lsh.r

    def _signature(self, key: int) -> np.ndarray:
        block, offset = divmod(key, self._block)
        return self._signatures[block][offset]

    def _store(self, key: int, values: np.ndarray) -> None:
        block, offset = divmod(key, self._block)
        while len(self._signatures) <= block:
            self._signatures.append(np.zeros((self._block, self.num_perm), dtype=values.dtype))
        self._signatures[block][offset] = values

    def add(self, key: int, text: str) -> list[int]:
        """Index *text* under *key* (keys must be added in increasing order) and return
        the keys of earlier texts it nearly duplicates."""
        minhash = self._minhash
        minhash.clear()
        # The shingles come hashed already: datasketch takes the hashes as they are.
        minhash.update_batch(shingle_hashes(text, self.shingle_words))
        values = minhash.hashvalues
        matches: list[int] = []
        for candidate in self._lsh.query(minhash):
            # LSH returns candidates whose bands collide; the signature decides.
            similarity = float(np.count_nonzero(self._signature(candidate) == values)) / len(values)
            if similarity >= self.threshold:
                matches.append(candidate)
        self._lsh.insert(key, minhash, check_duplication=False)
        self._store(key, values)
        return matches


def similarity(a: str, b: str, shingle_words: int) -> float:
    """The exact Jaccard similarity of two texts' shingle sets (for tests and tuning)."""
    sa, sb = shingles(a, shingle_words), shingles(b, shingle_words)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def sorted_unique(values: Iterable[str]) -> list[str]:
    return sorted(set(values))
