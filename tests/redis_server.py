"""A throwaway redis-server for tests: 127.0.0.1, a free port, a temp dir, no disk
persistence. Tests that need one skip, naming the binary, when it is not installed
(``make test`` and CI install it: scripts/ensure-services.sh)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

BINARY = "redis-server"


def redis_server_binary() -> str | None:
    return shutil.which(BINARY)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A running redis-server; :meth:`stop` kills it (as a crash would), and
    :meth:`start` brings it back on the same port."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        # No retries: redis-py's default backs off for seconds on a closed connection,
        # which is what start() polls for and what shutdown_saving() causes.
        return redis.Redis(
            host="127.0.0.1", port=self.port, socket_timeout=5, retry=Retry(NoBackoff(), 0)
        )

    def start(self) -> RedisServer:
        binary = redis_server_binary()
        if binary is None:
            raise RuntimeError(f"{BINARY} is not installed")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        client = self.client()
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start on port {self.port}: see "
                        f"{self.directory / 'redis.log'}"
                    ) from None
                time.sleep(0.05)
        client.close()
        return self

    def shutdown_saving(self) -> None:
        """Stop the server as an orderly restart would: its data is saved to disk and
        loaded again by :meth:`start` (a network outage that loses nothing)."""
        client = self.client()
        client.shutdown(save=True)
        client.close()
        if self.process is not None:
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
