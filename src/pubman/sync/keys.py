"""Citation keys for new entries, written in the style the file already uses.

Contract: pure functions, no I/O, never raises on odd input.

:func:`detect_style` looks at the existing entries and finds which of a family of
"surname + year + first title word" patterns re-creates their keys (``bae2025mixture``,
``Bae2025``, ``Bae:25``, ``bae_2025_mixture``, ...); dblp keys (``DBLP:conf/nips/BaeKB25``) are
recognised by their prefix. When no pattern explains at least a third of the keys, the default
``lastnameYEARword`` (Google Scholar's form, as in ``harutyunyan2019multitask``) is used.

:func:`make_key` builds a key for a new entry in that style and makes it unique against the
existing keys, case-insensitively as BibTeX compares them, with suffixes ``a``, ``b``, ...
A dblp-style file gets ``DBLP:<dblp key>`` when the source knows the paper's dblp key and the
default style otherwise (pubman cannot invent dblp's keys).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pubman.identifiers import year_number
from pubman.model import Entry

__all__ = ["DEFAULT_STYLE", "KeyStyle", "detect_style", "key_parts", "make_key", "title_word"]

# Words Google Scholar and most key generators skip when picking the title word.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "without",
        "into",
        "onto",
        "over",
        "under",
        "via",
        "as",
        "is",
        "are",
        "be",
        "do",
        "does",
        "can",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "how",
        "not",
        "no",
        "towards",
        "toward",
    ]
)


@dataclass(frozen=True)
class KeyStyle:
    """How keys are built: ``name`` case, year digits, title word, separator between parts.

    ``kind`` is "pattern" (surname/year/word) or "dblp". ``name_case`` is "lower",
    "capitalized" (``Versteeg``) or "camel" (``VerSteeg``, spaces and hyphens dropped).
    ``word`` is "" (no title word), "lower" or "capitalized".
    """

    kind: str = "pattern"
    name_case: str = "lower"
    year_digits: int = 4
    word: str = "lower"
    sep: str = ""

    def describe(self) -> str:
        if self.kind == "dblp":
            return "DBLP:<dblp key>"
        name = {"lower": "lastname", "capitalized": "Lastname", "camel": "LastName"}[self.name_case]
        year = "YYYY" if self.year_digits == 4 else "YY"
        word = {"": "", "lower": "word", "capitalized": "Word"}[self.word]
        return self.sep.join(p for p in (name, year, word) if p)


DEFAULT_STYLE = KeyStyle()
_SUFFIX = re.compile(r"[a-z]$")


@dataclass(frozen=True)
class KeyParts:
    """What a key is made from: surname (as written, ASCII), year, first title word."""

    surname: str
    year: str
    word: str


def _ascii(text: str) -> str:
    from pubman.text.names import fold, latex_to_text

    plain = latex_to_text(text)
    # fold() drops case; keep the case of each letter by folding letter by letter.
    out = []
    for ch in plain:
        folded = fold(ch) if not ch.isascii() else ch
        out.append(folded.upper() if ch.isupper() else folded)
    return "".join(out)


def title_word(title: str) -> str:
    """The first title word that is not a stopword, ASCII letters and digits only, as written.

    Hyphenated words split ("In-context" -> "context" after skipping "in"); LaTeX is decoded.
    """
    words = re.split(r"[^A-Za-z0-9]+", _ascii(title))
    for word in words:
        if word and word.lower() not in STOPWORDS and not word.isdigit():
            return word
    return next((w for w in words if w), "")


def key_parts(first_author_surname: str, year: str | int | None, title: str) -> KeyParts:
    """Parts for a key: the surname with von particles (``Ver Steeg``), the year, the title."""
    surname = re.sub(r"[^A-Za-z0-9 \-]", "", _ascii(first_author_surname)).strip()
    number = year if isinstance(year, int) else year_number(year)
    return KeyParts(surname, str(number) if number else "", title_word(title))


def _name(surname: str, case: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", surname) if w]
    if case == "camel":
        return "".join(w[:1].upper() + w[1:] for w in words)
    joined = "".join(words).lower()
    return joined.capitalize() if case == "capitalized" else joined


def format_key(style: KeyStyle, parts: KeyParts) -> str:
    """The key for ``parts`` in a pattern style, before de-duplication; may be ''."""
    name = _name(parts.surname, style.name_case) or "anon"
    year = parts.year[-style.year_digits :] if parts.year else ""
    word = parts.word.lower() if style.word else ""
    if style.word == "capitalized":
        word = word.capitalize()
    return style.sep.join(p for p in (name, year, word) if p)


def _candidate_styles() -> list[KeyStyle]:
    styles = []
    for word in ("lower", "", "capitalized"):
        for name_case in ("lower", "capitalized", "camel"):
            for digits in (4, 2):
                for sep in ("", ":", "_", "-"):
                    styles.append(KeyStyle("pattern", name_case, digits, word, sep))
    return styles


_STYLES = _candidate_styles()


def entry_parts(entry: Entry) -> KeyParts | None:
    """Key parts of an existing entry (first author or editor), None when it has no names."""
    from pubman.text.names import parse_names

    people = [p for p in parse_names(entry.get("author") or entry.get("editor")) if p.last]
    if not people:
        return None
    first = people[0]
    surname = f"{first.von} {first.last}".strip()
    return key_parts(surname, entry.get("year"), entry.get("title"))


def detect_style(entries: Iterable[Entry]) -> KeyStyle:
    """The key style that re-creates most existing keys (see the module docstring)."""
    items = list(entries)
    if not items:
        return DEFAULT_STYLE
    if sum(1 for e in items if e.key.upper().startswith("DBLP:")) * 2 > len(items):
        return KeyStyle(kind="dblp")
    parts = [(e.key, entry_parts(e)) for e in items]
    scores: Counter[KeyStyle] = Counter()
    for key, p in parts:
        if p is None:
            continue
        bare = key[:-1] if _SUFFIX.search(key) else key
        for style in _STYLES:
            made = format_key(style, p)
            if key == made or bare == made:
                scores[style] += 1
    if not scores:
        return DEFAULT_STYLE
    best, count = max(scores.items(), key=lambda kv: (kv[1], -_STYLES.index(kv[0])))
    return best if count * 3 >= len(items) else DEFAULT_STYLE


def unique_key(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base`` + a, b, ..., z, aa, ... so that no key in ``taken`` equals it
    (case-insensitively, as BibTeX compares keys)."""
    used = {t.lower() for t in taken}
    if base.lower() not in used:
        return base
    n = 0
    while True:
        suffix, m = "", n
        while True:
            suffix = chr(ord("a") + m % 26) + suffix
            m = m // 26 - 1
            if m < 0:
                break
        if (base + suffix).lower() not in used:
            return base + suffix
        n += 1


def make_key(
    style: KeyStyle,
    authors: Sequence[str],
    year: str | int | None,
    title: str,
    taken: Iterable[str],
    *,
    external_ids: Mapping[str, str] | None = None,
) -> str:
    """A new, unique key in ``style``; ``authors`` are surnames in order (von part included).

    ``external_ids`` may carry ``DBLP`` (used by the dblp style).
    """
    dblp = (external_ids or {}).get("DBLP", "")
    if style.kind == "dblp" and dblp:
        return unique_key("DBLP:" + dblp, taken)
    use = DEFAULT_STYLE if style.kind == "dblp" else style
    parts = key_parts(authors[0] if authors else "", year, title)
    return unique_key(format_key(use, parts), taken)
