"""The Redis keys of a source. One place, so every component agrees on them.

Keys are per *source*, not per spider: two sources crawled with the ``site`` spider
must never share a queue or a duplicate filter.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PREFIX = "newsbot"


@dataclass(frozen=True, slots=True)
class SourceKeys:
    """The key names of one source under a prefix (``NEWSBOT_REDIS_PREFIX``)."""

    source: str
    prefix: str = DEFAULT_PREFIX

    @property
    def base(self) -> str:
        return f"{self.prefix}:{self.source}"

    # --- Per run: deleted when a fresh run starts and when the last worker leaves ---
    @property
    def requests(self) -> str:
        """Sorted set: the shared frontier (scrapy-redis priority queue)."""
        return f"{self.base}:requests"

    @property
    def dupefilter(self) -> str:
        """Set: fingerprints of every request scheduled in this run."""
        return f"{self.base}:dupefilter"

    @property
    def workers(self) -> str:
        """Sorted set: live workers, scored by their last heartbeat (Redis time)."""
        return f"{self.base}:workers"

    @property
    def activity(self) -> str:
        """Sorted set: workers, scored by the last heartbeat at which they were busy."""
        return f"{self.base}:activity"

    @property
    def run(self) -> str:
        """Hash: the run's id and start time, shared by its workers."""
        return f"{self.base}:run"

    def per_run(self) -> list[str]:
        """Every per-run key, in the order the Lua scripts take them."""
        return [self.workers, self.activity, self.requests, self.dupefilter, self.run]

    # --- Crawl state: kept across runs, bounded by the source's retention -----------
    @property
    def state_urls(self) -> str:
        """Hash: canonical URL -> JSON of its :class:`~newsbot.state.store.UrlState`."""
        return f"{self.base}:state:urls"

    @property
    def state_seen(self) -> str:
        """Sorted set: canonical URL scored by ``last_seen``, for pruning."""
        return f"{self.base}:state:seen"

    @property
    def state_runs(self) -> str:
        """Sorted set: JSON of each finished run, scored by its finish time."""
        return f"{self.base}:state:runs"

    def state(self) -> list[str]:
        return [self.state_urls, self.state_seen, self.state_runs]
