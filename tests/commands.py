"""Running newsbot's command the way a user types it, for the tests that check what it
prints and exits with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
"""The console script the project installs beside this interpreter."""


def run_newsbot(
    *args: str,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 240,
) -> subprocess.CompletedProcess[str]:
    """``newsbot ARGS...`` in a subprocess, its output captured as text (``env``: variables
    added to this process's own)."""
    return subprocess.run(
        [NEWSBOT, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=dict(os.environ, **env) if env else None,
    )
