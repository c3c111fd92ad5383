"""``pubman format``: the publication list for a CV, a homepage or the terminal.

Thin: flags and ``[format]`` config -> FormatOptions; the work is in :mod:`pubman.formatting`.
Prints the list on stdout (or writes ``--output`` atomically) and owner warnings on stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pubman.cli import selection
from pubman.cli.args import Choice, Command, Option, Range, UsageError, echo, echo_chunks
from pubman.cli.context import App
from pubman.config import CONFIG_NAME
from pubman.gcpause import collector_paused, keep_paused

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from pubman.formatting import Document, FormatOptions
    from pubman.formatting.document import Notice
    from pubman.store.bibliography import Bibliography
    from pubman.store.outputcache import Memo

_BACKENDS = ("markdown", "latex", "html", "text", "json", "terminal")
_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".tex": "latex",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".json": "json",
}
_MAX_WARNINGS = 20


def _check_output(output: str, to: str | None, app: App) -> None:
    """Refuse to write the list over a bibliography, a config, or to a file whose suffix
    names no format (unless --to says which)."""
    target = Path(output)
    suffix = target.suffix.lower()
    protected = [app.settings.bib_path, app.settings.config_path]
    if suffix in (".bib", ".toml") or any(
        p is not None
        and target.exists()
        and Path(p).exists()
        and target.resolve() == Path(p).resolve()
        for p in protected
    ):
        raise UsageError(
            f"refusing to write the list to {output}: it looks like your "
            "bibliography or config; choose another --output file"
        )
    if to is None and suffix not in _BY_SUFFIX:
        known = " ".join(sorted(_BY_SUFFIX))
        raise UsageError(
            f"--output {output}: unknown suffix {suffix or '(none)'}; use "
            f"one of {known}, or say the format with --to"
        )
    if to == "terminal":
        raise UsageError(
            "--to terminal is for the screen; choose markdown, latex, "
            "html, text or json with --output"
        )


def _backend(to: str | None, output: str | None) -> str:
    if to:
        return to
    if output:
        return _BY_SUFFIX.get(Path(output).suffix.lower(), "markdown")
    return "terminal" if sys.stdout.isatty() else "markdown"


def _warnings(warnings: Sequence[Notice], has_owner: bool) -> tuple[list[str], int]:
    """stderr lines about the owner, and how many entries lack him or have him twice."""
    if not has_owner:
        note = (
            "note: no owner configured, so no name is bold (set [owner] name in "
            "pubman.toml or pass --owner NAME before `format`)"
        )
        return [note], 0
    lines = [f"warning: {n.key} (line {n.line}): {n.message}" for n in warnings[:_MAX_WARNINGS]]
    if len(warnings) > _MAX_WARNINGS:
        lines.append(
            f"warning: ... and {len(warnings) - _MAX_WARNINGS} more entries with the "
            "same kind of problem (see `pubman check`)"
        )
    return lines, len(warnings)


def _standalone(doc: Document, backend: str, app: App, bib: Bibliography) -> str:
    """The whole page (html) or document (latex); the page shows each entry's own text and
    the citation counts ``pubman sync`` cached."""
    if backend == "latex":
        from pubman.formatting.backends import latex_document

        return latex_document(doc)
    from pubman.formatting.page import render_page
    from pubman.stats.counts import load_citation_counts

    texts = {item.key: bib.entry_text(item.key).strip() for item in doc.items}
    counts = load_citation_counts(app.settings.bib_path) or {}
    return render_page(doc, bibtex=texts, citations=counts)


def _print_csl(
    bib: Bibliography, options: FormatOptions, csl: str, backend: str, output: str | None, app: App
) -> None:
    """``--csl STYLE``: the list as citeproc-py renders it (see :mod:`pubman.export.csl`)."""
    from pubman.export.csl import csl_listing
    from pubman.venues import VenueTable

    if backend not in ("text", "markdown", "html", "terminal"):
        raise UsageError("--csl writes text, markdown or html; not --to " + backend)
    table = VenueTable.load(app.settings.venues)
    text = csl_listing(bib.entries.values(), table, options, csl, html=backend == "html")
    if output:
        from pubman.store.bibliography import atomic_write

        atomic_write(Path(output), text.encode("utf-8"), backup=False)
    else:
        echo(text, nl=False)


def _memo(values: dict[str, Any], app: App) -> Memo:
    """The output memo for this exact invocation (see :mod:`pubman.store.outputcache`)."""
    # Lazy: the memo's imports (json, its dataclass) are not needed with the memo off.
    from pubman.store.outputcache import Memo

    if app.config:
        candidates = [Path(app.config)]
    else:
        candidates = ([Path(app.bib).parent / CONFIG_NAME] if app.bib else []) + [Path(CONFIG_NAME)]
    params = [values, app.bib, app.config, list(app.owners), app.lenient]
    return Memo("format", params, candidates)


HELP = """Print the owner's publication list, numbered, the owner's name in bold.

