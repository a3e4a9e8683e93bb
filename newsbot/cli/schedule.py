"""``newsbot schedule``: run each source on the cron schedule of the sources file."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from newsbot import defaults
from newsbot.sources import SourcesError, load_sources


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "schedule",
        help="run sources on their cron schedules (each run its own process)",
        description=(
            "Run each source of the sources file on its 'schedule' (a cron expression), "
            "each run in its own process, never two runs of one source at once. One log "
            "line per run with its counts. SIGTERM or Ctrl-C stops it once running "
            "crawls finish (a second signal stops them too)."
        ),
    )
    parser.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="sources to schedule (default: all)"
    )
    parser.add_argument(
        "--sources",
        dest="sources_file",
        metavar="PATH",
        help="the sources file (default: the NEWSBOT_SOURCES setting, sources.toml)",
    )
    parser.add_argument(
        "--cron",
        action="append",
        default=[],
        metavar="SOURCE=EXPR",
        help="use this cron expression for SOURCE instead of its 'schedule' (five "
        "fields, or six with a leading seconds field)",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="run each source once now, one after the other, and exit with the worst status",
    )
    parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting passed to every crawl (repeatable)",
    )
    parser.add_argument(
        "--logs",
        metavar="DIR",
        help="folder of the crawls' log files (default: <NEWSBOT_STATE_DIR>/logs)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    from scrapy.utils.project import get_project_settings

    from newsbot.cli.options import parse_pairs
    from newsbot.cron import CrawlScheduler, cron_trigger, serve

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    # APScheduler logs every job start and end; the scheduler's own line per run says more.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        overrides = parse_pairs(args.settings, "setting")
        crons = parse_pairs(args.cron, "--cron", strip=True)
        settings = get_project_settings()
        settings.setdict(overrides, priority="cmdline")
        path = str(Path(args.sources_file or settings.get("NEWSBOT_SOURCES")).resolve())
        sources = load_sources(path)
        names = args.sources or list(sources)
        missing = [n for n in [*names, *crons] if n not in sources]
        if missing:
            raise SourcesError(
                f"{path}: no source named {', '.join(map(repr, missing))} "
                f"(defined: {', '.join(sources) or 'none'})"
            )
        for name, expr in crons.items():
            try:
                cron_trigger(expr)
            except ValueError as exc:
                raise SourcesError(f"--cron {name}: {exc}") from None
    except SourcesError as exc:
        print(f"newsbot schedule: {exc}", file=sys.stderr)
        return 2
    selected = [sources[n] for n in names]
    scheduler = CrawlScheduler(
        selected,
        path,
        settings=overrides,
        output_dir=settings.get("NEWSBOT_OUTPUT_DIR") or defaults.NEWSBOT_OUTPUT_DIR,
        manifest_dir=settings.get("NEWSBOT_MANIFEST_DIR") or None,
        logs_dir=args.logs
        or os.path.join(settings.get("NEWSBOT_STATE_DIR") or defaults.NEWSBOT_STATE_DIR, "logs"),
        crons=crons,
    )
    if args.once:
        return max((scheduler.run_once(s.name).exit_status for s in selected), default=0)
    unscheduled = [n for n, c in scheduler.crons.items() if not c]
    for name in unscheduled:
        logging.getLogger(__name__).warning(
            "source %s has no 'schedule' in %s: not scheduled", name, path
        )
    if len(unscheduled) == len(selected):
        print(
            f"newsbot schedule: no source to schedule: give sources a 'schedule' in {path} "
            "or use --cron SOURCE=EXPR",
            file=sys.stderr,
        )
        return 2
    return serve(scheduler)
