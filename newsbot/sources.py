"""The sources file: a declarative TOML list of the sites to crawl.

Example::

    [[source]]
    name = "example-news"
    kind = "sitemap"              # urls | feed | sitemap | site
    urls = ["https://example.com/"]
    allowed_domains = ["example.com"]
    include = ['/\\d{4}/\\d{2}/']   # regular expressions on the URL
    exclude = ['/video/']
    max_pages = 500
    max_depth = 3
    since = "2d"
    language = "en"
    drop = [".newsletter-box", "//aside[@class='related']"]
    schedule = "0 * * * *"
    recheck_within = "2d"
    retention = "90d"
    allow_private = false

The whole file is validated once, before anything runs: a mistake raises
:class:`SourcesError` naming the file, the source and the field.
"""

from __future__ import annotations

import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsbot.dates import parse_iso_utc

KINDS = ("urls", "feed", "sitemap", "site")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class SourcesError(ValueError):
    """The sources file, or a spider argument, is wrong. The message says where."""


def parse_duration(value: str) -> timedelta:
    """Parse ``30m``, ``6h``, ``2d`` or ``1w`` into a timedelta."""
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a duration like '30m', '6h', '2d' or '1w'")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """Parse a ``since`` bound: a date (``2025-01-31``), an ISO date-time, or a duration
    back from now (``2d``). Returns an aware UTC datetime."""
    now = now or datetime.now(UTC)
    value = value.strip()
    try:
        return now - parse_duration(value)
    except ValueError:
        pass
    parsed = parse_iso_utc(value)
    if parsed is None:
        raise ValueError(f"{value!r} is neither a date (YYYY-MM-DD) nor a duration like '2d'")
    return parsed


def validate_cron(expr: str) -> None:
    """Check a five-field cron expression (minute hour day month weekday)."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"{expr!r} is not a cron expression of five fields")
    from apscheduler.triggers.cron import CronTrigger  # optional dependency, lazy

    CronTrigger.from_crontab(expr)


@dataclass(kw_only=True, slots=True)
class Source:
    """One site to crawl, as the sources file declares it."""

    name: str
    kind: str
    urls: list[str] = field(default_factory=list)
    file: str | None = None
    allowed_domains: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_pages: int | None = None
    max_depth: int = 3
    since: str | None = None
    language: str | None = None
    drop: list[str] = field(default_factory=list)
    schedule: str | None = None
    recheck_within: str | None = None
    retention: str = "90d"
    allow_private: bool = False

    def spider_args(self) -> dict[str, Any]:
        """The arguments that run this source through its spider."""
        return {"source": self.name}

    @property
    def domains(self) -> list[str]:
        """Allowed domains: as declared, else the hosts of the start URLs."""
        if self.allowed_domains:
            return list(self.allowed_domains)
        hosts = []
        for url in self.urls:
            host = urlsplit(url).hostname
            if host and host not in hosts:
                hosts.append(host)
        return hosts


def _field_type(hint: Any) -> type:
    """The type a sources-file value must have for a field of type *hint*:
    ``list[str]`` takes a list, ``int | None`` an int."""
    if typing.get_origin(hint) is list:
        return list
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
        return _field_type(inner)
    return hint  # type: ignore[no-any-return]


FIELD_TYPES: dict[str, type] = {
    name: _field_type(hint) for name, hint in typing.get_type_hints(Source).items()
}
"""Each field of :class:`Source` and the type its value must have: read from the class,
the one declaration of the fields (the sources file and the spider arguments use it)."""


def _check_url(url: Any) -> str:
    if not isinstance(url, str):
        raise ValueError(f"{url!r} is not a string")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an absolute http(s) URL")
    return url


def source_from_mapping(data: dict[str, Any], where: str) -> Source:
    """Validate one source table. *where* prefixes error messages (file and index)."""
    name = data.get("name")
    label = f"{where}: source {name!r}" if isinstance(name, str) else where

    def fail(fld: str, why: str) -> SourcesError:
        return SourcesError(f"{label}: field '{fld}': {why}")

    for key, value in data.items():
        if key not in FIELD_TYPES:
            known = ", ".join(sorted(FIELD_TYPES))
            raise fail(key, f"unknown field (known fields: {known})")
        expected = FIELD_TYPES[key]
        if expected is int and isinstance(value, bool) or not isinstance(value, expected):
            raise fail(key, f"expected {getattr(expected, '__name__', expected)}, got {value!r}")
    if "name" not in data:
        raise fail("name", "missing")
    if not _NAME.match(data["name"]):
        raise fail("name", "use letters, digits, '.', '_' and '-' only (at most 64)")
    if "kind" not in data:
        raise fail("kind", f"missing (one of {', '.join(KINDS)})")
    if data["kind"] not in KINDS:
        raise fail("kind", f"{data['kind']!r} is not one of {', '.join(KINDS)}")
    urls = data.get("urls", [])
    for url in urls:
        try:
            _check_url(url)
        except ValueError as exc:
            raise fail("urls", str(exc)) from None
    if not urls and not (data["kind"] == "urls" and data.get("file")):
        raise fail("urls", "at least one start URL is needed")
    for key in ("include", "exclude"):
        for pattern in data.get(key, []):
            if not isinstance(pattern, str):
                raise fail(key, f"{pattern!r} is not a string")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise fail(key, f"{pattern!r} is not a regular expression: {exc}") from None
    for key in ("allowed_domains", "drop"):
        for value in data.get(key, []):
            if not isinstance(value, str) or not value.strip():
                raise fail(key, f"{value!r} is not a non-empty string")
    for key in ("max_pages", "max_depth"):
        if key in data and data[key] < (1 if key == "max_pages" else 0):
            raise fail(key, f"{data[key]} is out of range")
    for key in ("recheck_within", "retention"):
        if key in data:
            try:
                parse_duration(data[key])
            except ValueError as exc:
                raise fail(key, str(exc)) from None
    if "since" in data:
        try:
            parse_since(data["since"])
        except ValueError as exc:
            raise fail("since", str(exc)) from None
    if "schedule" in data:
        try:
            validate_cron(data["schedule"])
        except ValueError as exc:
            raise fail("schedule", str(exc)) from None
    if "language" in data and not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", data["language"]):
        raise fail("language", f"{data['language']!r} is not a language code like 'en' or 'de'")
    return Source(**data)


def load_sources(path: str | Path) -> dict[str, Source]:
    """Read and validate a sources file. Returns the sources by name, in file order."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourcesError(f"{path}: sources file not found") from None
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read the sources file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SourcesError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"source"}
    if unknown:
        raise SourcesError(
            f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
            "declare each site in a [[source]] table"
        )
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise SourcesError(f"{path}: 'source' must be an array of tables ([[source]])")
    sources: dict[str, Source] = {}
    for index, table in enumerate(tables, start=1):
        source = source_from_mapping(table, f"{path}: [[source]] #{index}")
        if source.name in sources:
            raise SourcesError(f"{path}: source {source.name!r}: field 'name': defined twice")
        if source.file:
            file_path = Path(source.file)
            if not file_path.is_absolute():
                source.file = str((path.parent / file_path).resolve())
        sources[source.name] = source
    return sources
