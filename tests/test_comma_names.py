"""Author lists written with commas instead of 'and': reported by check, never bolded as one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pubman import checks
from pubman.model import Entry
from pubman.text.commalist import comma_pieces, maybe_comma_pair
from pubman.text.names import parse_names


def _entry(author: str, **fields: str) -> Entry:
    return Entry("k", "article", {"author": author, "title": "T", **fields}, 3)


def test_comma_list_is_split_into_its_people() -> None:
    people = parse_names("Ana Ruiz, Li Wei, and Tom Baker")
    assert [(p.first, p.last) for p in people] == [
        ("Ana", "Ruiz"),
        ("Li", "Wei"),
        ("Tom", "Baker"),
    ]


def test_bibtex_comma_forms_are_not_lists() -> None:
    for name in ("Ruiz, Ana", "van der Berg, Jan", "Smith, Jr., John Paul", "De Souza, Maria"):
        assert comma_pieces(name) is None, name
    assert [p.last for p in parse_names("Ruiz, Ana and Wei, Li")] == ["Ruiz", "Wei"]
    assert comma_pieces("Ana Ruiz, Li Wei, Tom Baker") == ["Ana Ruiz", "Li Wei", "Tom Baker"]
    assert maybe_comma_pair("Tom Baker, Ana Ruiz") and not maybe_comma_pair("Ruiz, Ana")


def test_check_reports_comma_lists_with_the_fix() -> None:
    problems = checks.suspicious_names(_entry("Ana Ruiz, Li Wei, and Tom Baker"))
    assert [(p.kind, p.severity, p.line) for p in problems] == [("comma-names", "error", 3)]
    assert "'Ana Ruiz and Li Wei and Tom Baker'" in problems[0].message
    pair = checks.suspicious_names(_entry("Tom Baker, Ana Ruiz"))
    assert [(p.kind, p.severity) for p in pair] == [("comma-names", "warning")]
    assert checks.suspicious_names(_entry("Ruiz, Ana and Wei, Li")) == []
    # compound surnames are not pairs: seen 140 times in the shared corpus, never a pair
    for value in ("Rama Rao, M. V.", "Abdel Haleem, Ashraf M. and Li Wei", "De Silva, L. A."):
        assert checks.suspicious_names(_entry(value)) == [], value


def test_biblatex_date_and_journaltitle_satisfy_year_and_journal() -> None:
    entry = _entry("Ana Ruiz", date="2023-01", journaltitle="Journal of Tests")
    assert checks.missing_fields(entry) == []
    bare = _entry("Ana Ruiz")
    assert {p.message.rsplit(" ", 1)[1] for p in checks.missing_fields(bare)} == {
        "journal",
        "year",
    }


def test_format_never_bolds_a_coauthor_as_the_owner(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "@article{c1, author = {Ana Ruiz, Li Wei, and Tom Baker}, title = {Comma lists},\n"
        "  journal = {J}, year = 2020}\n",
        encoding="utf-8",
    )
    for owner, bold in (("Ana Ruiz", "**A. Ruiz**"), ("Li Wei", "**L. Wei**")):
        proc = subprocess.run(
            [sys.executable, "-m", "pubman", "--bib", str(bib), "--owner", owner, "format"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PUBMAN_CACHE_DIR": str(tmp_path / "cache")},
        )
        assert proc.returncode == 0, proc.stderr
        assert bold in proc.stdout and proc.stdout.count("**") == 2, proc.stdout
        assert "T. Baker" in proc.stdout
