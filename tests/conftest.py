"""Shared fixtures. Test sites are served on 127.0.0.1 only: no network in tests."""

from __future__ import annotations

import os

import pytest

# Scrapy finds the project settings through this, wherever pytest runs from.
os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Each test runs in its own folder, so output/ and .newsbot/ never leak."""
    monkeypatch.chdir(tmp_path)
    yield
