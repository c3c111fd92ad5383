"""Golden tests of `pubman format`: the CV reproduced, pubs.bib against the CV, one golden file
per backend. Golden files in tests/data/golden/ are rewritten with `pytest --regen-golden`
(or PUBMAN_REGEN_GOLDEN=1), never by hand; cv-expected.md is independent data, never rewritten.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import run_cli

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
GOLDEN = DATA / "golden"


def run_format(*args: str, bib: str = "pubs.bib") -> str:
    """`pubman --config pubman.toml --bib BIB format ARGS` in-process; its stdout."""
    result = run_cli(
        ["--config", str(REPO / "pubman.toml"), "--bib", str(REPO / bib), "format", *args]
    )
    assert result.code == 0, result.output
    return result.stdout


def test_cv_golden_reproduces_the_cv_list_character_for_character() -> None:
    """The exact command of issue 3, run as a user runs it (from the repository root)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pubman",
            "--bib",
            "tests/data/cv-as-stated.bib",
            "format",
            "--style",
            "cv",
            "--to",
            "markdown",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    expected = (DATA / "cv-expected.md").read_text(encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    # each CV line is a Markdown list item ("- [n] ...", issue 12) so that it renders as a list
    items = "".join(f"- {line}" for line in expected.splitlines(keepends=True))
    assert proc.stdout == items
    assert proc.stderr == ""  # every entry has the owner exactly once: no warnings
    lines = proc.stdout.splitlines()
    assert len(lines) == 20
    assert all(line.count("**H. Harutyunyan**") == 1 and line.count("**") == 2 for line in lines)


def test_pubs_bib_differs_from_the_cv_only_where_the_record_corrects_it() -> None:
    data = json.loads((DATA / "cv-record-format-differences.json").read_text(encoding="utf-8"))
    cv_lines = (DATA / "cv-expected.md").read_text(encoding="utf-8").splitlines()
    corrected = list(cv_lines)
    for diff in data["differences"]:
        i = diff["n"] - 1
        assert diff["cv"] in corrected[i], f"[{diff['n']}] no longer says {diff['cv']!r}"
        corrected[i] = corrected[i].replace(diff["cv"], diff["record"], 1)
    ours = [line.removeprefix("- ") for line in run_format("--style", "cv").splitlines()]
    assert ours == corrected
    changed = {d["n"] for d in data["differences"]}
    assert changed == {1, 2, 6, 7, 8, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20}
    assert [a == b for a, b in zip(cv_lines, ours)].count(True) == 20 - len(changed)


GOLDEN_CASES = {
    "pubs-cv.md": ["--style", "cv", "--to", "markdown"],
    "pubs-cv.tex": ["--style", "cv", "--to", "latex"],
    "pubs-cv.html": ["--style", "cv", "--to", "html"],
    "pubs-cv.txt": ["--style", "cv", "--to", "text"],
    "pubs-cv.json": ["--style", "cv", "--to", "json"],
    "pubs-web.md": ["--style", "web", "--to", "markdown", "--bibtex-url", "bibtex/{key}.bib"],
    "pubs-web.tex": ["--style", "web", "--to", "latex", "--bibtex-url", "bibtex/{key}.bib"],
    "pubs-web.html": ["--style", "web", "--to", "html", "--bibtex-url", "bibtex/{key}.bib"],
    "pubs-web.txt": ["--style", "web", "--to", "text"],
    "pubs-web.json": ["--style", "web", "--to", "json", "--bibtex-url", "bibtex/{key}.bib"],
    "pubs-cv-by-type-per-group.tex": [
        "--to",
        "latex",
        "--group-by",
        "type",
        "--numbering",
        "per-group",
    ],
    "pubs-web-by-year-reversed.html": [
        "--style",
        "web",
        "--to",
        "html",
        "--group-by",
        "year",
        "--reverse-numbering",
    ],
    "pubs-web-by-year-reversed.md": [
        "--style",
        "web",
        "--to",
        "markdown",
        "--group-by",
        "year",
        "--reverse-numbering",
    ],
    "pubs-cv-max4-oldest.md": ["--max-authors", "4", "--order", "oldest"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_backend_golden_on_pubs_bib(name: str, regen_golden: bool) -> None:
    output = run_format(*GOLDEN_CASES[name])
    path = GOLDEN / name
    if regen_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path.name}: run pytest --regen-golden"
    assert output == path.read_text(encoding="utf-8")


def test_terminal_golden_on_pubs_bib(regen_golden: bool) -> None:
    from pubman.formatting import FormatOptions, format_publications
    from pubman.formatting.terminal import render_terminal
    from pubman.store import bibliography as bibstore

    bib = bibstore.load(REPO / "pubs.bib")
    doc = format_publications(
        bib.entries.values(), FormatOptions(group_by="type"), ["Hrayr Harutyunyan"]
    )
    output = render_terminal(doc, width=100, color=False)
    path = GOLDEN / "pubs-cv-by-type.terminal.txt"
    if regen_golden:
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8")


def test_json_backend_shape() -> None:
    records = json.loads(
        run_format(
            "--style", "web", "--to", "json", "--bibtex-url", "https://example.org/b/{key}.bib"
        )
    )
    assert [r["number"] for r in records] == list(range(1, 21))
    first = records[0]
    assert set(first) == {
        "number",
        "key",
        "title",
        "authors",
        "venue",
        "year",
        "kind",
        "links",
        "group",
        "et_al",
        "notes",  # issue 12: notes and awards, al-folio's abbr and selected
        "abbr",
        "selected",
    }
    assert set(first["authors"][0]) == {"name", "given", "family", "owner", "marks"}
    assert first["key"] == "bae2025mixture" and first["venue"] == "NeurIPS"
    assert first["kind"] == "conference" and first["year"] == "2025"
    owners = [a["name"] for r in records for a in r["authors"] if a["owner"]]
    assert owners == ["Hrayr Harutyunyan"] * 20
    assert first["links"]["arXiv"] == "https://arxiv.org/abs/2507.10524"
    assert first["links"]["BibTeX"] == "https://example.org/b/bae2025mixture.bib"
    hossain = next(r for r in records if r["key"] == "hossain2022identifying")
    assert hossain["links"]["DOI"] == "https://doi.org/10.3389/frai.2022.893875"
    assert "arXiv" not in hossain["links"]
