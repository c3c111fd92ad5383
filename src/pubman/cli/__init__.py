"""The command line: :mod:`pubman.cli.app` (global options, command loading, error printing),
:mod:`pubman.cli.args` (declared options on argparse, echo, confirm), :mod:`pubman.cli.context`
(what every command gets) and one module per command (wiring only). Nothing outside ``cli``
imports it.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> None:
    """The ``pubman`` console script (and ``python -m pubman``): the app, then a quick exit."""
    # Imported here, not at the top, so that a command importing pubman.cli.context does not
    # load the app (which loads commands): the package itself imports nothing.
    from pubman.gcpause import pause_startup

    pause_startup()  # no collections while the app and the command are imported
    from pubman.cli.app import main as run
    from pubman.cli.quickexit import quick_exit

    try:
        run(argv)
    except SystemExit as done:
        quick_exit(done.code)
    quick_exit(0)
