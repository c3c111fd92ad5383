"""pubman's command line run in this process, as the console script runs it: ``main(argv)``
with stdout and stderr captured, stdin empty (not a terminal) unless given. Errors are printed
by ``main`` as users see them (``error: ...``, exit 1 or 2); an unexpected exception is its
``internal error`` line and exit 1."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple


class Result(NamedTuple):
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """stdout then stderr, as a person at a terminal reads them (roughly)."""
        return self.stdout + self.stderr


@contextmanager
def _environ(env: dict[str, str] | None) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_cli(
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    stdin: str = "",
    color: bool = False,
) -> Result:
    """``pubman ARGS``: (exit code, stdout, stderr). ``color``: keep ANSI sequences in what
    the command line echoes (a terminal's view) although the output is captured."""
    from pubman.cli import args as cliargs
    from pubman.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr, cliargs.COLOR
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    cliargs.COLOR = color or None
    code = 0
    try:
        with _environ(env):
            main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr, cliargs.COLOR = saved
    return Result(code, out.getvalue(), err.getvalue())
