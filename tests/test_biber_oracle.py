"""biber as the second oracle: where biber reads a file, it reads the entries pubman reads; where
biber skips an entry or refuses the whole file, ``pubman check`` says so at that line.

biber (btparse) is stricter than BibTeX: a stray ``@`` in the text between entries, an
``@comment`` without braces or an entry with an empty key makes it stop with a syntax error and
read nothing of the file, where BibTeX skips the bad part and reads the rest. A user who
switches to biblatex meets exactly these, so each must be a ``check`` problem. ``biber --tool``
writes what it read as a .bib, which gives the keys it kept. It takes 1-7 s per file, so the
big files (the dblp bench file, the 3.5 MB papers3 library) are left to the bibtex oracle.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _corpus import CORPUS, DATA

from pubman import checks
from pubman.store import bibliography as bibstore

BIBER = shutil.which("biber")
pytestmark = pytest.mark.skipif(BIBER is None, reason="biber (Debian package biber) not installed")

_BIG = 1_000_000  # bytes; bigger files are the bibtex oracle's only
_OUT_KEY = re.compile(r"^@[A-Z]+\{(.*),$", re.MULTILINE)
_SKIPPED = re.compile(r"skipping entry '([^']*)'")
_SYNTAX = re.compile(r"line (\d+), syntax error")


def _files() -> list[Path]:
    files = sorted((DATA / "conformance").glob("*.bib"))
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.rglob("*.bib") if p.stat().st_size < _BIG)
    return files


def _id(path: Path) -> str:
    return path.name


def run_biber(path: Path, tmp: Path) -> tuple[int, set[str], list[str], list[int]]:
    """(exit code, keys written, keys skipped, lines of syntax errors) for one file."""
    src = tmp / path.name
    shutil.copyfile(path, src)
    out = tmp / "out.bib"
    proc = subprocess.run(
        [BIBER or "biber", "--tool", "--output-format=bibtex", f"--output-file={out}", src.name],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = proc.stdout + proc.stderr
    keys = set(_OUT_KEY.findall(out.read_text(encoding="utf-8"))) if out.exists() else set()
    return (
        proc.returncode,
        keys,
        _SKIPPED.findall(log),
        [int(n) for n in _SYNTAX.findall(log)],
    )


@pytest.mark.parametrize("path", _files(), ids=_id)
def test_biber_reads_what_pubman_reads_or_check_says_why(path: Path, tmp_path: Path) -> None:
    rc, biber_keys, skipped, syntax_lines = run_biber(path, tmp_path)
    bib = bibstore.load(path)
    problems = checks.check(bib.entries.values(), bib.problems, None)
    lines = {p.line for p in problems}
    flagged = {p.key for p in problems if p.key}
    if rc != 0:
        # biber read nothing; the line it stopped at must carry a pubman problem
        assert syntax_lines, f"biber failed on {path.name} without a syntax error line"
        for line in syntax_lines:
            assert line in lines, f"{path.name}:{line}: biber stops reading here, check is silent"
        return
    for key in skipped:
        assert key in flagged, f"{path.name}: biber skips '{key}', check reports nothing on it"
    # biber drops entries hidden in @comment{...} and later repeats of a key (pubman reports both)
    expected = {k for k in bib.entries if k not in skipped}
    missing = {k for k in expected - biber_keys if k not in flagged}
    extra = biber_keys - set(bib.entries)
    assert not missing, f"{path.name}: pubman reads entries biber does not: {sorted(missing)[:5]}"
    assert not extra, f"{path.name}: biber reads entries pubman does not: {sorted(extra)[:5]}"
