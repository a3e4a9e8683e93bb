"""``newsbot bench``: crawl speed and memory against plain trafilatura."""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "bench",
        help="measure crawl speed and memory against plain trafilatura",
        description=(
            "Serve N article pages on 127.0.0.1 (synthetic news pages, or a folder of "
            ".html/.html.gz files), crawl them end to end with the real newsbot crawl "
            "(extraction pool, pipelines, JSON Lines), and print pages/s, the CPU time "
            "and the peak memory of the crawl's whole process tree, and the crawl's rate "
            "over plain single-process trafilatura.extract on the same pages. Linux only."
        ),
    )
    parser.add_argument(
        "--pages", type=int, default=2000, metavar="N", help="pages to crawl (default 2000)"
    )
    parser.add_argument(
        "--pages-dir",
        type=Path,
        metavar="DIR",
        help="serve the .html/.html.gz files of DIR (cycled through when fewer than N) "
        "instead of generated pages",
    )
    parser.add_argument(
        "--baseline-pages",
        type=int,
        default=2000,
        metavar="N",
        help="time plain trafilatura over the first N pages (default 2000; 0: all)",
    )
    parser.add_argument(
        "--newsbot-pages",
        type=int,
        default=300,
        metavar="N",
        help="also time newsbot's extraction in one process over N pages (default 300; 0: skip)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        metavar="K",
        help="run the whole benchmark K times and end with the median ratio and its "
        "range (a shared machine's speed drifts from minute to minute)",
    )
    parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the crawl, e.g. -s NEWSBOT_WORKERS=3 (repeatable)",
    )
    parser.add_argument(
        "--workdir", type=Path, metavar="DIR", help="where to put pages and output (default: /tmp)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the pages, the records and the crawl log"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from newsbot.bench.run import run_bench

    if args.pages < 1:
        print("newsbot bench: --pages must be at least 1", file=sys.stderr)
        return 2
    if args.runs < 1:
        print("newsbot bench: --runs must be at least 1", file=sys.stderr)
        return 2
    if args.pages_dir is not None and not args.pages_dir.is_dir():
        print(f"newsbot bench: {args.pages_dir} is not a folder", file=sys.stderr)
        return 2
    if args.workdir is not None:
        try:
            args.workdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"newsbot bench: --workdir {args.workdir}: {exc.strerror}", file=sys.stderr)
            return 2
    settings = {}
    for pair in args.settings:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            print(f"newsbot bench: setting {pair!r}: expected NAME=VALUE", file=sys.stderr)
            return 2
        settings[name] = value
    ratios: list[float] = []
    status = 0
    for number in range(1, args.runs + 1):
        if args.runs > 1:
            print(f"run {number} of {args.runs}", flush=True)
        try:
            result = run_bench(
                args.pages,
                args.pages_dir,
                baseline_pages=args.baseline_pages,
                newsbot_pages=args.newsbot_pages,
                settings=settings,
                workdir=args.workdir,
                keep=args.keep,
            )
        except ValueError as exc:
            print(f"newsbot bench: {exc}", file=sys.stderr)
            return 2
        print(result.report(), flush=True)
        crawl = result.crawl
        if crawl.exit_code != 0 or crawl.records == 0:
            status = 1
        ratios.append(result.ratio)
    if args.runs > 1:
        ordered = sorted(ratios)
        print(
            f"ratio over {args.runs} runs: median {statistics.median(ordered):.2f}x "
            f"(from {ordered[0]:.2f}x to {ordered[-1]:.2f}x: "
            + ", ".join(f"{r:.2f}" for r in ratios)
            + ")"
        )
    return status
