"""One pair of entries judged: are they the same work, how sure, and why (for :mod:`pubman.dedup.groups`).

Contract: pure functions over :class:`~pubman.dedup.record.Record`, no I/O, never prints, never
raises on odd field values. :func:`judge` returns a :class:`Pair` whose ``veto`` names the guard
that rejected it, or whose ``score`` (0..1) and ``reasons`` explain the match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from pubman.dedup.kinds import kind_guard, same_venue, venues_differ
from pubman.dedup.record import (
    FIRST_NUMBER,
    ID_LABELS,
    ID_NAMES,
    STOPWORDS,
    Person,
    Record,
    first_page,
    is_preprint,
    plain_fields,
    plain_text,
)
from pubman.matching import normal_title_similarity, title_similarity
from pubman.text.names import fold

YEAR_WINDOW = 3  # a preprint, report or thesis may precede the publication by this many years
MIN_TITLE = 0.85  # title similarity (0..1) below which a pair is not considered
COLLISION_SCORE = 0.5  # a shared identifier on records that otherwise disagree
VENUE_PENALTY = 0.25  # two published versions in different venues are usually two publications

GENERIC_TITLES = frozenset(
    [
        "introduction",
        "preface",
        "foreword",
        "editorial",
        "index",
        "contents",
        "erratum",
        "errata",
        "corrigendum",
        "corrigenda",
        "addendum",
        "abstract",
        "abstracts",
        "summary",
        "conclusion",
        "conclusions",
        "overview",
        "discussion",
        "reply",
        "response",
        "comment",
        "comments",
        "letter",
        "letters",
        "review",
        "reviews",
        "obituary",
        "acknowledgments",
        "acknowledgements",
        "acknowledgment",
        "references",
        "bibliography",
        "appendix",
        "keynote",
        "panel",
        "tutorial",
        "report",
        "news",
        "announcements",
        "untitled",
    ]
) | {
    "editorial note",
    "editors note",
    "guest editorial",
    "author index",
    "subject index",
    "table of contents",
    "front matter",
    "back matter",
    "letter to the editor",
    "book review",
    "book reviews",
    "in memoriam",
    "keynote address",
    "invited talk",
    "call for papers",
    "program committee",
}
_MARKERS = re.compile(
    r"\b(errat(?:um|a)|corrigend(?:um|a)|corrections?|retract(?:ion|ed)|addendum|withdrawn|"
    r"repl(?:y|ies)|response|rejoinder|comments?|commentary|discussion)\b"
)
_SEQUEL = re.compile(
    r"\b(second|third|fourth|fifth|sixth|revisited|reopened|continued|"
    r"reconsidered|sequel)\b"
)
_ROMAN = frozenset(["ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv"])
_PART_WORDS = {"part", "volume", "vol", "chapter", "book", "section", "paper"}
_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "i": "1",
}


@dataclass(frozen=True)
class Pair:
    """The verdict on records ``i < j``: ``veto`` (why not) or ``score`` and ``reasons``."""

    i: int
    j: int
    score: float
    reasons: tuple[str, ...] = ()
    veto: str | None = None
    hold: str | None = None  # why a merge needs a person's look (never merged with --yes)


def worth_judging(a: Record, b: Record) -> bool:
    """Cheap pre-check: shares an identifier, or :func:`titles_comparable`."""
    if any(a.ids.get(n) and a.ids.get(n) == b.ids.get(n) for n in ID_NAMES):
        return True
    if not a.title and not b.title:
        return True  # blocked together only when every field is equal
    return titles_comparable(a, b)


def share_identifier(a: Record, b: Record) -> bool:
    """The two records have one identifier (of one kind) in common."""
    ids = b.ids
    return any(ids.get(n) == v for n, v in a.ids.items())


def identifier_agrees(a: Record, b: Record) -> bool:
    """``a`` (the earlier record) and ``b`` share an identifier and agree enough that it is
    not a collision: :func:`judge` scores them above :data:`COLLISION_SCORE`."""
    shared, clash = _identifiers(a, b)
    return bool(shared) and _by_identifier(a, b, shared, clash).score > COLLISION_SCORE


def _identifiers(a: Record, b: Record) -> tuple[list[str], list[str]]:
    """The identifiers ``a`` and ``b`` share, and the DOI/arXiv ids on which they differ."""
    if not a.ids or not b.ids:
        return [], []
    shared = [n for n in ID_NAMES if a.ids.get(n) and a.ids.get(n) == b.ids.get(n)]
    clash = [n for n in _CLASHING if a.ids.get(n) and b.ids.get(n) and a.ids[n] != b.ids[n]]
    return shared, clash


_CLASHING = ("doi", "arxiv")  # two records with different ones are two works


def identifiers_clash(a: Record, b: Record) -> bool:
    """:func:`judge` vetoes the pair on its identifiers alone, whatever else the records say:
    they have no identifier in common, and different DOIs or different arXiv ids."""
    ids = b.ids
    if not ids:
        return False
    clash = False  # _identifiers's answer in one pass: blocking asks this of many pairs
    for name, value in a.ids.items():
        other = ids.get(name)
        if value and other:
            if other == value:
                return False
            if name in _CLASHING:
                clash = True
    return clash


def titles_comparable(a: Record, b: Record) -> bool:
    """Two titles of compatible length whose word stems overlap by at least half."""
    la, lb = len(a.title), len(b.title)
    if not la or not lb or 2 * min(la, lb) / (la + lb) < MIN_TITLE:
        return False  # the title similarity cannot reach MIN_TITLE
    sa, sb = a.stems, b.stems
    shared = len(sa & sb)
    return shared * 2 >= len(sa) + len(sb) - shared  # at least half of the union


def judge(a: Record, b: Record, year_window: int = YEAR_WINDOW) -> Pair:
    """The verdict on one pair (see the module docstring)."""
    if b.index < a.index:
        a, b = b, a
    shared, clash = _identifiers(a, b)
    if shared:
        return _held(a, b, _by_identifier(a, b, shared, clash))
    if clash:
        return _veto(
            a, b, f"different {ID_LABELS[clash[0]]}s {a.ids[clash[0]]} and {b.ids[clash[0]]}"
        )
    if (
        a.title == b.title
        and a.type == b.type
        and plain_fields(a.entry.fields) == plain_fields(b.entry.fields)
    ):
        return Pair(a.index, b.index, 1.0, ("every field is equal",))
    if not a.title or not b.title:
        return Pair(a.index, b.index, 0.0)
    sim = 1.0 if a.title == b.title else normal_title_similarity(a.title, b.title) / 100
    if sim < MIN_TITLE:
        return Pair(a.index, b.index, 0.0)
    veto = (
        _title_guard(a, b)
        or kind_guard(a, b)
        or _field_guard(a, b)
        or _year_guard(a, b, year_window)
    )
    if veto:
        return _veto(a, b, veto)
    return _held(a, b, _by_title(a, b, sim))


def _by_identifier(a: Record, b: Record, shared: list[str], clash: list[str]) -> Pair:
    """A shared identifier decides, unless the records disagree so much that the identifier
    itself is probably wrong (copied into the wrong entry, a book's DOI on its chapters)."""
    reasons = [f"same {ID_LABELS[n]} {a.ids[n]}" for n in shared]
    reasons += [f"but different {ID_LABELS[n]}s {a.ids[n]} and {b.ids[n]}" for n in clash]
    titles_agree = (
        not a.title
        or not b.title
        or a.title.startswith(b.title)
        or b.title.startswith(a.title)
        or normal_title_similarity(a.title, b.title) >= 60
    )
    matched, compared = author_agreement(a.people, b.people)
    authors_agree = not compared or 2 * matched >= compared
    if clash or not (titles_agree or authors_agree):
        reasons.append("titles or DOIs disagree: one identifier is probably wrong")
        return Pair(a.index, b.index, COLLISION_SCORE, tuple(reasons))
    if not titles_agree:
        reasons.append("but the titles differ: check the identifier")
        return Pair(a.index, b.index, 0.9, tuple(reasons))
    return Pair(a.index, b.index, 1.0, tuple(reasons))


def _by_title(a: Record, b: Record, sim: float) -> Pair:
    reasons = ["same title" if sim == 1.0 else f"titles {sim:.0%} similar"]
    changed, inserted = word_changes(a.title, b.title) if sim < 1.0 else ([], 0)
    if changed:
        return _veto(a, b, f"titles differ in words ({changed[0]})")
    matched, compared = author_agreement(a.people, b.people)
    if compared:
        frac = matched / compared
        if frac < 0.5:
            return _veto(
                a, b, f"similar titles but different authors ({matched} of {compared} agree)"
            )
        reasons.append(f"authors agree ({matched} of {compared})")
    else:
        frac = 0.0
        reasons.append("authors missing on one side")
    if len(a.tokens) <= 2 and (sim < 0.95 or frac < 1.0):
        return _veto(a, b, "a short title needs the same authors")
    published = not is_preprint(a) and not is_preprint(b)
    score = sim * (0.75 + 0.25 * frac) - (0.15 if published else 0.05) * inserted
    if inserted:
        reasons.append(f"{inserted} title word(s) in one only")
    if published and venues_differ(a, b):
        score -= VENUE_PENALTY
        reasons.append(
            "published in different venues (a conference paper and its journal "
            "version are two publications)"
        )
    if a.year and b.year and a.year != b.year and _same_book(a, b):
        reasons.append(f"one book listed under {a.year} and {b.year} (a reprint?)")
    elif a.year and b.year and a.year != b.year:
        score -= 0.02 * abs(a.year - b.year)
        first, second = (a, b) if a.year < b.year else (b, a)
        reasons.append(f"{first.type} {first.year} before {second.type} {second.year}")
    elif a.year and a.year == b.year:
        reasons.append(f"same year {a.year}")
    return Pair(a.index, b.index, round(max(score, 0.0), 3), tuple(reasons))


def author_agreement(a: Sequence[Person], b: Sequence[Person]) -> tuple[int, int]:
    """(names of the shorter list found in the other, size of the shorter list): a name is
    found when a surname form agrees and the first initials do not contradict each other."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return 0, 0
    # A name none of whose surnames is in the other list is found in no one: most pairs of
    # different works stop at that test.
    pool = set().union(*[q.surnames for q in long])
    matched = sum(
        1
        for p in short
        if not pool.isdisjoint(p.surnames)
        and any(
            p.surnames & q.surnames and (not p.initial or not q.initial or p.initial == q.initial)
            for q in long
        )
    )
    return matched, len(short)


def _title_guard(a: Record, b: Record) -> str | None:
    na, nb = _numbers(a.title), _numbers(b.title)
    if na != nb:
        return f"titles differ in numbers ({_show(na)} vs {_show(nb)})"
    ma, mb = set(_MARKERS.findall(a.title)), set(_MARKERS.findall(b.title))
    if ma != mb:
        return f"one title is an erratum, reply or comment ({', '.join(sorted(ma ^ mb))})"
    sa, sb = set(_SEQUEL.findall(a.title)), set(_SEQUEL.findall(b.title))
    if sa != sb:
        return f"one title is a sequel ({', '.join(sorted(sa ^ sb))})"
    if a.title in GENERIC_TITLES or b.title in GENERIC_TITLES:
        same = (
            a.year == b.year
            and same_venue(a, b)
            and a.title == b.title
            and first_page(a) == first_page(b)
            and author_agreement(a.people, b.people) == (len(a.people), len(a.people))
        )
        if not same:
            return f"generic title '{a.work.title}' needs the same venue, year and authors"
    return None


def _field_guard(a: Record, b: Record) -> str | None:
    books = a.type == b.type == "book" and a.people and b.people
    cut_short = any(_OTHERS.search(r.entry.get("author")) for r in (a, b))  # "and others"
    if books and len(a.people) != len(b.people) and not cut_short:
        return "books with different author lists (another edition?)"
    for name, norm in (("edition", _edition), ("chapter", plain_text)):
        va, vb = norm(a.entry.get(name)), norm(b.entry.get(name))
        if va and vb and va != vb:
            return f"different {name}s ({a.entry.get(name)} vs {b.entry.get(name)})"
    same_container = a.type == b.type and same_venue(a, b)
    pa, pb = first_page(a), first_page(b)
    if same_container and pa and pb and pa != pb:
        return (
            f"different pages in the same venue ({a.entry.get('pages')} vs {b.entry.get('pages')})"
        )
    if {a.type, b.type} in ({"book", "inbook"}, {"book", "incollection"}):
        return "a book and a chapter"
    if a.type != b.type or not same_venue(a, b):
        return None
    num_a, num_b = fold(a.entry.get("number")), fold(b.entry.get("number"))
    if num_a and num_b and num_a != num_b:
        return f"different issues or numbers ({a.entry.get('number')} vs {b.entry.get('number')})"
    vol_a, vol_b = fold(a.entry.get("volume")), fold(b.entry.get("volume"))
    if vol_a and vol_b and vol_a != vol_b and a.year != b.year:
        return f"different volumes and years ({vol_a}, {a.year} vs {vol_b}, {b.year})"
    return None


def _year_guard(a: Record, b: Record, window: int) -> str | None:
    if not a.year or not b.year or _same_book(a, b):
        return None
    allowed = window if is_preprint(a) or is_preprint(b) else 1
    if abs(a.year - b.year) > allowed:
        return f"years {a.year} and {b.year} are more than {allowed} apart"
    return None


def _same_book(a: Record, b: Record) -> bool:
    """A @book and a @book (or a venue-less @misc, as Google Scholar exports books) with one
    title, one author list and no edition: a reprint is often listed under its reprint year,
    so the year does not separate them."""
    types = {a.type, b.type}
    venueless = not any(
        r.work.venue_text or r.entry.get("howpublished") for r in (a, b) if r.type == "misc"
    )
    return (
        "book" in types
        and types <= {"book", "misc"}
        and (types == {"book"} or venueless)
        and a.title == b.title
        and bool(a.people)
        and author_agreement(a.people, b.people) == (len(a.people), len(b.people))
        and not (a.entry.get("edition") or b.entry.get("edition"))
    )


def word_changes(ta: str, tb: str) -> tuple[list[str], int]:
    """How two near-equal titles differ in words: (substituted or moved content words,
    number of content words only one title has). Stop words, typos, spelling variants and
    hyphenation ("two layer" / "twolayer") are not changes."""
    wa, wb = ta.split(), tb.split()
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        xa = [w for w in wa[i1:i2] if w not in STOPWORDS] if op != "equal" else []
        xb = [w for w in wb[j1:j2] if w not in STOPWORDS] if op != "equal" else []
        if xa and xb and title_similarity("".join(xa), "".join(xb)) >= 80:
            continue
        removed += xa
        added += xb
    if removed and added:
        return [f"{' '.join(removed)} / {' '.join(added)}"], 0
    return [], len(removed) + len(added)


def _numbers(title: str) -> tuple[str, ...]:
    words = title.split()
    found = []
    for k, w in enumerate(words):
        prev = words[k - 1] if k else ""
        if w.isdecimal():  # not isdigit: int() cannot read a superscript two
            found.append(str(int(w)))
        elif w in _ROMAN:
            found.append(w)
        elif prev in _PART_WORDS and w in _NUMBER_WORDS:
            found.append(_NUMBER_WORDS[w])
        else:  # the digit runs of a word with digits (most words have none)
            found += [str(int(d)) for d in FIRST_NUMBER.findall(w)]
    return tuple(sorted(found))


def _show(numbers: tuple[str, ...]) -> str:
    return ", ".join(numbers) or "none"


def _edition(value: str) -> str:
    text = fold(value)
    word = text.split()[0] if text else ""
    digits = FIRST_NUMBER.search(word)
    return digits.group() if digits else _NUMBER_WORDS.get(word, word)


_OTHERS = re.compile(r"\band\s+(?:others|et\s*al\.?)\s*\}*\s*$", re.IGNORECASE)


def author_subset(a: Record, b: Record) -> str | None:
    """The reason, when one author list is a strict subset of the other (not an "and others"
    list, which says it is cut short)."""
    short, long = (a, b) if len(a.people) <= len(b.people) else (b, a)
    if not short.people or len(short.people) == len(long.people):
        return None
    matched, compared = author_agreement(short.people, long.people)
    if matched < compared or _OTHERS.search(short.entry.get("author")):
        return None
    return (
        f"{short.key} lists {compared} of the {len(long.people)} authors of {long.key}: "
        "check the author list before merging"
    )


def _held(a: Record, b: Record, pair: Pair) -> Pair:
    hold = author_subset(a, b) if pair.score else None
    if not hold:
        return pair
    return Pair(pair.i, pair.j, pair.score, (*pair.reasons, hold), pair.veto, hold)


def _veto(a: Record, b: Record, reason: str) -> Pair:
    return Pair(a.index, b.index, 0.0, (reason,), veto=reason)


_COMPARED = (
    "title",
    "author",
    "year",
    "journal",
    "booktitle",
    "volume",
    "number",
    "pages",
    "publisher",
    "edition",
    "doi",
    "eprint",
)


def compare_fields(records: Sequence[Record]) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Fields present in two or more records: those that agree, and those that differ (with
    their distinct values, in record order)."""
    agreeing: list[str] = []
    conflicting: dict[str, tuple[str, ...]] = {}
    for name in _COMPARED:
        present = [(r, r.entry.get(name)) for r in records if r.entry.get(name).strip()]
        if len(present) < 2:
            continue
        forms = {_comparable(name, r, v) for r, v in present}
        if len(forms) == 1:
            agreeing.append(name)
        else:
            conflicting[name] = tuple(dict.fromkeys(" ".join(v.split()) for _, v in present))
    return tuple(agreeing), conflicting


def _comparable(name: str, r: Record, value: str) -> object:
    if name == "title":
        return r.title
    if name == "author":
        return tuple(sorted(min(p.surnames) for p in r.people))
    if name == "pages":
        return tuple(FIRST_NUMBER.findall(value))
    if name == "doi":
        return r.ids.get("doi", value)
    return plain_text(value)
