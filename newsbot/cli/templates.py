"""``newsbot templates SOURCE``: the lines a source's crawls learned as its sites'
template, with the number of articles each was seen in, so that a user can check what
is being removed."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from newsbot import defaults

if TYPE_CHECKING:
    from newsbot.extraction.site_templates import BlockStats, TemplateRules


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "templates",
        help="list the boilerplate lines learned for a source",
        description=(
            "List, per site of a source, the lines its crawls saw inside the bodies of "
            "several articles, with the number of articles each was in, and whether it is "
            "removed as the site's template (seen in at least NEWSBOT_TEMPLATES_MIN_ARTICLES "
            "articles and NEWSBOT_TEMPLATES_MIN_SHARE of the site's articles since). "
            "SOURCE is a source of the sources file, or the spider of a run with -a state=1."
        ),
    )
    parser.add_argument("source", metavar="SOURCE")
    parser.add_argument("--site", help="only this site (registered domain, e.g. example.co.uk)")
    parser.add_argument(
        "--all",
        action="store_true",
        help="also lines seen in one article only (the memory's one-off lines)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object, by site")
    parser.add_argument("--redis", metavar="URL", help="read the state from Redis (distributed)")
    return parser


def run(args: argparse.Namespace) -> int:
    from scrapy.utils.project import get_project_settings

    from newsbot.extraction.site_templates import TemplateRules
    from newsbot.state.template_memory import (
        RedisTemplateMemory,
        SqliteTemplateMemory,
        TemplateMemory,
    )

    settings = get_project_settings()
    rules = TemplateRules(
        min_articles=max(
            settings.getint(
                "NEWSBOT_TEMPLATES_MIN_ARTICLES", defaults.NEWSBOT_TEMPLATES_MIN_ARTICLES
            ),
            2,
        ),
        min_share=settings.getfloat(
            "NEWSBOT_TEMPLATES_MIN_SHARE", defaults.NEWSBOT_TEMPLATES_MIN_SHARE
        ),
    )
    redis_url = args.redis or settings.get("NEWSBOT_REDIS_URL")
    memory: TemplateMemory
    closer: Any = None
    if redis_url:
        from newsbot.distributed.connection import REDIS_DOWN_ERRORS, connect
        from newsbot.distributed.keys import DEFAULT_PREFIX, SourceKeys

        client = connect(redis_url)
        keys = SourceKeys(args.source, settings.get("NEWSBOT_REDIS_PREFIX") or DEFAULT_PREFIX)
        memory = RedisTemplateMemory(client, keys.base)
        try:
            sites = memory.sites()
        except REDIS_DOWN_ERRORS as exc:
            print(f"newsbot templates: cannot reach Redis: {exc}", file=sys.stderr)
            return 2
        closer = client
    else:
        import sqlite3

        from newsbot.state.sqlite import state_path

        path = state_path(
            settings.get("NEWSBOT_STATE_DIR") or defaults.NEWSBOT_STATE_DIR, args.source
        )
        if not path.exists():
            print(
                f"newsbot templates: no crawl state for source {args.source!r} "
                f"(looked for {path}; crawl it first, or set NEWSBOT_STATE_DIR)",
                file=sys.stderr,
            )
            return 2
        # Read-only: a crawl may be writing it.
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        closer = db
        try:
            # A state written before newsbot learned templates has no tables: empty.
            memory = SqliteTemplateMemory(db if _has_tables(db) else None)
            sites = memory.sites()
        except sqlite3.DatabaseError as exc:
            print(f"newsbot templates: {path}: {exc}", file=sys.stderr)
            return 2
    try:
        if args.site:
            if args.site not in sites:
                known = ", ".join(sites) or "none yet"
                print(
                    f"newsbot templates: source {args.source!r} has no site {args.site!r} "
                    f"(sites: {known})",
                    file=sys.stderr,
                )
                return 2
            sites = {args.site: sites[args.site]}
        report: dict[str, dict[str, Any]] = {
            site: {
                "articles": articles,
                "blocks": [
                    _row(stats, articles, rules)
                    for _, stats in memory.blocks(site)
                    if args.all or stats.count > 1
                ],
            }
            for site, articles in sites.items()
        }
    finally:
        closer.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    if not report:
        print(f"source {args.source}: nothing learned yet")
    for site, entry in report.items():
        print(f"{site}: {entry['articles']} articles")
        for row in entry["blocks"]:
            mark = "removed" if row["template"] else "kept   "
            print(f"  {mark} {row['articles']:>6}  {row['share']:>4.0%}  {row['text']}")
    return 0


def _row(stats: BlockStats, articles: int, rules: TemplateRules) -> dict[str, Any]:
    from newsbot.extraction.site_templates import is_template

    window = max(articles - stats.first_n + 1, 1)
    return {
        "text": stats.sample,
        "articles": stats.count,
        "share": round(min(stats.count / window, 1.0), 3),
        "template": is_template(stats, articles, rules),
    }


def _has_tables(db: Any) -> bool:
    row = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('template_blocks', 'template_sites')"
    ).fetchone()
    return bool(row and row[0] == 2)
