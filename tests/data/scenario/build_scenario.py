"""Build the CONSTRUCTED replay scenario for the owner's papers (see README.md here).

Run from the repository root with the dev venv, after editing this script:

    .venv/bin/python tests/data/scenario/build_scenario.py

It reads ../shared/seed/owner-publications.json (public-record metadata of the owner's 20
papers) and the repository's pubs.bib, and writes, next to this script:

- ``s2_author_papers.json``: ``GET /author/1000000001/papers`` as Semantic Scholar answers it
  (``{"offset": 0, "data": [...]}``, no ``next``: one page), with the fields pubman asks for;
- ``s2_author_papers_other.json``: the papers of a constructed namesake profile;
- ``s2_author_search.json``: ``GET /author/search`` finding both profiles;
- ``s2_batch_mor.json``: ``POST /paper/batch`` for ``["ARXIV:2507.10524"]``;
- ``arxiv_feed.xml``: an arXiv Atom feed (the current format) for all their arXiv ids;
- ``pubs-before.bib``: pubs.bib with the changes listed in README.md;
- ``routes.json`` for scripts/replay_server.py.

Everything is constructed in the APIs' documented shapes; the papers' facts come from the seed.
S2 paper ids, author ids, corpus ids and citation counts are made up (paper ids are sha1 hashes
of "pubman-constructed:" + the title, so they cannot collide with real ones by accident).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEED = ROOT.parent / "shared" / "seed" / "owner-publications.json"
OWNER_ID = "1000000001"
NAMESAKE_ID = "1000000002"

# Real publicationVenue objects, as recorded in ../shared/fixtures/api/s2 (Paper.json et al.).
NEURIPS = {
    "id": "d9720b90-d60b-48bc-9df8-87a30b9a60dd",
    "name": "Neural Information Processing Systems",
    "type": "conference",
    "alternate_names": ["Neural Inf Process Syst", "NeurIPS", "NIPS"],
    "url": "http://neurips.cc/",
}
ICML = {
    "id": "fc0a208c-acb7-47dc-a0d4-af8190e21d29",
    "name": "International Conference on Machine Learning",
    "type": "conference",
    "alternate_names": ["ICML", "Int Conf Mach Learn"],
    "url": "https://icml.cc/",
}
ARXIV = {
    "id": "1901e811-ee72-4b20-8f7e-de08cd395a10",
    "name": "arXiv.org",
    "alternate_names": ["ArXiv"],
    "issn": "2331-8422",
    "url": "https://arxiv.org",
}

# How S2 files each CV entry: (venue, publicationVenue, publicationTypes, journal, date).
# None for publicationVenue where S2 often has none; "journal" follows S2's habits (ArXiv
# volume "abs/<id>" even for some conference papers, pages as "a-b").
VENUES = {
    1: (
        "Neural Information Processing Systems",
        NEURIPS,
        ["JournalArticle", "Conference"],
        {
            "name": "Advances in Neural Information Processing Systems 38",
            "pages": "96572-96617",
            "volume": "38",
        },
        "2025-12-02",
    ),
    2: ("arXiv.org", ARXIV, ["JournalArticle"], "arxiv", "2025-05-29"),
    3: (
        "International Conference on Learning Representations",
        None,
        ["JournalArticle", "Conference"],
        "arxiv",
        "2024-10-28",
    ),
    4: ("arXiv.org", ARXIV, ["JournalArticle"], "arxiv", "2024-10-24"),
    5: ("arXiv.org", ARXIV, ["JournalArticle"], "arxiv", "2024-10-14"),
    6: ("arXiv.org", ARXIV, ["JournalArticle"], "arxiv", "2024-10-04"),
    7: ("arXiv.org", ARXIV, ["JournalArticle"], "arxiv", "2023-06-22"),
    8: (
        "Computer Vision and Pattern Recognition",
        None,
        ["JournalArticle", "Conference"],
        {
            "name": "2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
            "pages": "3623-3632",
        },
        "2023-03-02",
    ),
    9: (
        "International Conference on Learning Representations",
        None,
        ["JournalArticle", "Conference"],
        "arxiv",
        "2023-01-28",
    ),
    10: (
        "Information Theory Workshop",
        None,
        ["JournalArticle", "Conference"],
        {"name": "2022 IEEE Information Theory Workshop (ITW)", "pages": "440-445"},
        "2022-05-13",
    ),
    11: (
        "Computer Vision and Pattern Recognition",
        None,
        ["JournalArticle", "Conference"],
        {
            "name": "2022 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
            "pages": "19077-19086",
        },
        "2021-11-26",
    ),
    12: (
        "Frontiers in Artificial Intelligence",
        None,
        ["JournalArticle"],
        {"name": "Frontiers in Artificial Intelligence", "volume": "5"},
        "2022-08-09",
    ),
    13: (
        "Neural Information Processing Systems",
        NEURIPS,
        ["JournalArticle", "Conference"],
        {"pages": "24670-24682"},
        "2021-10-04",
    ),
    14: (
        "International Conference on Learning Representations",
        None,
        ["JournalArticle", "Conference"],
        "arxiv",
        "2021-01-17",
    ),
    15: (
        "International Conference on Machine Learning",
        ICML,
        ["JournalArticle", "Conference"],
        {"pages": "4071-4081"},
        "2020-02-19",
    ),
    16: (
        "Neural Information Processing Systems",
        NEURIPS,
        ["JournalArticle", "Conference"],
        {"pages": "15567-15577"},
        "2017-06-12",
    ),
    17: (
        "Scientific Data",
        None,
        ["JournalArticle"],
        {"name": "Scientific Data", "volume": "6"},
        "2017-03-22",
    ),
    18: ("arXiv.org", ARXIV, ["JournalArticle"], "arxiv", "2019-05-30"),
    19: (
        "International Conference on Machine Learning",
        ICML,
        ["JournalArticle", "Conference"],
        {"pages": "21-29"},
        "2019-04-30",
    ),
    20: (
        "Allerton Conference on Communication, Control, and Computing",
        None,
        ["JournalArticle", "Conference"],
        {
            "name": "2017 55th Annual Allerton Conference on "
            "Communication, Control, and Computing (Allerton)",
            "pages": "180-187",
        },
        "2017-10-10",
    ),
}
CATEGORIES = {10: "cs.IT", 12: "cs.LG", 16: "stat.ML", 18: "stat.ML", 20: "cs.IT"}
S2_ABBREVIATES = {16, 20}  # S2 shows "G. V. Steeg" there, as it does for real


def sha(text: str) -> str:
    return hashlib.sha1(f"pubman-constructed:{text}".encode()).hexdigest()


def s2_authors(pub: dict) -> list[dict]:
    out = []
    for i, name in enumerate(pub["authors"]):
        if pub["cv_index"] in S2_ABBREVIATES and name == "Greg Ver Steeg":
            name = "G. V. Steeg"
        aid = (
            OWNER_ID
            if name == "Hrayr Harutyunyan"
            else str(3000000000 + int(sha(name)[:6], 16) % 100000000)
        )
        out.append({"authorId": aid, "name": name})
    return out


def s2_paper(pub: dict) -> dict:
    n = pub["cv_index"]
    venue, place, types, journal, pub_date = VENUES[n]
    ext: dict[str, object] = {}
    if pub["arxiv_id"]:
        ext["ArXiv"] = pub["arxiv_id"]
    if pub["doi"]:
        ext["DOI"] = pub["doi"]
    elif pub["arxiv_id"]:
        ext["DOI"] = f"10.48550/arXiv.{pub['arxiv_id']}"
    ext["CorpusId"] = 270000000 + n
    if journal == "arxiv":
        journal = {"name": "ArXiv", "volume": f"abs/{pub['arxiv_id']}"}
    paper_id = sha(pub["title"])
    year = pub["year"] if venue != "arXiv.org" else int(pub_date[:4])
    return {
        "paperId": paper_id,
        "externalIds": ext,
        "url": f"https://www.semanticscholar.org/paper/{paper_id}",
        "title": pub["title"],
        "venue": venue,
        "publicationVenue": place,
        "year": year,
        "citationCount": 7 * (21 - n) + n % 5,
        "publicationTypes": types,
        "publicationDate": pub_date,
        "journal": journal,
        "authors": s2_authors(pub),
    }


def misattributed() -> dict:
    """A real arXiv paper by another Harutyunyan that S2 (here) wrongly files on the profile."""
    paper_id = sha("AEW10")
    return {
        "paperId": paper_id,
        "externalIds": {"ArXiv": "1707.08567", "CorpusId": 269999999},
        "url": f"https://www.semanticscholar.org/paper/{paper_id}",
        "title": "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications",
        "venue": "arXiv.org",
        "publicationVenue": ARXIV,
        "year": 2017,
        "citationCount": 0,
        "publicationTypes": ["JournalArticle"],
        "publicationDate": "2017-07-27",
        "journal": {"name": "ArXiv", "volume": "abs/1707.08567"},
        "authors": [
            {"authorId": "3000000001", "name": "Kees A. Schouhamer Immink"},
            {"authorId": OWNER_ID, "name": "Ashot Harutyunyan"},
        ],
    }


def atom_entry(pub: dict) -> str:
    n, aid = pub["cv_index"], pub["arxiv_id"]
    published = VENUES[n][4] + "T17:59:59Z"
    authors = "".join(
        f"\n    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in pub["authors"]
    )
    doi = ""
    if pub["doi"] and VENUES[n][2] == ["JournalArticle"]:
        doi = (
            f'\n    <arxiv:doi>{pub["doi"]}</arxiv:doi>\n    <link href="https://doi.org/'
            f'{pub["doi"]}" rel="related" title="doi"/>'
        )
    cat = CATEGORIES.get(n, "cs.LG")
    return f"""  <entry>
    <id>http://arxiv.org/abs/{aid}v2</id>
    <title>{escape(pub["title"])}</title>
    <updated>{published}</updated>
    <link href="https://arxiv.org/abs/{aid}v2" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{aid}v2" rel="related" type="application/pdf" title="pdf"/>
    <summary>Constructed abstract placeholder for {aid}.</summary>
    <category term="{cat}" scheme="http://arxiv.org/schemas/atom"/>
    <published>{published}</published>
    <arxiv:primary_category term="{cat}"/>{authors}{doi}
  </entry>
