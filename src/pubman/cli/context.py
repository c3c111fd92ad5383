"""What every command gets: :class:`App` (global options, settings, the loaded bibliography)
which :mod:`pubman.cli.app` passes to each command's ``run``. Commands import this module, never :mod:`pubman.cli.app`, so the app
(which loads commands by name) and the commands do not import each other.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pubman.cli import richsafe
from pubman.cli.args import echo
from pubman.config import Settings, load_settings
from pubman.errors import BibFileError
from pubman.gcpause import end_startup

if TYPE_CHECKING:
    from pubman.store.bibliography import Bibliography


class App:
    """Global options, resolved lazily into settings.

    A plain class, not a dataclass: ``import dataclasses`` (and the class it would build) is
    start-up work every command paid for (~5M instructions of a cold ``pubman format``)."""

    __slots__ = (
        "_settings",
        "bib",
        "config",
        "debug",
        "encoding",
        "extra_bibs",
        "lenient",
        "owners",
    )

    def __init__(
        self,
        bib: str | None = None,
        config: str | None = None,
        owners: tuple[str, ...] = (),
        debug: bool = False,
        lenient: bool = False,
        encoding: str | None = None,
        extra_bibs: tuple[str, ...] = (),  # --bib given more than once: the files after the first
        _settings: Settings | None = None,
    ) -> None:
        self.bib = bib
        self.config = config
        self.owners = owners
        self.debug = debug
        self.lenient = lenient
        self.encoding = encoding
        self.extra_bibs = extra_bibs
        self._settings = _settings

    def _fields(self) -> tuple[object, ...]:
        return (
            self.bib,
            self.config,
            self.owners,
            self.debug,
            self.lenient,
            self.encoding,
            self.extra_bibs,
        )

    def __repr__(self) -> str:
        names = ("bib", "config", "owners", "debug", "lenient", "encoding", "extra_bibs")
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._fields()))
        return f"App({shown})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, App):
            return NotImplemented
        return self._fields() == other._fields() and self._settings == other._settings

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            bibs = (self.bib, *self.extra_bibs) if self.bib else None
            self._settings = load_settings(bib=bibs, config=self.config, owners=self.owners)
            for note in self._settings.assumed:
                echo(f"note: {note}", err=True)
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
            echo(
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
            echo(
                f"warning: {path}:{broken[0].line}: {broken[0].message}{more}; skipped "
                "(`pubman check` lists every problem)",
                err=True,
            )
        if not allow_empty and not bib.entries:
            raise BibFileError(
                "has no entries", path=path, hint="add some with `pubman add ID` or `pubman sync`"
            )
        return bib


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
