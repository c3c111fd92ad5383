#!/usr/bin/env python3
"""pubman benchmarks: pubman and its rivals side by side, measured in the same run.

Usage:
  python scripts/bench.py --setup            # once: rivals into .bench/ (gitignored)
  python scripts/bench.py                    # everything (tens of minutes with 250k entries)
  python scripts/bench.py --quick            # smoke test: small files, 1 run, small sizes
  python scripts/bench.py --only rivals,pubman   # sections: startup rivals pubman scaling
  python scripts/bench.py --sizes 25k,100k   # scaling sizes (default 25k,100k,250k)
  python scripts/bench.py --write-docs       # also regenerate docs/benchmarks.md

Every figure comes from a fresh child process (so imports and caches are what a user meets),
alternating the things compared round by round and taking medians; the peak RSS is that
child's own (``os.wait4``). The floor is reading the file and one pass of a compiled regular
expression that finds every entry's type and key (see ``CHILD``). Rivals (bibtexparser 2 and
1, pybtex, bibtex-tidy, biber --tool) that are not installed print "not installed"; a rival
past ``--timeout`` is killed and shown as "> N s"; one that took over 10 s is run once.
Nothing here is a dependency of pubman: the rivals live in .bench/ only.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_docs
import bench_report as rep
from bench_env import PY_BP1, PY_RIVALS, SETUP_HINT, TIDY, meta, setup, versions
from bench_run import Run, Series, run
from bench_scale import build_scaled, growth_exponent, parse_size

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bench"
BIG = "dblp-venues-2022-2024-large.bib"
SLOW = 10.0  # seconds: a rival slower than this in the first round is not run again
MIB = 1024 * 1024

# One child for every Python reader: times import + parse in-process, prints JSON.
CHILD = r"""
import json, sys, time
kind, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if kind == "floor":  # read, decode, one regex pass that finds each entry's type and key
    import re
    with open(path, "rb") as fh:
        text = fh.read().decode("utf-8", "replace")
    pat = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.M)
    n = sum(1 for _ in pat.finditer(text))
elif kind == "pubman":
    import pubman
    n = len(pubman.load(path).entries)
elif kind == "bp2":
    import bibtexparser
    n = len(bibtexparser.parse_file(path).entries)
elif kind == "bp1":
    import bibtexparser
    with open(path, encoding="utf-8") as fh:
        n = len(bibtexparser.load(fh).entries)
elif kind == "pybtex":
    import pybtex.errors
    from pybtex.database import parse_file
    pybtex.errors.set_strict_mode(False)  # the dblp file repeats 3 keys
    n = len(parse_file(path, bib_format="bibtex").entries)
print(json.dumps({"seconds": time.perf_counter() - t0, "n": n}))
"""

RIVALS = {
    "floor": "floor: read + one regex pass",
    "pubman": "`pubman.load`, cold cache",
    "bp2": "bibtexparser 2 `parse_file`",
    "bp1": "bibtexparser 1 `load`",
    "pybtex": "pybtex `parse_file`",
    "tidy": "bibtex-tidy",
    "tidy-dup": "bibtex-tidy `--duplicates`",
    "biber": "`biber --tool`",
}


class Bench:
    """The run's settings, its scratch folder and the environment every child gets."""

    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args, self.tmp = args, tmp
        # PYTHONDONTWRITEBYTECODE (set on some machines) would make every child recompile
        # pubman's source while the libraries it is compared with load their .pyc files:
        # children run as a user's shell does, writing and reusing bytecode.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PUBMAN_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        self.env = {**env, "COLUMNS": "100", "PUBMAN_NO_OUTPUT_CACHE": "1"}
        self.cache = tmp / "cache"
        self.cache.mkdir()

    def py(self, kind: str, path: Path, python: Path | str = sys.executable) -> list[str]:
        return [str(python), "-c", CHILD, kind, str(path)]

    def pubman(self, *argv: str) -> list[str]:
        return [sys.executable, "-m", "pubman", *argv]

    def cold(self, cmd: list[str], ok: tuple[int, ...] = (0,)) -> Run:
        """``cmd`` with an empty cache folder of its own (nothing parsed, nothing remembered)."""
        d = Path(tempfile.mkdtemp(dir=self.tmp))
        try:
            return run(cmd, {**self.env, "PUBMAN_CACHE_DIR": str(d)}, REPO, ok_codes=ok)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def warm(self, cmd: list[str], ok: tuple[int, ...] = (0,)) -> Run:
        """``cmd`` with the shared cache folder holding parses only: derived results (stats)
        and remembered output are removed first, so only the parse is reused."""
        for item in self.cache.iterdir():
            if item.name != "parse":
                shutil.rmtree(item) if item.is_dir() else item.unlink()
        return run(cmd, {**self.env, "PUBMAN_CACHE_DIR": str(self.cache)}, REPO, ok_codes=ok)

    def rival(self, cmd: list[str], cwd: Path) -> Run:
        return run(cmd, self.env, cwd, timeout=self.args.timeout)


