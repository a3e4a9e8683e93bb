"""Crawl state: what each source remembers between runs (URLs done, run history). See :mod:`newsbot.state.store` for the interface."""

from __future__ import annotations

from newsbot.state.store import RunRecord, StateStore, UrlState, open_store

__all__ = ["RunRecord", "StateStore", "UrlState", "open_store"]
