"""Site templates for ``newsbot extract``: offline, the records of a run are spooled to
a temporary file, then read twice: once to learn each site's template from all of
them, once to write them without it. So the first page of a folder is as clean as the
last, at the price of no output before the end."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from typing import IO, Any

from newsbot.extraction.site_templates import KIND, TemplateRules, site_of, split_blocks
from newsbot.extraction.words import count_words
from newsbot.state.template_memory import SqliteTemplateMemory, observe, strip_template


def spool() -> IO[str]:
    """The temporary file the records go to first (deleted when closed)."""
    return tempfile.TemporaryFile("w+", encoding="utf-8")


def _site(record: dict[str, Any]) -> str:
    return site_of(record.get("canonical_url") or record.get("url"))


def write_without_templates(
    records: IO[str],
    write: Callable[[dict[str, Any]], None],
    rules: TemplateRules | None = None,
) -> int:
    """Learn from the JSON Lines records in *records*, then pass each to *write* with
    its site's template lines removed. Returns how many lines were removed."""
    rules = rules or TemplateRules()
    memory = SqliteTemplateMemory()
    removed = 0
    try:
        records.seek(0)
        now = time.time()
        for line in records:
            record = json.loads(line)
            if record.get("text"):
                observe(memory, _site(record), split_blocks(record["text"]), rules, now)
        records.seek(0)
        for line in records:
            record = json.loads(line)
            text = record.get("text")
            if text:
                result = strip_template(memory, _site(record), text, split_blocks(text), rules)
                if result.removed and result.text:
                    record["text"] = result.text
                    record["word_count"] = count_words(result.text)
                    counts = dict(record.get("removed") or {})
                    counts[KIND] = counts.get(KIND, 0) + result.removed
                    record["removed"] = counts
                    removed += result.removed
            write(record)
    finally:
        memory.close()
    return removed
