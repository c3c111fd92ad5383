"""BibTeX itself as the oracle: pubman reads every entry, key, type and field value as ``bibtex``
does, or ``pubman check`` reports the difference on that entry.

``tests/data/oracle/dump.bst`` makes bibtex list what it read; it runs over the conformance set
(``tests/data/conformance/``) and every file of the shared corpus, whole (bibtex reads the 23 MB
dblp bench file in ~2 s; that file's comparison takes ~7 s of the test's ~15 s).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from _corpus import CORPUS, DATA

from pubman import checks
from pubman.store import bibliography as bibstore

BIBTEX = shutil.which("bibtex")
pytestmark = pytest.mark.skipif(BIBTEX is None, reason="bibtex (texlive-binaries) not installed")

BST = (DATA / "oracle" / "dump.bst").read_text(encoding="utf-8")
CONFORMANCE = sorted((DATA / "conformance").glob("*.bib"))
_BST_ID = re.compile(r"[A-Za-z][^\s\"#%'(),={}$]*\Z")
# Differences a pubman problem on the same entry (or at its line) explains.
EXPLAINED_BY = {
    "value": {"undefined-macro", "percent-in-entry", "duplicate-field"},
    "missing-field": {"percent-in-entry", "bad-crossref"},
    "extra-entry": {"parse", "duplicate-key"},
}


@dataclass
class Seen:
    type: str
    key: str
    fields: dict[str, str] = field(default_factory=dict)


def _norm(value: str) -> str:
    return " ".join(value.split())


def _bst(fields: set[str], types: set[str]) -> str:
    names = sorted(f for f in fields if _BST_ID.match(f))
    kinds = sorted(t for t in types if _BST_ID.match(t) and t not in fields and t != "dump.entry")
    dumps = "\n".join(
        f'  {f} missing$ \'skip$ {{ "@@F:{f}=" {f} * write$ newline$ }} if$' for f in names
    )
    functions = "\n".join(f"FUNCTION {{{t}}} {{ dump.entry }}" for t in kinds)
    return (
        BST.replace("@FIELDS@", " ".join(f for f in names if f != "crossref"))  # predefined
        .replace("@DUMPS@", dumps)
        .replace("@TYPES@", functions)
    )


def _records(bbl: str) -> Iterator[Seen]:
    current: Seen | None = None
    last = ""
    for line in bbl.splitlines():
        if line.startswith("@@E:"):
            if current is not None:
                yield current
            etype, _, key = line[4:].partition("|")
            current, last = Seen(etype, key), ""
        elif line.startswith("@@F:") and current is not None:
            name, _, value = line[4:].partition("=")
            current.fields[name] = value
            last = name
        elif current is not None and last:  # a long line bibtex broke at a space
            current.fields[last] += " " + line.strip()
    if current is not None:
        yield current


def run_bibtex(text: str, fields: set[str], types: set[str], tmp: Path) -> tuple[list[Seen], str]:
    """What bibtex read, and its log."""
    (tmp / "db.bib").write_text(text, encoding="utf-8")
    (tmp / "dump.bst").write_text(_bst(fields, types), encoding="utf-8")
    (tmp / "job.aux").write_text("\\citation{*}\n\\bibdata{db}\n\\bibstyle{dump}\n")
    assert BIBTEX is not None
    proc = subprocess.run(
        [BIBTEX, "-terse", "job"], cwd=tmp, capture_output=True, text=True, check=False
    )
    bbl = tmp / "job.bbl"
    assert bbl.is_file(), proc.stdout
    log = (tmp / "job.blg").read_text(encoding="utf-8", errors="replace")
    assert "of file dump.bst" not in log, log[:2000]  # the generated style itself is sound
    return list(_records(bbl.read_text(encoding="utf-8", errors="replace"))), log


def differences(text: str, tmp: Path) -> tuple[list[str], int, int]:
    """(unexplained differences, entries compared, fields compared)."""
    bib = bibstore.parse(text)
    entries = list(bib.entries.values())
    fields = {name for e in entries for name in e.fields}
    types = {e.type for e in entries}
    problems = checks.check(entries, bib.problems)
    reported: dict[str, set[str]] = {}
    for p in problems:
        reported.setdefault((p.key or "").lower(), set()).add(p.kind)
    by_key = {e.key.lower(): e for e in entries}
    compared = {f for f in fields if _BST_ID.match(f)}
    out: list[str] = []
    n_fields = 0
    seen, log = run_bibtex(text, fields, types, tmp)
    # An unclosed brace (e.g. an escaped \{, which BibTeX counts) makes bibtex read the rest
    # of the file into one value; pubman reports that entry as a parse failure and reads on.
    swallowed = "Illegal end of database file" in log
    first_failure = min((p.line for p in bib.problems if p.kind == "parse"), default=None)
    for rec in seen:
        kinds = reported.get(rec.key.lower(), set())
        entry = by_key.get(rec.key.lower())
        if entry is None:
            if not kinds & EXPLAINED_BY["extra-entry"]:
                out.append(f"bibtex reads @{rec.type or '?'}{{{rec.key}}}, pubman does not")
            continue
        if rec.type and rec.type != entry.type:
            out.append(f"{rec.key}: type {rec.type!r} vs pubman {entry.type!r}")
        crossref = "crossref" in entry.fields
        for name in compared:
            mine, theirs = entry.fields.get(name), rec.fields.get(name)
            if theirs is None and mine is None:
                continue
            n_fields += 1
            if mine is None:
                if not crossref:
                    out.append(f"{rec.key}: bibtex has {name}, pubman does not")
            elif theirs is None:
                if not kinds & EXPLAINED_BY["missing-field"]:
                    out.append(f"{rec.key}: pubman has {name}, bibtex does not")
            elif _norm(mine) != _norm(theirs) and not kinds & EXPLAINED_BY["value"]:
                out.append(f"{rec.key}.{name}: {_norm(theirs)[:60]!r} vs {_norm(mine)[:60]!r}")
    theirs_keys = {r.key.lower() for r in seen}
    for key, entry in by_key.items():
        if key not in theirs_keys:
            if swallowed and first_failure is not None and entry.line > first_failure:
                continue
            out.append(f"pubman reads @{entry.type}{{{entry.key}}}, bibtex does not")
    return out, len(seen), n_fields


@pytest.mark.parametrize("path", CONFORMANCE, ids=[p.name for p in CONFORMANCE])
def test_conformance_set_reads_as_bibtex_reads(path: Path, tmp_path: Path) -> None:
    diffs, n, _ = differences(path.read_text(encoding="utf-8"), tmp_path)
    assert n > 0
    assert diffs == []


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.bib")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not _corpus(), reason="shared corpus not present (it is beside the repo)")
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_corpus_file_reads_as_bibtex_reads(path: Path, tmp_path: Path) -> None:
    diffs, n, n_fields = differences(path.read_text(encoding="utf-8"), tmp_path)
    assert n > 0 and n_fields > 0
    assert diffs == [], f"{len(diffs)} differences, first: {diffs[:10]}"


# What `check` must say about each conformance file: the differences it explains (and, for
# stray-at, bare-comment and biber-key, where biber reads less than BibTeX: test_biber_oracle).
EXPECTED_REPORTS = {
    "comments.bib": {("comment-hidden", "c1"), ("stray-at", None), ("bare-comment", None)},
    "crossref.bib": set(),
    "delimiters.bib": set(),
    "doubled-at.bib": {("odd-type", "da1")},
    "macros.bib": set(),
    "oddities.bib": {
        ("odd-type", "o1"),
        ("odd-type", "o2"),
        ("odd-type", "o3"),
        ("empty-key", ""),
        ("duplicate-field", "o5"),
        ("duplicate-string", None),
        ("duplicate-key", "casekey"),
        ("biber-key", "O'Hara_1999"),
    },
    "percent.bib": {("percent-in-entry", "p1")},
}


@pytest.mark.parametrize("path", CONFORMANCE, ids=[p.name for p in CONFORMANCE])
def test_conformance_differences_are_reported_by_check(path: Path) -> None:
    bib = bibstore.parse(path.read_text(encoding="utf-8"))
    found = {(p.kind, p.key) for p in checks.check(bib.entries.values(), bib.problems)}
    found -= {(k, key) for k, key in found if k in ("missing-field", "owner-missing")}
    assert found == EXPECTED_REPORTS[path.name]


def test_an_unreported_difference_fails_the_oracle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # percent.bib differs from BibTeX only where check says so: silence check, and it shows.
    monkeypatch.setattr(checks, "check", lambda entries, problems, matcher=None: [])
    diffs, _, _ = differences((DATA / "conformance" / "percent.bib").read_text(), tmp_path)
    assert diffs == ["p1: pubman has note, bibtex does not"]
