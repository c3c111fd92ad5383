"""What formatting produces: options in, a :class:`Document` out.

Contract: immutable value types and validation only; no I/O. A Document is backend-neutral: each
item carries its rich text (for markdown, latex, html, text, terminal) and a :class:`Record`
(plain data, for json). :meth:`FormatOptions.from_config` reads the ``[format]`` table of
pubman.toml and raises :class:`~pubman.errors.ConfigError` on unknown keys or wrong types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from pubman.errors import ConfigError
from pubman.formatting.richtext import Node

__all__ = [
    "DEFAULT_MARKS",
    "DEFAULT_NOTES",
    "GROUPINGS",
    "NUMBERINGS",
    "ORDERS",
    "OWNER_FORMS",
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
OWNER_FORMS = ("auto", "as-written", "initials", "full")
DEFAULT_NOTES = ("note", "_note", "addendum", "award", "pubstate")
DEFAULT_MARKS = (
    ("equal", "*"),
    ("corresponding", "†"),
    ("student", "‡"),
    ("advisee", "‡"),
    ("highlight", "§"),
)


_OPTION_FIELDS = (
    "style",
    "since",
    "until",
    "kinds",
    "order",
    "group_by",
    "numbering",
    "reverse_numbering",
    "max_authors",
    "bibtex_url",
    "notes",
    "marks",
    "owner_form",
)


# A plain class, not a frozen dataclass: the dataclass machinery costs ~5M instructions at
# import on every run of `pubman format`; this class is immutable (assignment raises) and
# validates in __init__, which a NamedTuple cannot.
class FormatOptions:
    """Everything that shapes the list. ``kinds`` empty means every kind; ``max_authors`` 0
    means no limit; ``bibtex_url`` is a template with ``{key}`` (empty: no [BibTeX] link).
    ``notes``: the fields printed after the venue, in order. ``marks``: (annotation, symbol)
    pairs for biblatex ``author+an`` annotations and the owner's advisees (``advisee``).
    ``owner_form``: ``auto`` prints the owner as ``[owner] display`` when it is set, else as
    written; ``initials``/``full`` print the owner's configured name in that form."""

    __slots__ = _OPTION_FIELDS
    style: str
    since: int | None
    until: int | None
    kinds: frozenset[str]
    order: str
    group_by: str
    numbering: str
    reverse_numbering: bool
    max_authors: int
    bibtex_url: str
    notes: tuple[str, ...]
    marks: tuple[tuple[str, str], ...]
    owner_form: str

    def __init__(
        self,
        style: str = "cv",
        since: int | None = None,
        until: int | None = None,
        kinds: frozenset[str] = frozenset(),
        order: str = "newest",
        group_by: str = "none",
        numbering: str = "continuous",
        reverse_numbering: bool = False,
        max_authors: int = 0,
        bibtex_url: str = "",
        notes: tuple[str, ...] = DEFAULT_NOTES,
        marks: tuple[tuple[str, str], ...] = DEFAULT_MARKS,
        owner_form: str = "auto",
    ) -> None:
        values: tuple[Any, ...] = (style, since, until, kinds, order, group_by, numbering)
        values += (reverse_numbering, max_authors, bibtex_url, notes, marks, owner_form)
        for name, value in zip(_OPTION_FIELDS, values, strict=True):
            object.__setattr__(self, name, value)
        for name, allowed in (
            ("style", STYLES),
            ("order", ORDERS),
            ("group_by", GROUPINGS),
            ("numbering", NUMBERINGS),
            ("owner_form", OWNER_FORMS),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")
        if self.max_authors < 0:
            raise ValueError("max_authors must be 0 (no limit) or more")
        if self.bibtex_url and "{key}" not in self.bibtex_url:
            raise ValueError("bibtex_url must contain {key}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _OPTION_FIELDS)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: FormatOptions is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: FormatOptions is immutable")

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(_OPTION_FIELDS, self._values()))
        return f"FormatOptions({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not FormatOptions:
            return NotImplemented
        return bool(self._values() == other._values())

    def __hash__(self) -> int:
        return hash(self._values())

    @classmethod
    def from_config(cls, table: Mapping[str, Any], where: str | None = None) -> FormatOptions:
        """Options from pubman.toml's ``[format]`` table (keys as the options' fields, except
        ``kinds``, which is called ``types`` there). Raises ConfigError."""
        known = set(_OPTION_FIELDS) - {"kinds"} | {"types"}
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
        values = dict(zip(_OPTION_FIELDS, self._values()))
        values.update({k: v for k, v in changes.items() if v is not None})
        return FormatOptions(**values)


def _checked(key: str, value: Any, where: str | None) -> Any:
    expected: type | tuple[type, ...]
    if key in ("since", "until", "max_authors"):
        expected = int
    elif key == "reverse_numbering":
        expected = bool
    elif key in ("types", "notes"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"[format] {key} must be a list of strings", path=where)
        return frozenset(value) if key == "types" else tuple(v.strip().lower() for v in value)
    elif key == "marks":
        return _marks(value, where)
    else:
        expected = str
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        kind = {"int": "a whole number", "str": "a string", "bool": "true or false"}.get(
            expected.__name__, expected.__name__
        )
        raise ConfigError(f"[format] {key} must be {kind}", path=where)
    return value


def _marks(value: Any, where: str | None) -> tuple[tuple[str, str], ...]:
    """``[format.marks]``: annotation -> symbol ("" hides one); merged over the defaults."""
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(
            "[format] marks must be a table of strings",
            path=where,
            hint='e.g. marks = { equal = "*", corresponding = "†", advisee = "‡" }',
        )
    merged = dict(DEFAULT_MARKS) | {k.strip().lower(): v.strip() for k, v in value.items()}
    return tuple(merged.items())


# The records below are NamedTuples, not frozen dataclasses: ~1.5M instead of ~4-5M
# instructions each at import, and cheaper to build per entry.
class Author(NamedTuple):
    """One author as printed: ``name`` in the style's form, Unicode; ``owner`` when matched;
    ``marks``: the annotations shown as marks (``equal``, ``advisee``, ...)."""

    name: str
    given: str = ""
    family: str = ""
    owner: bool = False
    marks: tuple[str, ...] = ()


class Record(NamedTuple):
    """One entry as data (json backend). ``venue`` is what the style prints; ``notes`` the
    note fields printed after it (Unicode); ``abbr`` and ``selected`` as in al-folio."""

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
    notes: tuple[str, ...] = ()
    abbr: str = ""
    selected: bool = False


class Item(NamedTuple):
    """One entry: ``content`` as the list prints it; ``body`` the same without the links
    (the homepage prints those as badges)."""

    number: int
    key: str
    content: Node
    record: Record
    body: Node | None = None


class Group(NamedTuple):
    """A section of the list; ``title`` is None when the list is not grouped."""

    title: str | None
    items: tuple[Item, ...]


class Notice(NamedTuple):
    """Something the user should look at; not fatal (e.g. the owner not found in an entry)."""

    key: str
    line: int
    message: str


class Document(NamedTuple):
    """The formatted list. ``label`` is ``"bracket"`` ("[1]") or ``"ordered"`` ("1.").
    ``legend``: (symbol, meaning) of the marks that appear; ``owner``: the owner's name as
    printed (a page heading)."""

    style: str
    label: str
    groups: tuple[Group, ...]
    warnings: tuple[Notice, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()
    owner: str = ""

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)
