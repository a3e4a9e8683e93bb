"""What a user types on a crawl's command line, checked before anything starts.

Shared by ``newsbot crawl`` and newsbot's ``scrapy crawl`` (:mod:`newsbot.commands`),
so that both refuse the same mistakes with the same one-line message: a typed setting
that does not parse, an output file of no known format, a spider that does not exist.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.misc import load_object

GZIP_PLUGIN = "scrapy.extensions.postprocessing.GzipPlugin"
_STDOUT = "stdout:"
# Records are JSON Lines unless the output says otherwise (stdout has no extension).
DEFAULT_FORMAT = "jsonlines"

# Scrapy's getbool reads a whole number, or one of these.
_BOOLEANS = {"true", "false", "True", "False"}


def parse_pairs(values: Iterable[str], what: str, *, strip: bool = False) -> dict[str, str]:
    """``NAME=VALUE`` arguments (``-s``, ``-a``, ``--cron``) as a dict, the name stripped
    (and the value too with *strip*); a :class:`~newsbot.sources.SourcesError` naming
    *what* for one without a name or an ``=``."""
    from newsbot.sources import SourcesError

    result = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip():
            raise SourcesError(f"{what} {value!r}: expected NAME=VALUE")
        result[name.strip()] = rest.strip() if strip else rest
    return result


def _defaults() -> dict[str, Any]:
    """Scrapy's defaults with newsbot's settings module over them: the types a value
    given on the command line must parse as."""
    from scrapy.settings import default_settings

    project = importlib.import_module(
        os.environ.get("SCRAPY_SETTINGS_MODULE") or "newsbot.settings"
    )
    values = {k: getattr(default_settings, k) for k in dir(default_settings) if k.isupper()}
    values.update({k: getattr(project, k) for k in dir(project) if k.isupper()})
    return values


def check_typed_settings(settings: BaseSettings, names: Iterable[str]) -> None:
    """Refuse a setting given as text (``-s NAME=VALUE``) that its setting's type cannot
    read, the way Scrapy would read it later (``getint``, ``getbool``...) deep inside a
    component, with a traceback. Raises :class:`UsageError` naming setting and value."""
    defaults = _defaults()
    for name in names:
        value = settings.get(name)
        default = defaults.get(name)
        if not isinstance(value, str) or default is None:
            continue
        problem = None
        if isinstance(default, bool):
            if not value.strip().lstrip("-").isdigit() and value not in _BOOLEANS:
                problem = "is not a yes/no value (1/0, true/false)"
        elif isinstance(default, int) and name.startswith("NEWSBOT_"):
            # newsbot reads each of its whole-number settings with getint.
            try:
                int(value)
            except ValueError:
                problem = "is not a whole number"
        elif isinstance(default, int | float):
            # Scrapy writes some number settings with a whole default
            # (DOWNLOAD_DELAY = 0) and reads them with getfloat.
            try:
                float(value)
            except ValueError:
                problem = "is not a number"
        elif isinstance(default, dict | BaseSettings):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                problem = 'is not a JSON object like {"name": 100}'
        if problem:
            raise UsageError(
                f"setting {name}: {value!r} {problem} (default: {default!r})", print_help=False
            )


def output_formats(settings: BaseSettings) -> list[str]:
    """The feed formats there are: Scrapy's and those FEED_EXPORTERS adds."""
    exporters = settings.getwithbase("FEED_EXPORTERS")
    return [name for name, path in exporters.items() if path is not None]


def feed_for(element: str, settings: BaseSettings) -> tuple[str, dict[str, Any]]:
    """The ``FEEDS`` entry of one ``-o``/``-O`` value: ``FILE.FORMAT``,
    ``FILE.FORMAT.gz`` (gzip-compressed by Scrapy's post-processing),
    ``FILE:FORMAT``, ``-`` or ``stdout:`` (JSON Lines on standard output),
    ``-:FORMAT`` or ``stdout:FORMAT``."""
    formats = output_formats(settings)
    uri, fmt = element, ""
    head, sep, tail = element.rpartition(":")
    if element in ("-", _STDOUT):
        uri, fmt = _STDOUT, DEFAULT_FORMAT
    elif sep and head in ("-", "stdout"):
        uri, fmt = _STDOUT, tail
    elif sep and tail in formats:
        uri, fmt = head, tail
    options: dict[str, Any] = {}
    if not fmt:
        path = Path(uri)
        if path.suffix == ".gz":
            options["postprocessing"] = [GZIP_PLUGIN]
            path = path.with_suffix("")
        fmt = path.suffix.removeprefix(".")
    if fmt not in formats:
        what = f"unknown output format {fmt!r}" if fmt else "no output format (no extension)"
        raise UsageError(
            f"{element}: {what}; formats: {', '.join(formats)} "
            "(as the file's extension, with .gz added to compress it, e.g. out.jsonl.gz, "
            "or after a colon: FILE:FORMAT)",
            print_help=False,
        )
    options["format"] = fmt
    return uri, options


def feeds_from_cli(
    settings: BaseSettings, append: list[str], overwrite: list[str]
) -> dict[str, dict[str, Any]]:
    """The ``FEEDS`` setting of ``-o`` (append) and ``-O`` (overwrite) values."""
    if append and overwrite:
        raise UsageError("give -o (append) or -O (overwrite), not both", print_help=False)
    feeds = {}
    for element in append or overwrite:
        uri, options = feed_for(element, settings)
        if overwrite:
            options["overwrite"] = True
        feeds[uri] = options
    # As in Scrapy: a FEEDS entry of the settings for the same URI wins.
    feeds.update(settings.getdict("FEEDS"))
    return feeds


def spider_class(settings: Settings, name: str) -> type[Any]:
    """The spider class called *name*, or a :class:`UsageError` listing the spiders."""
    loader = load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings.frozencopy())
    try:
        return loader.load(name)  # type: ignore[no-any-return]
    except KeyError:
        known = ", ".join(sorted(loader.list())) or "none"
        raise UsageError(f"no spider named {name!r} (spiders: {known})", print_help=False) from None
