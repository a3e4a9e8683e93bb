"""The template memory: per site (registered domain), the blocks seen in its articles'
bodies, with the number of distinct articles each was seen in (see
:mod:`newsbot.extraction.site_templates` for what a block is and when it is template).

It lives in the crawl state of the source, so the next run starts knowing the site:
two tables of the source's SQLite file, or keys beside the source's Redis state
(``<prefix>:<source>:state:templates:...``) in distributed mode, shared by the workers.
Without crawl state (an ad-hoc run, ``newsbot extract``) it is an in-memory SQLite
database that lasts the run.

Bounded: a site keeps at most ``max_blocks`` blocks; past that the blocks least
recently seen go first (a site's template lines are on most of its articles, so they
are always recent: what goes is the one-off lines of old articles). Blocks and sites
not seen within the source's ``retention`` are pruned at the start of each run.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsbot.extraction.site_templates import (
    SAMPLE_CHARS,
    Block,
    BlockStats,
    Removal,
    TemplateRules,
    remove_template,
    samples,
    teaching_keys,
)

DEFAULT_MAX_BLOCKS = 20_000
# A site's size is checked against its bound every this many articles it teaches.
_EVICT_EVERY = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS template_blocks (
    site TEXT NOT NULL,
    key TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_n INTEGER NOT NULL,
    last_seen REAL NOT NULL,
    sample TEXT NOT NULL,
    PRIMARY KEY (site, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS template_blocks_seen ON template_blocks (site, last_seen);
CREATE TABLE IF NOT EXISTS template_sites (
    site TEXT PRIMARY KEY,
    articles INTEGER NOT NULL,
    last_seen REAL NOT NULL
) WITHOUT ROWID;
"""


class TemplateMemory(ABC):
    """What one source's crawls have seen of its sites' article bodies."""

    def __init__(self, max_blocks: int = DEFAULT_MAX_BLOCKS):
        self.max_blocks = max_blocks

    @abstractmethod
    def lookup(self, site: str, keys: Sequence[str]) -> tuple[int, dict[str, BlockStats]]:
        """The site's count of teaching articles, and the stats of those of *keys* it
        knows."""

    @abstractmethod
    def learn(self, site: str, keys: Sequence[str], samples: Mapping[str, str], now: float) -> int:
        """Count one more article of *site* carrying *keys*; return the site's new
        article count."""

    @abstractmethod
    def prune(self, before: float) -> int:
        """Forget blocks and sites last seen before *before*; return the blocks gone."""

    @abstractmethod
    def sites(self) -> dict[str, int]:
        """Every site known, with its count of teaching articles."""

    @abstractmethod
    def blocks(self, site: str) -> list[tuple[str, BlockStats]]:
        """Every block known of *site*, most frequent first."""

    def close(self) -> None:  # noqa: B027 (most memories hold nothing of their own)
        """Release what the memory holds of its own (not a connection it was lent)."""


