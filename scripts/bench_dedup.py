"""Time ``pubman dedup`` on a large .bib and print where the time goes.

Usage: python scripts/bench_dedup.py [FILE.bib ...] [--repeat N]
Default file: ../shared/corpus/bench/dblp-venues-2022-2024-large.bib (beside the repository).
Prints, per run: loading, then find_duplicates's phases (normalise, blocking, scoring,
grouping), wall clock and this process's CPU time, the number of candidate pairs (against all
pairs) and the groups found. The target is dedup (beyond loading) under 3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pubman.dedup.groups import find_duplicates
from pubman.store import bibliography as bibstore

DEFAULT = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "corpus"
    / "bench"
    / "dblp-venues-2022-2024-large.bib"
)


def bench(path: Path) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    entries = list(bibstore.load(path).entries.values())
    print(f"{path.name}: {len(entries)} entries, loaded in {time.perf_counter() - start:.2f} s")
    timings: dict[str, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    groups = find_duplicates(entries, timings=timings)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    for phase in ("normalise", "blocking", "scoring", "grouping"):
        print(f"  {phase:10} {timings[phase]:6.3f} s")
    n = len(entries)
    print(
        f"  dedup total {wall:.3f} s wall, {used:.3f} s CPU; "
        f"{int(timings['candidates'])} candidate pairs of {n * (n - 1) // 2} "
        f"({timings['candidates'] / max(1, n * (n - 1) // 2):.5%}); {len(groups)} groups"
    )
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--repeat", type=int, default=1, help="runs per file (default 1)")
    args = parser.parse_args()
    for path in args.files:
        walls = [bench(path) for _ in range(args.repeat)]
        if args.repeat > 1:
            print(f"  best of {args.repeat}: {min(walls):.3f} s")


if __name__ == "__main__":
    main()
