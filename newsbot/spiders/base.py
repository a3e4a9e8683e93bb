"""What every newsbot spider shares: its source, URL filters, and the page item."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response

from newsbot.items import PageItem
from newsbot.records import utc_now
from newsbot.sources import Source, SourcesError, load_sources, source_from_mapping

# Spider arguments (-a NAME=VALUE) that map to source fields, and how to read them.
_LIST_ARGS = ("urls", "allowed_domains", "include", "exclude", "drop")
_INT_ARGS = ("max_pages", "max_depth")
_BOOL_ARGS = ("allow_private",)
_STR_ARGS = ("file", "since", "language", "recheck_within", "retention")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def source_from_arguments(kind: str, name: str, kwargs: dict[str, Any]) -> Source:
    """Build a source from spider arguments, validated like the sources file."""
    data: dict[str, Any] = {"name": name, "kind": kind}
    if "url" in kwargs:
        data["urls"] = _split(str(kwargs.pop("url")))
    for key in _LIST_ARGS:
        if key in kwargs:
            value = kwargs.pop(key)
            data[key] = _split(value) if isinstance(value, str) else list(value)
    for key in _INT_ARGS:
        if key in kwargs:
            value = kwargs.pop(key)
            try:
                data[key] = int(value)
            except (TypeError, ValueError):
                raise SourcesError(
                    f"spider {name!r} argument '{key}': {value!r} is not a whole number"
                ) from None
    for key in _BOOL_ARGS:
        if key in kwargs:
            data[key] = str(kwargs.pop(key)).lower() in ("1", "true", "yes", "on")
    for key in _STR_ARGS:
        if key in kwargs:
            data[key] = str(kwargs.pop(key))
    if kind == "urls" and "file" in data:
        path = Path(data["file"])
        if not path.is_file():
            raise SourcesError(f"spider {name!r} argument 'file': {path} is not a readable file")
    return source_from_mapping(data, f"spider {name!r} arguments")


class NewsSpider(scrapy.Spider):
    """Base class of newsbot's spiders.

    A spider runs one *source*: either a named entry of the sources file
    (``-a source=NAME``) or one built from its arguments (``-a url=...`` and so on).
    """

    kind = "urls"
    source: Source

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        self._arguments = dict(kwargs)
        super().__init__(name, **{k: v for k, v in kwargs.items() if k == "source"})

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, NewsSpider)
        spider._configure(crawler)
        return spider

    def _configure(self, crawler: Crawler) -> None:
        # Used in the default FEEDS path: output/<source>/<run_id>.jsonl
        self.run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.output_dir = crawler.settings.get("NEWSBOT_OUTPUT_DIR")
        arguments = dict(self._arguments)
        source_name = arguments.pop("source", None)
        if source_name:
            path = crawler.settings.get("NEWSBOT_SOURCES")
            sources = load_sources(path)
            if source_name not in sources:
                known = ", ".join(sources) or "none"
                raise SourcesError(f"{path}: no source named {source_name!r} (defined: {known})")
            self.source = sources[source_name]
            if self.source.kind != self.kind:
                raise SourcesError(
                    f"{path}: source {source_name!r} is of kind {self.source.kind!r}; "
                    f"run it with the {self.source.kind!r} spider (newsbot crawl does this)"
                )
        else:
            self.source = source_from_arguments(self.kind, self.name, arguments)
        # Listed URLs may be on any site; discovery spiders stay on their domains.
        self.allowed_domains = (
            list(self.source.allowed_domains) if self.kind == "urls" else self.source.domains
        )
        self._include = [re.compile(p) for p in self.source.include]
        self._exclude = [re.compile(p) for p in self.source.exclude]

    @property
    def source_name(self) -> str:
        return self.source.name

    @property
    def allow_private(self) -> bool:
        """Whether this source may fetch private and loopback addresses."""
        return self.source.allow_private

    def wanted(self, url: str) -> bool:
        """Whether *url* passes the source's include and exclude patterns."""
        if any(p.search(url) for p in self._exclude):
            return False
        return not self._include or any(p.search(url) for p in self._include)

    def page_item(
        self, response: Response, hints: dict[str, Any] | None = None, *, require_article: bool = False
    ) -> PageItem:
        """The item handed to the pipelines for a fetched page."""
        headers = response.headers
        content_type = headers.get(b"Content-Type")
        last_modified = headers.get(b"Last-Modified")
        etag = headers.get(b"ETag")
        return PageItem(
            url=response.url,
            body=response.body,
            content_type=content_type.decode("latin-1") if content_type else None,
            encoding=getattr(response, "encoding", None),
            status=response.status,
            source=self.source.name,
            fetched_at=utc_now(),
            hints=dict(hints or {}),
            last_modified=last_modified.decode("latin-1") if last_modified else None,
            etag=etag.decode("latin-1") if etag else None,
            extra_cleanup=list(self.source.drop),
            require_article=require_article,
        )
