"""``pubman sync``: fill and extend the bibliography from Semantic Scholar and arXiv.

A thin command: flags, environment, progress and printing. The work is in
:mod:`pubman.sync.run` (pipeline) and :mod:`pubman.sync.plan` (planning). ``pubman add`` reuses
:func:`make_clients` and :func:`report` from here.

The HTTP client is built, and the environment read, by :mod:`pubman.sources.clients`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from pubman.cli.args import Command, Option, Range, UsageError, confirm, echo
from pubman.cli.context import App, label
from pubman.cli.progress import Progress, deadline_alarm
from pubman.config import CONFIG_NAME, Settings, save_owner_ids
from pubman.errors import ConfigError
from pubman.sources.clients import DEFAULT_TIMEOUT, Clients, build_clients
from pubman.sources.httpdata import ProgressEvent

if TYPE_CHECKING:
    from pubman.sync.run import Result


def prefer_source(settings: Settings) -> bool:
    """``[sync] prefer``: "file" (the default: values you wrote win) or "source"."""
    prefer: object = settings.sync.get("prefer", "file")
    if prefer not in ("file", "source"):
        raise ConfigError(
            f'[sync] prefer must be "file" or "source", not {prefer!r}',
            path=str(settings.config_path) if settings.config_path else None,
            hint='"file" keeps what you wrote (the default); "source" lets the APIs\' '
            "values replace it",
        )
    return prefer == "source"


def make_clients(
    settings: Settings,
    *,
    refresh: bool,
    offline: bool,
    progress: Callable[[ProgressEvent], None] | None = None,
    read_timeout: float | None = None,
    timeout: float | None = None,
) -> Clients:
    """:func:`pubman.sources.clients.build_clients`, once the flags agree with each other."""
    if refresh and offline:
        raise UsageError("--refresh and --offline exclude each other")
    return build_clients(
        settings,
        refresh=refresh,
        offline=offline,
        progress=progress,
        read_timeout=read_timeout,
        timeout=timeout,
    )


DAMAGED_HINT = (
    "the answer was damaged or not what the API documents; try again later "
    "(--refresh asks anew); nothing was written"
)


@contextmanager
def source_hints(progress: Progress | None = None) -> Iterator[None]:
    """Give every source failure a hint saying what to do, when the source gave none; a
    deadline also says what had arrived."""
    from pubman.errors import SourceError
    from pubman.sources.retry import DeadlineError

    try:
        yield
    except SourceError as err:
        if isinstance(err, DeadlineError) and progress is not None:
            err.message += f"; got {progress.got()} before it"
        if not err.hint:
            err.hint = DAMAGED_HINT
        raise


def _plain(value: str, limit: int = 70) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


def as_json(result: Result, explain: bool) -> dict[str, Any]:
    p = result.plan
    out: dict[str, Any] = {
        "added": [a.key for a in p.added],
        "updated": [{"key": k, "fields": f} for k, f in p.updated],
        "upgraded": p.upgraded,
        "conflicts": [
            {
                "key": c.key,
                "field": c.field,
                "yours": c.yours,
                "theirs": c.theirs,
                "reason": c.reason,
            }
            for c in p.conflicts
        ],
        "suggestions": [
            {
                "key": c.key,
                "field": c.field,
                "yours": c.yours,
                "theirs": c.theirs,
                "apply_with": c.apply_with,
            }
            for c in p.suggestions
        ],
        "unchanged": p.unchanged,
        "requests": {
            "semanticscholar": result.requests.get("semanticscholar", 0),
            "arxiv": result.requests.get("arxiv", 0),
        },
        "written": result.written,
        "written_files": [label(p) for p in result.written_files],
        "author_ids": result.author_ids,
    }
    if explain:
        out["decisions"] = [
            {"subject": d.subject, "verdict": d.verdict, "detail": d.detail} for d in p.decisions
        ]
    return out


def _summary(result: Result) -> None:
    from rich.console import Console
    from rich.table import Table

    p = result.plan
    table = Table(title="sync summary", title_justify="left")
    table.add_column("", no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("entries")
    filled = p.updated
    rows = [
        ("added", len(p.added), ", ".join(a.key for a in p.added)),
        ("filled", len(filled), ", ".join(f"{k} ({', '.join(f)})" for k, f in filled)),
        ("upgraded", len(p.upgraded), ", ".join(p.upgraded)),
        (
            "conflicts",
            len(p.edited_conflicts),
            ", ".join(f"{c.key}.{c.field}" for c in p.edited_conflicts),
        ),
        ("suggested", len(p.suggestions), ", ".join(f"{c.key}.{c.field}" for c in p.suggestions)),
        ("unchanged", len(p.unchanged), ""),
    ]
    for name, n, keys in rows:
        table.add_row(name, str(n), keys)
    Console(soft_wrap=True).print(table)
    if p.suggestions:
        how = " or ".join(sorted({c.apply_with for c in p.suggestions}))
        echo(
            f"suggested: kept {len(p.suggestions)} value(s) you wrote that the sources write "
            f"differently (--explain shows each and what applies it: {how})"
        )


def report(result: Result, *, explain: bool, dry_run: bool, check: bool, bib: str) -> None:
    """Print explanations, the diff (dry run), the summary and conflicts to stdout. ``bib``
    names the file(s) as the user would (comma-separated when several)."""
    p = result.plan
    if explain:
        for d in p.decisions:
            echo(f"{d.verdict:<10} {d.subject}: {d.detail}")
        echo()
    if dry_run and result.before != result.after:
        from pubman.cli.diff import unified

        for path, before, after in result.files:
            if before != after:
                echo(unified(before, after, label(path), "after sync"))
    _summary(result)
    for c in p.edited_conflicts:
        echo(
            f"conflict {c.key}.{c.field}: kept yours {_plain(c.yours)!r}; the source "
            f"says {_plain(c.theirs)!r}"
        )
    n = sum(result.requests.values())
    asked = f"{n} request{'s' if n != 1 else ''}"
    if check:
        echo("changes pending" if p.pending else "up to date")
    elif dry_run:
        echo("dry run: nothing written")
    elif result.written:
        echo(f"wrote {', '.join(label(f) for f in result.written_files)} ({asked})")
    else:
        echo(f"{bib} {'are' if ', ' in bib else 'is'} up to date ({asked})")


def _real_s2(url: str) -> bool:
    """True when ``url`` is Semantic Scholar's own API, not a replay server or a proxy: only
    then may a prompt's default save an author id found there."""
    from urllib.parse import urlsplit

    from pubman.config import S2_API_URL

    return urlsplit(url).netloc.lower() == urlsplit(S2_API_URL).netloc


