"""The ``urls`` spider: fetch the pages given, take each as an article."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from newsbot.spiders.base import LISTED_META, START_META, NewsSpider


def read_url_file(path: str) -> list[tuple[int, str]]:
    """URLs of a file with their line numbers: one a line; blank lines and ``#``
    comment lines ignored."""
    urls = []
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append((number, line))
    return urls


class UrlsSpider(NewsSpider):
    """``scrapy crawl urls -a urls=URL,URL`` or ``-a file=PATH``."""

    name = "urls"
    kind = "urls"
    own_arguments = ("file",)

    async def start(self) -> AsyncIterator[Any]:
        urls = [("argument", url) for url in self.source.urls]
        if self.source.file:
            urls += [(f"{self.source.file}:{n}", url) for n, url in read_url_file(self.source.file)]
        if not urls:
            self.logger.error("no URLs given: pass -a urls=URL,URL or -a file=PATH")
        for where, url in urls:
            if not url.startswith(("http://", "https://")):
                self.logger.error("%s: %r is not an http(s) URL; skipped", where, url)
                self.crawler.stats.inc_value("newsbot/urls/invalid")
                continue
            admitted = self.admit(url)
            if admitted is None:
                break
            if not admitted:
                continue
            yield scrapy.Request(
                url,
                callback=self.parse,
                errback=self.fetch_failed,
                meta={START_META: True, LISTED_META: True},
            )

    def parse(self, response: Response, **kwargs: Any) -> Any:
        if self.is_page(response):
            yield self.page_item(response)
