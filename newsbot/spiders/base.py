"""What every newsbot spider shares: its source, URL filters, and the page item."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsbot import defaults
from newsbot.canonical_urls import canonicalize_url
from newsbot.extensions.crawl_state import crawl_state, leave_state_out
from newsbot.items import PageItem
from newsbot.middlewares.skip_done import AlreadyDone
from newsbot.records import utc_now
from newsbot.run_context import run_context
from newsbot.signals import page_not_recorded
from newsbot.sources import (
    FIELD_TYPES,
    Source,
    SourcesError,
    load_sources,
    parse_since,
    source_from_mapping,
)

# Request meta keys newsbot's spiders set.
# The default output file; the placeholders are spider attributes (read from the run
# context).
DEFAULT_FEED = "%(output_dir)s/%(source_name)s/%(run_id)s.jsonl"
START_META = "newsbot_start"
# Why a URL gives no record when the crawl state knows it (for --why).
ALREADY_WRITTEN = "written by an earlier run (crawl state; -s NEWSBOT_STATE_ENABLED=0 fetches it)"
# A URL the site or the user declared (a sitemap or feed entry, a listed URL), not one
# found by following links: spider-trap shape limits do not apply to it.
LISTED_META = "newsbot_listed"
"""True on requests for the source's own start URLs (their failure is an error)."""

# Spider arguments (-a NAME=VALUE) that map to source fields: every field of Source but
# these (the spider gives the kind and the name; a schedule is the scheduler's), each
# read by the type Source declares for it.
_NOT_ARGUMENTS = ("name", "kind", "schedule")
_ARGUMENT_TYPES = {k: t for k, t in FIELD_TYPES.items() if k not in _NOT_ARGUMENTS}
# What every spider takes; each spider class adds its own (NewsSpider.own_arguments).
COMMON_ARGUMENTS = (
    "source",
    "url",
    "urls",
    "allowed_domains",
    "include",
    "exclude",
    "drop",
    "max_pages",
    "allow_private",
    "language",
    "recheck_within",
    "retention",
    "state",
)
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_flag(name: str, value: Any, where: str) -> bool:
    """A yes/no spider argument: 1/true/yes/on or 0/false/no/off."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SourcesError(
        f"{where} argument '{name}': {value!r} is not one of 1/0, true/false, on/off"
    )


def source_from_arguments(kind: str, name: str, kwargs: dict[str, Any]) -> Source:
    """Build a source from spider arguments, validated like the sources file."""
    data: dict[str, Any] = {"name": name, "kind": kind}
    if "url" in kwargs:
        data["urls"] = _split(str(kwargs.pop("url")))
    for key, kind_of in _ARGUMENT_TYPES.items():
        if key not in kwargs:
            continue
        value = kwargs.pop(key)
        if kind_of is list:
            data[key] = _split(value) if isinstance(value, str) else list(value)
        elif kind_of is int:
            try:
                data[key] = int(value)
            except (TypeError, ValueError):
                raise SourcesError(
                    f"spider {name!r} argument '{key}': {value!r} is not a whole number"
                ) from None
        elif kind_of is bool:
            data[key] = parse_flag(key, value, f"spider {name!r}")
        else:
            data[key] = str(value)
    if kind == "urls" and "file" in data:
        path = Path(data["file"])
        if not path.is_file():
            raise SourcesError(f"spider {name!r} argument 'file': {path} is not a readable file")
    return source_from_mapping(data, f"spider {name!r} arguments")


def check_argument_names(spider: str, accepted: tuple[str, ...], given: Iterable[str]) -> None:
    """Refuse arguments the spider does not take, naming them and the ones it takes.
    Names starting with ``_`` are the runner's (Scrapyd passes ``_job``), not ours."""
    unknown = [name for name in given if name not in accepted and not name.startswith("_")]
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, accepted, n=1)
        if close:
            hints.append(f"{name!r} (did you mean {close[0]!r}?)")
        else:
            hints.append(repr(name))
    noun = "argument" if len(unknown) == 1 else "arguments"
    raise SourcesError(
        f"spider {spider!r} does not take the {noun} {', '.join(hints)}; "
        f"it takes: {', '.join(accepted)}"
    )


