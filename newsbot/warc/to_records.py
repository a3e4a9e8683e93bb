"""Turn WARC files into clean article records, the way a crawl would.

Pages stream out of the reader into the crawl's extraction worker pool, a bounded
number at a time, in file order; each result becomes a record with
:func:`~newsbot.records.record_from_article` and goes through the crawl's own
validation and dedup rules (:mod:`newsbot.records`, which the crawl's pipelines wrap, so
the rules cannot drift apart), then out as a JSON line. No Scrapy, no crawler. Re-extracting the archive of a crawl therefore gives the crawl's records.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
from collections import Counter, deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from newsbot import defaults
from newsbot.extraction import ExtractedArticle, ExtractionOptions
from newsbot.pool.processes import ExtractionPool, PageTask
from newsbot.records import Rejected, RunDedup, record_from_article, validate_record
from newsbot.warc.reader import DEFAULT_MAX_RECORD_BYTES, iter_warc_pages

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Pending:
    url: str
    fetched_at: str
    source: str
    result: asyncio.Future[Any]


def _run_to_completion(coro: Any) -> None:
    """Run *coro* on a fresh event loop. When the calling thread already runs one (a
    notebook, a Twisted reactor on asyncio), a helper thread hosts the new loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, coro).result()


def extract_warc(
    paths: Iterable[str | Path],
    *,
    out: IO[str],
    workers: int = 0,
    hosts: Iterable[str] | None = None,
    url_pattern: str | re.Pattern[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    options: ExtractionOptions | None = None,
    require_article: bool = False,
    min_words: int | None = None,
    max_tasks_per_child: int = defaults.NEWSBOT_WORKER_MAX_TASKS,
    timeout: float = defaults.NEWSBOT_EXTRACT_TIMEOUT,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Counter[str]:
    """Extract the HTML pages of WARC files into JSON Lines records written to *out*.

    :param workers: extraction worker processes; ``0`` extracts in this process.
    :param hosts, url_pattern, since, until: which responses to read (see
        :func:`~newsbot.warc.reader.iter_warc_pages`).
    :param source: the records' ``source``; default: the WARC file's path.
    :param require_article: keep only pages that look like article pages, as the
        ``site`` spider does (use it to re-extract a crawl that discovered its pages).
    :param min_words: validation's minimum length; default: ``NEWSBOT_MIN_WORDS``.
    :returns: counts: ``written``, ``newsbot/extract/pages``, the reader's ``warc/*``
        counters, and the crawl's own drop counters (``newsbot/dropped/<reason>``,
        ``newsbot/extract/error/<reason>``).
    """
    counts: Counter[str] = Counter()
    job = _Job(
        out=out,
        counts=counts,
        workers=workers,
        read_options={
            "hosts": list(hosts or ()),
            "url_pattern": url_pattern,
            "since": since,
            "until": until,
            "max_record_bytes": max_record_bytes,
        },
        source=source,
        options=options or ExtractionOptions(),
        require_article=require_article,
        min_words=defaults.NEWSBOT_MIN_WORDS if min_words is None else min_words,
        max_tasks_per_child=max_tasks_per_child,
        timeout=timeout,
    )
    _run_to_completion(job.run([Path(p) for p in paths]))
    return counts


class _Job:
    def __init__(
        self,
        *,
        out: IO[str],
        counts: Counter[str],
        workers: int,
        read_options: dict[str, Any],
        source: str | None,
        options: ExtractionOptions,
        require_article: bool,
        min_words: int,
        max_tasks_per_child: int,
        timeout: float,
    ):
        self.out = out
        self.counts = counts
        self.read_options = read_options
        self.source = source
        self.options = options
        self.require_article = require_article
        self.pool = ExtractionPool(workers, max_tasks_per_child, timeout)
        # Enough pages in flight to keep every worker busy while results are written
        # in order; few enough that memory stays bounded by a handful of pages.
        self.window = max(4, 4 * workers)
        self.min_words = min_words
        self.dedup = RunDedup()

    async def run(self, paths: list[Path]) -> None:
        pending: deque[_Pending] = deque()
        try:
            for path in paths:
                try:
                    with open(path, "rb"):
                        pass
                except OSError as exc:
                    self.counts["warc/errors/unreadable"] += 1
                    logger.error("cannot read %s: %s", path, exc)
                    continue
                source = self.source or str(path)
                for page in iter_warc_pages(path, stats=self.counts, **self.read_options):
                    task = PageTask(
                        body=page.body,
                        url=page.url,
                        content_type=page.content_type,
                        options=self.options,
                    )
                    result = asyncio.ensure_future(self.pool.extract(task))
                    pending.append(_Pending(page.url, page.fetched_at, source, result))
                    if len(pending) >= self.window:
                        await self._finish(pending.popleft())
            while pending:
                await self._finish(pending.popleft())
        finally:
            for item in pending:
                item.result.cancel()
            self.pool.close()

    def _count(self, key: str, count: int = 1) -> None:
        self.counts[key] += count

    async def _finish(self, item: _Pending) -> None:
        article = await item.result
        if not isinstance(article, ExtractedArticle):  # a closed pool answers None
            article = ExtractedArticle(error="extraction pool closed")
        try:
            record = record_from_article(
                article,
                url=item.url,
                source=item.source,
                fetched_at=item.fetched_at,
                require_article=self.require_article,
                count=self._count,
            )
            validate_record(record, self.min_words, self._count)
            self.dedup.admit(record, self._count)
        except Rejected as exc:
            logger.info("dropped: %s", exc)
            return
        line = json.dumps(dataclasses.asdict(record), ensure_ascii=False, default=str)
        self.out.write(line + "\n")
        self.counts["written"] += 1
