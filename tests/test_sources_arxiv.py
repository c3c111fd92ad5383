"""arXiv: the feed parser on recorded legacy and current feeds (tests/data/api, see
PROVENANCE.md), unsafe and broken XML, and the client's batching and paging."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from replay import atom_reply, entity_bomb, html_error_page, malformed_atom

from pubman.errors import SourceError
from pubman.sources import arxiv
from pubman.sources.http import HttpClient

DATA = Path(__file__).resolve().parent / "data" / "api"
SHARED_ARXIV = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "api" / "arxiv"


def feed(name: str) -> bytes:
    return (DATA / name).read_bytes()


def client(replay_server, tmp_path: Path) -> arxiv.Arxiv:
    http = HttpClient(
        cache_path=tmp_path / "http.sqlite",
        min_interval=0.0,
        backoff_base=0.01,
        backoff_cap=0.02,
        read_timeout=2.0,
    )
    return arxiv.Arxiv(http, replay_server.url + "/api/query")


# -- parser -----------------------------------------------------------------------------------


def test_legacy_entry_with_doi_journal_ref_and_wrapped_text():
    (paper,) = arxiv.parse_feed(feed("arxiv_legacy_doi.xml"))
    assert paper.arxiv_id == "1710.08557"  # version stripped
    assert paper.title == (
        "On Neuromechanical Approaches for the Study of Biological Grasp and Manipulation"
    )
    assert paper.abstract.startswith("Biological and robotic grasp and manipulation are ")
    assert "\n" not in paper.abstract and "  " not in paper.abstract
    assert paper.doi == "10.1186/s12984-017-0305-3"
    assert paper.journal_ref == "Journal of NeuroEngineering and Rehabilitation, 2017"
    assert paper.authors == ("Francisco J Valero-Cuevas", "Marco Santello")
    assert (paper.year, paper.publication_date) == (2017, "2017-10-24")
    assert (paper.primary_category, paper.venue, paper.venue_kind) == ("cs.RO", "", "preprint")
    assert paper.url == "https://arxiv.org/abs/1710.08557"


def test_current_format_links_without_rel_and_doi_link_with_rel_only():
    papers = arxiv.parse_feed(feed("arxiv_current_nov2025_query.xml"))
    assert len(papers) == 10
    by_id = {p.arxiv_id: p for p in papers}
    cern = by_id["1309.4668"]
    assert cern.doi == "10.5170/CERN-2013-002.237"
    assert cern.journal_ref == "CERN Yellow Report CERN-2013-002, pp.237-240"
    assert by_id["nucl-ex/0408020"].primary_category == "nucl-ex"
    assert sum(1 for p in papers if p.doi) == 7  # the feed has seven <arxiv:doi> elements
    assert all(p.url == f"https://arxiv.org/abs/{p.arxiv_id}" for p in papers)


def test_same_query_in_both_formats_gives_the_same_paper():
    (legacy,) = arxiv.parse_feed(feed("arxiv_legacy_missing_id.xml"))  # 3 bogus entries skipped
    (current,) = arxiv.parse_feed(feed("arxiv_current_nov2025_missing_id.xml"))
    assert legacy.arxiv_id == current.arxiv_id == "2201.13452"
    assert legacy.title == current.title
    assert legacy.abstract == current.abstract
    assert legacy.authors == current.authors == ("Hong-Ming Yin", "Jun Zou")
    assert legacy.comment == current.comment == "34 pages"


def test_utf8_names_old_style_ids_and_missing_ids():
    (paper,) = arxiv.parse_feed(feed("arxiv_current_two_ids.xml"))  # 0808.05394 is unknown
    assert paper.arxiv_id == "1707.08567"
    assert "Dirk Wübben" in paper.authors and len(paper.authors) == 34
    (old,) = arxiv.parse_feed(feed("arxiv_current_old_style_id.xml"))
    assert old.arxiv_id == "astro-ph/0601001"
    assert old.journal_ref == "ActaAstron.56:1-50,2006"


@pytest.mark.parametrize("name", ["arxiv_current_empty.xml", "arxiv_legacy_empty.xml"])
def test_empty_feeds(name):
    assert arxiv.parse_feed(feed(name)) == []


@pytest.mark.parametrize(
    "name, message",
    [
        ("arxiv_current_error.xml", "arXiv: incorrect id format for abc"),
        ("arxiv_legacy_error.xml", "arXiv: incorrect id format for INVALIDID"),
    ],
)
def test_error_feeds_raise_with_arxivs_message(name, message):
    with pytest.raises(SourceError) as err:
        arxiv.parse_feed(feed(name))
    assert str(err.value).startswith(message)


def test_entity_bomb_and_external_entities_are_refused():
    with pytest.raises(SourceError, match="arXiv: refused unsafe XML"):
        arxiv.parse_feed(entity_bomb().body)
    external = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>'
    )
    with pytest.raises(SourceError, match="refused unsafe XML"):
        arxiv.parse_feed(external)


@pytest.mark.parametrize(
    "raw, message",
    [
        (malformed_atom().body, "malformed response"),
        (html_error_page().body, "HTML page where an Atom feed was expected"),
        (b'{"not": "xml"}', "malformed response"),
        (b"<rss><channel/></rss>", "not an Atom feed"),
    ],
)
def test_broken_feeds(raw, message):
    with pytest.raises(SourceError, match=message):
        arxiv.parse_feed(raw)


def test_every_recorded_arxiv_body_parses():
    """All 23 real bodies of the shared fixture collection (2019 to 2026, both formats; not
    copied here): papers with id, title, authors and year, or arXiv's own error message."""
    bodies = sorted(SHARED_ARXIV.rglob("*.xml"))
    if not bodies:
        pytest.skip("shared fixtures not present; they are beside the repo in CI only")
    errors, papers = [], []
    for path in bodies:
        try:
            papers += arxiv.parse_feed(path.read_bytes())
        except SourceError as err:
            errors.append(err.message)
    assert sorted(errors) == [
        "arXiv: incorrect id format for INVALIDID",
        "arXiv: incorrect id format for abc",
    ]
    assert len(papers) >= 40
    assert all(p.arxiv_id and arxiv.normalize_arxiv_id(p.arxiv_id) == p.arxiv_id for p in papers)
    assert all(p.title and p.authors and p.year and p.primary_category for p in papers)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2201.13452", "2201.13452"),
        ("arXiv:2201.13452v3", "2201.13452"),
        ("https://arxiv.org/abs/1707.08567v1", "1707.08567"),
        ("astro-ph/0601001v2", "astro-ph/0601001"),
        ("math.GT/0309136", "math/0309136"),
        ("0112019", None),
        ("0704.0001", "0704.0001"),
        ("1412.9999", "1412.9999"),
        ("1501.00001", "1501.00001"),
        ("0808.05394", "0808.05394"),  # no such paper, but arXiv answers it without an error
        ("hep-th/9108001", "hep-th/9108001"),
        ("cs/0703001", "cs/0703001"),
        # no such dates: arXiv may reject a whole id_list for one of them
        ("2113.12345", None),
        ("2100.12345", None),
        ("0703.1234", None),
        ("1234.12345", None),
        ("math/0713001", None),
        ("quant-ph/0801001", None),
        ("abc", None),
        ("", None),
    ],
)
def test_normalize_arxiv_id(text, expected):
    assert arxiv.normalize_arxiv_id(text) == expected