The owner is recognised by name parts, not by string: initials, 'Last, First', LaTeX
accents and equal-contribution marks (*, $^*$, †) all match; aliases come from
[owner] aliases in pubman.toml or repeated --owner. Entries where no author, or more
than one, matches are reported on stderr. Web-style links come from the fields eprint
([arXiv]), pdf or a .pdf url ([PDF]), url ([paper]), doi ([DOI]), code/codeurl/github
([code]), slides/slidesurl ([slides]), poster, video, website, blog and --bibtex-url
([BibTeX]); the web title links to the paper. Defaults for every
option can be set in the [format] table of pubman.toml (style, order, group_by,
numbering, reverse_numbering, max_authors, bibtex_url, since, until, types, notes,
marks, owner_form). Notes and awards (note, _note, addendum, award, pubstate; set the
list with [format] notes) print after the venue. Marks come from biblatex annotations
(author+an = {1=equal; 3=student}) and [owner] advisees, with a legend line.
"""


def run(
    app: App,
    style: str | None,
    to: str | None,
    output: str | None,
    since: int | None,
    until: int | None,
    kinds: tuple[str, ...],
    group_by: str | None,
    numbering: str | None,
    order: str | None,
    reverse_numbering: bool | None,
    max_authors: int | None,
    bibtex_url: str | None,
    owner_form: str | None,
    standalone: bool,
    csl: str | None,
    strict: bool,
    params: dict[str, Any],
) -> int:
    memo = None
    if (
        not output
        and not standalone
        and not app.extra_bibs  # the memo knows one .bib (see the store below)
        and _backend(to, None) != "terminal"
        and os.environ.get("PUBMAN_NO_OUTPUT_CACHE", "") in ("", "0")
    ):
        memo = _memo(params, app)
        replay = memo.lookup()
        if replay is not None:
            for line in replay.stderr:
                echo(line, err=True)
            echo(replay.stdout, nl=False)
            return replay.code
    if output:
        _check_output(output, to, app)
    if standalone and _backend(to, output) not in ("html", "latex"):
        raise UsageError("--standalone needs --to html or --to latex (or a .html/.tex -o)")
    selection.check_years(since, until)
    # Lazy: ~30 ms of imports (formatting, venues) that a replayed memo above never needs.
    from pubman.formatting import FormatOptions, format_publications, render, stream_publications
    from pubman.formatting.backends import TEXT_BACKENDS
    from pubman.venues import VenueTable

    settings = app.settings
    where = str(settings.config_path) if settings.config_path else None
    configured = FormatOptions.from_config(settings.format, where)
    try:
        options = configured.with_overrides(
            style=style,
            since=since,
            until=until,
            kinds=frozenset(kinds) if kinds else None,
            group_by=group_by,
            numbering=numbering,
            order=order,
            reverse_numbering=reverse_numbering,
            max_authors=max_authors,
            bibtex_url=bibtex_url,
            owner_form=owner_form,
        )
    except ValueError as err:
        raise UsageError(str(err)) from None
    if not csl:  # citeproc makes reference cycles: a CSL list keeps the collector
        keep_paused()  # one build, printed, then the process ends: no collections
    bib = app.load_bib()
    if csl:
        _print_csl(bib, options, csl, _backend(to, output), output, app)
        return 0
    if standalone and group_by is None and "group_by" not in settings.format:
        options = options.with_overrides(group_by="year")  # a homepage has sections
    backend = _backend(to, output)
    table = VenueTable.load(settings.venues)
    display, advisees = settings.display or "", settings.advisees
    names = settings.owner_names
    text = None
    chunks: Iterator[str] | None = None
    if backend in TEXT_BACKENDS and not standalone:  # rendered item by item: no Document
        chunks, warnings = stream_publications(
            bib.entries.values(),
            options,
            names,
            table,
            to=backend,
            display=display,
            advisees=advisees,
        )
        if output or memo is not None:  # a file or the memo needs the page whole
            with collector_paused():
                text, chunks = "".join(chunks), None
    else:
        doc = format_publications(
            bib.entries.values(), options, names, table, display=display, advisees=advisees
        )
        warnings = doc.warnings
    notes_err: list[str] = []
    # entries that could not be parsed were already named by load_bib's warning
    others = [p for p in bib.problems if p.kind != "parse"]
    if others:
        notes_err.append(
            f"note: {len(others)} problem(s) in the .bib (e.g. line "
            f"{others[0].line}: {others[0].message}); run `pubman check`"
        )
    lines, problems = _warnings(warnings, bool(settings.owner_names))
    notes_err += lines
    for line in notes_err:
        echo(line, err=True)
    code = 1 if strict and problems else 0
    if output:
        from pubman.store.bibliography import atomic_write

        if text is None:
            text = _standalone(doc, backend, app, bib) if standalone else render(doc, backend)
        atomic_write(Path(output), text.encode("utf-8"), backup=False)
    elif backend == "terminal":
        from rich.console import Console

        from pubman.formatting.terminal import terminal_renderable

        Console().print(terminal_renderable(doc))
    elif chunks is not None:
        # straight to stdout as it is made: the page is never held whole (a 250k-entry list
        # is ~150 MB of text); its lists are short-lived, so no collections while it is made
        with collector_paused():
            echo_chunks(chunks)
    else:
        if text is None:
            text = _standalone(doc, backend, app, bib) if standalone else render(doc, backend)
        echo(text, nl=False)
        single = len(settings.bib_paths) < 2  # a memo watches one .bib file
        if memo is not None and single and not any(p.kind == "parse" for p in bib.problems):
            notes = [f"note: {n}" for n in settings.assumed]
            memo.store(
                text,
                notes + notes_err,
                code,
                [settings.bib_path, settings.config_path],
                known={Path(settings.bib_path): bib.fingerprint},
            )
    return code


command = Command(
    "format",
    run,
    HELP,
    params=True,
    options=[
        Option(
            "--style",
            convert=Choice("cv", "web"),
            help="cv: '[n] Title. A. Author, **O. Wner**. *Venue*, Year' (initials, venue "
            "short names, arXiv:ID for preprints). web: full names, bold title, "
            "venue and year, then links. Default: [format] style, else cv.",
        ),
        Option(
            "--to",
            convert=Choice(*_BACKENDS),
            help="Output format. Default: from the --output suffix (.md .tex .html .txt "
            ".json); else terminal when stdout is a terminal, markdown otherwise.",
        ),
        Option(
            "-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
        ),
        *selection.options(),
        Option(
            "--group-by",
            convert=Choice("none", "year", "type"),
            help="Sections by year or by kind (conference, journal, workshop, preprint, ...).",
        ),
        Option(
            "--numbering",
            convert=Choice("continuous", "per-group"),
            help="Number across sections (default) or restart in each section.",
        ),
        Option(
            "--order",
            convert=Choice("newest", "oldest"),
            help="newest (default): by year, newest first, file order within a year; "
            "oldest: the exact reverse.",
        ),
        Option(
            "--reverse-numbering",
            flag=True,
            default=None,  # not given: [format] reverse_numbering decides
            help="Count down: the first of N entries is N.",
        ),
        Option(
            "--max-authors",
            convert=Range(0),
            metavar="N",
            help="Show at most N authors, then 'et al.'; the owner stays visible "
            "('A. B, ..., **O. Wner**, ... et al.'). 0: all.",
        ),
        Option(
            "--bibtex-url",
            metavar="TEMPLATE",
            help="web style: add a [BibTeX] link to TEMPLATE with {key} replaced by the "
            "entry key, e.g. 'bibtex/{key}.bib'. Default: [format] bibtex_url; "
            "none: no [BibTeX] link.",
        ),
        Option(
            "--owner-form",
            convert=Choice("initials", "full", "as-written"),
            help="Print the owner in one form everywhere: initials ('H. Harutyunyan'), full "
            "(the [owner] name) or as each entry writes it. Default: [owner] display when set, "
            "else as written.",
        ),
        Option(
            "--standalone",
            flag=True,
            help="With --to html: a whole homepage page (heading, sections, link badges, "
            "citation counts, BibTeX toggles, a filter box; no external requests). With --to "
            "latex: a document that compiles with pdflatex.",
        ),
        Option(
            "--csl",
            metavar="STYLE",
            help="Render the list with a CSL style (a .csl file, e.g. APA or IEEE from the CSL "
            "styles repository) through citeproc-py (`pip install 'pubman[csl]'`); text, "
            "markdown or html.",
        ),
        Option(
            "--strict",
            flag=True,
            help="Exit 1 when an entry lacks the owner or has him twice (the list is still "
            "printed).",
        ),
    ],
)
