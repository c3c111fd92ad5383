"""Semantic Scholar Graph API v1: pure parsers over response bytes plus a thin client.

Parsers (``parse_*``) do no I/O and raise only :class:`SourceError` ("malformed response ...")
when a body is not the JSON shape the API documents. :class:`SemanticScholar` sends requests
through :class:`~pubman.sources.http.HttpClient` (cached, paced, retried) and turns error
statuses into one clear :class:`SourceError`; "not found" is ``None``, not an exception.
The API key is sent in the ``x-api-key`` header only and never appears in a message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pubman.errors import SourceError
from pubman.identifiers import is_arxiv_doi, strip_arxiv_version
from pubman.sources.http import HttpClient, HttpResult, Service, looks_like_html, status_error
from pubman.sources.remote import RemotePaper, collapse
from pubman.text.controls import strip_controls

DEFAULT_BASE_URL = "https://api.semanticscholar.org/graph/v1"
FIELDS = (
    "title,authors,year,venue,publicationVenue,externalIds,journal,publicationTypes,"
    "publicationDate,citationCount,url"
)
AUTHOR_FIELDS = "name,affiliations,paperCount,citationCount,hIndex,url"
LABEL = "Semantic Scholar"
BATCH_SIZE = 500  # documented maximum of ids per POST /paper/batch
MAX_PAGES = 100  # of PAGE_SIZE papers: far above any one author's list
PAGE_SIZE = 1000  # documented maximum of limit for /author/{id}/papers
KEY_HINT = "set S2_API_KEY for a higher rate limit, or try again later"
# What S2 answers (HTTP 400) to a batch in which it knows none of the ids, instead of a list of
# nulls (reported from live use; e.g. a batch holding only a preprint S2 has not indexed yet).
NO_KNOWN_IDS = "no valid paper ids given"

# S2 asks for at most 1 request per second with a key; the shared pool without one is tighter.
SERVICE_WITH_KEY = Service("semanticscholar", LABEL, 1.0, "try again later")
SERVICE_WITHOUT_KEY = Service("semanticscholar", LABEL, 1.5, KEY_HINT)

_ARXIV_VENUES = {"arxiv", "arxiv.org", "arxiv (cornell university)"}


# -- pure parsers -------------------------------------------------------------------------


def load_json(body: bytes | str) -> Any:
    """Decode a JSON body; HTML pages and broken JSON raise SourceError."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if looks_like_html(raw) or raw.lstrip().startswith(b"<"):
        raise SourceError(
            LABEL,
            "answered with an HTML page where JSON was expected",
            hint="the service may be down or blocked by a proxy; try again later",
        )
    try:
        return json.loads(raw)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise SourceError(LABEL, f"malformed response (not valid JSON: {exc})") from None
    except RecursionError:  # [[[[...]]]] nested deeper than Python's stack
        raise SourceError(LABEL, "malformed response (JSON nested too deeply)") from None


def _malformed(what: str) -> SourceError:
    return SourceError(LABEL, f"malformed response ({what})")


def _str(value: Any) -> str:
    """A remote string as text pubman can write: no control characters (a NUL made every
    later read call the file binary) and no unbalanced braces (they cannot go in a field)."""
    if not isinstance(value, str):
        return ""
    text = collapse(strip_controls(value))
    if ("{" in text or "}" in text) and not _depth_ok(text):
        text = text.replace("{", "").replace("}", "")
    return text


