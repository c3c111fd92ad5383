"""Terminal and JSON backends.

Contract: pure; rich is imported lazily, inside the functions, and only builds renderables or
renders to a string buffer -- printing is the CLI's job.

Terminal: a two-column grid per group (label, entry) so long entries wrap with a hanging
indent; the owner is bold and underlined, bold is bold, italic is italic, links are terminal
hyperlinks (OSC 8) where the terminal supports them, headings bold.

JSON: a list of objects, one per entry in list order: ``number``, ``key``, ``title``
(Unicode), ``authors`` (all of them, each ``{"name", "given", "family", "owner"}``; ``name``
as the style prints it), ``et_al`` (the list was truncated by ``and others``/--max-authors),
``venue`` (as printed), ``year``, ``kind``, ``links`` (label -> URL, web style), ``group``
(the heading, or null), ``notes`` (the notes and awards printed after the venue, Unicode),
``abbr`` and ``selected`` (al-folio's fields). Each author also has ``marks`` (annotations
such as ``equal`` or ``advisee``).
"""

from __future__ import annotations

import io
import json
from typing import Any

from pubman.formatting.document import Document
from pubman.formatting.latex import safe_url
from pubman.formatting.richtext import Node, Tex, Text
from pubman.text.controls import strip_controls
from pubman.text.names import latex_to_text

__all__ = ["render_json", "render_terminal", "terminal_renderable"]

_STYLES = {"bold": "bold", "owner": "bold underline", "italic": "italic", "title": "cyan"}


def _append(target: Any, node: Node, style: str) -> None:
    if isinstance(node, Text):
        text = strip_controls(node.text.replace("\u00a0", " "))  # no escapes from the data
        target.append(text, style=style or None)
    elif isinstance(node, Tex):
        target.append(strip_controls(latex_to_text(node.source)), style=style or None)
    else:
        extra = _STYLES.get(node.kind, "")
        if node.kind in ("link", "title") and node.url and safe_url(strip_controls(node.url)):
            extra = " ".join(s for s in (extra, f"link {node.url}") if s)
        inner = " ".join(s for s in (style, extra) if s)
        for child in node.children:
            _append(target, child, inner)


def _rich_text(node: Node) -> Any:
    from rich.text import Text as RichText

    out = RichText()
    _append(out, node, "")
    return out


def terminal_renderable(doc: Document) -> Any:
    """A rich renderable of the whole list."""
    from rich.console import Group as RichGroup
    from rich.table import Table
    from rich.text import Text as RichText

    parts: list[Any] = []
    if doc.legend:
        parts.append(RichText("; ".join(f"{s} {t}" for s, t in doc.legend), style="dim"))
    for group in doc.groups:
        if group.title is not None:
            if parts:
                parts.append(RichText(""))
            parts.append(RichText(strip_controls(group.title), style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", style="dim", no_wrap=True)
        grid.add_column()
        for item in group.items:
            label = f"[{item.number}]" if doc.label == "bracket" else f"{item.number}."
            grid.add_row(label, _rich_text(item.content))
        parts.append(grid)
    return RichGroup(*parts)


def render_terminal(doc: Document, *, width: int = 100, color: bool = True) -> str:
    """The terminal rendering as a string (ANSI codes when ``color``), for files and tests."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        legacy_windows=False,
    )
    console.print(terminal_renderable(doc))
    return buffer.getvalue()


def _record(item: Any) -> dict[str, Any]:
    record = item.record
    data: dict[str, Any] = record._asdict()
    data["authors"] = [author._asdict() for author in record.authors]
    data["links"] = dict(record.links)
    return data


def render_json(doc: Document) -> str:
    return json.dumps([_record(item) for item in doc.items], indent=2, ensure_ascii=False) + "\n"
