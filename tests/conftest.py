"""Shared fixtures. Test sites are served on 127.0.0.1 only: no network in tests."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# In CI the fuzz tests replay the same examples on every run (a failure there is then
# reproducible, and a landing does not hinge on a lucky draw); elsewhere they explore.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Scrapy finds the project settings through this, wherever pytest runs from.
os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Each test runs in its own folder, so output/ and .newsbot/ never leak."""
    monkeypatch.chdir(tmp_path)
    yield
