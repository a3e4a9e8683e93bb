"""``newsbot report``: from run manifests to one HTML page, checked in a real browser.

Two demo crawls (the second one skips what the first wrote) and a crawl of a small
site with a too-short article and a dead link make three runs of two sources; the
report of them is opened in headless Chromium with the network blocked, and the test
reads back what the page shows.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from test_report_chromium import Chromium, find_chromium
from test_state_support import NewsSite, article_html, crawl_argv, crawl_env, run_crawl

from newsbot.cli import main
from newsbot.demo.server import DemoServer
from newsbot.extensions.manifest import errors_by_kind, median
from newsbot.report.runs import load_sources

# --- units -------------------------------------------------------------------------


def test_median_of_counted_values():
    from collections import Counter

    assert median(Counter()) is None
    assert median(Counter({7: 1})) == 7
    assert median(Counter({1: 1, 10: 1})) == 5.5
    assert median(Counter({3: 2, 100: 1})) == 3
    assert median(Counter({1: 2, 5: 1, 9: 3})) == 7


def test_errors_by_kind_add_up_to_the_error_lines():
    stats = {
        "log_count/ERROR": 6,
        "newsbot/site/http_errors": 2,
        "newsbot/sitemap/fetch_errors": 1,
        "spider_exceptions/ValueError": 1,
        "spider_exceptions/count": 1,
        "newsbot/fetch/gave_up": 4,
    }
    kinds = errors_by_kind(stats)
    assert kinds == {
        "fetch_error": 1,
        "http_error": 2,
        "other": 2,
        "spider_exceptions/ValueError": 1,
    }
    assert sum(kinds.values()) == stats["log_count/ERROR"]


def test_a_missing_path_is_one_clear_line(capsys):
    assert main(["report", "no-such-folder"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "newsbot report: no such file or folder: no-such-folder"


def test_a_folder_without_manifests_is_one_clear_line(tmp_path, capsys):
    (tmp_path / "output" / "demo").mkdir(parents=True)
    (tmp_path / "output" / "demo" / "run.jsonl").write_text("{}\n", encoding="utf-8")
    assert main(["report"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "newsbot report: no run manifests (*.manifest.json) found in output"
    assert not Path("report.html").exists()


def test_without_plotly_the_command_says_what_to_install(monkeypatch, capsys):
    import newsbot.report

    real = newsbot.report.importlib.util.find_spec
    monkeypatch.setattr(
        newsbot.report.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "plotly" else real(name, *a),
    )
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'newsbot[report]'" in err


def _old_manifest(run_id: str, written: int, files: list[str]) -> dict[str, Any]:
    """A manifest as newsbot wrote them before they carried the records' figures."""
    return {
        "run_id": run_id,
        "source": "old-site",
        "spider": "site",
        "started": "2025-03-14T08:00:00.000+00:00",
        "finished": "2025-03-14T08:01:00.000+00:00",
        "duration_s": 60.0,
        "finish_reason": "finished",
        "counts": {
            "fetched": 9,
            "written": written,
            "new": written,
            "updated": 0,
            "unchanged": 0,
            "skipped": 0,
            "not_modified": 0,
            "dropped": {"too_short": 1},
            "errors": 2,
        },
        "output_files": files,
        "health": {"ok": True, "problems": [], "metrics": {}, "baseline": {}},
        "exit_status": 0,
    }


def test_older_manifests_get_the_records_figures_from_the_record_files(tmp_path):
    folder = tmp_path / "output" / "old-site"
    folder.mkdir(parents=True)
    records = [
        {"word_count": 100, "published": "2025-03-14", "authors": ["A"], "removed": {"promo": 2}},
        {"word_count": 300, "published": None, "authors": [], "removed": {"related": 1}},
        {"word_count": 250, "published": "2025-03-13", "authors": [], "removed": {}},
    ]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    (folder / "20250314T080000Z.jsonl").write_text(lines, encoding="utf-8")
    # The crawl ran elsewhere: the file name in the manifest no longer resolves as is.
    manifest = _old_manifest("20250314T080000Z", 3, ["/gone/20250314T080000Z.jsonl"])
    (folder / "20250314T080000Z.manifest.json").write_text(json.dumps(manifest))
    (folder / "broken.manifest.json").write_text("{not json", encoding="utf-8")

    sources, warnings = load_sources([tmp_path / "output"])
    (run,) = sources[0].runs
    assert (run.median_word_count, run.without_date, run.without_author) == (250, 1, 2)
    assert run.removed == {"promo": 2, "related": 1}
    assert run.errors_by_kind == {"other": 2}
    assert len(warnings) == 1 and "broken.manifest.json: skipped" in warnings[0]


