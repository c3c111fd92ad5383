"""``python -m pubman``: the console script's :func:`pubman.cli.main`."""

from pubman.cli import main

main()
