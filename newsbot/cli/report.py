"""``newsbot report [PATH...] -o FILE``: one HTML page of what the crawls did."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DEFAULT_INPUT = Path("output")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write an HTML report with charts of the crawl runs",
        description=(
            "Read the run manifests (*.manifest.json) under the given folders and write "
            "one self-contained HTML page: an overview of every source (last run, status, "
            "records, health, trend), then per source the records, pages, drops, errors, "
            "what cleaning removed, text length and missing dates and authors per run, "
            "and the runs' table with their latest error lines. Scripts and styles are "
            "inlined: the page reads offline. Needs the extra newsbot[report] (Plotly)."
        ),
    )
    parser.add_argument(
        "inputs",
        type=Path,
        nargs="*",
        metavar="PATH",
        help="run manifests or folders searched for them (default: output/)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("report.html"),
        metavar="FILE",
        help="the HTML file to write (default: report.html)",
    )
    parser.add_argument(
        "--title", default="newsbot crawl report", help="the page's title and heading"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from newsbot.report import ReportError, missing_dependency, write_report

    problem = missing_dependency()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        report = write_report(args.inputs or [DEFAULT_INPUT], args.output, title=args.title)
    except ReportError as exc:
        print(f"newsbot report: {exc}", file=sys.stderr)
        return 2
    for warning in report.warnings:
        print(f"newsbot report: {warning}", file=sys.stderr)
    print(
        f"report: {report.path} ({len(report.sources)} source(s), {report.runs} run(s), "
        f"{report.path.stat().st_size / 1e6:.1f} MB)"
    )
    return 0
