"""The entry filters ``format`` and ``export`` share: ``--since``, ``--until`` and ``--type``
(declared once, so both commands say and check the same), and the check that the years make
a range."""

from __future__ import annotations

from pubman.cli.args import Choice, Option, UsageError, integer
from pubman.model import VENUE_KINDS

__all__ = ["KINDS", "check_years", "options"]

KINDS = VENUE_KINDS  # the venue kinds a user can select, in their order


def options(type_help: str = "Only this kind of venue (repeatable).") -> list[Option]:
    """``--since YEAR``, ``--until YEAR`` and repeatable ``--type KIND`` (dest ``kinds``)."""
    return [
        Option("--since", convert=integer, metavar="YEAR", help="Only entries from YEAR on."),
        Option("--until", convert=integer, metavar="YEAR", help="Only entries up to YEAR."),
        Option("--type", dest="kinds", convert=Choice(*KINDS), multiple=True, help=type_help),
    ]


def check_years(since: int | None, until: int | None) -> None:
    """A usage error when ``--since`` is after ``--until``."""
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