@dataclass(kw_only=True, slots=True)
class RunPlan:
    """What a spider's arguments ask for: the source to crawl, and whether the run
    keeps crawl state (skips what earlier runs wrote, and marks what it writes)."""

    source: Source
    named: bool
    """True when the source is an entry of the sources file (``-a source=NAME``)."""
    keep_state: bool


def plan_from_arguments(
    spidercls: type[NewsSpider], kwargs: dict[str, Any], sources_path: str | None
) -> RunPlan:
    """Check the arguments of a run of *spidercls* and say what it will crawl.

    State belongs to named sources: a run of ``-a source=NAME`` keeps it (``-a
    state=0`` turns it off for one run); a run built from arguments writes what it
    was asked for, every time, unless ``-a state=1`` asks for state (kept under the
    spider's name)."""
    name = spidercls.name
    arguments = dict(kwargs)
    check_argument_names(name, spidercls.accepted_arguments(), arguments)
    state_arg = arguments.pop("state", None)
    state = None if state_arg is None else parse_flag("state", state_arg, f"spider {name!r}")
    arguments = {k: v for k, v in arguments.items() if not k.startswith("_")}
    source_name = arguments.pop("source", None)
    if not source_name:
        source = source_from_arguments(spidercls.kind, name, arguments)
        return RunPlan(source=source, named=False, keep_state=bool(state))
    if arguments:
        raise SourcesError(
            f"spider {name!r}: with source={source_name} the sources file says what to "
            f"crawl; set {', '.join(map(repr, arguments))} there, or run without source="
        )
    path = sources_path or "sources.toml"
    sources = load_sources(path)
    if source_name not in sources:
        known = ", ".join(sources) or "none"
        raise SourcesError(f"{path}: no source named {source_name!r} (defined: {known})")
    source = sources[source_name]
    if source.kind != spidercls.kind:
        raise SourcesError(
            f"{path}: source {source_name!r} is of kind {source.kind!r}; "
            f"run it with the {source.kind!r} spider (newsbot crawl does this)"
        )
    return RunPlan(source=source, named=True, keep_state=state is not False)


