"""Planning a sync: which remote works are which entries, and what to add, fill, upgrade, and
what conflicts; then applying that plan to a :class:`~pubman.store.bibliography.Bibliography`.

Contract: :func:`plan` is pure (entries, works and the sync state in; a :class:`Plan` out);
:func:`apply` edits a bibliography in memory and returns the state to save. Nothing here does
I/O or prints.

Matching (:mod:`pubman.sync.match`): shared identifiers first, then a fuzzy title confirmed by
co-authors and year. A work that matches an entry already matched is another record of the same
paper, and is neither merged nor added.

Merge policy, per field, with the value sync last wrote (the *base*, from the state file):
- missing in the entry -> filled (unless the owner deleted a value sync had written);
- same as the source (formatting aside) -> unchanged;
- equal to the base, source changed -> updated;
- differs from the base -> the owner edited it: a conflict ("edited"), the value is kept;
- no base (the owner wrote it) -> kept; a different source value is a *suggestion* (a
  conflict with reason "hand-written"), reported in JSON and with ``--explain`` only.
"Equal to the base" is exact (whitespace aside): an owner who re-cased, re-accented or
re-worded a value sync wrote has edited it. Initials-only author names that the source spells
out are a suggestion too; ``Options.expand_names`` applies it, and ``Options.prefer_source``
(``[sync] prefer = "source"``) applies every suggestion and edited conflict.
A preprint whose published version is known is upgraded (entry type, booktitle/journal, year)
and keeps its eprint; the venue is replaced only when it is empty or an arXiv placeholder. A published entry gets only the venue field its type calls for (``booktitle`` for
``@inproceedings``, ``journal`` for ``@article``), and only when the source agrees on the kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pubman.identifiers import s2_ids_from_state
from pubman.model import Entry
from pubman.store.syncstate import SyncState, reconcile
from pubman.sync import keys as keymod
from pubman.sync.fields import (
    Conventions,
    RemoteWork,
    entry_ids,
    entry_type,
    expand_initials,
    is_preprint,
    remote_fields,
    same_value,
    split_name,
)
from pubman.sync.match import Decision, Match, match, people
from pubman.sync.placement import newest_first, placement
from pubman.venues import VenueTable

VENUE_FIELDS = ("booktitle", "journal")
# the venue field an entry type is missing when it has none (filled from the source)
VENUE_OF_TYPE = {
    "inproceedings": "booktitle",
    "conference": "booktitle",
    "incollection": "booktitle",
    "article": "journal",
}


@dataclass(frozen=True)
class FieldChange:
    """``kind`` is "fill", "update" or "upgrade"; ``new`` '' removes the field."""

    key: str
    field: str
    old: str | None
    new: str
    kind: str


@dataclass(frozen=True)
class Conflict:
    """``reason``: "edited" (changed by the owner since sync wrote it), "hand-written" (never
    written by sync) or "removed" (the owner deleted a value sync wrote)."""

    key: str
    field: str
    yours: str
    theirs: str
    reason: str
    apply_with: str = ""  # the switch that would apply the source's value, for suggestions


@dataclass(frozen=True)
class NewEntry:
    key: str
    type: str
    fields: tuple[tuple[str, str], ...]
    before: str | None
    work: RemoteWork


@dataclass
class Plan:
    added: list[NewEntry] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    retyped: dict[str, tuple[str, str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    citations: dict[str, int] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)
    state: SyncState = field(default_factory=SyncState)

    @property
    def pending(self) -> bool:
        """True when applying the plan would change the file."""
        return bool(self.added or self.changes or self.retyped)

    @property
    def upgraded(self) -> list[str]:
        keys = list(self.retyped) + [c.key for c in self.changes if c.kind == "upgrade"]
        return list(dict.fromkeys(keys))

    @property
    def updated(self) -> list[tuple[str, list[str]]]:
        """(key, fields) filled or updated, outside of upgrades."""
        out: dict[str, list[str]] = {}
        for c in self.changes:
            if c.kind != "upgrade":
                out.setdefault(c.key, []).append(c.field)
        return list(out.items())

    @property
    def edited_conflicts(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.reason == "edited"]

    @property
    def suggestions(self) -> list[Conflict]:
        """Source values that differ from what the owner wrote (never applied by default)."""
        return [c for c in self.conflicts if c.reason == "hand-written"]


@dataclass(frozen=True)
class Options:
    """What the planner may do. ``owner`` is a :class:`pubman.text.names.OwnerMatcher` or None."""

    add_missing: bool = True
    expand_names: bool = False  # complete initials-only author names from the source
    prefer_source: bool = False  # the source's value wins over the owner's (an explicit opt-in)
    owner: Any = None
    venues: Any = None
    reserved_keys: frozenset[str] = frozenset()  # keys of blocks the store could not parse
    # several files: the keys of the one new entries go to (their order places a new entry)
    placed_among: frozenset[str] | None = None


# --------------------------------------------------------------------------- merging


@dataclass
class _Merge:
    key: str
    work: RemoteWork
    entry: Entry
    state: SyncState
    venues: Any
    plan: Plan
    prefer_source: bool = False

    def merge_field(
        self, name: str, theirs: str, kind: str = "fill", *, force: bool = False
    ) -> None:
        """Three-way merge of one field (see the module docstring); ``force`` lets an upgrade
        replace a value sync never wrote."""
        ours = self.entry.get(name).strip()
        base = self.state.synced(self.key, name)
        if not ours:
            if base is not None:
                self.conflict(name, "", theirs, "removed")
            else:
                self.change(name, None, theirs, kind)
        elif same_value(name, ours, theirs, self.venues):
            return
        elif (base is not None and _exactly(ours, base)) or force or self.prefer_source:
            self.change(name, ours, theirs, "update" if kind == "fill" else kind)
        else:
            self.conflict(name, ours, theirs, "edited" if base is not None else "hand-written")

    def change(self, name: str, old: str | None, new: str, kind: str) -> None:
        self.plan.changes.append(FieldChange(self.key, name, old, new, kind))
        verb = {"fill": "fill", "update": "update", "upgrade": "upgrade"}[kind]
        was = f" (was {old!r})" if old else ""
        self.plan.decisions.append(Decision(self.key, verb, f"{name} = {new!r}{was}"))

    def conflict(self, name: str, yours: str, theirs: str, reason: str) -> None:
        how = ""
        if reason == "hand-written":
            how = "--expand-names" if name == "author" and _expands(yours, theirs) else PREFER
        self.plan.conflicts.append(Conflict(self.key, name, yours, theirs, reason, how))
        why = {
            "edited": "you edited it since the last sync",
            "hand-written": "you wrote it; sync never overwrites that",
            "removed": "you removed the value sync had written",
        }[reason]
        verdict, tail = ("suggest", f"; apply with {how}") if how else ("keep", "")
        self.plan.decisions.append(
            Decision(self.key, verdict, f"{name}: {why}; the source says {theirs!r}{tail}")
        )


PREFER = '[sync] prefer = "source"'


def _exactly(a: str, b: str) -> bool:
    """Equal but for whitespace: a re-cased or re-accented value is an edit."""
    return a.split() == b.split()


def _expands(ours: str, theirs: str) -> bool:
    """True when ``theirs`` is ``ours`` with initials spelled out (same people, same order)."""
    return same_value("author", ours, theirs)


def _merge(
    m: Match, entry: Entry, conv: Conventions, opts: Options, state: SyncState, plan: Plan
) -> None:
    theirs = remote_fields(m.work, conv, opts.venues)
    merge = _Merge(m.key, m.work, entry, state, opts.venues, plan, opts.prefer_source)
    before = len(plan.changes), len(plan.conflicts)
    upgrade = is_preprint(entry) and m.work.published
    if upgrade:
        _upgrade(merge, entry, theirs, conv)
    for name in (
        "title",
        "doi",
        "eprint",
        "archiveprefix",
        "primaryclass",
        "volume",
        "pages",
        "year",
    ):
        if name not in theirs or (upgrade and name == "year"):
            continue
        if name in ("archiveprefix", "primaryclass") and entry.get("eprinttype"):
            continue
        merge.merge_field(name, theirs[name])
    if "url" in theirs and is_preprint(entry) and not upgrade and not entry.get("doi"):
        merge.merge_field("url", theirs["url"])
    if not upgrade:
        own = VENUE_OF_TYPE.get(entry.type)
        for name in VENUE_FIELDS:
            if name in theirs and (entry.get(name) or name == own):
                merge.merge_field(name, theirs[name])
    _merge_authors(merge, entry, theirs, m.work, conv, opts.expand_names or opts.prefer_source)
    if (len(plan.changes), len(plan.conflicts)) == before:
        plan.unchanged.append(m.key)


def _upgrade(merge: _Merge, entry: Entry, theirs: Mapping[str, str], conv: Conventions) -> None:
    """Preprint -> published version: type, venue field, year; the eprint stays."""
    new_type = entry_type(merge.work, conv)
    venue_field = "booktitle" if new_type == "inproceedings" else "journal"
    if entry.type != new_type:
        merge.plan.retyped[merge.key] = (entry.type, new_type)
        merge.plan.decisions.append(
            Decision(merge.key, "upgrade", f"@{entry.type} -> @{new_type}: published version found")
        )
    if venue_field in theirs:
        placeholder = _placeholder(entry.get(venue_field))
        merge.merge_field(venue_field, theirs[venue_field], "upgrade", force=placeholder)
    if (
        venue_field == "booktitle"
        and entry.get("journal").strip()
        and _placeholder(entry.get("journal"))
    ):
        merge.change("journal", entry.get("journal"), "", "upgrade")
    if "year" in theirs:
        merge.merge_field("year", theirs["year"], "upgrade", force=True)


def _placeholder(venue: str) -> bool:
    """An empty venue or a preprint server's stand-in (what the venue resolver calls a
    preprint: "arXiv preprint arXiv:...", "CoRR"), which an upgrade may replace."""
    if not venue.strip():
        return True
    found = VenueTable.load().lookup(venue)
    return found is not None and found.kind == "preprint"


def _merge_authors(
    merge: _Merge,
    entry: Entry,
    theirs: Mapping[str, str],
    work: RemoteWork,
    conv: Conventions,
    expand: bool,
) -> None:
    """Initials the source spells out are a suggestion unless ``expand`` (--expand-names)."""
    if "author" not in theirs:
        return
    ours = entry.get("author").strip()
    base = merge.state.synced(merge.key, "author")
    fuller = expand_initials(ours, work.authors, conv) if ours else None
    if fuller is not None:
        if expand or (base is not None and _exactly(ours, base)):  # sync wrote the initials
            merge.change("author", ours, fuller, "update")
        else:
            merge.conflict("author", ours, fuller, "hand-written")
        return
    merge.merge_field("author", theirs["author"])


# --------------------------------------------------------------------------- adding


def _skip_reason(
    work: RemoteWork, opts: Options, state: SyncState, coauthors: set[str]
) -> str | None:
    if work.origin == "request":
        return None
    if work.ids() & set(state.dismissed):
        return "you deleted its entry after an earlier sync added it"
    if work.origin == "lookup":  # fetched for an entry, yet none of the entries is it
        return (
            "looked up for an entry but matches none (a loose title match or another "
            "record of the paper); not added"
        )
    if not opts.add_missing:
        return "not added: --no-add ([sync] add_missing = false)"
    if opts.owner is not None:
        authors = people(" and ".join(work.authors))
        mine = [p for p in authors if opts.owner.matches(p)]
        if not mine:
            return "the owner is not among its authors"
        if work.origin == "arxiv-search" and not coauthors & {
            _surname(p) for p in authors if p not in mine
        }:
            return "found by arxiv_query only, and no co-author appears in the file"
    return None


def _surname(person: Any) -> str:
    from pubman.text.names import fold

    return fold(f"{person.von} {person.last}")


def _new_entry(
    work: RemoteWork,
    conv: Conventions,
    opts: Options,
    style: keymod.KeyStyle,
    taken: Iterable[str],
    entries: Sequence[Entry],
    order: bool | None,
) -> NewEntry:
    fields = remote_fields(work, conv, opts.venues)
    first = split_name(work.authors[0], conv)[1] if work.authors else ""
    key = keymod.make_key(
        style, [first], work.year, work.title, taken, external_ids=work.external_ids
    )
    return NewEntry(
        key,
        entry_type(work, conv),
        tuple(fields.items()),
        placement(entries, work.year, order),
        work,
    )


# --------------------------------------------------------------------------- the plan


def plan(
    entries: Mapping[str, Entry],
    works: Sequence[RemoteWork],
    state: SyncState,
    opts: Options = Options(),
) -> Plan:
    """Everything sync would do to ``entries`` given ``works`` (see the module docstring)."""
    ids_now = {
        k: sorted(entry_ids(e, s2_ids_from_state(state.ids.get(k, [])))) for k, e in entries.items()
    }
    state = reconcile(state, ids_now)
    result = Plan(state=state)
    conv = Conventions.of(entries.values())
    matches, unmatched, decisions = match(entries, works, state, opts.owner)
    result.decisions.extend(decisions)
    for m in matches:
        result.matched.append(m.key)
        _merge(m, entries[m.key], conv, opts, state, result)
        _remember(result, m.key, m.work)
    style = keymod.detect_style(entries.values())
    coauthors = {_surname(p) for e in entries.values() for p in people(e.get("author"))}
    ordered = [
        e for e in entries.values() if opts.placed_among is None or e.key in opts.placed_among
    ]
    order = newest_first(ordered)
    taken = set(entries) | set(opts.reserved_keys)
    for work in sorted(unmatched, key=lambda w: -(w.year or 0)):
        reason = _skip_reason(work, opts, state, coauthors)
        if reason:
            result.decisions.append(Decision(work.label(), "skip", reason))
            continue
        new = _new_entry(work, conv, opts, style, taken, ordered, order)
        taken.add(new.key)
        result.added.append(new)
        _remember(result, new.key, work)
        where = f"before {new.before}" if new.before else "at the end"
        result.decisions.append(
            Decision(
                new.key,
                "add",
                f"{work.label()} ({_origin(work)}); "
                f"@{new.type}, key style {style.describe()}, {where}",
            )
        )
    return result


def _origin(work: RemoteWork) -> str:
    return {
        "profile": "in the owner's Semantic Scholar profile, not in the file",
        "lookup": "found by identifier",
        "arxiv-search": "found by arxiv_query",
        "request": "asked for",
    }.get(work.origin, work.origin)


def _remember(result: Plan, key: str, work: RemoteWork) -> None:
    result.ids[key] = sorted(work.ids())
    if work.citation_count is not None:
        result.citations[key] = work.citation_count


# --------------------------------------------------------------------------- applying


def apply(p: Plan, bib: Any) -> SyncState:
    """Make the plan's edits on ``bib`` (a Bibliography, in memory); return the new state."""
    state = p.state.copy()
    for key, (_, new_type) in p.retyped.items():
        bib.set_type(key, new_type)
    for c in p.changes:
        if c.new:
            bib.set_field(c.key, c.field, c.new)
            state.record(c.key, c.field, c.new)
        else:
            bib.remove_field(c.key, c.field)
            state.forget(c.key, c.field)
    existing = set(bib.entries)
    for new in p.added:
        before = new.before if new.before in existing else None
        bib.add_entry(new.key, new.type, list(new.fields), before=before)
        for name, value in new.fields:
            state.record(new.key, name, value)
    for key, ids in p.ids.items():
        state.ids[key] = ids
    return state
