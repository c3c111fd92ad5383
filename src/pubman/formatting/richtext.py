"""A small rich-text tree: what a style builds and a backend renders.

Contract: small immutable value classes and pure helpers; no I/O, no escaping. Escaping is the
backends' job, and the two kinds of leaf tell them how:

* :class:`Text` is plain Unicode (punctuation pubman adds, initials, "et al."); every backend
  escapes it for its markup.
* :class:`Tex` is LaTeX source taken from the .bib (a title, a family name). The LaTeX backend
  keeps it as LaTeX (sanitised so that it cannot break out of its group); every other backend
  decodes it to Unicode with :func:`pubman.text.names.latex_to_text` first and then escapes it.

:data:`TIE` (U+00A0) in a :class:`Text` is a tie: ``~`` in LaTeX, a plain space elsewhere.

A :class:`Tag` marks its children: ``bold``, ``italic``, ``owner`` (the owner's name, shown
bold everywhere, and recognisable as the owner by backends that care), ``link`` (``url``
set), ``title`` (a paper's title; ``url`` set when it links to the paper), ``mark`` (an
author's mark such as ``*`` or ``†``, superscript where the markup has one) and ``note`` (a
note or award after the venue). ``seq`` only groups. Backends map each kind to their markup, so one owner tag becomes
``**..**``, ``\\textbf{..}``, ``<strong class="owner">..</strong>`` and a bold terminal span.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = [
    "TAG_KINDS",
    "TIE",
    "Node",
    "Tag",
    "Tex",
    "Text",
    "bold",
    "italic",
    "join",
    "last_char",
    "link",
    "mark",
    "note",
    "owner",
    "plain",
    "seq",
    "title",
    "walk",
]

TAG_KINDS = frozenset({"seq", "bold", "italic", "owner", "link", "title", "mark", "note"})
TIE = "\u00a0"


# Plain classes with __slots__ rather than frozen dataclasses: a list builds a few nodes per
# entry, and a frozen dataclass's __init__ (object.__setattr__ per field) costs ~2.5x a plain
# one's; the class itself costs ~4M instructions at import. Immutable by contract: nothing
# assigns to a node after it is built (the hash assumes so).
class Text:
    """Plain Unicode text; backends escape it."""

    __slots__ = ("text",)
    text: str

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Text(text={self.text!r})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not Text:
            return NotImplemented
        return bool(self.text == other.text)

    def __hash__(self) -> int:
        return hash((Text, self.text))


class Tex:
    """LaTeX source from the .bib; kept for LaTeX output, decoded to Unicode elsewhere."""

    __slots__ = ("source",)
    source: str

    def __init__(self, source: str) -> None:
        self.source = source

    def __repr__(self) -> str:
        return f"Tex(source={self.source!r})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not Tex:
            return NotImplemented
        return bool(self.source == other.source)

    def __hash__(self) -> int:
        return hash((Tex, self.source))


class Tag:
    """Markup around ``children``; ``url`` is the target of a ``link``."""

    __slots__ = ("children", "kind", "url")
    kind: str
    children: tuple[Node, ...]
    url: str

    def __init__(self, kind: str, children: tuple[Node, ...], url: str = "") -> None:
        if kind not in TAG_KINDS:
            raise ValueError(f"unknown tag kind {kind!r}")
        self.kind, self.children, self.url = kind, children, url

    def __repr__(self) -> str:
        return f"Tag(kind={self.kind!r}, children={self.children!r}, url={self.url!r})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not Tag:
            return NotImplemented
        return (self.kind, self.children, self.url) == (other.kind, other.children, other.url)

    def __hash__(self) -> int:
        return hash((Tag, self.kind, self.children, self.url))


Node = Text | Tex | Tag
Part = Node | str


def _nodes(parts: Iterable[Part]) -> tuple[Node, ...]:
    """Strings become :class:`Text`; empty strings and empty groups are dropped."""
    out: list[Node] = []
    for part in parts:
        if part.__class__ is str:
            if part:
                out.append(Text(part))  # type: ignore[arg-type]
        elif part.__class__ is not Tag or part.children or part.kind != "seq":  # type: ignore[union-attr]
            out.append(part)  # type: ignore[arg-type]
    return tuple(out)


def seq(*parts: Part) -> Tag:
    return Tag("seq", _nodes(parts))


def bold(*parts: Part) -> Tag:
    return Tag("bold", _nodes(parts))


def italic(*parts: Part) -> Tag:
    return Tag("italic", _nodes(parts))


def owner(*parts: Part) -> Tag:
    return Tag("owner", _nodes(parts))


def link(url: str, *parts: Part) -> Tag:
    return Tag("link", _nodes(parts), url=url)


def title(url: str, *parts: Part) -> Tag:
    return Tag("title", _nodes(parts), url=url)


def mark(*parts: Part) -> Tag:
    return Tag("mark", _nodes(parts))


def note(*parts: Part) -> Tag:
    return Tag("note", _nodes(parts))


def join(separator: str, parts: Iterable[Part]) -> Tag:
    """``parts`` with ``separator`` (plain text) between them."""
    out: list[Part] = []
    for part in parts:
        if out:
            out.append(separator)
        out.append(part)
    return seq(*out)


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every node below it, depth first."""
    yield node
    if isinstance(node, Tag):
        for child in node.children:
            yield from walk(child)


def last_char(node: Node) -> str:
    """The last non-space character ``node`` prints ("" if none); cheaper than :func:`plain`."""
    if isinstance(node, Text):
        return node.text.rstrip()[-1:]
    if isinstance(node, Tex):
        from pubman.text.names import latex_to_text

        return latex_to_text(node.source)[-1:]
    for child in reversed(node.children):
        found = last_char(child)
        if found:
            return found
    return ""


def plain(node: Node) -> str:
    """The Unicode text of ``node`` without any markup (LaTeX leaves decoded, ties spaces)."""
    if isinstance(node, Text):
        return node.text.replace(TIE, " ")
    if isinstance(node, Tex):
        from pubman.text.names import latex_to_text

        return latex_to_text(node.source)
    return "".join(plain(child) for child in node.children)
