"""``pubman export``: the chosen entries as verbatim BibTeX, one .bib per entry, or CSL-JSON.

Thin: flags -> :func:`pubman.export.select_entries` -> a writer in :mod:`pubman.export`.
Prints on stdout, or writes ``--output`` / ``--split DIR`` atomically; never touches the .bib.
"""

from __future__ import annotations

import json
from pathlib import Path

from pubman.cli import selection
from pubman.cli.args import Argument, Choice, Command, Option, UsageError, echo
from pubman.cli.context import App


def _check_target(output: str | None, split: str | None, to: str, app: App) -> None:
    """Refuse to write over the bibliography or the config, and --split with CSL-JSON."""
    if split and to != "bibtex":
        raise UsageError("--split writes .bib files; use it with --to bibtex")
    if split and output:
        raise UsageError("--split DIR and --output FILE do not go together; choose one")
    protected = [app.settings.bib_path, app.settings.config_path]
    for target in (output,):
        if target and any(
            p is not None and Path(target).resolve() == Path(p).resolve() for p in protected
        ):
            raise UsageError(
                f"refusing to write the export to {target}: it is your bibliography or "
                "config; choose another --output file"
            )


HELP = """Export entries (all, the KEYs given, or those the filters keep), in file order.

The filters are format's: --type, --since, --until, plus --selected and explicit keys.
Nothing in the .bib changes.
"""


def run(
    app: App,
    keys: tuple[str, ...],
    to: str,
    output: str | None,
    split: str | None,
    since: int | None,
    until: int | None,
    kinds: tuple[str, ...],
    selected: bool,
) -> None:
    _check_target(output, split, to, app)
    selection.check_years(since, until)
    from pubman.export.select import select_entries
    from pubman.formatting import FormatOptions
    from pubman.venues import VenueTable

    bib = app.load_bib()
    table = VenueTable.load(app.settings.venues)
    options = FormatOptions(since=since, until=until, kinds=frozenset(kinds))
    entries = select_entries(bib.entries.values(), table, options, keys=keys, selected=selected)
    if not entries:
        echo("note: no entries match; nothing exported", err=True)
    if split:
        from pubman.export.bibtex import split_files, write_split

        written = write_split(split_files(bib, entries), Path(split))
        echo(f"wrote {len(written)} file(s) to {split}", err=True)
        return
    if to == "bibtex":
        from pubman.export.bibtex import export_bibtex

        text = export_bibtex(bib, entries)
    else:
        from pubman.export.csl import csl_items

        text = json.dumps(csl_items(entries, table), indent=2, ensure_ascii=False) + "\n"
    if output:
        from pubman.store.bibliography import atomic_write

        atomic_write(Path(output), text.encode("utf-8"), backup=False)
        echo(f"wrote {len(entries)} entries to {output}", err=True)
    else:
        echo(text, nl=False)


command = Command(
    "export",
    run,
    HELP,
    arguments=[Argument("keys", "[KEY]...", help="Only these entries.")],
    options=[
        Option(
            "--to",
            convert=Choice("bibtex", "csl-json"),
            default="bibtex",
            show_default=True,
            help="bibtex: each entry's exact text, with the @string macros it uses. csl-json: "
            "CSL data for Pandoc, Zotero and citeproc.",
        ),
        Option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout."),
        Option(
            "--split",
            metavar="DIR",
            help="Write one KEY.bib per entry into DIR (what `format --bibtex-url` links to); "
            "characters of a key other than letters, digits, '.', '_' and '-' become '_'.",
        ),
        *selection.options("Only this kind of venue (repeatable), as in `format`."),
        Option("--selected", flag=True, help="Only entries marked selected = {true} (al-folio)."),
    ],
)
