"""The bench-only environment of scripts/bench.py: installing the rivals, their versions, and
a description of the machine the figures were taken on."""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench_run import run

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / ".bench"
PY_BP1 = BENCH / "venv-bp1" / "bin" / "python"
PY_RIVALS = BENCH / "venv-rivals" / "bin" / "python"
TIDY = BENCH / "node_modules" / ".bin" / "bibtex-tidy"
SETUP_HINT = "run `python scripts/bench.py --setup`"

VERSION_CHILD = (
    "import importlib.metadata as m, json, sys; print(json.dumps({'v': m.version(sys.argv[1])}))"
)


def setup() -> None:
    """Install the rivals into .bench/ (gitignored): two venvs and bibtex-tidy from npm."""
    BENCH.mkdir(exist_ok=True)
    venvs = {
        "venv-bp1": ["bibtexparser>=1.4,<2"],
        "venv-rivals": ["bibtexparser>=2.1,<3", "pybtex>=0.24"],
    }
    for name, pkgs in venvs.items():
        print(f"{BENCH / name}: {' '.join(pkgs)}")
        subprocess.run([sys.executable, "-m", "venv", str(BENCH / name)], check=True)
        pip = [str(BENCH / name / "bin" / "python"), "-m", "pip", "install", "-q", *pkgs]
        subprocess.run(pip, check=True)
    if shutil.which("npm") is None:
        print("npm not found: bibtex-tidy is skipped (install Node.js and npm, then re-run)")
    else:
        print(f"{BENCH / 'node_modules'}: bibtex-tidy")
        npm = ["npm", "install", "--prefix", str(BENCH), "--no-audit", "--no-fund", "bibtex-tidy"]
        subprocess.run(npm, check=True)
    if shutil.which("biber") is None:
        print("biber not found: install it (Debian: apt install biber) for the biber figures")


def versions(env: dict[str, str]) -> dict[str, str]:
    out = {"pubman": "", "bibtexparser 2": "", "bibtexparser 1": "", "pybtex": ""}
    for label, py, dist in (
        ("pubman", sys.executable, "pubman"),
        ("bibtexparser 2", PY_RIVALS, "bibtexparser"),
        ("bibtexparser 1", PY_BP1, "bibtexparser"),
        ("pybtex", PY_RIVALS, "pybtex"),
    ):
        r = run([str(py), "-c", VERSION_CHILD, dist], env, REPO) if Path(py).exists() else None
        out[label] = str(r.report.get("v", "?")) if r and r.ok else "not installed"
    for label, cmd in (("bibtex-tidy", [str(TIDY), "--version"]), ("biber", ["biber", "-v"])):
        try:
            text = subprocess.run(
                cmd, capture_output=True, text=True, timeout=60, check=False
            ).stdout
            out[label] = text.strip().split()[-1] if text.strip() else "?"
        except (OSError, subprocess.TimeoutExpired):
            out[label] = "not installed"
    return out


def meta(args: argparse.Namespace) -> dict[str, Any]:
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    mem = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 1024**3
    return {
        "cores": cores,
        "mem_gib": mem,
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "load_start": load,
        "busy": load > 0.5 * cores,
        "runs": args.runs,
        "timeout": args.timeout,
        "note": args.note,
        "command": shlex.join(["python", "scripts/bench.py", *sys.argv[1:]]),
    }