class NewsSpider(scrapy.Spider):
    """Base class of newsbot's spiders.

    A spider runs one *source*: either a named entry of the sources file
    (``-a source=NAME``) or one built from its arguments (``-a url=...`` and so on).
    """

    kind = "urls"
    source: Source
    own_arguments: tuple[str, ...] = ()
    """Spider arguments this spider takes besides :data:`COMMON_ARGUMENTS`."""

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        self._arguments = dict(kwargs)
        super().__init__(name, **{k: v for k, v in kwargs.items() if k == "source"})

    @classmethod
    def accepted_arguments(cls) -> tuple[str, ...]:
        """Every ``-a NAME=VALUE`` this spider takes."""
        return COMMON_ARGUMENTS + cls.own_arguments

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Default output: records go to ``NEWSBOT_OUTPUT_DIR/<source>/<run id>.jsonl``
        unless the run names its own (``-o``/``-O``, ``FEEDS``, Scrapyd's items_dir).
        Decided here, where the final ``FEEDS`` is known: a ``FEEDS`` entry in the
        settings module would be *merged* with ``-O`` by Scrapy, writing every record
        twice. Off with ``NEWSBOT_DEFAULT_OUTPUT_ENABLED = False``."""
        super().update_settings(settings)
        if settings.getbool(
            "NEWSBOT_DEFAULT_OUTPUT_ENABLED", defaults.NEWSBOT_DEFAULT_OUTPUT_ENABLED
        ) and not settings.getdict("FEEDS"):
            settings.set("FEEDS", {DEFAULT_FEED: {"format": "jsonlines"}}, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, NewsSpider)
        spider._configure(crawler)
        return spider

    def _configure(self, crawler: Crawler) -> None:
        _quiet_robots_download_errors()
        plan = plan_from_arguments(
            type(self), self._arguments, crawler.settings.get("NEWSBOT_SOURCES")
        )
        self.source = plan.source
        self.named_source = plan.named
        self.keeps_state = plan.keep_state and crawler.settings.getbool(
            "NEWSBOT_STATE_ENABLED", defaults.NEWSBOT_STATE_ENABLED
        )
        if not self.keeps_state:
            # Left out rather than loaded and switched off: a run without state is what
            # was asked for, not something to warn about.
            leave_state_out(crawler.settings)
        # Listed URLs may be on any site; discovery spiders stay on their domains.
        # "www.example.com" stands for the whole site: its articles often live on
        # example.com or on a subdomain.
        self.allowed_domains = (
            list(self.source.allowed_domains)
            if self.kind == "urls"
            else _site_domains(self.source.domains)
        )
        self._include = [re.compile(p) for p in self.source.include]
        self._exclude = [re.compile(p) for p in self.source.exclude]
        # Validated already when the source was loaded; parsed once here so that a
        # long crawl compares against one fixed bound.
        self.since = parse_since(self.source.since) if self.source.since else None
        self.max_pages = self.source.max_pages
        self.pages_requested = 0
        self._seen_urls: set[str] = set()
        self._budget_logged = False

    @property
    def source_name(self) -> str:
        return self.source.name

    # Read from the run context (newsbot.run_context), never set on the spider: the
    # default FEEDS path names them (output/<source>/<run_id>.jsonl), and Scrapy
    # fills a feed path's placeholders from spider attributes.
    @property
    def run_id(self) -> str:
        """The run's id (see :class:`newsbot.run_context.RunContext`)."""
        return run_context(self.crawler, self).run_id

    @property
    def output_dir(self) -> str:
        """``NEWSBOT_OUTPUT_DIR``, as the run context holds it."""
        return str(run_context(self.crawler, self).output_dir)

    @property
    def allow_private(self) -> bool:
        """Whether this source may fetch private and loopback addresses."""
        return self.source.allow_private

    def wanted(self, url: str) -> bool:
        """Whether *url* passes the source's include and exclude patterns."""
        if any(p.search(url) for p in self._exclude):
            return False
        return not self._include or any(p.search(url) for p in self._include)

    def excluded(self, url: str) -> bool:
        """Whether *url* matches one of the source's exclude patterns."""
        return any(p.search(url) for p in self._exclude)

    def no_record(self, url: str, reason: str) -> None:
        """Say why the page at *url* gives no record (for ``--why``)."""
        self.crawler.signals.send_catch_log(page_not_recorded, url=url, reason=reason)

    def stat(self, key: str, count: int = 1) -> None:
        """Add *count* to the stat ``newsbot/<spider kind>/<key>``."""
        self.crawler.stats.inc_value(f"newsbot/{self.kind}/{key}", count)

    def first_sight(self, url: str) -> bool:
        """True the first time this spider meets *url* (compared in canonical form, so
        tracking parameters, fragments and parameter order make no new page)."""
        key = canonicalize_url(url)
        if key in self._seen_urls:
            return False
        self._seen_urls.add(key)
        return True

    def already_done(self, url: str) -> bool:
        """Whether an earlier run already wrote the record of *url* (and it is not due
        for a re-check): then it is not requested and costs none of ``max_pages``,
        so later runs spend their budget on new pages."""
        state = crawl_state(self.crawler)
        if state is None or not state.is_done(url):
            return False
        state.note_skipped(1, "done")
        self.no_record(url, ALREADY_WRITTEN)
        return True

    def note_skipped(self, count: int, reason: str) -> None:
        """Count entries not requested on purpose, e.g. older than ``since``
        (``newsbot/skipped/<reason>``), with or without crawl state. The summary
        reports them, and the health check counts them as articles seen, so a run
        with nothing new is not taken for a broken site."""
        self.crawler.stats.inc_value(f"newsbot/skipped/{reason}", count)

    def admit(self, url: str, *, old: bool = False) -> bool | None:
        """The gate of a listed page (a feed or sitemap entry, a given URL), in the one
        order every spider keeps: True to request it; False to pass it by (not wanted
        by the include and exclude patterns, *old*: published before ``since=``, met
        before, or written by an earlier run); None once ``max_pages`` is spent, so
        the caller stops listing."""
        if not self.wanted(url):
            self.stat("filtered")
            return False
        if old:
            self.stat("skipped_old")
            self.note_skipped(1, "since")
            self.no_record(url, "published before since=")
            return False
        if not self.first_sight(url) or self.already_done(url):
            return False
        if not self.take_page_budget():
            return None
        return True

    def take_page_budget(self) -> bool:
        """Count one more page request against ``max_pages``; False once spent."""
        if self.max_pages is not None and self.pages_requested >= self.max_pages:
            self.note_budget_spent()
            return False
        self.pages_requested += 1
        return True

    def note_budget_spent(self) -> None:
        """A page was not requested because ``max_pages`` is spent (or promised)."""
        if not self._budget_logged:
            self._budget_logged = True
            self.logger.info(
                "max_pages (%d) reached for source %r: no more pages requested",
                self.max_pages,
                self.source.name,
            )
        self.stat("max_pages_reached")

    def is_page(self, response: Response) -> bool:
        """Whether *response* is a text page worth extracting; logs why not."""
        if isinstance(response, TextResponse) and response.body.strip():
            return True
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        why = (
            "empty body"
            if not response.body.strip()
            else f"not text ({content_type or 'no Content-Type'})"
        )
        self.logger.warning("%s: %s; skipped", response.url, why)
        self.stat("not_page")
        return False

    def fetch_failed(self, failure: Failure) -> None:
        """Errback of every request: one clear log line, no traceback, and the crawl
        goes on."""
        request = failure.request  # type: ignore[attr-defined]
        start = bool(request.meta.get(START_META))
        what = "start URL" if start else "page"
        if failure.check(HttpError):
            response = failure.value.response
            self.logger.error("%s %s answered HTTP %d; skipped", what, request.url, response.status)
            self.stat("http_errors")
            self.no_record(request.url, f"HTTP {response.status}")
        elif failure.check(AlreadyDone):
            # Counted by the state middleware; not worth a line per URL.
            self.no_record(request.url, ALREADY_WRITTEN)
            return
        elif failure.check(IgnoreRequest):
            # Robots.txt, offsite and size-cap refusals: the middleware that refused
            # has logged why already.
            self.logger.info("%s %s not fetched: %s", what, request.url, failure.getErrorMessage())
            self.stat("ignored")
            self.no_record(request.url, f"not fetched: {failure.getErrorMessage()}")
        else:
            self.logger.error(
                "%s %s could not be fetched: %s",
                what,
                request.url,
                failure.getErrorMessage() or failure.type.__name__,
            )
            self.stat("fetch_errors")
            self.no_record(
                request.url,
                f"could not be fetched: {failure.getErrorMessage() or failure.type.__name__}",
            )

    def page_item(
        self,
        response: Response,
        hints: dict[str, Any] | None = None,
        *,
        require_article: bool = False,
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


def _site_domains(domains: list[str]) -> list[str]:
    """Allowed domains with a leading ``www.`` dropped (Scrapy's offsite check then
    admits the bare domain and all its subdomains)."""
    result: list[str] = []
    for domain in domains:
        bare = domain[4:] if domain.lower().startswith("www.") else domain
        if bare not in result:
            result.append(bare)
    return result


class _RobotsDownloadErrorFilter(logging.Filter):
    """Turns Scrapy's "Error downloading <robots.txt>" traceback into one warning line.

    When a site is unreachable, Scrapy's robots.txt middleware logs the failed
    robots.txt download at ERROR with a full traceback, before the page request fails
    the same way and the spider logs one clear error for it. The traceback tells the
    user nothing more, so it is dropped and the line becomes a warning.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith("Error downloading"):
            record.exc_info = None
            record.exc_text = None
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
            record.msg = "robots.txt not fetched: " + str(record.msg)
        return True


def _quiet_robots_download_errors() -> None:
    # Loggers are process-wide: install the filter once, however many crawls run.
    robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, _RobotsDownloadErrorFilter) for f in robots_logger.filters):
        robots_logger.addFilter(_RobotsDownloadErrorFilter())
