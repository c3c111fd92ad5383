"""Backends: a Document -> markdown, LaTeX, HTML or plain text. All escaping lives here.

Contract: pure functions; no I/O. Each backend is a tag table plus an escape function; output
ends with one newline.

* markdown: ``**bold**``, ``*italic*``, ``[text](<url>)``; ``\\ ` * _ [ ] < > ~`` and entity-like
  ``&name;`` are backslash-escaped in text. Every entry is a list item, so that CommonMark
  renders a list: the cv style prints ``- [n] ...`` items; the web style an ordered list
  (``n. ...``) when the numbers go up by one, else (markdown renumbers lists upwards)
  ``- n\\. ...`` items. A web title links to the paper. Group headings are ``## heading``.
* latex: ``\\textbf``, ``\\emph``, ``\\href``; one ``enumerate`` per group with explicit labels
  (``\\item[{[n]}]``), headings as ``\\subsection*``; text escaped with
  :func:`pubman.formatting.latex.escape`, .bib LaTeX kept via :func:`~.latex.sanitize`; ties
  (``~``) between initials and family names; marks as ``\\textsuperscript``. Output that uses
  ``\\href`` starts with a comment line saying it needs hyperref; :func:`latex_document`
  wraps the list in a document that compiles with pdflatex.
* html: an ``<ol>`` per group (``start``/``reversed``, or ``value`` per item when needed),
  ``<strong>`` (bold), ``<em>``, ``<strong class="owner">``, ``<a href>``, a web title as
  ``<a class="title">`` (``<span class="title">`` without a link), marks as
  ``<sup class="mark">``, notes as ``<span class="note">``; headings ``<h2>``; all text and
  attributes escaped with :func:`html.escape`.
* text: no markup at all; ``[n] ...`` (cv) or ``n. ...`` (web) lines, headings underlined;
  links print as ``label: URL``.

A legend of the marks that appear ("* equal contribution; ‡ advisee") comes before the list.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from pubman.formatting import latex
from pubman.formatting.document import Document
from pubman.formatting.richtext import TIE, Node, Tag, Tex, Text
from pubman.text.controls import strip_controls
from pubman.text.names import latex_to_text
from pubman.text.pattern import LazyPattern


def _std_html_escape(text: str, quote: bool = True) -> str:
    from html import escape  # imported only when HTML is rendered

    return escape(text, quote=quote)


__all__ = [
    "HYPERREF_NOTE",
    "TEXT_BACKENDS",
    "Section",
    "TextBackend",
    "latex_document",
    "render_html",
    "render_latex",
    "render_markdown",
    "render_node",
    "render_text",
]
HYPERREF_NOTE = "% needs \\usepackage{hyperref} in the preamble (for \\href)"

Escape = Callable[[str], str]
Wrap = Callable[[Tag, str], str]

_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>~]|&(?=#?\w+;)")
_CONTROL_WS = re.compile(r"[\r\n\t\f\v\x85\u2028\u2029\u00a0]")  # and ties: a space


# Text that none of an escape's steps would change (most names, venues, years, titles): one
# search instead of three passes. Controls (C0, C1) and the _CONTROL_WS characters included.
_MD_CHANGED = LazyPattern(r"[\\`*_\[\]<>~&\x00-\x1f\x7f-\x9f\u00a0\u2028\u2029]")
_HTML_CHANGED = LazyPattern(r"[&<>\"'\x00-\x1f\x7f-\x9f\u00a0\u2028\u2029]")


@lru_cache(maxsize=65536)
def _md_escape(text: str) -> str:
    if _MD_CHANGED.search(text) is None:
        return text
    text = strip_controls(_CONTROL_WS.sub(" ", text))  # no terminal escapes from the data
    return _MD_SPECIAL.sub(r"\\\g<0>", text)


def _md_url(url: str) -> str:
    return re.sub(r"[<>\s]", lambda m: "%" + format(ord(m.group()), "02X"), url)


@lru_cache(maxsize=65536)
def _html_escape(text: str) -> str:
    if _HTML_CHANGED.search(text) is None:
        return text
    return _std_html_escape(strip_controls(_CONTROL_WS.sub(" ", text)), quote=True)


def _latex_text(text: str) -> str:
    """Plain text for LaTeX; the ties pubman puts between initials and names become ``~``."""
    if TIE not in text:
        return latex.escape(text)
    return "~".join(latex.escape(part) for part in text.split(TIE))


def _text_escape(text: str) -> str:
    return strip_controls(_CONTROL_WS.sub(" ", text))


def _url(t: Tag) -> str:
    """The tag's address when it is a web, mail or DOI link; '' for ``javascript:`` & co."""
    return t.url if t.url and latex.safe_url(t.url) else ""


