"""A pool of worker processes for extraction.

Extraction is CPU work and Scrapy's event loop is single-threaded: done inline it
stalls downloads and uses one core. The pool runs :func:`extract_page` in separate
processes and hands results back to the event loop as awaitables.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from newsbot.extraction import ExtractedArticle, ExtractionOptions, extract_article

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageTask:
    """What crosses into a worker: only what extraction needs."""

    body: bytes
    url: str
    content_type: str | None
    options: ExtractionOptions


def extract_page(task: PageTask) -> ExtractedArticle:
    """Run in a worker: extract and clean one page."""
    return extract_article(task.body, task.url, task.options, content_type=task.content_type)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class ExtractionPool:
    """Worker processes fed from the event loop. ``workers=0`` means inline (no pool)."""

    def __init__(self, workers: int, max_tasks_per_child: int = 500, timeout: float = 30.0):
        self.workers = workers
        self.max_tasks_per_child = max_tasks_per_child
        self.timeout = timeout
        self._executor: ProcessPoolExecutor | None = None

    def _get_executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            import multiprocessing

            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=self.max_tasks_per_child,
            )
        return self._executor

    async def extract(self, task: PageTask) -> ExtractedArticle:
        """Extract one page. Page-level failures come back as ``error``, never raised."""
        if self.workers <= 0:
            return extract_page(task)
        loop = asyncio.get_running_loop()
        try:
            future = self._get_executor().submit(extract_page, task)
            return await asyncio.wait_for(asyncio.wrap_future(future, loop=loop), self.timeout)
        except TimeoutError:
            return ExtractedArticle(error=f"extraction timed out after {self.timeout:g}s")
        except BrokenProcessPool:
            logger.error("an extraction worker died on %s; restarting the pool", task.url)
            self._restart()
            return ExtractedArticle(error="extraction worker crashed")

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
