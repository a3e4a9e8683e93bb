"""``newsbot export OUT_DIR [RUNS...]``: one clean, deduplicated dataset from crawl runs."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_INPUT = Path("output")

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def byte_size(value: str) -> int:
    """A size such as ``500000``, ``200MB`` or ``1GiB``."""
    match = _SIZE.match(value)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 500MB, 1GiB, 100000)")
    number, unit = float(match.group(1)), (match.group(2) or "").lower()
    prefix = unit[:1] if unit[:1] in "kmgt" else ""
    scale = _UNITS[prefix]
    if prefix and "i" in unit:
        scale = 1024 ** ("kmgt".index(prefix) + 1)
    size = int(number * scale)
    if size < 1:
        raise argparse.ArgumentTypeError("a size must be at least 1 byte")
    return size


def iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError("the threshold must be in (0, 1]")
    return number


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="build a filtered, deduplicated dataset from crawl runs",
        description=(
            "Read crawl runs (JSON Lines, optionally gzipped) and write one dataset: the "
            "newest version of each canonical URL, filtered, without identical texts or "
            "near-duplicate copies of a story, in gzip JSON Lines (or Parquet) shards, "
            "with the record's JSON Schema, manifest.json and a README.md dataset card. "
            "Records are streamed, never loaded together: the deduplication indexes "
            "live in a temporary folder on disk, and memory grows by about 20 bytes "
            "per record."
        ),
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="the dataset folder")
    parser.add_argument(
        "inputs",
        type=Path,
        nargs="*",
        metavar="RUN",
        help="run files (.jsonl, .jsonl.gz) or folders searched for them (default: output/)",
    )
    filters = parser.add_argument_group("filters")
    filters.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="keep only this source (repeatable)",
    )
    filters.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="CODE",
        help="keep only this ISO 639-1 language (repeatable; 'en' matches 'en-GB')",
    )
    filters.add_argument(
        "--since",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="keep articles published on or after this date (drops undated ones)",
    )
    filters.add_argument(
        "--until",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="keep articles published on or before this date (drops undated ones)",
    )
    filters.add_argument(
        "--min-words", type=positive_int, default=0, metavar="N", help="keep texts of N+ words"
    )
    dedup = parser.add_argument_group("near-duplicates")
    dedup.add_argument(
        "--near-threshold",
        type=threshold,
        default=0.8,
        metavar="J",
        help="Jaccard similarity of word shingles above which two texts are one story "
        "(default: 0.8)",
    )
    dedup.add_argument(
        "--no-near", action="store_true", help="remove exact duplicates only, not near ones"
    )
    dedup.add_argument(
        "--num-perm",
        type=positive_int,
        default=64,
        metavar="N",
        help="MinHash permutations (default: 64; 128 is finer and needs about 1.8x the "
        "index memory)",
    )
    dedup.add_argument(
        "--shingle-words",
        type=positive_int,
        default=5,
        metavar="N",
        help="words per shingle (default: 5)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=("jsonl", "parquet"),
        default="jsonl",
        help="gzip JSON Lines (default) or Parquet (needs pyarrow)",
    )
    output.add_argument(
        "--shard-records",
        type=positive_int,
        default=100_000,
        metavar="N",
        help="at most N records per shard (default: 100000; 0: no limit)",
    )
    output.add_argument(
        "--shard-bytes",
        type=byte_size,
        metavar="SIZE",
        help="at most SIZE of uncompressed JSON per shard, e.g. 500MB",
    )
    output.add_argument(
        "--overwrite", action="store_true", help="replace a dataset already in OUT_DIR"
    )
    output.add_argument(
        "--no-progress", action="store_true", help="no progress bar, even on a terminal"
    )
    return parser


def _command(args: argparse.Namespace) -> list[str]:
    """The command line as typed, when this process was started as ``newsbot export``;
    otherwise (called in-process) the equivalent command rebuilt from the options."""
    if sys.argv[1:2] == ["export"]:
        return ["newsbot", *sys.argv[1:]]
    command = ["newsbot", "export", str(args.out_dir), *(str(p) for p in args.inputs)]
    for name in args.source:
        command += ["--source", name]
    for code in args.language:
        command += ["--language", code]
    for flag, value in (
        ("--since", args.since),
        ("--until", args.until),
        ("--shard-bytes", args.shard_bytes),
    ):
        if value is not None:
            command += [flag, str(value)]
    if args.min_words:
        command += ["--min-words", str(args.min_words)]
    if args.no_near:
        command.append("--no-near")
    command += [
        "--near-threshold",
        str(args.near_threshold),
        "--num-perm",
        str(args.num_perm),
        "--shingle-words",
        str(args.shingle_words),
        "--format",
        args.format,
        "--shard-records",
        str(args.shard_records),
    ]
    if args.overwrite:
        command.append("--overwrite")
    return command


def run(args: argparse.Namespace) -> int:
    from newsbot.export import ExportError, ExportOptions, export_dataset

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="newsbot export: %(message)s")
    options = ExportOptions(
        out_dir=args.out_dir,
        inputs=list(args.inputs) or [DEFAULT_INPUT],
        sources=frozenset(args.source),
        languages=frozenset(code.lower().split("-")[0] for code in args.language),
        since=args.since,
        until=args.until,
        min_words=args.min_words,
        near=not args.no_near,
        near_threshold=args.near_threshold,
        num_perm=args.num_perm,
        shingle_words=args.shingle_words,
        shard_records=args.shard_records or None,
        shard_bytes=args.shard_bytes,
        format=args.format,
        overwrite=args.overwrite,
        progress=False if args.no_progress else None,
        command=_command(args),
    )
    try:
        result = export_dataset(options)
    except ExportError as exc:
        print(f"newsbot export: error: {exc}", file=sys.stderr)
        return 2
    removed = result.manifest["removed"]
    filtered = sum(removed["filters"].values())
    dedup = removed["dedup"]
    print(
        f"{result.records} records in {len(result.shards)} shard(s) in {result.out_dir}; "
        f"removed: {removed['invalid_lines']} unusable lines, {filtered} by filters, "
        f"{dedup['older_version']} older versions, {dedup['exact_text']} identical texts, "
        f"{dedup['near_duplicate']} near-duplicates"
    )
    if not result.records:
        # A valid request that matched nothing: said on stderr, so it is not missed.
        why = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in removed["filters"].items() if v)
        print(
            "newsbot export: warning: the dataset is empty"
            + (f" (removed by the filters: {why})" if why else ""),
            file=sys.stderr,
        )
    return 0