def _depth_ok(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_paper(obj: Any) -> RemotePaper | None:
    """One paper object as returned with :data:`FIELDS`; ``None`` for a null placeholder."""
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise _malformed(f"a paper is a {type(obj).__name__}, not an object")
    ext = _dict(obj.get("externalIds"))
    doi = _str(ext.get("DOI")) or None
    arxiv_id = strip_arxiv_version(_str(ext.get("ArXiv"))) or None
    journal = _dict(obj.get("journal"))
    volume = _str(journal.get("volume"))
    authors = [a for a in obj.get("authors") or [] if isinstance(a, dict) and _str(a.get("name"))]
    types = tuple(t for t in obj.get("publicationTypes") or [] if isinstance(t, str))
    venue, kind = _venue(obj, journal, types, arxiv_id)
    return RemotePaper(
        source="semanticscholar",
        title=_str(obj.get("title")),
        authors=tuple(_str(a["name"]) for a in authors),
        author_ids=tuple(_str(a.get("authorId")) or None for a in authors),
        year=_int(obj.get("year")),
        venue=venue,
        venue_kind=kind,
        doi=None if doi is None or is_arxiv_doi(doi) else doi,
        arxiv_id=arxiv_id,
        s2_id=_str(obj.get("paperId")) or None,
        url=_str(obj.get("url")),
        pages=_str(journal.get("pages")),
        volume="" if volume.lower().startswith("abs/") else volume,
        publication_date=_str(obj.get("publicationDate")),
        citation_count=_int(obj.get("citationCount")),
        abstract=_str(obj.get("abstract")),
        publication_types=types,
        external_ids=tuple(sorted((str(k), str(v)) for k, v in ext.items() if v is not None)),
    )


def _venue(
    obj: dict[str, Any],
    journal: dict[str, Any],
    types: tuple[str, ...],
    arxiv_id: str | None,
) -> tuple[str, str]:
    """(venue full name, venue kind); arXiv itself is not a venue but makes a preprint."""
    place = _dict(obj.get("publicationVenue"))
    name = _str(place.get("name")) or _str(obj.get("venue")) or _str(journal.get("name"))
    if name.lower() in _ARXIV_VENUES:
        return "", "preprint"
    if not name:
        return "", "preprint" if arxiv_id else ""
    declared = _str(place.get("type")).lower()
    if declared in ("conference", "journal"):
        return name, declared
    if "Conference" in types:
        return name, "conference"
    if "JournalArticle" in types or _str(journal.get("name")):
        return name, "journal"
    return name, ""


def parse_papers_page(body: bytes | str) -> tuple[list[RemotePaper], int | None]:
    """A paginated list (``/author/{id}/papers``, ``/paper/search``): papers and next offset.

    The next offset is the ``next`` key, ``None`` when absent (the last page). A missing
    ``data`` key (S2's empty result) is an empty list.
    """
    obj = load_json(body)
    if not isinstance(obj, dict):
        raise _malformed("expected an object with 'data'")
    data = obj.get("data") or []
    if not isinstance(data, list):
        raise _malformed("'data' is not a list")
    papers = [p for p in (parse_paper(item) for item in data) if p is not None]
    return papers, _int(obj.get("next"))


def parse_batch(body: bytes | str, n_ids: int) -> list[RemotePaper | None]:
    """``POST /paper/batch``: one entry per requested id, in order; ``None`` where not found."""
    obj = load_json(body)
    if not isinstance(obj, list):
        raise _malformed("expected a list for a batch request")
    if len(obj) != n_ids:
        raise _malformed(f"asked for {n_ids} papers, got {len(obj)} answers")
    return [parse_paper(item) for item in obj]


def parse_match(body: bytes | str) -> RemotePaper | None:
    """``/paper/search/match``: the single best match, ``None`` if ``data`` is empty."""
    papers, _ = parse_papers_page(body)
    return papers[0] if papers else None


def parse_author_search(body: bytes | str) -> list[dict[str, Any]]:
    """``/author/search``: the author objects (``authorId``, ``name``, ...) as given."""
    obj = load_json(body)
    if not isinstance(obj, dict):
        raise _malformed("expected an object with 'data'")
    data = obj.get("data") or []
    if not isinstance(data, list) or not all(isinstance(a, dict) for a in data):
        raise _malformed("'data' is not a list of authors")
    return data


def parse_error(body: bytes | str) -> str:
    """The server's error message from ``{"error": ...}`` or ``{"message": ...}``; never raises."""
    raw = body.encode("utf-8", "replace") if isinstance(body, str) else body
    if looks_like_html(raw):
        return "an HTML error page"
    try:
        obj = json.loads(raw)
    except ValueError:
        return collapse(raw[:200].decode("utf-8", "replace"))
    if isinstance(obj, dict):
        for key in ("error", "message"):
            if isinstance(obj.get(key), str):
                return collapse(obj[key])
    return collapse(raw[:200].decode("utf-8", "replace"))


def _api_error(body: bytes) -> bool:
    """True when a body is S2's JSON error object (not a proxy's or web server's page)."""
    try:
        obj = json.loads(body)
    except ValueError:
        return False
    return isinstance(obj, dict) and ("error" in obj or "message" in obj)


# -- identifiers --------------------------------------------------------------------------


def lookup_id(
    *,
    arxiv_id: str | None = None,
    doi: str | None = None,
    s2_id: str | None = None,
) -> str | None:
    """The paper id to send to S2, in its documented form: ``ARXIV:<id>``, ``DOI:<doi>`` or sha.

    arXiv ids win (a version suffix is dropped); an arXiv DOI (10.48550/arXiv.<id>) becomes an
    ``ARXIV:`` id because S2 files arXiv papers under that.
    """
    if arxiv_id and arxiv_id.strip():
        return "ARXIV:" + strip_arxiv_version(arxiv_id)
    if doi and doi.strip():
        doi = doi.strip()
        if is_arxiv_doi(doi) and "/arxiv." in doi.lower():
            return "ARXIV:" + strip_arxiv_version(doi[doi.lower().index("/arxiv.") + 7 :])
        return "DOI:" + doi
    if s2_id and s2_id.strip():
        return s2_id.strip()
    return None


# -- client -------------------------------------------------------------------------------


class SemanticScholar:
    """Semantic Scholar calls on top of an :class:`HttpClient`.

    ``base_url`` is the Graph API root (the caller passes config's ``PUBMAN_S2_API_URL``
    override); ``api_key`` is sent as ``x-api-key`` when given.
    """

    def __init__(
        self,
        http: HttpClient,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str | None = None,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        # a key pasted with its line break would break the header and show up in errors
        self._api_key = "".join((api_key or "").split()) or None
        self.service = SERVICE_WITH_KEY if self._api_key else SERVICE_WITHOUT_KEY

    def __repr__(self) -> str:  # keeps the key out of tracebacks and debug output
        key = "set" if self._api_key else "unset"
        return f"SemanticScholar(base_url={self.base_url!r}, api_key={key})"

    def _get(self, path: str, params: dict[str, Any]) -> HttpResult:
        return self.http.fetch(
            self.service,
            "GET",
            self.base_url + path,
            params=params,
            headers=self._headers(),
            parse=self._accept,
        )

    def _headers(self) -> dict[str, str]:
        return {"x-api-key": self._api_key} if self._api_key else {}

    def _accept(self, result: HttpResult) -> HttpResult:
        """Pass 200 and 404 through (after checking 200 is JSON); raise for anything else."""
        if result.status == 200:
            load_json(result.body)
            return result
        if result.status == 404 and _api_error(result.body):
            return result
        raise self._error(result)

    def _error(self, result: HttpResult) -> SourceError:
        detail = parse_error(result.body)
        if result.status == 403 and self._api_key:
            return SourceError(
                LABEL,
                "S2_API_KEY was rejected (HTTP 403)",
                url=result.url,
                status=403,
                hint="check the key, or unset S2_API_KEY",
            )
        if result.status == 400:
            return SourceError(
                LABEL, f"request rejected (HTTP 400): {detail}", url=result.url, status=400
            )
        if result.status == 404:  # not S2's JSON "not found": the base URL is probably wrong
            return SourceError(
                LABEL,
                f"{result.url} does not exist (HTTP 404)",
                url=result.url,
                status=404,
                hint="check the Semantic Scholar API base URL",
            )
        return status_error(self.service, result, detail)

    def _accept_batch(self, result: HttpResult) -> HttpResult:
        """Like :meth:`_accept`, also passing S2's 400 for a batch of ids it knows none of."""
        if result.status == 400 and parse_error(result.body).lower().startswith(NO_KNOWN_IDS):
            return result
        return self._accept(result)

    def author_papers(self, author_id: str) -> list[RemotePaper]:
        """Every paper of an author, following ``next`` until the last page."""
        papers: list[RemotePaper] = []
        offset: int | None = 0
        for _page in range(MAX_PAGES + 1):
            if offset is None:
                return papers
            if _page == MAX_PAGES:  # a server whose ``next`` never ends
                raise SourceError(
                    LABEL,
                    f"author {author_id}: more than {MAX_PAGES} pages of papers; stopped",
                    hint="check the Semantic Scholar author id (is it a merged profile?)",
                )
            params = {"fields": FIELDS, "limit": PAGE_SIZE, "offset": offset}
            result = self._get(f"/author/{author_id}/papers", params)
            if result.status == 404:
                raise SourceError(
                    LABEL,
                    f"author {author_id} not found",
                    url=result.url,
                    status=404,
                    hint="check the Semantic Scholar author id",
                )
            page, next_offset = parse_papers_page(result.body)
            papers.extend(page)
            more = page and next_offset is not None and next_offset > offset
            offset = next_offset if more else None
        return papers

    def papers_batch(self, ids: Sequence[str]) -> list[RemotePaper | None]:
        """Look up many papers by id (see :func:`lookup_id`), ≤500 per request.

        The answer has one item per id, in order; ``None`` where S2 knows no such paper (also
        when S2 knows none of a chunk's ids and says so with a 400 instead of nulls).
        """
        found: list[RemotePaper | None] = []
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = list(ids[start : start + BATCH_SIZE])
            result = self.http.fetch(
                self.service,
                "POST",
                self.base_url + "/paper/batch",
                params={"fields": FIELDS},
                json_body={"ids": chunk},
                headers=self._headers(),
                parse=self._accept_batch,
            )
            if result.status == 400:  # "No valid paper ids given": none of them is known
                found.extend([None] * len(chunk))
                continue
            if result.status == 404:  # undocumented for batches: report, don't guess
                raise SourceError(
                    LABEL,
                    f"batch lookup failed: {parse_error(result.body)}",
                    url=result.url,
                    status=404,
                )
            found.extend(parse_batch(result.body, len(chunk)))
        return found

    def match_title(self, title: str) -> RemotePaper | None:
        """S2's best match for a title, or ``None`` ("Title match not found").

        S2 may match loosely (a partial title matched in recorded answers): compare titles.
        """
        result = self._get("/paper/search/match", {"query": collapse(title), "fields": FIELDS})
        if result.status == 404:
            return None
        return parse_match(result.body)

    def search_authors(self, name: str, limit: int = 100) -> list[dict[str, Any]]:
        """Authors matching a name (hyphens become spaces: S2 finds nothing with them)."""
        query = collapse(name.replace("-", " "))
        params = {"query": query, "fields": AUTHOR_FIELDS, "limit": min(limit, PAGE_SIZE)}
        result = self._get("/author/search", params)
        if result.status == 404:
            return []
        return parse_author_search(result.body)
