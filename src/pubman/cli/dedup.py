"""``pubman dedup``: list the same work entered twice, merge it, record "not a duplicate"
verdicts, or check another file against the bibliography.

Exit codes: 0 no duplicates (or all merged), 1 duplicates found (or, with ``--against``, entries
of the other file already present), 2 usage. Verdicts are kept by :mod:`pubman.store.verdicts`;
the logic is in :mod:`pubman.dedup.groups` and :mod:`pubman.dedup.merge`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pubman.cli.args import Command, Option, Range, UsageError, bad_parameter, confirm, echo
from pubman.cli.context import App
from pubman.gcpause import keep_paused
from pubman.store.verdicts import add_verdicts, load_verdicts, verdicts_path

if TYPE_CHECKING:
    from pubman.dedup.groups import Group, Match
    from pubman.dedup.merge import MergePlan
    from pubman.model import Entry
    from pubman.store.bibliography import Bibliography


HELP = """Find entries that are the same work: shared DOI, arXiv id or Semantic Scholar id, or
near-equal titles with agreeing authors and years. Each group says why. Exit 1 when there
are duplicates, 0 when there are none."""


def run(
    app: App,
    as_json: bool,
    threshold: float | None,
    apply_: bool,
    keeps: tuple[str, ...],
    yes: bool,
    dry_run: bool,
    verdicts: tuple[tuple[str, str], ...],
    against: str | None,
) -> int:
    from pubman.dedup.groups import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if keeps and not apply_:
        raise UsageError("--keep only makes sense with --apply")
    if dry_run and not apply_:
        raise UsageError("--dry-run only makes sense with --apply")
    if against and (apply_ or verdicts):
        raise UsageError(
            "--against reports only; it cannot be combined with --apply or --not-duplicate"
        )
    keep_paused()  # one build, printed, then the process ends: no collections
    bib = app.load_bib()
    state = verdicts_path(app.settings.bib_path)
    if verdicts:
        return _record(bib, state, verdicts, as_json)
    if against:
        return _against(bib, against, threshold, as_json)
    from pubman.dedup.groups import find_duplicates

    groups = find_duplicates(
        bib.entries.values(), threshold=threshold, not_duplicates=load_verdicts(state)
    )
    if apply_:
        return _apply(bib, groups, keeps, yes or dry_run, as_json, dry_run, app.bib_label)
    if as_json:
        echo(json.dumps({"groups": [g.to_json() for g in groups]}, indent=2, ensure_ascii=False))
    else:
        _print_groups(bib, groups, app.bib_label)
    return 1 if groups else 0


# ------------------------------------------------------------------------------------ verdicts
def _record(
    bib: Bibliography, state: Path, verdicts: tuple[tuple[str, str], ...], as_json: bool
) -> int:
    for pair in verdicts:
        missing = [k for k in pair if k not in bib.entries]
        if missing:
            raise bad_parameter(
                f"no entry with key {', '.join(map(repr, missing))}", "--not-duplicate"
            )
        if pair[0] == pair[1]:
            raise bad_parameter("give two different keys", "--not-duplicate")
    add_verdicts(state, verdicts)
    if as_json:
        echo(json.dumps({"recorded": [list(p) for p in verdicts], "file": str(state)}))
    else:
        for a, b in verdicts:
            echo(f"recorded: {a} and {b} are different works (in {state})")
    return 0


# ------------------------------------------------------------------------------------ --against
def _against(bib: Bibliography, other_path: str, threshold: float, as_json: bool) -> int:
    from pubman.dedup.groups import find_matches
    from pubman.store import bibliography as bibstore

    other = bibstore.load(other_path)
    matches = find_matches(bib.entries.values(), other.entries.values(), threshold=threshold)
    present = {m.other for m in matches}
    new = [k for k in other.entries if k not in present]
    if as_json:
        echo(
            json.dumps(
                {"matches": [m.to_json() for m in matches], "new": new},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        _print_matches(other_path, matches, new, len(other.entries))
    return 1 if matches else 0


def _print_matches(other_path: str, matches: list[Match], new: list[str], total: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    if matches:
        table = Table(
            title=f"{len(matches)} of {total} entries of {other_path} are already in "
            "the bibliography",
            title_justify="left",
        )
        for column in ("in " + Path(other_path).name, "already as", "score", "why"):
            table.add_column(column, overflow="fold")
        for m in matches:
            table.add_row(m.other, m.key, f"{m.score:.2f}", "; ".join(m.reasons))
        console.print(table)
    shown = ", ".join(new[:10]) + (
        f" and {len(new) - 10} more (--json lists all)" if len(new) > 10 else ""
    )
    echo(f"{len(new)} new entr{'y' if len(new) == 1 else 'ies'}" + (f": {shown}" if new else ""))


# ------------------------------------------------------------------------------------ listing
def _print_groups(bib: Bibliography, groups: list[Group], path: str) -> None:
    if not groups:
        echo(f"{path}: {len(bib.entries)} entries, no duplicates")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{len(groups)} group(s) of duplicates in {path}",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("entries (first is kept by --apply)", overflow="fold")
    table.add_column("score", justify="right")
    table.add_column("why", overflow="fold")
    for n, g in enumerate(groups, 1):
        lines = [_describe(bib.entries[k]) for k in g.keys]
        title = " ".join(bib.entries[g.keys[0]].get("title").split())
        why = list(g.reasons)
        if g.conflicting:
            why.append("differ: " + ", ".join(g.conflicting))
        table.add_row(
            str(n),
            "\n".join(lines + ([f"[italic]{_esc(title)}[/]"] if title else [])),
            f"{g.score:.2f}",
            "\n".join(_esc(w) for w in why),
        )
    Console(soft_wrap=False).print(table)
    echo(
        "merge them with `pubman dedup --apply`; mark a false pair with "
        "`pubman dedup --not-duplicate KEY1 KEY2`"
    )


def _describe(entry: Entry) -> str:
    venue = (
        entry.get("journal")
        or entry.get("booktitle")
        or entry.get("institution")
        or entry.get("school")
        or entry.get("howpublished")
    )
    venue = " ".join(venue.split())
    venue = venue[:40] + "…" if len(venue) > 41 else venue
    return _esc(f"{entry.key}  @{entry.type} {entry.get('year')}  {venue}".rstrip())


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# ------------------------------------------------------------------------------------ --apply
def _apply(
    bib: Bibliography,
    groups: list[Group],
    keeps: tuple[str, ...],
    yes: bool,
    as_json: bool,
    dry_run: bool = False,
    label: str = "",
) -> int:
    """Merge ``groups`` (``dry_run``: print the diff instead of saving)."""
    from pubman.dedup.merge import apply_plan, plan_merge

    before = _texts(bib, label)
    keep_of = _keeps_by_group(groups, keeps)
    if not groups:
        _say(as_json, {"merged": [], "skipped": []}, "no duplicates: nothing to merge")
        return 0
    interactive = sys.stdin.isatty() and not yes
    if not yes and not interactive:
        raise UsageError("--apply changes the file: confirm on a terminal, or pass --yes")
    merged, skipped = [], []
    entries = dict(bib.entries)  # groups are disjoint: a merge never changes another's entries
    for n, g in enumerate(groups):
        if yes and g.hold and n not in keep_of:  # a subset author list: a person decides
            skipped.append({"keys": list(g.keys), "why": [g.hold]})
            continue
        plan = plan_merge([entries[k] for k in g.keys], keep_of.get(n))
        if plan.warnings and n not in keep_of:
            skipped.append({"keys": list(g.keys), "why": list(plan.warnings)})
            continue
        if not as_json:
            _print_plan(plan)
        if interactive and not confirm(f"merge into {plan.survivor}?", default=False):
            skipped.append({"keys": list(g.keys), "why": ["declined"]})
            continue
        apply_plan(bib, plan)
        merged.append(plan.to_json())
    data: dict[str, Any] = {"merged": merged, "skipped": skipped}
    verb = "would merge" if dry_run else "merged"
    text = f"{verb} {len(merged)} group(s); {len(skipped)} skipped" + "".join(
        f"\n  skipped {', '.join(s['keys'])}: {'; '.join(s['why'])}" for s in skipped
    )
    if dry_run:
        from pubman.cli.diff import unified

        data["diff"] = "".join(
            unified(old, new, name, "after dedup --apply")
            for (name, old), (_, new) in zip(before, _texts(bib, label))
        )
        data["written"] = False
        text = data["diff"] + text + "\ndry run: nothing written"
    elif merged:
        written = _save(bib)
        if len(before) > 1:  # several files: say which were written
            data["written_files"] = written
            text += f"\nwrote {', '.join(written) or 'nothing'}"
    _say(as_json, data, text)
    return 0 if not skipped else 1


def _texts(bib: Bibliography, label: str) -> list[tuple[str, str]]:
    """(label, text) of each .bib file: one, or every file of a union."""
    from pubman.cli.context import label as label_of
    from pubman.store.multi import BibliographyUnion

    if isinstance(bib, BibliographyUnion):
        return [(label_of(p) if p else "", t) for p, t in bib.texts()]
    return [(label, bib.text())]


def _save(bib: Bibliography) -> list[str]:
    """Save; the labels of the files written."""
    from pubman.cli.context import label
    from pubman.store.multi import BibliographyUnion

    if isinstance(bib, BibliographyUnion):
        return [label(p) for p in bib.save_all()]
    return [label(bib.path)] if bib.save() and bib.path else []


def _keeps_by_group(groups: list[Group], keeps: tuple[str, ...]) -> dict[int, str]:
    keep_of: dict[int, str] = {}
    for key in keeps:
        found = [n for n, g in enumerate(groups) if key in g.keys]
        if not found:
            raise bad_parameter(f"'{key}' is not in any group of duplicates", "--keep")
        if found[0] in keep_of:
            raise bad_parameter(
                f"two keys to keep for one group: '{keep_of[found[0]]}' and '{key}'", "--keep"
            )
        keep_of[found[0]] = key
    return keep_of


def _print_plan(plan: MergePlan) -> None:
    from pubman.text.controls import strip_controls  # keys and values come from the file

    echo(
        strip_controls(
            f"merge {', '.join(plan.removed)} into {plan.survivor} "
            f"(@{plan.new_type}, published version: {plan.published})"
        )
    )
    for conflict in plan.conflicts:
        echo(strip_controls(f"  {conflict.describe()}"))


def _say(as_json: bool, data: dict[str, Any], text: str) -> None:
    echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)


command = Command(
    "dedup",
    run,
    HELP,
    options=[
        Option("--json", dest="as_json", flag=True, help="Print JSON instead of a table."),
        Option(
            "--threshold",
            convert=Range(0.0, 1.0, real=True),
            metavar="SCORE",
            help="Lowest score (0-1) that counts as a duplicate [default: 0.8].",
        ),
        Option("--apply", dest="apply_", flag=True, help="Merge each group into one entry."),
        Option(
            "--keep",
            dest="keeps",
            multiple=True,
            metavar="KEY",
            help="With --apply: the key to keep for its group (default: the first in the file).",
        ),
        Option("--yes", "-y", flag=True, help="With --apply: merge without asking."),
        Option(
            "--dry-run", flag=True, help="With --apply: print the merge as a diff; write nothing."
        ),
        Option(
            "--not-duplicate",
            dest="verdicts",
            nargs=2,
            multiple=True,
            metavar="KEY1 KEY2",
            help="Record that two entries are different works; later runs respect it.",
        ),
        Option(
            "--against",
            metavar="OTHER.bib",
            help="Report which entries of another .bib are already in the bibliography.",
        ),
    ],
)
