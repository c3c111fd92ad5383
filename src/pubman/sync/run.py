"""The ``sync`` and ``add`` pipelines: ask the sources, plan, apply, save.

Contract: network only through :mod:`pubman.sources` clients passed in; files only through
:mod:`pubman.store.bibliography` (:mod:`pubman.store.multi` for several files) and
:mod:`pubman.store.syncstate`; never prints. Every .bib file's lock is held from load to save,
and nothing is written unless every request succeeded (a
:class:`~pubman.errors.SourceError` leaves every file as it was). Given several files, edits go
to the file that holds the entry and new entries to ``add_to`` (placed by that file's order);
the sync state and citation counts are the first file's (see :mod:`pubman.store.multi`).

Request economy for a sync: one ``/author/{id}/papers`` request per 1,000 papers of each
configured profile, one ``/paper/batch`` per 500 entries the profiles do not cover, one
arXiv ``id_list`` request per 100 arXiv ids, and (only for entries with no identifier at all,
at most :data:`MAX_TITLE_LOOKUPS`) one title match each. Finding the owner's profile when none
is configured costs one author search plus one papers request per plausible candidate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pubman.errors import PubmanError, UsageError
from pubman.identifiers import normalize_arxiv_id, normalize_doi, normalize_s2_id, s2_ids_from_state
from pubman.model import Entry
from pubman.sources.clients import Clients
from pubman.sources.remote import RemotePaper
from pubman.store import bibliography as bibstore
from pubman.store import lock as filelock
from pubman.store import multi, syncstate
from pubman.sync.fields import RemoteWork, entry_ids
from pubman.sync.match import Decision
from pubman.sync.plan import Options, Plan, apply, plan
from pubman.work import work_of

MAX_TITLE_LOOKUPS = 10
MAX_AUTHOR_CANDIDATES = 5


@dataclass
class AuthorChoice:
    """Profiles picked by searching Semantic Scholar for the owner's name."""

    ids: list[str]
    reason: str
    decisions: list[Decision] = field(default_factory=list)
    papers: dict[str, list[RemotePaper]] = field(default_factory=dict)


@dataclass
class Result:
    plan: Plan
    before: str
    after: str
    written: bool
    author_ids: list[str]
    choice: AuthorChoice | None
    requests: dict[str, int]
    # per .bib file: (path, text before, text after); the files actually written
    files: list[tuple[Path, str, str]] = field(default_factory=list)
    written_files: list[Path] = field(default_factory=list)


# --------------------------------------------------------------------------- owner profile


def _owner(names: Sequence[str]) -> Any:
    if not names:
        return None
    from pubman.text.names import OwnerMatcher

    return OwnerMatcher(list(names))


def _overlap(papers: Iterable[RemotePaper], entries: Mapping[str, Entry]) -> int:
    """How many entries one of ``papers`` is (by identifier or equal normalised title)."""
    from pubman.text.titles import normalize_title

    works = [RemoteWork(s2=p) for p in papers]
    ids = set().union(*(w.ids() for w in works)) if works else set()
    titles = {normalize_title(w.title) for w in works}
    return sum(1 for e in entries.values() if entry_ids(e) & ids or work_of(e).title_key in titles)


def find_owner_profiles(
    s2: Any, owner_names: Sequence[str], entries: Mapping[str, Entry]
) -> AuthorChoice:
    """Search S2 for the owner and keep the profile(s) whose papers the file already has.

    The best-overlapping profile is chosen, plus any other with at least 30% of its papers in
    the file (S2 sometimes splits one person into several profiles). Raises PubmanError when
    no candidate shares a paper with the file.
    """
    from pubman.text.names import parse_name

    owner = _owner(owner_names)
    found = s2.search_authors(owner_names[0])
    same_name = [a for a in found if owner.matches(parse_name(str(a.get("name", ""))))]
    same_name.sort(key=lambda a: -(a.get("paperCount") or 0))
    choice = AuthorChoice([], "")
    scored = []
    for cand in same_name[:MAX_AUTHOR_CANDIDATES]:
        aid = str(cand["authorId"])
        papers = s2.author_papers(aid)
        choice.papers[aid] = papers
        scored.append((aid, str(cand.get("name", "")), _overlap(papers, entries), len(papers)))
    best = max((s[2] for s in scored), default=0)
    for aid, name, shared, total in scored:
        keep = shared > 0 and (shared == best or shared >= 0.3 * total)
        choice.decisions.append(
            Decision(
                f"S2 author {aid}",
                "chosen" if keep else "not chosen",
                f"{name!r}: {shared} of its {total} papers are in the file",
            )
        )
        if keep:
            choice.ids.append(aid)
    if not choice.ids:
        what = (
            f"none of the {len(same_name)} authors named {owner_names[0]!r} shares a "
            "paper with the file"
            if same_name
            else f"no author named {owner_names[0]!r}"
        )
        raise PubmanError(
            f"Semantic Scholar: {what}",
            hint="find your profile on semanticscholar.org and set [owner] "
            "semantic_scholar_ids in pubman.toml (or pass --author-id)",
        )
    kept = [d.detail for d in choice.decisions if d.verdict == "chosen"]
    choice.reason = "; ".join(f"{i} ({k})" for i, k in zip(choice.ids, kept))
    return choice


