"""``scrapy settings``, showing the User-Agent a crawl actually sends."""

from __future__ import annotations

import argparse

from scrapy.commands.settings import Command as ScrapySettingsCommand

from newsbot.middlewares.useragent import effective_user_agent


class Command(ScrapySettingsCommand):
    """Scrapy's ``settings``; ``--get USER_AGENT`` prints the User-Agent newsbot's
    middleware sends, which ``-s NEWSBOT_CONTACT=...`` changes too."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if opts.get == "USER_AGENT":
            print(effective_user_agent(self.settings))
            return
        super().run(args, opts)
