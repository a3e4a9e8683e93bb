"""A User-Agent that names newsbot and how to reach its operator."""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler

from newsbot import __version__


class NewsbotUserAgentMiddleware:
    """Sets ``User-Agent: newsbot/VERSION (+CONTACT)`` unless ``USER_AGENT`` is set.
    Sites block anonymous bots; a contact lets them reach you instead. Set
    ``NEWSBOT_CONTACT`` to your e-mail address or a URL about your crawl."""

    def __init__(self, user_agent: str):
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NewsbotUserAgentMiddleware:
        settings = crawler.settings
        # Scrapy's own default User-Agent sits at "default" priority; any value set by
        # the project or the user is higher and wins.
        explicit = settings.get("USER_AGENT") if settings.getpriority("USER_AGENT") else None
        contact = settings.get("NEWSBOT_CONTACT")
        return cls(explicit or f"newsbot/{__version__} (+{contact})")

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        request.headers.setdefault(b"User-Agent", self.user_agent)
        return None
