"""What formatting produces: options in, a :class:`Document` out.

Contract: frozen dataclasses and validation only; no I/O. A Document is backend-neutral: each
item carries its rich text (for markdown, latex, html, text, terminal) and a :class:`Record`
(plain data, for json). :meth:`FormatOptions.from_config` reads the ``[format]`` table of
pubman.toml and raises :class:`~pubman.errors.ConfigError` on unknown keys or wrong types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from pubman.errors import ConfigError
from pubman.formatting.richtext import Node

__all__ = [
    "GROUPINGS",
    "NUMBERINGS",
    "ORDERS",
    "STYLES",
    "Author",
    "Document",
    "FormatOptions",
    "Group",
    "Item",
    "Notice",
    "Record",
]

STYLES = ("cv", "web")
ORDERS = ("newest", "oldest")
GROUPINGS = ("none", "year", "type")
NUMBERINGS = ("continuous", "per-group")


@dataclass(frozen=True)
class FormatOptions:
    """Everything that shapes the list. ``kinds`` empty means every kind; ``max_authors`` 0
    means no limit; ``bibtex_url`` is a template with ``{key}`` (empty: no [BibTeX] link)."""

    style: str = "cv"
    since: int | None = None
    until: int | None = None
    kinds: frozenset[str] = frozenset()
    order: str = "newest"
    group_by: str = "none"
    numbering: str = "continuous"
    reverse_numbering: bool = False
    max_authors: int = 0
    bibtex_url: str = ""

    def __post_init__(self) -> None:
        for name, allowed in (
            ("style", STYLES),
            ("order", ORDERS),
            ("group_by", GROUPINGS),
            ("numbering", NUMBERINGS),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")
        if self.max_authors < 0:
            raise ValueError("max_authors must be 0 (no limit) or more")
        if self.bibtex_url and "{key}" not in self.bibtex_url:
            raise ValueError("bibtex_url must contain {key}")

    @classmethod
    def from_config(cls, table: Mapping[str, Any], where: str | None = None) -> FormatOptions:
        """Options from pubman.toml's ``[format]`` table (keys as the dataclass fields, except
        ``kinds``, which is called ``types`` there). Raises ConfigError."""
        known = {f.name for f in fields(cls)} - {"kinds"} | {"types"}
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                raise ConfigError(
                    f"unknown key {key!r} in [format]",
                    path=where,
                    hint=f"known keys: {', '.join(sorted(known))}",
                )
            values["kinds" if key == "types" else key] = _checked(key, value, where)
        try:
            return cls(**values)
        except ValueError as err:
            raise ConfigError(f"[format] {err}", path=where) from None

    def with_overrides(self, **changes: Any) -> FormatOptions:
        """A copy with the given fields replaced; ``None`` values are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _checked(key: str, value: Any, where: str | None) -> Any:
    expected: type | tuple[type, ...]
    if key in ("since", "until", "max_authors"):
        expected = int
    elif key == "reverse_numbering":
        expected = bool
    elif key == "types":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("[format] types must be a list of strings", path=where)
        return frozenset(value)
    else:
        expected = str
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        kind = {"int": "a whole number", "str": "a string", "bool": "true or false"}.get(
            expected.__name__, expected.__name__
        )
        raise ConfigError(f"[format] {key} must be {kind}", path=where)
    return value


@dataclass(frozen=True)
class Author:
    """One author as printed: ``name`` in the style's form, Unicode; ``owner`` when matched."""

    name: str
    given: str = ""
    family: str = ""
    owner: bool = False


@dataclass(frozen=True)
class Record:
    """One entry as data (json backend). ``venue`` is what the style prints."""

    number: int
    key: str
    title: str
    authors: tuple[Author, ...]
    venue: str
    year: str
    kind: str
    links: tuple[tuple[str, str], ...] = ()
    group: str | None = None
    et_al: bool = False


@dataclass(frozen=True)
class Item:
    number: int
    key: str
    content: Node
    record: Record


@dataclass(frozen=True)
class Group:
    """A section of the list; ``title`` is None when the list is not grouped."""

    title: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Notice:
    """Something the user should look at; not fatal (e.g. the owner not found in an entry)."""

    key: str
    line: int
    message: str


@dataclass(frozen=True)
class Document:
    """The formatted list. ``label`` is ``"bracket"`` ("[1]") or ``"ordered"`` ("1.")."""

    style: str
    label: str
    groups: tuple[Group, ...]
    warnings: tuple[Notice, ...] = field(default=())

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)
