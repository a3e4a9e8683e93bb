"""The crawl state interface: what one source remembers from run to run.

A store holds the state of *one source* (a crawl runs one source, so a store has one
writer: that crawl). It keeps:

* the URLs done: canonical URLs whose record was written, each with the fingerprint of
  the text written, its version, the ``ETag`` and ``Last-Modified`` the server sent,
  and when it was first and last seen;
* a short history of runs, for the health checks.

Times are Unix times in seconds (floats), so every backend compares them the same way.
URLs are given already canonical (:func:`newsbot.canonical_urls.canonicalize_url`): the store
does not normalise them.

Backends: :class:`newsbot.state.sqlite.SqliteStateStore` (the default). Another backend
subclasses :class:`StateStore`, implements its abstract methods and a
``from_settings(settings, source)`` class method (and ``from_crawler(crawler, source)``
if it shares something of the crawl), and is chosen with the setting
``NEWSBOT_STATE_BACKEND`` (a dotted path to the class).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object


@dataclass(kw_only=True, slots=True)
class UrlState:
    """What the store knows about one done URL."""

    url: str
    """The canonical URL."""
    fingerprint: str
    """Hex digest of the normalised text last written for it
    (:func:`newsbot.records.text_fingerprint`)."""
    version: int = 1
    """The ``version`` of the last record written for it."""
    etag: str | None = None
    """The ``ETag`` header of the response the last record came from."""
    last_modified: str | None = None
    """The ``Last-Modified`` header of that response."""
    first_seen: float
    """When its first record was written (Unix time)."""
    last_seen: float
    """When a run last met it: wrote it, re-checked it, or skipped it as done."""


@dataclass(kw_only=True, slots=True)
class RunRecord:
    """One finished run of a source, as the health checks compare them."""

    run_id: str
    started: float
    finished: float
    exit_status: int
    """0: success; 1: the crawl failed or was interrupted; 3: a health check failed."""
    metrics: dict[str, Any] = field(default_factory=dict)
    """Counts and shares of the run: ``pages``, ``empty``, ``records``, ``undated``..."""


class StateStore(ABC):
    """The crawl state of one source. Subclasses implement the abstract methods.

    A store is used from the crawl's event-loop thread only; it need not be
    thread-safe. Readers in other processes (a status command, a monitor) may open the
    same state at any time.
    """

    def __init__(self, source: str):
        self.source = source

    @classmethod
    @abstractmethod
    def from_settings(cls, settings: BaseSettings, source: str) -> StateStore:
        """Open (creating it if need be) the state of *source*."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, source: str) -> StateStore:
        """Open the state of *source* for a crawl. The same as :meth:`from_settings`
        unless a backend shares something of the crawl (the Redis store shares the
        cluster's connection and its outage handling)."""
        return cls.from_settings(crawler.settings, source)

    # --- URLs done ------------------------------------------------------------------
    @abstractmethod
    def get(self, url: str) -> UrlState | None:
        """The state of a canonical URL, or None if no record of it was written."""

    def is_done(self, url: str) -> bool:
        """Whether a record of this canonical URL was written."""
        return self.get(url) is not None

    @abstractmethod
    def mark_done(
        self,
        urls: Iterable[str],
        *,
        fingerprint: str,
        version: int,
        etag: str | None,
        last_modified: str | None,
        now: float,
    ) -> None:
        """Record that a record was written for these canonical URLs (the fetched URL,
        its redirects and the record's canonical URL all name the same article).
        ``first_seen`` is kept for URLs already known. Durable when it returns."""

    @abstractmethod
    def touch(self, urls: Iterable[str], now: float) -> None:
        """Set ``last_seen`` of known URLs (skipped or re-checked unchanged this run), so
        that pruning keeps articles the site still links to. Unknown URLs are ignored."""

    @abstractmethod
    def prune(self, before: float) -> int:
        """Forget URLs last seen before *before*; return how many were forgotten."""

    @abstractmethod
    def count(self) -> int:
        """How many URLs are done."""

    # --- Run history ----------------------------------------------------------------
    @abstractmethod
    def add_run(self, run: RunRecord, keep: int = 50) -> None:
        """Append a finished run, keeping only the newest *keep* runs."""

    @abstractmethod
    def recent_runs(self, limit: int) -> list[RunRecord]:
        """The newest *limit* runs, newest first."""

    # --- Life cycle -----------------------------------------------------------------
    @abstractmethod
    def close(self) -> None:
        """Release the connection. Further calls are errors."""


def open_store(settings: BaseSettings, source: str, crawler: Crawler | None = None) -> StateStore:
    """Open the state of *source* with the backend ``NEWSBOT_STATE_BACKEND`` names (for
    the crawl of *crawler*, when given)."""
    backend = settings.get("NEWSBOT_STATE_BACKEND") or "newsbot.state.sqlite.SqliteStateStore"
    cls = load_object(backend)
    if not (isinstance(cls, type) and issubclass(cls, StateStore)):
        raise TypeError(f"NEWSBOT_STATE_BACKEND {backend!r} is not a StateStore subclass")
    if crawler is not None:
        return cls.from_crawler(crawler, source)
    return cls.from_settings(settings, source)
