"""Starting the extraction workers' forkserver, without importing extraction.

Kept apart from :mod:`newsbot.pool.processes` so that ``newsbot crawl`` can start the server
before it imports anything heavy: the server's own imports then run beside the crawl
process's, on the other core.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
from multiprocessing.context import BaseContext

GC_THRESHOLDS = (5000, 20, 20)
"""The garbage collector's thresholds for long runs (the crawl process's and the
extraction workers'): allocations before a young collection, and young (then middle)
collections before an older one; Python's defaults are 700 / 10 / 10."""

PRELOAD = ["newsbot.pool.processes", "newsbot.pool.preload"]
"""Imported by the forkserver before it forks any worker: extraction, warmed up."""


def context(start_method: str) -> BaseContext:
    """The multiprocessing context of the extraction pool."""
    ctx = multiprocessing.get_context(start_method)
    if start_method == "forkserver":
        # The server imports extraction and warms it up once; every worker forks from
        # it ready to work, a replacement for a recycled worker included. (This only
        # takes effect if the server is not running yet.)
        ctx.set_forkserver_preload(PRELOAD)  # type: ignore[attr-defined]
    return ctx


def prestart_forkserver() -> None:
    """Start the workers' forkserver now, without waiting for it. Its imports and
    warm-up take about half a second of one core: started before the crawl process
    imports Scrapy and opens its spiders, that time runs on another core, and the first
    pages find their workers ready instead of holding the event loop until they are.
    A pool created later in this process uses this server."""
    context("forkserver")
    multiprocessing.forkserver.ensure_running()


def prestart_for_crawl(argv: list[str]) -> None:
    """:func:`prestart_forkserver` for a ``newsbot crawl`` command line, unless its
    ``-s NEWSBOT_WORKERS=...`` is no number (the crawl will refuse it). Had the settings
    module turned the workers off, the server only idles until the crawl ends."""
    for flag, value in zip(argv, argv[1:], strict=False):
        name, _, number = value.partition("=")
        if flag == "-s" and name == "NEWSBOT_WORKERS" and not number.strip().isdigit():
            return
    prestart_forkserver()
