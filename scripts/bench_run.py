"""Running one measured child process for scripts/bench.py.

``run`` starts a command through a small launcher that waits for it with ``os.wait4`` (so the
peak RSS is this child's own, not the largest of all children so far, as RUSAGE_CHILDREN would
give), kills it at the timeout, and returns wall seconds, peak RSS, the exit status and
whatever JSON line the child printed last (Python children report their in-process time so).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


@dataclass
class Run:
    """One finished child: wall seconds, peak RSS in MiB, and what it reported."""

    wall: float
    rss_mib: float
    ok: bool
    timed_out: bool = False
    report: dict[str, float] = field(default_factory=dict)
    error: str = ""
    first: str = ""


# The launcher between this process and the measured one. Linux gives a child the peak RSS of
# the process it was forked from (a forked copy counts, and exec keeps the high-water mark), so
# a child forked from this script, which holds whole .bib texts, would report this script's
# memory. The launcher is a small fresh interpreter: it forks the measured command, times it,
# kills its process group at the timeout, and writes wall seconds and wait4's peak RSS to a
# file. What the launcher itself holds (~10 MiB) is the floor of every RSS figure.
LAUNCHER = r"""
import json, os, signal, subprocess, sys, threading, time
result, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
killed = []
start = time.perf_counter()
proc = subprocess.Popen(cmd, start_new_session=True)
def kill():
    killed.append(True)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
timer = threading.Timer(timeout, kill) if timeout > 0 else None
if timer:
    timer.start()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
if timer:
    timer.cancel()
proc.returncode = code = os.waitstatus_to_exitcode(status)
with open(result, "w") as fh:
    json.dump({"wall": wall, "rss_kib": usage.ru_maxrss, "code": code, "killed": bool(killed)}, fh)
"""


def run(
    cmd: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    timeout: float | None = None,
    ok_codes: Sequence[int] = (0,),
) -> Run:
    """Run ``cmd`` once through the launcher; stdout and stderr go to temporary files (read
    back for the child's JSON report and for an error message)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(suffix=".json") as res,
    ):
        launcher = [sys.executable, "-S", "-c", LAUNCHER, res.name, str(timeout or 0), *cmd]
        subprocess.run(launcher, env=env, cwd=cwd, stdout=out, stderr=err, check=False)
        first, lines = _ends(out)
        _, errors = _ends(err)
        try:
            info = json.loads(Path(res.name).read_text(encoding="utf-8") or "{}")
        except ValueError:
            info = {}
    if not info:
        msg = (errors or ["the launcher failed"])[-1][:200]
        return Run(wall=0.0, rss_mib=0.0, ok=False, error=_no_paths(msg))
    report: dict[str, float] = {}
    if lines and lines[-1].startswith("{"):
        try:
            report = json.loads(lines[-1])
        except ValueError:
            pass
    ok = info["code"] in ok_codes and not info["killed"]
    last = _no_paths((errors or lines or [f"exit status {info['code']}"])[-1][:200])
    return Run(
        wall=info["wall"],
        rss_mib=info["rss_kib"] / 1024,  # KiB on Linux
        ok=ok,
        timed_out=info["killed"],
        report=report,
        error="" if ok else last,
        first=first,
    )


def _no_paths(msg: str) -> str:
    """``msg`` without the folders of temporary files (a tool's error names them)."""
    return re.sub(r"\S*/(?=[^/\s]+\.(?:utf8|bib)\b)", "", msg)


def _ends(fh: IO[bytes]) -> tuple[str, list[str]]:
    """The first line and the last lines of a file (a 250k-entry ``format`` prints ~100 MB)."""
    fh.seek(0)
    first = fh.read(4096).decode("utf-8", "replace").split("\n", 1)[0]
    size = fh.seek(0, os.SEEK_END)
    fh.seek(max(0, size - 65536))
    return first, fh.read().decode("utf-8", "replace").strip().splitlines()


@dataclass
class Series:
    """Every run of one measurement, with the summary the tables print."""

    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)

    @property
    def timed_out(self) -> bool:
        return any(r.timed_out for r in self.runs)

    @property
    def error(self) -> str:
        return next((r.error for r in self.runs if r.error), "")

    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    def inner(self, key: str = "seconds") -> float | None:
        """Median of the child's own reported seconds (None if it reported none)."""
        vals = [r.report[key] for r in self.runs if key in r.report]
        return statistics.median(vals) if vals else None

    def rss(self) -> float:
        return max(r.rss_mib for r in self.runs)

    def reported(self, key: str) -> float | None:
        return next((r.report[key] for r in self.runs if key in r.report), None)