def alternate(
    measures: dict[str, Callable[[], Run]], runs: int, slow: float = float("inf")
) -> dict[str, Series]:
    """Run every measure once per round, ``runs`` rounds; a measure that failed, timed out or
    took longer than ``slow`` seconds in round one is not run again."""
    series = {k: Series() for k in measures}
    for r in range(runs):
        for k, fn in measures.items():
            s = series[k]
            if r and (not s.ok or s.runs[0].wall > slow):
                continue
            s.runs.append(fn())
    return series


def summary(s: Series, timeout: float) -> dict[str, Any]:
    status = "ok" if s.ok else "timeout" if s.timed_out else "error"
    return {
        "status": status,
        "wall": s.wall() if s.ok else None,
        "inner": s.inner() if s.ok else None,
        "rss": s.rss(),
        "runs": len(s.runs),
        "timeout": timeout,
        "msg": s.error,
        "n": s.reported("n"),
    }


# ---- sections -------------------------------------------------------------------------


def section_startup(b: Bench) -> dict[str, Any]:
    py = sys.executable if importlib.util.find_spec("bibtexparser") else str(PY_RIVALS)
    fmt = ["format", "--style", "cv"]
    warm_env = {**b.env, "PUBMAN_CACHE_DIR": str(b.tmp / "startup")}
    del warm_env["PUBMAN_NO_OUTPUT_CACHE"]
    measures: dict[str, Callable[[], Run]] = {
        "import_bibtexparser": lambda: run([py, "-c", "import bibtexparser"], b.env, REPO),
        "version": lambda: run(b.pubman("--version"), b.env, REPO),
        "cv_warm": lambda: run(b.pubman(*fmt), warm_env, REPO),
        "cv_cold": lambda: run(b.pubman(*fmt), b.env, REPO),
    }
    alternate(measures, 1)  # warm the OS file cache, .pyc files and the output memo
    runs = max(7, 2 * b.args.runs)
    series = alternate(measures, runs)
    failed = [k for k, s in series.items() if not s.ok]
    if failed:
        raise SystemExit(f"start-up: {failed[0]} failed: {series[failed[0]].error}")
    return {"runs": runs, **{k: s.wall() for k, s in series.items()}}


def rival_measures(b: Bench, path: Path) -> dict[str, Callable[[], Run] | str]:
    out = b.tmp / "out"
    out.mkdir(exist_ok=True)
    m: dict[str, Callable[[], Run] | str] = {
        "floor": lambda: run(b.py("floor", path), b.env, REPO),
        "pubman": lambda: b.cold(b.py("pubman", path)),
    }
    m["bp2"] = (lambda: b.rival(b.py("bp2", path, PY_RIVALS), REPO)) if PY_RIVALS.exists() else ""
    m["bp1"] = (lambda: b.rival(b.py("bp1", path, PY_BP1), REPO)) if PY_BP1.exists() else ""
    m["pybtex"] = (
        (lambda: b.rival(b.py("pybtex", path, PY_RIVALS), REPO)) if PY_RIVALS.exists() else ""
    )
    tidy = [str(TIDY), str(path), "--v2", "--quiet", "-o", str(out / "tidy.bib")]
    m["tidy"] = (lambda: b.rival(tidy, out)) if TIDY.exists() else ""
    m["tidy-dup"] = (lambda: b.rival([*tidy, "--duplicates"], out)) if TIDY.exists() else ""
    biber = shutil.which("biber")
    cmd = [str(biber), "--tool", "--quiet", "--nolog", "--output-file=biber.bib", str(path)]
    m["biber"] = (lambda: b.rival(cmd, out)) if biber else "biber not on PATH (apt install biber)"
    return m


