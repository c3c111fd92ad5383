"""Pure helpers of scripts/bench.py: scaled bench files and growth exponents (no I/O).

``build_scaled(text, n)`` turns one .bib file's text into a file of exactly ``n`` entries by
repeating its entries. Copy ``c`` (``c >= 1``) of an entry is a different paper by the same
authors in the same venue and year, so the scaled file looks like a larger bibliography rather
than ten copies of a small one:

- its key gets ``-c{c}`` appended (and any key seen before gets ``-d{i}``), so every key is unique;
- its title is the first half of the entry's title followed by the second half of another
  entry's title (chosen by ``c``), so titles differ but keep real words, braces and length;
- the last run of digits-bearing text in its identifier fields (doi, url, ee, eprint, arxivid,
  biburl, a dblp ``volume = {abs/...}``) has its digits mapped by a permutation that depends on
  ``c``, so a DOI stays a DOI and an arXiv id an arXiv id; where that gives a value another
  entry has (sequential identifiers fill their range), ``-c{c}`` is appended instead, so no
  two entries share an identifier unless the source's did.

Without the last two, dedup would see every paper ten times (groups of ten with equal titles,
authors and DOIs), which measures how it merges copies, not how it scales with a larger file.
Blocks that are not entries (``@string``, ``@preamble``, ``@comment``, text between entries) are
kept once, from the first copy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*\{[ \t]*([^,\s]*)[ \t]*,", re.MULTILINE)
NOT_ENTRIES = {"string", "preamble", "comment"}
ID_FIELDS = ("doi", "url", "ee", "eprint", "arxivid", "biburl", "volume")
LAST_SEGMENT = re.compile(r"[^./]*\d[^./]*$")


def parse_size(text: str) -> int:
    """``25k`` -> 25000, ``1.5k`` -> 1500, ``2m`` -> 2000000, ``300`` -> 300."""
    t = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    number = float(t[:-1] if scale > 1 else t)
    if number <= 0:
        raise ValueError(f"size must be positive: {text!r}")
    return round(number * scale)


def growth_exponent(points: Sequence[tuple[float, float]]) -> float | None:
    """Slope of log(time) against log(entries) between the smallest and the largest size.

    ``points`` are (entries, seconds). None when there are fewer than two sizes or a time is
    not positive (a subtraction that came out at or below zero says nothing about growth).
    """
    pts = sorted(points)
    if len(pts) < 2:
        return None
    (n0, t0), (n1, t1) = pts[0], pts[-1]
    if n0 <= 0 or n1 <= n0 or t0 <= 0 or t1 <= 0:
        return None
    return math.log(t1 / t0) / math.log(n1 / n0)


def split_entries(text: str) -> tuple[list[str], list[str]]:
    """(entry blocks, other blocks): each block runs from one ``@`` at a line start to the next."""
    starts = list(ENTRY_START.finditer(text))
    entries: list[str] = []
    other = [text[: starts[0].start()]] if starts else [text]
    for m, nxt in zip(starts, [*starts[1:], None]):
        block = text[m.start() : nxt.start() if nxt else len(text)]
        (other if m.group(1).lower() in NOT_ENTRIES else entries).append(block)
    return entries, other


def _braced_value(entry: str, field: str) -> tuple[int, int] | None:
    """Span of the text inside ``field = {...}`` (balanced braces), or None."""
    m = re.search(rf"(?im)^[ \t]*{field}[ \t]*=[ \t]*\{{", entry)
    if m is None:
        return None
    depth, i = 1, m.end()
    while i < len(entry):
        ch = entry[i]
        depth += (ch == "{") - (ch == "}")
        if depth == 0:
            return m.end(), i
        i += 1
    return None


def _words(title: str) -> list[str]:
    """The title split at spaces outside braces (each word keeps balanced braces)."""
    words, depth, cur = [], 0, []
    for ch in title:
        if ch.isspace() and depth == 0:
            if cur:
                words.append("".join(cur))
                cur = []
            continue
        depth += (ch == "{") - (ch == "}")
        cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


def _mixed_title(first: str, second: str) -> str:
    a, b = _words(first), _words(second)
    return " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])


def _digit_map(copy: int) -> dict[int, int]:
    # d -> (a*d + b) % 10 with a in (1, 3, 7, 9) is a permutation of the digits; (a, b) differs
    # for every copy number below 40, and b >= 1 when a == 1, so no copy keeps its identifiers.
    a, b = (1, 3, 7, 9)[(copy // 10) % 4], copy % 10
    if a == 1 and b == 0:
        b = 5
    return {ord(str(d)): str((a * d + b) % 10) for d in range(10)}


def _perturb_ids(entry: str, copy: int, used: set[str]) -> str:
    """The entry with its identifiers changed for copy ``copy``; ``used`` holds every
    identifier value (lower-cased) given out so far and gets the new ones. Where the digit
    map gives a value some entry already has (sequential identifiers such as IJCAI's DOIs,
    ``ijcai.2023/078``, fill their whole range, so a permutation lands on another paper's),
    the value gets ``-c{copy}`` instead."""
    table = _digit_map(copy)
    for field in ID_FIELDS:
        span = _braced_value(entry, field)
        if span is None:
            continue
        value = entry[span[0] : span[1]]
        if field == "volume" and not value.startswith("abs/"):
            continue
        seg = LAST_SEGMENT.search(value)
        new = value[: seg.start()] + seg.group().translate(table) if seg else value + f"-c{copy}"
        if new == value or new.lower() in used:
            new = value + f"-c{copy}"
        used.add(new.lower())
        entry = entry[: span[0]] + new + entry[span[1] :]
    return entry


def _id_values(entry: str) -> list[str]:
    """The entry's identifier values (lower-cased), as :func:`_perturb_ids` reads them."""
    spans = (_braced_value(entry, field) for field in ID_FIELDS)
    return [entry[s[0] : s[1]].lower() for s in spans if s is not None]


def _rekeyed(entry: str, key: str) -> str:
    m = ENTRY_START.match(entry)
    assert m is not None  # split_entries only returns blocks that start this way
    return entry[: m.start(2)] + key + entry[m.end(2) :]


def _titles(entries: Sequence[str]) -> list[str | None]:
    out: list[str | None] = []
    for e in entries:
        span = _braced_value(e, "title")
        out.append(e[span[0] : span[1]] if span else None)
    return out


def build_scaled(text: str, n: int) -> str:
    """A .bib text of exactly ``n`` entries with unique keys, built from ``text`` as the module
    docstring says (raises ValueError if ``text`` has no entry)."""
    entries, other = split_entries(text)
    if not entries:
        raise ValueError("the source has no entries")
    titles = _titles(entries)
    used = {value for entry in entries for value in _id_values(entry)}  # no copy may reuse one
    seen: set[str] = set()
    out = list(other)
    for i in range(n):
        copy, j = divmod(i, len(entries))
        entry = entries[j]
        m = ENTRY_START.match(entry)
        assert m is not None
        key = m.group(2) if copy == 0 else f"{m.group(2)}-c{copy}"
        if key in seen:
            key = f"{key}-d{i}"
        seen.add(key)
        if copy:
            entry = _perturb_ids(entry, copy, used)
            span, other_title = (
                _braced_value(entry, "title"),
                titles[(j + 7919 * copy) % len(titles)],
            )
            if span and other_title is not None:
                mixed = _mixed_title(entry[span[0] : span[1]], other_title)
                entry = entry[: span[0]] + mixed + entry[span[1] :]
        block = _rekeyed(entry, key)
        out.append(block if block.endswith("\n") else block + "\n")
    return "".join(out)
