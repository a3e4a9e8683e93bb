"""WARC input for ``newsbot extract``: the flags, and the run over WARC files."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from newsbot.dates import parse_iso_utc
from newsbot.extraction import ExtractionOptions
from newsbot.pool.processes import default_workers


def add_warc_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the WARC flags on ``newsbot extract``'s parser."""
    group = parser.add_argument_group("WARC input (.warc, .warc.gz)")
    group.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="HOST",
        help="keep pages of this host and its subdomains (repeatable)",
    )
    group.add_argument(
        "--url-pattern", metavar="REGEX", help="keep pages whose URL matches this expression"
    )
    group.add_argument(
        "--since",
        metavar="DATE",
        help="keep pages archived at or after this date or time (ISO 8601, UTC if no offset)",
    )
    group.add_argument(
        "--until",
        metavar="DATE",
        help="keep pages archived before this time; a bare date includes that whole day",
    )
    group.add_argument(
        "--source", help="the records' 'source' field (default: the WARC file's path)"
    )
    group.add_argument(
        "--articles-only",
        action="store_true",
        help="keep only pages that look like article pages (as the 'site' spider does)",
    )


def parse_when(value: str, *, end: bool = False) -> datetime:
    """An ISO 8601 date or date-time as an aware datetime (UTC when no offset given).
    With ``end``, a bare date means the end of that day (the start of the next)."""
    value = value.strip()
    parsed = parse_iso_utc(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not an ISO 8601 date or date-time")
    # A bare date is its midnight in UTC; as an end, the start of the next day.
    return parsed + timedelta(days=1) if end and len(value) == 10 else parsed


def run_warc(args: argparse.Namespace, warcs: Sequence[Path], out: IO[str]) -> int:
    """Extract the pages of *warcs* into JSON Lines on *out*; print a summary on stderr.
    Exit status: 0, 1 when a file could not be read, 2 for a bad flag."""
    from newsbot.warc.to_records import extract_warc  # pulls in the worker pool

    try:
        since = parse_when(args.since) if getattr(args, "since", None) else None
        until = parse_when(args.until, end=True) if getattr(args, "until", None) else None
        pattern = getattr(args, "url_pattern", None)
        url_pattern = re.compile(pattern) if pattern else None
    except (ValueError, re.error) as exc:
        print(f"newsbot extract: {exc}", file=sys.stderr)
        return 2
    workers = getattr(args, "workers", 0) or default_workers()
    counts = extract_warc(
        warcs,
        out=out,
        # 1 worker means "in this process", as for HTML files.
        workers=workers if workers > 1 else 0,
        hosts=getattr(args, "host", None) or None,
        url_pattern=url_pattern,
        since=since,
        until=until,
        source=getattr(args, "source", None),
        options=ExtractionOptions(extra_cleanup=tuple(getattr(args, "drop", None) or ())),
        require_article=bool(getattr(args, "articles_only", False)),
    )
    out.flush()
    print(summary(counts, len(warcs)), file=sys.stderr)
    return 1 if counts.get("warc/errors/unreadable") else 0


def summary(counts: dict[str, int], files: int) -> str:
    """One line on what the WARC run read, wrote and dropped, and why."""
    dropped = {
        key.rsplit("/", 1)[-1]: value
        for key, value in sorted(counts.items())
        if key.startswith(("newsbot/dropped/", "newsbot/extract/error/"))
    }
    errors = {
        key.rsplit("/", 1)[-1]: value
        for key, value in sorted(counts.items())
        if key.startswith("warc/errors/")
    }
    skipped = {
        key.rsplit("/", 1)[-1]: value
        for key, value in sorted(counts.items())
        if key.startswith("warc/skipped/")
    }

    def fmt(parts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in parts.items()) or "none"

    return (
        f"newsbot extract: {files} WARC file(s), {counts.get('warc/records', 0)} records, "
        f"{counts.get('warc/pages', 0)} HTML pages, {counts.get('written', 0)} records written; "
        f"dropped: {fmt(dropped)}; skipped: {fmt(skipped)}; damaged records: {fmt(errors)}"
    )
