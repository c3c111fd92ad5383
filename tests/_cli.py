"""pubman run as a user runs it: a fresh ``python -m pubman`` process, output captured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_pubman(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``pubman ARGS`` in ``cwd`` with ``env`` added to this process's environment; never raises
    on a non-zero exit (tests assert the code)."""
    return subprocess.run(
        [sys.executable, "-m", "pubman", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
