"""``scrapy crawl``, checking what it was given before it starts."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newsbot.cli.options import check_typed_settings, feeds_from_cli, spider_class
from newsbot.sources import SourcesError


class Command(ScrapyCrawlCommand):
    """Scrapy's ``crawl``, plus: an unknown spider, a spider argument it does not take
    or cannot read, a typed setting that does not parse, or an output of no known
    format is one line (``scrapy crawl: error: ...``, exit status 2), not a traceback
    mid-crawl; ``-o``/``-O FILE.jsonl.gz`` writes gzip through Scrapy's feed
    post-processing."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        append, overwrite = opts.output or [], opts.overwrite_output or []
        opts.output = opts.overwrite_output = None
        super().process_options(args, opts)
        assert self.settings is not None
        check_typed_settings(self.settings, [s.partition("=")[0] for s in opts.set])
        if append or overwrite:
            self.settings.set(
                "FEEDS", feeds_from_cli(self.settings, append, overwrite), priority="cmdline"
            )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1:
            from newsbot.spiders.base import NewsSpider, plan_from_arguments

            assert self.settings is not None
            spidercls = spider_class(self.settings, args[0])
            if issubclass(spidercls, NewsSpider):
                try:
                    plan_from_arguments(
                        spidercls, opts.spargs, self.settings.get("NEWSBOT_SOURCES")
                    )
                except SourcesError as exc:
                    raise UsageError(str(exc), print_help=False) from None
        super().run(args, opts)
