"""The command line: :mod:`pubman.cli.app` plus one module per command (wiring only)."""

from pubman.cli.app import App, cli, main, pass_app

__all__ = ["App", "cli", "main", "pass_app"]
