"""What every command gets: :class:`App` (global options, settings, the loaded bibliography)
and :func:`pass_app`. Commands import this module, never :mod:`pubman.cli.app`, so the app
(which loads commands by name) and the commands do not import each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from pubman.cli import richsafe
from pubman.config import Settings, load_settings
from pubman.errors import BibFileError
from pubman.gcpause import end_startup

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
    extra_bibs: tuple[str, ...] = ()  # --bib given more than once: the files after the first
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            bibs = (self.bib, *self.extra_bibs) if self.bib else None
            self._settings = load_settings(bib=bibs, config=self.config, owners=self.owners)
            for note in self._settings.assumed:
                click.echo(f"note: {note}", err=True)
        return self._settings

    @property
    def bib_label(self) -> str:
        """The bib's path as a user would type it: relative when under the current folder."""
        return _label(self.settings.bib_path)

    @property
    def bib_labels(self) -> str:
        """Every .bib file's label, comma-separated (one file: :attr:`bib_label`)."""
        return ", ".join(_label(p) for p in self.settings.bib_paths or (self.settings.bib_path,))

    def load_bib(
        self,
        *,
        allow_empty: bool = False,
        allow_broken: bool = False,
        writes: bool = False,
    ) -> Bibliography:
        """The bibliography named by the settings, in its declared or detected encoding.

        Empty files are refused unless ``allow_empty``. Entries that cannot be parsed stay in
        the file untouched; a reading command skips them with one warning, a command that
        ``writes`` (sync, add) is refused unless ``allow_broken`` or ``--lenient``. Several
        files (``bib = [...]``, ``--bib`` repeated) give their union
        (:mod:`pubman.store.multi`): edits go to the file that holds the entry, new entries
        to ``add_to`` (``save`` writes only the files that changed).
        """
        if len(self.settings.bib_paths) > 1:
            return self._load_union(allow_empty, allow_broken, writes)
        return self._load_one(self.bib_label, allow_empty, allow_broken, writes)

    def _load_union(self, allow_empty: bool, allow_broken: bool, writes: bool) -> Bibliography:
        """Several files as one list (:mod:`pubman.store.multi`)."""
        from pubman.store.multi import BibliographyUnion, index_of

        settings = self.settings
        labels = [_label(p) for p in settings.bib_paths]
        parts = [self._load_one(label, True, allow_broken, writes) for label in labels]
        union = BibliographyUnion(parts, add_to=index_of(settings.bib_paths, settings.add_to))
        if not allow_empty and not union.entries:
            raise BibFileError(
                "none of these files has entries",
                path=", ".join(labels),
                hint="add some with `pubman add ID`",
            )
        return union  # type: ignore[return-value]  # the same reading and editing API

    def _load_one(
        self, path: str, allow_empty: bool, allow_broken: bool, writes: bool
    ) -> Bibliography:
        # Lazy: the scanner costs ~15 ms of imports, which `pubman format` replaying its
        # output memo (and `pubman --help`) never needs.
        from pubman.store import bibliography as bibstore

        richsafe.install()
        try:
            bib = bibstore.load(path, encoding=self.encoding or self.settings.encoding)
        except BibFileError as err:
            if self.bib is None and self.settings.config_path is not None and err.hint:
                err.hint += f" (the path comes from `bib` in {self.settings.config_path})"
            raise
        finally:
            end_startup()  # imports and the loaded file are frozen; the rest gets the collector
        if bib.encoding_guessed:
            click.echo(
                f"note: {path} is not UTF-8; read as {bib.encoding} (a guess: if accents look "
                f'wrong, declare it, e.g. `encoding = "iso8859-2"` in pubman.toml)',
                err=True,
            )
        broken = [p for p in bib.problems if p.kind == "parse"]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        stop = writes and not self.lenient or not (bib.entries or allow_empty)
        if broken and stop and not allow_broken:
            raise BibFileError(
                broken[0].message + more,
                path=path,
                line=broken[0].line,
                hint="fix it (`pubman check` lists every problem)"
                + (", or run `pubman --lenient ...` to write around it" if writes else ""),
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


def label(path: os.PathLike[str] | str) -> str:
    """A path as a user would type it: relative when under the current folder."""
    return _label(path)


def _label(path: os.PathLike[str] | str) -> str:
    """A path as a user would type it: relative when under the current folder."""
    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel
