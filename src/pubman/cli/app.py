"""The command line: global options, lazy command loading, and the one place errors are printed.

Each command lives in ``pubman.cli.<name>`` and is imported only when it runs, so
``pubman --version`` and ``pubman format`` do not pay for requests or rapidfuzz; commands get
:class:`~pubman.cli.context.App` from :mod:`pubman.cli.context`, never from here, so this
module and the commands do not import each other. Every
:class:`~pubman.errors.PubmanError` becomes one ``error: ...`` line on stderr and exit 1
(``--debug`` shows the traceback); usage errors exit 2.
"""

from __future__ import annotations

import importlib
import sys

import click

from pubman import __version__
from pubman.cli.context import App
from pubman.errors import PubmanError

COMMANDS = {
    "init": "write a commented pubman.toml (and an empty pubs.bib)",
    "check": "report every problem in the bibliography, with file:line",
    "format": "print the publication list for a CV, a homepage or the terminal",
    "sync": "fill and extend the bibliography from Semantic Scholar and arXiv",
    "add": "add entries by arXiv id, DOI or Semantic Scholar id",
    "dedup": "find (and merge) the same work entered twice",
    "stats": "count publications by venue, year and kind",
    "export": "write entries out as verbatim BibTeX, one .bib per entry, or CSL-JSON",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command is invoked or asked for help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"pubman.cli.{name}")
        cmd: click.Command = module.command
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(list(COMMANDS.items()))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--bib",
    "bibs",
    metavar="PATH",
    multiple=True,
    help="The .bib file (default: from pubman.toml, else ./pubs.bib); repeat it to read "
    "several files as one list.",
)
@click.option(
    "--owner",
    "owners",
    metavar="NAME",
    multiple=True,
    help="Whose list this is; repeat for aliases. Overrides the config.",
)
@click.option("--config", metavar="PATH", help="pubman.toml to use.")
@click.option(
    "--lenient",
    is_flag=True,
    help="Let sync and add write although some entries cannot be parsed (they are kept as "
    "they are). Read commands always skip them with a warning.",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="The .bib's encoding when it is not UTF-8 and has no BOM (e.g. latin-1, cp1252, "
    "gbk); default: from pubman.toml, else guessed.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(__version__, "-V", "--version", prog_name="pubman")
@click.pass_context
def cli(
    ctx: click.Context,
    bibs: tuple[str, ...],
    owners: tuple[str, ...],
    config: str | None,
    lenient: bool,
    encoding: str | None,
    debug: bool,
) -> None:
    """pubman keeps your publication list: one BibTeX file, never clobbered."""
    ctx.obj = App(
        bib=bibs[0] if bibs else None,
        extra_bibs=bibs[1:],
        config=config,
        owners=owners,
        debug=debug,
        lenient=lenient,
        encoding=encoding,
    )


GLOBAL_OPTIONS = ("--bib", "--owner", "--config", "--lenient", "--encoding", "--debug")


def _usage_hint(err: click.UsageError) -> str:
    """The way out of a usage error: global options go before the command; else --help."""
    path = err.ctx.command_path if err.ctx is not None else "pubman"
    option = getattr(err, "option_name", None)
    if isinstance(err, click.NoSuchOption) and option in GLOBAL_OPTIONS and path != "pubman":
        command = path.split()[-1]
        return (
            f"{option} is a global option: put it before the command, e.g. "
            f"`pubman {option} ... {command}`"
        )
    return f"see `{path} --help`"


def _fail(message: str, hint: str | None, code: int, as_json: bool) -> None:
    """The one error printer: ``error:`` and the way out on stderr; with ``--json`` also
    ``{"error": {"message", "hint", "exit"}}`` on stdout, for scripts. Exits ``code``."""
    from pubman.text.controls import strip_controls  # data quoted in a message: no escapes

    message, hint = strip_controls(message), hint and strip_controls(hint)
    click.echo(f"error: {message}", err=True)
    if hint:
        click.echo(f"  {hint}", err=True)
    if as_json:
        import json

        error = {"message": message, "hint": hint, "exit": code}
        click.echo(json.dumps({"error": error}, ensure_ascii=False))
    sys.exit(code)


def _wants_json(args: list[str]) -> bool:
    """``--json`` (check, dedup, sync, add) or ``stats --format json``: errors as JSON too."""
    from itertools import pairwise

    pairs = pairwise(args)
    return "--json" in args or "--format=json" in args or ("--format", "json") in pairs


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into one line and an exit code."""
    args = argv if argv is not None else sys.argv[1:]
    debug = "--debug" in args
    as_json = _wants_json(args)
    try:
        rv = cli.main(args=argv, prog_name="pubman", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted; nothing was written", err=True)
        sys.exit(130)
    except click.UsageError as err:
        no_args = getattr(click.exceptions, "NoArgsIsHelpError", ())
        if no_args and isinstance(err, no_args):  # bare `pubman`: the help, not an error
            click.echo(err.format_message())
            sys.exit(0)
        message = err.format_message()
        if isinstance(err, click.NoSuchOption) and err.option_name in GLOBAL_OPTIONS:
            message = f"No such option '{err.option_name}' after the command."
        _fail(message, _usage_hint(err), err.exit_code, as_json)
    except click.ClickException as err:
        if not as_json:
            err.show()
            sys.exit(err.exit_code)
        _fail(err.format_message(), None, err.exit_code, as_json)
    except PubmanError as err:
        if debug:
            raise
        _fail(err.message, err.hint, 1, as_json)
    except KeyboardInterrupt:
        _fail("interrupted", "nothing was written", 130, as_json)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as err:  # a bug: say so in one line, keep the traceback for --debug
        if debug:
            raise
        _fail(
            f"internal error: {type(err).__name__}: {err} (run with --debug "
            "and report it; nothing was written)",
            None,
            1,
            as_json,
        )
    sys.exit(rv if isinstance(rv, int) else 0)
