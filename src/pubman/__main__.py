"""``python -m pubman``."""

from pubman.gcpause import pause_startup

pause_startup()  # before the imports below: see pubman.gcpause

from pubman.cli.app import main

main()
