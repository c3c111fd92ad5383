"""``pubman check``: every problem in the file with file:line; exit 1 when there are any."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from pubman.cli.context import App, pass_app


@click.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--no-owner", is_flag=True, help="Skip the owner-among-authors check.")
@pass_app
@click.pass_context
def command(ctx: click.Context, app: App, as_json: bool, no_owner: bool) -> None:
    """Report parse failures, duplicate keys, missing required fields, suspicious names and
    entries whose authors do not include the owner. Exit 0 when clean, 1 otherwise."""
    from pubman import checks

    bib = app.load_bib(allow_empty=True, allow_broken=True)
    matcher = None
    if not no_owner and app.settings.owner_names:
        from pubman.text.names import OwnerMatcher

        matcher = OwnerMatcher(app.settings.owner_names)
    problems = checks.check(bib.entries.values(), bib.problems, matcher)
    path = app.bib_label
    if not bib.entries and not bib.problems:
        from pubman.model import Problem

        problems.append(Problem(1, "empty", "the file has no entries", severity="warning"))
    if as_json:
        click.echo(
            json.dumps(
                {"file": path, "problems": [asdict(p) for p in problems]},
                indent=2,
                ensure_ascii=False,
            )
        )
    elif problems:
        _print_table(path, problems)
    else:
        owner = "" if matcher else " (owner check skipped: no owner configured)"
        click.echo(f"{path}: {len(bib.entries)} entries, no problems{owner}")
    ctx.exit(1 if problems else 0)


def _print_table(path: str, problems: list) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(problems)} problem(s) in {path}", title_justify="left")
    table.add_column("where", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("problem")
    for p in problems:
        table.add_row(f"{path}:{p.line}", p.kind, p.message)
    Console(soft_wrap=False).print(table)
