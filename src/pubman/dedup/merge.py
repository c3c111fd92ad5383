"""Merge plans: how a group of duplicate entries becomes one entry, without losing data.

Contract: :func:`plan_merge` is pure (entries in, a :class:`MergePlan` out; raises
``ValueError`` for a ``keep`` key outside the group). :func:`apply_plan` edits a
:class:`~pubman.store.bibliography.Bibliography` in memory (the survivor's type and fields, the other
entries removed) and never saves: the caller decides. Nothing here prints.

Rules: the surviving key is the caller's choice, else the first entry in file order (so existing
``\\cite`` commands keep working). The most final version (a published article or paper, then a
report or thesis, then a preprint) gives the entry type and every venue field (journal,
booktitle, volume, pages, year, ...); the other versions' venue fields are dropped and reported.
Other fields are the union, the published version's value first, then the survivor's; values
that differ are reported. Both identifiers are kept: the published DOI and the arXiv id (as
``eprint`` with ``archiveprefix = {arXiv}``). The removed keys go into ``ids`` (biblatex), merged
with any ``ids`` already there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pubman.dedup.record import is_preprint, make_record
from pubman.matching import arxiv_id_from_entry, doi_from_entry, normalize_title, title_similarity
from pubman.model import Entry
from pubman.text.names import fold, parse_names

__all__ = ["Conflict", "MergePlan", "apply_plan", "plan_merge"]

VENUE_FIELDS = (
    "journal",
    "journaltitle",
    "booktitle",
    "eventtitle",
    "volume",
    "number",
    "pages",
    "eid",
    "publisher",
    "organization",
    "institution",
    "school",
    "series",
    "address",
    "location",
    "edition",
    "chapter",
    "howpublished",
    "type",
    "issn",
    "isbn",
    "year",
    "month",
    "date",
)
_FINAL_TYPES = {
    "article": 3,
    "inproceedings": 3,
    "conference": 3,
    "incollection": 3,
    "inbook": 3,
    "book": 3,
    "techreport": 2,
    "report": 2,
    "phdthesis": 2,
    "mastersthesis": 2,
    "thesis": 2,
}
_NOT_COMPARED = {"ids"}
_DATE_FIELDS = ("year", "date", "month")


@dataclass(frozen=True)
class Conflict:
    """A field whose values differ: ``kept`` (from key ``kept_from``) and the values dropped."""

    field: str
    kept: str
    kept_from: str
    dropped: tuple[tuple[str, str], ...]  # (key, value)

    def describe(self) -> str:
        others = "; ".join(f"{v!r} ({k})" for k, v in self.dropped)
        kept = f"{self.kept!r} ({self.kept_from})" if self.kept else "nothing"
        return f"{self.field}: kept {kept}, dropped {others}"


@dataclass(frozen=True)
class MergePlan:
    """What merging one group does to the file."""

    survivor: str
    removed: tuple[str, ...]
    old_type: str
    new_type: str
    published: str  # key of the version whose type and venue won
    set_fields: tuple[tuple[str, str], ...]  # (name, value) written on the survivor
    remove_fields: tuple[str, ...]  # survivor fields dropped (a preprint's venue)
    conflicts: tuple[Conflict, ...]
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "keep": self.survivor,
            "removed": list(self.removed),
            "type": self.new_type,
            "published_version": self.published,
            "set": dict(self.set_fields),
            "remove_fields": list(self.remove_fields),
            "conflicts": [c.describe() for c in self.conflicts],
            "warnings": list(self.warnings),
        }


def plan_merge(entries: Sequence[Entry], keep: str | None = None) -> MergePlan:
    """Plan merging ``entries`` (one group, in file order) into the entry ``keep``."""
    if len(entries) < 2:
        raise ValueError("a merge needs two or more entries")
    survivor = next((e for e in entries if e.key == keep), None) if keep else entries[0]
    if survivor is None:
        raise ValueError(f"'{keep}' is not one of {', '.join(e.key for e in entries)}")
    published = max(entries, key=lambda e: _finality(e, entries.index(e)))
    order = [published, survivor] + [e for e in entries if e not in (published, survivor)]
    merged, conflicts = _merge_fields(order, published)
    _keep_identifiers(merged, entries)
    _merge_ids(merged, survivor, entries)
    set_fields = tuple(
        (k, v)
        for k, v in merged.items()
        if k not in survivor.fields or _comparable(k, v) != _comparable(k, survivor.fields[k])
    )
    remove_fields = tuple(k for k in survivor.fields if k not in merged)
    return MergePlan(
        survivor.key,
        tuple(e.key for e in entries if e is not survivor),
        survivor.type,
        published.type,
        published.key,
        set_fields,
        remove_fields,
        tuple(conflicts),
        _warnings(entries),
    )


def apply_plan(bib: Any, plan: MergePlan) -> None:
    """Carry out ``plan`` on a Bibliography in memory: only the merged entries' text changes."""
    if plan.new_type != plan.old_type:
        bib.set_type(plan.survivor, plan.new_type)
    for name in plan.remove_fields:
        bib.remove_field(plan.survivor, name)
    group = [plan.published, plan.survivor, *plan.removed]
    for name, value in plan.set_fields:
        raw = _source_text(bib, group, name, value)
        if raw is not None:  # copy it as written: @string references stay references
            bib.set_field(plan.survivor, name, raw, raw=True)
        else:
            bib.set_field(plan.survivor, name, value)
    for key in plan.removed:
        bib.remove_entry(key)