def section_rivals(b: Bench, files: list[Path]) -> dict[str, Any]:
    rows = []
    for path in files:
        measures = rival_measures(b, path)
        live = {k: v for k, v in measures.items() if not isinstance(v, str)}
        series = alternate(live, b.args.runs, slow=SLOW)
        tools: dict[str, Any] = {}
        for k, v in measures.items():
            if isinstance(v, str):
                tools[k] = {"status": "missing", "msg": v or SETUP_HINT, "rss": 0.0}
            else:
                tools[k] = summary(series[k], b.args.timeout)
        n = tools["pubman"]["n"] or tools["floor"]["n"] or 0
        size = path.stat().st_size
        rows.append(
            {"name": path.name, "entries": int(n), "bytes": size, "mib": size / MIB, "tools": tools}
        )
        print(f"  measured {path.name}", file=sys.stderr, flush=True)
    return {"files": rows, "tools": list(RIVALS), "labels": RIVALS}


def section_pubman(b: Bench, path: Path) -> dict[str, Any]:
    """format and dedup beyond loading, on a warm parse cache, alternating with a load."""
    b.warm(b.py("pubman", path))  # fills the parse cache
    bib = ["--bib", str(path)]
    measures: dict[str, Callable[[], Run]] = {
        "load only": lambda: b.warm(b.py("pubman", path)),
        "format --style cv": lambda: b.warm(b.pubman(*bib, "format", "--style", "cv")),
        "dedup": lambda: b.warm(b.pubman(*bib, "dedup"), ok=(0, 1)),
    }
    series = alternate(measures, b.args.runs)
    load = series["load only"].wall()
    cmds = {}
    for k, s in series.items():
        if not s.ok:
            raise SystemExit(f"pubman {k} failed on {path.name}: {s.error}")
        cmds[k] = {"wall": s.wall(), "beyond": s.wall() - load if k != "load only" else None}
        cmds[k]["rss"] = s.rss()
    return {"file": path.name, "commands": cmds}


COLUMNS = ["load (cold)", "check", "stats", "format", "dedup"]


def scale_point(b: Bench, path: Path, runs: int) -> dict[str, Any]:
    bib = ["--bib", str(path)]
    cold = alternate({"load (cold)": lambda: b.cold(b.py("pubman", path))}, runs)
    b.warm(b.py("pubman", path))
    commands = {
        "check": ["check", "--no-owner"],
        "stats": ["stats"],
        "format": ["format", "--style", "cv"],
        "dedup": ["dedup"],
    }
    measures: dict[str, Callable[[], Run]] = {"load": lambda: b.warm(b.py("pubman", path))}
    for name, argv in commands.items():
        measures[name] = lambda argv=argv: b.warm(b.pubman(*bib, *argv), ok=(0, 1))
    series = {**cold, **alternate(measures, runs)}
    for k, s in series.items():
        if not s.ok:
            raise SystemExit(f"scaling: {k} failed on {path.name}: {s.error}")
    load = series["load"].wall()
    cols = {
        "load (cold)": {
            "wall": series["load (cold)"].inner(),
            "beyond": None,
            "rss": series["load (cold)"].rss(),
        }
    }
    for name in commands:
        s = series[name]
        cols[name] = {"wall": s.wall(), "beyond": s.wall() - load, "rss": s.rss()}
    first = series["dedup"].runs[0].first.strip()  # "3 group(s) of duplicates in FILE", ...
    groups = first.split(" ", 1)[0] if "group(s)" in first else first.replace(str(path), "FILE")
    groups = "0" if "no duplicates" in first else groups
    return {"cols": cols, "groups": groups}


