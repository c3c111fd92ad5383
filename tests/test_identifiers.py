"""pubman.identifiers: every arXiv/DOI/S2/year form in one place, and nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pubman import identifiers as ids

SRC = Path(__file__).resolve().parents[1] / "src" / "pubman"


@pytest.mark.parametrize(
    "fields",
    [
        {"eprint": "2101.00001", "archiveprefix": "arXiv"},
        {"eprint": "2101.00001v2"},
        {"eprint": "2101.00001 [cs.LG]", "archiveprefix": "arXiv"},
        {"arxivid": "2101.00001"},
        {"arxiv": "arXiv:2101.00001"},
        {"doi": "10.48550/arXiv.2101.00001"},
        {"doi": "https://doi.org/10.48550/ARXIV.2101.00001"},
        {"journal": "CoRR", "volume": "abs/2101.00001"},
        {"journal": "arXiv preprint arXiv:2101.00001"},
        {"url": "https://arxiv.org/pdf/2101.00001v3.pdf"},
        {"note": "arXiv:2101.00001"},
    ],
)
def test_every_arxiv_form_gives_the_same_id(fields: dict[str, str]) -> None:
    assert ids.arxiv_id_from_entry(fields) == "2101.00001"


def test_arxiv_doi_is_not_a_published_doi() -> None:
    fields = {"doi": "10.48550/arXiv.2101.00001"}
    assert ids.doi_from_entry(fields) is None and ids.is_arxiv_doi(fields["doi"])
    assert ids.doi_from_entry({"doi": "DOI: 10.1145/ABC.1"}) == "10.1145/abc.1"
    assert ids.doi_from_entry({"url": "https://doi.org/10.1038/x."}) == "10.1038/x"


def test_non_arxiv_eprints_and_other_servers_are_not_arxiv() -> None:
    assert ids.arxiv_id_from_entry({"eprint": "2101.00001", "eprinttype": "pubmed"}) is None
    assert ids.arxiv_id_from_entry({"journal": "PsyArXiv", "volume": "2101.00001"}) is None
    assert ids.arxiv_id_from_entry({"title": "2101.00001 things"}) is None
    assert not ids.mentions_arxiv({"url": "https://psyarxiv.com/abcd"})
    assert ids.mentions_arxiv({"howpublished": "arXiv"})


def test_old_style_ids_lose_version_and_subject_class() -> None:
    assert ids.normalize_arxiv_id("math.GT/0309136v2") == "math/0309136"
    assert ids.normalize_arxiv_id("arxiv.org/abs/hep-th/9901001") == "hep-th/9901001"
    assert ids.normalize_arxiv_id("not an id") is None


def test_s2_ids_from_fields_urls_and_state() -> None:
    sha = "a" * 40
    assert ids.s2_id_from_entry({"url": f"https://www.semanticscholar.org/paper/T/{sha}"}) == sha
    assert ids.s2_id_from_entry({"url": f"https://semanticscholar.org/arxiv/{sha}"}) == sha
    assert ids.s2_id_from_entry({"s2id": sha.upper()}) == sha
    assert ids.s2_ids_from_state(["arxiv:2101.00001", f"s2:{sha}"]) == [sha]
    assert ids.normalize_s2_id(f"https://www.semanticscholar.org/paper/{sha}/") == sha


@pytest.mark.parametrize(
    ("fields", "year", "text"),
    [
        ({"year": "2020"}, 2020, "2020"),
        ({"year": "2020a"}, 2020, "2020a"),
        ({"year": "in press"}, None, "in press"),
        ({"date": "2019-05-01"}, 2019, "2019"),
        ({"year": "{2017}"}, 2017, "{2017}"),
        ({"year": "12020"}, None, "12020"),
        ({}, None, ""),
    ],
)
def test_year(fields: dict[str, str], year: int | None, text: str) -> None:
    assert (ids.year_of(fields), ids.year_text(fields)) == (year, text)


# --- one home: nothing outside identifiers.py / venues/ reads ids or decides a venue kind ---

# Patterns that give away an identifier or year regex, or a venue/kind decision from raw text.
_TELLS = {
    "arXiv new-style id regex": re.compile(r"\\d\{4\}\\\.\\d\{4,5\}"),
    "arXiv old-style id regex": re.compile(r"/\\d\{7\}"),
    "arXiv version regex": re.compile(r"v\\d\+\$"),
    "DOI regex": re.compile(r"10\\\.\\d|10\\\.48550|[\"']10\.48550|\"48550"),
    "year regex": re.compile(r"1\[5-9\]\\d\\d|\(\?<!\\d\)\(\\d\{4\}\)|\\d\{4\}\"|\b19\|20\b"),
    "S2 URL regex": re.compile(r"semanticscholar\\\.org"),
    "arXiv/CoRR venue test": re.compile(r"\"arxiv\" in |== \"corr\"|\"corr\" in |\\bcorr\\b"),
}
_HOMES = {"identifiers.py", "venues/"}  # a module, and the venue resolver's package
# Places that legitimately hold one of the tells, each with the reason.
_ALLOWED: set[tuple[str, str]] = set()


def _tells(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {name for name, tell in _TELLS.items() if tell.search(text)}


def test_the_tells_find_the_homes() -> None:
    """The grep below is only meaningful if it recognises the real thing."""
    found = _tells(SRC / "identifiers.py")
    assert {"arXiv new-style id regex", "DOI regex", "year regex", "S2 URL regex"} <= found


def test_no_identifier_regex_or_venue_decision_outside_its_home() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in _HOMES or rel.split("/")[0] + "/" in _HOMES:
            continue
        offenders += [(rel, t) for t in sorted(_tells(path)) if (rel, t) not in _ALLOWED]
    assert offenders == []


# --- stats and dedup read an entry through its Work view -------------------------------------

# A read of one of these fields by name from an entry or its fields: entry.get("doi"),
# r.entry.fields["year"], parent.get('title'), e.get("journal").
_RAW_READ = re.compile(
    r"""\b(?:\w*entry|fields|parent|e)(?:\.fields)?(?:\.get\(|\[)\s*"""
    r"""["'](title|year|journal|booktitle|doi|eprint)["']""",
    re.IGNORECASE,
)
# merge.py builds the merged entry's fields, so it reads and copies them as written.
_RAW_ALLOWED = {"dedup/merge.py"}


def test_stats_and_dedup_read_title_year_venue_and_ids_only_from_the_work_view() -> None:
    offenders = []
    for folder in ("stats", "dedup"):
        for path in sorted((SRC / folder).rglob("*.py")):
            rel = path.relative_to(SRC).as_posix()
            if rel in _RAW_ALLOWED:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                offenders += [f"{rel}:{n}: {m.group(0)}" for m in _RAW_READ.finditer(line)]
    assert offenders == []


def test_the_raw_read_tell_finds_one() -> None:
    """The grep above is only meaningful if it recognises the real thing."""
    text = 'e.get("journal") or r.entry.fields["doi"] or parent.get(\'Title\') or ids.get("doi")'
    assert [h.lower() for h in _RAW_READ.findall(text)] == ["journal", "doi", "title"]
