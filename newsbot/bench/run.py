"""The crawl benchmark: plain trafilatura on one core against newsbot's whole crawl.

One run:

1. makes N synthetic article pages (:mod:`newsbot.bench.pages`) or takes a folder of
   ``.html``/``.html.gz`` files;
2. times plain single-process ``trafilatura.extract(html)`` over the same pages (the
   first ``baseline_pages`` of them), in this process;
3. serves the pages on 127.0.0.1 and runs the real ``newsbot crawl`` in a subprocess
   (the ``urls`` spider over the served list, the project's settings and pipelines,
   JSON Lines out), while sampling the memory of the crawl's whole process tree
   (the crawl process, the forkserver, the extraction workers) from ``/proc``;
4. times plain trafilatura again, and keeps the faster of its two timings;
5. reports pages/s, CPU time and peak memory of the crawl, and its rate over the
   plain trafilatura rate.

Linux only (``/proc``, ``prctl``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gzip
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from newsbot.bench.page_server import serve_pages
from newsbot.bench.pages import article_path, write_pages

_PR_SET_CHILD_SUBREAPER = 36

# What the benchmark changes from the project's settings, and why: a local server
# needs no politeness (AutoThrottle would measure its own delays, robots.txt is one
# more request), and one host must get as many parallel requests as the crawl allows.
BENCH_SETTINGS = {
    "ROBOTSTXT_OBEY": "False",
    "AUTOTHROTTLE_ENABLED": "False",
    "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": "True",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "RETRY_ENABLED": "False",
    "NEWSBOT_PROGRESS_INTERVAL": "5",
}


@dataclass
class TreeSample:
    """Memory of a process tree at one moment."""

    rss_kb: int = 0
    pss_kb: int = 0
    processes: int = 0


@dataclass
class CrawlFigures:
    pages: int
    wall_s: float
    cpu_s: float | None
    peak: TreeSample
    records: int
    steady_rate: float | None
    exit_code: int
    summary: str
    log_path: Path
    crawl_process_cpu_s: float = 0.0
    """CPU time of the crawl process alone (the event loop: downloads, pipelines,
    export), as last sampled."""
    samples: list[tuple[float, int, int]] = field(default_factory=list)
    """(seconds since start, records written, tree RSS in KB), every sample."""

    @property
    def fetched(self) -> int:
        """Pages the crawl fetched, from its summary (what the rate counts)."""
        match = re.search(r"fetched (\d+) pages", self.summary)
        return int(match.group(1)) if match else self.records

    @property
    def rate(self) -> float:
        return self.fetched / self.wall_s if self.wall_s else 0.0


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process so far."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _read_ppids() -> dict[int, int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ")".
        fields = stat[stat.rfind(b")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def process_tree(root: int) -> list[int]:
    """*root* and all its descendants now alive."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _read_ppids().items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def _field_kb(path: str, name: bytes) -> int:
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.startswith(name):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def sample_tree(pids: Sequence[int]) -> TreeSample:
    """Resident memory of *pids*: RSS summed (pages shared between the processes, such
    as the code the workers inherit from the forkserver, count once per process: an
    upper bound) and PSS summed (shared pages split between their sharers: what the
    tree really occupies)."""
    sample = TreeSample()
    for pid in pids:
        rss = _field_kb(f"/proc/{pid}/status", b"VmRSS:")
        if not rss:
            continue
        sample.rss_kb += rss
        sample.pss_kb += _field_kb(f"/proc/{pid}/smaps_rollup", b"Pss:")
        sample.processes += 1
    return sample


