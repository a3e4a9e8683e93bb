"""The sources file and spider arguments: validated once, errors name file, source, field."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from newsbot.sources import (
    FIELD_TYPES,
    Source,
    SourcesError,
    load_sources,
    parse_duration,
    parse_since,
    source_from_mapping,
)
from newsbot.spiders.base import source_from_arguments

GOOD = """
[[source]]
name = "gazette"
kind = "sitemap"
urls = ["https://www.gazette.example/"]
include = ['/\\d{4}/\\d{2}/']
exclude = ['/video/']
max_pages = 50
since = "2d"
language = "en"
drop = [".newsletter-box"]

[[source]]
name = "listing"
kind = "urls"
file = "lists/today.txt"
"""


def _write(tmp_path, text):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads_in_order_with_defaults(tmp_path):
    sources = load_sources(_write(tmp_path, GOOD))
    assert list(sources) == ["gazette", "listing"]
    gazette = sources["gazette"]
    assert gazette.kind == "sitemap"
    assert gazette.max_pages == 50 and gazette.max_depth == 3
    assert gazette.allow_private is False
    assert gazette.domains == ["www.gazette.example"]
    assert gazette.spider_args() == {"source": "gazette"}
    # A relative file path is relative to the sources file, not to the working folder.
    assert sources["listing"].file == str((tmp_path / "lists" / "today.txt").resolve())


@pytest.mark.parametrize(
    ("table", "field", "why"),
    [
        ('kind = "rss"\nurls = ["https://x.example/"]', "kind", "is not one of"),
        ('kind = "feed"', "urls", "at least one start URL"),
        ('kind = "feed"\nurls = ["ftp://x.example/"]', "urls", "not an absolute http(s) URL"),
        (
            'kind = "feed"\nurls = ["https://x.example/"]\nmax_pages = 0',
            "max_pages",
            "out of range",
        ),
        (
            'kind = "feed"\nurls = ["https://x.example/"]\nmax_pages = "10"',
            "max_pages",
            "expected int",
        ),
        (
            'kind = "feed"\nurls = ["https://x.example/"]\nmax_depth = true',
            "max_depth",
            "expected int",
        ),
        (
            'kind = "feed"\nurls = ["https://x.example/"]\ninclude = ["(unclosed"]',
            "include",
            "not a regular expression",
        ),
        (
            'kind = "feed"\nurls = ["https://x.example/"]\nsince = "last week"',
            "since",
            "neither a date",
        ),
        (
            'kind = "feed"\nurls = ["https://x.example/"]\nlanguage = "English"',
            "language",
            "not a language code",
        ),
        (
            'kind = "feed"\nurls = ["https://x.example/"]\nretention = "forever"',
            "retention",
            "not a duration",
        ),
        ('kind = "feed"\nurls = ["https://x.example/"]\nmaxpages = 3', "maxpages", "unknown field"),
    ],
)
def test_a_wrong_field_is_named_with_file_and_source(tmp_path, table, field, why):
    path = _write(tmp_path, f'[[source]]\nname = "bad-one"\n{table}\n')
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    message = str(error.value)
    assert str(path) in message
    assert "'bad-one'" in message
    assert f"field '{field}'" in message
    assert why in message


def test_file_level_mistakes(tmp_path):
    with pytest.raises(SourcesError, match="sources file not found"):
        load_sources(tmp_path / "missing.toml")
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(_write(tmp_path, "[[source]\nname="))
    with pytest.raises(SourcesError, match="unknown top-level key"):
        load_sources(_write(tmp_path, "sources = []\n"))
    twice = '[[source]]\nname = "a"\nkind = "feed"\nurls = ["https://x.example/"]\n'
    with pytest.raises(SourcesError, match="defined twice"):
        load_sources(_write(tmp_path, twice * 2))
    with pytest.raises(SourcesError, match="field 'name'"):
        load_sources(_write(tmp_path, '[[source]]\nname = "bad name!"\nkind = "feed"\n'))


def test_durations_and_since_bounds():
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration(" 2d ") == timedelta(days=2)
    with pytest.raises(ValueError):
        parse_duration("2 days")
    now = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    assert parse_since("2d", now) == datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
    assert parse_since("2025-03-01", now) == datetime(2025, 3, 1, tzinfo=UTC)
    assert parse_since("2025-03-01T10:00:00+02:00", now).utcoffset() == timedelta(hours=2)


def test_declared_allowed_domains_win_over_start_url_hosts():
    source = source_from_mapping(
        {
            "name": "s",
            "kind": "site",
            "urls": ["https://www.a.example/", "https://b.example/x", "https://www.a.example/y"],
        },
        "test",
    )
    assert source.domains == ["www.a.example", "b.example"]
    source.allowed_domains = ["a.example"]
    assert source.domains == ["a.example"]


def test_spider_arguments_build_a_validated_source(tmp_path):
    source = source_from_arguments(
        "site",
        "site",
        {
            "url": "https://x.example/, https://x.example/news/",
            "max_pages": "20",
            "allow_private": "1",
            "exclude": "/video/,/live/",
        },
    )
    assert source.urls == ["https://x.example/", "https://x.example/news/"]
    assert source.max_pages == 20 and source.allow_private is True
    assert source.exclude == ["/video/", "/live/"]
    with pytest.raises(SourcesError, match="'max_pages'.*not a whole number"):
        source_from_arguments("site", "site", {"url": "https://x.example/", "max_pages": "lots"})
    with pytest.raises(SourcesError, match="'file'.*not a readable file"):
        source_from_arguments("urls", "urls", {"file": str(tmp_path / "nope.txt")})
    with pytest.raises(SourcesError, match="field 'since'"):
        source_from_arguments("sitemap", "sitemap", {"url": "https://x.example/", "since": "soon"})


def test_the_fields_of_a_source_are_declared_once_in_the_class():
    # The sources file and the spider arguments both read their types from Source.
    assert list(FIELD_TYPES) == [f.name for f in dataclasses.fields(Source)]
    assert (FIELD_TYPES["urls"], FIELD_TYPES["max_pages"], FIELD_TYPES["since"]) == (
        list,
        int,
        str,
    )
    assert FIELD_TYPES["allow_private"] is bool
    arguments = {
        "url": "https://a.example/",
        "include": "/a/, /b/",
        "max_depth": "2",
        "allow_private": "yes",
        "retention": "9d",
    }
    source = source_from_arguments("site", "site", arguments)
    assert (source.include, source.max_depth, source.allow_private, source.retention) == (
        ["/a/", "/b/"],
        2,
        True,
        "9d",
    )
    assert arguments == {}  # each one taken
    with pytest.raises(SourcesError, match="field 'max_depth': expected int"):
        source_from_mapping(
            {"name": "x", "kind": "site", "urls": ["https://a.example/"], "max_depth": "2"},
            "f.toml",
        )
