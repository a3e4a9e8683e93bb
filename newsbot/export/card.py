"""The dataset card (README.md) written beside the shards, from the manifest."""

from __future__ import annotations

import re
from typing import Any

SCHEMA_FILE = "article.schema.json"

# The Hugging Face Hub's size categories (``size_categories`` in a card's metadata).
_SIZES: tuple[tuple[int, str], ...] = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
)


def size_category(records: int) -> str:
    for bound, name in _SIZES:
        if records < bound:
            return name
    return "100M<n<1B"


def pretty_name(sources: list[str]) -> str:
    if not sources:
        return "News articles"
    if len(sources) <= 3:
        return "News articles from " + ", ".join(sources)
    return f"News articles from {len(sources)} sources"


def _front_matter(manifest: dict[str, Any], pattern: str) -> list[str]:
    """The card's YAML metadata: what the Hub reads (files, languages, size, name).
    The articles belong to their publishers: ``license: other``, explained below."""
    # ISO 639-1 codes of the records' languages ("en" of "en-GB"; "unknown" left out).
    languages = sorted(
        {
            code.split("-")[0].lower()
            for code in manifest["by_language"]
            if re.fullmatch(r"[A-Za-z]{2}(-.*)?", code)
        }
    )
    lines = ["---", "pretty_name: " + _yaml(pretty_name(sorted(manifest["by_source"])))]
    if languages:
        lines += ["language:", *(f"- {code}" for code in languages)]
    lines += [
        "license: other",
        "size_categories:",
        f"- {size_category(manifest['counts']['records'])}",
        "configs:",
        "- config_name: default",
        f'  data_files: "{pattern}"',
        "---",
    ]
    return lines


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _range(span: dict[str, str] | None) -> str:
    if not span:
        return "unknown"
    return span["first"] if span["first"] == span["last"] else f"{span['first']} to {span['last']}"


def _table(counts: dict[str, int], heading: str) -> list[str]:
    if not counts:
        return ["(none)", ""]
    lines = [f"| {heading} | records |", "| --- | ---: |"]
    lines += [f"| {key} | {value:,} |" for key, value in counts.items()]
    return [*lines, ""]


def render_card(manifest: dict[str, Any], schema: dict[str, Any], location: str = ".") -> str:
    """A Markdown dataset card. The YAML front matter names the data files, so the
    Hugging Face hub and ``datasets`` find the shards without further configuration.
    *location* is the dataset folder as the user named it, for the loading code."""
    pattern = "data-*.parquet" if manifest["format"] == "parquet" else "data-*.jsonl.gz"
    counts = manifest["counts"]
    removed = manifest["removed"]
    options = manifest["options"]
    ranges = manifest.get("date_ranges") or {}
    undated = manifest["by_month"].get("unknown", 0)
    parquet = manifest["format"] == "parquet"
    files = f"{location.rstrip('/')}/{pattern}"
    lines = [
        *_front_matter(manifest, pattern),
        "",
        "# newsbot news article dataset",
        "",
        f"{counts['records']:,} news articles, cleaned, filtered and deduplicated by "
        f"newsbot {manifest['newsbot_version']} on {manifest['created_at']}.",
        "",
        "Made with:",
        "",
        "```",
        manifest["command"],
        "```",
        "",
        "## Files",
        "",
        f"- `{pattern}`: the records, "
        + (
            "Parquet (zstd)."
            if manifest["format"] == "parquet"
            else "gzip-compressed JSON Lines, one record per line."
        ),
        f"- `{SCHEMA_FILE}`: the JSON Schema of a record.",
        "- `manifest.json`: these figures, machine-readable, with each shard's size and SHA-256.",
        "",
        "Loading (from the folder where the export was run; on the Hugging Face Hub, "
        '`datasets.load_dataset("USER/NAME")` reads the files this card names):',
        "",
        "```python",
        "import datasets",
        "",
        f"ds = datasets.load_dataset({'parquet' if parquet else 'json'!r}, "
        f"data_files={files!r}, split='train')",
        "df = ds.to_pandas()  # or pandas, one shard at a time",
        "```",
        "",
        "## Dates",
        "",
        f"- Articles published: {_range(ranges.get('published'))}"
        + (f" ({undated:,} without a date)." if undated else "."),
        f"- Crawled: {_range(ranges.get('fetched'))}.",
        "",
        "## Use and copyright",
        "",
        "The articles were collected from the publishers' own sites (each record's `url` "
        "is the page it came from, `source` the crawl that fetched it). Their text, "
        "headlines and images belong to their publishers and authors; this dataset "
        "grants no licence to them, hence `license: other`. Before you publish it, share "
        "it or train on it, check that your use is allowed by the law where you are "
        "(text and data mining exceptions, fair use or fair dealing) and by the "
        "publishers' terms, and honour a publisher's request to remove its articles.",
        "",
        "## How it was made",
        "",
        f"- Input: {len(manifest['inputs'])} run file(s), {counts['input_lines']:,} lines; "
        f"{counts['invalid_lines']:,} unusable (invalid JSON or not a record).",
        f"- One record per canonical URL, the newest version kept: "
        f"{removed['dedup']['older_version']:,} older versions removed.",
    ]
    filters = removed["filters"]
    active = []
    if options["sources"]:
        active.append(f"source in {', '.join(options['sources'])}")
    if options["languages"]:
        active.append(f"language in {', '.join(options['languages'])}")
    if options["since"] or options["until"]:
        active.append(f"published from {options['since'] or '…'} to {options['until'] or '…'}")
    if options["min_words"]:
        active.append(f"at least {options['min_words']} words")
    lines.append(
        "- Filters: "
        + ("; ".join(active) if active else "none")
        + ". Removed: "
        + ", ".join(f"{reason.replace('_', ' ')} {count:,}" for reason, count in filters.items())
        + "."
    )
    lines.append(
        f"- Identical texts (whitespace normalised): {removed['dedup']['exact_text']:,} removed."
    )
    if options["near_duplicates"]:
        lines.append(
            f"- Near-duplicates (MinHash LSH over {options['shingle_words']}-word shingles, "
            f"{options['num_perm']} permutations, Jaccard >= {options['near_threshold']}): "
            f"{removed['dedup']['near_duplicate']:,} removed. Of each set of copies the earliest "
            "published is kept; `duplicates` lists the removed copies' canonical URLs."
        )
    else:
        lines.append("- Near-duplicate removal: off.")
    lines += [
        "",
        "## Contents",
        "",
        "### By source",
        "",
        *_table(manifest["by_source"], "source"),
        "### By language",
        "",
        *_table(manifest["by_language"], "language"),
        "### By month published",
        "",
        *_table(manifest["by_month"], "month"),
        "## Fields",
        "",
        "| field | description |",
        "| --- | --- |",
    ]
    for name, spec in schema.get("properties", {}).items():
        description = str(spec.get("description", "")).replace("|", "\\|")
        lines.append(f"| `{name}` | {description} |")
    lines.append("")
    return "\n".join(lines)
