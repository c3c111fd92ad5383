"""One module per CLI command; each defines ``command`` (a click command) and stays thin:
it reads flags, calls the library, and prints. Imported lazily by :mod:`pubman.cli`."""
