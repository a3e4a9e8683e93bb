"""The newsbot command, run as a user runs it: a subprocess reading what it writes."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from newsbot.cli import SUBCOMMANDS
from newsbot.schema import load_schema

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow

SITE = Path(__file__).resolve().parent.parent / "newsbot" / "demo" / "site"
EXPECTED = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))


def newsbot(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsbot", *args],
        capture_output=True,
        text=True,
        timeout=kw.pop("timeout", 240),
        **kw,
    )


@pytest.mark.parametrize(
    "command", [c for c in SUBCOMMANDS if importlib.util.find_spec(f"newsbot.cli.{c}")]
)
def test_every_subcommand_has_help(command):
    result = newsbot(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: newsbot " + command in result.stdout


def test_extract_writes_one_valid_record_per_file_including_gzip_and_folders(tmp_path):
    article_path = next(iter(EXPECTED["articles"]))
    page = (SITE / article_path.lstrip("/")).read_bytes()
    folder = tmp_path / "pages" / "nested"
    folder.mkdir(parents=True)
    (folder / "a.html").write_bytes(page)
    (folder / "b.html.gz").write_bytes(gzip.compress(page))
    (folder / "notes.txt").write_text("not a page")
    (tmp_path / "empty.html").write_bytes(b"")
    result = newsbot("extract", str(tmp_path / "pages"), str(tmp_path / "empty.html"))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == ["a.html", "b.html.gz", "empty.html"]
    schema = load_schema()
    for record in records:
        jsonschema.validate(record, schema)
    a, b, empty = records
    assert a["text"] and a["text"] == b["text"]
    assert a["title"] == EXPECTED["articles"][article_path]["title"]
    assert empty["text"] is None and empty["error"] == "empty file"
    assert "Traceback" not in result.stderr


def test_extract_with_url_and_output_file(tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes((SITE / next(iter(EXPECTED["articles"])).lstrip("/")).read_bytes())
    out = tmp_path / "out.jsonl"
    result = newsbot(
        "extract", str(page), "--url", "https://news.example/x?utm_source=feed", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["url"] == "https://news.example/x?utm_source=feed"
    assert record["source"] == str(page)


def test_extract_of_undecodable_bytes_gives_an_error_record(tmp_path):
    junk = tmp_path / "junk.html.gz"
    junk.write_bytes(b"\x1f\x8b\x08\x00garbage")
    result = newsbot("extract", str(junk))
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [None]
    assert records[0]["error"].startswith("cannot read the file")
    assert "Traceback" not in result.stderr


def test_extract_of_a_path_that_does_not_exist_is_refused(tmp_path):
    # A typo is not a page without text (issue #15): no record, one line, exit non-zero.
    result = newsbot("extract", str(tmp_path / "missing.html"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"newsbot extract: {tmp_path / 'missing.html'}: no such file or folder"
    )
    # Beside pages that exist, as cat does: their records, the line, exit status 1.
    page = tmp_path / "p.html"
    page.write_bytes((SITE / next(iter(EXPECTED["articles"])).lstrip("/")).read_bytes())
    result = newsbot("extract", str(page), str(tmp_path / "missing.html"))
    assert result.returncode == 1
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(page)]
    assert f"{tmp_path / 'missing.html'}: no such file or folder" in result.stderr


def test_crawl_refuses_a_wrong_sources_file_naming_file_source_and_field(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "x"\nkind = "rss"\nurls = ["https://a.example/"]\n')
    result = newsbot("crawl", "--sources", str(sources))
    assert result.returncode == 2
    assert f"{sources}" in result.stderr
    assert "source 'x'" in result.stderr and "field 'kind'" in result.stderr
    assert not (tmp_path / "output").exists()


def test_crawl_names_an_unknown_source(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "x"\nkind = "feed"\nurls = ["https://a.example/"]\n')
    result = newsbot("crawl", "nope", "--sources", str(sources))
    assert result.returncode == 2
    assert "no source named 'nope'" in result.stderr and "defined: x" in result.stderr


def test_crawl_checks_spider_arguments_before_starting():
    result = newsbot("crawl", "--spider", "urls", "-a", "urls=not-a-url")
    assert result.returncode == 2
    assert "'not-a-url' is not an absolute http(s) URL" in result.stderr


@pytest.mark.parametrize("command", ["newsbot", "scrapy"])
def test_dash_O_replaces_the_default_output_instead_of_adding_to_it(tmp_path, command):
    from newsbot.demo.server import DemoServer

    out = tmp_path / "mine.jsonl"
    with DemoServer() as server:
        if command == "newsbot":
            args = [sys.executable, "-m", "newsbot", "crawl", "--spider", "sitemap"]
        else:
            args = [sys.executable, "-m", "scrapy", "crawl", "sitemap"]
        args += ["-a", f"url={server.url}/", "-a", "allow_private=1", "-O", str(out)]
        result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(EXPECTED["articles"])
    assert list((tmp_path / "output").rglob("*.jsonl")) == []