def _become_subreaper() -> bool:
    """Adopt orphaned descendants, so their CPU time reaches our RUSAGE_CHILDREN even
    when the crawl process exits before its forkserver does."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def _count_lines(path: Path, state: dict[str, int]) -> int:
    """Lines in *path*, reading only what was added since the last call."""
    try:
        with path.open("rb") as f:
            f.seek(state.get("offset", 0))
            chunk = f.read()
    except OSError:
        return state.get("lines", 0)
    state["offset"] = state.get("offset", 0) + len(chunk)
    state["lines"] = state.get("lines", 0) + chunk.count(b"\n")
    return state["lines"]


def _output_file(output_dir: Path) -> Path | None:
    return next(output_dir.glob("*/*.jsonl"), None)


def run_crawl(
    url_list: Path,
    count: int,
    workdir: Path,
    settings: dict[str, str],
    interval: float = 0.25,
) -> CrawlFigures:
    """Run ``newsbot crawl`` over the URLs of *url_list* and measure it."""
    # The project's default output (one file per run under NEWSBOT_OUTPUT_DIR), found
    # once the crawl has created it.
    output_dir = workdir / "output"
    log_path = workdir / "crawl.log"
    command = [
        sys.executable,
        "-m",
        "newsbot",
        "crawl",
        "--spider",
        "urls",
        "-a",
        f"file={url_list}",
        "-a",
        "allow_private=true",
        "-s",
        f"NEWSBOT_OUTPUT_DIR={output_dir}",
        "-L",
        "INFO",
    ]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newsbot.settings")
    subreaper = _become_subreaper()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = TreeSample()
    samples: list[tuple[float, int, int]] = []
    line_state: dict[str, int] = {}
    first_record: tuple[float, int] | None = None
    crawl_process_cpu = 0.0
    last_record: tuple[float, int] | None = None
    with log_path.open("wb") as log:
        started = time.monotonic()
        crawl = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=log)
        stdout_chunks: list[bytes] = []
        reader = threading.Thread(
            target=lambda: stdout_chunks.append(crawl.stdout.read() if crawl.stdout else b""),
            daemon=True,
        )
        reader.start()
        while crawl.poll() is None:
            now = time.monotonic() - started
            tree = process_tree(crawl.pid)
            sample = sample_tree(tree)
            crawl_cpu = cpu_seconds(crawl.pid)
            if crawl_cpu is not None:
                crawl_process_cpu = crawl_cpu
            if sample.rss_kb > peak.rss_kb:
                peak.rss_kb = sample.rss_kb
            peak.pss_kb = max(peak.pss_kb, sample.pss_kb)
            peak.processes = max(peak.processes, sample.processes)
            out = _output_file(output_dir)
            lines = _count_lines(out, line_state) if out else 0
            if lines and first_record is None:
                first_record = (now, lines)
            if first_record and lines > (last_record or first_record)[1]:
                last_record = (now, lines)
            samples.append((now, lines, sample.rss_kb))
            time.sleep(interval)
        wall = time.monotonic() - started
        reader.join()
    _reap_orphans(time.monotonic() + 10)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = None
    if subreaper:
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = _output_file(output_dir)
    records = _count_lines(out, {}) if out else 0
    steady = None
    if first_record and last_record and last_record[0] > first_record[0]:
        steady = (last_record[1] - first_record[1]) / (last_record[0] - first_record[0])
    return CrawlFigures(
        pages=count,
        wall_s=wall,
        cpu_s=cpu,
        peak=peak,
        records=records,
        steady_rate=steady,
        exit_code=crawl.returncode,
        summary=b"".join(stdout_chunks).decode("utf-8", "replace").strip(),
        log_path=log_path,
        crawl_process_cpu_s=crawl_process_cpu,
        samples=samples,
    )


def _html(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def time_plain_trafilatura(paths: Sequence[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``trafilatura.extract`` over the pages, one
    process, files read and decompressed outside the timing."""
    import trafilatura

    if paths:
        trafilatura.extract(_html(paths[0]))  # imports and first-use caches, untimed
    wall = cpu = 0.0
    for path in paths:
        html = _html(path)
        w0, c0 = time.perf_counter(), time.process_time()
        trafilatura.extract(html)
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
    return wall, cpu


def time_newsbot_extraction(paths: Sequence[Path]) -> float:
    """Wall seconds of newsbot's own ``extract_article`` over the pages, one process."""
    from newsbot.extraction import extract_article

    if paths:
        extract_article(_html(paths[0]))
    wall = 0.0
    for n, path in enumerate(paths):
        html = _html(path)
        w0 = time.perf_counter()
        extract_article(html, f"http://127.0.0.1{article_path(n)}")
        wall += time.perf_counter() - w0
    return wall


def _write_chunk(folder: str, start: int, stop: int, seed: int) -> None:
    from newsbot.bench.pages import PageMaker

    maker = PageMaker(seed)
    for n in range(start, stop):
        Path(folder, f"{n}.html.gz").write_bytes(
            gzip.compress(maker.page(n), compresslevel=1, mtime=0)
        )


