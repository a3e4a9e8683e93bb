"""The crawl state store (SQLite backend) and the run's CrawlState extension."""

from __future__ import annotations

import sqlite3

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot.extensions.crawl_state import CrawlState, record_urls
from newsbot.items import ArticleRecord, record_id
from newsbot.sources import Source
from newsbot.state import RunRecord, StateStore, open_store
from newsbot.state.sqlite import SqliteStateStore, state_path

A = "https://news.example/2025/03/a-story"
B = "https://news.example/2025/03/b-story"


@pytest.fixture
def store(tmp_path):
    s = SqliteStateStore(tmp_path / "state" / "src.sqlite3", "src")
    yield s
    s.close()


def _mark(store: StateStore, url: str, now: float, version: int = 1, fp: str = "f1") -> None:
    store.mark_done([url], fingerprint=fp, version=version, etag='"e"', last_modified=None, now=now)


def test_a_marked_url_is_done_with_what_was_written(store):
    assert store.get(A) is None and not store.is_done(A)
    _mark(store, A, now=100.0)
    entry = store.get(A)
    assert entry is not None and store.is_done(A)
    assert (entry.fingerprint, entry.version, entry.etag) == ("f1", 1, '"e"')
    assert (entry.first_seen, entry.last_seen) == (100.0, 100.0)
    assert not store.is_done(B)


def test_a_new_version_keeps_first_seen_and_moves_last_seen(store):
    _mark(store, A, now=100.0)
    _mark(store, A, now=200.0, version=2, fp="f2")
    entry = store.get(A)
    assert (entry.version, entry.fingerprint, entry.first_seen, entry.last_seen) == (
        2,
        "f2",
        100.0,
        200.0,
    )
    assert store.count() == 1


def test_prune_forgets_urls_not_seen_within_retention_and_touch_keeps_them(store):
    _mark(store, A, now=100.0)
    _mark(store, B, now=100.0)
    store.touch([B, "https://unknown.example/"], now=500.0)
    assert store.prune(before=300.0) == 1
    assert not store.is_done(A)
    assert store.is_done(B)
    assert store.get("https://unknown.example/") is None


def test_state_survives_reopening_and_readers_see_it_while_a_writer_works(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = SqliteStateStore(path, "s")
    _mark(writer, A, now=1.0)
    # A reader in another connection (another process, in real life) is not blocked by
    # an open write transaction, thanks to WAL.
    writer.db.execute("BEGIN IMMEDIATE")
    writer.db.execute(
        "INSERT INTO urls VALUES ('https://x.example/', 'f', 1, NULL, NULL, 2.0, 2.0)"
    )
    reader = sqlite3.connect(path, timeout=0.1)
    assert reader.execute("SELECT count(*) FROM urls").fetchone()[0] == 1
    assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    writer.db.execute("COMMIT")
    reader.close()
    writer.close()

    again = SqliteStateStore(path, "s")
    assert again.is_done(A) and again.is_done("https://x.example/")
    again.close()


def test_a_state_file_of_an_older_newsbot_still_opens(tmp_path):
    # Written before the feed/sitemap watermarks (never used by a spider) were removed:
    # the file keeps its watermarks table, unread; the rest works as before.
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        """
        CREATE TABLE urls (url TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
            version INTEGER NOT NULL, etag TEXT, last_modified TEXT,
            first_seen REAL NOT NULL, last_seen REAL NOT NULL) WITHOUT ROWID;
        CREATE INDEX urls_last_seen ON urls (last_seen);
        CREATE TABLE watermarks (key TEXT PRIMARY KEY, value TEXT NOT NULL,
            updated REAL NOT NULL) WITHOUT ROWID;
        CREATE TABLE runs (run_id TEXT PRIMARY KEY, started REAL NOT NULL,
            finished REAL NOT NULL, exit_status INTEGER NOT NULL, metrics TEXT NOT NULL)
            WITHOUT ROWID;
        CREATE INDEX runs_finished ON runs (finished);
        INSERT INTO urls VALUES ('https://news.example/2025/03/a-story', 'f1', 1, NULL, NULL,
            1.0, 1.0);
        INSERT INTO watermarks VALUES ('feed:x', '2025-03-14', 1.0);
        INSERT INTO runs VALUES ('r0', 0.5, 1.0, 0, '{}');
        PRAGMA user_version = 1;
        """
    )
    old.close()
    store = SqliteStateStore(path, "old")
    assert store.is_done(A) and store.count() == 1
    assert [run.run_id for run in store.recent_runs(5)] == ["r0"]
    _mark(store, B, now=2.0)
    store.add_run(RunRecord(run_id="r1", started=1.5, finished=2.0, exit_status=0))
    store.close()
    again = SqliteStateStore(path, "old")
    assert again.is_done(B) and [r.run_id for r in again.recent_runs(5)] == ["r1", "r0"]
    again.close()


