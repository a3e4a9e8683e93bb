"""Run each source on its cron schedule, each run in its own process.

:class:`CrawlScheduler` puts one APScheduler cron job per source. A job starts the
crawl of its source as a child process (``python -m newsbot crawl SOURCE``), waits for
it, reads the run manifest and logs one line with the run's counts.

* Never two runs of one source at once (``max_instances=1``). When a trigger fires
  while the source's last run is still going, one more run follows it as soon as it
  ends: however many triggers were missed, they make one run (coalesced).
* Runs missed while the scheduler was not keeping up (a suspended laptop) are coalesced
  into one as well (``coalesce=True``).
* :meth:`CrawlScheduler.stop` stops starting runs and waits for the running ones;
  :meth:`CrawlScheduler.terminate` asks them to stop early (SIGTERM: Scrapy closes the
  spider cleanly and the manifest says ``shutdown``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsbot.sources import Source

logger = logging.getLogger(__name__)

# How many log files of past runs to keep per source.
KEEP_LOGS = 20


def cron_trigger(expr: str, timezone: Any = None) -> Any:
    """An APScheduler trigger for a cron expression: five fields (minute hour day month
    weekday), as in the sources file, or six with a leading *seconds* field (for
    ``--cron`` overrides and tests that cannot wait a minute)."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    if len(fields) == 5:
        return CronTrigger.from_crontab(expr, timezone=timezone)
    if len(fields) == 6:
        second, minute, hour, day, month, day_of_week = fields
        return CronTrigger(
            second=second,
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=day_of_week,
            timezone=timezone,
        )
    raise ValueError(f"{expr!r} is not a cron expression of five (or six, with seconds) fields")


def crawl_command(
    source: Source,
    sources_path: str,
    settings: dict[str, str] | None = None,
    python: str = sys.executable,
) -> list[str]:
    """The command line that runs one crawl of *source*: ``newsbot crawl`` where it is
    installed, else ``scrapy crawl`` with the source's spider."""
    extra: list[str] = []
    for name, value in (settings or {}).items():
        extra += ["-s", f"{name}={value}"]
    if importlib.util.find_spec("newsbot.cli.crawl") is not None:
        return [python, "-m", "newsbot", "crawl", source.name, "--sources", sources_path, *extra]
    return [
        python,
        "-m",
        "scrapy",
        "crawl",
        source.kind,
        "-a",
        f"source={source.name}",
        "-s",
        f"NEWSBOT_SOURCES={sources_path}",
        *extra,
    ]


@dataclass(kw_only=True, slots=True)
class RunResult:
    """One finished crawl process."""

    source: str
    returncode: int
    started: float
    finished: float
    manifest: dict[str, Any] | None
    log_file: Path

    @property
    def exit_status(self) -> int:
        """The manifest's verdict, else the process's own exit code."""
        if self.manifest is not None:
            return int(self.manifest.get("exit_status", self.returncode))
        return self.returncode or 1

    def summary(self) -> str:
        """The one log line of the run."""
        took = self.finished - self.started
        if self.manifest is None:
            return (
                f"source {self.source}: crawl exited with status {self.returncode} after "
                f"{took:.1f}s and wrote no manifest; see {self.log_file}"
            )
        counts = self.manifest.get("counts", {})
        dropped = sum(counts.get("dropped", {}).values())
        line = (
            f"source {self.source}: run {self.manifest.get('run_id')} "
            f"{self.manifest.get('finish_reason')} in {took:.1f}s, exit status "
            f"{self.exit_status}: fetched {counts.get('fetched', 0)}, "
            f"new {counts.get('new', 0)}, updated {counts.get('updated', 0)}, "
            f"skipped {counts.get('skipped', 0)}, dropped {dropped}, "
            f"errors {counts.get('errors', 0)}"
        )
        problems = self.manifest.get("health", {}).get("problems") or []
        if problems:
            line += "; " + "; ".join(problems)
        return line


