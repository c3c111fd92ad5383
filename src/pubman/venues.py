"""Venue names: which conference, journal or workshop a BibTeX entry appeared in.

Contract: pure functions over strings and :class:`~pubman.model.Entry`. The one I/O is reading
the shipped table ``pubman/data/venues.toml`` beside this module, lazily, once per process;
its regular expressions are compiled only when a string gets past the exact-alias lookup.
Raises :class:`~pubman.errors.ConfigError` for a bad user table entry; never prints.

A :class:`Venue` has two names for two readers: ``short`` is the key ``pubman stats`` counts
under ("Sci. Data", "NeurIPS"), ``display`` is what the CV style prints ("Nature Scientific
Data", "NeurIPS"; it defaults to ``short``). ``name`` is the canonical full name.

Matching (:meth:`VenueTable.lookup`): the field is LaTeX-decoded, then (1) looked up as an exact
alias after :func:`venue_key` normalisation (case, punctuation, years, ordinals, "Proceedings of
the", page/volume numbers and word order ignored), then (2) searched with each venue's regular
expressions in table order, user entries first. A field that says "Workshop" but matched a venue
that is not itself a workshop becomes that host's workshop ("ICML Workshop"); one that names a
demo or datasets-and-benchmarks track of a conference becomes that track ("EMNLP Demo").
Unknown strings give ``None``; :func:`classify` then builds a Venue from the cleaned string and
the entry type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pubman.errors import ConfigError
from pubman.identifiers import arxiv_id_from_entry, mentions_arxiv
from pubman.model import Entry
from pubman.text.latex import ACCENT_MARKS

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = [
    "KINDS",
    "Resolution",
    "Venue",
    "VenueTable",
    "classify",
    "clean_venue",
    "resolve",
    "unresolved",
    "venue_key",
]

KINDS = frozenset(
    {"conference", "journal", "workshop", "preprint", "book", "thesis", "report", "other"}
)
_ENTRY_KEYS = frozenset({"kind", "name", "display", "aliases", "patterns"})


@dataclass(frozen=True)
class Venue:
    """A publication venue. ``short`` is the stats key, ``display`` the CV text."""

    short: str
    kind: str
    name: str
    display: str


# --- text normalisation ---------------------------------------------------------------------

# Not pubman.text.latex.latex_to_text, whose display choices ("--" as an en dash, \i as dotless i)
# differ for venue names; the accent table itself is the one in pubman.text.latex. This keeps `format` and `stats` from importing
# pylatexenc for a "\&" in a journal name.
_ACCENTS = ACCENT_MARKS
_ACCENT_RE = re.compile(
    r"\\([`'^\"~=.]|[uvHckrdb](?![A-Za-z]))\s*(?:\{\s*\\?([A-Za-z])\s*\}|\\?([A-Za-z]))"
)
_SYMBOLS = {
    "ldots": "...",
    "dots": "...",
    "i": "i",
    "j": "j",
    "ss": "ß",
    "AA": "Å",
    "aa": "å",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "l": "ł",
    "L": "Ł",
    "textendash": "–",
}
_COMMAND_RE = re.compile(r"\\([A-Za-z]+)\*?\s*|\\(.)")


def _latex_to_text(text: str) -> str:
    """Decode the LaTeX found in venue fields into plain Unicode and drop grouping braces."""
    text = _ACCENT_RE.sub(lambda m: (m.group(2) or m.group(3)) + _ACCENTS[m.group(1)], text)

    def command(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return _SYMBOLS.get(m.group(1), "")
        return " " if m.group(2) in " \n" else m.group(2)

    text = _COMMAND_RE.sub(command, text)
    text = text.replace("~", " ").replace("$", "").replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


_WORD_ORDINAL = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]?)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)"
)
_ORDINAL_RE = re.compile(rf"\b(?:\d+(?:st|nd|rd|th)|{_WORD_ORDINAL})\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"['’]\s?(?:\d\d){1,2}\b|\b(?:19|20)\d\d\b")
_REFS_RE = re.compile(
    r"\b(?:pp?\.?|pages?|vol(?:ume)?\.?|no\.|number|issue|article|pmlr)\s*\d+(?:\s*[:–—-]+\s*\d+)*",
    re.IGNORECASE,
)
_PROCEEDINGS_RE = re.compile(
    r"\b(?:in\s+)?(?:the\s+)?(?:pro+c+e+e*d+i*n*g*s?|proc)\b\.?(?:\s+of\b)?(?:\s+the\b)?",
    re.IGNORECASE,
)
# "IDC: ", "12th SBIM '05: " before a venue's name (the name says the same)
_ACRONYM_PREFIX_RE = re.compile(
    r"^\s*(?:(?:\d+(?:st|nd|rd|th)?|the)\s+)*[A-Z][A-Za-z0-9&+/.-]*(?:\s*['’]?\s?\d{2,4})?\s*:\s*(?=\S)"
)
_MEETING_RE = re.compile(
    r"\b(?:conf\w*|symposi\w*|workshops?|meeting|congress|colloquium|convention)\b", re.IGNORECASE
)
_ELLIPSIS_RE = re.compile(r"^\s*(?:\.\.\.|…)|(?:\.\.\.|…)\s*(?=,|$)")
_PREFIX_RE = re.compile(r"^\s*[A-Za-z][\w&.+-]*(?:\s+EA)?\s*['’]\s?\d{2,4}\s*:?\s*(?=\S)")
_STOP = frozenset(
    {
        "the",
        "of",
        "on",
        "in",
        "for",
        "and",
        "a",
        "an",
        "at",
        "to",
        "proceedings",
        "proceeding",
        "proc",
        "procs",
        "annual",
    }
)
_ABBREV = {
    "conf": "conference",
    "int": "international",
    "intl": "international",
    "symp": "symposium",
    "trans": "transactions",
    "j": "journal",
    "jour": "journal",
}


def venue_key(text: str) -> str:
    """Comparison key of a venue string: equal for spellings that differ only in LaTeX, case,
    punctuation, years, ordinals, "Proceedings of the", page/volume numbers or word order."""
    text = _ACRONYM_PREFIX_RE.sub("", _PROCEEDINGS_RE.sub(" ", _latex_to_text(text)))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    text = _drop_place_and_remarks(text)
    text = _YEAR_RE.sub(" ", _ORDINAL_RE.sub(" ", _REFS_RE.sub(" ", text)))
    words = {_ABBREV.get(w, w) for w in re.split(r"[^a-z0-9]+", text)}
    return " ".join(
        sorted(
            w
            for w in words
            if w and not w.isdigit() and w not in _STOP and not _NOISE_WORD_RE.fullmatch(w)
        )
    )


# Words a venue string carries beside the venue's name: a misspelt "Proceedings", months.
_NOISE_WORD_RE = re.compile(
    r"pro+c+e+e*d+i*n*g*s?|procs?|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|january|"
    r"february|march|april|june|july|august|september|october|november|december"
)
_PAREN_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _drop_place_and_remarks(text: str) -> str:
    """A venue string without parenthesised remarks and, for a meeting ("..., Long Beach, CA,
    USA, August 6-10"), without the short comma-separated parts after the last part that
    names the meeting ("Mixed Reality, IEEE Symposium On, Nara, Japan")."""
    text = _PAREN_RE.sub(" ", text)
    parts = text.split(",")
    last = max((n for n, p in enumerate(parts) if _MEETING_RE.search(p)), default=None)
    if last is None:
        return text
    return ",".join(parts[: last + 1] + [p for p in parts[last + 1 :] if len(p.split()) > 4])


_LETTER_RE = re.compile(r"[^\W\d_]")


def _has_letters(text: str) -> bool:
    """False for fields with no words in them ("", "\\ldots", "--")."""
    return bool(_LETTER_RE.search(_latex_to_text(text) if "\\" in text else text))


def clean_venue(text: str) -> str:
    """A readable venue name from a raw field: LaTeX decoded; an "ACRO '15:" prefix, years,
    ordinals, "Proceedings of the" and page/volume references removed."""
    text = _PREFIX_RE.sub("", _latex_to_text(text))
    text = _REFS_RE.sub("", text)
    text = re.sub(rf"\b(?:the\s+)?{_ORDINAL_RE.pattern}", "", text, flags=re.IGNORECASE)
    text = _YEAR_RE.sub("", text)
    if _MEETING_RE.search(text):  # but "Proceedings of the Royal Society" is a journal's name
        text = _PREFIX_RE.sub("", _PROCEEDINGS_RE.sub("", text))  # "Proc. of the NIME '05: ..."
    text = _ELLIPSIS_RE.sub(" ", text)
    text = re.sub(r"(?<![\w.-])\d{1,3}(?![\w.-])|\(\s*\)|\[\s*\]", "", text)
    text = re.sub(r"\.\s*,", ",", text)  # "TRANSDUCERS., Long Beach": the comma separates
    text = re.sub(r"\s*([,.:;])(?:\s*[,.:;])+", r"\1", text)
    text = re.sub(r"\s+([,.:;)])", r"\1", re.sub(r"\(\s+", "(", text))
    text = " ".join(text.split()).lstrip(" ,.:;-–").rstrip(" ,:;-–")
    return text[:1].upper() + text[1:]


# --- the table ------------------------------------------------------------------------------

_WORKSHOP_RE = re.compile(
    r"\bworkshops?\b(?!\s+and\s+conference\s+proceedings)|\b(?:CVPR|ICCV|ECCV)W\b", re.IGNORECASE
)


# Tracks that are published beside a conference but are not its main track.
_TRACK_RE = re.compile(
    r"\b(?:(?:system\s+)?(demo(?:nstration)?s?)|datasets?\s+(?:and|&)\s+benchmarks?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Rules:
    """Aliases and patterns that point at one venue short name."""

    short: str
    aliases: tuple[str, ...]
    patterns: tuple[str, ...]  # regular expressions (case-insensitive), as written


class VenueTable:
    """Shipped venues plus user extensions; :meth:`lookup` maps a field to a :class:`Venue`."""

    def __init__(self, venues: Mapping[str, Venue], rules: Sequence[_Rules]) -> None:
        """``rules`` are in precedence order; every rule's short name is in ``venues``."""
        self._venues = dict(venues)
        self._aliases: dict[str, str] = {}
        for rule in reversed(rules):  # earlier rules win an alias clash
            for alias in (rule.short, *rule.aliases):  # the table key is an alias too
                self._aliases[venue_key(alias)] = rule.short
        self._tests = [(*_fast_test(p), r.short) for r in rules for p in r.patterns]
        self._cache: dict[str, Venue | None] = {}

    @classmethod
    def load(cls, extra: Mapping[str, Any] | None = None) -> VenueTable:
        """The shipped table, extended by ``extra``: the ``[venues]`` table of pubman.toml, i.e.
        a mapping of short name to ``{kind, name, display, aliases, patterns}``. A user entry
        with a shipped short name overrides its kind/name/display and adds aliases/patterns;
        user aliases and patterns are tried before shipped ones. Raises ConfigError."""
        if not extra:
            return _default_table()
        venues, shipped = _shipped()
        venues = dict(venues)
        user: list[_Rules] = []
        for short, spec in extra.items():
            venue, rules = _parse_entry(short, spec, venues.get(short), where="pubman.toml")
            venues[short] = venue
            user.append(rules)
        return cls(venues, [*user, *shipped])

    def __iter__(self) -> Iterator[Venue]:
        return iter(self._venues.values())

    def __len__(self) -> int:
        return len(self._venues)

    def get(self, short: str) -> Venue | None:
        """The venue with this short name, or None."""
        return self._venues.get(short)

    def lookup(self, text: str) -> Venue | None:
        """The venue a booktitle/journal string names, or None when the table does not know it."""
        try:
            return self._cache[text]
        except KeyError:
            venue = self._cache[text] = self._lookup(text)
            return venue

    def _lookup(self, text: str) -> Venue | None:
        flat = _latex_to_text(text)
        if not _LETTER_RE.search(flat):
            return None
        short = self._aliases.get(venue_key(flat))
        short = short or self._search(flat)
        if short is None:
            return None
        venue = self._venues[short]
        if venue.kind not in ("workshop", "preprint") and _WORKSHOP_RE.search(flat):
            return _host_workshop(venue, clean_venue(flat))
        track = _TRACK_RE.search(flat) if venue.kind == "conference" else None
        if track:
            return _host_track(venue, clean_venue(flat), track)
        return venue

    def _search(self, flat: str) -> str | None:
        """Short name of the first venue whose pattern matches ``flat``."""
        lower = flat.lower()
        words = set(_NONWORD_RE.split(flat))
        lower_words = {w.lower() for w in words}
        for how, test, short in self._tests:
            if how == _SUBSTRING:
                hit = test in lower
            elif how == _WORD:
                hit = test in lower_words
            elif how == _WORD_CASED:
                hit = test in words
            elif how == _PHRASE:  # a phrase between \b's: a cheap substring test first
                hit = test[0] in lower and test[1].search(flat) is not None
            else:
                hit = test.search(flat) is not None
            if hit:
                return short
        return None


# Most patterns are a plain phrase or one whole word. Testing those with `in` instead of a
# case-insensitive regex search is what keeps a 4,000-entry file with 1,500 distinct venue
# strings at a few milliseconds instead of over half a second; the answers are the same.
_SUBSTRING, _WORD, _WORD_CASED, _PHRASE, _REGEX = range(5)
_NONWORD_RE = re.compile(r"\W+")
_PLAIN_RE = re.compile(r"(?:[A-Za-z0-9 ,:;&'/-]|\\\.)+")
_BOUNDED_RE = re.compile(r"(?:\\b)?(.+?)(?:\\b)?")
_WORD_RE = re.compile(r"(\(\?-i:)?\\b([A-Za-z0-9]+)\\b(?(1)\))")


class _LazyRegex:
    """A case-insensitive regex compiled on first use (most lookups never need it)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.source, re.IGNORECASE)
        return self._compiled.search(text)


def _fast_test(source: str) -> tuple[int, Any]:
    """(how, what) to test for the case-insensitive pattern ``source`` against a string."""
    if _PLAIN_RE.fullmatch(source) and source.isascii():
        return _SUBSTRING, source.replace("\\.", ".").lower()
    word = _WORD_RE.fullmatch(source)
    if word and word.group(1):
        return _WORD_CASED, word.group(2)
    if word:
        return _WORD, word.group(2).lower()
    bounded = _BOUNDED_RE.fullmatch(source)
    if bounded and _PLAIN_RE.fullmatch(bounded.group(1)) and source.isascii():
        phrase = bounded.group(1).replace("\\.", ".").lower()
        return _PHRASE, (phrase, _LazyRegex(source))
    return _REGEX, _LazyRegex(source)


def _host_track(host: Venue, cleaned: str, track: re.Match[str]) -> Venue:
    """A demo or datasets-and-benchmarks track of the conference ``host``: not the main
    conference. A short field that names the host ("EMNLP Demo") is kept as the short name;
    a long one becomes "<host> Demo Track"."""
    label = "Demo" if track.group(1) else "Datasets and Benchmarks"
    short = f"{host.short} {label} Track"
    if len(cleaned.split()) <= 6 and host.short in cleaned.split():
        short = cleaned
    return Venue(short=short, kind=host.kind, name=f"{label} Track at {host.name}", display=short)


def _host_workshop(host: Venue, cleaned: str) -> Venue:
    """A workshop held with ``host``. A short field that names the host ("NeurIPS OTML
    Workshop") is kept as the short name; a long one becomes "<host> Workshop"."""
    short = f"{host.short} Workshop"
    words = re.sub(r"\bworkshops\b", "Workshop", cleaned, flags=re.IGNORECASE).split()
    if len(words) <= 5 and host.short in words and short != " ".join(words):
        short = " ".join(words)
    return Venue(short=short, kind="workshop", name=f"Workshop at {host.name}", display=short)


def _string_list(value: Any, what: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a list of strings", path=where)
    return tuple(value)


def _parse_entry(
    short: str,
    spec: Any,
    base: Venue | None,
    *,
    where: str,
    validate: bool = True,
) -> tuple[Venue, _Rules]:
    """One ``[venues.<short>]`` table -> (venue, rules); ``base`` is the venue it extends."""
    label = f"venues.{short}"
    if not isinstance(spec, Mapping):
        raise ConfigError(f"[{label}] must be a table", path=where)
    unknown = sorted(set(spec) - _ENTRY_KEYS)
    if unknown:
        raise ConfigError(
            f"[{label}] has unknown key(s) {', '.join(unknown)}",
            path=where,
            hint=f"allowed: {', '.join(sorted(_ENTRY_KEYS))}",
        )
    for key in ("kind", "name", "display"):
        if key in spec and not isinstance(spec[key], str):
            raise ConfigError(f"[{label}] {key} must be a string", path=where)
    kind = spec.get("kind", base.kind if base else None)
    if kind not in KINDS:
        raise ConfigError(
            f"[{label}] kind must be one of {', '.join(sorted(KINDS))}, not {kind!r}", path=where
        )
    venue = Venue(
        short=short,
        kind=kind,
        name=spec.get("name", base.name if base else short),
        display=spec.get("display", base.display if base else short),
    )
    patterns = []
    for pattern in _string_list(spec.get("patterns", []), f"[{label}] patterns", where):
        try:
            if validate:
                re.compile(pattern, re.IGNORECASE)
            patterns.append(pattern)
        except re.error as exc:
            raise ConfigError(
                f"[{label}] bad regular expression {pattern!r}: {exc}", path=where
            ) from None
    aliases = _string_list(spec.get("aliases", []), f"[{label}] aliases", where)
    return venue, _Rules(short, aliases, tuple(patterns))


@cache
def _shipped() -> tuple[dict[str, Venue], tuple[_Rules, ...]]:
    where = "pubman/data/venues.toml"
    text = (Path(__file__).parent / "data" / "venues.toml").read_text(encoding="utf-8")
    venues: dict[str, Venue] = {}
    rules = []
    data = tomllib.loads(text)
    for short, spec in data["venues"].items():
        # shipped patterns are checked by the test suite, not on every start
        venues[short], rule = _parse_entry(short, spec, None, where=where, validate=False)
        rules.append(rule)
    for spec in data.get("derived", {}).values():  # from dblp (scripts/venues_from_dblp.py)
        short = spec["short"]
        if short not in venues:
            name = spec.get("name", short)
            venues[short] = Venue(short=short, kind=spec["kind"], name=name, display=short)
        rules.append(_Rules(short, (spec.get("name", short), *spec.get("aliases", ())), ()))
    return venues, tuple(rules)


@cache
def _default_table() -> VenueTable:
    venues, rules = _shipped()
    return VenueTable(venues, rules)


# --- entries --------------------------------------------------------------------------------

_KIND_BY_TYPE = {
    "article": "journal",
    "inproceedings": "conference",
    "conference": "conference",
    "proceedings": "conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "book": "book",
    "inbook": "book",
    "incollection": "book",
}
_FIELDS_BY_TYPE = {
    "article": ("journal", "journaltitle", "booktitle"),
    "inproceedings": ("booktitle", "eventtitle", "journal", "series"),
    "incollection": ("booktitle", "series", "journal"),
    "inbook": ("booktitle", "series", "publisher"),
    "book": ("series", "publisher"),
    "proceedings": ("booktitle", "title", "eventtitle", "series"),
    "phdthesis": ("school", "institution"),
    "techreport": ("institution", "school"),
}
for _alias, _base in (
    ("conference", "inproceedings"),
    ("mastersthesis", "phdthesis"),
    ("thesis", "phdthesis"),
    ("report", "techreport"),
):
    _FIELDS_BY_TYPE[_alias] = _FIELDS_BY_TYPE[_base]
_MISC_FIELDS = ("journal", "journaltitle", "booktitle", "howpublished")
# Not BibTeX, but hand-kept CV files use them for the venue of @misc/@article entries.
_CUSTOM_FIELDS = ("venue", "_venue")
_TECHREPORT_RE = re.compile(
    r"^(?:technical\s+report|tech\.?\s+rep(?:ort)?\.?)\b[^,]*,\s*", re.IGNORECASE
)
# A note that starts by naming a workshop says the paper is in that workshop of the booktitle's
# conference; "Also presented at the ... Workshop" and award notes do not start this way.
_NOTE_WORKSHOP_RE = re.compile(r"^\s*(?:in\s+)?(?:the\s+)?workshops?\b", re.IGNORECASE)
_ARXIV = Venue(short="arXiv", kind="preprint", name="arXiv", display="arXiv")


def _is_arxiv(entry: Entry) -> bool:
    """True when the entry carries arXiv evidence: an arXiv id in any form
    (:func:`pubman.identifiers.arxiv_id_from_entry`), or an arXiv-typed eprint or an arXiv URL
    or note without one (:func:`pubman.identifiers.mentions_arxiv`)."""
    return arxiv_id_from_entry(entry.fields) is not None or mentions_arxiv(entry.fields)


@dataclass(frozen=True)
class Resolution:
    """What :func:`resolve` knows: the ``venue``; ``known`` when it came from the table (or
    is arXiv); ``kind_from`` says where the kind came from: ``"table"``, ``"words"`` (an
    unknown string that says Conference, Journal...) or ``"type"`` (only the entry type)."""

    venue: Venue
    known: bool
    kind_from: str


def classify(entry: Entry, table: VenueTable) -> Venue:
    """The venue of ``entry`` (see :func:`resolve`)."""
    return resolve(entry, table).venue


def resolve(entry: Entry, table: VenueTable) -> Resolution:
    """The venue of ``entry``: known -> from ``table``; arXiv-only -> ``arXiv`` (preprint);
    otherwise a Venue named by the cleaned field, of a kind derived from the entry type.
    An entry with no venue field at all gives a Venue with an empty short name."""
    etype = entry.type.lower()
    default_kind = _KIND_BY_TYPE.get(etype, "other")
    journal = entry.get("journal") + entry.get("journaltitle")
    if etype == "article" and not _has_letters(journal) and _has_letters(entry.get("booktitle")):
        default_kind = "conference"  # a conference paper filed as @article
    fields = _FIELDS_BY_TYPE.get(etype, _MISC_FIELDS)
    if default_kind not in ("thesis", "report"):
        fields += _CUSTOM_FIELDS
    texts = [t for t in (entry.get(f).strip() for f in fields) if _has_letters(t)]
    if default_kind not in ("thesis", "report"):
        # A later field that names where the paper appeared beats an arXiv "journal" ("arXiv
        # preprint arXiv:2203.06832" beside the CV's own venue = {NeurIPS}).
        known = [v for v in map(table.lookup, texts) if v is not None]
        if known:
            venue = next((v for v in known if v.kind != "preprint"), known[0])
            note = _latex_to_text(entry.get("note")) if "orkshop" in entry.get("note") else ""
            if venue.kind == "conference" and _NOTE_WORKSHOP_RE.match(note):
                venue = _host_workshop(venue, clean_venue(note))  # note = {Workshop on ...}
            return Resolution(venue, True, "table")
    if not texts and _is_arxiv(entry):
        return Resolution(table.get("arXiv") or _ARXIV, True, "table")
    if not texts:
        return Resolution(Venue(short="", kind=default_kind, name="", display=""), False, "type")
    cleaned = clean_venue(texts[0]) or texts[0]
    if default_kind == "report":  # "Technical Report CMU-CS-16-118, CMU SCS" -> "CMU SCS"
        cleaned = _TECHREPORT_RE.sub("", cleaned) or cleaned
    kind, kind_from = _kind_of_unknown(default_kind, _latex_to_text(texts[0]))
    return Resolution(
        Venue(short=cleaned, kind=kind, name=cleaned, display=cleaned), False, kind_from
    )


_PREPRINT_WORDS_RE = re.compile(
    r"^\s*(?:preprint|e-?print|submitted|under review)\b", re.IGNORECASE
)
_THESIS_WORDS_RE = re.compile(
    r"^\s*(?:(?:ph\.?\s?d\.?|doctoral|master'?s?|m\.?sc?\.?)\s+)?(?:thesis|dissertation)\b",
    re.IGNORECASE,
)
_REPORT_WORDS_RE = re.compile(r"^\s*tech(?:nical|\.)?\s*rep(?:ort|\.)?\b", re.IGNORECASE)
_JOURNAL_WORDS_RE = re.compile(
    r"\b(?:journal|transactions|letters|review|magazine)\b", re.IGNORECASE
)


def _kind_of_unknown(default_kind: str, text: str) -> tuple[str, str]:
    """(kind, where it came from) for a venue string the table does not know: the words of a
    paper venue say workshop, conference or journal; a string that is only "Preprint" says
    preprint; otherwise the entry type decides."""
    if default_kind in ("thesis", "report"):
        return default_kind, "type"
    if _PREPRINT_WORDS_RE.match(text):
        return "preprint", "words"
    if _THESIS_WORDS_RE.match(text):  # journal = {PhD Thesis, MIT}
        return "thesis", "words"
    if _REPORT_WORDS_RE.match(text):
        return "report", "words"
    if default_kind not in ("conference", "journal", "other", "book"):
        return default_kind, "type"
    if _WORKSHOP_RE.search(text):
        return "workshop", "words"
    if _MEETING_RE.search(text):  # "Proceedings of the Royal Society" is a journal
        if not _JOURNAL_WORDS_RE.search(text) and default_kind != "book":
            return "conference", "words"
    elif _JOURNAL_WORDS_RE.search(text) and default_kind in ("journal", "other"):
        return "journal", "words"
    return default_kind, "type"


def unresolved(entries: Iterable[Entry], table: VenueTable) -> list[tuple[str, int, int]]:
    """Venue strings of paper-like entries that ``table`` does not know, as (cleaned string,
    number of entries, line of the first), most frequent first: what a user may add under
    ``[venues]`` in pubman.toml. Theses, reports and entries without a venue are left out."""
    found: dict[str, list[int]] = {}
    for entry in entries:
        answer = resolve(entry, table)
        if answer.known or not answer.venue.short or answer.venue.kind in ("thesis", "report"):
            continue
        found.setdefault(answer.venue.short, []).append(entry.line)
    rows = [(text, len(lines), min(lines)) for text, lines in found.items()]
    return sorted(rows, key=lambda row: (-row[1], row[2]))
