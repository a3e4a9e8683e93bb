"""newsbot's own signals, sent through the crawler's signal manager as Scrapy's are."""

from __future__ import annotations

page_not_recorded = object()
"""A page that was asked for gives no record, and why: sent with ``url`` and ``reason``
(a fetch that failed or was refused, a page that is no article, a URL an earlier run
wrote). Dropped items are not sent again: Scrapy's ``item_dropped`` says those."""
