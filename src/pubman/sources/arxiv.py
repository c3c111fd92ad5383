"""arXiv API (Atom feeds): a pure, defensive feed parser plus a thin client.

:func:`parse_feed` turns response bytes into :class:`RemotePaper` records. It uses defusedxml
(no DTDs, no entity expansion, no external entities), finds elements by namespace URI, reads
links by ``href`` pattern, and copes with both the legacy (≤ Aug 2025) and current feed formats.
Legacy "bogus" entries without an ``<id>`` are skipped; an error feed (entry id under
``/api/errors``) raises :class:`SourceError` with arXiv's message. No I/O in the parser.

:class:`Arxiv` sends ``id_list`` queries in batches of at most 100 ids with ``max_results``
equal to the batch size (arXiv otherwise returns only 10 entries), and pages searches with
``start``. Requests go through :class:`~pubman.sources.http.HttpClient` (cached, 3 s apart).
Entries are keyed by their own id, never by position: arXiv drops unknown ids silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pubman.errors import SourceError
from pubman.identifiers import is_arxiv_doi, strip_arxiv_version
from pubman.identifiers import normalize_arxiv_id as _normalize
from pubman.sources.http import HttpClient, HttpResult, Service, looks_like_html, status_error
from pubman.sources.remote import RemotePaper, collapse

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

DEFAULT_BASE_URL = "https://export.arxiv.org/api/query"
LABEL = "arXiv"
BATCH_SIZE = 100  # ids per id_list request (arxiv.py's page size; arXiv documents no maximum)
PAGE_SIZE = 100
SERVICE = Service(
    "arxiv", LABEL, 3.0, "arXiv allows one request every 3 seconds; wait a minute and try again"
)

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@dataclass(frozen=True)
class FeedPage:
    """One parsed feed: its papers and ``opensearch:totalResults`` (None if absent)."""

    papers: list[RemotePaper]
    total_results: int | None


def normalize_arxiv_id(text: str) -> str | None:
    """``2201.13452`` from ``arXiv:2201.13452v2``, an abs URL, or a bare id; None if invalid.

    Invalid also means a date arXiv never issued ids for: a month outside 01-12, a new-style id
    before 0704, an old-style id outside 9108-0703. Sent in an ``id_list``, such an id (a typo
    in the .bib) can make arXiv reject the whole batch. (A 5-digit number before 1501 is let
    through: arXiv answers it with no entry, as recorded for ``0808.05394``.)
    """
    value = _normalize(text)  # the one reading of an id; this adds the date check
    if value is None:
        return None
    new_style = "/" not in value
    return value if _issued(value[:4] if new_style else value[-7:-3], new_style=new_style) else None


def _issued(yymm: str, *, new_style: bool) -> bool:
    """Whether arXiv issued ids of this style in year-month ``yymm``."""
    if not 1 <= int(yymm[2:]) <= 12:
        return False
    return int(yymm) >= 704 if new_style else (int(yymm) >= 9108 or int(yymm) <= 703)


def parse_feed(body: bytes) -> list[RemotePaper]:
    """The papers in an arXiv Atom feed, in feed order (see the module docstring)."""
    return parse_feed_page(body).papers


def parse_feed_page(body: bytes) -> FeedPage:
    """Like :func:`parse_feed`, also returning ``totalResults`` for paging."""
    root = _parse_xml(body)
    if root.tag != ATOM + "feed":
        raise SourceError(
            LABEL, f"malformed response (root element is {_local(root.tag)!r}, not an Atom feed)"
        )
    papers = []
    for entry in root.findall(ATOM + "entry"):
        _raise_if_error(entry)
        paper = _parse_entry(entry)
        if paper is not None:
            papers.append(paper)
    total = _text(root.find(OPENSEARCH + "totalResults"))
    return FeedPage(papers, int(total) if total.isdigit() else None)


def _parse_xml(body: bytes) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if looks_like_html(body):  # before parsing: <!DOCTYPE html> would count as a DTD
        raise SourceError(
            LABEL,
            "answered with an HTML page where an Atom feed was expected",
            hint="the service may be down; try again later",
        )
    try:
        root: Element = fromstring(body, forbid_dtd=True)  # defusedxml is untyped
        return root
    except DefusedXmlException:
        raise SourceError(
            LABEL,
            "refused unsafe XML (it declares a DTD or entities)",
            hint="this is not what arXiv sends; check the arXiv API URL",
        ) from None
    except ParseError as exc:
        raise SourceError(LABEL, f"malformed response (not well-formed XML: {exc})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Element | None) -> str:
    return collapse(element.text) if element is not None else ""


def _error_message(entry: Element) -> str | None:
    """arXiv reports errors as a feed whose single entry lives under /api/errors."""
    entry_id = _text(entry.find(ATOM + "id"))
    authors = [_text(a.find(ATOM + "name")) for a in entry.findall(ATOM + "author")]
    title = _text(entry.find(ATOM + "title"))
    if "/api/errors" in entry_id or (title == "Error" and "arXiv api core" in authors):
        return _text(entry.find(ATOM + "summary")) or "the request was rejected"
    return None


def _raise_if_error(entry: Element) -> None:
    message = _error_message(entry)
    if message is not None:
        raise SourceError(LABEL, message, hint="check the arXiv ids or the search query")


def feed_error(body: bytes) -> str | None:
    """arXiv's message if ``body`` is an error feed, else None. Never raises."""
    try:
        root = _parse_xml(body)
    except SourceError:
        return None
    for entry in root.findall(ATOM + "entry"):
        message = _error_message(entry)
        if message is not None:
            return message
    return None


