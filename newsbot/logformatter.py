"""Log lines about items that say what matters and stay short."""

from __future__ import annotations

from typing import Any

from scrapy import Spider, logformatter
from scrapy.http import Response
from twisted.python.failure import Failure

from newsbot.items import ArticleRecord, PageItem


def describe(item: Any) -> str:
    """A one-line description of an item for the log."""
    if isinstance(item, PageItem):
        return f"page {item.url} ({len(item.body)} bytes)"
    if isinstance(item, ArticleRecord):
        return f"record {item.id} of {item.url} ({item.word_count} words)"
    return repr(item)[:200]


class NewsbotLogFormatter(logformatter.LogFormatter):
    """Scrapy logs a dropped or scraped item's whole repr: for a page that is its raw
    body, megabytes in the log. newsbot logs the URL, the size and the reason."""

    def scraped(
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> logformatter.LogFormatterResult:
        entry = super().scraped(item, response, spider)
        entry["msg"] = "Scraped from %(src)s: %(item)s"
        entry["args"] = {**dict(entry["args"]), "item": describe(item)}
        return entry

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> logformatter.LogFormatterResult:
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry

    def item_error(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> logformatter.LogFormatterResult:
        entry = super().item_error(item, exception, response, spider)
        entry["args"] = {**dict(entry["args"]), "item": describe(item)}
        return entry
