"""Imported once by the extraction pool's forkserver, before it forks any worker.

The first extraction in a fresh process costs some 50 ms more than the next ones:
trafilatura and newsbot compile their expressions and load jusText's stop lists on
first use. Done here, in the forkserver, every worker forked from it (the first ones,
and each one that replaces a recycled worker) inherits that work ready-made instead of
repeating it on its first page. Never imported by the crawl process itself.
"""

from __future__ import annotations

import gc
import logging

from newsbot.pool.forkserver import GC_THRESHOLDS
from newsbot.pool.processes import warm_up

logger = logging.getLogger(__name__)

try:
    warm_up()
except Exception:  # a failed warm-up only costs speed; workers still start
    logger.debug("extraction warm-up failed in the forkserver", exc_info=True)

# The modules and caches loaded above live as long as any worker: frozen, the garbage
# collector of a forked worker never walks them, so it neither spends time on them nor
# writes to (and so copies) the memory pages it shares with its siblings.
gc.collect()
gc.freeze()
# And a page's many short-lived objects (a Python proxy for each element touched) are
# collected in fewer, larger batches: about 1 % of extraction time (the crawl process
# does the same, newsbot.extensions.gc_tuning).
gc.set_threshold(*GC_THRESHOLDS)