def generate_pages(folder: Path, count: int, seed: int = 2026, jobs: int = 2) -> list[Path]:
    """Write *count* synthetic pages into *folder*, in *jobs* processes."""
    folder.mkdir(parents=True, exist_ok=True)
    if jobs <= 1 or count < 200:
        return write_pages(folder, count, seed)
    step = -(-count // jobs)
    with ProcessPoolExecutor(jobs) as executor:
        futures = [
            executor.submit(_write_chunk, str(folder), start, min(start + step, count), seed)
            for start in range(0, count, step)
        ]
        for future in futures:
            future.result()
    return [folder / f"{n}.html.gz" for n in range(count)]


def find_pages(folder: Path) -> list[Path]:
    """The ``.html`` and ``.html.gz`` files of *folder* (recursively), sorted."""
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.name.endswith((".html", ".html.gz"))
    )


@dataclass
class BenchResult:
    pages: int
    source: str
    mean_kb: float
    baseline_pages: int
    baseline_wall: float
    """The faster of the two timings, before and after the crawl: the ratio is then
    against trafilatura at its best in this run, never flattered by a slow moment."""
    baseline_cpu: float
    baseline_walls: tuple[float, ...]
    newsbot_pages: int
    newsbot_wall: float
    crawl: CrawlFigures
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    @property
    def baseline_rate(self) -> float:
        return self.baseline_pages / self.baseline_wall if self.baseline_wall else 0.0

    @property
    def ratio(self) -> float:
        return self.crawl.rate / self.baseline_rate if self.baseline_rate else 0.0

    def report(self) -> str:
        c = self.crawl
        lines = [
            f"pages: {self.pages} ({self.source}; {self.mean_kb:.0f} KB of HTML on average)",
            f"plain trafilatura.extract, 1 process: {self.baseline_pages} pages in "
            f"{self.baseline_wall:.1f} s = {self.baseline_rate:.1f} pages/s "
            f"({1000 * self.baseline_wall / max(self.baseline_pages, 1):.1f} ms/page, "
            f"CPU {self.baseline_cpu:.1f} s; the faster of "
            + " and ".join(f"{wall:.1f} s" for wall in self.baseline_walls)
            + " timed before and after the crawl)",
        ]
        if self.newsbot_pages:
            per_page = 1000 * self.newsbot_wall / self.newsbot_pages
            base = 1000 * self.baseline_wall / max(self.baseline_pages, 1)
            lines.append(
                f"newsbot extract_article, 1 process: {self.newsbot_pages} pages, "
                f"{per_page:.1f} ms/page ({per_page / base:.2f}x trafilatura's time)"
            )
        steady = f"; {c.steady_rate:.1f} pages/s after start-up" if c.steady_rate else ""
        lines += [
            f"newsbot crawl, end to end: {c.fetched} pages in {c.wall_s:.1f} s = "
            f"{c.rate:.1f} pages/s{steady}",
            f"  records written: {c.records}; exit status {c.exit_code}"
            + (
                f"; WARNING: only {c.fetched} of {c.pages} pages fetched (see the crawl log, "
                "--keep)"
                if c.fetched < c.pages
                else ""
            ),
            "  CPU time of the crawl's process tree: "
            + (f"{c.cpu_s:.1f} s ({c.cpu_s / c.wall_s:.2f} cores busy)" if c.cpu_s else "unknown"),
            f"  of which the crawl process (event loop) {c.crawl_process_cpu_s:.1f} s; CPU per "
            f"page: {1000 * (c.cpu_s or 0) / max(c.fetched, 1):.1f} ms (plain trafilatura: "
            f"{1000 * self.baseline_cpu / max(self.baseline_pages, 1):.1f} ms)",
            f"  peak memory of the crawl's process tree ({c.peak.processes} processes): "
            f"RSS {c.peak.rss_kb / 1024:.0f} MB summed, PSS {c.peak.pss_kb / 1024:.0f} MB",
            f"ratio, crawl end to end / plain trafilatura: {self.ratio:.2f}x"
            + (
                f" ({c.steady_rate / self.baseline_rate:.2f}x after start-up)"
                if c.steady_rate and self.baseline_rate
                else ""
            ),
        ]
        if c.cpu_s and self.baseline_cpu:
            # What the figures would be if the machine were ours: a CPU-bound crawl on
            # all cores against trafilatura on one, each at its CPU time per page.
            cores = os.cpu_count() or 1
            bound = cores * c.fetched / c.cpu_s
            plain = self.baseline_pages / self.baseline_cpu
            lines.append(
                f"on {cores} idle cores the crawl could reach at most {bound:.0f} pages/s "
                f"(cores / CPU per page) = {bound / plain:.2f}x plain trafilatura's "
                f"{plain:.0f} pages/s of CPU"
            )
        lines += [
            "load average before / after: "
            + " / ".join(
                " ".join(f"{x:.2f}" for x in load) for load in (self.load_before, self.load_after)
            )
            + f" (on {os.cpu_count()} cores; others' work distorts the figures)",
        ]
        return "\n".join(lines)