"""


def atom_feed(pubs: list[dict]) -> str:
    entries = [p for p in pubs if p["arxiv_id"]]
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/api/pubman-constructed</id>\n"
        "  <title>arXiv Query: constructed id_list feed</title>\n"
        "  <updated>2026-01-15T00:00:00Z</updated>\n"
        '  <link href="https://arxiv.org/api/query" type="application/atom+xml"/>\n'
        f"  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + "".join(atom_entry(p) for p in entries)
        + "</feed>\n"
    )


def pubs_before() -> str:
    """pubs.bib as the owner might have it before the sync (see README.md)."""
    sys.path.insert(0, str(ROOT / "src"))
    from pubman.store import bibliography as bibstore

    bib = bibstore.parse((ROOT / "pubs.bib").read_text(encoding="utf-8"))
    for key in ("trockman2024mimetic", "harutyunyan2021estimating", "versteeg2017disentangled"):
        bib.remove_entry(key)
    bib.set_type("bae2025mixture", "misc")  # still the arXiv preprint here
    for name in ("booktitle", "volume"):
        bib.remove_field("bae2025mixture", name)
    bib.set_field("bae2025mixture", "url", "https://arxiv.org/abs/2507.10524")
    bib.remove_field("harutyunyan2019multitask", "doi")
    bib.remove_field("harutyunyan2022formal", "doi")
    bib.remove_field("harutyunyan2020improving", "eprint")
    bib.remove_field("harutyunyan2020improving", "archiveprefix")
    bib.remove_field("galstyan2022failure", "pages")
    bib.set_field(
        "versteeg2019fast",
        "author",
        "Ver Steeg, G. and Harutyunyan, H. and Moyer, D. and Galstyan, A.",
    )
    bib.set_field(
        "bae2025relaxed",
        "title",
        "Relaxed Recursive Transformers: Parameter Sharing with Layer-wise {LoRA}",
    )
    return bib.text()


def routes() -> dict:
    g = "/graph/v1"
    return {
        "about": "CONSTRUCTED scenario for the owner's papers; see README.md.",
        "routes": [
            {
                "method": "GET",
                "path": f"{g}/author/{OWNER_ID}/papers",
                "replies": [{"body_file": "s2_author_papers.json"}],
            },
            {
                "method": "GET",
                "path": f"{g}/author/{NAMESAKE_ID}/papers",
                "replies": [{"body_file": "s2_author_papers_other.json"}],
            },
            {
                "method": "GET",
                "path": f"{g}/author/search",
                "replies": [{"body_file": "s2_author_search.json"}],
            },
            {
                "method": "POST",
                "path": f"{g}/paper/batch",
                "json": {"ids": ["ARXIV:2507.10524"]},
                "replies": [{"body_file": "s2_batch_mor.json"}],
            },
            {
                "method": "GET",
                "path": f"{g}/paper/search/match",
                "replies": [{"status": 404, "json": {"error": "Title match not found"}}],
            },
            {"method": "GET", "path": "/api/query", "replies": [{"body_file": "arxiv_feed.xml"}]},
        ],
    }


def write(name: str, data: object) -> None:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False) + "\n"
    (HERE / name).write_text(text, encoding="utf-8")


def main() -> int:
    if not SEED.is_file():
        print(f"needs {SEED}", file=sys.stderr)
        return 1
    pubs = json.loads(SEED.read_text(encoding="utf-8"))
    papers = [s2_paper(p) for p in pubs] + [misattributed()]
    write("s2_author_papers.json", {"offset": 0, "data": papers})
    other = {
        "paperId": sha("namesake"),
        "externalIds": {"CorpusId": 269999998},
        "url": f"https://www.semanticscholar.org/paper/{sha('namesake')}",
        "title": "Spectral line shapes in a constructed plasma experiment",
        "venue": "Physical Review E",
        "publicationVenue": None,
        "year": 2016,
        "citationCount": 3,
        "publicationTypes": ["JournalArticle"],
        "publicationDate": "2016-03-01",
        "journal": {"name": "Physical Review E", "volume": "93"},
        "authors": [{"authorId": NAMESAKE_ID, "name": "H. Harutyunyan"}],
    }
    write("s2_author_papers_other.json", {"offset": 0, "data": [other]})
    write(
        "s2_author_search.json",
        {
            "total": 2,
            "offset": 0,
            "data": [
                {
                    "authorId": OWNER_ID,
                    "name": "Hrayr Harutyunyan",
                    "affiliations": [],
                    "paperCount": len(papers),
                    "citationCount": 1234,
                    "hIndex": 12,
                    "url": f"https://www.semanticscholar.org/author/{OWNER_ID}",
                },
                {
                    "authorId": NAMESAKE_ID,
                    "name": "H. Harutyunyan",
                    "affiliations": [],
                    "paperCount": 1,
                    "citationCount": 3,
                    "hIndex": 1,
                    "url": f"https://www.semanticscholar.org/author/{NAMESAKE_ID}",
                },
            ],
        },
    )
    write("s2_batch_mor.json", [papers[0]])
    write("arxiv_feed.xml", atom_feed(pubs))
    write("pubs-before.bib", pubs_before())
    write("routes.json", json.dumps(routes(), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
