"""Headless Chromium driven over the DevTools protocol, for the report tests.

Chromium is started with ``--remote-debugging-pipe`` (the protocol's JSON messages on
file descriptors 3 and 4, NUL-terminated), so no WebSocket client is needed. The
browser cannot reach any network: every request goes to a proxy on a dead local port
and every host name resolves to nothing. What a page asked for, what failed and what
its console said are collected from the protocol's events.

(No tests here: pytest collects the module and finds none.)
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def dead_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ProtocolError(Exception):
    pass


@dataclass
class PageLoad:
    """What happened while a page loaded."""

    requests: list[str] = field(default_factory=list)
    """Every URL the page requested (Network.requestWillBeSent)."""
    failed: list[str] = field(default_factory=list)
    """Requests that failed: the URL and Chromium's error text."""
    console_errors: list[str] = field(default_factory=list)
    """Console messages of level error, uncaught exceptions, and browser log errors."""


class Chromium:
    """One headless Chromium with one page, driven over a pipe."""

    def __init__(self, binary: str, profile: Path, *, width: int = 1280, height: int = 2000):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        blocked = f"http://127.0.0.1:{dead_port()}"
        args = [
            binary,
            "--headless",
            "--no-sandbox",  # the tests may run as root (CI)
            "--disable-gpu",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            # No network: all traffic to a proxy that is not there, no name resolves.
            f"--proxy-server={blocked}",
            "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "about:blank",
        ]
        # The protocol wants its pipes as descriptors 3 and 4; bash moves them there.
        script = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        self._log = open(profile / "chromium.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            ["bash", "-c", script, *args],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                self._messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self._messages.put(json.loads(message))

    def _next(self, deadline: float) -> dict[str, Any]:
        try:
            message = self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise ProtocolError("Chromium did not answer in time") from None
        if message is None:
            raise ProtocolError(f"Chromium closed the pipe (exit {self.process.poll()})")
        return message

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 30
    ) -> dict[str, Any]:
        """Send a command (to the page's session once attached) and return its result;
        events met meanwhile are kept in :attr:`events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._next(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ProtocolError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self.events.append(reply)

    def wait_for(self, method: str, *, timeout: float = 30) -> dict[str, Any]:
        """Wait for the event *method* (one already received counts)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._next(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open(self, url: str) -> PageLoad:
        """Open *url* in a new page, wait for its load event, and say what happened."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable")
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired", timeout=60)
        return self.page_load()

    def page_load(self) -> PageLoad:
        load = PageLoad()
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                load.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                load.failed.append(f"{params.get('type')}: {params.get('errorText')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "assert",
            ):
                texts = [str(a.get("value", a.get("description", ""))) for a in params["args"]]
                load.console_errors.append("console: " + " ".join(texts))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text")
                load.console_errors.append(f"exception: {text}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                load.console_errors.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        return load

    def evaluate(self, expression: str, *, timeout: float = 30) -> Any:
        """The value of a JavaScript expression in the page (awaited if a promise)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise ProtocolError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(ProtocolError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        self._reader.join(timeout=5)
        os.close(self._from_browser)
        self._log.close()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