def _parse_entry(entry: Element) -> RemotePaper | None:
    entry_id = _text(entry.find(ATOM + "id"))
    if "/abs/" not in entry_id:
        return None  # legacy placeholder for an id arXiv does not know
    arxiv_id = strip_arxiv_version(entry_id.split("/abs/", 1)[1])
    published = _text(entry.find(ATOM + "published"))
    year = published[:4]
    primary = entry.find(ARXIV + "primary_category")
    category = primary.get("term", "") if primary is not None else ""
    if not category:
        first = entry.find(ATOM + "category")
        category = first.get("term", "") if first is not None else ""
    doi = _entry_doi(entry)
    return RemotePaper(
        source="arxiv",
        title=_text(entry.find(ATOM + "title")),
        authors=tuple(
            n for n in (_text(a.find(ATOM + "name")) for a in entry.findall(ATOM + "author")) if n
        ),
        year=int(year) if year.isdigit() else None,
        venue="",
        venue_kind="preprint",
        doi=doi,
        arxiv_id=arxiv_id,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        publication_date=published[:10] if len(published) >= 10 else "",
        primary_category=category,
        journal_ref=_text(entry.find(ARXIV + "journal_ref")),
        abstract=_text(entry.find(ATOM + "summary")),
        comment=_text(entry.find(ARXIV + "comment")),
        external_ids=(("ArXiv", arxiv_id),) + ((("DOI", doi),) if doi else ()),
    )


def _entry_doi(entry: Element) -> str | None:
    """The journal DOI: ``<arxiv:doi>`` first, else a link whose href goes to doi.org."""
    candidates = _text(entry.find(ARXIV + "doi")).split()
    for link in entry.findall(ATOM + "link"):
        href = link.get("href", "")
        if "doi.org/" in href:
            candidates.append(href.split("doi.org/", 1)[1])
    for doi in candidates:
        if doi and not is_arxiv_doi(doi):
            return doi
    return None


def _batches(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class Arxiv:
    """arXiv calls on top of an :class:`HttpClient`; ``base_url`` is the ``/api/query`` URL."""

    def __init__(
        self,
        http: HttpClient,
        base_url: str = DEFAULT_BASE_URL,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.batch_size = max(1, batch_size)

    def _query(self, params: dict[str, str | int]) -> FeedPage:
        return self.http.fetch(SERVICE, "GET", self.base_url, params=params, parse=_accept_feed)

    def fetch_ids(self, ids: Iterable[str]) -> list[RemotePaper]:
        """Latest-version metadata for arXiv ids (versions are dropped), in batches.

        Ids that are not valid arXiv ids are left out before sending (one would make arXiv
        reject the whole batch); ids arXiv does not know are simply absent from the answer.
        Match the answer to your ids by ``RemotePaper.arxiv_id``.
        """
        wanted = sorted({n for n in (normalize_arxiv_id(i) for i in ids) if n})
        papers: list[RemotePaper] = []
        for batch in _batches(wanted, self.batch_size):
            params: dict[str, str | int] = {
                "id_list": ",".join(batch),
                "start": 0,
                "max_results": len(batch),
            }
            papers.extend(self._query(params).papers)
        return papers

    def search(
        self,
        query: str,
        max_results: int = 100,
        page_size: int = PAGE_SIZE,
    ) -> list[RemotePaper]:
        """Papers matching an arXiv ``search_query`` (e.g. ``au:"Ada Lovelace"``), paged by start.

        A query copied in the URL form of arXiv's manual (``au:del_maestro+AND+ti:%22...%22``)
        is decoded first: sent as it is, each ``+`` would arrive as a literal plus (``%2B``) and
        match nothing. Stops at ``max_results``, at ``totalResults``, or at the first empty page.
        """
        from urllib.parse import unquote_plus

        query = unquote_plus(query)
        papers: list[RemotePaper] = []
        start = 0
        while len(papers) < max_results:
            size = min(page_size, max_results - len(papers))
            page = self._query({"search_query": query, "start": start, "max_results": size})
            papers.extend(page.papers)
            start += size
            if not page.papers or (page.total_results is not None and start >= page.total_results):
                break
        return papers[:max_results]


def _accept_feed(result: HttpResult) -> FeedPage:
    """Parse a 200 feed; for other statuses report arXiv's error entry or the status."""
    if result.status == 200:
        return parse_feed_page(result.body)
    message = feed_error(result.body)
    if message is not None:
        raise SourceError(
            LABEL,
            message,
            url=result.url,
            status=result.status,
            hint="check the arXiv ids or the search query",
        )
    detail = "an HTML error page" if looks_like_html(result.body) else ""
    raise status_error(SERVICE, result, detail)
