"""Deprecated: moved to :mod:`newsbot.pipelines.page_to_record`.

``newsbot.pipelines.extract.ExtractionPipeline`` was the documented component path; a
project's ``ITEM_PIPELINES`` may still name it, so it keeps loading, with a warning.
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

from newsbot.pipelines.page_to_record import ExtractionPipeline

__all__ = ["ExtractionPipeline"]

warnings.warn(
    "newsbot.pipelines.extract is deprecated: use "
    "newsbot.pipelines.page_to_record.ExtractionPipeline instead",
    # Scrapy's own category: shown by default (Python hides a DeprecationWarning raised
    # outside __main__), as for Scrapy's moved components.
    ScrapyDeprecationWarning,
    stacklevel=2,
)
