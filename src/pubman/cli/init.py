"""``pubman init``: write a commented pubman.toml, and an empty pubs.bib when there is none."""

from __future__ import annotations

import os
from pathlib import Path

from pubman.cli.args import Command, Option, echo
from pubman.cli.context import App


def run(app: App, name: str | None, force: bool) -> None:
    from pubman.config import CONFIG_NAME, DEFAULT_BIB, render_template
    from pubman.errors import ConfigError
    from pubman.store.bibliography import atomic_write

    bib = Path(app.bib) if app.bib else Path(DEFAULT_BIB)
    target = Path(app.config) if app.config else bib.parent / CONFIG_NAME
    if target.exists() and not force:
        raise ConfigError(
            "already exists",
            path=str(target),
            hint="pass --force to overwrite it (the old one is kept as .bak)",
        )
    owner = name or (app.owners[0] if app.owners else "Your Name")
    # bib is read relative to the config's folder, which --config may put elsewhere
    rel = os.path.relpath(os.path.abspath(bib), os.path.abspath(target.parent))
    bib_rel = Path(rel).as_posix()
    text = render_template(owner, bib_rel)
    atomic_write(target, text.encode("utf-8"), backup=True)
    echo(f"wrote {target}")
    if not bib.exists():
        atomic_write(bib, b"", backup=False)
        echo(f"wrote {bib} (empty; fill it with `pubman add ID` or `pubman sync`)")
    if owner == "Your Name":
        echo(f"next: put your name under [owner] in {target}")


command = Command(
    "init",
    run,
    "Write a commented pubman.toml (and an empty pubs.bib if there is none).",
    options=[
        Option("--name", metavar="NAME", help="Your name for [owner] name (default: --owner)."),
        Option("--force", flag=True, help="Overwrite an existing pubman.toml."),
    ],
)
