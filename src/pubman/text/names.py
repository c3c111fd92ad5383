"""BibTeX names and recognising the owner in author lists.

Contract: pure functions, no I/O, never prints. LaTeX decoding is :mod:`pubman.text.latex`
(the one decoder); :func:`latex_to_text`, :func:`fold` and :func:`quick_fold` are re-exported.

* :func:`parse_name` / :func:`parse_names` give :class:`~pubman.model.Person` records with
  Unicode parts, contribution marks (``*``, ``$^{\\dagger}$``) moved to ``Person.marks``. The
  BibTeX grammar itself (``and`` splitting, First/von/Last/Jr) is :mod:`pubman.text.nameparts`;
  :func:`split_names` and :func:`name_parts` are re-exported here.
* :func:`initials` abbreviates given names for CV styles.
* :class:`OwnerMatcher` compares names by parts (last name exact after folding, given names
  compatible by initials), never by whole strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from pubman.model import Person
from pubman.text.commalist import split_comma_lists
from pubman.text.latex import fold, latex_to_text, quick_fold  # re-exported: callers' one import
from pubman.text.nameparts import NameParts, closing_brace, name_parts, name_words, split_names

__all__ = [
    "NameParts",
    "OwnerMatcher",
    "fold",
    "initials",
    "is_plain_name",
    "latex_to_text",
    "name_parts",
    "parse_name",
    "parse_names",
    "plain_initials",
    "split_names",
    "split_people",
]

# ---------------------------------------------------------------------------------------------
# Person records: marks, decoding, initials

_MARK = r"""(?:
    \$\^?\{?\s*(?:\*+|\\ast|\\star|\\dagger|\\ddagger|\\S|\\P|\\sharp|\\natural|\\flat
        |\\diamond|\\clubsuit|\\spadesuit|\\heartsuit|\+|\d+(?:\s*,\s*\d+)*)\s*\}?\$
  | \\textsuperscript\{[^{}]*\}
  | \\(?:dagger|ddagger|textdagger|textdaggerdbl|textasteriskcentered|ast|star)(?![A-Za-z])(?:\{\})?
  | \^\{?\*+\}?
  | [*†‡§¶⋆★✝⁰¹²³⁴⁵⁶⁷⁸⁹]
)"""
# (?<!\s): a match starts where a space run starts, not at each of its spaces (which made an
# author with 100,000 spaces quadratic: 140 s)
_MARKS = re.compile(rf"(?<!\s)\s*(?:{_MARK})+(?=[\s,]|$)", re.VERBOSE)


def _strip_marks(raw: str) -> tuple[str, str]:
    """Remove equal-contribution/affiliation marks ending a word; return (name, marks)."""
    found: list[str] = []

    def keep(match: re.Match[str]) -> str:
        found.append(latex_to_text(match.group()).replace("^", "").replace(" ", ""))
        return ""

    return _MARKS.sub(keep, raw), "".join(found)


def _decode(words: Sequence[str]) -> str:
    return latex_to_text(" ".join(words))


# ASCII with none of these holds no mark (every mark needs $ \\ ^ * or a non-ASCII sign) and
# nothing for latex_to_text to decode: its parts are its words, as written.
_NOT_PLAIN = re.compile(r"[{}\\$^*,~]|--")


def is_plain_name(raw: str) -> bool:
    """ASCII without braces, LaTeX, marks, commas or ties: a name whose words are its text."""
    return raw.isascii() and not _NOT_PLAIN.search(raw)


@lru_cache(maxsize=65536)
def parse_name(raw: str) -> Person:
    """One name as a :class:`Person` with Unicode parts and any glued marks in ``marks``."""
    if is_plain_name(raw):
        parts = name_parts(raw)
        return Person(
            first=" ".join(parts.first),
            von=" ".join(parts.von),
            last=" ".join(parts.last),
            raw=raw.strip(),
        )
    return _parse(raw)


def _parse(raw: str) -> Person:
    """:func:`parse_name` by the general rules (any name)."""
    clean, marks = _strip_marks(raw)
    parts = name_parts(clean)
    return Person(
        first=_decode(parts.first),
        von=_decode(parts.von),
        last=_decode(parts.last),
        jr=_decode(parts.jr),
        raw=raw.strip(),
        marks=marks,
    )


def parse_names(value: str) -> list[Person]:
    """Every name of an ``author``/``editor`` value, in order (empty items kept as ``Person()``).

    A name that is a comma-separated list (``Ana Ruiz, Li Wei, and Tom Baker``) counts as its
    people (see :mod:`pubman.text.commalist`; ``pubman check`` reports it)."""
    return [parse_name(name) for name in split_people(value)]


def split_people(value: str) -> list[str]:
    """:func:`split_names`, with comma-separated lists split into their people."""
    return split_comma_lists(split_names(value))


def _split_hyphens(word: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(word):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "-" and depth == 0:
            pieces.append(word[start:i])
            start = i + 1
    pieces.append(word[start:])
    return [p for p in pieces if p]


def _piece_initials(piece: str, plain: bool = False) -> list[str]:
    """``plain``: ``piece`` is ASCII without braces, LaTeX or spaces (its own text)."""
    if piece.startswith("{"):  # a protected group is one "letter", as in BibTeX's {f.}
        group = latex_to_text(piece[: closing_brace(piece, 0) + 1])
        if group:
            return [group]
    text = piece if plain else latex_to_text(piece)
    if "." in text:  # already abbreviated: "S.S.", "Yu."
        return [p for p in text.split(".") if p]
    if 2 <= len(text) <= 3 and text.isalpha() and text.isupper():
        return list(text)  # "KSM": a run of capitals written without dots
    letters = [ch for ch in text if ch.isalnum()]
    return letters[:1]


_NOT_PLAIN_GIVEN = re.compile(r"[{}\\$~,]")


@lru_cache(maxsize=65536)
def initials(given: str) -> str:
    """Abbreviate given names: "Se-Young" -> "S.-Y.", "M. Emrullah" -> "M. E.", "S.S." -> "S. S.",
    "KSM" -> "K. S. M.". Accepts Unicode or raw LaTeX; a leading ``{...}`` group is kept whole."""
    return _initials(given, given.isascii() and not _NOT_PLAIN_GIVEN.search(given))


def plain_initials(given: str) -> str:
    """:func:`initials` of a ``given`` known to be plain (ASCII without braces, LaTeX, commas or
    ties, as the given names of :func:`is_plain_name` names are); not cached."""
    out = []
    for word in given.split():
        if word.isalpha():  # one piece without dots: its first letter, or a run of capitals
            if 2 <= len(word) <= 3 and word.isupper():
                out.append(" ".join(f"{ch}." for ch in word))
            else:
                out.append(f"{word[0]}.")
        else:
            out.append(_word_initials(word, True))
    return " ".join(o for o in out if o)


def _initials(given: str, plain: bool) -> str:
    """``plain``: ``given`` is ASCII without braces, LaTeX, commas or ties (nothing to decode)."""
    if plain:
        return plain_initials(given)
    return " ".join(o for o in (_word_initials(w, False) for w in name_words(given)) if o)


def _word_initials(word: str, plain: bool) -> str:
    pieces = [p for p in word.split("-") if p] if plain else _split_hyphens(word)
    runs = [" ".join(f"{i}." for i in _piece_initials(p, plain)) for p in pieces]
    return "-".join(r for r in runs if r)


# ---------------------------------------------------------------------------------------------
# Owner matching

_Token = tuple[str, bool]  # (folded word, written as an initial or abbreviation)
_GIVEN_WORD = re.compile(r"([^\s.\-\u2010]+)(\.?)")


def _given_tokens(first: str) -> tuple[_Token, ...]:
    tokens: list[_Token] = []
    for word, dot in _GIVEN_WORD.findall(latex_to_text(first)):
        if not dot and 2 <= len(word) <= 3 and word.isalpha() and word.isupper():
            tokens.extend((fold(ch), True) for ch in word)  # "KSM", "SS"
        else:
            tokens.append((fold(word), bool(dot) or len(word) == 1))
    return tuple(t for t in tokens if t[0])


def _last_tokens(person: Person) -> tuple[_Token, ...]:
    words = re.split(r"[\s\-]+", fold(f"{person.von} {person.last}"))
    return tuple((w, False) for w in words if w)


def _token_compatible(a: _Token, b: _Token) -> bool:
    if a[1] and b[0].startswith(a[0]):
        return True
    if b[1] and a[0].startswith(b[0]):
        return True
    return a[0] == b[0]


def _in_order(short: Sequence[_Token], long: Sequence[_Token]) -> bool:
    """Each token of ``short`` is compatible with a distinct token of ``long``, in order."""
    if not short:
        return True
    return any(
        _token_compatible(short[0], long[k]) and _in_order(short[1:], long[k + 1 :])
        for k in range(len(long))
    )


def _given_compatible(a: Sequence[_Token], b: Sequence[_Token]) -> bool:
    """First given names agree; the other given names of one side may be missing on the other."""
    if not a or not b:
        return not a and not b
    if not _token_compatible(a[0], b[0]):
        return False
    rest_a, rest_b = a[1:], b[1:]
    return _in_order(rest_a, rest_b) if len(rest_a) <= len(rest_b) else _in_order(rest_b, rest_a)


class _Key(NamedTuple):
    given: tuple[_Token, ...]
    last: tuple[_Token, ...]


def _key(person: Person) -> _Key:
    return _Key(_given_tokens(person.first), _last_tokens(person))


def _keys_match(p: _Key, o: _Key) -> bool:
    if p.last == o.last:
        return _given_compatible(p.given, o.given)
    # A source that put part of a multi-word surname into the given names ("Greg Ver" +
    # "Steeg" for "Ver Steeg, Greg"): align the whole name on the longer surname instead.
    surname = max(p.last, o.last, key=len)
    whole_p, whole_o = p.given + p.last, o.given + o.last
    n = len(surname)
    if whole_p[-n:] != surname or whole_o[-n:] != surname:
        return False
    return _given_compatible(whole_p[:-n], whole_o[:-n])


class OwnerMatcher:
    """Recognise the owner among the people of an author list.

    Built from the owner's name and aliases, each free-form ("Hrayr Harutyunyan",
    "H. Harutyunyan", "Harutyunyan, H."). A person matches when the folded surname (von part
    included) equals an alias's and the given names are compatible: each given name equal or an
    initial of the other, middle names may be missing, conflicting initials never match. A person
    without given names matches only an alias without given names.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self._keys = [_key(parse_name(n)) for n in names if n.strip()]
        self._seen: dict[Person, bool] = {}
        # Every folded surname word of every alias: one of them must occur in an author list
        # that holds the owner (see may_appear_in).
        self._needles = {t[0] for k in self._keys for t in k.last if t[0]}

    def may_appear_in(self, value: str) -> bool:
        """A fast necessary test on a raw ``author`` value: False means the owner is surely not
        in it, so the names need not be parsed. Values with LaTeX commands are not pre-judged."""
        if not self._needles:
            return True
        if value.isascii() and "\\" not in value and "$" not in value:
            # quick_fold's text up to dash and space runs, which no needle holds
            lowered = value.lower().replace("{", "").replace("}", "")
            return any(n in lowered for n in self._needles)
        text = quick_fold(value)
        if text is None:
            return True  # a LaTeX command we do not know: let the full parse decide
        return any(n in text for n in self._needles)

    def matches(self, person: Person) -> bool:
        if person.is_others or not person.last:
            return False
        known = self._seen.get(person)
        if known is None:
            key = _key(person)
            known = self._seen[person] = any(_keys_match(key, k) for k in self._keys)
        return known

    def find(self, persons: Sequence[Person]) -> list[int]:
        """Indices of the persons that are the owner."""
        return [i for i, person in enumerate(persons) if self.matches(person)]
