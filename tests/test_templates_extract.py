"""``newsbot extract`` learns a site's template offline (issue #18): over a folder of
saved pages of one site, and over a WARC file holding two sites, every record is free
of the lines most of its site's pages carry, and real text stays."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from template_site import FORMULA, FORMULA_ARTICLES, LEAD, TEMPLATE_LINES, page, story
from warc_helpers import Exchange, write_warc

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow


def extract(*args: str, cwd) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "newsbot", "extract", *args, "--workers", "1"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def carries_template(text: str) -> bool:
    return any(line in text for line in TEMPLATE_LINES) or LEAD in text


def test_a_folder_of_one_sites_pages_is_written_without_its_template(tmp_path):
    folder = tmp_path / "ledger"
    folder.mkdir()
    for number in range(1, 13):
        (folder / f"{number:03d}.html").write_text(page(number), encoding="utf-8")
    records = extract(str(folder), cwd=tmp_path)
    assert len(records) == 12
    for number, record in enumerate(records, start=1):
        assert not carries_template(record["text"]), number
        assert record["removed"]["template"] == 4
        assert all(p in record["text"].split("\n\n") for p in story(number))
        assert (FORMULA in record["text"]) == (number in FORMULA_ARTICLES)
    # The switch, and the proof that only the learning removes them.
    kept = extract(str(folder), "--no-templates", cwd=tmp_path)
    assert all(carries_template(r["text"]) for r in kept)


def test_a_warc_file_learns_each_site_apart(tmp_path):
    exchanges = [
        Exchange(url=f"https://www.ledger.example/news/{n:03d}.html", body=page(n).encode())
        for n in range(1, 9)
    ]

    # A second site, two of whose six pages carry one of the Ledger's lines: on that
    # site it is no template, and must stay.
    def other(n: int) -> bytes:
        html = page(n, template=False).replace("Gullhaven Ledger", "Other Post")
        if n < 22:
            html = html.replace("</article>", f"<p>{TEMPLATE_LINES[0]}</p></article>")
        return html.encode()

    exchanges += [
        Exchange(url=f"https://other.example/story/{n}.html", body=other(n)) for n in range(20, 26)
    ]
    write_warc(tmp_path / "crawl.warc.gz", exchanges)
    records = extract(str(tmp_path / "crawl.warc.gz"), cwd=tmp_path)
    ledger = [r for r in records if "ledger.example" in r["url"]]
    other = [r for r in records if "other.example" in r["url"]]
    assert len(ledger) == 8 and len(other) == 6
    assert not any(carries_template(r["text"]) for r in ledger)
    assert all("template" not in r["removed"] for r in other)
    assert sum(TEMPLATE_LINES[0] in r["text"] for r in other) == 2


def test_templates_of_an_unknown_source_is_one_line_and_status_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "newsbot", "templates", "no-such-source"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no crawl state for source 'no-such-source'" in lines[0]
    assert result.stdout == ""