def _html_title(t: Tag, s: str) -> str:
    if not _url(t):
        return f'<span class="title">{s}</span>'
    return f'<a class="title" href="{_std_html_escape(t.url, quote=True)}">{s}</a>'


_MD_TAGS: dict[str, Wrap] = {
    "seq": lambda t, s: s,
    "bold": lambda t, s: f"**{s}**",
    "owner": lambda t, s: f"**{s}**",
    "italic": lambda t, s: f"*{s}*",
    "link": lambda t, s: f"[{s}](<{_md_url(t.url)}>)" if _url(t) else s,
    "title": lambda t, s: f"[{s}](<{_md_url(t.url)}>)" if _url(t) else s,
    "mark": lambda t, s: s,
    "note": lambda t, s: s,
}
_LATEX_TAGS: dict[str, Wrap] = {
    "seq": lambda t, s: s,
    "bold": lambda t, s: f"\\textbf{{{s}}}",
    "owner": lambda t, s: f"\\textbf{{{s}}}",
    "italic": lambda t, s: f"\\emph{{{s}}}",
    "link": lambda t, s: f"\\href{{{latex.escape_url(t.url)}}}{{{s}}}" if _url(t) else s,
    "title": lambda t, s: s,
    "mark": lambda t, s: f"\\textsuperscript{{{s}}}",
    "note": lambda t, s: s,
}
_HTML_TAGS: dict[str, Wrap] = {
    "seq": lambda t, s: s,
    "bold": lambda t, s: f"<strong>{s}</strong>",
    "owner": lambda t, s: f'<strong class="owner">{s}</strong>',
    "italic": lambda t, s: f"<em>{s}</em>",
    "link": lambda t, s: (
        f'<a href="{_std_html_escape(t.url, quote=True)}">{s}</a>' if _url(t) else s
    ),
    "title": _html_title,
    "mark": lambda t, s: f'<sup class="mark">{s}</sup>',
    "note": lambda t, s: f'<span class="note">{s}</span>',
}
_TEXT_TAGS: dict[str, Wrap] = {kind: (lambda t, s: s) for kind in _MD_TAGS}
_TEXT_TAGS["link"] = lambda t, s: f"{s}: {_text_escape(t.url)}"  # text keeps the address


def render_node(
    node: Node, escape: Escape, tags: dict[str, Wrap], tex: Escape | None = None
) -> str:
    """Render one rich-text node. ``tex`` renders LaTeX leaves; by default they are decoded to
    Unicode and escaped like text."""
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, Tex):
        return tex(node.source) if tex else escape(latex_to_text(node.source))
    # The leaves of a tag are rendered here rather than by a call each: a list is mostly
    # leaves (~3 of every 4 nodes), and the calls were most of the time rendering took.
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, Text):
            parts.append(escape(child.text))
        elif isinstance(child, Tex):
            parts.append(tex(child.source) if tex else escape(latex_to_text(child.source)))
        else:
            parts.append(render_node(child, escape, tags, tex))
    inner = "".join(parts)
    return inner if node.kind == "seq" else tags[node.kind](node, inner)


