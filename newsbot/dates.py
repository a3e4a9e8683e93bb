"""Reading the ISO 8601 times newsbot writes and is given, one way everywhere.

The record's ``published``, a WARC-Date, a ``since=`` bound, a run's start: each is an
ISO 8601 date or date-time, and a value without an offset is taken as UTC (the crawl
writes its own times in UTC; a bare date means its midnight). Pure, no Scrapy.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse_iso_utc(value: str | None) -> datetime | None:
    """*value* (ISO 8601: a date, or a date-time with ``Z``, an offset or none) as an
    aware datetime, UTC when it names no offset; None when absent or unreadable.
    The offset it names is kept (``astimezone(UTC)`` converts, where a caller needs to)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
