"""``newsbot eval PATH``: extraction quality on a folder of hand-marked pages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "eval",
        help="measure extraction quality against hand-marked article bodies",
        description=(
            "Score newsbot's extraction, and plain trafilatura's in the same run, on a "
            "folder holding html/<id>.html.gz and ground-truth.json (the layout of the "
            "article-extraction-benchmark): precision, recall and F1 over 4-token "
            "shingles, and milliseconds per page."
        ),
    )
    parser.add_argument("path", type=Path, help="the evaluation folder")
    parser.add_argument(
        "--worst",
        type=int,
        default=0,
        metavar="N",
        help="list the N pages where newsbot scores worst, with the text it kept "
        "wrongly and the text it missed",
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the plain trafilatura run (faster)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from newsbot.evaluate import evaluate

    folder: Path = args.path
    if not (folder / "ground-truth.json").is_file() or not (folder / "html").is_dir():
        print(f"newsbot eval: {folder} needs ground-truth.json and html/", file=sys.stderr)
        return 2
    print(evaluate(folder, args.worst, baseline=not args.no_baseline))
    return 0
