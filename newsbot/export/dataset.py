"""Build a dataset from crawl runs in three streaming passes over the inputs.

Everything that grows with the input lives on disk, in one SQLite file and one flat
file in the export's temporary directory; SQLite's page cache is bounded
(``_SQL_CACHE_KIB``, 2 MiB), and so is the memory of its sorts, which spill to
SQLite's own temporary files (under ``$TMPDIR``, like the export's directory).

1. **Versions.** Parse every line; send (line, 64-bit digest of the canonical URL,
   version, fetch time) of each usable line to SQLite, which picks per canonical URL
   the newest version (highest ``version``, then latest ``fetched_at``, then the
   later line). In memory: a one-byte flag per line.
2. **Filters and duplicates.** Parse only the winners; apply the filters. Each
   survivor's canonical URL and dates go to SQLite, its text's 8-byte digest to a
   SQLite table of exact-text groups, which hands back the group's number; a new
   text, unless ``--no-near``, gets its MinHash signature and LSH band keys written
   to disk (see :mod:`newsbot.export.near_duplicates`). In memory: the text number of each
   survivor (4 bytes) and a one-byte flag per line. Then LSH pairs are found and
   confirmed, and near-duplicate texts joined in disjoint sets (4 bytes per text).
3. **Resolve.** SQLite ranks the survivors (published first, then fetched first, then
   the first read); each set of near-duplicates keeps its best-ranked record. This is
   the peak of the per-record memory: about 40 bytes per survivor, for a moment, in
   numpy arrays.
4. **Write.** Parse only the kept records, add the ``duplicates`` URLs (read back
   from SQLite), and stream them into bounded shards (4 bytes and a flag per
   survivor in memory).

No pass holds a record beyond the line being handled. Measured with
``bench/export_bench.py``: the export process's peak RSS is 134 MiB at 20,000 records
and 137 MiB at 200,000, about 20 bytes per record on a fixed base (the interpreter and
imports, datasketch's scipy among them).
"""

from __future__ import annotations

import json
import logging
import math
import re
import shlex
import sqlite3
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from newsbot import __version__
from newsbot.dates import parse_iso_utc
from newsbot.export.card import SCHEMA_FILE, render_card
from newsbot.export.dataset_schema import FieldSpec, dataset_fields, dataset_schema
from newsbot.export.near_duplicates import NearDuplicateIndex, UnionFind, digest64, text_digest64
from newsbot.export.run_files import ExportError, Scanner, find_run_files
from newsbot.export.writers import (
    SHARD_PREFIX,
    JsonlShardWriter,
    ParquetShardWriter,
    ShardWriter,
    parquet_available,
)
from newsbot.extraction.words import count_words
from newsbot.items import record_id

logger = logging.getLogger(__name__)

Format = Literal["jsonl", "parquet"]

# Per-line warnings beyond this many are only counted (the manifest lists more).
_WARN_LIMIT = 20
_MANIFEST_ERROR_LIMIT = 100
_SQL_BATCH = 10_000
_INSERT_URL = "INSERT INTO urls (ordinal, url, published, fetched) VALUES (?, ?, ?, ?)"
_INT64_MAX = 2**63 - 1
# SQLite's page cache, and so the memory of its sorts, in KiB.
_SQL_CACHE_KIB = 2048

# An ISO 639-1 code, with a region or script after it (``en``, ``en-GB``, ``zh_Hant``).
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2}(?:[-_][A-Za-z0-9]{2,8})*")

FILTER_REASONS = (
    "source",
    "language",
    "no_published_date",
    "published_out_of_range",
    "min_words",
    "empty_text",
)