def section_scaling(b: Bench, source: Path, sizes: list[int]) -> dict[str, Any]:
    text = source.read_text(encoding="utf-8")
    points = []
    for n in sizes:
        path = b.tmp / f"scaled-{n}.bib"
        path.write_text(build_scaled(text, n), encoding="utf-8")
        runs = b.args.runs if n <= 30_000 else 1
        point = scale_point(b, path, runs)
        size = path.stat().st_size
        points.append({"entries": n, "bytes": size, "mib": size / MIB, "runs": runs, **point})
        path.unlink()
        for item in b.cache.iterdir():  # the next size must not read this one's cache
            shutil.rmtree(item) if item.is_dir() else item.unlink()
        print(f"  measured {n} entries", file=sys.stderr, flush=True)
    exps, rss_ratio = {}, {}
    for c in COLUMNS:
        total = growth_exponent([(p["entries"], p["cols"][c]["wall"]) for p in points])
        beyond = (
            None
            if c == "load (cold)"
            else growth_exponent([(p["entries"], p["cols"][c]["beyond"]) for p in points])
        )
        exps[c] = {"total": total, "beyond": beyond}
        last = points[-1]
        rss_ratio[c] = last["cols"][c]["rss"] * MIB / last["bytes"]
    return {
        "source": source.name,
        "columns": COLUMNS,
        "sizes": points,
        "exponents": exps,
        "rss_ratio": rss_ratio,
    }


# ---- targets, set-up, main ------------------------------------------------------------


SECTIONS = ("startup", "rivals", "pubman", "scaling")


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--setup", action="store_true", help="install the rivals into .bench/")
    ap.add_argument("--quick", action="store_true", help="smoke test: small files, 1 run")
    ap.add_argument("--runs", type=int, default=0, help="rounds per figure (default 3; quick 1)")
    ap.add_argument("--only", default="", help="comma-separated: " + ",".join(SECTIONS))
    ap.add_argument("--sizes", default="", help="scaling sizes (default 25k,100k,250k)")
    ap.add_argument("--timeout", type=float, default=0, help="seconds per rival run (120)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--note", default="", help="what else the machine was doing (for the docs)")
    ap.add_argument("--write-docs", action="store_true", help="regenerate docs/benchmarks.md")
    args = ap.parse_args()
    args.runs = args.runs or (1 if args.quick else 3)
    args.timeout = args.timeout or (30.0 if args.quick else 120.0)
    args.sizes = [
        parse_size(s)
        for s in (args.sizes or ("1k,3k" if args.quick else "25k,100k,250k")).split(",")
    ]
    args.sections = [s for s in args.only.split(",") if s] or list(SECTIONS)
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    if args.write_docs and (args.quick or args.only):
        ap.error("--write-docs needs a full run (no --quick, no --only)")
    return args


def main() -> None:
    args = parse_args()
    if args.setup:
        setup()
        return
    files = sorted(args.corpus.glob("*.bib")) if args.corpus.is_dir() else []
    if args.quick:
        files = [f for f in files if f.stat().st_size < 1_500_000]
    big = next(
        (f for f in files if f.name == BIG),
        max(files, key=lambda f: f.stat().st_size, default=None),
    )
    source = args.corpus / BIG if (args.corpus / BIG).exists() else big
    res: dict[str, Any] = {"meta": meta(args)}
    print("# pubman benchmarks\n")
    print(rep.render_meta(res["meta"]))
    with tempfile.TemporaryDirectory(prefix="pubman-bench-") as tmp:
        b = Bench(args, Path(tmp))
        res["meta"]["versions"] = versions(b.env)
        print(rep.render_meta({**res["meta"], "note": "", "busy": False}).splitlines()[-1])
        steps: list[tuple[str, str, Callable[[], dict[str, Any]]]] = [
            ("startup", "Start-up", lambda: section_startup(b)),
            ("rivals", "Loading: pubman and rivals", lambda: section_rivals(b, files)),
            ("pubman", "Commands beyond loading", lambda: section_pubman(b, big)),  # type: ignore[arg-type]
            ("scaling", "Scaling", lambda: section_scaling(b, source, args.sizes)),  # type: ignore[arg-type]
        ]
        for key, title, fn in steps:
            if key not in args.sections:
                continue
            if key != "startup" and big is None:
                print(f"\n(no bench files in {args.corpus}; skipping {key})")
                continue
            print(f"\n## {title}\n", flush=True)
            res[key] = fn()
            print(bench_docs.RENDER[key](res[key]), flush=True)
    res["meta"]["load_end"] = os.getloadavg()[0]
    res["targets"] = rep.collect_targets(res, BIG)
    print("\n## Targets\n")
    print(rep.render_targets(res["targets"]))
    print(f"\n(load average at end {res['meta']['load_end']:.2f})")
    if args.write_docs:
        out = REPO / "docs" / "benchmarks.md"
        out.write_text(bench_docs.document(res), encoding="utf-8")
        print(f"\nwrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
