"""Dates as feeds and sitemaps write them: W3C date-times (sitemaps, Atom, news
sitemaps) and RFC 822 dates (RSS ``pubDate``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# W3C Datetime profile of ISO 8601 (https://www.w3.org/TR/NOTE-datetime), a little
# more lenient: a space instead of "T", a missing colon in the offset.
_W3C = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as the document gave it: to the day, or to the second, with or without
    an offset. ``iso`` never invents precision or an offset the source did not give."""

    value: datetime
    """The instant; naive when the source gave no offset."""
    iso: str
    """ISO 8601: ``YYYY-MM-DD`` for a bare date, else a date-time (offset when known)."""

    def as_utc(self) -> datetime:
        """The value as an aware UTC datetime, taking a missing offset as UTC (for
        comparisons only)."""
        if self.value.tzinfo is None:
            return self.value.replace(tzinfo=UTC)
        return self.value.astimezone(UTC)


def parse_w3c(value: str | None) -> ParsedDate | None:
    """Parse a W3C date-time (``2024-05-01``, ``2024-05-01T10:00:00+02:00``)."""
    if not value:
        return None
    match = _W3C.match(value.strip())
    if not match:
        return None
    parts = match.groupdict()
    try:
        if parts["H"] is None:
            day = datetime(int(parts["y"]), int(parts["m"] or 1), int(parts["d"] or 1))
            return ParsedDate(day, day.date().isoformat())
        text = (
            f"{parts['y']}-{parts['m']}-{parts['d']}T{parts['H']}:{parts['M']}:{parts['S'] or '00'}"
        )
        if parts["f"]:
            text += "." + parts["f"][:6].ljust(6, "0")
        tz = parts["tz"]
        if tz:
            tz = "+00:00" if tz.upper() == "Z" else tz[:3] + ":" + tz[-2:]
            text += tz
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return ParsedDate(moment, moment.isoformat())


def parse_rfc822(value: str | None) -> ParsedDate | None:
    """Parse an RSS ``pubDate`` (``Tue, 07 May 2024 09:30:00 +0200``)."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return ParsedDate(moment, moment.isoformat())


def parse_any(value: str | None) -> ParsedDate | None:
    """A W3C date-time or an RFC 822 date; feeds mix them up in practice."""
    return parse_w3c(value) or parse_rfc822(value)
