"""Author lists written with commas instead of ``and`` (``Ana Ruiz, Li Wei, and Tom Baker``).

BibTeX reads that value as two names, ``Ana Ruiz, Li Wei,`` (Last ``Ana Ruiz``, First
``Li Wei``) and ``Tom Baker``, so a style garbles the initials and a CV bolds two people as one.
:func:`comma_pieces` tells such a name apart from BibTeX's ``Last, First`` and ``Last, Jr,
First`` forms. Pure, no I/O.
"""

from __future__ import annotations

from pubman.text.pattern import LazyPattern

# A person written "First Last": two or more words, the first and the last capitalised
# (braces, accents and backslashes allowed in front); "van der Berg" starts in lower case.
_FULL = LazyPattern(r"[{\\'\"`^~]*[A-ZÀ-Þ]\S*(?:\s+\S+)*\s+[{\\'\"`^~]*[A-ZÀ-Þ]\S*")


_INITIAL = LazyPattern(r"(?:^|\s)\S\.?(?=\s|$)|\.")


def _depth0_pieces(name: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for i, c in enumerate(name):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == "," and depth == 0:
            pieces.append(name[start:i].strip())
            start = i + 1
    pieces.append(name[start:].strip())
    return pieces


def comma_pieces(name: str) -> list[str] | None:
    """The people of ``name`` (one item of a BibTeX ``and`` list) when it is a comma-separated
    list of ``First Last`` names, else None.

    It is a list when, split at its top-level commas, it has a trailing comma (``Li Wei,`` before
    ``and``) or three or more parts, and at least two parts are ``First Last`` names. A single
    comma between two such names (``Tom Baker, Ana Ruiz``) is ambiguous (``De Souza, Maria``);
    see :func:`maybe_comma_pair`.
    """
    if "," not in name:
        return None
    pieces = _depth0_pieces(name)
    trailing = pieces[-1] == ""
    people = [p for p in pieces if p]
    if not (trailing or len(pieces) >= 3) or len(people) < 2:
        return None
    if sum(1 for p in people if _FULL.fullmatch(p)) < 2 or not _FULL.fullmatch(people[0]):
        return None
    return people


def maybe_comma_pair(name: str) -> bool:
    """True for ``A B, C D``: one comma between two ``First Last`` names. BibTeX reads it as
    Last ``A B``, First ``C D``; it may be two people."""
    pieces = _depth0_pieces(name)
    if len(pieces) != 2 or not all(_FULL.fullmatch(p) for p in pieces):
        return False
    return not _INITIAL.search(pieces[1])  # 'Rama Rao, M. V.' is Last, First


def split_comma_lists(names: list[str]) -> list[str]:
    """``names`` with every comma-separated list expanded into its people."""
    if not any("," in n for n in names):
        return names
    out: list[str] = []
    for n in names:
        out += comma_pieces(n) or [n]
    return out
