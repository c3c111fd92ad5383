"""What every command gets: :class:`App` (global options, settings, the loaded bibliography)
and :func:`pass_app`. Commands import this module, never :mod:`pubman.cli.app`, so the app
(which loads commands by name) and the commands do not import each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from pubman.config import Settings, load_settings
from pubman.errors import BibFileError

if TYPE_CHECKING:
    from pubman.store.bibliography import Bibliography


@dataclass
class App:
    """Global options, resolved lazily into settings."""

    bib: str | None = None
    config: str | None = None
    owners: tuple[str, ...] = ()
    debug: bool = False
    lenient: bool = False
    encoding: str | None = None
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(bib=self.bib, config=self.config, owners=self.owners)
            for note in self._settings.assumed:
                click.echo(f"note: {note}", err=True)
        return self._settings

    @property
    def bib_label(self) -> str:
        """The bib's path as a user would type it: relative when under the current folder."""
        path = str(self.settings.bib_path)
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path
        return path if rel.startswith("..") else rel

    def load_bib(
        self, *, allow_empty: bool = False, allow_broken: bool = False, writes: bool = False
    ) -> Bibliography:
        """The bibliography named by the settings, in its declared or detected encoding.

        Empty files are refused unless ``allow_empty``. Entries that cannot be parsed stay in
        the file untouched; a reading command skips them with one warning, a command that
        ``writes`` (sync, add) is refused unless ``allow_broken`` or ``--lenient``.
        """
        # Lazy: the scanner costs ~15 ms of imports, which `pubman format` replaying its
        # output memo (and `pubman --help`) never needs.
        from pubman.store import bibliography as bibstore

        _sanitise_rich()
        path = self.bib_label
        try:
            bib = bibstore.load(path, encoding=self.encoding or self.settings.encoding)
        except BibFileError as err:
            if self.bib is None and self.settings.config_path is not None and err.hint:
                err.hint += f" (the path comes from `bib` in {self.settings.config_path})"
            raise
        broken = [p for p in bib.problems if p.kind == "parse"]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        stop = writes and not self.lenient or not (bib.entries or allow_empty)
        if broken and stop and not allow_broken:
            raise BibFileError(
                broken[0].message + more,
                path=path,
                line=broken[0].line,
                hint="fix it (`pubman check` lists every problem), or run "
                "`pubman --lenient ...` to write around broken entries",
            )
        if broken and not allow_broken:
            click.echo(
                f"warning: {path}:{broken[0].line}: {broken[0].message}{more}; skipped "
                "(`pubman check` lists every problem)",
                err=True,
            )
        if not allow_empty and not bib.entries:
            raise BibFileError(
                "has no entries", path=path, hint="add some with `pubman add ID` or `pubman sync`"
            )
        return bib


pass_app = click.make_pass_decorator(App)


def _sanitise_rich() -> None:
    """Every rich Text (tables of dedup, check, stats, the terminal list) drops escape
    sequences and control characters from .bib data, not only the few rich itself drops:
    an OSC 52 or clear-screen in a title must not reach the terminal."""
    import rich.text

    from pubman.text.controls import strip_controls

    rich.text.strip_control_codes = strip_controls  # type: ignore[assignment]
