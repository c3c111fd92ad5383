"""Metamorphic and hard-negative suites for dedup over the real corpus entries.

Every real entry (../shared/corpus/real/**/*.bib) with a title of 3+ words, an author and a
year is rewritten the ways the same work is written in the wild (venue spelled out or as its
acronym, with year/ordinal/place/dates; @article vs @inproceedings; arXiv as @misc, as an
"arXiv preprint" journal, as dblp CoRR; title case, braces, LaTeX accents; name order, initials,
"and others", one author fewer or more). Dedup must pair each variant with its original, and
format/stats (the venue resolver) must give it the same venue and kind. Hard negatives (paper vs
thesis, Part I/II, errata and replies, editions, a chapter vs its book, the same title by other
authors, a workshop paper vs a retitled conference paper) must never group.

To keep the suite at a few seconds, each rewrite is applied to at most ``SAMPLE`` entries drawn
with a fixed seed (``random.Random(SEED)``); ``PUBMAN_METAMORPHIC_ALL=1`` applies every rewrite
to every eligible entry (4,981 entries, about 40 s). The counts are printed (run with ``-s``).
"""

from __future__ import annotations

import os
import random
import re
import zlib
from collections.abc import Callable, Iterator

import pytest
from _corpus import CORPUS, corpus_files

from pubman.dedup.groups import DEFAULT_THRESHOLD, find_duplicates, judge_entries
from pubman.dedup.judge import GENERIC_TITLES
from pubman.dedup.kinds import work_kind
from pubman.dedup.record import make_record, title_key
from pubman.model import Entry
from pubman.store import bibliography as bibstore
from pubman.text.names import latex_to_text, parse_names
from pubman.venues import Venue, VenueTable, classify, resolve

SEED = 20261202
SAMPLE = 1_000_000 if os.environ.get("PUBMAN_METAMORPHIC_ALL") else 400
TABLE = VenueTable.load()
Rewrite = Callable[[Entry], Entry | None]


def _entries() -> list[Entry]:
    files = corpus_files("real")
    if not CORPUS.is_dir() or not files:
        pytest.skip("shared corpus not present; it is beside the repo in CI only")
    found: list[Entry] = []
    for path in files:
        found += bibstore.load(path).entries.values()
    return found


def _eligible(e: Entry) -> bool:
    title = title_key(e.get("title"))
    people = [p for p in parse_names(e.get("author")) if p.last] if e.get("author") else []
    return (
        len(title.split()) >= 3
        and title not in GENERIC_TITLES
        and bool(people)
        and bool(re.search(r"\d{4}", e.get("year")))
        and not e.get("crossref")
    )


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return [e for e in _entries() if _eligible(e)]


def _with(e: Entry, key_suffix: str = "x", type_: str | None = None, **fields: str) -> Entry:
    merged = {k: v for k, v in {**e.fields, **fields}.items() if v != ""}
    return e._replace(key=e.key + "~" + key_suffix, type=type_ or e.type, fields=merged)


# --- rewrites that keep the work --------------------------------------------------------------


def _known_conference(e: Entry) -> Venue | None:
    """The table's conference an @inproceedings appeared at (not a derived workshop/track)."""
    answer = resolve(e, TABLE)
    venue = answer.venue
    paper = e.type in ("inproceedings", "conference") and answer.known
    if paper and venue.kind == "conference" and TABLE.get(venue.short) is venue:
        return venue
    return None


def _acronym(e: Entry) -> Entry | None:
    venue = _known_conference(e)
    return _with(e, booktitle=venue.short) if venue else None


def _long_name(e: Entry) -> Entry | None:
    venue = _known_conference(e)
    return _with(e, booktitle=venue.name) if venue else None


def _decorated(e: Entry) -> Entry | None:
    """Year, ordinal, place and dates around the venue name ("Proceedings of the 25th ...")."""
    venue = _known_conference(e)
    if not venue:
        return None
    year = e.get("year").strip()
    booktitle = (
        f"Proceedings of the 25th {venue.name} ({venue.short} {year}), "
        f"Long Beach, CA, USA, August 6-10, {year}"
    )
    return _with(e, booktitle=booktitle)


