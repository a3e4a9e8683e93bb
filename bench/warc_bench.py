"""Benchmark: reading and extracting a WARC of synthetic news pages.

    .venv/bin/python bench/warc_bench.py [--pages 2000] [--workers 2]

Builds a WARC.gz of ``--pages`` synthetic article pages (each some 25 KB of HTML with
navigation, article text and footer clutter, one in four sent gzip-encoded), then
measures, each in a fresh process so peak memory is its own:

* read: :func:`newsbot.warc.iter_warc_pages` alone, records/s and peak RSS, over the
  file and over a file ten times larger (memory should not grow with the file);
* extract: :func:`newsbot.warc.to_records.extract_warc` with ``--workers`` worker
  processes, records/s, peak RSS of the main process and of the largest worker.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

VOCABULARY = [
    "the",
    "council",
    "said",
    "on",
    "tuesday",
    "that",
    "the",
    "new",
    "budget",
    "for",
    "schools",
    "roads",
    "and",
    "housing",
    "would",
    "be",
    "published",
    "next",
    "week",
    "after",
    "months",
    "of",
    "debate",
    "among",
    "residents",
    "teachers",
    "and",
    "local",
    "business",
    "owners",
    "who",
    "had",
    "asked",
    "for",
    "more",
    "money",
    "for",
    "repairs",
]


def synthetic_page(rng: random.Random, number: int) -> str:
    paragraphs = []
    for _ in range(rng.randint(8, 16)):
        words = rng.choices(VOCABULARY, k=rng.randint(40, 90))
        paragraphs.append("<p>" + " ".join(words).capitalize() + ".</p>")
    nav = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(40))
    related = "".join(
        f"<li><a href='/news/{number + i}'>Related story {i}</a></li>" for i in range(1, 12)
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Story {number} | "
        "The Gazette</title><meta property='og:type' content='article'>"
        f"<meta name='description' content='Summary of story {number}'>"
        "<script>var tracking = {id: 1};</script><style>body{font:16px serif}</style></head>"
        f"<body><header><nav><ul>{nav}</ul></nav></header><main><article>"
        f"<h1>Story {number}</h1><p class='byline'>By Jane Reporter</p>{''.join(paragraphs)}"
        "<p>Subscribe to our newsletter for more stories like this.</p></article>"
        f"<aside><h2>Related</h2><ul>{related}</ul></aside></main>"
        "<footer><p>Copyright The Gazette. All rights reserved.</p></footer></body></html>"
    )


def build(path: Path, pages: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for n in range(pages):
            url = f"https://gazette.example/news/{n}"
            html = synthetic_page(rng, n).encode()
            headers = [("Content-Type", "text/html; charset=utf-8")]
            if n % 4 == 0:
                html = gzip.compress(html, 6)
                headers.append(("Content-Encoding", "gzip"))
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "request",
                    payload=io.BytesIO(b""),
                    http_headers=StatusAndHeaders(
                        f"GET /news/{n} HTTP/1.1", [], is_http_request=True
                    ),
                )
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(html),
                    length=len(html),
                    http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                )
            )


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def measure_read(path: Path) -> dict[str, float]:
    from newsbot.warc import iter_warc_pages

    start = time.perf_counter()
    count = sum(1 for _ in iter_warc_pages(path))
    elapsed = time.perf_counter() - start
    return {"pages": count, "seconds": elapsed, "peak_rss_mb": _peak_mb()}


def _descendants_peak_mb(root: int) -> float:
    """The largest peak RSS (VmHWM) among the live descendants of *root*: the worker
    processes, which a forkserver starts, so RUSAGE_CHILDREN does not see them."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    peak = 0.0
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor and ancestor != root:
            ancestor = parents.get(ancestor)
        if ancestor == root:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
            except OSError:
                continue
    return peak


def measure_extract(path: Path, workers: int) -> dict[str, float]:
    import threading

    from newsbot.warc.to_records import extract_warc

    worker_peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            worker_peak[0] = max(worker_peak[0], _descendants_peak_mb(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as out:
        counts = extract_warc([path], out=out, workers=workers)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return {
        "pages": counts["newsbot/extract/pages"],
        "written": counts["written"],
        "seconds": elapsed,
        "peak_rss_mb": _peak_mb(),
        "peak_worker_rss_mb": worker_peak[0],
    }


def _child(mode: str, path: Path, workers: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--file", str(path), "--workers", str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", choices=("read", "extract"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path = Path(args.file)
        result = measure_read(path) if args.child == "read" else measure_extract(path, args.workers)
        print(json.dumps(result))
        return

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "bench.warc.gz"
        large = Path(folder) / "bench-x10.warc.gz"
        build(small, args.pages)
        build(large, args.pages * 10, seed=2)
        print(
            f"WARC: {args.pages} pages, {small.stat().st_size / 1e6:.1f} MB compressed; "
            f"x10: {large.stat().st_size / 1e6:.1f} MB; {cores} cores"
        )
        for label, path in (("read", small), ("read x10", large)):
            r = _child("read", path, 0)
            print(
                f"{label:9s}: {r['pages']:6.0f} pages in {r['seconds']:6.2f} s = "
                f"{r['pages'] / r['seconds']:8.0f} pages/s, peak RSS {r['peak_rss_mb']:.0f} MB"
            )
        r = _child("extract", small, args.workers)
        print(
            f"extract  : {r['pages']:6.0f} pages in {r['seconds']:6.2f} s = "
            f"{r['pages'] / r['seconds']:8.1f} records/s with {args.workers} workers "
            f"({r['written']:.0f} written), peak RSS {r['peak_rss_mb']:.0f} MB main, "
            f"{r['peak_worker_rss_mb']:.0f} MB largest worker"
        )


if __name__ == "__main__":
    main()
