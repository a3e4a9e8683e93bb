"""The README's part of issue #15: the Python API section's code runs as printed (point
8), and the README shows what the issue's "Done when" asks it to show."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SITE = ROOT / "newsbot" / "demo" / "site"
EXPECTED = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
ARTICLE = "/politics/chancellor-pothole-fund-runs-dry-29481.html"


def section(heading: str) -> str:
    start = README.index(f"\n{heading}\n")
    end = README.find("\n## ", start + len(heading) + 2)
    return README[start : end if end > 0 else None]


@pytest.mark.slow
def test_the_python_api_example_runs_on_a_saved_page_as_printed(tmp_path):
    (code,) = re.findall(r"```python\n(.*?)```", section("## From Python: `extract_article`"), re.S)
    (tmp_path / "page.html").write_bytes((SITE / ARTICLE.lstrip("/")).read_bytes())
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    expected = EXPECTED["articles"][ARTICLE]
    first_line, *body = ran.stdout.splitlines()
    assert first_line.startswith(expected["title"])
    assert expected["paragraphs"][0] in body
    assert expected["paragraphs"][-1] in body


def test_the_readme_shows_gzip_output_crawl_state_why_and_the_python_api():
    crawling = section("## Crawling real sites")
    assert "-O today.jsonl.gz" in crawling
    assert "**Crawl state belongs to named sources.**" in crawling
    assert "-a state=1" in crawling
    why = section("### Why a page gave no record")
    assert "--why" in why and "NEWSBOT_WHY_ENABLED=1" in why
    assert "from newsbot.extraction import" in section("## From Python: `extract_article`")