def _as_article(e: Entry) -> Entry | None:
    """A conference paper filed as @article (Google Scholar), its venue in booktitle."""
    if e.type not in ("inproceedings", "conference") or not e.get("booktitle").strip():
        return None
    if e.get("journal").strip():  # an @article's journal is its venue: not this rewrite
        return None
    return _with(e, type_="article")


def _arxiv_id(e: Entry) -> str:
    """The entry's own arXiv id, else a made-up one (stable: from the key's CRC)."""
    own = make_record(0, e).ids.get("arxiv")
    n = zlib.crc32(e.key.encode()) % 80000
    return own or f"{2101 + n % 12:04d}.{10000 + n:05d}"


def _paper(e: Entry) -> bool:
    return work_kind(make_record(0, e)) == "paper"


def _arxiv_misc(e: Entry) -> Entry | None:
    if not _paper(e):
        return None
    fields = {"title": e.get("title"), "author": e.get("author"), "year": e.get("year")}
    fields |= {"eprint": _arxiv_id(e), "archiveprefix": "arXiv"}
    return Entry(e.key + "~misc", "misc", fields)


def _arxiv_journal(e: Entry) -> Entry | None:
    if not _paper(e):
        return None
    fields = {"title": e.get("title"), "author": e.get("author"), "year": e.get("year")}
    fields["journal"] = f"arXiv preprint arXiv:{_arxiv_id(e)}"
    return Entry(e.key + "~arxivj", "article", fields)


def _corr(e: Entry) -> Entry | None:
    if not _paper(e):
        return None
    fields = {"title": e.get("title"), "author": e.get("author"), "year": e.get("year")}
    fields |= {"journal": "CoRR", "volume": f"abs/{_arxiv_id(e)}"}
    return Entry(e.key + "~corr", "article", fields)


def _title_case(e: Entry) -> Entry | None:
    return _with(e, title=" ".join(w[:1].upper() + w[1:] for w in e.get("title").split()))


def _braced(e: Entry) -> Entry | None:
    return _with(e, title="{" + e.get("title") + "}")


_TO_LATEX = {"é": "{\\'e}", "è": "{\\`e}", "ü": '{\\"u}', "ö": '{\\"o}', "ä": '{\\"a}'}


def _accents(e: Entry) -> Entry | None:
    """LaTeX accents decoded to Unicode, or Unicode accents written as LaTeX."""
    title = e.get("title")
    if "\\" in title:
        return _with(e, title=latex_to_text(title))
    if any(c in title for c in _TO_LATEX):
        return _with(e, title="".join(_TO_LATEX.get(c, c) for c in title))
    return None


def _people(e: Entry) -> list[tuple[str, str]]:
    """(given, surname with von and jr) of each real author."""
    found = []
    for p in parse_names(e.get("author")):
        if p.last and p.last.lower() != "others":
            surname = " ".join(x for x in (p.von, p.last) if x)
            found.append((p.first, "{" + surname + "}" if " " in surname else surname))
    return found


def _authors(names: list[str]) -> str:
    return " and ".join(names)


def _last_first(e: Entry) -> Entry | None:
    people = _people(e)
    raw = e.get("author")
    if "," in raw:
        return _with(e, author=_authors([f"{g} {s}".strip() for g, s in people]))
    return _with(e, author=_authors([f"{s}, {g}" if g else s for g, s in people]))


def _initials(e: Entry) -> Entry | None:
    people = _people(e)
    short = [(" ".join(w[0] + "." for w in g.split() if w[:1].isalpha()), s) for g, s in people]
    return _with(e, author=_authors([f"{s}, {g}" if g else s for g, s in short]))


def _and_others(e: Entry) -> Entry | None:
    people = _people(e)
    if len(people) < 3:
        return None
    first = [f"{s}, {g}" if g else s for g, s in people[:1]]
    return _with(e, author=_authors([*first, "others"]))