@dataclass(kw_only=True, slots=True)
class ExportOptions:
    """What to export and how; the CLI's options, one for one."""

    out_dir: Path
    inputs: list[Path]
    sources: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    min_words: int = 0
    near: bool = True
    near_threshold: float = 0.8
    num_perm: int = 64
    shingle_words: int = 5
    shard_records: int | None = 100_000
    shard_bytes: int | None = None
    format: Format = "jsonl"
    overwrite: bool = False
    progress: bool | None = None
    """Show a progress bar; ``None``: when standard error is a terminal."""
    command: list[str] | None = None
    """The command line that asked for the export, for the manifest."""

    def check(self) -> None:
        if not 0.0 < self.near_threshold <= 1.0:
            raise ExportError("--near-threshold must be in (0, 1]")
        if self.num_perm < 16:
            raise ExportError("--num-perm must be at least 16")
        if self.shingle_words < 1:
            raise ExportError("--shingle-words must be at least 1")
        if self.min_words < 0:
            raise ExportError("--min-words must not be negative")
        if self.shard_records is not None and self.shard_records < 1:
            raise ExportError("--shard-records must be at least 1")
        if self.shard_bytes is not None and self.shard_bytes < 1:
            raise ExportError("--shard-bytes must be at least 1")
        for code in sorted(self.languages):
            if not _LANGUAGE_CODE.fullmatch(code):
                raise ExportError(
                    f"--language {code!r} is not an ISO 639-1 language code "
                    "(two letters, e.g. en, de, fr; a region may follow: en-GB)"
                )
        if self.since and self.until and self.since > self.until:
            raise ExportError("--since is after --until")
        if self.format == "parquet" and not parquet_available():
            raise ExportError(
                "--format parquet needs pyarrow: pip install 'newsbot[parquet]' (or pyarrow)"
            )


@dataclass(slots=True)
class ExportResult:
    out_dir: Path
    manifest: dict[str, Any]
    records: int
    shards: list[Path] = field(default_factory=list)


# --- values -----------------------------------------------------------------------------


def published_date(value: Any) -> date | None:
    """The calendar date of an ISO 8601 ``published`` value (its own local date,
    whatever the offset), or ``None`` when absent or unreadable."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def timestamp(value: Any) -> float:
    """Seconds since the epoch of an ISO 8601 value (naive and bare dates taken as
    UTC), or +inf when absent or unreadable, so unknown dates sort last."""
    if not isinstance(value, str) or not value:
        return math.inf
    moment = parse_iso_utc(value)
    if moment is None:
        day = published_date(value)
        if day is None:
            return math.inf
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return moment.timestamp()


def primary_language(code: Any) -> str:
    """The primary subtag of a language code, lower-cased: ``en`` for ``en-GB``."""
    return re.split(r"[-_]", code.strip().lower())[0] if isinstance(code, str) else ""


def _widen(span: list[str], day: date | None) -> None:
    """Stretch *span* (empty, or [first, last] ISO dates) to take in *day*."""
    if day is None:
        return
    text = day.isoformat()
    if not span:
        span += [text, text]
    else:
        span[0], span[1] = min(span[0], text), max(span[1], text)


def _span(span: list[str]) -> dict[str, str] | None:
    return {"first": span[0], "last": span[1]} if span else None


def _type_error(spec: FieldSpec, value: Any) -> str | None:
    if value is None:
        return None  # absent or null: the default is used (or, if required, caught below)
    kind = spec.kind
    ok: bool
    if kind in ("string", "nullable_string"):
        ok = isinstance(value, str)
    elif kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "string_list":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, dict) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value.values()
        )
    if ok:
        return None
    return f"field {spec.name!r} has the wrong type ({type(value).__name__})"


def check_record(obj: Any, specs: Sequence[FieldSpec]) -> str | None:
    """Why *obj* is not a usable article record, or ``None`` when it is."""
    if not isinstance(obj, dict):
        return f"not a JSON object ({type(obj).__name__})"
    for spec in specs:
        value = obj.get(spec.name)
        if spec.required and spec.name != "id" and not (isinstance(value, str) and value):
            return f"missing required field {spec.name!r}"
        problem = _type_error(spec, value)
        if problem:
            return problem
    return None


def normalise_record(obj: dict[str, Any], specs: Sequence[FieldSpec]) -> dict[str, Any]:
    """Every dataset field, in schema order, defaults filled in; unknown keys dropped
    so that every shard has the same columns; ``word_count`` counted from the text."""
    out: dict[str, Any] = {}
    for spec in specs:
        value = obj.get(spec.name)
        if value is None and spec.kind != "nullable_string":
            value = spec.default.copy() if isinstance(spec.default, list | dict) else spec.default
        out[spec.name] = value
    if not out.get("id"):
        out["id"] = record_id(out["canonical_url"])
    if isinstance(out.get("text"), str) and "word_count" in out:
        # Recounted, so that records written by older versions (a Chinese article was
        # then a few "words") agree with the rule the dataset's schema states.
        out["word_count"] = count_words(out["text"])
    return out


# --- progress --------------------------------------------------------------------------


class _Progress:
    """A rich progress bar on a terminal; silence otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None

    @contextmanager
    def running(self) -> Iterator[_Progress]:
        if not self.enabled:
            yield self
            return
        try:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
        except ImportError:
            # The bar is a comfort, not a reason to fail an export.
            yield self
            return

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[shown]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        with self._progress:
            yield self
        self._progress = None

    def task(self, description: str, total: float, *, in_bytes: bool = False) -> Any:
        if self._progress is None:
            return None
        task = self._progress.add_task(description, total=total, in_bytes=in_bytes, shown="")
        self.update(task, 0)
        return task

    def update(self, task: Any, completed: float) -> None:
        if self._progress is None or task is None:
            return
        total = self._progress.tasks[task].total or 0
        if self._progress.tasks[task].fields["in_bytes"]:
            shown = f"{completed / 1e6:,.0f}/{total / 1e6:,.0f} MB"
        else:
            shown = f"{completed:,.0f}/{total:,.0f} records"
        self._progress.update(task, completed=completed, shown=shown)


