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
from typing import TYPE_CHECKING

from pubman import __version__
from pubman.cli.args import Abort, Option, UsageError, echo
from pubman.cli.context import App
from pubman.errors import PubmanError

if TYPE_CHECKING:
    import argparse

    from pubman.cli.args import Command

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

DESCRIPTION = "pubman keeps your publication list: one BibTeX file, never clobbered."

# the options that go before the command
GLOBALS = (
    Option(
        "--bib",
        dest="bibs",
        metavar="PATH",
        multiple=True,
        help="The .bib file (default: from pubman.toml, else ./pubs.bib); repeat it to read "
        "several files as one list.",
    ),
    Option(
        "--owner",
        dest="owners",
        metavar="NAME",
        multiple=True,
        help="Whose list this is; repeat for aliases. Overrides the config.",
    ),
    Option("--config", metavar="PATH", help="pubman.toml to use."),
    Option(
        "--lenient",
        flag=True,
        help="Let sync and add write although some entries cannot be parsed (they are kept as "
        "they are). Read commands always skip them with a warning.",
    ),
    Option(
        "--encoding",
        metavar="NAME",
        help="The .bib's encoding when it is not UTF-8 and has no BOM (e.g. latin-1, cp1252, "
        "gbk); default: from pubman.toml, else guessed.",
    ),
    Option("--debug", flag=True, help="Show tracebacks on errors."),
)
GLOBAL_OPTIONS = tuple(opt.names[0] for opt in GLOBALS)
_TAKES_VALUE = frozenset(opt.names[0] for opt in GLOBALS if not opt.flag)


def load_command(name: str) -> Command:
    """The command ``name``, its module imported now (not before: see the module doc)."""
    module = importlib.import_module(f"pubman.cli.{name}")
    cmd: Command = module.command
    return cmd


def global_parser() -> argparse.ArgumentParser:
    """The parser of the options before the command (and of ``pubman --help``)."""

    from pubman.cli.args import add_help, new_parser

    width = max(len(n) for n in COMMANDS) + 2
    listing = "\n".join(f"  {n:<{width}}{text}" for n, text in COMMANDS.items())
    parser = new_parser(
        "pubman [OPTIONS] COMMAND [ARGS]...",
        DESCRIPTION,
        f"\b\nCommands:\n{listing}",
    )
    for opt in GLOBALS:
        opt.add_to(parser)
    parser.add_argument("-V", "--version", action="store_true", help="Show the version and exit.")
    add_help(parser)
    return parser


def _split(args: list[str]) -> tuple[list[str], str | None, list[str]]:
    """``args`` -> (global options, command, the command's words)."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        if args[i] == "--":
            i += 1
            break
        i += 2 if args[i] in _TAKES_VALUE else 1
    if i >= len(args):
        return args, None, []
    return args[:i], args[i], args[i + 1 :]


def _app(words: list[str]) -> App:
    """The global options (``--help``, ``--version`` print and exit here)."""
    if not words:
        return App()
    from pubman.cli.args import unknown

    parser = global_parser()
    given, extra = parser.parse_known_args(words)
    if given.version:
        echo(f"pubman, version {__version__}")
        sys.exit(0)
    if extra:
        raise unknown(extra, [*GLOBAL_OPTIONS, "--version"], None)
    values = {opt.dest: opt.value(getattr(given, opt.dest)) for opt in GLOBALS}
    bibs = values.pop("bibs")
    return App(bib=bibs[0] if bibs else None, extra_bibs=bibs[1:], **values)


def run(args: list[str]) -> int | None:
    """Parse ``args`` and run the command; its exit code."""
    if not args:  # bare `pubman`: the help, not an error
        global_parser().print_help()
        return 0
    before, name, words = _split(args)
    app = _app(before)
    if name is None:
        raise UsageError("Missing command.")
    if name not in COMMANDS:
        from difflib import get_close_matches

        near = get_close_matches(name, list(COMMANDS), n=1)
        hint = f" (Did you mean {near[0]!r}?)" if near else ""
        raise UsageError(f"No such command {name!r}.{hint}")
    cmd = load_command(name)
    try:
        values = cmd.parse(words)
        if cmd.params:
            values["params"] = dict(values)
        return cmd.run(app, **values)
    except UsageError as err:
        err.command = err.command or name  # its hint names the command's --help
        raise


def _usage_hint(err: UsageError) -> str:
    """The way out of a usage error: global options go before the command; else --help."""
    path = f"pubman {err.command}" if err.command else "pubman"
    option = err.option
    if option in GLOBAL_OPTIONS and err.command:
        return (
            f"{option} is a global option: put it before the command, e.g. "
            f"`pubman {option} ... {err.command}`"
        )
    return f"see `{path} --help`"


def _fail(message: str, hint: str | None, code: int, as_json: bool) -> None:
    """The one error printer: ``error:`` and the way out on stderr; with ``--json`` also
    ``{"error": {"message", "hint", "exit"}}`` on stdout, for scripts. Exits ``code``."""
    from pubman.text.controls import strip_controls  # data quoted in a message: no escapes

    message, hint = strip_controls(message), hint and strip_controls(hint)
    echo(f"error: {message}", err=True)
    if hint:
        echo(f"  {hint}", err=True)
    if as_json:
        import json

        error = {"message": message, "hint": hint, "exit": code}
        echo(json.dumps({"error": error}, ensure_ascii=False))
    sys.exit(code)


def _wants_json(args: list[str]) -> bool:
    """``--json`` (check, dedup, sync, add) or ``stats --format json``: errors as JSON too."""
    from itertools import pairwise

    pairs = pairwise(args)
    return "--json" in args or "--format=json" in args or ("--format", "json") in pairs


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into one line and an exit code."""
    args = list(argv if argv is not None else sys.argv[1:])
    debug = "--debug" in args
    as_json = _wants_json(args)
    try:
        rv = run(args)
    except Abort:
        echo("aborted; nothing was written", err=True)
        sys.exit(130)
    except UsageError as err:
        message = err.message
        if err.option in GLOBAL_OPTIONS and err.command:
            message = f"No such option '{err.option}' after the command."
        _fail(message, _usage_hint(err), 2, as_json)
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
