"""extract_article over the bundled demo site's articles, checked against the demo's
own expected.json (the paragraphs that must stay, the clutter that must go)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbot.extraction import extract_article

SITE = Path(__file__).resolve().parent.parent / "newsbot" / "demo" / "site"
EXPECTED = SITE / "expected.json"


def _articles() -> list[tuple[str, dict[str, Any]]]:
    if not EXPECTED.is_file():
        return []
    return sorted(json.loads(EXPECTED.read_text(encoding="utf-8"))["articles"].items())


def _page(path: str) -> Path:
    relative = path.lstrip("/")
    candidates = [SITE / relative, SITE / relative / "index.html", SITE / f"{relative}.html"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise AssertionError(f"demo page for {path} not found")


pytestmark = pytest.mark.skipif(not EXPECTED.is_file(), reason="demo site not built")


@pytest.mark.parametrize(("path", "expected"), _articles(), ids=[p for p, _ in _articles()])
def test_demo_article_is_clean(path: str, expected: dict[str, Any]) -> None:
    result = extract_article(_page(path).read_bytes(), f"http://127.0.0.1:8000{path}")
    assert result.error is None
    paragraphs = (result.text or "").split("\n\n")
    for paragraph in expected["paragraphs"]:
        assert paragraph in paragraphs, f"missing paragraph: {paragraph[:60]}"
    for line in expected["clutter"]:
        assert line not in (result.text or ""), f"clutter kept: {line}"
    assert result.is_article


@pytest.mark.parametrize(("path", "expected"), _articles(), ids=[p for p, _ in _articles()])
def test_demo_article_metadata(path: str, expected: dict[str, Any]) -> None:
    result = extract_article(_page(path).read_bytes(), f"http://127.0.0.1:8000{path}")
    assert result.title == expected["title"]
    assert result.authors == expected["authors"]
    assert result.published == expected["published"]
    assert result.modified == expected["modified"]
    assert result.language == expected["language"]
    assert result.site_name == expected["site_name"]
    assert result.section == expected["section"]
    assert result.tags == expected["tags"]
