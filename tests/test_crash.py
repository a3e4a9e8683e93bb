"""Crash safety of the real ``scrapy crawl`` command.

- SIGKILL mid-run, then run again: every line written before the kill is a whole,
  valid JSON record; the second run writes no URL twice and misses none.
- SIGINT and SIGTERM stop a crawl cleanly: it exits by itself, what was done is
  flushed, and a rerun finishes the rest without duplicates.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultserver import FaultServer

# Each test runs and signals real crawl processes.
pytestmark = pytest.mark.slow

N_PAGES = 40


def _command(url_file: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "urls",
        "-a",
        f"file={url_file}",
        # A rerun goes on where the killed run stopped: crawl state, asked for.
        "-a",
        "state=1",
        "-s",
        "NEWSBOT_ALLOW_PRIVATE_ADDRESSES=1",
        "-s",
        "ROBOTSTXT_OBEY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=0",
        "-s",
        "CONCURRENT_REQUESTS=2",
        "-s",
        "NEWSBOT_WORKERS=-1",
        "-s",
        "NEWSBOT_PROGRESS_ENABLED=0",
        "-s",
        "LOG_LEVEL=INFO",
    ]


def _outputs(workdir: Path) -> list[Path]:
    return sorted((workdir / "output").rglob("*.jsonl"))


def _lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), f"{path} ends in a partial line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def _start(workdir: Path, url_file: Path) -> subprocess.Popen:
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newsbot.settings")
    return subprocess.Popen(
        _command(url_file),
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_records(
    workdir: Path, count: int, proc: subprocess.Popen, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        written = sum(len(p.read_bytes().splitlines()) for p in _outputs(workdir))
        if written >= count:
            return
        if proc.poll() is not None:
            pytest.fail(f"crawl ended before writing {count} records: {proc.stderr.read()[-2000:]}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("crawl wrote too few records in time")


def _url_file(workdir: Path, server: FaultServer) -> tuple[Path, set[str]]:
    urls = [server.url(f"/article/page{i}?delay=0.15") for i in range(N_PAGES)]
    path = workdir / "urls.txt"
    path.write_text("\n".join(urls) + "\n")
    return path, set(urls)


def _resume_and_check(workdir: Path, url_file: Path, urls: set[str], first_run: list[dict]) -> None:
    before = set(_outputs(workdir))
    rerun = subprocess.run(
        _command(url_file),
        cwd=workdir,
        env=dict(os.environ, SCRAPY_SETTINGS_MODULE="newsbot.settings"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    second = [r for p in _outputs(workdir) if p not in before for r in _lines(p)]
    first_urls = [r["url"] for r in first_run]
    second_urls = [r["url"] for r in second]
    assert len(set(first_urls)) == len(first_urls)
    # No record written twice across the runs, and nothing missing.
    assert not set(first_urls) & set(second_urls)
    assert sorted(first_urls + second_urls) == sorted(urls)


def test_sigkill_mid_run_then_rerun_loses_and_duplicates_nothing(tmp_path):
    with FaultServer() as server:
        url_file, urls = _url_file(tmp_path, server)
        proc = _start(tmp_path, url_file)
        _wait_for_records(tmp_path, 8, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        first = [r for p in _outputs(tmp_path) for r in _lines(p)]
        assert 8 <= len(first) < N_PAGES
        for record in first:
            assert record["url"] in urls and record["text"]
        _resume_and_check(tmp_path, url_file, urls, first)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_sigint_and_sigterm_stop_cleanly_and_flush(tmp_path, signum):
    with FaultServer() as server:
        url_file, urls = _url_file(tmp_path, server)
        proc = _start(tmp_path, url_file)
        _wait_for_records(tmp_path, 5, proc)
        proc.send_signal(signum)
        started = time.monotonic()
        _, stderr = proc.communicate(timeout=60)
        assert time.monotonic() - started < 30
        assert "Traceback" not in stderr, stderr[-3000:]
        assert "shutting down gracefully" in stderr
        first = [r for p in _outputs(tmp_path) for r in _lines(p)]
        assert 5 <= len(first) < N_PAGES
        _resume_and_check(tmp_path, url_file, urls, first)