def find_manifest(folder: Path, since: float) -> dict[str, Any] | None:
    """The newest run manifest in *folder* written at or after *since*."""
    if not folder.is_dir():
        return None
    fresh = [p for p in folder.glob("*.manifest.json") if p.stat().st_mtime >= since - 1]
    if not fresh:
        return None
    newest = max(fresh, key=lambda p: p.stat().st_mtime)
    try:
        data: dict[str, Any] = json.loads(newest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


class CrawlScheduler:
    """Runs sources on their cron schedules. See the module docstring.

    *command* builds a run's command line (default :func:`crawl_command`);
    *manifest_dir* says where a source's manifests are (default
    ``<output_dir>/<source>``); *crons* overrides the sources' ``schedule``.
    """

    def __init__(
        self,
        sources: Sequence[Source],
        sources_path: str,
        *,
        settings: dict[str, str] | None = None,
        output_dir: str = "output",
        manifest_dir: str | None = None,
        logs_dir: str | Path = ".newsbot/logs",
        crons: dict[str, str] | None = None,
        command: Callable[[Source, str, dict[str, str]], list[str]] = crawl_command,
    ):
        self.sources = {s.name: s for s in sources}
        self.sources_path = sources_path
        self.settings = dict(settings or {})
        self.output_dir = output_dir
        self.manifest_dir = manifest_dir
        self.logs_dir = Path(logs_dir)
        overrides = crons or {}
        self.crons = {name: overrides.get(name) or s.schedule for name, s in self.sources.items()}
        self.command = command
        self.results: list[RunResult] = []
        self._lock = threading.Lock()
        self._running: dict[str, subprocess.Popen[bytes]] = {}
        self._pending: set[str] = set()
        self._stopping = threading.Event()
        self._scheduler: Any = None

    # --- One run --------------------------------------------------------------------
    def manifest_folder(self, source: str) -> Path:
        return Path(self.manifest_dir) if self.manifest_dir else Path(self.output_dir) / source

    def run_once(self, name: str) -> RunResult:
        """Run one crawl of source *name* in a child process and wait for it."""
        source = self.sources[name]
        argv = self.command(source, self.sources_path, self.settings)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        log_dir = self.logs_dir / name
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / f"{stamp}.log"
        started = time.time()
        logger.info("source %s: starting a run (log: %s)", name, log_file)
        with open(log_file, "wb") as log:
            # A session of its own: a Ctrl-C on the scheduler's terminal reaches the
            # scheduler only, which lets running crawls finish (see serve()).
            process = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            with self._lock:
                self._running[name] = process
            try:
                returncode = process.wait()
            finally:
                with self._lock:
                    self._running.pop(name, None)
        result = RunResult(
            source=name,
            returncode=returncode,
            started=started,
            finished=time.time(),
            manifest=find_manifest(self.manifest_folder(name), started),
            log_file=log_file,
        )
        self.results.append(result)
        (logger.info if result.exit_status == 0 else logger.error)("%s", result.summary())
        self._prune_logs(log_dir)
        return result

    def _prune_logs(self, log_dir: Path) -> None:
        logs = sorted(log_dir.glob("*.log"))
        for old in logs[:-KEEP_LOGS]:
            old.unlink(missing_ok=True)

    def _job(self, name: str) -> None:
        while True:
            self.run_once(name)
            with self._lock:
                again = name in self._pending and not self._stopping.is_set()
                self._pending.discard(name)
            if not again:
                return
            logger.info("source %s: running the run its schedule missed meanwhile", name)

    def _on_max_instances(self, event: Any) -> None:
        name = event.job_id
        with self._lock:
            self._pending.add(name)
        logger.info("source %s: still running at its next trigger; one run will follow", name)

    # --- The schedule ---------------------------------------------------------------
    def start(self) -> None:
        """Start the schedule in background threads."""
        from apscheduler.events import EVENT_JOB_MAX_INSTANCES
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        scheduled = {n: c for n, c in self.crons.items() if c}
        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=max(len(scheduled), 1))}
        )
        for name, cron in scheduled.items():
            scheduler.add_job(
                self._job,
                cron_trigger(cron),
                args=[name],
                id=name,
                name=f"crawl {name}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
        scheduler.add_listener(self._on_max_instances, EVENT_JOB_MAX_INSTANCES)
        scheduler.start()
        self._scheduler = scheduler
        for job in scheduler.get_jobs():
            logger.info(
                "source %s: scheduled %r, next run at %s",
                job.id,
                scheduled[job.id],
                job.next_run_time.isoformat() if job.next_run_time else "never",
            )

    def stop(self, wait: bool = True) -> None:
        """Start no more runs; with *wait*, return once the running ones have ended."""
        self._stopping.set()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=wait)

    def running(self) -> list[str]:
        with self._lock:
            return sorted(self._running)

    def terminate(self) -> None:
        """Ask the running crawls to stop early (Scrapy shuts a spider down cleanly)."""
        with self._lock:
            processes = list(self._running.items())
        for name, process in processes:
            logger.warning("source %s: asking the running crawl to stop", name)
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)


def serve(scheduler: CrawlScheduler, poll: float = 0.5) -> int:
    """Run *scheduler* until SIGTERM or SIGINT. The first signal stops new runs and
    waits for running crawls to finish; a second one asks them to stop now."""
    stop = threading.Event()
    signals_seen = 0

    def on_signal(signum: int, frame: Any) -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen == 1:
            logger.info(
                "%s: no new runs; waiting for running crawls (%s) to finish "
                "(signal again to stop them now)",
                signal.Signals(signum).name,
                ", ".join(scheduler.running()) or "none",
            )
            stop.set()
        else:
            scheduler.terminate()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        scheduler.start()
        while not stop.wait(poll):
            pass
        scheduler.stop(wait=True)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    logger.info("scheduler stopped after %d runs", len(scheduler.results))
    return 0
