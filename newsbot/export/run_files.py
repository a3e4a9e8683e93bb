"""Finding run files and reading their lines, one pass at a time.

The exporter reads its inputs several times (see :mod:`newsbot.export.dataset`), so
reading is a restartable scan that numbers every entry the same way on each pass: the
entry's *sequence number* is the key of all the compact per-record state.
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

RUN_SUFFIXES = (".jsonl", ".jsonl.gz")
DATASET_FORMAT = "newsbot-dataset/"
"""The start of ``dataset_format`` in the ``manifest.json`` of a dataset newsbot wrote."""

logger = logging.getLogger(__name__)


class ExportError(Exception):
    """A problem that stops an export, with a message for the user."""


def is_run_file(path: Path) -> bool:
    return path.name.endswith(RUN_SUFFIXES)


def is_dataset(folder: Path) -> bool:
    """Whether *folder* holds a dataset written by ``newsbot export`` (its manifest)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and str(manifest.get("dataset_format", "")).startswith(
        DATASET_FORMAT
    )


def _inside_a_dataset(candidate: Path, top: Path, datasets: dict[Path, bool]) -> Path | None:
    """The dataset folder below *top* that holds *candidate*, if any."""
    for folder in candidate.parents:
        if folder == top:
            return None
        if folder not in datasets:
            datasets[folder] = is_dataset(folder)
        if datasets[folder]:
            return folder
    return None


def find_run_files(paths: Sequence[Path], *, exclude: Path | None = None) -> list[Path]:
    """The ``.jsonl`` and ``.jsonl.gz`` files named by *paths* (files, or directories
    searched recursively), in a stable order, without repeats. Other files beside
    them (run manifests, logs) are ignored. Files under *exclude* (the dataset being
    written) are skipped, so exporting into ``output/dataset`` never reads its own
    shards back; so are the shards of other datasets met while searching a folder
    (``output/dataset`` when exporting ``output/``), with a warning: a dataset is read
    only when named itself.

    Raises :class:`ExportError` for a path that does not exist, and when nothing at
    all is found.
    """
    excluded = exclude.resolve() if exclude is not None else None
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise ExportError(f"input path not found: {path}")
        if path.is_dir():
            candidates = []
            datasets: dict[Path, bool] = {}
            skipped: set[Path] = set()
            for found_file in sorted(p for p in path.rglob("*") if p.is_file() and is_run_file(p)):
                dataset = _inside_a_dataset(found_file, path, datasets)
                if dataset is None:
                    candidates.append(found_file)
                elif dataset not in skipped and not (
                    excluded is not None and dataset.resolve().is_relative_to(excluded)
                ):
                    skipped.add(dataset)
                    logger.warning(
                        "not reading %s: it is a dataset written by newsbot export "
                        "(name it as an input to read it)",
                        dataset,
                    )
        elif is_run_file(path):
            candidates = [path]
        else:
            raise ExportError(f"not a .jsonl or .jsonl.gz run file: {path}")
        for candidate in candidates:
            resolved = candidate.resolve()
            if excluded is not None and resolved.is_relative_to(excluded):
                continue
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise ExportError(f"no .jsonl or .jsonl.gz run files found in {shown}")
    return found


@dataclass(slots=True)
class Entry:
    """One non-blank line of an input file, or the point where a file became unreadable."""

    seq: int
    """Position of the entry across all inputs, the same on every pass."""
    file_index: int
    line_no: int
    """1-based line number in its file."""
    data: bytes | None
    """The line's bytes; ``None`` when the file could not be read further."""
    error: str | None = None


class Scanner:
    """Reads the entries of the input files in order.

    The first pass records how many entries each file had; later passes stop there,
    so a run file that a live crawl is still appending to reads the same on every pass.
    """

    def __init__(self, files: Sequence[Path], limits: Sequence[int] | None = None) -> None:
        self.files = list(files)
        self.limits = list(limits) if limits is not None else None
        self.entry_counts: list[int] = [0] * len(self.files)
        self._done_bytes = 0
        self._raw: BinaryIO | None = None

    def total_bytes(self) -> int:
        return sum(path.stat().st_size for path in self.files)

    def position(self) -> int:
        """Bytes of input consumed so far (compressed bytes for gzip files)."""
        try:
            current = self._raw.tell() if self._raw is not None else 0
        except (OSError, ValueError):
            current = 0
        return self._done_bytes + current

    def __iter__(self) -> Iterator[Entry]:
        seq = 0
        self._done_bytes = 0
        for index, path in enumerate(self.files):
            limit = self.limits[index] if self.limits is not None else None
            count = 0
            for entry in self._read_file(index, path, seq):
                if limit is not None and count >= limit:
                    break
                yield entry
                seq += 1
                count += 1
            self.entry_counts[index] = count
            self._done_bytes += path.stat().st_size

    def _read_file(self, index: int, path: Path, first_seq: int) -> Iterator[Entry]:
        seq = first_seq
        line_no = 0
        with path.open("rb") as raw:
            self._raw = raw
            stream: Iterable[bytes] = (
                gzip.GzipFile(fileobj=raw) if path.name.endswith(".gz") else raw
            )
            try:
                for line in stream:
                    line_no += 1
                    if not line.strip():
                        continue
                    yield Entry(seq=seq, file_index=index, line_no=line_no, data=line)
                    seq += 1
            except (EOFError, OSError, zlib.error) as exc:
                # A truncated or corrupt gzip stream: what was read stays; the rest
                # of this file is lost, and the user is told where.
                yield Entry(
                    seq=seq,
                    file_index=index,
                    line_no=line_no + 1,
                    data=None,
                    error=f"unreadable from here on ({exc})",
                )
            finally:
                self._raw = None
