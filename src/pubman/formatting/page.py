"""A whole homepage page: ``format --style web --to html --standalone``.

Contract: a pure function of a :class:`~pubman.formatting.document.Document` and two
mappings; no I/O. The page is one self-contained file: charset, ``lang``, viewport, light and
dark CSS, a small inline script for the filter box, and a Content-Security-Policy that allows
nothing outside the page, so it makes no request of its own.

It has the owner's name as heading, a one-line filter box, the marks' legend, then one
``<section>`` per group (by year, type, or one "Publications" section) with an ``<ol>`` of
``<li class="entry">``. Each entry: an ``abbr`` badge (al-folio) and "selected" star when
set, the entry's text (title linked to the paper, the owner in ``<strong class="owner">``,
marks, notes and awards), its links as small badges, "cited by N" where the citation cache
has a count, and a "BibTeX" toggle (``<details>``) with the entry's own text, escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from pubman.formatting.backends import _HTML_TAGS, _html_escape, _ol_open, render_node
from pubman.formatting.document import Document, Group, Item

__all__ = ["render_page"]

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
_FILTER_BOX = '<input id="filter" type="search" placeholder="Filter…" aria-label="Filter">'
_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfdfd; --muted: #5f6368;
  --accent: #1a5fb4; --badge: #eef2f8; --line: #d8dde6; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8ea; --bg: #16181c; --muted: #a0a4ab; --accent: #8cb4ff;
    --badge: #262a33; --line: #3a3f4a; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 54rem; padding: 1.5rem 1.25rem 3rem; color: var(--fg);
  background: var(--bg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .75rem 1.5rem;
  border-bottom: 1px solid var(--line); padding-bottom: .75rem; }
h1 { font-size: 1.8rem; margin: 0; flex: 1 1 auto; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; color: var(--muted); }
#filter { flex: 0 1 18rem; font: inherit; padding: .3rem .6rem; color: var(--fg);
  background: var(--bg); border: 1px solid var(--line); border-radius: .4rem; }
.legend, .count { color: var(--muted); font-size: .9rem; margin: .6rem 0 0; }
ol { padding-left: 2.2rem; margin: 0; }
li.entry { margin: 0 0 1rem; }
a { color: var(--accent); }
a.title, span.title { font-weight: 500; text-decoration: none; }
a.title:hover { text-decoration: underline; }
strong.owner { font-weight: 700; text-decoration: underline; text-underline-offset: .18em; }
.note { font-style: italic; color: var(--muted); }
sup.mark { font-size: .7em; }
.badges { display: flex; flex-wrap: wrap; gap: .35rem; margin-top: .3rem; }
.badge, .abbr, summary { display: inline-block; font-size: .78rem; line-height: 1.5;
  padding: 0 .45rem; border: 1px solid var(--line); border-radius: .3rem;
  background: var(--badge); color: var(--fg); text-decoration: none; }
.abbr { font-weight: 600; margin-right: .35rem; }
.star { color: #c98a00; margin-right: .25rem; }
.cites { color: var(--muted); }
details { display: inline-block; vertical-align: top; }
summary { cursor: pointer; list-style: none; }
details[open] summary { margin-bottom: .3rem; }
pre { white-space: pre-wrap; word-break: break-word; font-size: .8rem; padding: .6rem;
  border: 1px solid var(--line); border-radius: .3rem; background: var(--badge); }
[hidden] { display: none !important; }
"""
_SCRIPT = """
(function () {
  var box = document.getElementById("filter"), count = document.getElementById("count");
  function apply() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    document.querySelectorAll("li.entry").forEach(function (li) {
      var text = li.getAttribute("data-text");
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      li.hidden = !ok; if (ok) { shown += 1; }
    });
    document.querySelectorAll("section").forEach(function (s) {
      s.hidden = !s.querySelector("li.entry:not([hidden])");
    });
    count.textContent = shown + " of " + count.getAttribute("data-total") + " shown";
  }
  box.addEventListener("input", apply);
})();
"""


def _badges(item: Item, citations: Mapping[str, int], bibtex: str) -> str:
    parts = [
        f'<a class="badge" href="{escape(url, quote=True)}">{escape(label)}</a>'
        for label, url in item.record.links
    ]
    count = citations.get(item.key)
    if count is not None:
        parts.append(f'<span class="badge cites">cited by {count}</span>')
    if bibtex:
        parts.append(f"<details><summary>BibTeX</summary><pre>{escape(bibtex)}</pre></details>")
    return f'<div class="badges">{"".join(parts)}</div>' if parts else ""


def _entry(item: Item, value: bool, citations: Mapping[str, int], bibtex: str) -> str:
    record = item.record
    body = render_node(item.body or item.content, _html_escape, _HTML_TAGS)
    lead = '<span class="star" title="selected">★</span>' if record.selected else ""
    if record.abbr:
        lead += f'<span class="abbr">{escape(record.abbr)}</span>'
    words = " ".join([record.title, record.venue, record.year, *record.notes])
    words += " " + " ".join(a.name for a in record.authors) + f" {record.kind} {record.key}"
    attrs = f' id="{escape(item.key, quote=True)}" data-text="{escape(words.lower(), quote=True)}"'
    if value:
        attrs += f' value="{item.number}"'
    return f'<li class="entry"{attrs}>{lead}{body}{_badges(item, citations, bibtex)}</li>'


def _section(group: Group, citations: Mapping[str, int], bibtex: Mapping[str, str]) -> str:
    opening, values = _ol_open([item.number for item in group.items])
    title = escape(group.title) if group.title is not None else "Publications"
    rows = [_entry(i, values, citations, bibtex.get(i.key, "")) for i in group.items]
    return "\n".join([f"<section>\n<h2>{title}</h2>", opening, *rows, "</ol>\n</section>"])


def render_page(
    doc: Document,
    *,
    bibtex: Mapping[str, str] | None = None,
    citations: Mapping[str, int] | None = None,
    lang: str = "en",
) -> str:
    """The whole page. ``bibtex``: each key's own entry text (for the BibTeX toggles);
    ``citations``: cached citation counts by key."""
    name = doc.owner.replace("\u00a0", " ")
    heading = escape(name) if name else "Publications"
    legend = "; ".join(
        f'<sup class="mark">{escape(s)}</sup> {escape(text)}' for s, text in doc.legend
    )
    total = len(doc.items)
    sections = [_section(g, citations or {}, bibtex or {}) for g in doc.groups]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{escape(lang, quote=True)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            f"<title>{heading}{' – publications' if name else ''}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{heading}</h1>",
            _FILTER_BOX,
            "</header>",
            f'<p class="count" id="count" data-total="{total}">{total} publications</p>',
            f'<p class="legend">{legend}</p>' if legend else "",
            *sections,
            f"<script>{_SCRIPT}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )
