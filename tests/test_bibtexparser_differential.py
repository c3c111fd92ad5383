"""bibtexparser v2 as a second reading: wherever it parses an entry of a corpus file cleanly,
pubman reads the same key, type and field values.

Compared: every entry bibtexparser parsed (its failed blocks are out of scope), with field
names and types lower-cased and runs of whitespace collapsed (BibTeX collapses them too); a
field only when its raw value is one braced or quoted group, a number, or one ``@string``
name (bibtexparser v2 does not resolve ``#`` concatenation or month macros: it leaves them
as raw text, so there is nothing to compare). Known differences, each checked to be what it
says it is rather than skipped:

* ``redefined-macro``: a field whose value is a macro the file defines twice. BibTeX uses the
  definition in force (the last one before the entry; pubman too); bibtexparser the first.
* ``case-duplicate-key``: keys that differ only in case (``Chen_2017``, ``chen_2017``). BibTeX
  treats them as one key and ignores the second entry (pubman too, reporting it); bibtexparser
  keeps both.
* ``escaped-brace``: a value with ``\\{``. bibtexparser treats it as an escaped brace; BibTeX
  counts every brace, so the entry does not balance (pubman keeps it verbatim as a problem).
* ``double-at``: ``@@inproceedings{...`` (a typo in the Amos CV). BibTeX skips the first
  ``@`` and bibtexparser reads type ``inproceedings``; pubman reads type ``@inproceedings``
  (a pubman bug in the scanner, reported to its owner).
* ``split-at-line-start-at``: an entry with a line starting with ``@`` inside a value (dblp
  titles). bibtexparser ends the block there; pubman reads the whole entry, as BibTeX does.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from _corpus import CORPUS

bibtexparser = pytest.importorskip("bibtexparser", reason="needs the bibtexparser extra")
from bibtexparser import middlewares

from pubman.model import Problem
from pubman.store.bibliography import Bibliography, parse

FILES = sorted(CORPUS.rglob("*.bib"))
# The 23 MB dblp export alone takes ~16 s for both parsers on a loaded 2-core machine; its
# first 4 MB (3,661 entries) plus every entry with a line starting with "@" keep the whole
# test near 10 s. The full file agrees too (24,567 entries, 265,435 fields, measured).
SAMPLE = {"dblp-venues-2022-2024-large.bib": 4_000_000}
_ENTRY_START = re.compile(r"\n@[A-Za-z]+\s*[{(]")
_ODD_AT = re.compile(r"\n[ \t]*@(?![A-Za-z]+\s*[{(])")
KNOWN = (
    "redefined-macro",
    "case-duplicate-key",
    "escaped-brace",
    "split-at-line-start-at",
    "double-at",
)


def _text(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    limit = SAMPLE.get(path.name)
    if not limit or len(text) <= limit:
        return text
    # the first part, plus every entry with a line starting with "@" inside a value
    parts = [text[: text.index("\n@", limit) + 1]]
    for odd in _ODD_AT.finditer(text, limit):
        start = text.rindex("\n@", 0, odd.start()) + 1
        end = _ENTRY_START.search(text, odd.end())
        parts.append(text[start : end.start() + 1 if end else len(text)])
    return "\n".join(parts)


_STRING_DEF = re.compile(r"@string\s*[{(]\s*([^\s=]+)\s*=", re.IGNORECASE)


def _one_group(raw: str) -> bool:
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return True
    if not (raw.startswith("{") and raw.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and i != len(raw) - 1:
            return False
    return True


def _norm(value: str) -> str:
    return " ".join(value.split())


def _bibtexparser_reading(text: str) -> tuple[object, dict[str, dict[str, str]], Counter[str]]:
    """The Library with macros resolved and delimiters removed, the raw value of every field
    by entry key, and how often each macro is defined."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text, parse_stack=[])
    raw = {e.key: {f.key.lower(): str(f.value).strip() for f in e.fields} for e in library.entries}
    # bibtexparser files a redefinition under its failed blocks, so count them in the text
    defined = Counter(m.lower() for m in _STRING_DEF.findall(text))
    for layer in (
        middlewares.ResolveStringReferencesMiddleware(allow_inplace_modification=True),
        middlewares.RemoveEnclosingMiddleware(allow_inplace_modification=True),
    ):
        library = layer.transform(library)
    return library, raw, defined