def _dropped(e: Entry) -> Entry | None:
    people = _people(e)
    if len(people) < 3 or e.type == "book":  # a book by other authors: another edition
        return None
    return _with(e, author=_authors([f"{s}, {g}" if g else s for g, s in people[:-1]]))


def _added(e: Entry) -> Entry | None:
    if e.type == "book":  # a book by other authors: another edition (see two_editions)
        return None
    people = [f"{s}, {g}" if g else s for g, s in _people(e)]
    return _with(e, author=_authors([*people, "Quenneville, Zora"]))


REWRITES: dict[str, Rewrite] = {
    "acronym": _acronym,
    "long name": _long_name,
    "year/ordinal/place/dates": _decorated,
    "@article for a conference": _as_article,
    "arXiv @misc": _arxiv_misc,
    "arXiv preprint journal": _arxiv_journal,
    "dblp CoRR": _corr,
    "title case": _title_case,
    "brace protection": _braced,
    "LaTeX vs Unicode accents": _accents,
    "Last, First vs First Last": _last_first,
    "initials": _initials,
    "and others": _and_others,
    "one author dropped": _dropped,
    "one author added": _added,
}
VENUE_KEPT = {"acronym", "long name", "year/ordinal/place/dates", "@article for a conference"}
VENUE_KEPT |= {"title case", "brace protection", "LaTeX vs Unicode accents"}
VENUE_KEPT |= {"Last, First vs First Last", "initials", "and others"}


def _variants(entries: list[Entry], rewrite: Rewrite) -> Iterator[tuple[Entry, Entry]]:
    rng = random.Random(SEED)
    pool = list(entries)
    rng.shuffle(pool)
    made = 0
    for e in pool:
        if made >= SAMPLE:
            return
        variant = rewrite(e)
        if variant is not None:
            made += 1
            yield e, variant


def test_every_variant_pairs_with_its_original(entries: list[Entry]) -> None:
    failures: list[str] = []
    print()
    for name, rewrite in REWRITES.items():
        made = paired = 0
        for original, variant in _variants(entries, rewrite):
            made += 1
            pair = judge_entries(original, variant)
            if pair.score >= DEFAULT_THRESHOLD and not pair.veto:
                paired += 1
            else:
                failures.append(f"{name}: {original.key}: {pair.veto or pair.reasons}")
        print(f"  {name:28} {made:4} variants, {paired:4} paired")
    assert not failures, "\n".join(failures[:20])


def test_format_and_stats_give_a_variant_the_same_venue_and_kind(entries: list[Entry]) -> None:
    """Venue rewrites: the resolver's answer (what format prints, what stats counts) is kept."""
    failures: list[str] = []
    for name in sorted(VENUE_KEPT):
        for original, variant in _variants(entries, REWRITES[name]):
            a, b = classify(original, TABLE), classify(variant, TABLE)
            if (a.short, a.kind) != (b.short, b.kind):
                failures.append(f"{name}: {original.key}: {a.short}/{a.kind} vs {b.short}/{b.kind}")
    arxiv = [REWRITES[n] for n in ("arXiv @misc", "arXiv preprint journal", "dblp CoRR")]
    for original, _ in _variants(entries, arxiv[0]):
        forms = [r(original) for r in arxiv]
        answers = {(v.short, v.kind) for v in (classify(f, TABLE) for f in forms if f)}
        if answers != {("arXiv", "preprint")}:
            failures.append(f"arXiv forms of {original.key}: {sorted(answers)}")
    assert not failures, "\n".join(failures[:20])


# --- hard negatives ---------------------------------------------------------------------------

_IDS = ("doi", "eprint", "archiveprefix", "eprinttype", "url", "pmid", "arxivid", "isbn", "ids")


def _bare(e: Entry) -> Entry:
    """``e`` without identifiers: two different works do not share a DOI or arXiv id."""
    fields = {k: v for k, v in e.fields.items() if k not in _IDS}
    for name in ("journal", "note", "howpublished", "volume"):
        if re.search(r"arxiv|abs/|\d{4}\.\d{4,5}", fields.get(name, ""), re.IGNORECASE):
            fields[name] = "arXiv preprint"
    return e._replace(fields=fields)


