"""newsbot: crawl news sites into clean JSON article records."""

from __future__ import annotations

__version__ = "0.1.0"
