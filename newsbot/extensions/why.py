"""``--why``: after a crawl, each page that gave no record and the reason.

A page gives no record for reasons spread over the crawl: robots.txt or the
private-address guard refused it, the server answered an error, the crawl state knew it
from an earlier run, the spider took it for an index page, or a pipeline dropped it
(no headline, too short, a duplicate). Each of those says so in the log, at levels a
terminal does not show; this extension gathers them by URL and prints them on standard
error when the crawl ends (``newsbot crawl --why``, or ``-s NEWSBOT_WHY_ENABLED=1`` with
``scrapy crawl``).

Settings: ``NEWSBOT_WHY_ENABLED`` (default ``False``), ``NEWSBOT_WHY_MAX`` (default
1000: lines listed; the rest are counted).
"""

from __future__ import annotations

import re
import sys
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsbot import defaults
from newsbot.signals import page_not_recorded


def drop_reason(message: str, url: str) -> str:
    """A pipeline's drop message without the URL it names: ``too_short (12 words <
    40)`` of ``too_short: URL (12 words < 40)``."""
    reason = re.sub(rf"\s*(?:in\s+)?{re.escape(url)}", "", message) if url else message
    return re.sub(r":\s*\(", " (", reason).strip(" :") or "dropped"


class WhyListing:
    """Collects, per URL, why a page gave no record; lists them when the engine stops."""

    def __init__(self, limit: int, out: IO[str] | None = None):
        self.limit = limit
        self.out = out
        self.reasons: dict[str, str] = {}
        self.more = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WhyListing:
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_WHY_ENABLED"):
            # Off by default: no message, or Scrapy would warn on every crawl.
            raise NotConfigured
        ext = cls(settings.getint("NEWSBOT_WHY_MAX", defaults.NEWSBOT_WHY_MAX))
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.page_not_recorded, signal=page_not_recorded)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def note(self, url: str, reason: str) -> None:
        if url in self.reasons or len(self.reasons) < self.limit:
            # The last word wins: a page fetched again after an error, then dropped.
            self.reasons[url] = reason
        else:
            self.more += 1

    def item_dropped(
        self, item: Any, response: Any, exception: BaseException, spider: Spider
    ) -> None:
        url = str(getattr(item, "url", "") or getattr(response, "url", "") or "")
        self.note(url or "(no URL)", drop_reason(str(exception), url))

    def page_not_recorded(self, url: str, reason: str) -> None:
        self.note(url, reason)

    def lines(self) -> list[str]:
        if not self.reasons:
            return ["why: every page asked for gave a record"]
        count = len(self.reasons) + self.more
        lines = [f"why {count} page{'s' if count != 1 else ''} gave no record:"]
        lines += [f"  {url}  {reason}" for url, reason in sorted(self.reasons.items())]
        if self.more:
            lines.append(f"  ... and {self.more} more (NEWSBOT_WHY_MAX = {self.limit})")
        return lines

    def engine_stopped(self) -> None:
        out = self.out or sys.stderr
        out.write("\n".join(self.lines()) + "\n")
        out.flush()
