"""Scrapy add-ons of newsbot: settings that depend on other settings."""

from __future__ import annotations

from scrapy.settings import Settings

DEFAULT_FEED = "%(output_dir)s/%(source_name)s/%(run_id)s.jsonl"


class DefaultOutput:
    """Write records to ``NEWSBOT_OUTPUT_DIR/<source>/<run id>.jsonl`` unless the run
    names its own output: ``-o``/``-O``, a ``FEEDS`` setting, or Scrapyd's ``items_dir``.
    (A ``FEEDS`` entry in the settings module would be *merged* with ``-O`` by Scrapy,
    writing every record twice; an add-on sees the final ``FEEDS`` and steps aside.)
    Off with ``NEWSBOT_DEFAULT_OUTPUT_ENABLED = False``."""

    def update_settings(self, settings: Settings) -> None:
        if not settings.getbool("NEWSBOT_DEFAULT_OUTPUT_ENABLED", True):
            return
        if settings.getdict("FEEDS"):
            return
        settings.set("FEEDS", {DEFAULT_FEED: {"format": "jsonlines"}}, priority="addon")
