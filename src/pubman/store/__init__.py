"""The lossless .bib store: scan, the Bibliography, edits, atomic write, lock, caches and side files."""
