"""The command line's small toolkit on the standard library: declared options parsed by
:mod:`argparse`, the usage error every command raises, and the two ways a command talks to the
user (:func:`echo`, :func:`confirm`).

A command module declares ``command = Command(name, run, help, options=...)`` and ``run(app,
**values)`` gets each option under its ``dest``, converted and checked here (choices, ranges,
repeats), and returns the exit code (None: 0). Messages follow the ones users and tests know:
``Invalid value for '--type': 'x' is not one of ...``, ``No such option '--styl'. (Did you mean
'--style'?)``. argparse only splits the words; every check and message is here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = [
    "Abort",
    "Argument",
    "Choice",
    "Command",
    "Option",
    "Range",
    "UsageError",
    "bad_parameter",
    "confirm",
    "echo",
    "echo_chunks",
    "integer",
    "writable_file",
]


class UsageError(Exception):
    """A command line that cannot run: ``error: message`` and a hint, exit 2. ``command`` is
    the command it was given to (None: the global options); ``option`` the unknown option."""

    def __init__(self, message: str, command: str | None = None, option: str | None = None):
        super().__init__(message)
        self.message = message
        self.command = command
        self.option = option


class Abort(Exception):
    """The user declined a prompt or ended its input: nothing is written, exit 130."""


def bad_parameter(message: str, option: str) -> UsageError:
    """``Invalid value for --keep: message``: a value the command itself found wrong."""
    return UsageError(f"Invalid value for {option}: {message}")


_ANSI = r"\033\[[;?0-9]*[a-zA-Z]"
COLOR: bool | None = None  # True: keep ANSI sequences even off a terminal (tests that look)


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print ``message`` on stdout (stderr with ``err``) and flush. Off a terminal, ANSI
    colour sequences are dropped, as the command line always did."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    text = message + "\n" if nl else message
    if "\033" in text and not COLOR and not _isatty(stream):
        import re

        text = re.sub(_ANSI, "", text)
    stream.write(text)
    stream.flush()


def echo_chunks(chunks: Iterable[str], *, batch: int = 1 << 16) -> None:
    """:func:`echo` for text made piece by piece (a long list's lines): written as it comes in
    batches of about ``batch`` characters, so the whole text is never held at once."""
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= batch:
            echo("".join(pending), nl=False)
            pending, size = [], 0
    echo("".join(pending), nl=False)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def confirm(text: str, *, default: bool = False, err: bool = False) -> bool:
    """Ask ``text [y/N]:`` (``[Y/n]`` when ``default``) until the answer is yes, no or empty
    (the default). End of input or Ctrl-C raises :class:`Abort`."""
    prompt = f"{text} [{'Y/n' if default else 'y/N'}]: "
    while True:
        echo(prompt, err=err, nl=False)
        try:
            answer = input("").strip().lower()
        except (KeyboardInterrupt, EOFError):
            raise Abort() from None
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        if answer == "":
            return default
        echo("Error: invalid input", err=err)


# --- values ---------------------------------------------------------------------------------

Convert = Callable[[str, str], Any]  # (text, option name) -> value, or UsageError


def integer(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"Invalid value for '{name}': {text!r} is not a valid integer.") from None


def writable_file(text: str, name: str) -> str:
    """A file that may be written: not a folder; when it exists, writable."""
    import os

    problem = ""
    if os.path.isdir(text):
        problem = "is a directory"
    elif os.path.exists(text) and not os.access(text, os.W_OK):
        problem = "is not writable"
    if problem:
        raise UsageError(f"Invalid value for '{name}': File {text!r} {problem}.")
    return text


class Choice:
    """One of ``values``; the help shows them as ``[a|b|c]``."""

    def __init__(self, *values: str) -> None:
        self.values = values
        self.metavar = "[" + "|".join(values) + "]"
        self.note = ""

    def __call__(self, text: str, name: str) -> str:
        if text not in self.values:
            known = ", ".join(repr(v) for v in self.values)
            raise UsageError(f"Invalid value for '{name}': {text!r} is not one of {known}.")
        return text


class Range:
    """An int (or with ``real``, a float) within [``low``, ``high``] (None: unbounded)."""

    def __init__(
        self, low: float | None = None, high: float | None = None, *, real: bool = False
    ) -> None:
        self.low, self.high, self.real = low, high, real
        self.metavar = "FLOAT RANGE" if real else "INTEGER RANGE"
        if low is not None and high is not None:
            self.note = f"{low}<=x<={high}"
        else:
            self.note = f"x>={low}" if low is not None else f"x<={high}"

    def __call__(self, text: str, name: str) -> float:
        value: float
        if self.real:
            try:
                value = float(text)
            except ValueError:
                msg = f"{text!r} is not a valid float."
                raise UsageError(f"Invalid value for '{name}': {msg}") from None
        else:
            value = integer(text, name)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            msg = f"{value} is not in the range {self.note}."
            raise UsageError(f"Invalid value for '{name}': {msg}")
        return value


# --- declarations ---------------------------------------------------------------------------


_UNSET: Any = object()  # no default given: (), False or None by the kind of option


class Option:
    """``--name`` (and aliases): a ``flag`` (True when given; ``off`` names the flag that
    sets False), a value (``convert`` checks it), ``multiple`` (repeatable: a tuple) or
    ``nargs`` values at a time (with ``multiple``: a tuple of tuples)."""

    __slots__ = (
        "convert",
        "default",
        "dest",
        "flag",
        "help",
        "metavar",
        "multiple",
        "names",
        "nargs",
        "off",
        "show_default",
    )

    def __init__(
        self,
        *names: str,
        dest: str | None = None,
        help: str = "",
        metavar: str | None = None,
        flag: bool = False,
        off: str | None = None,
        multiple: bool = False,
        nargs: int = 1,
        convert: Convert | None = None,
        default: Any = _UNSET,
        show_default: bool = False,
    ) -> None:
        self.names = names
        self.dest = dest or max(names, key=len).lstrip("-").replace("-", "_")
        self.help, self.flag, self.off, self.multiple, self.nargs = help, flag, off, multiple, nargs
        self.convert, self.show_default = convert, show_default
        self.metavar = metavar or getattr(convert, "metavar", None) or "TEXT"
        if default is _UNSET:
            default = () if multiple else False if flag else None
        self.default = default

    def help_text(self) -> str:
        notes = []
        if self.show_default:
            shown = self.default
            if self.off is not None:
                shown = max(self.names, key=len).lstrip("-") if self.default else self.off[2:]
            notes.append(f"default: {shown}")
        if getattr(self.convert, "note", ""):
            notes.append(self.convert.note)  # type: ignore[union-attr]
        return self.help + (f"  [{'; '.join(notes)}]" if notes else "")

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        help_text = self.help_text().replace("%", "%%")
        if self.flag:
            if self.off:  # --chart / --no-chart
                on_off = argparse.BooleanOptionalAction
                parser.add_argument(*self.names, dest=self.dest, action=on_off, help=help_text)
            else:
                parser.add_argument(
                    *self.names, dest=self.dest, action="store_const", const=True, help=help_text
                )
            return
        parser.add_argument(
            *self.names,
            dest=self.dest,
            action="append" if self.multiple else "store",
            nargs=self.nargs if self.nargs > 1 else None,
            metavar=tuple(self.metavar.split()) if self.nargs > 1 else self.metavar,
            help=help_text,
        )

    def value(self, raw: Any) -> Any:
        if raw is None:
            return self.default
        if self.flag:
            return raw
        name = max(self.names, key=len)
        one = self.convert or (lambda text, _: text)
        if self.nargs > 1:
            raws = raw if self.multiple else [raw]
            values = tuple(tuple(one(t, name) for t in group) for group in raws)
            return values if self.multiple else values[0]
        if self.multiple:
            return tuple(one(t, name) for t in raw)
        return one(raw, name)


class Argument:
    """Positional words: a tuple; ``required``: at least one."""

    __slots__ = ("dest", "help", "metavar", "required")

    def __init__(self, dest: str, metavar: str, *, required: bool = False, help: str = ""):
        self.dest, self.metavar, self.required, self.help = dest, metavar, required, help


class Command:
    """One command: its options and positional words, its help, and ``run(app, **values)``.
    ``params``: ``run`` also gets every value as one dict (``params=``)."""

    __slots__ = ("arguments", "epilog", "help", "name", "options", "params", "run")

    def __init__(
        self,
        name: str,
        run: Callable[..., int | None],
        help: str,
        *,
        options: Sequence[Option] = (),
        arguments: Sequence[Argument] = (),
        epilog: str = "",
        params: bool = False,
    ) -> None:
        self.name, self.run, self.help, self.epilog, self.params = name, run, help, epilog, params
        self.options, self.arguments = tuple(options), tuple(arguments)

    def usage(self) -> str:
        words = "".join(f" {a.metavar}" for a in self.arguments)
        return f"pubman {self.name} [OPTIONS]{words}"

    def parser(self) -> argparse.ArgumentParser:
        parser = new_parser(self.usage(), self.help, self.epilog, self.name)
        for opt in self.options:
            opt.add_to(parser)
        add_help(parser)
        for arg in self.arguments:
            parser.add_argument(
                arg.dest, nargs="+" if arg.required else "*", metavar=arg.metavar, help=arg.help
            )
        return parser

    def parse(self, argv: list[str]) -> dict[str, Any]:
        """``argv`` (the words after the command) -> {dest: value}; UsageError when wrong."""
        if not argv and not any(a.required for a in self.arguments):
            # nothing to parse (`pubman check`): the defaults, without building a parser
            values = {opt.dest: opt.default for opt in self.options}
            return values | {arg.dest: () for arg in self.arguments}
        parser = self.parser()
        if self.arguments:
            raw, extra = parser.parse_known_intermixed_args(argv)
        else:
            raw, extra = parser.parse_known_args(argv)
        if extra:
            raise unknown(extra, [n for o in self.options for n in _names(o)], self.name)
        values = {opt.dest: opt.value(getattr(raw, opt.dest)) for opt in self.options}
        for arg in self.arguments:
            values[arg.dest] = tuple(getattr(raw, arg.dest) or ())
        return values


def _names(opt: Option) -> tuple[str, ...]:
    return (*opt.names, opt.off) if opt.off else opt.names


def unknown(extra: list[str], names: list[str], command: str | None) -> UsageError:
    """The error for words no option or argument took: an unknown option (with the closest
    names), else unexpected arguments."""
    options = [w for w in extra if w.startswith("-") and w != "-"]
    if not options:
        s = "s" if len(extra) > 1 else ""
        return UsageError(f"Got unexpected extra argument{s} ({' '.join(extra)})", command)
    name = options[0].split("=", 1)[0]
    from difflib import get_close_matches  # only on this error path

    near = sorted(get_close_matches(name, [*names, "--help"]))
    if len(near) == 1:
        hint = f" (Did you mean {near[0]!r}?)"
    else:
        hint = f" (Did you mean one of: {', '.join(repr(n) for n in near)}?)" if near else ""
    return UsageError(f"No such option {name!r}.{hint}", command, name)


# --- argparse, made to speak like the rest of pubman ------------------------------------------


class _Parser(argparse.ArgumentParser):
    command: str | None = None

    def format_help(self) -> str:
        _measure()
        return super().format_help()

    def format_usage(self) -> str:
        _measure()
        return super().format_usage()

    def error(self, message: str) -> Any:  # argparse's own complaints, said our way
        raise UsageError(_reworded(message), self.command)


def _reworded(message: str) -> str:
    head, _, rest = message.partition(": ")
    names = head.removeprefix("argument ").split("/")
    name = next((n for n in names if n.startswith("--")), names[-1])
    if rest == "expected one argument":
        return f"Option {name!r} requires an argument."
    if rest.startswith("expected ") and rest.endswith(" arguments"):
        return f"Option {name!r} requires {rest[9:-10]} arguments."
    if rest.startswith("ignored explicit argument"):
        return f"Option {name!r} does not take a value."
    if head == "the following arguments are required":
        return f"Missing argument {rest.split(', ')[0]!r}."
    return message[0].upper() + message[1:]


_WIDTH: list[int] = []  # the help's width, once known


def _measure() -> None:
    """The help's width: the terminal's, 50 to 78 columns."""
    if not _WIDTH:
        import shutil

        _WIDTH.append(max(min(shutil.get_terminal_size().columns, 80) - 2, 50))


class _Formatter(argparse.HelpFormatter):
    """click's layout: ``Usage:``, paragraphs rewrapped and indented (a paragraph starting
    with ``\\b`` kept exactly as written), options in a two-column list."""

    def __init__(self, prog: str) -> None:
        # argparse makes a formatter for every add_argument too, where the width is unused:
        # the terminal is asked (and shutil, ~12M instructions, imported) only for a help
        super().__init__(prog, max_help_position=34, width=_WIDTH[0] if _WIDTH else 78)

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Usage: " if prefix is None else prefix)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        out = []
        for para in text.split("\n\n"):
            if para.startswith("\b\n"):
                out.append(para[2:].rstrip("\n"))
            else:
                words = " ".join(para.split())
                out.append(textwrap.fill(words, width, initial_indent="  ", subsequent_indent="  "))
        return "\n\n".join(out)


def new_parser(
    usage: str, description: str, epilog: str = "", command: str | None = None
) -> argparse.ArgumentParser:
    """A parser with pubman's usage line, help layout and error wording (add the options,
    then :func:`add_help`)."""
    parser = _Parser(
        prog="pubman" + (f" {command}" if command else ""),
        usage=usage,
        description=description,
        epilog=epilog or None,
        formatter_class=_Formatter,
        add_help=False,
        allow_abbrev=False,
    )
    parser.command = command
    parser._optionals.title = "Options"
    parser._positionals.title = "Arguments"
    return parser


def add_help(parser: argparse.ArgumentParser) -> None:
    """``-h/--help``, listed last as click did."""
    parser.add_argument("-h", "--help", action="help", help="Show this message and exit.")
