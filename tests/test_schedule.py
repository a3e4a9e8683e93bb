"""``newsbot schedule``: sources run on their cron triggers, one run of a source at a
time, each in its own process, and SIGTERM lets running crawls finish."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest
from test_state_support import NewsSite, component_settings, crawl_env

from newsbot.cron import CrawlScheduler, RunResult, crawl_command, cron_trigger
from newsbot.demo.server import DemoServer
from newsbot.sources import Source

SOURCES = """
[[source]]
name = "alpha"
kind = "site"
urls = ["{url}/"]
allow_private = true
schedule = "0 3 * * *"

[[source]]
name = "beta"
kind = "site"
urls = ["{url}/"]
allow_private = true
schedule = "30 3 * * *"
"""


def _settings_args(extra: dict[str, str]) -> list[str]:
    settings = {
        "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": "1",
        "NEWSBOT_WORKERS": "-1",
        "NEWSBOT_PROGRESS_ENABLED": "0",
        "AUTOTHROTTLE_ENABLED": "0",
        **component_settings(),
        **extra,
    }
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def test_cron_triggers_take_five_fields_or_six_with_seconds():
    assert cron_trigger("*/15 * * * *").fields[6].expressions[0].step == 15
    six = cron_trigger("*/2 * * * * *")
    assert str(six.fields[7]) == "*/2"  # the seconds field
    with pytest.raises(ValueError, match="five"):
        cron_trigger("* * *")


def test_the_crawl_command_runs_one_source_of_the_file(tmp_path):
    source = Source(name="alpha", kind="site", urls=["https://example.com/"])
    argv = crawl_command(source, "/x/sources.toml", {"A": "1"}, python="py")
    assert argv[:3] == ["py", "-m", "newsbot"]
    assert argv[3:5] == ["crawl", "alpha"]
    assert argv[-2:] == ["-s", "A=1"]
    assert "/x/sources.toml" in argv


def test_a_run_summary_line_carries_the_manifest_counts(tmp_path):
    manifest = {
        "run_id": "20250101T000000Z",
        "finish_reason": "finished",
        "counts": {"fetched": 9, "new": 3, "updated": 1, "skipped": 5, "dropped": {"a": 2}},
        "health": {"problems": []},
        "exit_status": 0,
    }
    result = RunResult(
        source="alpha",
        returncode=0,
        started=0.0,
        finished=2.5,
        manifest=manifest,
        log_file=tmp_path / "x.log",
    )
    assert result.summary() == (
        "source alpha: run 20250101T000000Z finished in 2.5s, exit status 0: fetched 9, "
        "new 3, updated 1, skipped 5, dropped 2, errors 0"
    )
    failed = RunResult(
        source="alpha",
        returncode=1,
        started=0.0,
        finished=1.0,
        manifest=None,
        log_file=tmp_path / "x.log",
    )
    assert failed.exit_status == 1
    assert "wrote no manifest" in failed.summary()


@pytest.mark.slow
def test_once_runs_each_source_a_single_time_and_reports_its_status(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    with DemoServer(root=root) as server:
        site = NewsSite(server)
        for number in (1, 2):
            site.add(number)
        sources = tmp_path / "sources.toml"
        sources.write_text(SOURCES.format(url=server.url), encoding="utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsbot",
                "schedule",
                "alpha",
                "--sources",
                str(sources),
                "--once",
                *_settings_args({}),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env=crawl_env(),
        )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if "source alpha: run " in line]
    assert len(lines) == 1
    assert "new 2" in lines[0] and "exit status 0" in lines[0]
    assert not (tmp_path / "output" / "beta").exists()


@pytest.mark.slow
def test_two_sources_run_on_their_triggers_without_overlap_and_stop_on_sigterm(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    with DemoServer(root=root) as server:
        site = NewsSite(server)
        for number in (1, 2, 3):
            site.add(number)
        sources = tmp_path / "sources.toml"
        sources.write_text(SOURCES.format(url=server.url), encoding="utf-8")
        argv = [
            sys.executable,
            "-m",
            "newsbot",
            "schedule",
            "--sources",
            str(sources),
            # Triggers every second and every two seconds, while a run takes longer:
            # triggers keep firing while the source's last run is still going.
            "--cron",
            "alpha=* * * * * *",
            "--cron",
            "beta=*/2 * * * * *",
            *_settings_args({"DOWNLOAD_DELAY": "0.4"}),
        ]
        process = subprocess.Popen(
            argv,
            cwd=tmp_path,
            env=crawl_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                done = {
                    name: list((tmp_path / "output" / name).glob("*.manifest.json"))
                    for name in ("alpha", "beta")
                }
                if all(len(found) >= 2 for found in done.values()):
                    break
                assert process.poll() is None, process.stderr.read()[-3000:]
                time.sleep(0.2)
            # Stop while crawls run: they must finish, and no new run may start.
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, stderr[-3000:]
    assert "scheduler stopped" in stderr
    before_stop, _, after_stop = stderr.partition("SIGTERM: no new runs")
    assert after_stop, stderr[-3000:]
    assert "starting a run" not in after_stop
    waiting = re.search(r"waiting for running crawls \((.*?)\) to finish", stderr)
    assert waiting and waiting.group(1) != "none", "SIGTERM came while no crawl ran"
    assert "still running at its next trigger" in before_stop
    for name in ("alpha", "beta"):
        manifests = [
            json.loads(p.read_text(encoding="utf-8"))
            for p in (tmp_path / "output" / name).glob("*.manifest.json")
        ]
        started = len(re.findall(rf"source {name}: starting a run", stderr))
        summaries = re.findall(rf"source {name}: run \S+ finished in", stderr)
        # Every run that started finished normally, SIGTERM or not, with its log line.
        assert len(manifests) == started == len(summaries) >= 2
        assert {m["finish_reason"] for m in manifests} == {"finished"}
        spans = sorted(
            (datetime.fromisoformat(m["started"]), datetime.fromisoformat(m["finished"]))
            for m in manifests
        )
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end, f"two runs of {name} overlapped"
    # The first runs wrote every article; later ones found nothing new.
    alpha = sorted((tmp_path / "output" / "alpha").glob("*.jsonl"))
    assert len(alpha[0].read_text(encoding="utf-8").splitlines()) == 3
    assert all(f.read_text(encoding="utf-8") == "" for f in alpha[1:])


@pytest.mark.slow
def test_the_scheduler_refuses_unknown_sources_and_bad_crons(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES.format(url="https://example.com"), encoding="utf-8")
    for extra, message in (
        (["gamma"], "no source named 'gamma'"),
        (["--cron", "alpha=* *"], "--cron alpha"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "newsbot", "schedule", "--sources", str(sources), *extra],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert message in result.stderr


def test_scheduler_object_skips_sources_without_a_schedule(tmp_path):
    source = Source(name="alpha", kind="site", urls=["https://example.com/"])
    scheduler = CrawlScheduler([source], str(tmp_path / "s.toml"))
    assert scheduler.crons == {"alpha": None}
