"""``newsbot extract``: run extraction and cleaning on saved pages."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from newsbot.extraction import ExtractedArticle, ExtractionOptions
from newsbot.pool.processes import default_workers
from newsbot.records import make_record, utc_now

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
            "article (the crawl's validation: a headline and NEWSBOT_MIN_WORDS words, no "
            "error or paywall stub) gives a record with text null and an 'error' field "
            "saying why."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders; - reads one page from stdin (none: the files of --url-list)",
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
    urls = parser.add_mutually_exclusive_group()
    urls.add_argument("--url", help="the page's URL (only when one file is given)")
    urls.add_argument(
        "--url-list",
        metavar="FILE",
        help=(
            "the URLs of saved pages: lines of PATH<TAB>URL (relative paths from FILE's "
            "folder; blank lines and # comments ignored). Without PATH arguments, "
            "extracts the files it lists"
        ),
    )
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


def read_url_list(path: Path) -> dict[Path, str]:
    """The ``PATH<TAB>URL`` lines of *path*, as {resolved path: URL}. Relative paths
    are taken from the list's folder, so a list kept beside its pages works from
    anywhere. Raises ValueError naming the file and line of a malformed one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"--url-list {path}: cannot read it ({exc})") from None
    urls: dict[Path, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, tab, url = line.rpartition("\t")
        name, url = name.strip(), url.strip()
        where = f"{path}:{number}"
        if not tab or not name:
            raise ValueError(f"{where}: expected PATH<TAB>URL, got {line.strip()!r}")
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{where}: {url!r} is not an http(s) URL")
        urls[(path.parent / name).resolve()] = url
    if not urls:
        raise ValueError(f"--url-list {path}: no PATH<TAB>URL line in it")
    return urls


@dataclass(frozen=True, slots=True)
class _Job:
    """One file to extract, and what the command line says about it."""

    name: str
    url: str | None
    drop: tuple[str, ...]
    articles_only: bool
    min_words: int


def _extract_file(job: _Job) -> dict[str, Any]:
    """Extract one file into a record dict (runs in a worker process)."""
    # Imported here, in the process that extracts: every other newsbot command starts
    # faster without the extractor (and itemadapter, which imports Scrapy).
    from itemadapter import ItemAdapter

    from newsbot.extraction.api import extract_article
    from newsbot.records import not_an_article

    name, url = job.name, job.url
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
            article = extract_article(body, url, ExtractionOptions(extra_cleanup=job.drop))
    page_url = url
    if not page_url:
        declared = article.canonical_url or ""
        page_url = (
            declared if declared.startswith(("http://", "https://")) else path.resolve().as_uri()
        )
    record = make_record(article, url=page_url, source=name, fetched_at=utc_now())
    if record.text:
        # The crawl's decisions (newsbot.pipelines): a page it would not write gets no
        # text here either, and the error says why, in the crawl's words.
        problem = (
            ("not_article", "not an article page (--articles-only)")
            if job.articles_only and not article.is_article
            else not_an_article(record, job.min_words)
        )
        if problem is not None:
            record.text, record.word_count = None, 0
            record.error = f"{problem[0]}: {problem[1]}"
    return ItemAdapter(record).asdict()


class _TextOut:
    """The WARC reader writes JSON Lines; with ``--format text`` this turns each line
    it writes into the article's text."""

    def __init__(self, out: IO[str]):
        self.out = out

    def write(self, data: str) -> int:
        for line in data.splitlines():
            if line.strip():
                _write(self.out, json.loads(line), "text")
        return len(data)

    def flush(self) -> None:
        self.out.flush()


def _write(out: IO[str], record: dict[str, Any], fmt: str = "jsonl") -> None:
    if fmt == "text":
        # The text only, as trafilatura's command line prints it; a blank line between
        # articles, nothing for a page without one.
        if record.get("text"):
            out.write(record["text"].rstrip("\n") + "\n\n")
        return
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _reason(error: str) -> str:
    """The kind of an error record, for the summary: ``too_short`` of
    ``too_short: 12 words < 40``, ``cannot read the file`` of ``cannot read the file: ...``."""
    return error.split(":", 1)[0]


def run(args: argparse.Namespace) -> int:
    from newsbot import defaults

    skipped: list[Path] = []
    problems: list[str] = []
    url_of: dict[Path, str] = {}
    if args.url_list:
        try:
            url_of = read_url_list(Path(args.url_list))
        except ValueError as exc:
            print(f"newsbot extract: {exc}", file=sys.stderr)
            return 2
    elif not args.paths:
        print(
            "newsbot extract: give the pages to read (PATH...) or --url-list FILE", file=sys.stderr
        )
        return 2
    paths = args.paths or [str(path) for path in url_of]
    inputs = list(find_inputs(paths, skipped, problems))
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
    errors: Counter[str] = Counter()
    # Site templates (issue 18): records of several pages are spooled, then written
    # without the lines most articles of their site share (newsbot/cli/extract_templates).
    learn = not args.no_templates and (len(pages) > 1 or bool(warcs))
    if learn:
        from newsbot.cli.extract_templates import spool, write_without_templates
    sink, sink_fmt = (spool(), "jsonl") if learn else (out, fmt)
    try:
        jobs = [
            _Job(
                name=str(p),
                url=args.url or (url_of.get(p.resolve()) if url_of and str(p) != "-" else None),
                drop=tuple(args.drop),
                articles_only=args.articles_only,
                min_words=defaults.NEWSBOT_MIN_WORDS,
            )
            for p in pages
        ]
        workers = args.workers or default_workers()
        with ExitStack() as stack:
            results: Iterator[dict[str, Any]]
            if workers <= 1 or len(jobs) < 4:
                results = map(_extract_file, jobs)
            else:
                pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers))
                results = pool.map(_extract_file, jobs, chunksize=4)
            for record in results:
                if record["error"] is not None:
                    errors[_reason(record["error"])] += 1
                _write(sink, record, sink_fmt)
        status = 0
        if warcs:
            from newsbot.cli.extract_warc import run_warc  # WARC support (issue 9)

            warc_out = cast(IO[str], _TextOut(sink)) if sink_fmt == "text" else sink
            status = run_warc(args, warcs, warc_out)
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
        without = sum(errors.values())
        why = ", ".join(f"{kind} {count}" for kind, count in sorted(errors.items()))
        print(
            f"newsbot extract: {len(pages)} file(s), {len(pages) - without} with text, "
            f"{without} without{f' ({why})' if why else ''}{extra}",
            file=sys.stderr,
        )
    return 1 if problems else 0