def _compare(bib: Bibliography, text: str) -> tuple[Counter[str], list[str]]:
    library, raw, defined = _bibtexparser_reading(text)
    seen: Counter[str] = Counter()
    wrong: list[str] = []
    lower = {k.lower(): k for k in bib.entries}
    problems = {p.key: p for p in bib.problems if p.key}
    for e in library.entries:
        ours = bib.entries.get(e.key)
        if ours is None:
            why = _why_missing(e.key, e.raw, lower, problems)
            if why is None and _fragment(e.raw, bib):
                why = "split-at-line-start-at"
            seen[why or "missing"] += 1
            if why is None:
                wrong.append(f"{e.key}: bibtexparser reads it, pubman does not")
            continue
        mine = _norm(bib.entry_text(e.key)).lstrip("@")
        if _norm(e.raw).lstrip("@") != mine:
            if re.search(r"\n[ \t]*@", bib.entry_text(e.key)):
                seen["split-at-line-start-at"] += 1
            else:
                wrong.append(f"{e.key}: bibtexparser read another block of text")
            continue
        seen["entries"] += 1
        if ours.type == "@" + e.entry_type.lower():
            seen["double-at"] += 1
        elif e.entry_type.lower() != ours.type:
            wrong.append(f"{e.key}: type {e.entry_type!r} vs {ours.type!r}")
        for field in e.fields:
            name, value = field.key.lower(), raw[e.key].get(field.key.lower(), "")
            if not (_one_group(value) or value.isdigit() or value.lower() in defined):
                seen["not-compared"] += 1
                continue
            if ours.fields.get(name) is not None and _norm(ours.fields[name]) == _norm(
                str(field.value)
            ):
                seen["fields"] += 1
            elif defined[value.lower()] > 1:
                seen["redefined-macro"] += 1
            else:
                wrong.append(f"{e.key}.{name}: {field.value!r} vs {ours.fields.get(name)!r}")
    return seen, wrong


def _why_missing(
    key: str, raw: str, lower: dict[str, str], problems: dict[str, Problem]
) -> str | None:
    """Which known difference explains an entry bibtexparser has and pubman lacks, if any."""
    problem = problems.get(key)
    if problem is not None and problem.kind == "duplicate-key" and key.lower() in lower:
        return "case-duplicate-key"
    if problem is not None and problem.kind == "parse" and "\\{" in raw:
        return "escaped-brace"
    return None


def _fragment(raw: str, bib: Bibliography) -> bool:
    """True when ``raw`` is the tail of one of pubman's entries that bibtexparser cut off at a
    line starting with "@"."""
    tail = raw.strip()
    return any(
        tail in bib.entry_text(k) and not bib.entry_text(k).lstrip().startswith(tail)
        for k in bib.entries
        if re.search(r"\n[ \t]*@", bib.entry_text(k))
    )


@pytest.mark.skipif(not FILES, reason="shared corpus not present; it is beside the repo in CI")
def test_pubman_reads_what_bibtexparser_reads_wherever_it_parses_cleanly() -> None:
    started = time.monotonic()
    totals: Counter[str] = Counter()
    wrong: list[str] = []
    for path in FILES:
        text = _text(path)
        seen, bad = _compare(parse(text), text)
        totals += seen
        wrong += [f"{path.relative_to(CORPUS)}: {b}" for b in bad]
    assert wrong == [], "\n".join(wrong[:40])
    assert totals["entries"] > 20_000 and totals["fields"] > 200_000, totals
    assert set(totals) <= {"entries", "fields", "not-compared", *KNOWN}, totals
    assert time.monotonic() - started < 60, "keep the corpus-wide test fast"


SMALL = """@string{nips = {Advances in Neural Information Processing Systems}}
% a comment bibtexparser users never see in the Library
@InProceedings{a2020,
  title = {A {Title} with \\"{o}},
  booktitle = nips,
  year = 2020,
}
@article{b2021, title = "B", journal = {J} # { Letters}}
"""


def test_to_bibtexparser_gives_a_library_of_the_entries_as_pubman_reads_them() -> None:
    library = parse(SMALL).to_bibtexparser()
    assert isinstance(library, bibtexparser.Library)
    assert [(e.key, e.entry_type) for e in library.entries] == [
        ("a2020", "inproceedings"),
        ("b2021", "article"),
    ]
    a, b = library.entries
    assert a.fields_dict["title"].value == 'A {Title} with \\"{o}'
    assert a.fields_dict["booktitle"].value == "Advances in Neural Information Processing Systems"
    assert a.fields_dict["year"].value == "2020"
    assert b.fields_dict["journal"].value == "J Letters"
    assert "@inproceedings{a2020," in bibtexparser.write_string(library)


def test_to_bibtexparser_without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from pubman.errors import PubmanError

    monkeypatch.setitem(sys.modules, "bibtexparser", None)
    with pytest.raises(PubmanError) as err:
        parse(SMALL).to_bibtexparser()
    assert "pip install 'pubman[bibtexparser]'" in (err.value.hint or "")
