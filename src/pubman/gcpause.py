"""Pause Python's cyclic garbage collector while a large, acyclic structure is built.

Loading a file, deriving Work views, blocking and scoring dedup candidates and building a
formatted list each create hundreds of thousands of objects that all stay alive and hold no
reference cycles. Every full collection during such a build walks all of them for nothing:
40% of ``format`` and of dedup's CPU time on the 24,571-entry dblp bench file (measured).
Reference counting still frees everything at once; cycles made during a pause are collected
after it. The collector is left as it was found (a caller that disabled it keeps it disabled).
Use as ``with collector_paused():`` or as the decorator ``@collector_paused()``.

The command line's start-up is such a build too: importing argparse and pubman's modules
makes tens of thousands of modules, classes and functions that live until the process exits, and
collections while they are made cost ~9% of a cold ``pubman format`` (CPU, measured).
:func:`pause_startup` (the ``pubman`` entry points, before anything is imported) stops the
collector until :func:`end_startup` (when a command has read its bibliography), which
freezes what start-up and the loaded file made (``gc.freeze``: later collections never walk it again) and turns
the collector back on, unless the command asked with :func:`keep_paused` to run without
collections to its end. Importing pubman as a library leaves the collector alone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused", "end_startup", "keep_paused", "pause_startup", "release"]

_STARTUP: list[bool] = []  # holds True while pause_startup's pause lasts
_KEEP: list[bool] = []  # holds True when end_startup is to leave the collector off


@contextmanager
def collector_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def pause_startup() -> None:
    """No collections until :func:`end_startup` (if the collector is on; else nothing)."""
    if gc.isenabled() and not _STARTUP:
        gc.disable()
        _STARTUP.append(True)


def end_startup() -> None:
    """End :func:`pause_startup`'s pause: freeze the objects made so far and collect again.
    The CLI calls it once its bibliography is loaded: that data lives until the short-lived
    process ends, so no collection needs to walk it again (without the freeze, the first full
    collection after ``format`` of the 24,568-entry dblp bench file cost 0.3-0.5 s CPU).
    Does nothing when no start-up pause is on, so it is safe to call more than once."""
    if _STARTUP:
        _STARTUP.clear()
        gc.freeze()
        if not _KEEP:
            gc.enable()


def release() -> None:
    """End whatever pause the start-up began (:func:`pause_startup`, :func:`keep_paused`):
    for a process that goes on after the command (the CLI called in-process with another
    thread alive, or a command that ended before it loaded a file)."""
    if _STARTUP or _KEEP:
        _STARTUP.clear()
        _KEEP.clear()
        gc.enable()


def keep_paused() -> None:
    """For a command that, once its file is loaded, builds one large result, prints it and
    ends (``format``, ``dedup``, ``stats``, ``check``): when :func:`pause_startup`'s pause is
    on, :func:`end_startup` still freezes but leaves the collector off until the process
    exits. What such a command builds holds no cycles worth collecting, and the collection
    that would follow the build walks only the memos it leaves behind, which live until the
    exit anyway (0.13 s of the 1.3 s of ``format --style cv`` on the 24,568-entry dblp bench
    file, measured). Does nothing when no start-up pause is on (pubman imported as a
    library, or its CLI run in-process), so the collector of a longer-lived process is never
    left off."""
    if _STARTUP:
        _KEEP.append(True)
