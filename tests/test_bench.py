"""The benchmark: its pages look like news pages, its server serves them, its
measurements see the whole process tree, and ``newsbot bench`` reports the figures."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newsbot.bench.page_server import serve_pages
from newsbot.bench.pages import PageMaker, article_path, write_pages
from newsbot.bench.run import cpu_seconds, find_pages, process_tree, sample_tree
from newsbot.extraction import extract_article


def test_pages_are_news_sized_distinct_and_stable():
    maker = PageMaker()
    pages = [maker.page(n) for n in range(5)]
    assert all(100_000 <= len(p) <= 175_000 for p in pages)
    assert len(set(pages)) == 5
    assert PageMaker().page(3) == pages[3]


def test_the_article_is_extractable_and_the_boilerplate_is_not_kept():
    page = PageMaker().page(7)
    headline = re.search(rb"<h1>(.*?)</h1>", page).group(1).decode()
    article = extract_article(page, f"http://127.0.0.1{article_path(7)}")
    assert article.error is None
    assert article.title == headline
    assert len(article.text.split()) > 300
    assert "We use cookies" not in article.text
    assert "All rights reserved" not in article.text


def _get(url: str, gzip_ok: bool) -> tuple[int, str | None, bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, response.headers.get("Content-Encoding"), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, None, b""


def test_server_serves_pages_gzipped_to_who_accepts_it(tmp_path):
    paths = write_pages(tmp_path / "pages", 2)
    with serve_pages(paths, 3) as server:
        url = server.base_url
        status, encoding, body = _get(f"{url}{article_path(1)}", gzip_ok=True)
        assert (status, encoding) == (200, "gzip")
        assert gzip.decompress(body) == PageMaker().page(1)
        status, encoding, body = _get(f"{url}{article_path(1)}", gzip_ok=False)
        assert (status, encoding, body) == (200, None, PageMaker().page(1))
        # Three pages served from two files: the third is the first again.
        assert _get(f"{url}{article_path(2)}", False)[2] == PageMaker().page(0)
        assert _get(f"{url}{article_path(3)}", False)[0] == 404
        assert _get(f"{url}/elsewhere{article_path(1)}", False)[0] == 404
        urls = _get(f"{server.base_url}/urls.txt", False)[2].decode().split()
        assert urls == [f"{url}{article_path(n)}" for n in range(3)]
        sitemap = _get(f"{server.base_url}/sitemap.xml", False)[2].decode()
        assert sitemap.count("<loc>") == 3


def test_find_pages_takes_html_and_gzipped_html(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text("<html></html>")
    (tmp_path / "sub" / "b.html.gz").write_bytes(gzip.compress(b"<html></html>"))
    (tmp_path / "notes.txt").write_text("not a page")
    assert [p.name for p in find_pages(tmp_path)] == ["a.html", "b.html.gz"]


def test_the_process_tree_includes_grandchildren():
    # A grandchild that lives while the tree is sampled (killed at the end).
    code = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(30)'])"
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):
            tree = process_tree(child.pid)
            if len(tree) == 2:
                break
            time.sleep(0.05)
        assert len(tree) == 2 and tree[0] == child.pid
        sample = sample_tree(tree)
        assert sample.processes == 2
        assert sample.rss_kb > 2 * 1024  # two Python interpreters: megabytes each
        assert cpu_seconds(child.pid) is not None
    finally:
        for pid in reversed(process_tree(child.pid)):
            os.kill(pid, 9)
        child.wait()


@pytest.mark.slow
def test_newsbot_bench_crawls_every_page_and_reports_the_figures(tmp_path):
    result = subprocess.run(
        # Enough pages for the crawl to outlast a few of the bench's memory samples
        # (every 0.25 s), so one of them sees the whole process tree.
        [sys.executable, "-m", "newsbot", "bench", "--pages", "120", "--baseline-pages", "10"]
        + ["--newsbot-pages", "0", "--workdir", str(tmp_path), "-s", "NEWSBOT_WORKERS=2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "records written: 120;" in out
    assert re.search(
        r"plain trafilatura\.extract, 1 process: 10 pages in [\d.]+ s = [\d.]+ pages/s", out
    )
    assert re.search(r"newsbot crawl, end to end: 120 pages in [\d.]+ s = [\d.]+ pages/s", out)
    assert re.search(r"ratio, crawl end to end / plain trafilatura: [\d.]+x", out)
    # The crawl process, the forkserver and two workers at least.
    processes = int(re.search(r"process tree \((\d+) processes\)", out).group(1))
    assert processes >= 4
    rss = float(re.search(r"RSS (\d+) MB summed", out).group(1))
    assert rss > 50
    assert not list(Path(tmp_path).iterdir())  # no --keep: nothing left behind


@pytest.mark.slow
def test_cycled_pages_are_all_written_runs_repeat_and_a_new_workdir_is_made(tmp_path):
    from newsbot.bench.pages import PageMaker

    pages = tmp_path / "pages"
    pages.mkdir()
    maker = PageMaker()
    for n in range(3):
        # Saved pages without their canonical link, as a folder of pages from many
        # sites often is: each served copy is then an article of its own URL.
        page = re.sub(rb'<link rel="canonical"[^>]*>', b"", maker.page(n))
        (pages / f"{n}.html").write_bytes(page)
    workdir = tmp_path / "not" / "yet"
    result = subprocess.run(
        [sys.executable, "-m", "newsbot", "bench", "--pages", "9", "--pages-dir", str(pages)]
        + ["--newsbot-pages", "0", "--workdir", str(workdir), "-s", "NEWSBOT_WORKERS=1"]
        + ["--runs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # Three texts served three times each: every copy is crawled, extracted and written.
    assert "records written: 9;" in result.stdout
    assert "cycled; text de-duplication off" in result.stdout
    assert workdir.is_dir()
    # Two whole runs, then their median ratio and range.
    assert result.stdout.count("records written: 9;") == 2
    ratios = re.findall(r"ratio, crawl end to end / plain trafilatura: ([\d.]+)x", result.stdout)
    summary = re.search(
        r"ratio over 2 runs: median ([\d.]+)x \(from ([\d.]+)x to ([\d.]+)x", result.stdout
    )
    assert summary, result.stdout[-500:]
    low, high = sorted(float(r) for r in ratios)
    assert float(summary.group(2)) == round(low, 2) and float(summary.group(3)) == round(high, 2)