@given(st.text())
def test_normalize_arxiv_id_is_idempotent(text):
    once = arxiv.normalize_arxiv_id(text)
    assert once is None or arxiv.normalize_arxiv_id(once) == once


# -- client ---------------------------------------------------------------------------------


def test_fetch_ids_batches_with_max_results_equal_to_batch_size(replay_server, tmp_path):
    replay_server.add("GET", "/api/query", atom_reply(feed("arxiv_current_two_ids.xml")))
    ids = [f"2301.{n:05d}v2" for n in range(250)] + ["not-an-id", "2301.00000"]
    papers = client(replay_server, tmp_path).fetch_ids(ids)
    sent = replay_server.requests
    assert [r.query["max_results"] for r in sent] == ["100", "100", "50"]
    assert all(r.query["start"] == "0" for r in sent)
    sent_ids = [i for r in sent for i in r.query["id_list"].split(",")]
    assert len(sent_ids) == 250 and sent_ids[0] == "2301.00000"  # deduplicated, no versions
    assert [p.arxiv_id for p in papers] == ["1707.08567"] * 3


def test_fetch_ids_leaves_out_ids_of_dates_arxiv_never_issued(replay_server, tmp_path):
    replay_server.add("GET", "/api/query", atom_reply(feed("arxiv_current_two_ids.xml")))
    papers = client(replay_server, tmp_path).fetch_ids(["2113.1234", "1707.08567v1", "0613.00001"])
    assert [r.query["id_list"] for r in replay_server.requests] == ["1707.08567"]
    assert [p.arxiv_id for p in papers] == ["1707.08567"]