# --- end to end: crawls, the command, the page in Chromium ---------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Three runs of two sources in one folder, and the report of them."""
    workdir = tmp_path_factory.mktemp("report")
    env = crawl_env()
    # One port for both demo runs: the same URLs, so the second skips what the first wrote.
    port = str(_free_port())
    for _ in range(2):
        demo = subprocess.run(
            [sys.executable, "-m", "newsbot", "demo", "--port", port],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert demo.returncode == 0, demo.stderr[-3000:]

    root = workdir / "site-root"
    root.mkdir()
    with DemoServer(root=root) as server:
        site = NewsSite(server)
        for number in (1, 2, 3):
            site.add(number)
        site.add(4, article_html("A brief", ["Only a line of text here."]))
        site.add(5)
        server.hide_page(site.path(5))  # listed on the index, answers 404
        run = run_crawl(workdir, crawl_argv(server.url))
    assert run.manifest is not None, run.stderr[-3000:]

    report = subprocess.run(
        [sys.executable, "-m", "newsbot", "report", "-o", "report.html"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    manifests: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((workdir / "output").rglob("*.manifest.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        manifests.setdefault(data["source"], []).append(data)
    for runs in manifests.values():
        runs.sort(key=lambda m: m["started"])
    return workdir, report, manifests


@pytest.mark.slow
def test_the_runs_give_a_report_of_both_sources(crawled):
    workdir, report, manifests = crawled
    assert report.returncode == 0, report.stderr[-3000:]
    assert report.stdout.startswith("report: report.html (2 source(s), 3 run(s), ")
    assert report.stderr == ""
    assert sorted(manifests) == ["demo", "site"]
    first, second = manifests["demo"]
    assert first["counts"]["written"] == 8 and second["counts"]["written"] == 0
    assert second["counts"]["skipped"] == 8
    (site,) = manifests["site"]
    assert site["counts"]["dropped"] == {"too_short": 1}
    assert site["counts"]["errors_by_kind"] == {"http_error": 1}
    assert any("404" in line for line in site["error_lines"])


_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


@pytest.mark.slow
def test_the_page_loads_nothing_from_another_file_or_host(crawled):
    workdir, _, _ = crawled
    html = (workdir / "report.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("src", "srcset", "data", "poster", "background"):
            value = element.get(attribute)
            assert value is None or value.startswith("data:"), (element.tag, attribute, value)
        if element.tag == "link":
            pytest.fail(f"<link> element: {lxml.html.tostring(element)!r}")
        href = element.get("href")
        if href is not None:
            assert href.startswith("#"), f"<{element.tag} href={href!r}>"
    scripts = tree.findall(".//script")
    assert scripts and all(s.get("src") is None for s in scripts)
    for style in tree.findall(".//style"):
        css = style.text or ""
        assert "@import" not in css
        for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css):
            assert url.startswith("data:") or not _EXTERNAL.match(url), url


def _chromium() -> str:
    binary = find_chromium()
    if binary is None:
        reason = (
            "headless Chromium is not installed (Debian: apt-get install -y chromium; "
            "`make test` installs it when run as root)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + ": CI must install it (.ci/run)")
        pytest.skip(reason)
    return binary


# Everything the checks need, read from the page after its scripts ran.
_READ_PAGE = """
(() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const cells = (row) => Object.fromEntries(
    [...row.querySelectorAll('td[data-field]')].map(td => [td.dataset.field, td.textContent.trim()]));
  return {
    plots: plots.length,
    // A chart is drawn when plotly.js made its SVG with the traces (or, for a chart
    // with nothing to show, its note) in it.
    drawn: plots.filter(p => p.querySelector('svg.main-svg g.trace, svg.main-svg g.annotation'))
      .map(p => p.id),
    traced: plots.filter(p => p.querySelector('svg.main-svg g.trace path')).length,
    overview: Object.fromEntries([...document.querySelectorAll('table.overview tr[data-source]')]
      .map(row => [row.dataset.source, cells(row)])),
    runs: Object.fromEntries([...document.querySelectorAll('table.runs tr[data-run-id]')]
      .map(row => [row.dataset.runId, cells(row)])),
    sections: Object.fromEntries([...document.querySelectorAll('section.source')]
      .map(s => [s.dataset.source, s.id.replace('source-', 's')])),
    traces: Object.fromEntries(plots.map(p => [p.id,
      Object.fromEntries(p.data.map(t => [t.name || '', Array.from(t.y)]))])),
    errors: [...document.querySelectorAll('pre.errors')].map(e => e.textContent),
  };
})()
"""


@pytest.fixture(scope="module")
def shown(crawled, tmp_path_factory):
    """What Chromium loaded and showed of the report."""
    binary = _chromium()
    workdir, report, _ = crawled
    assert report.returncode == 0, report.stderr[-3000:]
    profile = tmp_path_factory.mktemp("chromium")
    with Chromium(binary, profile) as browser:
        load = browser.open((workdir / "report.html").as_uri())
        page = browser.evaluate(_READ_PAGE)
        load = browser.page_load()  # and anything logged while the page was read
    return load, page


@pytest.mark.slow
def test_in_chromium_every_chart_is_drawn(shown):
    _, page = shown
    # Per source: six charts and the overview's trend line.
    assert page["plots"] == 2 * 7
    assert len(page["drawn"]) == page["plots"] >= 3
    assert page["traced"] >= 3


@pytest.mark.slow
def test_in_chromium_nothing_is_fetched_from_the_network(shown, crawled):
    load, _ = shown
    workdir, _, _ = crawled
    assert load.requests == [(workdir / "report.html").as_uri()]
    assert load.failed == []


@pytest.mark.slow
def test_in_chromium_the_console_shows_no_error(shown):
    load, _ = shown
    assert load.console_errors == []


def _number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.mark.slow
def test_the_numbers_shown_are_the_manifests_counts(shown, crawled):
    _, page = shown
    _, _, manifests = crawled
    for source, runs in manifests.items():
        row = page["overview"][source]
        last = runs[-1]
        assert _number(row["last_written"]) == last["counts"]["written"]
        assert _number(row["total_written"]) == sum(m["counts"]["written"] for m in runs)
        assert _number(row["runs"]) == len(runs)
        assert _number(row["exit_status"]) == last["exit_status"]
        assert row["last_run"].startswith(last["run_id"])
        assert row["verdict"] == "healthy"

        for manifest in runs:
            cells = page["runs"][manifest["run_id"]]
            counts = manifest["counts"]
            for field in ("fetched", "written", "new", "updated", "skipped", "not_modified"):
                assert _number(cells[field]) == counts[field], (source, field)
            assert _number(cells["errors"]) == counts["errors"]
            assert _number(cells["dropped"]) == sum(counts["dropped"].values())
            assert _number(cells["exit_status"]) == manifest["exit_status"]

        # The charts plot the same figures, run by run.
        prefix = page["sections"][source]
        traces = {
            name[len(prefix) + 1 :]: t
            for name, t in page["traces"].items()
            if name.startswith(prefix + "-")
        }
        assert traces["written"]["new"] == [m["counts"]["new"] for m in runs]
        assert traces["pages"]["fetched"] == [m["counts"]["fetched"] for m in runs]
        assert traces["pages"]["skipped (done before)"] == [m["counts"]["skipped"] for m in runs]
        for reason in {r for m in runs for r in m["counts"]["dropped"]}:
            assert traces["problems"][f"dropped: {reason}"] == [
                m["counts"]["dropped"].get(reason, 0) for m in runs
            ]
        for kind in {k for m in runs for k in m["counts"]["removed"]}:
            assert traces["removed"][kind] == [m["counts"]["removed"].get(kind, 0) for m in runs]
        assert traces["words"]["median word_count"] == [
            m["records"]["median_word_count"] for m in runs
        ]

    site_traces = page["traces"][page["sections"]["site"] + "-problems"]
    assert site_traces["error: http_error"] == [1]
    assert site_traces["dropped: too_short"] == [1]
    (errors,) = page["errors"]
    assert errors.splitlines() == manifests["site"][0]["error_lines"]
    assert "answered HTTP 404" in errors


@pytest.mark.slow
def test_the_browser_checks_catch_a_fetch_and_a_console_error(tmp_path):
    """The harness itself: a page that loads a script from a host and logs an error
    is caught on both counts (and, the network being blocked, gets nothing)."""
    binary = _chromium()
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><script src="https://cdn.example.com/lib.js"></script>'
        '</head><body><script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    profile = tmp_path / "profile"
    profile.mkdir()
    with Chromium(binary, profile) as browser:
        load = browser.open(page.as_uri())
    assert "https://cdn.example.com/lib.js" in load.requests
    assert any("ERR_PROXY_CONNECTION_FAILED" in f for f in load.failed)
    assert "console: boom" in load.console_errors


@pytest.mark.slow
def test_two_sources_in_one_crawl_each_count_only_their_own_errors(tmp_path):
    """Scrapy's log_count/ERROR counts every crawl's lines in a process running
    several: the manifest counts (and keeps) the run's own."""
    root = tmp_path / "site-root"
    root.mkdir()
    with DemoServer(root=root) as server:
        site = NewsSite(server)
        for number in (1, 2):
            site.add(number)
        site.add(3)
        server.hide_page(site.path(3))
        sources = tmp_path / "sources.toml"
        sources.write_text(
            "".join(
                f'[[source]]\nname = "{name}"\nkind = "site"\nurls = ["{server.url}/"]\n'
                "allow_private = true\n\n"
                for name in ("first", "second")
            ),
            encoding="utf-8",
        )
        crawl = subprocess.run(
            [sys.executable, "-m", "newsbot", "crawl", "--sources", str(sources)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            env=dict(crawl_env(), NEWSBOT_WORKERS="-1"),
        )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    for name in ("first", "second"):
        (path,) = (tmp_path / "output" / name).glob("*.manifest.json")
        manifest = json.loads(path.read_text(encoding="utf-8"))
        assert manifest["counts"]["written"] == 2
        assert manifest["counts"]["errors"] == 1, manifest["error_lines"]
        assert manifest["counts"]["errors_by_kind"] == {"http_error": 1}
        (line,) = manifest["error_lines"]
        assert f"{site.path(3)} answered HTTP 404" in line
