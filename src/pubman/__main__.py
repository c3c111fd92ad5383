"""``python -m pubman``."""

from pubman.cli import main

main()