def test_fetch_ids_reports_arxivs_error_message(replay_server, tmp_path):
    replay_server.add("GET", "/api/query", atom_reply(feed("arxiv_current_error.xml"), 400))
    with pytest.raises(SourceError) as err:
        client(replay_server, tmp_path).fetch_ids(["2201.13452"])
    assert "incorrect id format for abc" in str(err.value) and err.value.status == 400


def test_search_pages_with_start(replay_server, tmp_path):
    replay_server.add("GET", "/api/query", atom_reply(feed("arxiv_current_nov2025_query.xml")))
    papers = client(replay_server, tmp_path).search(
        "all:electron AND all:proton", max_results=20, page_size=10
    )
    assert len(papers) == 20
    assert [(r.query["start"], r.query["max_results"]) for r in replay_server.requests] == [
        ("0", "10"),
        ("10", "10"),
    ]
    assert replay_server.requests[0].query["search_query"] == "all:electron AND all:proton"


def test_search_query_in_the_manuals_url_form_is_not_double_encoded(replay_server, tmp_path):
    """arXiv reads %2B as a literal plus: a query copied from the manual with + for spaces must
    go out as the manual writes it, and one written with spaces the same way."""
    replay_server.add("GET", "/api/query", atom_reply(feed("arxiv_current_empty.xml")))
    urls: list[str] = []
    http = HttpClient(
        cache_path=tmp_path / "c.sqlite",
        min_interval=0.0,
        progress=lambda e: urls.append(e.url) if e.kind != "send" else None,
    )
    api = arxiv.Arxiv(http, replay_server.url + "/api/query")
    api.search("au:del_maestro+AND+ti:%22quantum+criticality%22")
    api.search('au:del_maestro AND ti:"quantum criticality"')
    wire = "search_query=au%3Adel_maestro+AND+ti%3A%22quantum+criticality%22"
    assert [wire in u for u in urls] == [True, True] and "%2B" not in "".join(urls)
    assert replay_server.count() == 1  # the same request: the second came from the cache
    assert replay_server.requests[0].query["search_query"] == (
        'au:del_maestro AND ti:"quantum criticality"'
    )


def test_search_stops_on_an_empty_page(replay_server, tmp_path):
    replay_server.add("GET", "/api/query", atom_reply(feed("arxiv_current_empty.xml")))
    assert client(replay_server, tmp_path).search("ti:nothing") == []
    assert replay_server.count() == 1


def test_unsafe_or_broken_feeds_from_the_server_are_not_cached(replay_server, tmp_path):
    replay_server.add(
        "GET",
        "/api/query",
        [malformed_atom(), entity_bomb(), atom_reply(feed("arxiv_legacy_doi.xml"))],
    )
    api = client(replay_server, tmp_path)
    with pytest.raises(SourceError, match="malformed"):
        api.fetch_ids(["1710.08557"])
    with pytest.raises(SourceError, match="refused unsafe XML"):
        api.fetch_ids(["1710.08557"])
    assert [p.doi for p in api.fetch_ids(["1710.08557"])] == ["10.1186/s12984-017-0305-3"]
    assert api.fetch_ids(["1710.08557"])[0].arxiv_id == "1710.08557"  # now from the cache
    assert replay_server.count() == 3
