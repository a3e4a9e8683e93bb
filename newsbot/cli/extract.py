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
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or folders; - reads one page from stdin"
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument(
        "-o", "--output", metavar="FILE", help="append the records to FILE (default: stdout)"
    )
    out.add_argument("-O", dest="overwrite", metavar="FILE", help="write the records to FILE")
    parser.add_argument(
        "--format",
        choices=("jsonl", "text"),
        default="jsonl",
        help="jsonl: one JSON record a line (default); text: only the article text",
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
    parser.add_argument(
        "--no-templates",
        action="store_true",
        help=(
            "do not learn and remove the lines most pages of a site share (by default "
            "the records of several pages are written at the end, once learned from)"
        ),
    )
    from newsbot.cli.extract_warc import add_warc_arguments

    add_warc_arguments(parser)
    return parser


def find_inputs(
    paths: list[str], skipped: list[Path] | None = None, problems: list[str] | None = None
) -> Iterator[Path]:
    """Input files in a stable order; folders searched recursively. Files of a folder
    skipped for their extension are appended to *skipped*; a path that does not exist
    and a folder without a page, to *problems* (as messages)."""
    problems = [] if problems is None else problems
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                if not child.is_file():
                    continue
                if child.name.lower().endswith(HTML_SUFFIXES + WARC_SUFFIXES):
                    found = True
                    yield child
                elif skipped is not None:
                    skipped.append(child)
            if not found:
                problems.append(
                    f"{raw}: no page in this folder (looked for "
                    f"{', '.join(HTML_SUFFIXES + WARC_SUFFIXES)})"
                )
        elif raw == "-" or path.exists():
            yield path
        else:
            problems.append(f"{raw}: no such file or folder")


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
        body = sys.stdin.buffer.read() if name == "-" else read_page(path)
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


def _write(out: IO[str], record: dict[str, Any], fmt: str = "jsonl") -> None:
    if fmt == "text":
        # The text only, as trafilatura's command line prints it; a blank line between
        # articles, nothing for a page without one.
        if record.get("text"):
            out.write(record["text"].rstrip("\n") + "\n\n")
        return
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run(args: argparse.Namespace) -> int:
    skipped: list[Path] = []
    problems: list[str] = []
    inputs = list(find_inputs(args.paths, skipped, problems))
    # As cat does: the paths that exist are read; each one that does not is named, and
    # the exit status says something was wrong (2: nothing at all to read).
    for problem in problems:
        print(f"newsbot extract: {problem}", file=sys.stderr)
    if not inputs:
        return 2
    if args.url and len(inputs) != 1:
        print("newsbot extract: --url needs exactly one input file", file=sys.stderr)
        return 2
    warcs = [p for p in inputs if p.name.lower().endswith(WARC_SUFFIXES)]
    pages = [p for p in inputs if p not in warcs]
    # As Scrapy's -o and -O: -o appends, -O overwrites.
    target, mode = (args.overwrite, "w") if args.overwrite else (args.output, "a")
    out: IO[str] = open(target, mode, encoding="utf-8") if target else sys.stdout  # noqa: SIM115
    fmt = args.format
    errors = 0
    # Site templates (issue 18): records of several pages are spooled, then written
    # without the lines most articles of their site share (newsbot/cli/extract_templates).
    learn = not args.no_templates and (len(pages) > 1 or bool(warcs))
    if learn:
        from newsbot.cli.extract_templates import spool, write_without_templates
    sink, sink_fmt = (spool(), "jsonl") if learn else (out, fmt)
    try:
        jobs = [(str(p), args.url, tuple(args.drop)) for p in pages]
        workers = args.workers or default_workers()
        if workers <= 1 or len(jobs) < 4:
            results: Iterator[dict[str, Any]] = map(_extract_file, jobs)
            for record in results:
                errors += record["error"] is not None
                _write(sink, record, sink_fmt)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for record in pool.map(_extract_file, jobs, chunksize=4):
                    errors += record["error"] is not None
                    _write(sink, record, sink_fmt)
        status = 0
        if warcs:
            from newsbot.cli.extract_warc import run_warc  # WARC support (issue 9)

            status = run_warc(args, warcs, sink)
        if learn:
            write_without_templates(sink, lambda record: _write(out, record, fmt))
        if status:
            return status
    finally:
        if learn:
            sink.close()
        if out is not sys.stdout:
            out.close()
    if pages or skipped:
        kinds = sorted({p.suffix or p.name for p in skipped})
        extra = (
            f"; {len(skipped)} skipped for their extension ({', '.join(kinds)})" if skipped else ""
        )
        print(
            f"newsbot extract: {len(pages)} file(s), {len(pages) - errors} with text, "
            f"{errors} without{extra}",
            file=sys.stderr,
        )
    return 1 if problems else 0
