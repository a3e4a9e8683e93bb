"""Shared by the crawl-state, incremental, manifest, health, schedule and Scrapyd tests:
a small news site served by :class:`newsbot.demo.server.DemoServer`, and a runner for
real ``scrapy crawl`` subprocesses with the state components switched on.

(No tests here: pytest collects the module and finds none.)
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.utils.project import get_project_settings

from newsbot.demo.server import DemoServer

# The state components, as settings.py should list them (see docs/scheduling.md).
STATE_MIDDLEWARES = {"newsbot.middlewares.skip_done.SkipDoneMiddleware": 50}
STATE_PIPELINES = {"newsbot.pipelines.versions.VersionPipeline": 400}
STATE_EXTENSIONS = {
    "newsbot.extensions.crawl_state.CrawlState": 100,
    "newsbot.extensions.manifest.RunManifest": 200,
}

_VOCABULARY = (
    "council harbour bridge river market school budget festival railway hospital "
    "library ferry weather season farmers volunteers museum station tram garden "
    "residents mayor plans repairs opening funding inspectors report survey vote "
    "week morning evening crews traffic timetable builders neighbours visitors "
    "shops prices winter spring summer autumn north south east west village town"
)


def component_settings(extra_pipelines: dict[str, int] | None = None) -> dict[str, str]:
    """``-s`` settings that add the state components to the project's own (idempotent
    once settings.py lists them)."""
    project = get_project_settings()
    merged = {}
    for name, mine in (
        ("DOWNLOADER_MIDDLEWARES", STATE_MIDDLEWARES),
        ("ITEM_PIPELINES", {**STATE_PIPELINES, **(extra_pipelines or {})}),
        ("EXTENSIONS", STATE_EXTENSIONS),
    ):
        value = dict(project.getdict(name))
        value.update(mine)
        merged[name] = json.dumps(value)
    return merged


def paragraphs(seed: int, count: int = 4) -> list[str]:
    """Distinct, deterministic prose for article *seed* (about 25 words a paragraph)."""
    rng = random.Random(seed)
    words_list = _VOCABULARY.split()
    result = []
    for _ in range(count):
        sentences = []
        for _ in range(3):
            words = [rng.choice(words_list) for _ in range(8)]
            sentences.append(" ".join(words).capitalize() + ".")
        result.append(" ".join(sentences))
    return result


def article_html(
    title: str, body: list[str], published: str | None = "2025-03-14T08:00:00+00:00"
) -> str:
    date_meta = (
        f'<meta property="article:published_time" content="{published}">' if published else ""
    )
    date_line = f'<time datetime="{published}">{published[:10]}</time>' if published else ""
    paras = "\n".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Test Times</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
{date_meta}
</head><body>
<header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Ann Writer {date_line}</p>
{paras}
</article></main>
<footer><p>The Test Times</p></footer>
</body></html>"""


def stub_html(title: str) -> str:
    """An article page whose body went missing (a template change)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Test Times</title>
<meta property="og:type" content="article"></head><body>
<header><nav><a href="/">Home</a></nav></header>
<main><div id="app" data-title="{title}"></div></main>
<footer><p>The Test Times</p></footer></body></html>"""


@dataclass
class NewsSite:
    """A news site of numbered articles at ``/news/2025/03/story-NNNNN.html`` with one
    index page listing them all."""

    server: DemoServer
    articles: dict[int, str] = field(default_factory=dict)
    """Article number -> its current HTML."""

    @staticmethod
    def path(number: int) -> str:
        return f"/news/2025/03/story-{number:05d}.html"

    def url(self, number: int) -> str:
        return self.server.url_for(self.path(number))

    def add(self, number: int, html: str | None = None, *, published: str | None = None) -> None:
        if html is None:
            kwargs = {"published": published} if published else {}
            html = article_html(f"Story number {number}", paragraphs(number), **kwargs)
        self.articles[number] = html
        self.server.add_page(self.path(number), html)
        self.publish_index()

    def change(self, number: int, html: str) -> None:
        self.articles[number] = html
        self.server.add_page(self.path(number), html)

    def publish_index(self) -> None:
        links = "\n".join(
            f'<li><a href="{self.path(n)}">Story number {n}</a></li>' for n in sorted(self.articles)
        )
        self.server.add_page(
            "/",
            f"<!DOCTYPE html><html lang='en'><head><title>The Test Times</title></head>"
            f"<body><h1>Latest</h1><ul>{links}</ul></body></html>",
        )
        self.server.add_page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")

    def article_fetches(self) -> dict[str, int]:
        """How often each article page was requested (GET)."""
        counts: dict[str, int] = {}
        for request in self.server.log:
            if request.method == "GET" and request.path.startswith("/news/"):
                counts[request.path] = counts.get(request.path, 0) + 1
        return counts


