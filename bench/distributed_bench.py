"""Benchmark distributed crawling: the crawl rate of two workers sharing a Redis
frontier against one worker, on the same generated local site.

    .venv/bin/python bench/distributed_bench.py [--articles 500] [--delay 0.1] [--per-worker 4]

Three runs of ``scrapy crawl site`` on a fresh site each time (home, section pages,
articles linking each other; tests/test_distributed_site.py):

* ``plain``: one process, Scrapy's own scheduler (no Redis), for the overhead;
* ``1 worker``: one process on the Redis frontier;
* ``2 workers``: two processes on the Redis frontier, started together.

Every process has the same settings: one extraction process each and at most
``--per-worker`` requests at a time to the site (a worker's politeness budget, which is
what adding machines multiplies). ``--delay`` is the server's time per page: 0 makes
the crawl CPU-bound on this machine (the workers then share its cores), a tenth of a
second or more is closer to real sites, where a worker mostly waits on the network.

Printed per run: pages fetched, the crawl rate (pages over the time from the first to
the last request the server saw), and the wall time of the slowest process (start-up
and the cluster idle timeout included). Needs redis-server on the PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from redis_server import RedisServer, redis_server_binary  # noqa: E402
from test_distributed_site import NewsSite  # noqa: E402

ADDON = json.dumps({"newsbot.distributed.addon.RedisAddon": 0})


def worker(
    workdir: Path, url: str, redis_url: str | None, per_worker: int
) -> subprocess.Popen[bytes]:
    workdir.mkdir(parents=True, exist_ok=True)
    settings = {
        "AUTOTHROTTLE_ENABLED": "0",
        "CONCURRENT_REQUESTS": str(per_worker),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(per_worker),
        "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": "1",
        "NEWSBOT_WORKERS": "1",
        "NEWSBOT_SITE_MAX_PAGES": "100000",
        "NEWSBOT_REDIS_IDLE_TIMEOUT": "2",
        "LOG_LEVEL": "INFO",
    }
    if redis_url:
        settings.update(NEWSBOT_REDIS_URL=redis_url, ADDONS=ADDON)
    command = [sys.executable, "-m", "scrapy", "crawl", "site", "-a", f"url={url}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newsbot.settings")
    log = (workdir / "crawl.log").open("wb")
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)


def records(folder: Path) -> list[str]:
    urls = []
    for path in folder.glob("*/output/**/*.jsonl"):
        urls += [json.loads(line)["url"] for line in path.read_text().splitlines()]
    return urls


def run(
    label: str, workers: int, redis_url: str | None, args: argparse.Namespace, folder: Path
) -> float:
    with NewsSite(articles=args.articles, delay=args.delay) as site:
        started = time.monotonic()
        processes = [
            worker(folder / f"w{n}", site.url, redis_url, args.per_worker) for n in range(workers)
        ]
        for process in processes:
            process.wait()
        wall = time.monotonic() - started
        fetched = site.pages_fetched()
        times = sorted(site.times)
    written = records(folder)
    span = max(times[-1] - times[0], 1e-6)
    pages = sum(fetched.values())
    rate = pages / span
    twice = sum(1 for n in fetched.values() if n > 1)
    print(
        f"{label:>10}: {pages} pages ({twice} fetched twice), {len(written)} records "
        f"({len(set(written))} distinct); crawl {span:.1f}s = {rate:.1f} pages/s; "
        f"wall {wall:.1f}s",
        flush=True,
    )
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--delay", type=float, default=0.1, help="server seconds per page")
    parser.add_argument("--per-worker", type=int, default=4, help="requests at a time per worker")
    args = parser.parse_args()
    if redis_server_binary() is None:
        print("redis-server is not installed (apt-get install redis-server)", file=sys.stderr)
        return 2
    print(
        f"site: {args.articles} articles, {args.delay * 1000:.0f} ms per page; "
        f"{args.per_worker} requests at a time per worker; {os.cpu_count()} cores",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = RedisServer(folder / "redis").start()
        try:
            run("plain", 1, None, args, folder / "plain")
            one = run("1 worker", 1, server.url, args, folder / "one")
            two = run("2 workers", 2, server.url, args, folder / "two")
        finally:
            server.stop()
    print(f"two workers / one worker: {two / one:.2f}x the crawl rate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
