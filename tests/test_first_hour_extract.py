"""The first hour with ``newsbot extract`` (issue #15, point 5, what the first round left):
``--articles-only`` for HTML files, the crawl's validation of non-article pages,
``--url-list``, ``--format text`` for WARC files. Each test runs the command as a user
types it and reads what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from commands import run_newsbot as newsbot
from warc_helpers import Exchange, article_html, write_warc

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow

SITE = Path(__file__).resolve().parent.parent / "newsbot" / "demo" / "site"
ARTICLE = SITE / "politics" / "chancellor-pothole-fund-runs-dry-29481.html"
BASE = "https://www.demo-gazette.example"


def records(stdout: str) -> dict[str, dict]:
    return {Path(r["source"]).name: r for r in map(json.loads, stdout.splitlines())}


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A folder of pages saved from the demo site: an article, the home page (a list of
    teasers, long enough to pass validation), a section page and the about page (both
    too short to be articles)."""
    folder = tmp_path / "saved"
    folder.mkdir()
    for name, source in {
        "article.html": ARTICLE,
        "home.html": SITE / "index.html",
        "section.html": SITE / "politics" / "index.html",
        "about.html": SITE / "about.html",
    }.items():
        # As saved from the demo site served under BASE.
        (folder / name).write_bytes(source.read_bytes().replace(b"{{BASE}}", BASE.encode()))
    return folder


def test_pages_the_crawl_would_drop_get_no_text_and_say_why(saved):
    result = newsbot("extract", "--no-templates", str(saved))
    assert result.returncode == 0, result.stderr
    got = records(result.stdout)
    assert set(got) == {"about.html", "article.html", "home.html", "section.html"}
    # The crawl's validation (newsbot.pipelines.validate): under NEWSBOT_MIN_WORDS words.
    for name in ("about.html", "section.html"):
        assert got[name]["text"] is None and got[name]["word_count"] == 0
        assert got[name]["error"].startswith("too_short: "), got[name]["error"]
    assert got["article.html"]["error"] is None and got["article.html"]["word_count"] > 200
    assert "4 file(s), 2 with text, 2 without (too_short 2)" in result.stderr


def test_articles_only_keeps_the_text_of_article_pages_only(saved):
    result = newsbot("extract", "--no-templates", "--articles-only", str(saved))
    assert result.returncode == 0, result.stderr
    got = records(result.stdout)
    assert got["article.html"]["text"].startswith("Chancellor Martin Hale")
    for name in ("home.html", "section.html", "about.html"):
        assert got[name]["text"] is None, name
        assert got[name]["error"] == "not_article: not an article page (--articles-only)"
    assert "1 with text, 3 without (not_article 3)" in result.stderr
    # As text, only the article is printed.
    result = newsbot("extract", "--articles-only", "--format", "text", str(saved))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Chancellor Martin Hale")
    assert "latest stories" not in result.stdout.lower()


def test_a_url_list_gives_each_saved_page_its_url(tmp_path, saved):
    url = f"{BASE}/politics/chancellor-pothole-fund-runs-dry-29481.html?utm_source=feed"
    other = f"{BASE}/"
    (saved / "urls.tsv").write_text(
        f"# saved on Monday\narticle.html\t{url}\n\nhome.html\t{other}\n", encoding="utf-8"
    )
    # Without PATH arguments, the list's files are read (its paths are relative to it,
    # whatever the current folder).
    result = newsbot("extract", "--url-list", str(saved / "urls.tsv"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    got = records(result.stdout)
    assert set(got) == {"article.html", "home.html"}
    assert got["article.html"]["url"] == url
    # The canonical link the page declares is on the URL's site: it is the canonical URL.
    assert got["article.html"]["canonical_url"] == (
        f"{BASE}/politics/chancellor-pothole-fund-runs-dry-29481.html"
    )
    assert got["home.html"]["url"] == got["home.html"]["canonical_url"] == other
    # With a folder, the list names the URLs of the files it knows.
    result = newsbot("extract", "--no-templates", str(saved), "--url-list", str(saved / "urls.tsv"))
    assert result.returncode == 0, result.stderr
    got = records(result.stdout)
    assert got["article.html"]["url"] == url
    assert got["section.html"]["url"].startswith("file://")


def test_the_url_list_helps_extraction_find_the_page_date(tmp_path):
    # A page that dates itself only in its URL: given the URL, the record has the date.
    page = tmp_path / "p.html"
    page.write_text(article_html(3).replace("og:type", "x"), encoding="utf-8")
    (tmp_path / "urls.tsv").write_text(
        "p.html\thttps://news.example/2024/05/01/story-3.html\n", encoding="utf-8"
    )
    without = newsbot("extract", str(page))
    given = newsbot("extract", "--url-list", str(tmp_path / "urls.tsv"))
    assert without.returncode == given.returncode == 0, without.stderr + given.stderr
    assert json.loads(without.stdout)["published"] is None
    assert json.loads(given.stdout)["published"] == "2024-05-01"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("article.html https://a.example/x\n", "urls.tsv:1: expected PATH<TAB>URL"),
        (
            "# none\n\narticle.html\tnews/x.html\n",
            "urls.tsv:3: 'news/x.html' is not an http(s) URL",
        ),
        ("# nothing but comments\n", "no PATH<TAB>URL line in it"),
    ],
)
def test_a_malformed_url_list_is_one_line_naming_file_and_line(saved, content, message):
    (saved / "urls.tsv").write_text(content, encoding="utf-8")
    result = newsbot("extract", "--url-list", str(saved / "urls.tsv"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("newsbot extract: ") and message in result.stderr


def test_a_url_list_naming_a_missing_file_reads_the_others_and_names_it(saved):
    (saved / "urls.tsv").write_text(
        "article.html\thttps://a.example/x\ngone.html\thttps://a.example/y\n", encoding="utf-8"
    )
    result = newsbot("extract", "--url-list", str(saved / "urls.tsv"))
    assert result.returncode == 1
    assert list(records(result.stdout)) == ["article.html"]
    assert f"{saved / 'gone.html'}: no such file or folder" in result.stderr


def test_extract_without_any_page_is_one_line():
    result = newsbot("extract")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "newsbot extract: give the pages to read (PATH...) or --url-list FILE\n"


@pytest.mark.parametrize("templates", [[], ["--no-templates"]])
def test_format_text_prints_the_text_of_warc_records_too(tmp_path, templates):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(
        warc,
        [
            Exchange(f"https://news.example/story-{n}.html", article_html(n).encode())
            for n in (1, 2)
        ],
    )
    result = newsbot("extract", *templates, "--format", "text", str(warc))
    assert result.returncode == 0, result.stderr
    assert "{" not in result.stdout  # no JSON
    stories = result.stdout.split("\n\n")
    assert stories[0].startswith("In report 1, paragraph 0")
    assert any(s.startswith("In report 2, paragraph 0") for s in stories)
    assert "Copyright The Gazette" not in result.stdout
