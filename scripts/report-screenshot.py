"""Make docs/report.png: real crawls of the demo site, `newsbot report`, a screenshot.

    .venv/bin/python scripts/report-screenshot.py [--keep DIR]

The demo site is served on 127.0.0.1 and crawled as two sources (the whole site, and
its RSS feed), with the site changing between runs as real sites do: a second run that
finds nothing new, a run after two articles went missing (404s), runs with the crawl
state off (every article written again), a run of the feed cut short. Then
`newsbot report` writes the page and headless Chromium (Debian: apt-get install
chromium) takes the screenshot. Nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsbot.demo.server import DemoServer  # noqa: E402

SOURCES = """
[[source]]
name = "demo-site"
kind = "site"
urls = ["{base}/"]
max_pages = 200
max_depth = 3
allow_private = true

[[source]]
name = "demo-feed"
kind = "feed"
urls = ["{base}/feed.xml"]
allow_private = true
"""

# (what the run shows, sources crawled, extra -s settings, pages answering 404)
BOTH = ["demo-site", "demo-feed"]
OFF = "NEWSBOT_STATE_ENABLED=0"
RUNS: list[tuple[str, list[str], list[str], list[str]]] = [
    ("first run", BOTH, [], []),
    ("nothing new", BOTH, [], []),
    ("state off, two articles gone", BOTH, [OFF], ["world", "tech"]),
    ("state off", BOTH, [OFF], []),
    ("feed cut short", ["demo-feed"], [OFF, "CLOSESPIDER_PAGECOUNT=3"], []),
    ("state off", ["demo-site"], [OFF], []),
]


def article_paths(server: DemoServer) -> dict[str, str]:
    """One article path per section, from the demo site's answer key."""
    paths: dict[str, str] = {}
    for path in sorted(server.expected()["articles"]):
        paths.setdefault(path.strip("/").split("/")[0], path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--keep", type=Path, help="keep the crawl folder here")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("needs headless Chromium: apt-get install -y chromium", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="newsbot-report-"))
    newsbot = [sys.executable, "-m", "newsbot"]
    try:
        with DemoServer() as server:
            sources = workdir / "sources.toml"
            sources.write_text(SOURCES.format(base=server.url), encoding="utf-8")
            by_section = article_paths(server)
            for what, names, settings, gone in RUNS:
                hidden = [by_section[s] for s in gone if s in by_section]
                for path in hidden:
                    server.hide_page(path)
                argv = [*newsbot, "crawl", *names, "--sources", str(sources), "-L", "INFO"]
                for setting in ["NEWSBOT_PROGRESS_ENABLED=0", *settings]:
                    argv += ["-s", setting]
                run = subprocess.run(argv, cwd=workdir, capture_output=True, text=True)
                print(f"run ({what}): exit {run.returncode}", file=sys.stderr)
                for path in hidden:
                    server.remove_page(path)
        report = workdir / "report.html"
        subprocess.run([*newsbot, "report", "-o", str(report)], cwd=workdir, check=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,1900",
                "--virtual-time-budget=10000",
                # Nothing to fetch: block the network all the same.
                "--proxy-server=http://127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--screenshot={args.out}",
                report.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
        print(f"screenshot: {args.out}")
    finally:
        if args.keep:
            shutil.copytree(workdir, args.keep, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
