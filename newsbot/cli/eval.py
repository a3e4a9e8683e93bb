"""``newsbot eval PATH``: extraction quality on folders of pages whose answer is known."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "eval",
        help="measure extraction quality against pages whose right answer is known",
        description=(
            "Score newsbot's extraction, and plain trafilatura's in the same run, on an "
            "evaluation set, or on each set in the subfolders of PATH. Three layouts are "
            "recognised: article-extraction-benchmark (html/<id>.html.gz + "
            "ground-truth.json: precision, recall and F1 over 4-token shingles), "
            "trafilatura-corpus (html/<file>.gz + evaldata.json: snippets that must and "
            "must not be in the text) and readability-test-pages (a folder per page with "
            "source.html.gz and expected.html.gz: shingles against the expected text). "
            "Each report gives milliseconds per page, how often newsbot's rescue ran, "
            "and the pages where newsbot collapses beside trafilatura. Where a set gives "
            "expected metadata (readability-test-pages' expected-metadata.json), it also "
            "gives the title exact and as headline (without the expected title's "
            "site-name suffix), the authors' set-F1 and the published day, for newsbot "
            "beside plain trafilatura.extract_metadata; --worst then lists the pages "
            "where newsbot's metadata differs."
        ),
    )
    parser.add_argument("path", type=Path, help="an evaluation set, or a folder of them")
    parser.add_argument(
        "--worst",
        type=int,
        default=0,
        metavar="N",
        help="list the N pages where newsbot scores worst, with the text it kept "
        "wrongly and the text it missed (snippet sets: the snippets it got wrong)",
    )
    parser.add_argument(
        "--limit",
        type=_positive,
        default=None,
        metavar="N",
        help="only the first N pages of each set (a quick run)",
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="NAME",
        help="only the set with this folder or layout name (repeatable)",
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the plain trafilatura run and newsbot-raw (faster)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from newsbot.evaluate import NoEvalSetError, default_systems, evaluate_set, find_sets

    try:
        eval_sets = find_sets(args.path, args.sets)
    except NoEvalSetError as exc:
        print(f"newsbot eval: {exc}", file=sys.stderr)
        return 2
    for number, eval_set in enumerate(eval_sets):
        if number:
            print()
        systems = default_systems(eval_set.layout, baseline=not args.no_baseline)
        # Each set's report as soon as it is done: a run over every set takes minutes.
        print(evaluate_set(eval_set, systems, args.worst, limit=args.limit), flush=True)
    return 0
