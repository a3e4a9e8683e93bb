"""``newsbot extract``: run extraction and cleaning on saved pages."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any

from newsbot.extraction import ExtractedArticle, ExtractionOptions
from newsbot.records import make_record, utc_now
from newsbot.workers import default_workers

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "extract",
        help="extract clean article records from saved pages",
        description=(
            "Run newsbot's extraction and cleaning on saved pages: HTML files, .html.gz, "
            "WARC files (.warc, .warc.gz: every HTML response in them), "
            "or folders (searched recursively). Writes one JSON record per input file, "
            "with 'source' set to the file's path. A file that cannot be read or holds no "
            "article gives a record with text null and an 'error' field."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write JSON Lines here (default: stdout)"
    )
    parser.add_argument("--url", help="the page's URL (only when one file is given)")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="worker processes (default: one per core; 1: extract in this process)",
    )
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="SELECTOR",
        help="CSS or XPath selector of elements to drop before extraction (repeatable)",
    )
    from newsbot.cli.extract_warc import add_warc_arguments

    add_warc_arguments(parser)
    return parser


def find_inputs(paths: list[str]) -> Iterator[Path]:
    """Input files in a stable order; folders searched recursively."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith(HTML_SUFFIXES + WARC_SUFFIXES):
                    yield child
        else:
            yield path


def read_page(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _extract_file(job: tuple[str, str | None, tuple[str, ...]]) -> dict[str, Any]:
    """Extract one file into a record dict (runs in a worker process)."""
    # Imported here, in the process that extracts: every other newsbot command starts
    # faster without the extractor (and itemadapter, which imports Scrapy).
    from itemadapter import ItemAdapter

    from newsbot.extraction.api import extract_article

    name, url, drop = job
    path = Path(name)
    try:
        body = read_page(path)
    except FileNotFoundError:
        article = ExtractedArticle(error="file not found")
    except IsADirectoryError:
        article = ExtractedArticle(error="is a folder")
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        article = ExtractedArticle(error=f"cannot read the file: {exc}")
    else:
        if not body.strip():
            article = ExtractedArticle(error="empty file")
        else:
            article = extract_article(body, url, ExtractionOptions(extra_cleanup=drop))
    page_url = url
    if not page_url:
        declared = article.canonical_url or ""
        page_url = (
            declared if declared.startswith(("http://", "https://")) else path.resolve().as_uri()
        )
    record = make_record(article, url=page_url, source=name, fetched_at=utc_now())
    return ItemAdapter(record).asdict()


def _write(out: IO[str], record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run(args: argparse.Namespace) -> int:
    inputs = list(find_inputs(args.paths))
    if args.url and len(inputs) != 1:
        print("newsbot extract: --url needs exactly one input file", file=sys.stderr)
        return 2
    warcs = [p for p in inputs if p.name.lower().endswith(WARC_SUFFIXES)]
    pages = [p for p in inputs if p not in warcs]
    out: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    errors = 0
    try:
        jobs = [(str(p), args.url, tuple(args.drop)) for p in pages]
        workers = args.workers or default_workers()
        if workers <= 1 or len(jobs) < 4:
            results: Iterator[dict[str, Any]] = map(_extract_file, jobs)
            for record in results:
                errors += record["error"] is not None
                _write(out, record)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for record in pool.map(_extract_file, jobs, chunksize=4):
                    errors += record["error"] is not None
                    _write(out, record)
        if warcs:
            from newsbot.cli.extract_warc import run_warc  # WARC support (issue 9)

            status = run_warc(args, warcs, out)
            if status:
                return status
    finally:
        if out is not sys.stdout:
            out.close()
    if pages:
        print(
            f"newsbot extract: {len(pages)} file(s), {len(pages) - errors} with text, "
            f"{errors} without",
            file=sys.stderr,
        )
    return 0
