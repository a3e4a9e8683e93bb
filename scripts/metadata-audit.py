"""Print newsbot's metadata beside what each page shows, to judge it by eye.

    .venv/bin/python scripts/metadata-audit.py DATA_FOLDER [--only ID ...] [--json OUT]
    .venv/bin/python scripts/metadata-audit.py DATA_FOLDER --time

DATA_FOLDER is an article-extraction-benchmark folder (``ground-truth.json`` +
``html/``) or a trafilatura-corpus folder (``evaldata.json`` + ``html/``). For every
page it prints newsbot's title, authors, published and modified dates (the record's,
from ``extract_article``) and, beside them, the evidence a reader would use: the
page's h1 elements, the text of its byline element, its visible dates (``<time>`` and
date-classed elements), and the raw sources (JSON-LD headline, author and dates,
og:title, ``<title>``, meta author). Nothing is scored: the page's own data sets give
no metadata, so a person is the judge. ``--json`` writes newsbot's fields per page so
two runs (before and after a change) can be compared; ``--time`` prints the cost of
``extract_metadata`` alone per page.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsbot.evaluate import load_pages, load_snippet_pages  # noqa: E402
from newsbot.extraction import decode_html, extract_article  # noqa: E402
from newsbot.extraction.api import _parse  # noqa: E402
from newsbot.extraction.metadata import (  # noqa: E402
    ARTICLE_TYPES,
    _find_byline_element,
    _first_text,
    _jsonld_objects,
    _meta_tags,
    _types,
    extract_metadata,
)

_DATE_CLASS = re.compile(r"date|time|publish|posted|dateline", re.IGNORECASE)


def _short(value: Any, limit: int = 150) -> str:
    text = " ".join(str(value).split()) if value is not None else "-"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def evidence(tree: Any) -> dict[str, Any]:
    """What the page shows and what its markup says, unprocessed."""
    objects = _jsonld_objects(tree)
    article = next((o for o in objects if _types(o) & ARTICLE_TYPES), {})
    tags = _meta_tags(tree)
    title_el = tree.find(".//title")
    byline = _find_byline_element(tree)
    dates: list[str] = []
    for element in tree.iter("time"):
        dates.append(f"<time {element.get('datetime') or ''}> {_text(element)}")
    for element in tree.iter("span", "div", "p", "li"):
        if len(dates) >= 4:
            break
        cls = (element.get("class") or "") + " " + (element.get("id") or "")
        if _DATE_CLASS.search(cls):
            text = _text(element)
            if text and len(text) < 80 and any(ch.isdigit() for ch in text):
                dates.append(f"[{cls.strip()[:30]}] {text}")
    return {
        "h1": [_text(h) for h in tree.iter("h1")][:3],
        "byline": _text(byline) if byline is not None else None,
        "visible_dates": list(dict.fromkeys(dates))[:4],
        "ld_headline": _first_text(article.get("headline")),
        "ld_author": json.dumps(article.get("author"), ensure_ascii=False)
        if article.get("author")
        else None,
        "ld_dates": (article.get("datePublished"), article.get("dateModified")),
        "og_title": (tags.get("og:title") or [None])[0],
        "page_title": _text(title_el) if title_el is not None else None,
        "meta_author": [v for k in ("author", "article:author") for v in tags.get(k, ())],
        "meta_dates": (
            (tags.get("article:published_time") or [None])[0],
            (tags.get("article:modified_time") or [None])[0],
        ),
    }


def pages(folder: Path) -> Any:
    if (folder / "ground-truth.json").is_file():
        return load_pages(folder)
    return load_snippet_pages(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="*", help="page ids (prefixes) to show")
    parser.add_argument("--json", type=Path, help="write newsbot's fields per page here")
    parser.add_argument("--time", action="store_true", help="time extract_metadata only")
    args = parser.parse_args()

    records: dict[str, Any] = {}
    timings: list[float] = []
    for page in pages(args.folder):
        if args.only and not any(page.page_id.startswith(p) for p in args.only):
            continue
        text_html = decode_html(page.html)
        tree = _parse(text_html)
        if tree is None:
            continue
        if args.time:
            start = time.perf_counter()
            extract_metadata(tree, page.url)
            timings.append(time.perf_counter() - start)
            continue
        record = extract_article(page.html, page.url)
        fields = {
            "url": page.url,
            "title": record.title,
            "authors": record.authors,
            "published": record.published,
            "modified": record.modified,
        }
        records[page.page_id] = fields
        seen = evidence(tree)
        print(f"== {page.page_id[:16]}  {page.url or ''}")
        print(f"  T newsbot  {_short(record.title)}")
        for h1 in seen["h1"]:
            print(f"    h1       {_short(h1)}")
        print(f"    ld/og    {_short(seen['ld_headline'])}  ||  {_short(seen['og_title'])}")
        print(f"    <title>  {_short(seen['page_title'])}")
        print(f"  A newsbot  {record.authors}")
        print(f"    byline   {_short(seen['byline'])}")
        print(f"    ld       {_short(seen['ld_author'], 200)}")
        print(f"    meta     {_short(seen['meta_author'])}")
        print(f"  D newsbot  {record.published}  (modified {record.modified})")
        print(f"    ld/meta  {seen['ld_dates']}  {seen['meta_dates']}")
        for shown in seen["visible_dates"]:
            print(f"    visible  {_short(shown)}")
    if args.time:
        timings.sort()
        print(
            f"{len(timings)} pages: extract_metadata mean {statistics.mean(timings) * 1000:.2f} ms,"
            f" median {statistics.median(timings) * 1000:.2f} ms,"
            f" p90 {timings[int(len(timings) * 0.9)] * 1000:.2f} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
