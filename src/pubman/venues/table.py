"""The venue table: shipped venues plus the user's, compiled for lookup.

Contract: :meth:`VenueTable.lookup` is pure (and memoised per table). :meth:`VenueTable.load`
reads the shipped table, or its compiled form from the user cache
(:mod:`pubman.venues.compiled`), once per process per user config; raises
:class:`~pubman.errors.ConfigError` for a bad user entry; never prints.

Matching: the field is decoded (:func:`pubman.venues.keys.decode`), then (1) looked up as an
exact alias after :func:`~pubman.venues.keys.venue_key` normalisation, then (2) searched with
each venue's regular expressions in table order, user entries first. A field that says
"Workshop" but matched a venue that is not itself a workshop becomes that host's workshop
("ICML Workshop"); one that names a demo or datasets-and-benchmarks track of a conference
becomes that track ("EMNLP Demo").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from pubman.text.pattern import LazyPattern
from pubman.venues import compiled
from pubman.venues.keys import LETTER_RE, TRACK_RE, WORKSHOP_RE, clean_venue, decode, venue_key
from pubman.venues.spec import Rules, TomlValue, Venue, parse_entry, shipped, shipped_source

__all__ = ["VenueTable", "host_workshop"]

# Most patterns are a plain phrase or one whole word. Testing those with `in` instead of a
# case-insensitive regex search is what keeps a 4,000-entry file with 1,500 distinct venue
# strings at a few milliseconds instead of over half a second; the answers are the same.
_SUBSTRING, _WORD, _WORD_CASED, _PHRASE, _REGEX = range(5)
_NONWORD_RE = re.compile(r"\W+")
_PLAIN_RE = LazyPattern(r"(?:[A-Za-z0-9 ,:;&'/-]|\\\.)+")
_BOUNDED_RE = LazyPattern(r"(?:\\b)?(.+?)(?:\\b)?")
_WORD_RE = LazyPattern(r"(\(\?-i:)?\\b([A-Za-z0-9]+)\\b(?(1)\))")

# A pattern test as plain data (what the compiled artefact stores): (how, text, source, short
# name): ``text`` is the lower-case text to look for ("" for a regex), ``source`` the regular
# expression behind a phrase or regex test ("" otherwise).
TestSpec = tuple[int, str, str, str]


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


def _fast_test(source: str) -> tuple[int, str, str]:
    """(how, text, source) to test for the case-insensitive pattern ``source`` (see
    :data:`TestSpec`)."""
    if _PLAIN_RE.fullmatch(source) and source.isascii():
        return _SUBSTRING, source.replace("\\.", ".").lower(), ""
    word = _WORD_RE.fullmatch(source)
    if word and word.group(1):
        return _WORD_CASED, word.group(2), ""
    if word:
        return _WORD, word.group(2).lower(), ""
    bounded = _BOUNDED_RE.fullmatch(source)
    if bounded and _PLAIN_RE.fullmatch(bounded.group(1)) and source.isascii():
        return _PHRASE, bounded.group(1).replace("\\.", ".").lower(), source
    return _REGEX, "", source


def compile_rules(rules: Sequence[Rules]) -> tuple[dict[str, str], list[TestSpec]]:
    """(alias key -> short name, pattern tests) for ``rules`` in precedence order."""
    aliases: dict[str, str] = {}
    for rule in reversed(rules):  # earlier rules win an alias clash
        for alias in (rule.short, *rule.aliases):  # the table key is an alias too
            aliases[venue_key(alias)] = rule.short
    return aliases, [(*_fast_test(p), r.short) for r in rules for p in r.patterns]


def _canonical(extra: Mapping[str, TomlValue]) -> str:
    """``[venues]`` as canonical JSON (the key of its compiled table); an empty one is "{}"
    without importing json, which nothing else on the way to a formatted list needs."""
    import json

    return json.dumps(extra, sort_keys=True, ensure_ascii=False, default=repr)


class VenueTable:
    """Shipped venues plus user extensions; :meth:`lookup` maps a field to a :class:`Venue`."""

    def __init__(
        self, venues: Mapping[str, Venue], aliases: Mapping[str, str], tests: Sequence[TestSpec]
    ) -> None:
        """A compiled table (:func:`compile_rules`); every short name it names is in ``venues``.
        Use :meth:`load` to get one."""
        self._venues = dict(venues)
        self._aliases = dict(aliases)
        self._tests = [
            (how, text, _LazyRegex(source) if source else None, short)
            for how, text, source, short in tests
        ]
        self._cache: dict[str, Venue | None] = {}

    @classmethod
    def load(cls, extra: Mapping[str, TomlValue] | None = None) -> VenueTable:
        """The shipped table, extended by ``extra``: the ``[venues]`` table of pubman.toml, i.e.
        a mapping of short name to ``{kind, name, display, aliases, patterns}``. A user entry
        with a shipped short name overrides its kind/name/display and adds aliases/patterns;
        user aliases and patterns are tried before shipped ones. Raises ConfigError.

        Compiled once per process per ``extra``, and kept compiled in the user cache, keyed by
        the shipped table's bytes, ``extra`` and pubman's code (:mod:`pubman.venues.compiled`)."""
        user = _canonical(extra) if extra else "{}"
        table = _LOADED.get(user)
        if table is None:
            table = _LOADED[user] = cls._compile(extra or {}, user)
        return table

    @classmethod
    def _compile(cls, extra: Mapping[str, TomlValue], user: str) -> VenueTable:
        source = shipped_source()
        key = compiled.key(source, user)
        data = compiled.read(key)
        if data is not None:
            return cls(*data)
        venues, shipped_rules = shipped(source)
        rules: list[Rules] = []
        for short, spec in extra.items():
            venue, rule = parse_entry(short, spec, venues.get(short), where="pubman.toml")
            venues[short] = venue
            rules.append(rule)
        aliases, tests = compile_rules([*rules, *shipped_rules])
        compiled.write(key, venues, aliases, tests)
        return cls(venues, aliases, tests)

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
        flat = decode(text)
        if not LETTER_RE.search(flat):
            return None
        short = self._aliases.get(venue_key(flat))
        short = short or self._search(flat)
        if short is None:
            return None
        venue = self._venues[short]
        if venue.kind not in ("workshop", "preprint") and WORKSHOP_RE.search(flat):
            return host_workshop(venue, clean_venue(flat))
        track = TRACK_RE.search(flat) if venue.kind == "conference" else None
        if track:
            return _host_track(venue, clean_venue(flat), track)
        return venue

    def _search(self, flat: str) -> str | None:
        """Short name of the first venue whose pattern matches ``flat``."""
        lower = flat.lower()
        words = set(_NONWORD_RE.split(flat))
        lower_words = {w.lower() for w in words}
        for how, text, regex, short in self._tests:
            if how == _SUBSTRING:
                hit = text in lower
            elif how == _WORD:
                hit = text in lower_words
            elif how == _WORD_CASED:
                hit = text in words
            elif how == _PHRASE:  # a phrase between \b's: a cheap substring test first
                hit = text in lower and regex is not None and regex.search(flat) is not None
            else:
                hit = regex is not None and regex.search(flat) is not None
            if hit:
                return short
        return None


# Tables compiled in this process, by the user config's canonical JSON.
_LOADED: dict[str, VenueTable] = {}


def _host_track(host: Venue, cleaned: str, track: re.Match[str]) -> Venue:
    """A demo or datasets-and-benchmarks track of the conference ``host``: not the main
    conference. A short field that names the host ("EMNLP Demo") is kept as the short name;
    a long one becomes "<host> Demo Track"."""
    label = "Demo" if track.group(1) else "Datasets and Benchmarks"
    short = f"{host.short} {label} Track"
    if len(cleaned.split()) <= 6 and host.short in cleaned.split():
        short = cleaned
    return Venue(short=short, kind=host.kind, name=f"{label} Track at {host.name}", display=short)


def host_workshop(host: Venue, cleaned: str) -> Venue:
    """A workshop held with ``host``. A short field that names the host ("NeurIPS OTML
    Workshop") is kept as the short name; a long one becomes "<host> Workshop"."""
    short = f"{host.short} Workshop"
    words = re.sub(r"\bworkshops\b", "Workshop", cleaned, flags=re.IGNORECASE).split()
    if len(words) <= 5 and host.short in words and short != " ".join(words):
        short = " ".join(words)
    return Venue(short=short, kind="workshop", name=f"Workshop at {host.name}", display=short)