def _ascending(numbers: Sequence[int]) -> bool:
    return all(b == a + 1 for a, b in itertools.pairwise(numbers))


def _descending(numbers: Sequence[int]) -> bool:
    return all(b == a - 1 for a, b in itertools.pairwise(numbers))


class Section(NamedTuple):
    """One group of a list as a backend prints it: the heading (None: ungrouped), the items'
    numbers and their rendered rows (what :class:`TextBackend.row` gives for each content)."""

    title: str | None
    numbers: Sequence[int]
    rows: Sequence[str]


class TextBackend(NamedTuple):
    """A backend that prints each item on its own: ``row`` renders one item's content and
    ``page`` lays the rows out (label, legend, sections)."""

    row: Callable[[Node], str]
    chunks: Callable[[str, Sequence[tuple[str, str]], Sequence[Section]], Iterator[str]]

    def page(
        self, label: str, legend: Sequence[tuple[str, str]], sections: Sequence[Section]
    ) -> str:
        """The whole page: :attr:`chunks` joined."""
        return "".join(self.chunks(label, legend, sections))

    def render(self, doc: Document) -> str:
        rows = self.row
        sections = [
            Section(g.title, [i.number for i in g.items], [rows(i.content) for i in g.items])
            for g in doc.groups
        ]
        return self.page(doc.label, doc.legend, sections)


def _sections(
    sections: Sequence[Section],
    heading: Callable[[str], list[str]],
    body: Callable[[Section], Iterable[str]],
    gap: bool = True,
    lead: Sequence[str] = (),
) -> Iterator[str]:
    """The page's lines, each with its newline, one at a time: a caller that writes them as
    they come never holds the page (at 250k entries, a copy of it is ~150 MB as a str)."""
    started = bool(lead)
    for line in lead:
        yield line + "\n"
    for section in sections:
        if started and gap:
            yield "\n"
        if section.title is not None:
            for line in heading(section.title):
                yield line + "\n"
                started = True
        for line in body(section):
            yield line + "\n"
            started = True


def _legend(legend: Sequence[tuple[str, str]], escape: Escape, symbol: Callable[[str], str]) -> str:
    """The marks' legend as one line: "* equal contribution; ‡ advisee"."""
    return "; ".join(f"{symbol(escape(s))} {escape(text)}" for s, text in legend)


def _markdown_row(node: Node) -> str:
    return render_node(node, _md_escape, _MD_TAGS)


def _markdown_page(
    label: str, legend: Sequence[tuple[str, str]], sections: Sequence[Section]
) -> Iterator[str]:
    def body(section: Section) -> Iterator[str]:
        numbers, rows = section.numbers, section.rows
        if label == "bracket":
            return (f"- [{n}] {row}" for n, row in zip(numbers, rows))
        if numbers and _ascending(numbers):
            return (f"{n}. {row}" for n, row in zip(numbers, rows))
        return (f"- {n}\\. {row}" for n, row in zip(numbers, rows))

    lead = [_legend(legend, _md_escape, lambda s: s)] if legend else []
    return _sections(sections, lambda title: [f"## {_md_escape(title)}", ""], body, lead=lead)


def _latex_row(node: Node) -> str:
    return render_node(node, _latex_text, _LATEX_TAGS, latex.sanitize)


def _latex_page(
    label: str, legend: Sequence[tuple[str, str]], sections: Sequence[Section]
) -> Iterator[str]:
    def body(section: Section) -> Iterator[str]:
        yield "\\begin{enumerate}"
        for number, text in zip(section.numbers, section.rows):
            mark = f"{{[{number}]}}" if label == "bracket" else f"{number}."
            yield f"  \\item[{mark}] {text}"
        yield "\\end{enumerate}"

    lead = []
    if legend:
        marks = _legend(legend, latex.escape, lambda s: f"\\textsuperscript{{{s}}}")
        lead = [f"\\noindent {marks}"]
    # Only a row can hold \href: headings and the legend are escaped text, and no line break
    # splits one, so this is the same test as looking for it in the page.
    if any("\\href{" in row for section in sections for row in section.rows):
        yield HYPERREF_NOTE + "\n"
    yield from _sections(
        sections, lambda title: [f"\\subsection*{{{latex.escape(title)}}}"], body, lead=lead
    )


