"""Matching remote works to entries: identifiers first, then a fuzzy title confirmed by the
co-authors and the year. Part of :mod:`pubman.sync.plan`; pure, no I/O.

Shared identifiers: arXiv id without version, DOI normalised, S2 paper id (remembered in the
state or in a semanticscholar.org URL). Fuzzy: title score >= 90 after LaTeX decoding and
normalisation, at least half of the co-authors' surnames shared (the owner, who is on every
entry, is left out of that count), and years within +-2 (a 2017 preprint meets its 2019
proceedings). A work that matches an entry already matched is another record of the same paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pubman.identifiers import s2_ids_from_state
from pubman.model import Entry
from pubman.store.syncstate import SyncState
from pubman.sync.fields import RemoteWork, entry_ids
from pubman.text.titles import normalize_title
from pubman.work import work_of

TITLE_THRESHOLD = 90.0
AUTHOR_THRESHOLD = 0.5
YEAR_WINDOW = 2


@dataclass(frozen=True)
class Decision:
    """One line of ``--explain``: what was decided about ``subject`` and why."""

    subject: str
    verdict: str
    detail: str


@dataclass(frozen=True)
class Match:
    key: str
    work: RemoteWork
    how: str


def people(value: str) -> list[Any]:
    """The real people (no ``others``) of an author list."""
    from pubman.text.names import parse_names

    return [p for p in parse_names(value) if p.last and not p.is_others]


def _years(work: RemoteWork) -> list[int]:
    return [p.year for p in (work.s2, work.arxiv) if p is not None and p.year]


def _coauthor_overlap(entry: Entry, work: RemoteWork, owner: Any) -> float:
    """Shared surnames (0..1) of the co-authors: the owner is in every entry, so proves
    nothing. Two author lists that are the owner alone agree; an empty list gives no evidence."""
    from pubman.matching import surname_overlap

    ours = [p for p in work_of(entry).authors if p.last and not p.is_others]
    theirs = people(" and ".join(work.authors))
    if not ours or not theirs:
        return 1.0
    if owner is not None:
        ours = [p for p in ours if not owner.matches(p)]
        theirs = [p for p in theirs if not owner.matches(p)]
        if not ours or not theirs:
            return 1.0 if not ours and not theirs else 0.0
    return float(surname_overlap(ours, theirs))


def _fuzzy(
    entry: Entry, work: RemoteWork, norm_entry: str, norm_work: str, owner: Any = None
) -> tuple[float, str] | None:
    """(score, reason) when ``work`` is ``entry`` by title, authors and year; else None."""
    from pubman.matching import title_similarity

    score = title_similarity(norm_entry, norm_work)
    if score < TITLE_THRESHOLD:
        return None
    overlap = _coauthor_overlap(entry, work, owner)
    if overlap < AUTHOR_THRESHOLD:
        return None
    year = work_of(entry).year
    years = _years(work)
    if year is not None and years and min(abs(year - y) for y in years) > YEAR_WINDOW:
        return None
    return score, (
        f"title {score:.0f}/100, co-authors {overlap:.0%} shared, "
        f"year {year or '?'} vs {'/'.join(map(str, sorted(set(years)))) or '?'}"
    )


def _near_miss(entry: Entry, work: RemoteWork, norm_entry: str, norm_work: str) -> str | None:
    from pubman.matching import title_similarity

    score = title_similarity(norm_entry, norm_work)
    if score < 80:
        return None
    return (
        f"title {score:.0f}/100, but the title is below {TITLE_THRESHOLD:.0f} or the "
        "co-authors or year disagree"
    )


def _id_label(ident: str) -> str:
    kind, _, value = ident.partition(":")
    return {"arxiv": "arXiv id", "doi": "DOI", "s2": "S2 paper id"}[kind] + " " + value


def _id_rank(ident: str) -> int:
    return {"arxiv": 0, "doi": 1, "s2": 2}[ident.partition(":")[0]]


class _TitleIndex:
    """Normalised entry titles with a word index, so that a work is compared only with the
    entries sharing at least half of its title words (fast on profiles of thousands)."""

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self.titles = {k: work_of(e).title_key for k, e in entries.items()}
        self.index: dict[str, set[str]] = {}
        for key, title in self.titles.items():
            for word in set(title.split()):
                self.index.setdefault(word, set()).add(key)

    def candidates(self, norm: str) -> list[str]:
        words = set(norm.split())
        counts: dict[str, int] = {}
        for word in words:
            for key in self.index.get(word, ()):
                counts[key] = counts.get(key, 0) + 1
        need = max(1, len(words) // 2)
        return [k for k in self.titles if counts.get(k, 0) >= need]


def _by_ids(
    entries: Mapping[str, Entry],
    works: Sequence[RemoteWork],
    state: SyncState,
    matched: dict[str, Match],
    decisions: list[Decision],
) -> list[RemoteWork]:
    """Match works to entries by shared identifiers; returns the works left over."""
    owner_of: dict[str, str] = {}
    for key, e in entries.items():
        for ident in entry_ids(e, s2_ids_from_state(state.ids.get(key, []))):
            owner_of.setdefault(ident, key)
    rest: list[RemoteWork] = []
    # published records first, so that they win an entry over a preprint record of the paper
    for work in sorted(works, key=lambda w: not w.published):
        shared = sorted((i for i in work.ids() if i in owner_of), key=_id_rank)
        if not shared:
            rest.append(work)
            continue
        key = owner_of[shared[0]]
        if key in matched:
            decisions.append(
                Decision(
                    work.label(),
                    "same paper",
                    f"another record of {key} ({_id_label(shared[0])}); ignored",
                )
            )
            continue
        matched[key] = Match(key, work, f"by {_id_label(shared[0])}")
        others = {owner_of[i] for i in shared} - {key}
        if others:
            decisions.append(
                Decision(
                    key,
                    "note",
                    f"{work.label()} also matches "
                    f"{', '.join(sorted(others))}: possible duplicate entries "
                    "(see `pubman dedup`)",
                )
            )
    return rest


def match(
    entries: Mapping[str, Entry], works: Sequence[RemoteWork], state: SyncState, owner: Any = None
) -> tuple[list[Match], list[RemoteWork], list[Decision]]:
    """(matches, unmatched works, decisions). Another record of an already matched paper is
    neither matched nor returned as unmatched (it is explained in the decisions)."""
    matched: dict[str, Match] = {}
    decisions: list[Decision] = []
    rest = _by_ids(entries, works, state, matched, decisions)
    index = _TitleIndex(entries) if rest else None
    unmatched: list[RemoteWork] = []
    for work in rest:
        assert index is not None
        norm = normalize_title(work.title)
        keys = index.candidates(norm)
        found = [
            (r, k)
            for k in keys
            if (r := _fuzzy(entries[k], work, index.titles[k], norm, owner)) is not None
        ]
        if not found:
            unmatched.append(work)
            decisions.extend(
                Decision(work.label(), "no match", f"{k}: {why}")
                for k in keys
                if (why := _near_miss(entries[k], work, index.titles[k], norm))
            )
            continue
        (_, why), key = max(found, key=lambda f: f[0][0])
        if key in matched:
            decisions.append(
                Decision(work.label(), "same paper", f"another record of {key} ({why}); ignored")
            )
            continue
        matched[key] = Match(key, work, f"by {why}")
    out = [matched[k] for k in entries if k in matched]
    decisions[:0] = [Decision(m.key, "match", f"{m.work.label()} {m.how}") for m in out]
    return out, unmatched, decisions