class SqliteTemplateMemory(TemplateMemory):
    """The memory in an SQLite database: the source's state file (its connection is
    lent by the crawl state, which closes it), or a private in-memory one."""

    def __init__(self, db: sqlite3.Connection | None = None, max_blocks: int = DEFAULT_MAX_BLOCKS):
        super().__init__(max_blocks)
        self._own = db is None
        # Autocommit, as the state store: each learn() is one explicit transaction.
        self.db = db if db is not None else sqlite3.connect(":memory:", isolation_level=None)
        self.db.executescript(_SCHEMA)

    def lookup(self, site: str, keys: Sequence[str]) -> tuple[int, dict[str, BlockStats]]:
        row = self.db.execute(
            "SELECT articles FROM template_sites WHERE site = ?", (site,)
        ).fetchone()
        if row is None or not keys:
            return (int(row[0]) if row else 0), {}
        found: dict[str, BlockStats] = {}
        unique = list(dict.fromkeys(keys))
        # SQLite allows 32,766 parameters; an article's lines are far fewer, but a
        # hostile page is not.
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, count, first_n, last_seen in self.db.execute(
                "SELECT key, count, first_n, last_seen FROM template_blocks "
                f"WHERE site = ? AND key IN ({marks})",
                (site, *chunk),
            ):
                found[key] = BlockStats(count=count, first_n=first_n, last_seen=last_seen)
        return int(row[0]), found

    def learn(self, site: str, keys: Sequence[str], samples: Mapping[str, str], now: float) -> int:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute(
                "INSERT INTO template_sites (site, articles, last_seen) VALUES (?, 1, ?) "
                "ON CONFLICT (site) DO UPDATE SET articles = articles + 1, "
                "last_seen = excluded.last_seen",
                (site, now),
            )
            articles = int(
                self.db.execute(
                    "SELECT articles FROM template_sites WHERE site = ?", (site,)
                ).fetchone()[0]
            )
            self.db.executemany(
                "INSERT INTO template_blocks (site, key, count, first_n, last_seen, sample) "
                "VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (site, key) DO UPDATE SET "
                "count = count + 1, last_seen = excluded.last_seen",
                [
                    (site, key, articles, now, samples.get(key, "")[:SAMPLE_CHARS])
                    for key in dict.fromkeys(keys)
                ],
            )
            if articles % _EVICT_EVERY == 0:
                self._evict(site)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return articles

    def _evict(self, site: str) -> None:
        size = int(
            self.db.execute(
                "SELECT count(*) FROM template_blocks WHERE site = ?", (site,)
            ).fetchone()[0]
        )
        if size <= self.max_blocks:
            return
        # Down to 90 % of the bound, so that eviction is not due again at once.
        excess = size - self.max_blocks * 9 // 10
        self.db.execute(
            "DELETE FROM template_blocks WHERE site = ? AND key IN (SELECT key FROM "
            "template_blocks WHERE site = ? ORDER BY last_seen, count LIMIT ?)",
            (site, site, excess),
        )

    def prune(self, before: float) -> int:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            gone = self.db.execute(
                "DELETE FROM template_blocks WHERE last_seen < ?", (before,)
            ).rowcount
            self.db.execute("DELETE FROM template_sites WHERE last_seen < ?", (before,))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return int(gone)

    def sites(self) -> dict[str, int]:
        return {
            site: int(articles)
            for site, articles in self.db.execute(
                "SELECT site, articles FROM template_sites ORDER BY site"
            )
        }

    def blocks(self, site: str) -> list[tuple[str, BlockStats]]:
        return [
            (key, BlockStats(count=count, first_n=first_n, last_seen=seen, sample=sample))
            for key, count, first_n, seen, sample in self.db.execute(
                "SELECT key, count, first_n, last_seen, sample FROM template_blocks "
                "WHERE site = ? ORDER BY count DESC, last_seen DESC",
                (site,),
            )
        ]

    def close(self) -> None:
        if self._own:
            self.db.close()