def _thesis(e: Entry) -> Entry | None:
    if work_kind(make_record(0, e)) != "paper":
        return None
    first = parse_names(e.get("author"))[0].raw
    year = str(int(re.search(r"\d{4}", e.get("year")).group()))  # type: ignore[union-attr]
    fields = {"title": e.get("title"), "author": first, "year": year, "school": "Some University"}
    return Entry(e.key + "~phd", "phdthesis", fields)


def _parts(e: Entry) -> tuple[Entry, Entry]:
    return _with(e, "p1", title=e.get("title") + ": Part I"), _with(
        e, "p2", title=e.get("title") + ": Part II"
    )


def _erratum(e: Entry) -> Entry:
    return _with(e, "err", title="Erratum: " + e.get("title"))


def _reply(e: Entry) -> Entry:
    return _with(e, "reply", title="Reply to the comments on " + e.get("title"))


def _editions(e: Entry) -> tuple[Entry, Entry]:
    book = {"title": e.get("title"), "author": e.get("author"), "publisher": "Springer"}
    return (
        Entry(e.key + "~ed2", "book", {**book, "edition": "2nd", "year": "2010"}),
        Entry(e.key + "~ed3", "book", {**book, "edition": "Third", "year": "2011"}),
    )


def _chapter_and_book(e: Entry) -> tuple[Entry, Entry]:
    year = e.get("year")
    book_fields = {"title": e.get("title"), "editor": e.get("author"), "year": year}
    book = Entry(e.key + "~book", "book", book_fields)
    chapter = {"title": e.get("title"), "author": e.get("author"), "year": year}
    chapter["booktitle"] = e.get("title")
    return book, Entry(e.key + "~ch", "incollection", chapter)


def _other_authors(e: Entry) -> Entry:
    n = len(_people(e))
    names = ["Okonkwo, Adaeze", "Lindqvist, Tor", "Haddad, Rania", "Moreau, Elise"]
    return _with(e, "others", author=" and ".join(names[: max(1, min(n, 4))]))


def _workshop_then_conference(e: Entry) -> tuple[Entry, Entry] | None:
    venue = _known_conference(e)
    words = e.get("title").split()
    if not venue or len(words) < 4:
        return None
    year = int(re.search(r"\d{4}", e.get("year")).group())  # type: ignore[union-attr]
    workshop = _with(
        e,
        "ws",
        booktitle=f"{venue.short} Workshop on Emerging Methods",
        year=str(year - 1),
        title=" ".join(["Preliminary", *words[:-1], "Study"]),
    )
    return workshop, e


def _negatives(entries: list[Entry]) -> dict[str, list[list[Entry]]]:
    rng = random.Random(SEED + 1)
    pool = [_bare(e) for e in entries]
    rng.shuffle(pool)
    pool = pool[:SAMPLE]
    cases: dict[str, list[list[Entry]]] = {
        "paper vs thesis": [[e, t] for e in pool if (t := _thesis(e)) is not None],
        "Part I vs Part II": [list(_parts(e)) for e in pool],
        "paper vs erratum": [[e, _erratum(e)] for e in pool],
        "paper vs reply": [[e, _reply(e)] for e in pool],
        "two editions": [list(_editions(e)) for e in pool],
        "chapter vs its book": [list(_chapter_and_book(e)) for e in pool],
        "same title, other authors": [[e, _other_authors(e)] for e in pool],
    }
    retitled = [_workshop_then_conference(_bare(e)) for e in entries]
    cases["workshop vs retitled conference paper"] = [list(p) for p in retitled if p][:SAMPLE]
    return cases


def test_hard_negatives_never_group(entries: list[Entry]) -> None:
    grouped: list[str] = []
    print()
    for name, cases in _negatives(entries).items():
        wrong = [case for case in cases if find_duplicates(case)]
        print(f"  {name:38} {len(cases):4} cases, {len(cases) - len(wrong):4} kept apart")
        grouped += [f"{name}: {' / '.join(e.key for e in case)}" for case in wrong]
    assert not grouped, "\n".join(grouped[:20])