# --------------------------------------------------------------------------- gathering


def _uncovered(
    entries: Mapping[str, Entry], works: Sequence[RemoteWork], state: syncstate.SyncState
) -> list[Entry]:
    from pubman.text.titles import normalize_title

    ids = set().union(*(w.ids() for w in works)) if works else set()
    titles = {normalize_title(w.title) for w in works}
    out = []
    for key, e in entries.items():
        s2 = s2_ids_from_state(state.ids.get(key, []))
        if not (entry_ids(e, s2) & ids or work_of(e).title_key in titles):
            out.append(e)
    return out


def _lookup_entries(
    clients: Clients, entries: Sequence[Entry], state: syncstate.SyncState
) -> tuple[list[RemoteWork], list[Decision]]:
    """Works for entries no profile covers: one S2 batch, then title matches for entries that
    have no identifier (at most MAX_TITLE_LOOKUPS)."""
    from pubman.sources.semanticscholar import lookup_id
    from pubman.text.names import latex_to_text

    wanted: list[str] = []
    untitled: list[Entry] = []
    for e in entries:
        work = work_of(e)
        s2 = next(iter(s2_ids_from_state(state.ids.get(e.key, []))), None)
        ident = lookup_id(arxiv_id=work.arxiv, doi=work.doi, s2_id=s2)
        if ident:
            wanted.append(ident)
        elif e.get("title"):
            untitled.append(e)
    wanted = sorted(set(wanted))
    works = [
        RemoteWork(s2=p, origin="lookup")
        for p in (clients.s2.papers_batch(wanted) if wanted else [])
        if p is not None
    ]
    decisions = []
    for e in untitled[:MAX_TITLE_LOOKUPS]:
        found = clients.s2.match_title(latex_to_text(e.get("title")))  # S2 takes plain text
        if found is not None:
            works.append(RemoteWork(s2=found, origin="lookup"))
    if len(untitled) > MAX_TITLE_LOOKUPS:
        decisions.append(
            Decision(
                "title lookups",
                "note",
                f"{len(untitled)} entries have no "
                f"identifier; looked up the first {MAX_TITLE_LOOKUPS} by title",
            )
        )
    return works, decisions


def _with_arxiv(
    clients: Clients, works: list[RemoteWork], entries: Iterable[Entry], extra: Iterable[str] = ()
) -> list[RemoteWork]:
    """Each work joined with its arXiv record; entries' arXiv ids that S2 does not know become
    arXiv-only works. One arXiv request per 100 ids."""
    entry_ax = {a for e in entries if (a := work_of(e).arxiv)}
    wanted = {w.arxiv_id for w in works if w.arxiv_id} | entry_ax | set(extra)
    if not wanted:
        return works
    records = {p.arxiv_id: p for p in clients.arxiv.fetch_ids(sorted(wanted)) if p.arxiv_id}
    out = [RemoteWork(w.s2, records.get(w.arxiv_id or ""), w.origin) for w in works]
    known = {w.arxiv_id for w in works}
    origin = "request" if extra else "lookup"
    out += [RemoteWork(None, records[a], origin) for a in sorted(wanted - known) if a in records]
    return out


