"""Blocking: the pairs of records that :mod:`pubman.dedup.groups` judges.

Contract: pure functions over :class:`~pubman.dedup.record.Record` lists (a record's ``index``
is its position in the list); no I/O, never prints, never raises on odd field values. Never
compares every pair.

A record's blocks are its identifiers (DOI, arXiv id, Semantic Scholar id, PubMed id, other
e-print id), each a block however many records share it; and, for a record with a title, its
title blocks: the whole title; every two of its three rarest words; each of those words used by
at most :data:`RARE_DF` titles; and, for a title of at most four words (where one typo changes a
large share of them), its first and last :data:`_EDGE` characters. A record with neither title
nor identifier is in the block of records with all the same fields. Title and field blocks of
more than :data:`BLOCK_CAP` members are common words or generic titles ("Preface"): their pairs
are skipped.

An identifier's block of up to :data:`ID_PAIRWISE` records gives every pair; a larger one (a
proceedings' DOI on its papers, a DOI copied along a merged lab file) gives each record's pair
with the first of them, then each record that does not agree with the first (a collision, in
the judge's terms) is paired with the first of those, and so on for up to :data:`ID_PAIRWISE`
rounds: a thousand records with one DOI make a few thousand pairs, not half a million, and
each work among them is found by its first record. Pairs of them that share a title block are
still judged, so records of one work with like titles keep every pair (a group's weakest link
and its reasons). Real files have blocks of at most five records (the corpus); eight keeps
every pair where a person may have entered one work several times.

:func:`block_pairs` is every pair that shares a block. :func:`candidate_pairs` is the subset
that can pass the judge's cheap pre-check (:func:`pubman.dedup.judge.worth_judging`), and is
what ``dedup`` judges. A title block's pairs are first tested against a bound that costs a few
integer operations: each record's title stems are bits of one integer, and two records whose
shared bits cannot reach the stem overlap the pre-check asks for are dropped before anything is
built for them. On a file where many records share a block without being alike (copies of one
paper by the same authors in the same venue and year, with half the title in common), the pairs
judged then grow with the records, not with the square of the blocks. What ``dedup`` judges
also leaves out, before the title pre-check, the pairs the judge would veto on their
identifiers alone (``skip_clashes``): on such a file most pairs of a paper's copies have two
different DOIs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import chain, combinations

from pubman.dedup.judge import (
    identifier_agrees,
    identifiers_clash,
    share_identifier,
    titles_comparable,
)
from pubman.dedup.record import Record, content_key

__all__ = ["BLOCK_CAP", "ID_PAIRWISE", "RARE_DF", "block_pairs", "candidate_pairs"]

BLOCK_CAP = 50  # larger title blocks are common words or generic titles: their pairs are skipped
ID_PAIRWISE = 8  # records sharing one identifier that dedup judges pair by pair (see below)
RARE_DF = 3  # a title word used by at most this many titles is a block key by itself
_RAREST = 3  # every two of a title's rarest words make a block key
_EDGE = 8  # characters of a short title's start and end used as block keys
_BITS = 128  # width of a title's stem signature

Pair = tuple[int, int]


def candidate_pairs(records: Sequence[Record], *, skip_clashes: bool = False) -> set[Pair]:
    """The pairs ``(i, j)``, ``i < j``, of ``block_pairs(records, ID_PAIRWISE)`` that pass the
    judge's pre-check (:func:`pubman.dedup.judge.worth_judging`), found without listing the
    others (a pair that shares an identifier always passes it).

    ``skip_clashes``: without the pairs the judge vetoes on their identifiers alone
    (:func:`pubman.dedup.judge.identifiers_clash`: different DOIs or arXiv ids, none in
    common), tested before the title pre-check. Judging them says only "different"; grouping
    judges such a pair again when it matters, so ``dedup`` need not (on a file of many papers
    by the same authors in the same venue, most title-block pairs are such pairs)."""
    crowded: set[int] = set()  # records in an identifier's block of more than ID_PAIRWISE
    pairs = _identifier_pairs(records, ID_PAIRWISE, crowded)
    pairs.update(_field_pairs(records))
    titled = [r for r in records if r.title]
    stems = _StemBits(len(records))
    masks = stems.masks
    previous: list[int] = []
    for members in _title_blocks(titled):
        if members == previous:  # one paper's copies share all their rarest words' keys,
            continue  # which come one after another: a block like the last adds nothing
        previous = members
        for m in members:
            if not masks[m]:
                stems.add(records[m])
        _pair_block(records, members, stems, crowded, skip_clashes, pairs)
    return pairs


def _pair_block(
    records: Sequence[Record],
    members: list[int],
    stems: _StemBits,
    crowded: set[int],
    skip_clashes: bool,
    pairs: set[Pair],
) -> None:
    """Add to ``pairs`` those of one title block that :func:`candidate_pairs` wants."""
    masks, sizes, lost = stems.masks, stems.sizes, stems.lost
    for x, i in enumerate(members[:-1], 1):
        rest = members[x:]
        mi, ni, li = masks[i], sizes[i], lost[i]
        # An upper bound of the shared stems: shared bits, plus the stems one of the two lost
        # to a bit another of its stems set (most titles lose none). The pre-check wants
        # 3 x shared >= sum.
        if li:
            near = [
                j
                for j in rest
                if 3 * ((mi & masks[j]).bit_count() + min(li, lost[j])) >= ni + sizes[j]
            ]
        else:
            near = [j for j in rest if 3 * (mi & masks[j]).bit_count() >= ni + sizes[j]]
        ri = records[i]
        keyed = skip_clashes and bool(ri.ids)
        for j in near:
            if (
                (i, j) not in pairs
                and not (keyed and identifiers_clash(ri, records[j]))
                and titles_comparable(ri, records[j])
            ):
                pairs.add((i, j))
        if i in crowded:  # the pair may share an identifier its block did not pair
            for j in rest:
                if j in crowded and (i, j) not in pairs and share_identifier(ri, records[j]):
                    pairs.add((i, j))


def block_pairs(records: Sequence[Record], id_cap: int = 0) -> set[Pair]:
    """Every pair ``(i, j)``, ``i < j``, that shares a block (what ``dedup --against`` judges:
    it lists every pair of every block, so it is for checking a small file against a
    bibliography, not for one large file). ``id_cap``: an identifier shared by more records
    gives each one's pair with the first of them, in rounds (see :data:`ID_PAIRWISE`; ``0``:
    every pair)."""
    pairs = _identifier_pairs(records, id_cap)
    pairs.update(_field_pairs(records))
    for members in _title_blocks([r for r in records if r.title]):
        pairs.update(combinations(members, 2))
    return pairs


def _identifier_pairs(
    records: Sequence[Record], cap: int, crowded: set[int] | None = None
) -> set[Pair]:
    """The pairs of every identifier's block. A block of more than ``cap`` members (if ``cap``)
    gives each member's pair with its first; the members that do not agree with the first
    (:func:`pubman.dedup.judge.identifier_agrees`) are paired with the first of them, and so
    on, ``cap`` times at most. Its members are put in ``crowded``."""
    pairs: set[Pair] = set()
    for members in _shared(((id_, r.index) for r in records for id_ in r.ids.items()), cap=0):
        if cap and len(members) > cap:
            if crowded is not None:
                crowded.update(members)
            rest = members
            for _ in range(cap):  # up to ``cap`` works among them, each found by its first
                first, others = rest[0], rest[1:]
                pairs.update((first, m) for m in others)
                rep = records[first]
                rest = [m for m in others if not identifier_agrees(rep, records[m])]
                if len(rest) < 2:
                    break
        else:
            pairs.update(combinations(members, 2))
    return pairs


def _field_pairs(records: Sequence[Record]) -> Iterator[Pair]:
    bare = ((content_key(r.entry), r.index) for r in records if not r.title and not r.ids)
    for members in _shared(bare):
        yield from combinations(members, 2)


def _title_blocks(titled: Sequence[Record]) -> Iterator[list[int]]:
    """The members of every title block of 2 to :data:`BLOCK_CAP` records, one kind of block
    at a time (so only one kind's index is held at once)."""
    yield from _shared((r.title, r.index) for r in titled)
    df = Counter(chain.from_iterable(r.tokens for r in titled))  # a record's words are distinct
    # Words numbered rarest first (ties alphabetically): a title's rarest words are its
    # smallest numbers; a word used by at most RARE_DF titles is numbered below ``rare``, and
    # one used by a single title below ``once`` (a key with such a word is no block: none made).
    rank = {w: n for n, w in enumerate(sorted(df, key=lambda w: (df[w], w)))}
    rare = sum(1 for n in df.values() if n <= RARE_DF)
    once = sum(1 for n in df.values() if n == 1)

    # Each title's (up to three) rarest word numbers, ascending: a small tuple per title, not
    # a dict entry and an int per key; the pair keys are grouped by their first word, one
    # word's keys at a time.
    rarest = [tuple(sorted(map(rank.__getitem__, r.tokens))[:_RAREST]) for r in titled]
    by_first: dict[int, list[int]] = {}  # a word -> the titles with a pair key starting with it
    for pos, ids in enumerate(rarest):
        if len(ids) > 1:
            if ids[0] >= once:
                by_first.setdefault(ids[0], []).append(pos)
            if len(ids) == 3 and ids[1] >= once:
                by_first.setdefault(ids[1], []).append(pos)
    for x, titles in by_first.items():
        if len(titles) < 2:
            continue
        by_second: dict[int, list[int]] = {}
        for pos in titles:
            ids = rarest[pos]
            index = titled[pos].index
            for y in ids[ids.index(x) + 1 :]:
                by_second.setdefault(y, []).append(index)
        for members in by_second.values():
            if 2 <= len(members) <= BLOCK_CAP:
                yield members
    del by_first

    def single_keys(ids: tuple[int, ...]) -> Iterator[int]:  # a word by itself, as < 0
        if len(ids) == 1:
            if ids[0] >= once:
                yield -1 - ids[0]
            return
        yield from (-1 - n for n in ids if once <= n < rare)

    yield from _shared((key, r.index) for r, ids in zip(titled, rarest) for key in single_keys(ids))
    del rarest
    short = [(r.title.replace(" ", ""), r.index) for r in titled if len(r.tokens) <= 4]
    edges = [(s, i) for s, i in short if len(s) >= _EDGE + 2]
    yield from _shared((s[:_EDGE], i) for s, i in edges)
    yield from _shared((s[-_EDGE:], i) for s, i in edges)


def _shared(items: Iterable[tuple[Hashable, int]], cap: int = BLOCK_CAP) -> Iterator[list[int]]:
    """Group ``(key, index)`` items (indices ascending) by key; the groups of two or more, up
    to ``cap`` members (``0``: any number). A key seen once costs no list."""
    first: dict[Hashable, int] = {}
    more: dict[Hashable, list[int]] = {}
    for key, index in items:
        seen = first.setdefault(key, index)
        if seen != index:
            more.setdefault(key, [seen]).append(index)
    del first
    for members in more.values():
        if not cap or len(members) <= cap:
            yield members


class _StemBits:
    """Titles' stems (first four letters of each word) as signatures, by record index: an
    integer with one bit per stem (stems numbered as first met, modulo :data:`_BITS`; 0 until
    :meth:`add` sets it: a title has a word), its number of stems, and how many of them share
    a bit with another of its stems."""

    def __init__(self, size: int) -> None:
        self.bits: dict[str, int] = {}
        self.masks = [0] * size
        self.sizes = [0] * size
        self.lost = [0] * size

    def add(self, r: Record) -> None:
        bits, mask = self.bits, 0
        stems = {word[:4] for word in r.tokens}
        for stem in stems:
            bit = bits.get(stem)
            if bit is None:
                bit = bits[stem] = 1 << (len(bits) % _BITS)
            mask |= bit
        i = r.index
        self.masks[i], self.sizes[i] = mask, len(stems)
        self.lost[i] = len(stems) - mask.bit_count()
