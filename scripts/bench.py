#!/usr/bin/env python3
"""pubman benchmarks, with baselines measured in the same run.

Prints medians over several runs, peak memory (max RSS of the measuring child process), and
ratios against:
  - ``python -c "import bibtexparser"`` for start-up, and
  - ``bibtexparser.parse_file`` on the same file for loading.

Usage:
  python scripts/bench.py                 # everything (several minutes on the big dblp file)
  python scripts/bench.py --quick         # fewer runs, small files only
  python scripts/bench.py --only load     # one section: startup | load | commands
  python scripts/bench.py --corpus DIR    # where the bench .bib files are
                                          # (default: ../shared/corpus/bench beside the repo)

Every measurement runs in a fresh child process, so import costs and caches are what a user
meets. The parse cache lives in a temporary PUBMAN_CACHE_DIR: "cold" runs clear it first,
"warm" runs reuse it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bench"
BIG = "dblp-venues-2022-2024-large.bib"

# A child that times one step in-process and reports seconds and max RSS as JSON.
CHILD = r"""
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if kind == "bibtexparser":
    import bibtexparser
    lib = bibtexparser.parse_file(path)
    n = len(lib.entries)
    load = time.perf_counter() - t0
    extra = 0.0
else:
    from pubman.store import bibliography as bibstore
    bib = bibstore.load(path, cache=(kind != "pubman-nocache"))
    n = len(bib.entries)
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    if kind == "format":
        from pubman.config import load_settings
        from pubman.formatting import measure
        measure(list(bib.entries.values()), owner_names=load_settings().owner_names)
    elif kind == "dedup":
        from pubman.dedup import groups as dedup
        dedup.find_duplicates(list(bib.entries.values()))
    elif kind == "stats":
        from pubman.stats import counts as stats
        from pubman.venues import VenueTable
        stats.collect_works(bib.entries.values(), VenueTable.load())
    extra = time.perf_counter() - t1
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "load": load, "extra": extra, "rss_mib": rss}))
"""


def run_child(kind: str, path: Path, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - t


def median_wall(cmd: list[str], runs: int, env: dict[str, str], cwd: Path = REPO) -> float:
    wall(cmd, env, cwd)  # warm the OS file cache and .pyc files
    return statistics.median(wall(cmd, env, cwd) for _ in range(runs))


def section_startup(runs: int, env: dict[str, str]) -> None:
    pubman = [sys.executable, "-m", "pubman"]
    base = median_wall([sys.executable, "-c", "import bibtexparser"], runs, env)
    version = median_wall(pubman + ["--version"], runs, env)
    fmt = pubman + ["format", "--style", "cv", "--to", "markdown"]
    cv = median_wall(fmt, runs, env)
    cold = median_wall(fmt, runs, {**env, "PUBMAN_NO_OUTPUT_CACHE": "1"})
    print("\n## Start-up (median wall time of a fresh process)")
    label = 'python -c "import bibtexparser"'
    print(f"{label:44s} {base * 1000:8.1f} ms   (baseline)")
    print(f"{'pubman --version':44s} {version * 1000:8.1f} ms   {version / base:5.2f}x")
    print(
        f"{'pubman format --style cv (pubs.bib)':44s} {cv * 1000:8.1f} ms   "
        f"{cv / base:5.2f}x  (target <= 2.00x; output cache warm)"
    )
    print(
        f"{'  the same, PUBMAN_NO_OUTPUT_CACHE=1':44s} {cold * 1000:8.1f} ms   "
        f"{cold / base:5.2f}x  (parse, classify and format every time)"
    )


def section_load(files: list[Path], runs: int, env: dict[str, str], cache: Path) -> None:
    print("\n## Loading (median seconds in a fresh process; peak RSS)")
    print(
        f"{'file':44s} {'entries':>7s} {'bibtexparser':>13s} {'pubman':>8s} {'ratio':>6s}"
        f" {'cached':>7s} {'ratio':>6s} {'RSS bp/pm MiB':>14s}"
    )
    for path in files:
        bp = [run_child("bibtexparser", path, env) for _ in range(runs)]
        pm = [run_child("pubman-nocache", path, env) for _ in range(runs)]
        shutil.rmtree(cache, ignore_errors=True)
        run_child("pubman", path, env)  # fills the parse cache
        warm = [run_child("pubman", path, env) for _ in range(runs)]
        b = statistics.median(r["load"] for r in bp)
        p = statistics.median(r["load"] for r in pm)
        w = statistics.median(r["load"] for r in warm)
        rss = f"{max(r['rss_mib'] for r in bp):.0f}/{max(r['rss_mib'] for r in pm):.0f}"
        print(
            f"{path.name:44s} {int(pm[0]['n']):7d} {b:12.2f}s {p:7.2f}s {p / b:5.2f}x"
            f" {w:6.2f}s {w / b:5.2f}x {rss:>14s}"
        )


def section_commands(files: list[Path], runs: int, env: dict[str, str], cache: Path) -> None:
    print("\n## Commands on bench files (parse cache warm; seconds beyond loading, median)")
    print(f"{'file':44s} {'entries':>7s} {'load':>7s} {'format':>7s} {'dedup':>7s} {'stats':>7s}")
    for path in files:
        run_child("pubman", path, env)
        row = {}
        for kind in ("format", "dedup", "stats"):
            try:
                rs = [run_child(kind, path, env) for _ in range(runs)]
            except subprocess.CalledProcessError as err:
                row[kind] = float("nan")
                print(f"  ({kind} failed: {err.stderr.strip().splitlines()[-1:]})")
                continue
            row[kind] = statistics.median(r["extra"] for r in rs)
            row["load"] = statistics.median(r["load"] for r in rs)
            row["n"] = rs[0]["n"]
        print(
            f"{path.name:44s} {int(row.get('n', 0)):7d} {row.get('load', 0):6.2f}s"
            f" {row['format']:6.2f}s {row['dedup']:6.2f}s {row['stats']:6.2f}s"
        )
    big = next((f for f in files if f.name == BIG), None)
    if big is None:
        return
    print("\n## Second `pubman stats` on the big file vs bibtexparser.parse_file")
    bp = statistics.median(run_child("bibtexparser", big, env)["load"] for _ in range(runs))
    cmd = [sys.executable, "-m", "pubman", "--bib", str(big), "stats", "--format", "json"]
    wall(cmd, env, REPO)  # first run fills the cache
    second = median_wall(cmd, runs, env)
    print(
        f"bibtexparser.parse_file {bp:6.2f}s   second pubman stats (whole process) "
        f"{second:6.2f}s   ratio {second / bp:4.2f}x  (target <= 0.20x)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs, skip the big file")
    ap.add_argument("--runs", type=int, default=0, help="runs per measurement")
    ap.add_argument("--only", choices=["startup", "load", "commands"])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    cache = Path(tempfile.mkdtemp(prefix="pubman-bench-"))
    env = {**os.environ, "PUBMAN_CACHE_DIR": str(cache), "COLUMNS": "100"}
    files = sorted(args.corpus.glob("*.bib")) if args.corpus.is_dir() else []
    if args.quick:
        files = [f for f in files if f.name != BIG]
    print(
        f"# pubman benchmarks ({os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{runs} runs each)"
    )
    try:
        if args.only in (None, "startup"):
            section_startup(runs * 2, env)
        if not files:
            print(f"\n(no bench files in {args.corpus}; skipping load and commands)")
            return
        if args.only in (None, "load"):
            section_load(files, max(1, runs // 2) if not args.quick else 1, env, cache)
        if args.only in (None, "commands"):
            section_commands(files, max(1, runs // 2), env, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
