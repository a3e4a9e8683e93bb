"""Turn WARC files into clean article records, the way a crawl would.

Pages stream out of the reader into the crawl's extraction worker pool, a bounded
number at a time, in file order; each result becomes a record with
:func:`~newsbot.records.make_record` and goes through the crawl's own validation and
dedup pipelines (reused as they are, so the rules cannot drift apart), then out as a
JSON line. Re-extracting the archive of a crawl therefore gives the crawl's records.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter, deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, cast

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot import settings as project_defaults
from newsbot.extraction import ExtractedArticle, ExtractionOptions
from newsbot.pipelines.dedupe import DedupePipeline
from newsbot.pipelines.extract import record_from_article
from newsbot.pipelines.validate import ValidationPipeline
from newsbot.warc.reader import DEFAULT_MAX_RECORD_BYTES, iter_warc_pages
from newsbot.workers import ExtractionPool, PageTask

logger = logging.getLogger(__name__)


class _Stats:
    """The slice of Scrapy's stats collector the pipelines use, over a Counter."""

    def __init__(self, counts: Counter[str]):
        self.counts = counts

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.counts[key] += count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.counts.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.counts[key] = value


@dataclass(slots=True)
class _PipelineHost:
    """What the crawl's pipelines take from a crawler: its stats."""

    stats: _Stats


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
    max_tasks_per_child: int = 500,
    timeout: float = 30.0,
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
        min_words=project_defaults.NEWSBOT_MIN_WORDS if min_words is None else min_words,
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
        self.stats = _Stats(counts)
        host = cast(Crawler, _PipelineHost(self.stats))
        self.validate = ValidationPipeline(host, min_words)
        self.dedupe = DedupePipeline(host)

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
                stats=self.stats,
            )
            await self.validate.process_item(record)
            await self.dedupe.process_item(record)
        except DropItem as exc:
            logger.info("dropped: %s", exc)
            return
        line = json.dumps(ItemAdapter(record).asdict(), ensure_ascii=False, default=str)
        self.out.write(line + "\n")
        self.counts["written"] += 1
