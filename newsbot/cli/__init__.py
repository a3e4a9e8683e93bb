"""The ``newsbot`` command: a thin layer over the project's components.

Each subcommand lives in its own module of this package, exposing
``add_parser(subparsers)`` (which registers the subcommand and its ``--help``) and
``run(args) -> int`` (the exit status).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from newsbot import __version__

# Subcommands in the order --help lists them. A module missing from an installation
# (none should be) is skipped rather than breaking every other subcommand.
SUBCOMMANDS = (
    "crawl",
    "extract",
    "demo",
    "eval",
    "bench",
    "schedule",
    "export",
    "report",
    "templates",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Crawl news sites into clean JSON article records.",
    )
    parser.add_argument("--version", action="version", version=f"newsbot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        module_name = f"newsbot.cli.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        sub = module.add_parser(subparsers)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if words[:1] == ["crawl"] and not {"-h", "--help"} & set(words):
        # Before the subcommands' modules (and Scrapy with them) are imported: the
        # extraction workers' server imports and warms up on the other core meanwhile.
        from newsbot.pool.forkserver import prestart_for_crawl

        prestart_for_crawl(words)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``newsbot extract ... | head``): not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
