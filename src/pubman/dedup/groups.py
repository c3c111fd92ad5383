"""Find the same work entered twice: candidate pairs by blocking, each pair judged with evidence,
pairs joined into groups; see :mod:`pubman.dedup.merge` for turning a group into one entry.

Contract: pure functions over :class:`~pubman.model.Entry` objects; no I/O, never prints, never
raises on odd field values. Never compares every pair: candidates come from
:mod:`pubman.dedup.candidates` (shared identifiers, and title blocks of capped size whose pairs
pass the judge's cheap title pre-check).

A candidate pair is a duplicate when it shares an identifier, or when its titles are near-equal
(rapidfuzz, through :mod:`pubman.matching`) and the authors agree (surnames, initials-aware)
within a year window (a preprint, report or thesis may precede the publication by a few years).
Guards reject numbered parts (Part I/II), generic titles (Preface), errata/replies/comments,
equal titles with different authors, different DOIs or arXiv ids, editions, chapters and pages.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pubman.dedup import judge
from pubman.dedup.candidates import block_pairs, candidate_pairs
from pubman.dedup.judge import Pair
from pubman.dedup.record import Record, make_record
from pubman.gcpause import collector_paused
from pubman.model import Entry
from pubman.work import crossref_parent, crossref_parents

__all__ = [
    "DEFAULT_THRESHOLD",
    "Group",
    "Match",
    "Pair",
    "find_duplicates",
    "find_matches",
    "judge_entries",
]

DEFAULT_THRESHOLD = 0.8


@dataclass(frozen=True)
class Group:
    """Entries judged to be one work. ``keys`` in file order; ``score`` is the weakest link."""

    keys: tuple[str, ...]
    score: float
    reasons: tuple[str, ...]
    agreeing: tuple[str, ...] = ()
    conflicting: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pairs: tuple[Pair, ...] = ()

    @property
    def hold(self) -> str | None:
        """Why this group needs a person's look before a merge (one author list a strict
        subset of another); ``dedup --apply --yes`` skips such groups."""
        return next((p.hold for p in self.pairs if p.hold), None)

    def to_json(self) -> dict[str, object]:
        return {
            "keys": list(self.keys),
            "score": round(self.score, 3),
            "reasons": list(self.reasons),
            "agreeing": list(self.agreeing),
            "conflicting": {k: list(v) for k, v in self.conflicting.items()},
            "hold": self.hold,
        }


@dataclass(frozen=True)
class Match:
    """An entry of another file (``other``) that is already in the bibliography as ``key``."""

    other: str
    key: str
    score: float
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "other": self.other,
            "key": self.key,
            "score": round(self.score, 3),
            "reasons": list(self.reasons),
        }


def judge_entries(a: Entry, b: Entry, *, year_window: int = judge.YEAR_WINDOW) -> Pair:
    """Judge one pair directly (no blocking): a :class:`Pair` with score 0 and the veto as
    reason when it is not a duplicate."""
    return judge.judge(make_record(0, a), make_record(1, b), year_window)


@collector_paused()
def find_duplicates(
    entries: Iterable[Entry],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    not_duplicates: Iterable[tuple[str, str]] = (),
    year_window: int = judge.YEAR_WINDOW,
    timings: dict[str, float] | None = None,
) -> list[Group]:
    """Groups of entries that are the same work, strongest first.

    ``not_duplicates`` are key pairs the user said are different works: never grouped together.
    ``timings``, when given, receives seconds spent in ``normalise``, ``blocking``, ``scoring``
    and ``grouping`` (for the benchmark), plus the ``candidates`` count.
    """
    clock = _Clock(timings)
    records = _records(list(entries))
    clock.lap("normalise")
    candidates = candidate_pairs(records, skip_clashes=True)
    clock.lap("blocking")
    accepted, vetoed = _score(records, candidates, threshold, year_window)
    clock.lap("scoring")
    by_key = {r.key: r.index for r in records}
    for k1, k2 in not_duplicates:
        if k1 in by_key and k2 in by_key:
            vetoed.add(_pair(by_key[k1], by_key[k2]))
    accepted = [p for p in accepted if (p.i, p.j) not in vetoed]
    groups = _group(records, accepted, vetoed, year_window)
    clock.lap("grouping")
    if timings is not None:
        timings["candidates"] = float(len(candidates))
    return groups


@collector_paused()
def find_matches(
    entries: Iterable[Entry],
    others: Iterable[Entry],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    year_window: int = judge.YEAR_WINDOW,
) -> list[Match]:
    """For each entry of ``others`` already present among ``entries``, its best match."""
    mine = _records(list(entries))
    theirs = _records(list(others), start=len(mine))
    records = mine + theirs
    best: dict[int, tuple[float, Pair, int]] = {}
    for i, j in block_pairs(records):
        if (i < len(mine)) == (j < len(mine)):
            continue
        own, other = (i, j) if i < len(mine) else (j, i)
        pair = judge.judge(records[own], records[other], year_window)
        if pair.score >= threshold and pair.score > best.get(other, (0.0,))[0]:
            best[other] = (pair.score, pair, own)
    return [
        Match(records[o].key, records[own].key, score, pair.reasons)
        for o, (score, pair, own) in sorted(best.items())
    ]


def _records(entries: list[Entry], start: int = 0) -> list[Record]:
    parents = crossref_parents(entries)
    return [
        make_record(start + i, e, crossref_parent(e, parents) if parents else None)
        for i, e in enumerate(entries)
    ]


def _pair(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


# ---------------------------------------------------------------------------------------------
# Scoring and grouping


def _score(
    records: Sequence[Record],
    candidates: Iterable[tuple[int, int]],
    threshold: float,
    year_window: int,
) -> tuple[list[Pair], set[tuple[int, int]]]:
    accepted: list[Pair] = []
    vetoed: set[tuple[int, int]] = set()
    # candidate_pairs are pre-checked (judge.worth_judging) and hold no pair vetoed on its
    # identifiers alone (judge.identifiers_clash): _group judges such pairs as it meets them
    for i, j in candidates:
        pair = judge.judge(records[i], records[j], year_window)
        if pair.veto:
            vetoed.add((i, j))
        elif pair.score >= threshold:
            accepted.append(pair)
    return accepted, vetoed


def _group(
    records: Sequence[Record], accepted: list[Pair], vetoed: set[tuple[int, int]], year_window: int
) -> list[Group]:
    """Join accepted pairs strongest first; two clusters join only when no pair across them is
    vetoed (different DOIs, Part I vs II, a user's not-duplicate verdict...).

    A pair that shares an identifier is never vetoed by the judge (only by a verdict in
    ``vetoed``), so two clusters whose members all share one identifier are checked against
    ``vetoed`` alone, from the smaller side: a thousand records with one DOI join in linear
    time, not with every pair across judged. Two clusters without one are judged pair by
    pair, so ``vetoed`` need not hold the pairs vetoed on identifiers alone (blocking leaves
    them out): such a pair never shares an identifier, so it is judged again here."""
    owner: dict[int, int] = {}  # record index -> cluster id (its first member)
    members: dict[int, list[int]] = {}
    edges: dict[int, list[Pair]] = {}
    common: dict[int, set[tuple[str, str]]] = {}  # cluster id -> identifiers all members share
    against: dict[int, list[int]] = {}  # record index -> the records it is vetoed with
    for x, y in vetoed:
        against.setdefault(x, []).append(y)
        against.setdefault(y, []).append(x)
    for pair in sorted(accepted, key=lambda p: (-p.score, p.i, p.j)):
        ca, cb = owner.setdefault(pair.i, pair.i), owner.setdefault(pair.j, pair.j)
        ma, mb = members.setdefault(ca, [pair.i]), members.setdefault(cb, [pair.j])
        if ca == cb:
            edges[ca].append(pair)
            continue
        ia = common.get(ca)
        if ia is None:
            ia = common[ca] = set(records[pair.i].ids.items())
        ib = common.get(cb)
        if ib is None:
            ib = common[cb] = set(records[pair.j].ids.items())
        if ia & ib:
            small, other = (ma, cb) if len(ma) <= len(mb) else (mb, ca)
            if any(owner.get(y) == other for x in small for y in against.get(x, ())):
                continue
        elif any(
            _pair(x, y) in vetoed
            or (
                not judge.share_identifier(records[x], records[y])
                and _vetoes(records, x, y, year_window)
            )
            for x in ma
            for y in mb
            if _pair(x, y) != (pair.i, pair.j)
        ):
            continue
        ma += members.pop(cb)
        edges.setdefault(ca, []).extend(edges.pop(cb, ()))
        edges[ca].append(pair)
        ia &= common.pop(cb)
        for m in mb:
            owner[m] = ca
    groups = [
        _make_group(records, sorted(ms), edges[c]) for c, ms in members.items() if len(ms) > 1
    ]
    return sorted(groups, key=lambda g: (-g.score, min(p.i for p in g.pairs)))


def _vetoes(records: Sequence[Record], x: int, y: int, year_window: int) -> bool:
    return judge.judge(records[x], records[y], year_window).veto is not None


def _make_group(records: Sequence[Record], members: list[int], pairs: list[Pair]) -> Group:
    recs = [records[m] for m in members]
    reasons: list[str] = []
    several = len(members) > 2
    for pair in sorted(pairs, key=lambda p: (p.i, p.j)):
        prefix = f"{records[pair.i].key} ~ {records[pair.j].key}: " if several else ""
        reasons += [prefix + reason for reason in pair.reasons]
    agreeing, conflicting = judge.compare_fields(recs)
    return Group(
        tuple(r.key for r in recs),
        min(p.score for p in pairs),
        tuple(reasons),
        agreeing,
        conflicting,
        tuple(pairs),
    )


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now
