"""``pubman check``: every problem in the file with file:line; exit 1 when there are any."""

from __future__ import annotations

import json

from pubman.cli.args import Command, Option, echo
from pubman.cli.context import App
from pubman.gcpause import keep_paused
from pubman.model import Problem

HELP = """Report parse failures, duplicate keys, missing required fields, suspicious names and
entries whose authors do not include the owner. Exit 0 when clean, 1 otherwise. With
--venues, also list the venue strings the venue table could not resolve (not problems)."""


def run(app: App, as_json: bool, no_owner: bool, list_venues: bool) -> int:
    from pubman import checks

    keep_paused()  # one build, printed, then the process ends: no collections
    bib = app.load_bib(allow_empty=True, allow_broken=True)
    matcher = None
    if not no_owner and app.settings.owner_names:
        from pubman.text.names import OwnerMatcher

        matcher = OwnerMatcher(app.settings.owner_names)
    problems = checks.check(bib.entries.values(), bib.problems, matcher)
    path = app.bib_labels
    if not bib.entries and not bib.problems:
        problems.append(Problem(1, "empty", "the file has no entries", severity="warning"))
    where = [(path, p) for p in problems]
    several = hasattr(bib, "locate")
    if several:  # several .bib files: each problem is in one of them
        where = bib.locate(problems)
        problems = [p for _, p in where]
        path = ", ".join(dict.fromkeys(name for name, _ in where)) or path
    unknown = _unresolved(app, bib) if list_venues else None
    if as_json:
        data: dict[str, object] = {
            "file": path,
            "problems": [p._asdict() | ({"file": name} if several else {}) for name, p in where],
        }
        if unknown is not None:
            data["unresolved_venues"] = [
                {"venue": v, "entries": n, "line": line} for v, n, line in unknown
            ]
        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return 1 if problems else 0
    if unknown is not None:
        _print_unresolved(path, unknown)
    if problems:
        _print_table(path, where)
    else:
        owner = "" if matcher else " (owner check skipped: no owner configured)"
        echo(f"{path}: {len(bib.entries)} entries, no problems{owner}")
    return 1 if problems else 0


def _unresolved(app: App, bib: object) -> list[tuple[str, int, int]]:
    from pubman.venues import VenueTable, unresolved

    table = VenueTable.load(app.settings.venues or None)
    return unresolved(bib.entries.values(), table)  # type: ignore[attr-defined]


def _print_unresolved(path: str, unknown: list[tuple[str, int, int]]) -> None:
    if not unknown:
        echo(f"{path}: every venue is in the venue table")
        return
    echo(f"{len(unknown)} venue string(s) in {path} not in the venue table:")
    from pubman.text.controls import strip_controls

    for venue, n, line in unknown:
        echo(f"  {path}:{line}  {n:3}x  {strip_controls(venue)}")
    echo("add the ones you want counted as one venue under [venues.<short>] in pubman.toml")


# Above this many problems a table costs seconds to lay out (8,000 rows: 9 s) and is no easier
# to read than one ``file:line: kind: message`` line each, which editors also jump to.
_TABLE_ROWS = 200


def _print_table(path: str, problems: list[tuple[str, Problem]]) -> None:
    """``problems``: (file, Problem) pairs."""
    if len(problems) > _TABLE_ROWS:
        echo(f"{len(problems)} problem(s) in {path}:")
        for name, p in problems:
            echo(f"{name}:{p.line}: {p.kind}: {p.message}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(problems)} problem(s) in {path}", title_justify="left")
    table.add_column("where", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("problem")
    for name, p in problems:
        table.add_row(f"{name}:{p.line}", p.kind, p.message)
    Console(soft_wrap=False).print(table)


command = Command(
    "check",
    run,
    HELP,
    options=[
        Option("--json", dest="as_json", flag=True, help="Print the problems as JSON."),
        Option("--no-owner", flag=True, help="Skip the owner-among-authors check."),
        Option(
            "--venues",
            dest="list_venues",
            flag=True,
            help="Also list venue strings the table does not know.",
        ),
    ],
)