def _offer_save(app: App, result: Result, save: bool, interactive: bool, writing: bool) -> None:
    choice = result.choice
    if choice is None:
        return
    echo(f"note: using Semantic Scholar profile {choice.reason}", err=True)
    settings = app.settings
    path = settings.config_path or settings.bib_path.with_name(CONFIG_NAME)
    if not writing:
        echo(
            "  not saved: --dry-run and --check write nothing"
            if save
            else "  run `pubman sync --save-author-id` to remember it in pubman.toml",
            err=True,
        )
        return
    if not save and interactive:
        real = _real_s2(settings.s2_api_url)
        where = "" if real else f" (found at {settings.s2_api_url}, not Semantic Scholar itself)"
        save = confirm(
            f"Save semantic_scholar_ids = {choice.ids} to {path}{where}?", default=real, err=True
        )
    if not save:
        echo("  run with --save-author-id to remember it in pubman.toml", err=True)
        return
    path = save_owner_ids(settings, choice.ids)
    echo(f"saved semantic_scholar_ids to {path}", err=True)


ENV_HELP = """\b
  Environment:
    S2_API_KEY                    Semantic Scholar API key (never printed or stored)
    PUBMAN_S2_API_URL, PUBMAN_ARXIV_API_URL   API base URLs (e.g. a replay server)
    PUBMAN_CACHE_DIR              HTTP cache folder (default: the user cache dir)
    PUBMAN_HTTP_PACING            seconds between requests to one host
    PUBMAN_HTTP_BACKOFF           first retry delay, seconds (doubles, with jitter)
    PUBMAN_HTTP_RETRIES           attempts per request (default 6; 3 when the network fails)
    PUBMAN_HTTP_TIMEOUT           read timeout, seconds (default 15; --read-timeout wins)
    PUBMAN_HTTP_RETRY_AFTER_CAP   longest Retry-After honoured, seconds (default 120)
"""


def timeout_options() -> list[Option]:
    """--timeout and --read-timeout, shared by sync and add."""
    return [
        Option(
            "--timeout",
            convert=Range(0, real=True),
            metavar="SECONDS",
            help=f"Stop the whole run after this long, writing nothing (default "
            f"{DEFAULT_TIMEOUT:g}; [sync] timeout; 0 = no limit).",
        ),
        Option(
            "--read-timeout",
            convert=Range(0.1, real=True),
            metavar="SECONDS",
            help="Give up on a silent connection after this long (default 15; [sync] "
            "read_timeout).",
        ),
    ]