@dataclass
class Run:
    """One finished crawl subprocess."""

    returncode: int
    stderr: str
    records: list[dict[str, Any]]
    manifest: dict[str, Any] | None
    files: list[Path]


def crawl_argv(
    site_url: str,
    *,
    extra: dict[str, str] | None = None,
    spider_args: dict[str, str] | None = None,
    extra_pipelines: dict[str, int] | None = None,
) -> list[str]:
    settings = {
        "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": "1",
        "NEWSBOT_WORKERS": "-1",  # extract inline: no worker processes to start
        "NEWSBOT_PROGRESS_ENABLED": "0",
        "AUTOTHROTTLE_ENABLED": "0",
        "LOG_LEVEL": "INFO",
        **component_settings(extra_pipelines),
        **(extra or {}),
    }
    # state=1: a run built from arguments keeps crawl state only when asked to.
    args = {
        "url": site_url + "/",
        "allow_private": "1",
        "max_depth": "2",
        "state": "1",
        **(spider_args or {}),
    }
    argv = [sys.executable, "-m", "scrapy", "crawl", "site"]
    for name, value in args.items():
        argv += ["-a", f"{name}={value}"]
    for name, value in settings.items():
        argv += ["-s", f"{name}={value}"]
    return argv


def run_crawl(workdir: Path, argv: list[str], timeout: float = 120) -> Run:
    """Run a crawl in *workdir* and collect the records and the manifest it wrote."""
    before = set((workdir / "output").rglob("*.jsonl")) if (workdir / "output").exists() else set()
    # Run ids have millisecond resolution (spiders/base.py): two crawls, each a process
    # start apart, never share one, so no wait for the clock here.
    env = crawl_env()
    result = subprocess.run(
        argv, cwd=workdir, capture_output=True, text=True, timeout=timeout, env=env
    )
    return collect(workdir, before, result.returncode, result.stderr)


def crawl_env() -> dict[str, str]:
    """The environment of a crawl subprocess: project settings, and this folder on the
    path so that test-only components (:class:`StallPipeline`) can be loaded."""
    here = str(Path(__file__).resolve().parent)
    path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, SCRAPY_SETTINGS_MODULE="newsbot.settings", PYTHONPATH=path)


def collect(workdir: Path, before: set[Path], returncode: int, stderr: str) -> Run:
    files = sorted(set((workdir / "output").rglob("*.jsonl")) - before)
    records = [
        json.loads(line)
        for f in files
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    manifests = sorted((workdir / "output").rglob("*.manifest.json"), key=os.path.getmtime)
    manifest = json.loads(manifests[-1].read_text(encoding="utf-8")) if manifests else None
    return Run(returncode, stderr, records, manifest, files)


class StallPipeline:
    """Test-only pipeline: the record of a URL matching ``NEWSBOT_TEST_STALL`` never
    reaches the exporter; the pipeline drops a marker file (``NEWSBOT_TEST_STALL_MARKER``)
    and waits, so a test can kill the crawl between fetch and write."""

    def __init__(self, pattern: str, marker: str):
        self.pattern = pattern
        self.marker = marker

    @classmethod
    def from_crawler(cls, crawler: Any) -> StallPipeline:
        settings = crawler.settings
        return cls(
            settings.get("NEWSBOT_TEST_STALL", ""), settings.get("NEWSBOT_TEST_STALL_MARKER")
        )

    async def process_item(self, item: Any) -> Any:
        import asyncio

        if self.pattern and self.pattern in str(getattr(item, "url", "")):
            Path(self.marker).write_text(item.url, encoding="utf-8")
            await asyncio.sleep(3600)  # the stall is what is tested: the crawl is killed here
        return item
