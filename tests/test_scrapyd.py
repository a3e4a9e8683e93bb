"""The project deploys to a real Scrapyd with scrapyd-deploy and crawls there with its
pipelines and crawl state: a second job on the same state writes nothing new."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from test_state_support import NewsSite, component_settings

from newsbot.demo.server import DemoServer

pytestmark = [pytest.mark.slow, pytest.mark.scrapyd]
pytest.importorskip("scrapyd", reason="scrapyd is not installed (pip install -e '.[test]')")
pytest.importorskip("scrapyd_client", reason="scrapyd-client is not installed")

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (127.0.0.1 only)
        data: dict[str, Any] = json.loads(response.read())
    return data


def _post(url: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    body = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=body, timeout=10) as response:  # noqa: S310
        data: dict[str, Any] = json.loads(response.read())
    return data


@pytest.fixture
def scrapyd(tmp_path):
    """A Scrapyd on 127.0.0.1 in a folder of its own; yields its base URL."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        # No items_dir: Scrapyd would pass its own FEEDS and replace newsbot's output.
        "items_dir =\n"
        "poll_interval = 0.2\n"
        "max_proc = 2\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [str(BIN / "scrapyd")],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=(home / "scrapyd.err").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(f"{url}/daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert process.poll() is None, (home / "scrapyd.err").read_text()[-2000:]
            assert time.monotonic() < deadline, "Scrapyd did not start"
            time.sleep(0.2)
        yield url, home
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _deploy(url: str, workdir: Path) -> None:
    """scrapyd-deploy from a copy of the project (it writes a setup.py next to
    scrapy.cfg, which must not land in the working tree)."""
    project = workdir / "project"
    shutil.copytree(
        REPO / "newsbot",
        project / "newsbot",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    (project / "scrapy.cfg").write_text(
        f"[settings]\ndefault = newsbot.settings\n\n[deploy]\nurl = {url}/\nproject = newsbot\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--version", "1"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert '"status": "ok"' in result.stdout + result.stderr


def _run_job(url: str, site_url: str, output: Path, state: Path) -> dict[str, Any]:
    settings = {
        "NEWSBOT_OUTPUT_DIR": str(output),
        "NEWSBOT_STATE_DIR": str(state),
        "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": "1",
        "NEWSBOT_WORKERS": "-1",
        "AUTOTHROTTLE_ENABLED": "0",
        **component_settings(),
    }
    fields = [
        ("project", "newsbot"),
        ("spider", "site"),
        ("url", site_url + "/"),
        ("allow_private", "1"),
        ("state", "1"),  # an ad-hoc run keeps crawl state only when asked to
        *(("setting", f"{k}={v}") for k, v in settings.items()),
    ]
    job = _post(f"{url}/schedule.json", fields)
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        jobs = _get(f"{url}/listjobs.json?project=newsbot")
        finished = [j for j in jobs["finished"] if j["id"] == job["jobid"]]
        if finished:
            return finished[0]
        time.sleep(0.3)
    raise AssertionError("the Scrapyd job did not finish")


def test_a_scrapyd_deployment_crawls_a_site_with_pipelines_and_state(scrapyd, tmp_path):
    url, home = scrapyd
    _deploy(url, tmp_path)
    spiders = _get(f"{url}/listspiders.json?project=newsbot")
    assert "site" in spiders["spiders"], spiders

    root = tmp_path / "site-root"
    root.mkdir()
    output, state = tmp_path / "out", tmp_path / "state"
    with DemoServer(root=root) as server:
        site = NewsSite(server)
        for number in (1, 2, 3):
            site.add(number)
        _run_job(url, server.url, output, state)
        files = sorted((output / "site").glob("*.jsonl"))
        logs = "\n".join(p.read_text() for p in (home / "logs").rglob("*.log"))
        assert len(files) == 1, logs[-3000:]
        records = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
        # Clean records: the extraction pipeline ran, not raw pages.
        assert sorted(r["url"] for r in records) == [site.url(n) for n in (1, 2, 3)]
        assert all(
            r["text"] and r["title"] == f"Story number {int(r['url'][-10:-5])}" for r in records
        )
        manifest = json.loads(files[0].with_name(files[0].stem + ".manifest.json").read_text())
        assert manifest["exit_status"] == 0

        server.clear_log()
        _run_job(url, server.url, output, state)
        second = sorted((output / "site").glob("*.jsonl"))[-1]
        assert second != files[0]
        assert second.read_text(encoding="utf-8") == ""
        assert site.article_fetches() == {}