def gather(
    entries: Mapping[str, Entry],
    clients: Clients,
    author_ids: Sequence[str],
    *,
    state: syncstate.SyncState,
    arxiv_query: str | None = None,
    prefetched: Mapping[str, list[RemotePaper]] | None = None,
) -> tuple[list[RemoteWork], list[Decision]]:
    """Every remote work sync should consider (see the module docstring for the requests)."""
    seen: dict[str, RemotePaper] = {}
    for aid in author_ids:
        papers = (prefetched or {}).get(aid)
        for p in papers if papers is not None else clients.s2.author_papers(aid):
            seen.setdefault(p.s2_id or f"{aid}:{len(seen)}", p)
    works = [RemoteWork(s2=p, origin="profile") for p in seen.values()]
    looked, decisions = _lookup_entries(clients, _uncovered(entries, works, state), state)
    known = {w.s2_id for w in works}
    works += [w for w in looked if w.s2_id not in known]
    works = _with_arxiv(clients, works, entries.values())
    if arxiv_query:
        have = {w.arxiv_id for w in works}
        hits = clients.arxiv.search(arxiv_query, max_results=200)
        works += [RemoteWork(None, p, "arxiv-search") for p in hits if p.arxiv_id not in have]
    return works, decisions


# --------------------------------------------------------------------------- running


Paths = Path | Sequence[Path]


def _paths(bib_path: Paths) -> list[Path]:
    return [bib_path] if isinstance(bib_path, Path) else list(bib_path)


@contextmanager
def opened(bib_path: Paths, *, encoding: str | None, add_to: Path | None = None) -> Iterator[Any]:
    """The bibliography (several files: their union), every file locked until the block ends
    (in a fixed order, so two processes cannot deadlock)."""
    paths = _paths(bib_path)
    with ExitStack() as stack:
        for path in sorted(paths, key=lambda p: str(p.resolve())):
            stack.enter_context(filelock.locked(path))
        if len(paths) == 1:
            yield bibstore.load(paths[0], encoding=encoding)
        else:
            yield multi.load(paths, encoding=encoding, add_to=add_to)


def _options(bib: Any, **kw: Any) -> Options:
    placed = None
    if isinstance(bib, multi.BibliographyUnion):
        target = bib.new_entries_file
        placed = frozenset(k for k in bib.entries if bib.bibliography_of(k) is target)
    return Options(reserved_keys=bib.unparsed_keys, placed_among=placed, **kw)


def _texts(bib: Any) -> list[tuple[Path, str]]:
    if isinstance(bib, multi.BibliographyUnion):
        return [(Path(p), t) for p, t in bib.texts() if p is not None]
    return [(Path(bib.path), bib.text())]


def _finish(bib: Any, p: Plan, *, write: bool, today: str | None) -> dict[str, Any]:
    """Apply ``p`` and, with ``write``, save the .bib file(s) that changed and the side files
    (beside the first file)."""
    before, texts = bib.text(), _texts(bib)
    state = apply(p, bib)
    after = bib.text()
    files = [(path, old, new) for (path, old), (_, new) in zip(texts, _texts(bib))]
    written: list[Path] = []
    if write:
        union = isinstance(bib, multi.BibliographyUnion)
        written = bib.save_all() if union else [Path(bib.path)] if bib.save() else []
        path = Path(bib.path)
        if written or state.to_json() != syncstate.load_state(path).to_json():
            syncstate.save_state(path, state)
        if p.citations:
            syncstate.save_citations(path, p.citations, today or date.today().isoformat())
    return {
        "before": before,
        "after": after,
        "written": bool(written),
        "files": files,
        "written_files": written,
    }


def run_sync(
    bib_path: Paths,
    clients: Clients,
    *,
    owner_names: Sequence[str] = (),
    author_ids: Sequence[str] = (),
    arxiv_query: str | None = None,
    add_missing: bool = True,
    expand_names: bool = False,
    prefer_source: bool = False,
    venues: Any = None,
    write: bool = True,
    today: str | None = None,
    encoding: str | None = None,
    add_to: Path | None = None,
) -> Result:
    """Sync ``bib_path`` (one file, or several read as one) with the owner's profiles (found
    by name when ``author_ids`` is empty and an owner is known). ``write=False`` plans and
    diffs without writing; ``expand_names`` and ``prefer_source`` are
    :class:`~pubman.sync.plan.Options`; ``encoding`` is the files' declared one (see
    :func:`pubman.store.bibliography.load`); ``add_to`` is the file new entries go to."""
    with opened(bib_path, encoding=encoding, add_to=add_to) as bib:
        state = syncstate.load_state(_paths(bib_path)[0])
        choice = None
        ids = list(author_ids)
        if not ids and owner_names:
            choice = find_owner_profiles(clients.s2, owner_names, bib.entries)
            ids = choice.ids
        works, notes = gather(
            bib.entries,
            clients,
            ids,
            state=state,
            arxiv_query=arxiv_query,
            prefetched=choice.papers if choice else None,
        )
        opts = _options(
            bib,
            add_missing=add_missing,
            expand_names=expand_names,
            prefer_source=prefer_source,
            owner=_owner(owner_names),
            venues=venues,
        )
        p = plan(bib.entries, works, state, opts)
        p.decisions[:0] = (choice.decisions if choice else []) + notes
        done = _finish(bib, p, write=write, today=today)
    return Result(
        p, author_ids=ids, choice=choice, requests=dict(clients.http.requests_made), **done
    )


