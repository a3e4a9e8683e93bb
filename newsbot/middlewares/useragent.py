"""A User-Agent that names newsbot and how to reach its operator."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot import __version__
from newsbot.defaults import CONTACT_PLACEHOLDER

logger = logging.getLogger(__name__)


def user_agent_for(contact: str) -> str:
    """newsbot's User-Agent with *contact* in it."""
    return f"newsbot/{__version__} (+{contact})"


def effective_user_agent(settings: BaseSettings) -> str:
    """The User-Agent a crawl with these settings sends.

    ``USER_AGENT`` when it was set at least as firmly as ``NEWSBOT_CONTACT`` (the
    settings module sets both; ``-s USER_AGENT=...`` wins); else one built from the
    contact, so ``-s NEWSBOT_CONTACT=me@example.org`` alone is enough."""
    contact = str(settings.get("NEWSBOT_CONTACT") or CONTACT_PLACEHOLDER)
    agent = settings.get("USER_AGENT")
    agent_priority = settings.getpriority("USER_AGENT") or 0
    contact_priority = settings.getpriority("NEWSBOT_CONTACT") or 0
    if agent and agent_priority > 0 and agent_priority >= contact_priority:
        return str(agent)
    return user_agent_for(contact)


def is_public_host(host: str) -> bool:
    """Whether *host* names a machine of the public internet, judged from the name
    alone (no look-up): not localhost, not a private or loopback address."""
    host = host.lower().rstrip(".")
    if not host or host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return True


class NewsbotUserAgentMiddleware:
    """Sets the User-Agent of every request: ``newsbot/VERSION (+CONTACT)`` unless
    ``USER_AGENT`` says otherwise (see :func:`effective_user_agent`; ``scrapy settings
    --get USER_AGENT`` shows the same). Sites block anonymous bots; a contact lets them
    reach you instead. Set ``NEWSBOT_CONTACT`` to your e-mail address or a URL about
    your crawl: until then, the first request to a public host logs a warning."""

    def __init__(self, user_agent: str, placeholder: bool):
        self.user_agent = user_agent
        self.warn = placeholder

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NewsbotUserAgentMiddleware:
        agent = effective_user_agent(crawler.settings)
        return cls(agent, CONTACT_PLACEHOLDER in agent)

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        if self.warn and is_public_host(urlsplit(request.url).hostname or ""):
            self.warn = False
            logger.warning(
                "NEWSBOT_CONTACT is not set: %s and every site after it see the "
                "User-Agent %r; set it to your e-mail or a URL about your crawl "
                "(-s NEWSBOT_CONTACT=you@example.org, or in settings.py) so that site "
                "owners can reach you instead of blocking the crawler",
                urlsplit(request.url).hostname,
                self.user_agent,
            )
        request.headers.setdefault(b"User-Agent", self.user_agent)
        return None
