"""Imported once by the extraction pool's forkserver, before it forks any worker.

The first extraction in a fresh process costs some 50 ms more than the next ones:
trafilatura and newsbot compile their expressions and load jusText's stop lists on
first use. Done here, in the forkserver, every worker forked from it (the first ones,
and each one that replaces a recycled worker) inherits that work ready-made instead of
repeating it on its first page. Never imported by the crawl process itself.
"""

from __future__ import annotations

import logging

from newsbot.workers import warm_up

logger = logging.getLogger(__name__)

try:
    warm_up()
except Exception:  # a failed warm-up only costs speed; workers still start
    logger.debug("extraction warm-up failed in the forkserver", exc_info=True)