def test_run_history_is_newest_first_and_bounded(store):
    for n in range(8):
        store.add_run(
            RunRecord(run_id=f"r{n}", started=n, finished=n + 0.5, exit_status=0, metrics={"n": n}),
            keep=5,
        )
    runs = store.recent_runs(10)
    assert [r.run_id for r in runs] == ["r7", "r6", "r5", "r4", "r3"]
    assert runs[0].metrics == {"n": 7}


def test_each_source_has_its_own_file_in_the_state_dir(tmp_path):
    settings = Settings({"NEWSBOT_STATE_DIR": str(tmp_path / "st")})
    one = open_store(settings, "alpha")
    two = open_store(settings, "beta/../x")
    _mark(one, A, now=1.0)
    assert not two.is_done(A)
    assert state_path(tmp_path / "st", "alpha").exists()
    assert all(p.parent == tmp_path / "st" for p in (tmp_path / "st").glob("*.sqlite3"))
    one.close()
    two.close()


def test_the_backend_setting_must_name_a_state_store(tmp_path):
    settings = Settings({"NEWSBOT_STATE_BACKEND": "newsbot.sources.Source"})
    with pytest.raises(TypeError, match="StateStore"):
        open_store(settings, "x")


class _SourceSpider(Spider):
    name = "src"

    def __init__(self, source: Source, **kwargs):
        super().__init__(**kwargs)
        self.source = source
        self.source_name = source.name


def _state(tmp_path, source: Source) -> tuple[CrawlState, Spider]:
    crawler = get_crawler(_SourceSpider, {"NEWSBOT_STATE_DIR": str(tmp_path / "st")})
    spider = _SourceSpider(source)
    ext = CrawlState.from_crawler(crawler)
    ext.open(spider)
    return ext, spider


def _record(url: str, text: str = "Some text", version: int = 1) -> ArticleRecord:
    return ArticleRecord(
        id=record_id(url), url=url, canonical_url=url, source="s", text=text, version=version
    )


def test_a_record_marks_its_url_its_canonical_url_and_its_redirects(tmp_path):
    ext, _ = _state(tmp_path, Source(name="s", kind="site", urls=[A]))
    request = Request(
        "http://news.example/2025/03/b-story?utm_source=x",
        meta={"redirect_urls": ["http://news.example/2025/03/b-story?utm_source=x"]},
    )
    response = HtmlResponse(
        "https://news.example/2025/03/b-story",
        body=b"<html></html>",
        request=request,
        headers={"ETag": '"abc"'},
    )
    record = _record("https://news.example/2025/03/b-story")
    record.canonical_url = "https://news.example/b"
    assert record_urls(record, response) == {
        "https://news.example/2025/03/b-story",
        "https://news.example/b",
        "http://news.example/2025/03/b-story",
    }
    ext.item_scraped(record, response)
    for url in (
        "https://news.example/2025/03/b-story",
        "https://news.example/b",
        "http://news.example/2025/03/b-story?utm_source=y",
    ):
        assert ext.lookup(url) is not None, url
    assert ext.lookup(url).etag == '"abc"'
    assert ext.is_done("https://news.example/b")


def test_recheck_within_makes_recent_urls_not_done(tmp_path):
    ext, _ = _state(tmp_path, Source(name="s", kind="site", urls=[A], recheck_within="2d"))
    ext.item_scraped(_record(A))
    entry = ext.lookup(A)
    assert ext.is_recent(entry, now=entry.first_seen + 3600)
    assert not ext.is_done(A)
    assert not ext.is_recent(entry, now=entry.first_seen + 3 * 86400)


def test_the_state_prunes_entries_older_than_the_source_retention(tmp_path):
    store = open_store(Settings({"NEWSBOT_STATE_DIR": str(tmp_path / "st")}), "s")
    _mark(store, A, now=1.0)  # 1970: far older than any retention
    store.close()
    ext, _ = _state(tmp_path, Source(name="s", kind="site", urls=[A], retention="30d"))
    assert ext.lookup(A) is None
    assert ext.stats.get_value("newsbot/state/pruned") == 1


def test_the_state_is_off_when_disabled():
    crawler = get_crawler(_SourceSpider, {"NEWSBOT_STATE_ENABLED": False})
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        CrawlState.from_crawler(crawler)