# --------------------------------------------------------------------------- pubman add


def parse_identifier(text: str) -> str:
    """A command-line identifier as an S2 lookup id (``ARXIV:``, ``DOI:``, ``CorpusId:``, sha).

    Accepts arXiv ids and URLs (``arXiv:2507.10524``, ``2507.10524v2``), DOIs and doi.org
    URLs, S2 paper ids and semanticscholar.org paper URLs, ``CorpusId:<n>``. Raises UsageError.
    """
    import re

    value = text.strip()
    if aid := normalize_arxiv_id(value):  # an arXiv DOI is read as its arXiv id here too
        return f"ARXIV:{aid}"
    if doi := normalize_doi(value):
        return f"DOI:{doi}"
    if sha := normalize_s2_id(value):
        return sha
    if corpus := re.fullmatch(r"corpus(?:id)?:\s*(\d+)", value, re.IGNORECASE):
        return f"CorpusId:{corpus.group(1)}"
    raise UsageError(
        f"not an arXiv id, DOI or Semantic Scholar paper id: {text!r}",
        hint="e.g. arXiv:2507.10524, 10.1038/s41597-019-0103-9, or a 40-character S2 paper id",
    )


def resolve(clients: Clients, identifiers: Sequence[str]) -> list[RemoteWork]:
    """Works for identifiers (one S2 batch, one arXiv request per 100 arXiv ids).

    Raises PubmanError naming the identifiers neither source knows.
    """
    lookups = [parse_identifier(i) for i in identifiers]
    unique = list(dict.fromkeys(lookups))
    found = clients.s2.papers_batch(unique)
    works = [RemoteWork(s2=p, origin="request") for p in found if p is not None]
    asked_ax = [u[6:] for u, p in zip(unique, found) if p is None and u.startswith("ARXIV:")]
    works = _with_arxiv(clients, works, [], extra=asked_ax)
    got_ax = {w.arxiv_id for w in works}
    missing = [
        i
        for i, u in zip(identifiers, lookups)
        if found[unique.index(u)] is None and u[6:] not in got_ax
    ]
    if missing:
        raise PubmanError(
            f"not found: {', '.join(missing)} (neither Semantic Scholar nor arXiv knows it)",
            hint="check the identifier; nothing was written",
        )
    return works


def run_add(
    bib_path: Paths,
    clients: Clients,
    identifiers: Sequence[str],
    *,
    owner_names: Sequence[str] = (),
    venues: Any = None,
    write: bool = True,
    today: str | None = None,
    encoding: str | None = None,
    add_to: Path | None = None,
) -> Result:
    """Add (or, when already present, fill and upgrade) the entries for ``identifiers``; with
    several files, to ``add_to`` (see :func:`run_sync`)."""
    with opened(bib_path, encoding=encoding, add_to=add_to) as bib:
        state = syncstate.load_state(_paths(bib_path)[0])
        works = resolve(clients, identifiers)
        opts = _options(bib, add_missing=True, owner=_owner(owner_names), venues=venues)
        p = plan(bib.entries, works, state, opts)
        owner = opts.owner
        if owner is not None:
            from pubman.text.names import parse_names

            for w in works:
                if not owner.find(parse_names(" and ".join(w.authors))):
                    p.decisions.append(
                        Decision(w.label(), "note", "the owner is not among its authors")
                    )
        done = _finish(bib, p, write=write, today=today)
    return Result(p, author_ids=[], choice=None, requests=dict(clients.http.requests_made), **done)