@contextmanager
def fetching(
    settings: Settings,
    *,
    quiet: bool,
    refresh: bool,
    offline: bool,
    timeout: float | None,
    read_timeout: float | None,
) -> Iterator[Clients]:
    """The clients, with progress shown and the deadline enforced, closed afterwards."""
    progress = Progress(sys.stderr.isatty() and not quiet, notes=not quiet)
    with progress, source_hints(progress):
        clients = make_clients(
            settings,
            refresh=refresh,
            offline=offline,
            progress=progress,
            read_timeout=read_timeout,
            timeout=timeout,
        )
        try:
            with deadline_alarm(clients.http.deadline.seconds, progress):
                yield clients
        finally:
            clients.http.close()


HELP = """Fill missing DOIs, arXiv ids, venues and pages, upgrade preprints that were published,
and add your papers that are missing, from Semantic Scholar and arXiv. Values you wrote
are never changed: where a source writes them differently (full names for initials,
another casing or venue) that is a suggestion, applied only with --expand-names or
[sync] prefer = "source"."""


def run(
    app: App,
    dry_run: bool,
    check: bool,
    as_json_: bool,
    explain: bool,
    no_add: bool,
    expand_names: bool,
    refresh: bool,
    offline: bool,
    timeout: float | None,
    read_timeout: float | None,
    author_ids: tuple[str, ...],
    save_author_id: bool,
) -> int:
    from pubman.sync.run import run_sync
    from pubman.venues import VenueTable

    settings = app.settings
    ids = list(author_ids) or list(settings.semantic_scholar_ids)
    if not ids and not settings.owner_names:
        echo(
            "note: no owner configured: only enriching existing entries (set [owner] "
            "name or semantic_scholar_ids in pubman.toml to add missing papers)",
            err=True,
        )
    app.load_bib(
        allow_empty=True, writes=True
    )  # stop before any request if the file has broken entries
    venues = VenueTable.load(settings.venues or None)
    prefer = prefer_source(settings)
    bounds = {"timeout": timeout, "read_timeout": read_timeout}
    with fetching(settings, quiet=as_json_, refresh=refresh, offline=offline, **bounds) as clients:
        result = run_sync(
            settings.bib_paths or (settings.bib_path,),
            clients,
            owner_names=settings.owner_names,
            author_ids=ids,
            arxiv_query=settings.arxiv_query,
            add_missing=bool(settings.sync.get("add_missing", True)) and not no_add,
            expand_names=expand_names,
            prefer_source=prefer,
            venues=venues,
            write=not (dry_run or check),
            encoding=app.encoding or settings.encoding,
            add_to=settings.add_to,
        )
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not (as_json_ or dry_run or check)
    _offer_save(app, result, save_author_id, interactive, not (dry_run or check))
    if as_json_:
        echo(json.dumps(as_json(result, explain), indent=2, ensure_ascii=False))
    else:
        report(result, explain=explain, dry_run=dry_run, check=check, bib=app.bib_labels)
    return 1 if check and result.plan.pending else 0


command = Command(
    "sync",
    run,
    HELP,
    epilog=ENV_HELP,
    options=[
        Option("--dry-run", flag=True, help="Show the diff of the .bib; write nothing."),
        Option("--check", flag=True, help="Write nothing; exit 1 when changes are pending."),
        Option("--json", dest="as_json_", flag=True, help="Print the result as JSON."),
        Option("--explain", flag=True, help="Show every match, fill, skip and suggestion."),
        Option("--no-add", flag=True, help="Fill and upgrade entries; add none."),
        Option(
            "--expand-names",
            flag=True,
            help="Spell out initials-only author names the sources know in full.",
        ),
        Option("--refresh", flag=True, help="Ignore cached answers (they are refreshed)."),
        Option("--offline", flag=True, help="Use cached answers only; no network."),
        *timeout_options(),
        Option(
            "--author-id",
            dest="author_ids",
            multiple=True,
            metavar="ID",
            help="Semantic Scholar author id(s) to use instead of the config's.",
        ),
        Option(
            "--save-author-id",
            flag=True,
            help="When the profile was found by name, save its id in pubman.toml.",
        ),
    ],
)