class RedisTemplateMemory(TemplateMemory):
    """The memory in Redis, shared by every worker of a source. Per site, under
    ``<base>:state:templates:<site>:``: ``count`` (hash key -> articles), ``first``
    (hash key -> the site's article count when first seen), ``sample`` (hash key ->
    text), ``seen`` (sorted set of keys by last seen); and ``<base>:state:templates``
    (hash site -> articles) with ``...:templates:sites`` (sorted set of sites by last
    seen). Every key expires ``ttl`` seconds after its last write when a ttl is given
    (the source's retention)."""

    def __init__(
        self,
        client: Any,
        base: str,
        *,
        max_blocks: int = DEFAULT_MAX_BLOCKS,
        ttl: int | None = None,
    ):
        super().__init__(max_blocks)
        self.client = client
        self.root = f"{base}:state:templates"
        self.ttl = ttl

    def _keys(self, site: str) -> tuple[str, str, str, str]:
        prefix = f"{self.root}:{site}"
        return f"{prefix}:count", f"{prefix}:first", f"{prefix}:sample", f"{prefix}:seen"

    def lookup(self, site: str, keys: Sequence[str]) -> tuple[int, dict[str, BlockStats]]:
        counts, firsts, _, seen = self._keys(site)
        unique = list(dict.fromkeys(keys))
        pipe = self.client.pipeline(transaction=False)
        pipe.hget(self.root, site)
        if unique:
            pipe.hmget(counts, unique)
            pipe.hmget(firsts, unique)
        results = pipe.execute()
        articles = int(results[0] or 0)
        if not unique:
            return articles, {}
        found = {
            key: BlockStats(count=int(count), first_n=int(first or 1))
            for key, count, first in zip(unique, results[1], results[2], strict=True)
            if count is not None
        }
        return articles, found

    def learn(self, site: str, keys: Sequence[str], samples: Mapping[str, str], now: float) -> int:
        counts, firsts, sample_key, seen = self._keys(site)
        articles = int(self.client.hincrby(self.root, site, 1))
        unique = list(dict.fromkeys(keys))
        pipe = self.client.pipeline(transaction=False)
        for key in unique:
            pipe.hincrby(counts, key, 1)
            pipe.hsetnx(firsts, key, articles)
            pipe.hsetnx(sample_key, key, samples.get(key, "")[:SAMPLE_CHARS])
        if unique:
            pipe.zadd(seen, dict.fromkeys(unique, now))
        pipe.zadd(f"{self.root}:sites", {site: now})
        if self.ttl:
            for name in (self.root, f"{self.root}:sites", counts, firsts, sample_key, seen):
                pipe.expire(name, self.ttl)
        pipe.execute()
        if articles % _EVICT_EVERY == 0:
            self._evict(site)
        return articles

    def _evict(self, site: str) -> None:
        counts, firsts, sample_key, seen = self._keys(site)
        size = int(self.client.zcard(seen))
        if size <= self.max_blocks:
            return
        doomed = self.client.zrange(seen, 0, size - self.max_blocks * 9 // 10 - 1)
        if doomed:
            self._forget(site, [k.decode() if isinstance(k, bytes) else k for k in doomed])

    def _forget(self, site: str, keys: list[str]) -> None:
        counts, firsts, sample_key, seen = self._keys(site)
        pipe = self.client.pipeline(transaction=False)
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            pipe.hdel(counts, *chunk)
            pipe.hdel(firsts, *chunk)
            pipe.hdel(sample_key, *chunk)
            pipe.zrem(seen, *chunk)
        pipe.execute()

    def prune(self, before: float) -> int:
        gone = 0
        for site in self.sites():
            seen = self._keys(site)[3]
            old = self.client.zrangebyscore(seen, "-inf", f"({before}")
            if old:
                self._forget(site, [k.decode() if isinstance(k, bytes) else k for k in old])
                gone += len(old)
        stale = self.client.zrangebyscore(f"{self.root}:sites", "-inf", f"({before}")
        for raw in stale:
            site = raw.decode() if isinstance(raw, bytes) else raw
            self.client.delete(*self._keys(site))
            self.client.hdel(self.root, site)
            self.client.zrem(f"{self.root}:sites", site)
        return gone

    def sites(self) -> dict[str, int]:
        raw = self.client.hgetall(self.root)
        return {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in sorted(raw.items())}

    def blocks(self, site: str) -> list[tuple[str, BlockStats]]:
        counts, firsts, sample_key, seen = self._keys(site)
        raw = {
            (k.decode() if isinstance(k, bytes) else k): int(v)
            for k, v in self.client.hgetall(counts).items()
        }
        keys = list(raw)
        if not keys:
            return []
        pipe = self.client.pipeline(transaction=False)
        pipe.hmget(firsts, keys)
        pipe.hmget(sample_key, keys)
        pipe.zmscore(seen, keys)
        first, text, last = pipe.execute()
        result = [
            (
                key,
                BlockStats(
                    count=raw[key],
                    first_n=int(f or 1),
                    last_seen=float(s or 0.0),
                    sample=(t.decode("utf-8") if isinstance(t, bytes) else (t or "")),
                ),
            )
            for key, f, t, s in zip(keys, first, text, last, strict=True)
        ]
        result.sort(key=lambda item: (-item[1].count, -item[1].last_seen))
        return result


@dataclass(frozen=True, slots=True)
class Observation:
    """What one article taught its site's memory, and what the memory then knew of its
    blocks (so the removal that follows at once needs no second look-up)."""

    taught: bool
    articles: int
    """The site's count of teaching articles after this one."""
    known: dict[str, BlockStats]
    """The stats of the article's blocks, this article counted."""


def observe(
    memory: TemplateMemory, site: str, blocks: list[Block], rules: TemplateRules, now: float
) -> Observation:
    """Let one article's *blocks* teach *site*'s memory, unless it is a copy of an
    article already seen."""
    keys = [key for block in blocks for key in block.keys]
    articles, known = memory.lookup(site, keys)
    teach = teaching_keys(blocks, known, articles, rules) if keys else []
    if not teach:
        return Observation(False, articles, known)
    articles = memory.learn(site, teach, samples(blocks), now)
    # The memory's own arithmetic, applied to the copy in hand: each taught block
    # counted once more, a new one first seen now.
    for key in teach:
        stats = known.get(key)
        known[key] = (
            BlockStats(count=1, first_n=articles, last_seen=now)
            if stats is None
            else BlockStats(count=stats.count + 1, first_n=stats.first_n, last_seen=now)
        )
    return Observation(True, articles, known)


def strip_template(
    memory: TemplateMemory,
    site: str,
    text: str | None,
    blocks: list[Block],
    rules: TemplateRules,
    observed: Observation | None = None,
) -> Removal:
    """*text* without the lines its site's memory now knows as template. With what
    :func:`observe` just saw of these blocks (*observed*), the memory is not read
    again: pass it only when no other article can have taught the site since (the
    record was not held)."""
    keys = [key for block in blocks for key in block.keys]
    if not keys:
        return Removal(text, 0)
    if observed is not None:
        articles, known = observed.articles, observed.known
    else:
        articles, known = memory.lookup(site, keys)
    return remove_template(text, blocks, known, articles, rules)