def _source_text(bib: Any, keys: Sequence[str], name: str, value: str) -> str | None:
    """How an entry of the group writes ``value`` for ``name`` in the file, if one does."""
    for key in dict.fromkeys(keys):
        entry = bib.entry(key)  # not bib.entries: that re-parses the file after each edit
        if entry is not None and entry.fields.get(name) == value:
            raw: str | None = bib.raw_value(key, name)
            return raw
    return None


def _finality(entry: Entry, index: int) -> tuple[int, int, int, int]:
    """Published beats report/thesis beats preprint; then a DOI; then more fields; then the
    earlier entry."""
    record = make_record(index, entry)
    rank = 1 if is_preprint(record) else _FINAL_TYPES.get(entry.type, 1)
    return rank, record.work.doi is not None, len(entry.fields), -index


def _merge_fields(order: list[Entry], published: Entry) -> tuple[dict[str, str], list[Conflict]]:
    merged: dict[str, str] = {}
    conflicts: list[Conflict] = []
    names = list(dict.fromkeys(k for e in order for k in e.fields))
    dated = any(published.get(n).strip() for n in _DATE_FIELDS)
    for name in names:
        venue_only = name in VENUE_FIELDS and (dated or name not in _DATE_FIELDS)
        sources = [published] if venue_only else order
        kept_from = next((e for e in sources if e.get(name).strip()), None)
        if kept_from is not None:
            merged[name] = kept_from.get(name)
        if name in _NOT_COMPARED:
            continue
        kept_form = _comparable(name, merged.get(name, ""))
        dropped = tuple(
            (e.key, " ".join(e.get(name).split()))
            for e in order
            if e.get(name).strip() and _comparable(name, e.get(name)) != kept_form
        )
        if dropped:
            conflicts.append(
                Conflict(
                    name,
                    " ".join(merged.get(name, "").split()),
                    kept_from.key if kept_from else "",
                    _unique(dropped),
                )
            )
    return merged, conflicts


def _keep_identifiers(merged: dict[str, str], entries: Sequence[Entry]) -> None:
    """The arXiv id survives as ``eprint`` even when it was only written in a dropped field
    (``journal = {arXiv preprint arXiv:1607.06450}``, a URL); an arXiv DOI never replaces a
    published one."""
    arxiv = next((a for a in (arxiv_id_from_entry(e.fields) for e in entries) if a), None)
    if arxiv and arxiv_id_from_entry(merged) is None:
        merged["eprint"] = arxiv
        merged["archiveprefix"] = "arXiv"
    real_doi = next((e.get("doi") for e in entries if doi_from_entry({"doi": e.get("doi")})), None)
    if real_doi and not doi_from_entry({"doi": merged.get("doi", "")}):
        merged["doi"] = real_doi


def _merge_ids(merged: dict[str, str], survivor: Entry, entries: Sequence[Entry]) -> None:
    ids: list[str] = []
    for e in [survivor] + [e for e in entries if e is not survivor]:
        ids += [i.strip() for i in e.get("ids").split(",") if i.strip()]
        if e is not survivor:
            ids.append(e.key)
    ids = [i for i in dict.fromkeys(ids) if i != survivor.key]
    if ids:
        merged["ids"] = ", ".join(ids)


def _comparable(name: str, value: str) -> object:
    if name in ("author", "editor"):  # "Roulet, Vincent" = "Vincent Roulet"; "S.S." = "S. S."
        return tuple((fold(f"{p.von} {p.last}"), fold(p.first)[:1]) for p in parse_names(value))
    if name == "title":
        return normalize_title(value)
    if name == "pages":
        return "-".join(part for part in value.replace("\u2013", "-").split("-") if part).strip()
    if name == "doi":
        return doi_from_entry({"doi": value}) or value.strip().lower()
    return " ".join(fold(value).split())


def _unique(dropped: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    seen: dict[str, tuple[str, str]] = {}
    for key, value in dropped:
        seen.setdefault(value, (key, value))
    return tuple(seen.values())


def _warnings(entries: Sequence[Entry]) -> tuple[str, ...]:
    titles = [normalize_title(e.get("title")) for e in entries if e.get("title").strip()]
    if any(title_similarity(a, b) < 60 for a in titles for b in titles):
        return ("the titles differ a lot: check that the shared identifier is right",)
    return ()