def latex_document(doc: Document) -> str:
    """The list as a whole LaTeX document (article, hyperref) that pdflatex compiles."""
    body = render_latex(doc).removeprefix(HYPERREF_NOTE + "\n")
    title = latex.escape(doc.owner.replace(TIE, " "))
    heading = f"{title}: publications" if title else "Publications"
    return "\n".join(
        [
            "\\documentclass[11pt]{article}",
            "\\usepackage[T1]{fontenc}",
            "\\usepackage[utf8]{inputenc}",
            "\\usepackage{textcomp}",
            "\\usepackage[hidelinks]{hyperref}",
            "\\begin{document}",
            f"\\section*{{{heading}}}",
            body.rstrip("\n"),
            "\\end{document}",
            "",
        ]
    )


def _ol_open(numbers: Sequence[int]) -> tuple[str, bool]:
    """The ``<ol>`` tag for these numbers, and whether items need their own ``value``."""
    if not numbers or (numbers[0] == 1 and _ascending(numbers)):
        return "<ol>", False
    if _ascending(numbers):
        return f'<ol start="{numbers[0]}">', False
    if _descending(numbers):
        return f'<ol reversed start="{numbers[0]}">', False
    return "<ol>", True


def _html_row(node: Node) -> str:
    return render_node(node, _html_escape, _HTML_TAGS)


def _html_page(
    label: str, legend: Sequence[tuple[str, str]], sections: Sequence[Section]
) -> Iterator[str]:
    def body(section: Section) -> Iterator[str]:
        opening, values = _ol_open(section.numbers)
        yield opening
        for number, text in zip(section.numbers, section.rows):
            value = f' value="{number}"' if values else ""
            yield f"  <li{value}>{text}</li>"
        yield "</ol>"

    lead = []
    if legend:
        marks = _legend(legend, _html_escape, lambda s: f'<sup class="mark">{s}</sup>')
        lead = [f'<p class="legend">{marks}</p>']
    return _sections(sections, lambda title: [f"<h2>{_html_escape(title)}</h2>"], body, lead=lead)


def _text_row(node: Node) -> str:
    return render_node(node, _text_escape, _TEXT_TAGS)


def _text_page(
    label: str, legend: Sequence[tuple[str, str]], sections: Sequence[Section]
) -> Iterator[str]:
    form = "[{}]" if label == "bracket" else "{}."

    def body(section: Section) -> Iterator[str]:
        return (f"{form.format(n)} {row}" for n, row in zip(section.numbers, section.rows))

    def heading(title: str) -> list[str]:
        title = _text_escape(title)
        return [title, "=" * len(title), ""]

    lead = [_legend(legend, _text_escape, lambda s: s)] if legend else []
    return _sections(sections, heading, body, lead=lead)


TEXT_BACKENDS = {
    "markdown": TextBackend(_markdown_row, _markdown_page),
    "latex": TextBackend(_latex_row, _latex_page),
    "html": TextBackend(_html_row, _html_page),
    "text": TextBackend(_text_row, _text_page),
}


def render_markdown(doc: Document) -> str:
    return TEXT_BACKENDS["markdown"].render(doc)


def render_latex(doc: Document) -> str:
    return TEXT_BACKENDS["latex"].render(doc)


def render_html(doc: Document) -> str:
    return TEXT_BACKENDS["html"].render(doc)


def render_text(doc: Document) -> str:
    return TEXT_BACKENDS["text"].render(doc)
