"""The crawl process's garbage collector: the start-up heap frozen and the thresholds
raised while the engine runs, Python's own settings back when it stops."""

from __future__ import annotations

import gc

from scrapy.utils.test import get_crawler

from newsbot.extensions.gc_tuning import GcTuning
from newsbot.pool.forkserver import GC_THRESHOLDS


def test_the_heap_is_frozen_while_the_engine_runs_and_restored_after() -> None:
    before = gc.get_threshold()
    crawler = get_crawler(settings_dict={"EXTENSIONS": {GcTuning: 0}})
    extension = GcTuning.from_crawler(crawler)
    try:
        extension.engine_started()
        assert gc.get_threshold() == GC_THRESHOLDS
        # What the process held at start-up is out of the collector's sight.
        assert gc.get_freeze_count() > 1000
        extension.engine_stopped()
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_project_enables_it() -> None:
    from newsbot import settings

    assert settings.EXTENSIONS.get("newsbot.extensions.gc_tuning.GcTuning") is not None
