"""Shard writers: gzip JSON Lines, or Parquet.

Both cut a new shard before a record would take the current one past
``max_records`` records or ``max_bytes`` bytes of JSON Lines text (uncompressed, so
the bound also caps the compressed file; for Parquet it is the same measure of the
records, which the columnar file then compresses). A record larger than the byte
bound alone gets a shard of its own. Memory stays bounded: JSON Lines streams each
record out; Parquet buffers at most one row group.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from newsbot.export.dataset_schema import FieldSpec, Kind, dataset_fields, documented_keys

SHARD_PREFIX = "data-"


@dataclass(slots=True)
class ShardInfo:
    name: str
    records: int
    bytes: int = 0
    sha256: str = ""


def encode_record(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ShardWriter(Protocol):
    shards: list[ShardInfo]

    def write(self, record: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class _Sharding:
    """The shard-cutting rule shared by both formats."""

    suffix = ""

    def __init__(self, out_dir: Path, *, max_records: int | None, max_bytes: int | None) -> None:
        self.out_dir = out_dir
        self.max_records = max_records
        self.max_bytes = max_bytes
        self.shards: list[ShardInfo] = []
        self._records = 0
        self._bytes = 0
        self._open = False

    def _needs_new_shard(self, size: int) -> bool:
        if not self._open:
            return True
        if self._records == 0:
            return False
        if self.max_records is not None and self._records + 1 > self.max_records:
            return True
        return self.max_bytes is not None and self._bytes + size > self.max_bytes

    def _path(self, number: int) -> Path:
        return self.out_dir / f"{SHARD_PREFIX}{number:05d}{self.suffix}"

    def _begin(self) -> Path:
        path = self._path(len(self.shards))
        self.shards.append(ShardInfo(name=path.name, records=0))
        self._records = 0
        self._bytes = 0
        self._open = True
        return path

    def _finish_current(self) -> None:
        if not self._open:
            return
        info = self.shards[-1]
        path = self.out_dir / info.name
        info.bytes = path.stat().st_size
        info.sha256 = _file_sha256(path)
        self._open = False


class JsonlShardWriter(_Sharding):
    suffix = ".jsonl.gz"

    def __init__(self, out_dir: Path, *, max_records: int | None, max_bytes: int | None) -> None:
        super().__init__(out_dir, max_records=max_records, max_bytes=max_bytes)
        self._handle: gzip.GzipFile | None = None
        self._file: IO[bytes] | None = None

    def write(self, record: dict[str, Any]) -> None:
        line = encode_record(record)
        if self._needs_new_shard(len(line)):
            self._close_handle()
            self._open_shard()
        assert self._handle is not None
        self._handle.write(line)
        self._records += 1
        self._bytes += len(line)
        self.shards[-1].records += 1

    def _open_shard(self) -> None:
        path = self._begin()
        # mtime=0 and no stored name: the same records make byte-identical shards.
        self._file = path.open("wb")
        self._handle = gzip.GzipFile(
            filename="", mode="wb", compresslevel=6, fileobj=self._file, mtime=0
        )

    def _close_handle(self) -> None:
        if self._handle is not None:
            self._handle.close()
            if self._file is not None:
                self._file.close()
            self._handle = None
            self._file = None
            self._finish_current()

    def close(self) -> None:
        if not self.shards:
            # An empty dataset still has its one (empty) shard, so globs and loaders
            # find a file rather than nothing.
            self._open_shard()
        self._close_handle()


def arrow_schema(
    fields: list[FieldSpec] | None = None, map_keys: dict[str, set[str]] | None = None
) -> Any:
    """The Parquet/Arrow schema of a dataset record.

    Strings stay strings (dates keep their ISO 8601 text, which may or may not carry a
    time and an offset, exactly as in JSON); lists are ``list<string>``. A count map
    (``removed``) is a ``struct`` of nullable ``int64``, one field per key: the keys
    the record class documents plus any the data holds (*map_keys*), sorted; a key a
    record lacks is null. A struct rather than an Arrow ``map``: ``datasets`` cannot
    load ``map`` columns, and a struct is also what it and pandas infer for the same
    field from the JSON Lines shards.
    """
    import pyarrow as pa

    map_keys = map_keys or {}
    columns = []
    for spec in fields or dataset_fields():
        if spec.kind == "count_map":
            keys = sorted(set(documented_keys(spec)) | map_keys.get(spec.name, set()))
            kind: Any = pa.struct([pa.field(key, pa.int64()) for key in keys])
        else:
            kind = _ARROW_TYPES[spec.kind](pa)
        columns.append(pa.field(spec.name, kind, nullable=spec.kind == "nullable_string"))
    return pa.schema(columns)


_ARROW_TYPES: dict[Kind, Any] = {
    "string": lambda pa: pa.string(),
    "nullable_string": lambda pa: pa.string(),
    "integer": lambda pa: pa.int64(),
    "string_list": lambda pa: pa.list_(pa.string()),
}


def parquet_available() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


class ParquetShardWriter(_Sharding):
    suffix = ".parquet"

    def __init__(
        self,
        out_dir: Path,
        *,
        max_records: int | None,
        max_bytes: int | None,
        row_group_records: int = 10_000,
        row_group_bytes: int = 64 << 20,
        map_keys: dict[str, set[str]] | None = None,
    ) -> None:
        import pyarrow.parquet as pq

        super().__init__(out_dir, max_records=max_records, max_bytes=max_bytes)
        self._pq = pq
        self._schema = arrow_schema(map_keys=map_keys)
        self._rows: list[dict[str, Any]] = []
        self._row_bytes = 0
        self._row_group_records = row_group_records
        self._row_group_bytes = row_group_bytes
        self._writer: Any = None

    def write(self, record: dict[str, Any]) -> None:
        size = len(encode_record(record))
        if self._needs_new_shard(size):
            self._close_writer()
            self._open_shard()
        self._rows.append(record)
        self._row_bytes += size
        self._records += 1
        self._bytes += size
        self.shards[-1].records += 1
        if len(self._rows) >= self._row_group_records or self._row_bytes >= self._row_group_bytes:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa

        table = pa.Table.from_pylist(self._rows, schema=self._schema)
        self._writer.write_table(table)
        self._rows = []
        self._row_bytes = 0

    def _open_shard(self) -> None:
        path = self._begin()
        self._writer = self._pq.ParquetWriter(str(path), self._schema, compression="zstd")

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._flush()
            self._writer.close()
            self._writer = None
            self._finish_current()

    def close(self) -> None:
        if not self.shards:
            self._open_shard()
        self._close_writer()
