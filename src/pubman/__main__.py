"""``python -m pubman``."""

from pubman.cli.app import main

main()
