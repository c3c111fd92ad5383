"""Semantic Scholar: parsers on recorded responses (tests/data/api, see PROVENANCE.md) and the
client's requests against the replay server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replay import html_error_page, json_reply

from pubman.errors import SourceError
from pubman.sources import semanticscholar as s2
from pubman.sources.http import HttpClient

DATA = Path(__file__).resolve().parent / "data" / "api"
SHARED_API = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "api"
BATCH_IDS = [
    "CorpusId:211530585",
    "CorpusId:470667",
    "10.2139/ssrn.2250500",
    "0f40b1f08821e22e859c6050916cec3667778613",
]


def body(name: str) -> bytes:
    return (DATA / name).read_bytes()


def client(replay_server, tmp_path: Path, api_key: str | None = None) -> s2.SemanticScholar:
    http = HttpClient(
        cache_path=tmp_path / "http.sqlite",
        min_interval=0.0,
        backoff_base=0.01,
        backoff_cap=0.02,
        read_timeout=2.0,
    )
    return s2.SemanticScholar(http, replay_server.url + "/graph/v1/", api_key=api_key)


# -- parsers on recorded bytes -------------------------------------------------------------


def test_batch_keeps_order_and_null_placeholders():
    papers = s2.parse_batch(body("s2_batch_with_null.json"), len(BATCH_IDS))
    assert papers[0] is None
    assert [p.s2_id for p in papers[1:] if p] == [
        "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce",
        "cb1ebd913c3724c599f6b276b14b5c6253da68f3",
        "0f40b1f08821e22e859c6050916cec3667778613",
    ]
    first = papers[1]
    assert first is not None
    assert first.title == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert first.authors == ("Marianne Bertrand", "E. Duflo", "S. Mullainathan")
    assert first.author_ids == ("81141608", "2259683", "2062143")
    assert (first.year, first.doi, first.publication_date) == (
        2001,
        "10.2139/ssrn.288970",
        "2001-10-01",
    )
    assert first.citation_count == 10670
    assert ("CorpusId", "470667") in first.external_ids
    last = papers[3]
    assert last is not None and (last.venue, last.venue_kind, last.publication_date) == ("", "", "")


def test_sixty_real_papers_with_null_and_empty_fields():
    """Author.json of the shared fixture collection (real S2 answer, not copied here, see
    ../shared/fixtures/api/README.md): venue "", publicationVenue/journal/publicationTypes
    null, journal {"name": "", "volume": ""}, a null year."""
    path = SHARED_API / "s2" / "danielnsilva-semanticscholar" / "Author.json"
    if not path.is_file():
        pytest.skip("shared fixtures not present; they are beside the repo in CI only")
    raw = json.loads(path.read_bytes())["papers"]
    papers = {p.s2_id: p for p in map(s2.parse_paper, raw) if p is not None}
    assert len(papers) == len(raw) == 60
    assert all(p.title and all(isinstance(a, str) for a in p.author_ids) for p in papers.values())
    no_year = papers["4d81ff79406cd02e064285e5f61e5b6bde68f5e7"]
    assert (no_year.year, no_year.venue, no_year.venue_kind) == (None, "", "")
    assert no_year.publication_types == ("Review",)
    blank = papers["6e28b5b4d15ddd352ca9b5bf1bfd128448a3bcdc"]  # journal {name: "", volume: ""}
    assert (blank.venue, blank.venue_kind, blank.volume, blank.publication_types) == (
        "",
        "",
        "",
        (),
    )
    jsl = papers["092da8384571c8261858e91e3278e765eedde1d5"]
    assert (jsl.venue, jsl.venue_kind, jsl.volume, jsl.pages, jsl.doi) == (
        "Journal of Symbolic Logic (JSL)",
        "journal",
        "13",
        "80 - 94",
        "10.2307/2267329",
    )


def test_batch_of_the_wrong_length_is_malformed():
    with pytest.raises(SourceError, match="asked for 5 papers, got 4"):
        s2.parse_batch(body("s2_batch_with_null.json"), 5)


def test_author_papers_pages_follow_next_only():
    page, next_offset = s2.parse_papers_page(body("s2_author_papers_offset700.json"))
    assert (len(page), next_offset) == (100, 800)
    page, next_offset = s2.parse_papers_page(body("s2_author_papers_offset800.json"))
    assert (len(page), next_offset) == (75, None)
    assert all(p.title and p.s2_id for p in page)


def test_empty_search_without_data_key_is_an_empty_list():
    assert s2.parse_papers_page(body("s2_search_empty.json")) == ([], None)


def test_title_match_of_a_conference_paper_with_arxiv_id():
    paper = s2.parse_match(body("s2_match_attention.json"))
    assert paper is not None
    assert paper.title == "Attention is All you Need"
    assert (paper.venue, paper.venue_kind) == (
        "Neural Information Processing Systems",
        "conference",
    )
    assert (paper.arxiv_id, paper.doi, paper.pages) == ("1706.03762", None, "5998-6008")
    assert paper.authors[0] == "Ashish Vaswani" and len(paper.authors) == 8


def test_arxiv_only_paper_has_no_doi_and_no_venue():
    paper = s2.parse_paper(json.loads(body("s2_paper_arxiv_doi.json")))
    assert paper is not None
    assert paper.arxiv_id == "2312.07559"
    assert paper.doi is None  # 10.48550/arXiv.2312.07559 is not a publication DOI
    assert (paper.venue, paper.venue_kind, paper.volume) == ("", "preprint", "")


def test_publication_venue_object_wins_and_gives_the_kind():
    obj = {
        "paperId": "x",
        "title": "T",
        "venue": "ICML",
        "publicationVenue": {
            "name": "International Conference on Machine Learning",
            "type": "conference",
        },
        "journal": {"name": "ArXiv", "volume": "abs/2301.00001"},
        "externalIds": {"ArXiv": "2301.00001v2", "DOI": "10.5555/1"},
    }
    paper = s2.parse_paper(obj)
    assert paper is not None
    assert (paper.venue, paper.venue_kind) == (
        "International Conference on Machine Learning",
        "conference",
    )
    assert (paper.arxiv_id, paper.doi, paper.volume) == ("2301.00001", "10.5555/1", "")


@pytest.mark.parametrize(
    "name, message",
    [
        ("s2_429.json", "Too Many Requests. Please wait and try again"),
        ("s2_403.json", "Forbidden"),
        ("s2_match_404.json", "Title match not found"),
        ("s2_400_fields.json", "Unrecognized or unsupported fields: [unknown]"),
    ],
)
def test_error_bodies_with_error_or_message_key(name, message):
    assert s2.parse_error(body(name)).startswith(message)


def test_author_search_returns_authors():
    authors = s2.parse_author_search(body("s2_author_search.json"))
    assert authors[0] == {"authorId": "2262347", "name": "A. Turing"}


@pytest.mark.parametrize(
    "raw, message",
    [
        (b'{"offset": 0, "data": [{"title": "cut', "malformed response"),
        (b"[1, 2]", "malformed response"),
        (b'{"data": {"title": "x"}}', "malformed response"),
        (b"<!DOCTYPE html><html><body>Bad gateway</body></html>", "HTML page"),
        (b"\xff\xfe not utf-8", "malformed response"),
    ],
)
def test_broken_bodies_raise_source_error(raw, message):
    with pytest.raises(SourceError, match=message) as err:
        s2.parse_papers_page(raw)
    assert err.value.service == "Semantic Scholar"


def test_lookup_ids_use_the_documented_forms():
    assert s2.lookup_id(arxiv_id="1706.03762v5", doi="10.1/x") == "ARXIV:1706.03762"
    assert s2.lookup_id(doi="10.48550/arXiv.2312.07559") == "ARXIV:2312.07559"
    assert s2.lookup_id(doi=" 10.1093/mind/lix.236.433 ") == "DOI:10.1093/mind/lix.236.433"
    assert (
        s2.lookup_id(s2_id="0f40b1f08821e22e859c6050916cec3667778613")
        == "0f40b1f08821e22e859c6050916cec3667778613"
    )
    assert s2.lookup_id() is None


# -- the client against the replay server ---------------------------------------------------


def test_author_papers_follows_next_with_limit_1000(replay_server, tmp_path):
    path = "/graph/v1/author/1723755/papers"
    replay_server.add(
        "GET", path, json_reply(body("s2_author_papers_offset700.json")), query={"offset": "0"}
    )
    replay_server.add(
        "GET", path, json_reply(body("s2_author_papers_offset800.json")), query={"offset": "800"}
    )
    papers = client(replay_server, tmp_path).author_papers("1723755")
    assert len(papers) == 175
    sent = replay_server.requests
    assert [r.query["offset"] for r in sent] == ["0", "800"]
    assert all(r.query["limit"] == "1000" and r.query["fields"] == s2.FIELDS for r in sent)


def test_papers_batch_posts_at_most_500_ids_with_fields_in_the_query(replay_server, tmp_path):
    ids = [f"ARXIV:2301.{n:05d}" for n in range(501)]
    hit = {"paperId": "a" * 40, "title": "Found", "externalIds": {"ArXiv": "2301.00500"}}
    replay_server.add(
        "POST", "/graph/v1/paper/batch", json_reply([None] * 500), json_body={"ids": ids[:500]}
    )
    replay_server.add(
        "POST", "/graph/v1/paper/batch", json_reply([hit]), json_body={"ids": ids[500:]}
    )
    papers = client(replay_server, tmp_path).papers_batch(ids)
    assert len(papers) == 501 and papers[:500] == [None] * 500
    assert papers[500] is not None and papers[500].arxiv_id == "2301.00500"
    assert [len(json.loads(r.body)["ids"]) for r in replay_server.requests] == [500, 1]
    assert all(r.query == {"fields": s2.FIELDS} for r in replay_server.requests)


def test_papers_batch_with_recorded_nulls(replay_server, tmp_path):
    replay_server.add(
        "POST",
        "/graph/v1/paper/batch",
        json_reply(body("s2_batch_with_null.json")),
        json_body={"ids": BATCH_IDS},
    )
    papers = client(replay_server, tmp_path).papers_batch(BATCH_IDS)
    assert papers[0] is None and all(papers[1:])
    assert client(replay_server, tmp_path).papers_batch([]) == []


def test_batch_of_ids_s2_knows_none_of_is_all_nulls_not_an_error(replay_server, tmp_path):
    """Live S2 answers a batch without one known id with 400 "No valid paper ids given" (not
    with nulls), e.g. for a preprint it has not indexed yet; other 400s still fail."""
    batch = "/graph/v1/paper/batch"
    unknown = ["ARXIV:2601.00001", "DOI:10.5555/nothing"]
    replay_server.add(
        "POST",
        batch,
        json_reply({"error": "No valid paper ids given"}, status=400),
        json_body={"ids": unknown},
    )
    replay_server.add("POST", batch, json_reply(body("s2_400_fields.json"), status=400))
    api = client(replay_server, tmp_path)
    assert api.papers_batch(unknown) == [None, None]
    with pytest.raises(SourceError, match=r"request rejected \(HTTP 400\): Unrecognized"):
        api.papers_batch(["ARXIV:2601.00002"])


def test_match_title_found_and_not_found(replay_server, tmp_path):
    path = "/graph/v1/paper/search/match"
    replay_server.add(
        "GET",
        path,
        json_reply(body("s2_match_attention.json")),
        query={"query": "Attention is All you Need"},
    )
    replay_server.add("GET", path, json_reply(body("s2_match_404.json"), status=404))
    api = client(replay_server, tmp_path)
    found = api.match_title("Attention   is All\nyou Need")
    assert found is not None and found.arxiv_id == "1706.03762"
    assert api.match_title("abs12032jsdafn") is None


def test_a_404_that_is_not_s2s_means_a_wrong_base_url(replay_server, tmp_path):
    replay_server.add("GET", "/graph/v1/paper/search/match", html_error_page(404))
    with pytest.raises(SourceError, match="HTTP 404") as err:
        client(replay_server, tmp_path).match_title("anything")
    assert "base URL" in (err.value.hint or "")


def test_search_authors_replaces_hyphens(replay_server, tmp_path):
    replay_server.add("GET", "/graph/v1/author/search", json_reply(body("s2_author_search.json")))
    authors = client(replay_server, tmp_path).search_authors("Jean-Paul  Sartre")
    assert authors[0]["name"] == "A. Turing"
    assert replay_server.requests[0].query["query"] == "Jean Paul Sartre"


def test_rejected_key_bad_fields_and_unknown_author(replay_server, tmp_path):
    replay_server.add(
        "GET", "/graph/v1/author/1/papers", json_reply(body("s2_403.json"), status=403)
    )
    replay_server.add(
        "GET", "/graph/v1/author/2/papers", json_reply(body("s2_400_fields.json"), status=400)
    )
    replay_server.add(
        "GET",
        "/graph/v1/author/3/papers",
        json_reply(b'{"error":"Author with id 3 not found"}', status=404),
    )
    api = client(replay_server, tmp_path, api_key="k-123")
    with pytest.raises(SourceError, match="S2_API_KEY was rejected"):
        api.author_papers("1")
    with pytest.raises(SourceError, match=r"request rejected \(HTTP 400\): Unrecognized"):
        api.author_papers("2")
    with pytest.raises(SourceError, match="author 3 not found"):
        api.author_papers("3")


def test_html_page_with_status_200_is_reported(replay_server, tmp_path):
    replay_server.add("GET", "/graph/v1/author/1/papers", html_error_page(200))
    with pytest.raises(SourceError, match="HTML page where JSON was expected"):
        client(replay_server, tmp_path).author_papers("1")
