"""docs/benchmarks.md as scripts/bench.py writes it: fixed prose around the measured tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import bench_report as rep

RENDER: dict[str, Callable[[dict[str, Any]], str]] = {
    "startup": rep.render_startup,
    "rivals": rep.render_rivals,
    "pubman": rep.render_beyond,
    "scaling": rep.render_scaling,
}

INTRO = """\
# pubman benchmarks

Produced by `{command}` (set up once with `python scripts/bench.py --setup`, which installs the
rivals into the gitignored `.bench/`; none of them is a dependency of pubman). Every figure is
the median over alternating runs in one session, each a fresh child process, so ratios compare
measurements taken under the same conditions; absolute times move with the machine's load.
Bench files are `../shared/corpus/bench/*.bib`. Re-run the script to refresh every figure here.

{meta}

## Targets

{targets}
"""

STARTUP = """
## Start-up (median wall time of a fresh process, {runs} alternating runs after one warm-up)

{table}

The baseline is what any script that reads BibTeX with bibtexparser pays before it reads a
byte. The cold figure (`PUBMAN_NO_OUTPUT_CACHE=1`) is pubman parsing `pubs.bib`, classifying
venues and formatting every entry; with the output memo warm, a repeated `pubman format` on
an unchanged `pubs.bib` replays its remembered output instead (any change to the bib, the
config, the flags or pubman itself recomputes).
"""

RIVALS = """
## Loading: pubman and its rivals (median wall seconds of a fresh process; × the floor)

{table}

The floor is the least any reader must do: read the file, decode it, and run one compiled
regular expression (`^[ \\t]*@[ \\t]*(\\w+)[ \\t]*[{{(][ \\t]*([^,\\s]*)`, multi-line) over the
text with `finditer`, which finds every entry's type and key but reads no field. The pubman
row is `pubman.load` with an empty cache folder, so it parses the file (and, for files over
512 KiB, writes its parse cache). Python readers are timed from interpreter start, so each
figure includes importing the library; bibtex-tidy (Node.js) is run as
`bibtex-tidy FILE --v2 --quiet -o OUT`, which parses and re-prints (it has no parse-only mode);
biber as `biber --tool --quiet --nolog --output-file=OUT FILE`. A rival past the timeout is
killed ("> N s"); one that took over 10 s in the first round was run once. pubman keeps every
byte of the file (so it can write untouched text back verbatim), which is part of its memory.
"""

PUBMAN = """
## Commands beyond loading ({file})

{table}

Each command ran with the parse cache warm (as every command after the first does), with the
output memo and the derived-results cache cleared before each run, alternating with a process
that only loads the file the same way; "beyond load" is the command's median minus that
load's median, so it includes the command's own imports (argparse, rich) and writing its output.
`format` is the CV style with owner matching on (the repository's `pubman.toml`). A list of
1,000 entries or more is composed in as many processes as the machine has cores (forked;
`PUBMAN_JOBS=1` makes it one): its seconds are wall time, and its peak RSS is the larger of
the processes' (what `wait4` reports), which share the loaded file's memory pages.
"""

SCALING = """
## Scaling

{table}

The files are built from `{source}` in a temporary folder: its entries repeated until the
size is reached, each copy with a unique key (`-c2`, ...), a title made of the first half of
its own title and the second half of another entry's, and its identifiers (DOI, URL, arXiv id,
dblp links) changed digit by digit (or given `-cN` where that lands on another entry's
identifier, as it does in sequentially numbered DOIs), so a copy is a different paper by the
same authors in the same venue and year. Without that, `dedup` would see every paper ten times and the figures
would measure merging copies, not a larger bibliography. "load (cold)" is `pubman.load` in a
fresh process with an empty cache folder (in-process seconds); the commands are the CLI
(`check --no-owner`, `stats`, `format --style cv`, `dedup`) with the parse cache warm, shown as
process seconds (+ seconds beyond a warm load). The growth exponent is the slope of log time
against log entries between the smallest and the largest size (1.0 is linear); a process's
fixed start-up cost pulls it below 1, the "beyond load" exponent does not have that cost.
Sizes above 30,000 entries were run once.
"""


def document(res: dict[str, Any]) -> str:
    """The whole of docs/benchmarks.md for one run's results."""
    meta = res["meta"]
    parts = [
        INTRO.format(
            command=meta["command"],
            meta=rep.render_meta(meta),
            targets=rep.render_targets(res["targets"]),
        )
    ]
    if "startup" in res:
        s = res["startup"]
        parts.append(STARTUP.format(runs=s["runs"], table=rep.render_startup(s)))
    if "rivals" in res:
        parts.append(RIVALS.format(table=rep.render_rivals(res["rivals"])))
    if "pubman" in res:
        p = res["pubman"]
        parts.append(PUBMAN.format(file=p["file"], table=rep.render_beyond(p)))
    if "scaling" in res:
        sc = res["scaling"]
        parts.append(SCALING.format(source=sc["source"], table=rep.render_scaling(sc)))
    return "\n".join(parts).rstrip() + "\n"
