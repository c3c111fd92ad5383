"""``pubman add ID...``: add entries by arXiv id, DOI or Semantic Scholar paper id.

Goes through the same path as ``pubman sync`` (one S2 batch request, one arXiv request per
100 ids, the same planner): an identifier whose paper is already in the file fills and
upgrades that entry instead of adding a duplicate. All or nothing: when any identifier is
unknown to both sources, nothing is written.
"""

from __future__ import annotations

import json

from pubman.cli.args import Argument, Command, Option, echo
from pubman.cli.context import App
from pubman.cli.sync import ENV_HELP, timeout_options

HELP = """Add papers by identifier: arXiv:2507.10524, 2507.10524v2, an arxiv.org URL, a DOI or
doi.org URL, a Semantic Scholar paper id or URL, CorpusId:N. The key follows the file's
own key style; the entry goes where the file's order puts it."""


def run(
    app: App,
    identifiers: tuple[str, ...],
    dry_run: bool,
    as_json_: bool,
    explain: bool,
    refresh: bool,
    offline: bool,
    timeout: float | None,
    read_timeout: float | None,
) -> None:
    from pubman.cli.sync import as_json, fetching, report
    from pubman.sync.run import parse_identifier, run_add
    from pubman.venues import VenueTable

    for ident in identifiers:
        parse_identifier(ident)  # reject typos before any request
    settings = app.settings
    app.load_bib(
        allow_empty=True, writes=True
    )  # stop before any request if the file has broken entries
    venues = VenueTable.load(settings.venues or None)
    bounds = {"timeout": timeout, "read_timeout": read_timeout}
    with fetching(settings, quiet=as_json_, refresh=refresh, offline=offline, **bounds) as clients:
        result = run_add(
            settings.bib_paths or (settings.bib_path,),
            clients,
            list(identifiers),
            owner_names=settings.owner_names,
            venues=venues,
            write=not dry_run,
            encoding=app.encoding or settings.encoding,
            add_to=settings.add_to,
        )
    if as_json_:
        echo(json.dumps(as_json(result, explain), indent=2, ensure_ascii=False))
        return
    for d in result.plan.decisions:
        if d.verdict == "note":
            echo(f"note: {d.subject}: {d.detail}", err=True)
    for new in result.plan.added:
        echo(f"added {new.key}: {new.work.label()}")
    for key in result.plan.matched:
        echo(f"already in the file as {key}")
    report(result, explain=explain, dry_run=dry_run, check=False, bib=app.bib_labels)


command = Command(
    "add",
    run,
    HELP,
    epilog=ENV_HELP,
    arguments=[Argument("identifiers", "ID...", required=True, help="The papers to add.")],
    options=[
        Option("--dry-run", flag=True, help="Show the diff of the .bib; write nothing."),
        Option("--json", dest="as_json_", flag=True, help="Print the result as JSON."),
        Option("--explain", flag=True, help="Show how each paper was matched or keyed."),
        Option("--refresh", flag=True, help="Ignore cached answers (they are refreshed)."),
        Option("--offline", flag=True, help="Use cached answers only; no network."),
        *timeout_options(),
    ],
)