# --- the export ------------------------------------------------------------------------


def _prepare_out_dir(out_dir: Path, overwrite: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"output path is not a directory: {out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = [
        p
        for p in out_dir.iterdir()
        if p.name in ("manifest.json", "README.md", SCHEMA_FILE)
        or (p.name.startswith(SHARD_PREFIX) and p.name.endswith((".jsonl.gz", ".parquet")))
    ]
    if previous and not overwrite:
        raise ExportError(
            f"{out_dir} already holds a dataset ({previous[0].name}); "
            "choose another directory or pass --overwrite"
        )
    for path in previous:
        path.unlink()


def export_dataset(options: ExportOptions) -> ExportResult:
    """Run the export described by *options*; raises :class:`ExportError` on bad input
    paths or options (corrupt lines are reported, counted and skipped)."""
    options.check()
    files = find_run_files(options.inputs, exclude=options.out_dir)
    _prepare_out_dir(options.out_dir, options.overwrite)
    specs = dataset_fields()
    show = options.progress if options.progress is not None else sys.stderr.isatty()
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="newsbot-export-") as tmp,
        _Progress(show).running() as progress,
    ):
        return _Export(options, files, specs, Path(tmp), progress, started).run()


class _Export:
    def __init__(
        self,
        options: ExportOptions,
        files: list[Path],
        specs: list[FieldSpec],
        tmp: Path,
        progress: _Progress,
        started: float,
    ) -> None:
        self.options = options
        self.files = files
        self.specs = specs
        self.progress = progress
        self.started = started
        self.errors: list[dict[str, Any]] = []
        self.invalid = 0
        self.removed_filters: Counter[str] = Counter()
        self.languages = {primary_language(code) for code in options.languages}
        self.ranges: dict[str, dict[str, str] | None] = {"published": None, "fetched": None}
        # The keys seen in count-map fields (``removed``): Parquet gives each a column.
        self.map_fields = [spec.name for spec in specs if spec.kind == "count_map"]
        self.map_keys: dict[str, set[str]] = {name: set() for name in self.map_fields}
        self.tmp = tmp
        self.db = sqlite3.connect(str(tmp / "export.sqlite"))
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        # Bounded page cache: what does not fit stays on disk (and in the OS's cache,
        # which is not this process's memory). Sorts spill to temporary files.
        self.db.execute(f"PRAGMA cache_size=-{_SQL_CACHE_KIB}")
        self.db.execute("PRAGMA temp_store=FILE")
        self.db.execute(
            "CREATE TABLE urls (ordinal INTEGER PRIMARY KEY, url TEXT, "
            "published REAL, fetched REAL, keeper INTEGER)"
        )

    def _bad_line(self, path: Path, line_no: int, message: str) -> None:
        self.invalid += 1
        if self.invalid <= _WARN_LIMIT:
            logger.warning("%s:%d: skipped: %s", path, line_no, message)
        elif self.invalid == _WARN_LIMIT + 1:
            logger.warning("more unusable lines; the manifest counts them all")
        if len(self.errors) < _MANIFEST_ERROR_LIMIT:
            self.errors.append({"file": str(path), "line": line_no, "error": message})

    # pass 1 -------------------------------------------------------------------------

    def pass_versions(self) -> tuple[Scanner, np.ndarray]:
        scanner = Scanner(self.files)
        self.db.execute(
            "CREATE TABLE versions (seq INTEGER PRIMARY KEY, url_key INTEGER, "
            "version INTEGER, fetched REAL)"
        )
        pending: list[tuple[int, int, int, float]] = []
        lines = valid = 0
        task = self.progress.task("Reading runs", scanner.total_bytes(), in_bytes=True)
        for entry in scanner:
            lines += 1
            path = self.files[entry.file_index]
            obj: Any = None
            problem = entry.error
            if problem is None:
                try:
                    obj = json.loads(entry.data or b"")
                except ValueError as exc:
                    problem = f"invalid JSON ({exc})"
                else:
                    problem = check_record(obj, self.specs)
            if problem is not None:
                self._bad_line(path, entry.line_no, problem)
            else:
                valid += 1
                found = obj.get("version")
                moment = timestamp(obj.get("fetched_at"))
                pending.append(
                    (
                        entry.seq,
                        digest64(obj["canonical_url"]),
                        # SQLite's integers have 64 bits: a larger version is clamped.
                        max(min(found, _INT64_MAX), -_INT64_MAX) if isinstance(found, int) else 1,
                        -math.inf if moment == math.inf else moment,
                    )
                )
                if len(pending) >= _SQL_BATCH:
                    self.db.executemany("INSERT INTO versions VALUES (?, ?, ?, ?)", pending)
                    pending = []
            if entry.seq % 2000 == 0:
                self.progress.update(task, scanner.position())
        if pending:
            self.db.executemany("INSERT INTO versions VALUES (?, ?, ?, ?)", pending)
        self.progress.update(task, scanner.total_bytes())
        self.lines = lines
        # Per canonical URL, the newest version: highest version, then latest fetch,
        # then the later line. SQLite sorts on disk; only a flag per line is kept.
        winner = np.zeros(lines, dtype=bool)
        rows = self.db.execute(
            "SELECT seq FROM (SELECT seq, row_number() OVER (PARTITION BY url_key "
            "ORDER BY version DESC, fetched DESC, seq DESC) AS newest FROM versions) "
            "WHERE newest = 1"
        )
        while chunk := rows.fetchmany(_SQL_BATCH):
            winner[[seq for (seq,) in chunk]] = True
        self.db.execute("DROP TABLE versions")
        self.valid_records = valid
        self.older_versions = int(valid - np.count_nonzero(winner))
        return scanner, winner

    # pass 2 -------------------------------------------------------------------------

    def _filter(self, obj: dict[str, Any]) -> str | None:
        opts = self.options
        if opts.sources and obj.get("source") not in opts.sources:
            return "source"
        if self.languages and primary_language(obj.get("language")) not in self.languages:
            return "language"
        if opts.since or opts.until:
            day = published_date(obj.get("published"))
            if day is None:
                return "no_published_date"
            if (opts.since and day < opts.since) or (opts.until and day > opts.until):
                return "published_out_of_range"
        text = obj.get("text") or ""
        # Counted from the text rather than read from the record: records written
        # before words of Chinese, Japanese, Thai... counted one a character carry a
        # count of a few "words" for a whole article (and some carry none at all).
        if opts.min_words and count_words(text) < opts.min_words:
            return "min_words"
        if not text.strip():
            return "empty_text"
        return None

    def pass_duplicates(
        self, limits: list[int], winner: np.ndarray
    ) -> tuple[array, UnionFind, np.ndarray]:
        """Filter the newest versions; put the survivors' URLs and dates in SQLite and
        their texts in the exact and near-duplicate indexes. Return, per survivor, its
        text number (in memory: 4 bytes a survivor), the near-duplicate sets of
        texts, and a flag per line for the survivors."""
        opts = self.options
        scanner = Scanner(self.files, limits)
        texts = array("i")
        distinct = 0
        index = (
            NearDuplicateIndex(
                threshold=opts.near_threshold,
                num_perm=opts.num_perm,
                shingle_words=opts.shingle_words,
                db=self.db,
                directory=self.tmp,
            )
            if opts.near
            else None
        )
        self.bands = index.bands if index else None
        # Exact-text groups live on disk: text key -> text number. The upsert hands
        # back the number already there, or the one just inserted.
        self.db.execute("CREATE TABLE texts (key INTEGER PRIMARY KEY, text INTEGER NOT NULL)")
        upsert = (
            "INSERT INTO texts VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET text = text "
            "RETURNING text"
        )
        survivor_line = np.zeros(len(winner), dtype=bool)
        pending: list[tuple[int, str, float, float]] = []
        task = self.progress.task("Deduplicating", int(winner.sum()))
        done = 0
        for entry in scanner:
            if not winner[entry.seq]:
                continue
            done += 1
            if done % 2000 == 0:
                self.progress.update(task, done)
            obj = json.loads(entry.data or b"")
            reason = self._filter(obj)
            if reason:
                self.removed_filters[reason] += 1
                continue
            survivor_line[entry.seq] = True
            for name in self.map_fields:
                self.map_keys[name].update(obj.get(name) or ())
            pending.append(
                (
                    len(texts),
                    obj["canonical_url"],
                    timestamp(obj.get("published")),
                    timestamp(obj.get("fetched_at")),
                )
            )
            if len(pending) >= _SQL_BATCH:
                self.db.executemany(_INSERT_URL, pending)
                pending = []
            (found,) = self.db.execute(upsert, (text_digest64(obj["text"]), distinct)).fetchone()
            texts.append(found)
            if found == distinct:
                distinct += 1
                if index is not None:
                    index.add(obj["text"])
        if pending:
            self.db.executemany(_INSERT_URL, pending)
        self.db.execute("DROP TABLE texts")
        self.progress.update(task, done)
        near_sets = index.join() if index is not None else UnionFind(distinct)
        return texts, near_sets, survivor_line

    def resolve(self, texts: array, near_sets: UnionFind) -> np.ndarray:
        """Pick each set's keeper; return, per ordinal, the keeper it was folded into
        (-1 for kept records), and count both kinds of duplicate."""
        count = len(texts)
        # Rank the survivors by what decides the keeper: published first, then
        # fetched first, then the first read (SQLite sorts on disk).
        order = np.empty(count, dtype=np.int32)
        done = 0
        rows = self.db.execute("SELECT ordinal FROM urls ORDER BY published, fetched, ordinal")
        while chunk := rows.fetchmany(_SQL_BATCH):
            order[done : done + len(chunk)] = [ordinal for (ordinal,) in chunk]
            done += len(chunk)
        rank = np.empty(count, dtype=np.int32)
        rank[order] = np.arange(count, dtype=np.int32)
        text = np.frombuffer(texts, dtype=np.int32)
        # Each text's best-ranked copy stands for it among near-duplicates; each set's
        # best-ranked text is kept.
        text_rank = np.full(len(near_sets), count, dtype=np.int32)
        np.minimum.at(text_rank, text, rank)
        root = near_sets.roots()
        set_rank = np.full(len(near_sets), count, dtype=np.int32)
        np.minimum.at(set_rank, root, text_rank)
        keeper = order[set_rank[root[text]]]
        del set_rank, root, order
        folded = keeper != np.arange(count, dtype=np.int32)
        # A text's best copy folded into another is a near-duplicate; the text's other
        # copies are exact copies.
        self.near = int(np.count_nonzero(folded & (rank == text_rank[text])))
        self.exact_text = int(np.count_nonzero(folded)) - self.near
        del rank, text_rank
        folded_into = np.where(folded, keeper, np.int32(-1))
        del keeper
        copies = np.nonzero(folded)[0]
        for start in range(0, len(copies), _SQL_BATCH):
            part = copies[start : start + _SQL_BATCH]
            self.db.executemany(
                "UPDATE urls SET keeper = ? WHERE ordinal = ?",
                zip(folded_into[part].tolist(), part.tolist(), strict=True),
            )
        self.db.execute("CREATE INDEX urls_keeper ON urls (keeper)")
        self.db.commit()
        return folded_into

    # pass 3 -------------------------------------------------------------------------

    def pass_write(
        self, limits: list[int], survivor_line: np.ndarray, folded_into: np.ndarray
    ) -> tuple[ShardWriter, Counter[str], Counter[str], Counter[str]]:
        opts = self.options
        writer: ShardWriter
        if opts.format == "parquet":
            writer = ParquetShardWriter(
                opts.out_dir,
                max_records=opts.shard_records,
                max_bytes=opts.shard_bytes,
                map_keys=self.map_keys,
            )
        else:
            writer = JsonlShardWriter(
                opts.out_dir, max_records=opts.shard_records, max_bytes=opts.shard_bytes
            )
        has_copies = np.zeros(len(folded_into), dtype=bool)
        keepers = folded_into
        has_copies[keepers[keepers >= 0]] = True
        by_source: Counter[str] = Counter()
        by_language: Counter[str] = Counter()
        by_month: Counter[str] = Counter()
        published: list[str] = []  # the first and last dates, once known
        fetched: list[str] = []
        task = self.progress.task("Writing", int(np.count_nonzero(keepers < 0)))
        written = 0
        ordinal = -1
        for entry in Scanner(self.files, limits):
            if not survivor_line[entry.seq]:
                continue
            ordinal += 1
            if folded_into[ordinal] >= 0:
                continue
            record = normalise_record(json.loads(entry.data or b""), self.specs)
            if has_copies[ordinal]:
                rows = self.db.execute(
                    "SELECT DISTINCT url FROM urls WHERE keeper = ? ORDER BY url", (ordinal,)
                )
                # Copies listed by an earlier export of this record stay listed.
                found = {url for (url,) in rows} | set(record["duplicates"])
                found.discard(record["canonical_url"])
                record["duplicates"] = sorted(found)
            writer.write(record)
            written += 1
            if written % 2000 == 0:
                self.progress.update(task, written)
            by_source[record["source"]] += 1
            by_language[record["language"] or "unknown"] += 1
            day = published_date(record["published"])
            by_month[day.strftime("%Y-%m") if day else "unknown"] += 1
            _widen(published, day)
            _widen(fetched, published_date(record["fetched_at"]))
        writer.close()
        self.ranges = {"published": _span(published), "fetched": _span(fetched)}
        self.progress.update(task, written)
        self.written = written
        return writer, by_source, by_language, by_month

    # all ----------------------------------------------------------------------------

    def run(self) -> ExportResult:
        opts = self.options
        try:
            scanner, winner = self.pass_versions()
            limits = list(scanner.entry_counts)
            texts, near_sets, survivor_line = self.pass_duplicates(limits, winner)
            del winner
            folded_into = self.resolve(texts, near_sets)
            del texts, near_sets
            writer, by_source, by_language, by_month = self.pass_write(
                limits, survivor_line, folded_into
            )
        finally:
            self.db.close()
        schema = dataset_schema()
        (opts.out_dir / SCHEMA_FILE).write_text(
            json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        manifest = self._manifest(writer, by_source, by_language, by_month, schema)
        (opts.out_dir / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        card = render_card(manifest, schema, location=str(opts.out_dir))
        (opts.out_dir / "README.md").write_text(card, encoding="utf-8")
        return ExportResult(
            out_dir=opts.out_dir,
            manifest=manifest,
            records=self.written,
            shards=[opts.out_dir / shard.name for shard in writer.shards],
        )

    def _manifest(
        self,
        writer: ShardWriter,
        by_source: Counter[str],
        by_language: Counter[str],
        by_month: Counter[str],
        schema: dict[str, Any],
    ) -> dict[str, Any]:
        opts = self.options
        command = opts.command if opts.command is not None else ["newsbot", *sys.argv[1:]]
        return {
            "dataset_format": "newsbot-dataset/1",
            "newsbot_version": __version__,
            "command": shlex.join(command),
            "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "elapsed_seconds": round(time.monotonic() - self.started, 3),
            "format": opts.format,
            "schema": SCHEMA_FILE,
            "options": {
                "sources": sorted(opts.sources),
                "languages": sorted(opts.languages),
                "since": opts.since.isoformat() if opts.since else None,
                "until": opts.until.isoformat() if opts.until else None,
                "min_words": opts.min_words,
                "near_duplicates": opts.near,
                "near_threshold": opts.near_threshold,
                "num_perm": opts.num_perm,
                "lsh_bands_rows": list(self.bands) if self.bands else None,
                "shingle_words": opts.shingle_words,
                "shard_records": opts.shard_records,
                "shard_bytes": opts.shard_bytes,
            },
            "inputs": [str(path) for path in self.files],
            "counts": {
                "input_lines": self.lines,
                "invalid_lines": self.invalid,
                "valid_records": self.valid_records,
                "distinct_urls": self.valid_records - self.older_versions,
                "records": self.written,
            },
            "removed": {
                "invalid_lines": self.invalid,
                "filters": {reason: self.removed_filters[reason] for reason in FILTER_REASONS},
                "dedup": {
                    "older_version": self.older_versions,
                    "exact_text": self.exact_text,
                    "near_duplicate": self.near,
                },
            },
            "by_source": dict(sorted(by_source.items())),
            "by_language": dict(sorted(by_language.items())),
            "by_month": dict(sorted(by_month.items())),
            # The first and last day of the articles' publication and of their crawl.
            "date_ranges": self.ranges,
            "shards": [
                {"name": s.name, "records": s.records, "bytes": s.bytes, "sha256": s.sha256}
                for s in writer.shards
            ],
            "errors": self.errors,
            "fields": list(schema.get("properties", {})),
        }