def run_bench(
    pages: int,
    pages_dir: Path | None = None,
    *,
    baseline_pages: int | None = None,
    newsbot_pages: int = 300,
    settings: dict[str, str] | None = None,
    workdir: Path | None = None,
    keep: bool = False,
    progress: bool = True,
) -> BenchResult:
    """Run the whole benchmark; see the module's docstring."""

    def say(message: str) -> None:
        if progress:
            print(message, file=sys.stderr, flush=True)

    base = Path(tempfile.mkdtemp(prefix="newsbot-bench-", dir=workdir))
    try:
        if pages_dir is not None:
            paths = find_pages(pages_dir)
            if not paths:
                raise ValueError(f"{pages_dir}: no .html or .html.gz files")
            source = f"{len(paths)} files of {pages_dir}" + (
                ", cycled; text de-duplication off, so every copy is written"
                if pages > len(paths)
                else ""
            )
        else:
            say(f"generating {pages} pages in {base / 'pages'} ...")
            paths = generate_pages(base / "pages", pages)
            source = "synthetic news pages"
        served = [paths[n % len(paths)] for n in range(pages)]
        sample = served[: min(len(served), 200)]
        mean_kb = sum(len(_html(p)) for p in sample) / len(sample) / 1024
        distinct = served[: min(pages, len(paths))]
        base_paths = distinct[: baseline_pages or len(distinct)]
        say(f"timing plain trafilatura.extract over {len(base_paths)} pages ...")
        load_before = os.getloadavg()
        baseline_wall, baseline_cpu = time_plain_trafilatura(base_paths)
        nb_paths = distinct[:newsbot_pages]
        newsbot_wall = time_newsbot_extraction(nb_paths) if nb_paths else 0.0
        run_settings = dict(BENCH_SETTINGS)
        if pages > len(paths):
            # Copies of a page have its text: the crawl would drop them as duplicates
            # and skip their validation, state and writing, which flatters the figures.
            run_settings["NEWSBOT_DEDUPE_TEXT"] = "False"
        run_settings.update(settings or {})
        with serve_pages(paths, pages) as server:
            url_list = base / "urls.txt"
            url_list.write_text(server.url_list(), encoding="utf-8")
            say(f"crawling {pages} pages from {server.base_url} ...")
            crawl = run_crawl(url_list, pages, base, run_settings)
        load_after = os.getloadavg()
        say("timing plain trafilatura.extract again ...")
        again = time_plain_trafilatura(base_paths)
        baseline_walls = (baseline_wall, again[0])
        if again[0] < baseline_wall:
            baseline_wall, baseline_cpu = again
        if crawl.exit_code != 0 or crawl.records == 0:
            tail = crawl.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            say(f"the crawl failed (exit status {crawl.exit_code}); end of its log:\n{tail}")
        return BenchResult(
            pages=pages,
            source=source,
            mean_kb=mean_kb,
            baseline_pages=len(base_paths),
            baseline_wall=baseline_wall,
            baseline_cpu=baseline_cpu,
            baseline_walls=baseline_walls,
            newsbot_pages=len(nb_paths),
            newsbot_wall=newsbot_wall,
            crawl=crawl,
            load_before=load_before,
            load_after=load_after,
        )
    finally:
        if keep:
            say(f"kept {base}")
        else:
            with contextlib.suppress(OSError):
                _remove_tree(base)


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
