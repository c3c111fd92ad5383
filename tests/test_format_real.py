"""Owner bolding measured on real CV files, and `format` on the 24k-entry dblp benchmark.

Needs ../shared/corpus (skips without it). The owner test prints its counts; see them with
`pytest -s tests/test_format_real.py` (they are printed with capture disabled anyway).

Ground truth for "the owner is among the authors" is deliberately simple and independent of
pubman.text.names: an author item (split on " and ") whose words include the owner's surname and
whose other words start with his first initial.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _corpus import REPO, corpus_file

from pubman.formatting import FormatOptions, format_publications, measure, render
from pubman.model import Entry
from pubman.store import bibliography as bibstore

CASES = {
    "srinivasa": (
        "Siddhartha S. Srinivasa",
        "Srinivasa",
        "S",
        [
            "real/srinivasa-cv/siddpubs-conf.bib",
            "real/srinivasa-cv/siddpubs-journal.bib",
            "real/srinivasa-cv/siddpubs-misc.bib",
        ],
    ),
    "amos": ("Brandon Amos", "Amos", "B", ["real/amos-cv-all.bib"]),
}


def oracle_count(entry: Entry, surname: str, initial: str) -> int:
    """How many author items name the owner, by plain string inspection."""
    count = 0
    for item in re.split(r"(?:\s+and)+\s+", entry.get("author"), flags=re.IGNORECASE):
        words = re.findall(r"[A-Za-z]+", re.sub(r"\$[^$]*\$|\\[A-Za-z]+", " ", item))
        others = [w for w in words if w != surname]
        if surname in words and others and others[0].startswith(initial):
            count += 1
    return count


def bold_spans(line: str, backend: str) -> list[str]:
    pattern = {
        "markdown": r"\*\*(.+?)\*\*",
        "latex": r"\\textbf\{([^{}]*)\}",
        "html": r"<strong class=\"owner\">(.*?)</strong>",
    }[backend]
    return re.findall(pattern, line)


@pytest.mark.parametrize("case", sorted(CASES))
def test_owner_bold_exactly_where_he_is_an_author(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, surname, initial, files = CASES[case]
    paths = [corpus_file(rel) for rel in files]
    short = f"{initial}. {surname}"
    totals = {
        "entries": 0,
        "with_owner": 0,
        "bold_entries": 0,
        "bold_names": 0,
        "other_bold": 0,
        "missed": 0,
        "warnings": 0,
    }
    for path in paths:
        bib = bibstore.load(path)
        # notes off: their own \textbf{...Award} would count as bold (tests/test_format_notes.py)
        doc = format_publications(bib.entries.values(), FormatOptions(notes=()), [owner])
        outputs = {b: render(doc, b).splitlines() for b in ("markdown", "latex", "html")}
        outputs["latex"] = [ln for ln in outputs["latex"] if ln.startswith("  \\item")]
        outputs["html"] = [ln for ln in outputs["html"] if ln.startswith("  <li")]
        totals["warnings"] += len(doc.warnings)
        for k, item in enumerate(doc.items):
            expected = oracle_count(bib.entries[item.key], surname, initial)
            totals["entries"] += 1
            totals["with_owner"] += expected > 0
            for backend, lines in outputs.items():
                spans = bold_spans(lines[k], backend)
                others = [
                    s
                    for s in spans
                    if not re.fullmatch(rf"{initial}\.([ ~][A-Z]\.)?[ ~]{surname}", s)
                ]
                if backend == "markdown":
                    totals["bold_entries"] += bool(spans)
                    totals["bold_names"] += len(spans)
                    totals["other_bold"] += len(others)
                    totals["missed"] += len(spans) < expected
                assert len(spans) == expected, f"{path.name} {item.key} {backend}: {lines[k]}"
                assert not others, f"{path.name} {item.key} {backend}: {others}"
    with capsys.disabled():
        print(
            f"\n[owner bolding] {case}: owner {owner!r} ({short}), {len(paths)} file(s): "
            + ", ".join(f"{k}={v}" for k, v in totals.items())
        )
    assert totals["missed"] == 0 and totals["other_bold"] == 0
    assert totals["bold_entries"] == totals["with_owner"]


def test_dblp_benchmark_formats_every_entry(capsys: pytest.CaptureFixture[str]) -> None:
    """`pubman --bib .../dblp-venues-2022-2024-large.bib format --style cv` completes; every
    distinct entry is printed (the file has 24,571 entries, 3 of them repeat a key, which
    BibTeX and pubman ignore, so 24,568 are listed)."""
    path = corpus_file("bench/dblp-venues-2022-2024-large.bib")
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pubman", "--bib", str(path), "format", "--style", "cv"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    bib = bibstore.load(path)
    assert len(lines) == len(bib.entries) == 24568
    assert [int(re.match(r"- \[(\d+)\]", ln).group(1)) for ln in lines] == list(  # type: ignore[union-attr]
        range(1, len(lines) + 1)
    )
    timing = measure(list(bib.entries.values()), FormatOptions(), ["Hrayr Harutyunyan"])
    with capsys.disabled():
        print(
            f"\n[dblp] {len(lines)} entries; CLI wall {wall:.1f}s; format beyond loading "
            f"(warm caches): {timing['format']:.2f}s + render {timing['render']:.2f}s"
        )


def test_corpus_lookup_is_relative_to_the_repo() -> None:
    assert Path(REPO, "pubs.bib").is_file()
