"""Remote bibliographic sources: Semantic Scholar and arXiv.

``http`` is the only module here (and in pubman) that talks to the network; ``semanticscholar``
and ``arxiv`` pair pure parsers over response bytes with thin clients built on ``http``;
``remote`` holds the :class:`~pubman.sources.remote.RemotePaper` record both produce.
Importing this package imports no third-party HTTP library.
"""
