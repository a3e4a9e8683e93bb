"""The SQLite crawl state: one database file per source in the state folder.

One file per source means one writer per file (the crawl of that source), so two
sources crawled at the same time never wait on each other's locks. WAL mode lets
readers in other processes look at the state while a crawl writes it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from scrapy.settings import BaseSettings

from newsbot import defaults
from newsbot.state.store import RunRecord, StateStore, UrlState

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    version INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS urls_last_seen ON urls (last_seen);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL NOT NULL,
    exit_status INTEGER NOT NULL,
    metrics TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS runs_finished ON runs (finished);
"""


def state_path(state_dir: str | Path, source: str) -> Path:
    """The database file of *source* in *state_dir*."""
    return Path(state_dir) / f"{_UNSAFE.sub('_', source)}.sqlite3"


class SqliteStateStore(StateStore):
    """The crawl state of one source in ``<NEWSBOT_STATE_DIR>/<source>.sqlite3``.

    Look-ups go through primary keys (B-trees), so they stay fast at millions of URLs.
    Each write is its own transaction: when :meth:`mark_done` returns, the mark
    survives the process being killed.
    """

    def __init__(self, path: str | Path, source: str, *, timeout: float = 30.0):
        super().__init__(source)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: autocommit, each statement or explicit BEGIN block is
        # its own transaction; nothing stays uncommitted by accident.
        self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives a crash of the process (not of the
        # machine's power), and costs no fsync per commit.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            self.db.close()
            raise RuntimeError(
                f"{self.path}: crawl state of a newer newsbot (schema {version}); upgrade newsbot"
            )
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @classmethod
    def from_settings(cls, settings: BaseSettings, source: str) -> SqliteStateStore:
        state_dir = settings.get("NEWSBOT_STATE_DIR") or defaults.NEWSBOT_STATE_DIR
        return cls(state_path(state_dir, source), source)

    def get(self, url: str) -> UrlState | None:
        row = self.db.execute(
            "SELECT url, fingerprint, version, etag, last_modified, first_seen, last_seen "
            "FROM urls WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return UrlState(
            url=row[0],
            fingerprint=row[1],
            version=row[2],
            etag=row[3],
            last_modified=row[4],
            first_seen=row[5],
            last_seen=row[6],
        )

    def mark_done(
        self,
        urls: Iterable[str],
        *,
        fingerprint: str,
        version: int,
        etag: str | None,
        last_modified: str | None,
        now: float,
    ) -> None:
        rows = [(url, fingerprint, version, etag, last_modified, now, now) for url in set(urls)]
        with self._transaction():
            self.db.executemany(
                "INSERT INTO urls (url, fingerprint, version, etag, last_modified, "
                "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET fingerprint = excluded.fingerprint, "
                "version = excluded.version, etag = excluded.etag, "
                "last_modified = excluded.last_modified, last_seen = excluded.last_seen",
                rows,
            )

    def touch(self, urls: Iterable[str], now: float) -> None:
        with self._transaction():
            self.db.executemany(
                "UPDATE urls SET last_seen = ? WHERE url = ? AND last_seen < ?",
                [(now, url, now) for url in set(urls)],
            )

    def prune(self, before: float) -> int:
        with self._transaction():
            cursor = self.db.execute("DELETE FROM urls WHERE last_seen < ?", (before,))
        return cursor.rowcount

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM urls").fetchone()[0])

    def add_run(self, run: RunRecord, keep: int = 50) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO runs (run_id, started, finished, exit_status, metrics) "
                "VALUES (?, ?, ?, ?, ?)",
                (run.run_id, run.started, run.finished, run.exit_status, json.dumps(run.metrics)),
            )
            self.db.execute(
                "DELETE FROM runs WHERE run_id NOT IN "
                "(SELECT run_id FROM runs ORDER BY finished DESC LIMIT ?)",
                (keep,),
            )

    def recent_runs(self, limit: int) -> list[RunRecord]:
        rows = self.db.execute(
            "SELECT run_id, started, finished, exit_status, metrics FROM runs "
            "ORDER BY finished DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            RunRecord(
                run_id=r[0], started=r[1], finished=r[2], exit_status=r[3], metrics=json.loads(r[4])
            )
            for r in rows
        ]

    def close(self) -> None:
        self.db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error). IMMEDIATE takes the
    write lock up front, so a busy database waits here instead of failing mid-way."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
