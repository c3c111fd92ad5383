"""Getting entries out of pubman: a subset as verbatim BibTeX, one file per entry, CSL-JSON.

- :mod:`pubman.export.select`: which entries (``format``'s filters, explicit keys,
  al-folio's ``selected = {true}``), in file order.
- :mod:`pubman.export.bibtex`: each entry's exact text, the ``@string`` macros it uses, and
  ``--split`` files named by :func:`pubman.export.bibtex.split_name`.
- :mod:`pubman.export.csl`: CSL-JSON items and citeproc-py rendering.

Nothing here prints; only :func:`pubman.export.bibtex.write_split` writes files. This package
imports nothing at import time, so :mod:`pubman.formatting` can use ``split_name``.
"""
