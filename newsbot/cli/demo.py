"""``newsbot demo``: serve the bundled demo site on 127.0.0.1 and crawl it."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

DEMO_PORT = 8642
DEMO_SOURCES = Path(__file__).resolve().parent.parent / "demo" / "sources.toml"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "demo",
        help="serve the bundled demo news site locally and crawl it",
        description=(
            "Serve the demo news site bundled with newsbot on 127.0.0.1 (a free port) "
            "and crawl it with the 'site' spider, exactly as a real site would be. "
            "Records go to output/demo/<run id>.jsonl."
        ),
    )
    parser.add_argument(
        "--serve-only",
        action="store_true",
        help="only serve the site (until Ctrl-C), printing its address",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEMO_PORT,
        help=f"port of the demo site (default {DEMO_PORT}; a free one if it is taken). "
        "A fixed port keeps the site's URLs the same between runs, so a second run "
        "skips the articles the first one wrote, as a scheduled crawl does",
    )
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("-L", "--loglevel", default=None)
    return parser


def run(args: argparse.Namespace) -> int:
    from newsbot.cli import crawl
    from newsbot.demo.server import DemoServer

    try:
        server = DemoServer(port=args.port).start()
    except OSError:
        server = DemoServer(port=0).start()
    with server:
        if args.serve_only:
            print(f"demo site at {server.url}/ (Ctrl-C to stop)")
            try:
                import time

                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
        print(f"demo site at {server.url}/; crawling it...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="newsbot-demo-") as tmp:
            sources = Path(tmp) / "sources.toml"
            sources.write_text(
                DEMO_SOURCES.read_text(encoding="utf-8").replace("{{BASE}}", server.url),
                encoding="utf-8",
            )
            crawl_args = argparse.Namespace(
                sources=["demo"],
                sources_file=str(sources),
                spider=None,
                spider_args=[],
                settings=list(args.settings),
                append_to=None,
                overwrite=None,
                redis=None,
                loglevel=args.loglevel,
            )
            return crawl.run(crawl_args)
