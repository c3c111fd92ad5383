"""The command line: global options, lazy command loading, and the one place errors are printed.

Each command lives in ``pubman.cli.<name>`` and is imported only when it runs, so
``pubman --version`` and ``pubman format`` do not pay for requests or rapidfuzz. Every
:class:`~pubman.errors.PubmanError` becomes one ``error: ...`` line on stderr and exit 1
(``--debug`` shows the traceback); usage errors exit 2.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import Any

import click

from pubman import __version__
from pubman.errors import PubmanError

COMMANDS = {
    "init": "write a commented pubman.toml (and an empty pubs.bib)",
    "check": "report every problem in the bibliography, with file:line",
    "format": "print the publication list for a CV, a homepage or the terminal",
    "sync": "fill and extend the bibliography from Semantic Scholar and arXiv",
    "add": "add entries by arXiv id, DOI or Semantic Scholar id",
    "dedup": "find (and merge) the same work entered twice",
    "stats": "count publications by venue, year and kind",
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


@dataclass
class App:
    """What every command gets: global options, resolved lazily into settings."""

    bib: str | None = None
    config: str | None = None
    owners: tuple[str, ...] = ()
    debug: bool = False
    lenient: bool = False
    _settings: Any = field(default=None, repr=False)

    @property
    def settings(self) -> Any:
        if self._settings is None:
            from pubman.config import load_settings

            self._settings = load_settings(bib=self.bib, config=self.config, owners=self.owners)
            for note in self._settings.assumed:
                click.echo(f"note: {note}", err=True)
        return self._settings

    @property
    def bib_label(self) -> str:
        """The bib's path as a user would type it: relative when under the current folder."""
        import os

        path = str(self.settings.bib_path)
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path
        return path if rel.startswith("..") else rel

    def load_bib(self, *, allow_empty: bool = False, allow_broken: bool = False) -> Any:
        """The bibliography named by the settings.

        Empty files are refused unless ``allow_empty``; a file with entries that cannot be
        parsed is refused unless ``allow_broken`` or ``--lenient`` (then they are skipped with
        a warning; they stay in the file untouched either way).
        """
        from pubman.errors import BibFileError
        from pubman.store import bibliography as bibstore

        path = self.bib_label
        try:
            bib = bibstore.load(path)
        except BibFileError as err:
            if self.bib is None and self.settings.config_path is not None and err.hint:
                err.hint += f" (the path comes from `bib` in {self.settings.config_path})"
            raise
        broken = [p for p in bib.problems if p.kind == "parse"]
        if broken and not allow_broken:
            if not self.lenient:
                more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
                raise BibFileError(
                    broken[0].message + more,
                    path=path,
                    line=broken[0].line,
                    hint="fix it (`pubman check` lists every problem), or run "
                    "`pubman --lenient ...` to skip broken entries",
                )
            for p in broken:
                click.echo(f"warning: {path}:{p.line}: {p.message}", err=True)
        if not allow_empty and not bib.entries:
            raise BibFileError(
                "has no entries", path=path, hint="add some with `pubman add ID` or `pubman sync`"
            )
        return bib


pass_app = click.make_pass_decorator(App)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--bib", metavar="PATH", help="The .bib file (default: from pubman.toml, else ./pubs.bib)."
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
    help="Skip entries that cannot be parsed (with a warning) instead of stopping.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(__version__, "-V", "--version", prog_name="pubman")
@click.pass_context
def cli(
    ctx: click.Context,
    bib: str | None,
    owners: tuple[str, ...],
    config: str | None,
    lenient: bool,
    debug: bool,
) -> None:
    """pubman keeps your publication list: one BibTeX file, never clobbered."""
    ctx.obj = App(bib=bib, config=config, owners=owners, debug=debug, lenient=lenient)


GLOBAL_OPTIONS = ("--bib", "--owner", "--config", "--lenient", "--debug")


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


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into one line and an exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
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
        click.echo(f"error: {message}", err=True)
        click.echo(f"  {_usage_hint(err)}", err=True)
        sys.exit(err.exit_code)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except PubmanError as err:
        if debug:
            raise
        click.echo(f"error: {err.message}", err=True)
        if err.hint:
            click.echo(f"  {err.hint}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was written", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as err:  # a bug: say so in one line, keep the traceback for --debug
        if debug:
            raise
        click.echo(
            f"error: internal error: {type(err).__name__}: {err} (run with --debug "
            "and report it; nothing was written)",
            err=True,
        )
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)
