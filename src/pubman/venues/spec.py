"""The venue table's entries: :class:`Venue`, the shipped ``data/venues.toml``, and the
``[venues.<short>]`` tables of pubman.toml, read and validated.

Contract: :func:`parse_entry` is pure and raises :class:`~pubman.errors.ConfigError` for a bad
user entry (naming the key and what is allowed); :func:`shipped` reads the shipped table, the
one file this module touches, and never prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from pubman.errors import ConfigError
from pubman.model import VENUE_KINDS

__all__ = ["KINDS", "SHIPPED_TABLE", "Rules", "Venue", "parse_entry", "shipped", "shipped_source"]

KINDS = frozenset(VENUE_KINDS)  # for membership tests; the order is VENUE_KINDS's
_ENTRY_KEYS = frozenset({"kind", "name", "display", "aliases", "patterns"})
SHIPPED_TABLE = Path(__file__).resolve().parent.parent / "data" / "venues.toml"
_WHERE = "pubman/data/venues.toml"

# A value read from TOML: a string, number, list or table (tomllib's own annotation is Any).
TomlValue = object


class Venue(NamedTuple):
    """A publication venue. ``short`` is the stats key, ``display`` the CV text.

    Venue and :class:`Rules` are NamedTuples, not frozen dataclasses: every start-up creates
    the classes, and a frozen dataclass costs ~3 M instructions more to create."""

    short: str
    kind: str
    name: str
    display: str


class Rules(NamedTuple):
    """Aliases and patterns that point at one venue short name."""

    short: str
    aliases: tuple[str, ...]
    patterns: tuple[str, ...]  # regular expressions (case-insensitive), as written


def _string_list(value: TomlValue, what: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a list of strings", path=where)
    return tuple(value)


def parse_entry(
    short: str,
    spec: TomlValue,
    base: Venue | None,
    *,
    where: str,
    validate: bool = True,
) -> tuple[Venue, Rules]:
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
    patterns = _string_list(spec.get("patterns", []), f"[{label}] patterns", where)
    if validate:
        for pattern in patterns:
            _check_pattern(pattern, label, where)
    aliases = _string_list(spec.get("aliases", []), f"[{label}] aliases", where)
    return venue, Rules(short, aliases, patterns)


def _check_pattern(pattern: str, label: str, where: str) -> None:
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(
            f"[{label}] bad regular expression {pattern!r}: {exc}", path=where
        ) from None


def shipped_source() -> bytes:
    """The shipped table's bytes (what a compiled table is keyed by)."""
    return SHIPPED_TABLE.read_bytes()


def shipped(source: bytes) -> tuple[dict[str, Venue], tuple[Rules, ...]]:
    """The shipped table read from ``source`` (:func:`shipped_source`): venues by short name and
    the rules in table order. Its patterns are checked by the test suite, not on every start."""
    # Lazy: a start-up that reads the compiled table (pubman.venues.compiled) never gets here,
    # and tomllib costs ~20 M instructions to import.
    from pubman.config import tomllib_module

    tomllib = tomllib_module()

    venues: dict[str, Venue] = {}
    rules = []
    data = tomllib.loads(source.decode("utf-8"))
    for short, spec in data["venues"].items():
        venues[short], rule = parse_entry(short, spec, None, where=_WHERE, validate=False)
        rules.append(rule)
    for spec in data.get("derived", {}).values():  # from dblp (scripts/venues_from_dblp.py)
        short = spec["short"]
        if short not in venues:
            name = spec.get("name", short)
            venues[short] = Venue(short=short, kind=spec["kind"], name=name, display=short)
        rules.append(Rules(short, (spec.get("name", short), *spec.get("aliases", ())), ()))
    return venues, tuple(rules)
