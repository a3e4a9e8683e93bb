"""The dataset card (README.md) written beside the shards, from the manifest."""

from __future__ import annotations

from typing import Any

SCHEMA_FILE = "article.schema.json"


def _table(counts: dict[str, int], heading: str) -> list[str]:
    if not counts:
        return ["(none)", ""]
    lines = [f"| {heading} | records |", "| --- | ---: |"]
    lines += [f"| {key} | {value:,} |" for key, value in counts.items()]
    return [*lines, ""]


def render_card(manifest: dict[str, Any], schema: dict[str, Any]) -> str:
    """A Markdown dataset card. The YAML front matter names the data files, so the
    Hugging Face hub and ``datasets`` find the shards without further configuration."""
    pattern = "data-*.parquet" if manifest["format"] == "parquet" else "data-*.jsonl.gz"
    counts = manifest["counts"]
    removed = manifest["removed"]
    options = manifest["options"]
    lines = [
        "---",
        "configs:",
        "- config_name: default",
        f'  data_files: "{pattern}"',
        "---",
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
        "Loading:",
        "",
        "```python",
        "import datasets, pandas",
        f'ds = datasets.load_dataset("{"parquet" if manifest["format"] == "parquet" else "json"}",'
        f' data_files="OUT_DIR/{pattern}", split="train")',
        (
            'df = pandas.read_parquet("OUT_DIR/data-00000.parquet")'
            if manifest["format"] == "parquet"
            else 'df = pandas.read_json("OUT_DIR/data-00000.jsonl.gz", lines=True, compression="gzip")'
        ),
        "```",
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
