"""``newsbot crawl``: run sources of the sources file, or one spider with arguments."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from newsbot.cli.options import check_typed_settings, feeds_from_cli, parse_pairs, spider_class
from newsbot.run_context import run_context
from newsbot.sources import KINDS, Source, SourcesError, load_sources


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl sources into JSON Lines records",
        description=(
            "Crawl the named sources of the sources file (all of them when none is "
            "named), or one spider with arguments (--spider KIND -a NAME=VALUE). Records "
            "go to output/<source>/<run id>.jsonl unless -o/-O say otherwise."
        ),
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="source names to crawl")
    parser.add_argument(
        "--sources",
        dest="sources_file",
        metavar="PATH",
        help="the sources file (default: the NEWSBOT_SOURCES setting, sources.toml)",
    )
    parser.add_argument(
        "--spider",
        choices=KINDS,
        help="run this spider with -a arguments instead of sources from the file",
    )
    parser.add_argument(
        "-a",
        dest="spider_args",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="spider argument, with --spider (repeatable), e.g. -a url=https://example.com/",
    )
    parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a Scrapy or newsbot setting (repeatable)",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("-o", dest="append_to", metavar="FILE", help="append records to FILE")
    out.add_argument("-O", dest="overwrite", metavar="FILE", help="write records to FILE")
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="share the frontier and crawl state through Redis (sets NEWSBOT_REDIS_URL)",
    )
    parser.add_argument(
        "--why",
        action="store_true",
        help="after the crawl, list each page that gave no record and why (on stderr)",
    )
    parser.add_argument(
        "-L", "--loglevel", default=None, help="log level (default: INFO, WARNING on a terminal)"
    )
    return parser


def build_settings(args: argparse.Namespace) -> Any:
    """The settings of the run: the project's, then the command line's, checked."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if args.sources_file:
        settings.set("NEWSBOT_SOURCES", args.sources_file, priority="cmdline")
    if args.redis:
        settings.set("NEWSBOT_REDIS_URL", args.redis, priority="cmdline")
    given = parse_pairs(args.settings, "setting")
    settings.setdict(given, priority="cmdline")
    check_typed_settings(settings, given)
    if getattr(args, "why", False):  # newsbot demo builds its own arguments
        settings.set("NEWSBOT_WHY_ENABLED", True, priority="cmdline")
    level = args.loglevel or ("WARNING" if sys.stderr.isatty() else "INFO")
    settings.set("LOG_LEVEL", level.upper(), priority="cmdline")
    if args.append_to or args.overwrite:
        feeds = feeds_from_cli(
            settings,
            [args.append_to] if args.append_to else [],
            [args.overwrite] if args.overwrite else [],
        )
        settings.set("FEEDS", feeds, priority="cmdline")
    return settings


def plan(args: argparse.Namespace, settings: Any) -> list[tuple[str, dict[str, Any]]]:
    """(spider name, spider arguments) for each crawl to run, validated first."""
    if args.spider:
        from newsbot.spiders.base import NewsSpider, plan_from_arguments

        if args.sources:
            raise SourcesError("give either source names or --spider, not both")
        spider_args = parse_pairs(args.spider_args, "spider argument")
        spidercls = spider_class(settings, args.spider)
        if issubclass(spidercls, NewsSpider):
            plan_from_arguments(spidercls, spider_args, settings.get("NEWSBOT_SOURCES"))
        return [(args.spider, spider_args)]
    if args.spider_args:
        raise SourcesError("-a spider arguments need --spider KIND")
    path = settings.get("NEWSBOT_SOURCES")
    sources: dict[str, Source] = load_sources(path)
    names = args.sources or list(sources)
    if not names:
        raise SourcesError(f"{path}: no [[source]] defined")
    missing = [n for n in names if n not in sources]
    if missing:
        raise SourcesError(
            f"{path}: no source named {', '.join(map(repr, missing))} "
            f"(defined: {', '.join(sources) or 'none'})"
        )
    return [(sources[n].kind, {"source": n}) for n in names]


def summarise(crawler: Any) -> tuple[str, int]:
    """The end-of-run summary of one crawl, and its exit status (0 ok, 1 failed or
    interrupted, 3 unhealthy: see the run manifest)."""
    from newsbot.extensions.progress import summary_lines

    stats = crawler.stats.get_stats()
    spider = crawler.spider
    name = run_context(crawler, spider).source if spider is not None else crawler.spidercls.name
    state_of = name if getattr(spider, "keeps_state", True) else None
    reason = stats.get("finish_reason", "not started")
    status = stats.get("newsbot/exit_status", 0 if reason == "finished" else 1)
    files = list(stats.get("newsbot/output/files") or [])
    lines = summary_lines(stats, files, name, reason, state_of)
    message = stats.get("newsbot/health/message")
    if message:
        lines.append(f"  health: {message}")
    return "\n".join(lines), int(status)


def run(args: argparse.Namespace) -> int:
    # (The extraction workers' forkserver is already starting: newsbot.cli.main.)
    from scrapy.exceptions import UsageError

    try:
        settings = build_settings(args)
        crawls = plan(args, settings)
    except (SourcesError, UsageError) as exc:
        print(f"newsbot crawl: {exc}", file=sys.stderr)
        return 2
    redis_url = settings.get("NEWSBOT_REDIS_URL")
    if redis_url:
        from newsbot.distributed.connection import check

        problem = check(redis_url)
        if problem:
            print(f"newsbot crawl: {problem}", file=sys.stderr)
            return 1
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawlers = []
    for spider_name, spider_args in crawls:
        crawler = process.create_crawler(spider_name)
        crawlers.append(crawler)
        process.crawl(crawler, **spider_args)
    process.start()
    status = 0
    for crawler in crawlers:
        text, code = summarise(crawler)
        if crawler.spider is None:
            code = code or 1
        status = max(status, code)
        # Summaries go with the logs, to stderr: stdout may be the records (-O -).
        print(text, file=sys.stderr)
    logging.shutdown()
    return status
