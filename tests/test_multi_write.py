"""Several .bib files written as one list: `sync`, `add` and `dedup --apply` on
`bib = ["conf.bib", "journal.bib", "misc.bib"]`. An edit goes to the file that holds the entry,
a new entry to `add_to`; files without changes keep their bytes and mtime; each file keeps its
encoding and line endings; a failure writes nothing anywhere; `@string` macros of an earlier
file are seen by a later one, as BibTeX sees them (checked with `bibtex` itself).

Sync runs the real CLI against the replay server on the CONSTRUCTED scenario
(tests/data/scenario/README.md), split by entry type into three files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _cli import run_pubman
from _synccli import OWNER_ID, SCENARIO, Workspace

from pubman.errors import BibFileError
from pubman.store import bibliography as bibstore
from pubman.store import multi

FILES = ("conf.bib", "journal.bib", "misc.bib")
TOML = """bib = ["conf.bib", "journal.bib", "misc.bib"]
{add_to}encoding = "latin-1"

[owner]
name = "Hrayr Harutyunyan"
aliases = ["H. Harutyunyan", "Harutyunyan, Hrayr"]
semantic_scholar_ids = ["{owner}"]
"""
LATIN1_NOTE = "  note = {Talk by M\u00fcller},\n"


def split_scenario(root: Path, *, drop: tuple[str, ...] = ()) -> None:
    """The scenario's pubs-before.bib as conf.bib (@inproceedings), journal.bib (@article, with
    CRLF line endings) and misc.bib (the rest, in Latin-1 with one accented note)."""
    text = (SCENARIO / "pubs-before.bib").read_text(encoding="utf-8")
    parts: dict[str, list[str]] = {name: [] for name in FILES}
    for block in re.split(r"\n(?=@)", text)[1:]:
        kind, rest = block.split("{", 1)
        if rest.split(",", 1)[0] in drop:
            continue
        name = {"@inproceedings": "conf.bib", "@article": "journal.bib"}.get(kind, "misc.bib")
        parts[name].append(block.strip() + "\n")
    misc = "\n".join(parts["misc.bib"])
    misc = misc.replace(
        "@misc{harutyunyan2019efficient,\n", "@misc{harutyunyan2019efficient,\n" + LATIN1_NOTE
    )
    (root / "conf.bib").write_text("\n".join(parts["conf.bib"]), encoding="utf-8")
    (root / "journal.bib").write_bytes(
        "\n".join(parts["journal.bib"]).replace("\n", "\r\n").encode()
    )
    (root / "misc.bib").write_bytes(misc.encode("latin-1"))


def workspace(
    tmp_path: Path, server: object, *, add_to: str | None = "misc.bib", **kw: object
) -> Workspace:
    server.load_scenario(SCENARIO)  # type: ignore[attr-defined]
    split_scenario(tmp_path, **kw)  # type: ignore[arg-type]
    line = f'add_to = "{add_to}"\n' if add_to else ""
    (tmp_path / "pubman.toml").write_text(
        TOML.format(add_to=line, owner=OWNER_ID), encoding="utf-8"
    )
    return Workspace(tmp_path, server)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {n: ((root / n).read_bytes(), (root / n).stat().st_mtime_ns) for n in FILES}


def keys_in(path: Path) -> list[str]:
    return list(bibstore.load(path, cache=False, encoding="latin-1").entries)


# ------------------------------------------------------------------------------------ sync
def test_sync_writes_each_edit_to_its_file_and_new_papers_to_add_to(tmp_path, replay_server):
    ws = workspace(tmp_path, replay_server)
    done = ws.run("sync")
    assert done.returncode == 0, done.stderr
    assert "wrote conf.bib, journal.bib, misc.bib (" in done.stdout
    conf, journal, misc = (keys_in(tmp_path / n) for n in FILES)
    # the three missing papers go to add_to, placed by misc.bib's own (newest-first) order
    new = ["trockman2024mimetic", "harutyunyan2021estimating", "versteeg2017disentangled"]
    assert set(new) <= set(misc) and not set(new) & set(conf + journal)
    assert misc.index("trockman2024mimetic") < misc.index("harutyunyan2019efficient")
    assert misc[-1] == "versteeg2017disentangled"
    # fills and the upgrade land in the file holding the entry
    mor = bibstore.load(tmp_path / "misc.bib", encoding="latin-1").entries["bae2025mixture"]
    assert mor.type == "inproceedings" and mor.get("eprint") == "2507.10524"
    jbib = bibstore.load(tmp_path / "journal.bib")
    assert jbib.entries["harutyunyan2019multitask"].get("doi") == "10.1038/s41597-019-0103-9"
    cbib = bibstore.load(tmp_path / "conf.bib")
    assert cbib.entries["harutyunyan2020improving"].get("eprint") == "2002.07933"
    # each file keeps its encoding and line endings
    raw = (tmp_path / "misc.bib").read_bytes()
    assert "Talk by M\u00fcller".encode("latin-1") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    jraw = (tmp_path / "journal.bib").read_bytes()
    assert jraw.count(b"\n") == jraw.count(b"\r\n") > 10
    # side files are the first file's
    assert (tmp_path / ".conf.bib.sync.json").is_file()
    assert (tmp_path / ".conf.bib.citations.json").is_file()
    assert not list(tmp_path.glob(".journal.bib.*.json")) + list(tmp_path.glob(".misc.bib.*.json"))
    again = ws.run("sync")
    assert (
        again.returncode == 0 and "conf.bib, journal.bib, misc.bib are up to date" in again.stdout
    )


def test_a_fill_in_journal_bib_changes_only_that_entry_of_that_file(tmp_path, replay_server):
    ws = workspace(tmp_path, replay_server)
    assert ws.sync_json()["written_files"] == list(FILES)
    synced = (tmp_path / "journal.bib").read_bytes()
    doi = b"  doi = {10.1038/s41597-019-0103-9},\r\n"
    assert synced.count(doi) == 1
    (tmp_path / "journal.bib").write_bytes(synced.replace(doi, b""))
    (tmp_path / ".conf.bib.sync.json").unlink()  # else sync respects the deletion
    before = snapshot(tmp_path)
    done = ws.run("sync", "--no-add")
    assert done.returncode == 0, done.stderr
    assert "wrote journal.bib (" in done.stdout
    after = snapshot(tmp_path)
    assert after["conf.bib"] == before["conf.bib"] and after["misc.bib"] == before["misc.bib"]
    assert after["journal.bib"][0] == synced  # the one field back, every other byte kept


def test_add_puts_the_paper_in_the_first_file_without_add_to(tmp_path, replay_server):
    ws = workspace(tmp_path, replay_server, add_to=None, drop=("bae2025mixture",))
    before = snapshot(tmp_path)
    done = ws.run("add", "arXiv:2507.10524")
    assert done.returncode == 0, done.stderr
    assert "added bae2025mixture" in done.stdout and "wrote conf.bib (" in done.stdout
    assert "bae2025mixture" in keys_in(tmp_path / "conf.bib")
    after = snapshot(tmp_path)
    assert after["journal.bib"] == before["journal.bib"] and after["misc.bib"] == before["misc.bib"]


def test_a_read_only_file_stops_the_sync_and_nothing_is_written(tmp_path, replay_server):
    ws = workspace(tmp_path, replay_server)
    (tmp_path / "misc.bib").chmod(0o444)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    done = ws.run("sync")
    assert done.returncode == 1
    first, *_ = done.stderr.splitlines()
    assert first.startswith("error: ") and first.endswith("misc.bib: is read-only"), first
    assert "nothing was written" in done.stderr
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert {n: after[n] for n in before} == before
    assert not [n for n in after if n.endswith((".bak", ".json")) or "pubman-tmp" in n]


# ------------------------------------------------------------------------------------ dedup
CONF = """@string{nips = "Advances in Neural Information Processing Systems"}

@inproceedings{doe2021deep,
  author = {Doe, Jane and Roe, Richard},
  title = {Deep Things Are Deep},
  booktitle = nips,
  year = {2021},
  doi = {10.1000/deep.2021},
}

@inproceedings{other2020,
  author = {Other, Olga},
  title = {Something Else Entirely},
  booktitle = nips,
  year = {2020},
}
"""
MISC = """@string{arxivurl = "https://arxiv.org/abs/2101.00001"}

@misc{doe2021deeparxiv,
  author = {Doe, Jane and Roe, Richard},
  title = {Deep Things Are Deep},
  year = {2021},
  eprint = {2101.00001},
  archiveprefix = {arXiv},
  url = arxivurl,
}

@misc{kept2019,
  author = {Kept, Karl},
  title = {Left Alone},
  howpublished = nips,
  year = {2019},
}
"""
JOURNAL = (
    "@article{j2018, author = {Jay, J.}, title = {Journal Paper}, journal = {J}, year = {2018}}\n"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_pubman(
        *args,
        cwd=cwd,
        env={"COLUMNS": "160", "NO_COLOR": "1", "PUBMAN_NO_OUTPUT_CACHE": "1"},
        timeout=120,
    )


@pytest.fixture
def three(tmp_path: Path) -> Path:
    (tmp_path / "conf.bib").write_text(CONF, encoding="utf-8")
    (tmp_path / "journal.bib").write_text(JOURNAL, encoding="utf-8")
    (tmp_path / "misc.bib").write_text(MISC, encoding="utf-8")
    (tmp_path / "pubman.toml").write_text(
        'bib = ["conf.bib", "journal.bib", "misc.bib"]\n\n[owner]\nname = "Jane Doe"\n',
        encoding="utf-8",
    )
    return tmp_path


def test_dedup_apply_merges_a_pair_across_two_files(three: Path) -> None:
    journal = snapshot(three)["journal.bib"]
    done = run("dedup", "--apply", "--yes", cwd=three)
    assert done.returncode == 0, done.stderr
    assert "merged 1 group(s)" in done.stdout and "wrote conf.bib, misc.bib" in done.stdout
    conf = (three / "conf.bib").read_text(encoding="utf-8")
    misc = (three / "misc.bib").read_text(encoding="utf-8")
    assert "doe2021deeparxiv" not in misc and "@misc{kept2019" in misc
    merged = bibstore.load(three / "conf.bib").entries["doe2021deep"]
    assert merged.get("eprint") == "2101.00001"
    # misc.bib's macro is not visible from conf.bib (an earlier file): copied as its value
    assert "url = {https://arxiv.org/abs/2101.00001}" in conf
    assert "booktitle = nips" in conf  # the survivor's own macro stays a macro
    assert (
        conf.count("@inproceedings{other2020,") == 1
        and CONF[CONF.index("@inproceedings{other2020") :] in conf
    )
    assert snapshot(three)["journal.bib"] == journal
    checked = run("check", "--json", cwd=three)
    assert not [p for p in json.loads(checked.stdout)["problems"] if p["kind"] == "undefined-macro"]


def test_dedup_dry_run_shows_a_diff_per_file_and_writes_nothing(three: Path) -> None:
    before = snapshot(three)
    done = run("dedup", "--apply", "--dry-run", cwd=three)
    assert done.returncode == 0, done.stderr
    assert "--- conf.bib\n" in done.stdout and "--- misc.bib\n" in done.stdout
    assert "journal.bib" not in done.stdout
    assert snapshot(three) == before


# ------------------------------------------------------------------------------------ macros
def test_string_of_an_earlier_file_is_defined_in_a_later_one(three: Path) -> None:
    # misc.bib uses conf.bib's `nips`: no problem; conf.bib cannot use misc.bib's `arxivurl`
    (three / "conf.bib").write_text(CONF + "@misc{early, title = {E}, url = arxivurl}\n", "utf-8")
    done = run("check", "--json", cwd=three)
    undefined = [p for p in json.loads(done.stdout)["problems"] if p["kind"] == "undefined-macro"]
    assert [(p["file"], p["key"]) for p in undefined] == [("conf.bib", "early")]
    union = multi.load([three / n for n in FILES])
    assert (
        union["kept2019"].get("howpublished") == "Advances in Neural Information Processing Systems"
    )
    assert union["early"].get("url") == "arxivurl"  # kept as the bare word, and reported


BIBTEX = shutil.which("bibtex")


@pytest.mark.skipif(BIBTEX is None, reason="bibtex (texlive-binaries) not installed")
def test_macros_across_files_read_as_bibtex_reads_them(tmp_path: Path) -> None:
    from test_bibtex_oracle import _bst, _records

    a = (
        '@string{jrnl = "Journal of Tests"}\n@string{pub = "First"}\n'
        "@article{a1, title = {A one}, journal = jrnl, publisher = pub, year = 2020}\n"
    )
    b = (
        '@article{b0, title = {B zero}, journal = jrnl # " Letters", publisher = pub, year = 2021}\n'
        '@string{pub = "Second"}\n'
        "@article{b1, title = {B one}, journal = jrnl, publisher = pub, year = 2021}\n"
    )
    (tmp_path / "a.bib").write_text(a, encoding="utf-8")
    (tmp_path / "b.bib").write_text(b, encoding="utf-8")
    names = {"title", "journal", "publisher", "year"}
    (tmp_path / "dump.bst").write_text(_bst(names, {"article"}), encoding="utf-8")
    (tmp_path / "job.aux").write_text("\\citation{*}\n\\bibdata{a,b}\n\\bibstyle{dump}\n")
    subprocess.run([BIBTEX, "-terse", "job"], cwd=tmp_path, capture_output=True, check=False)
    theirs = {r.key: r.fields for r in _records((tmp_path / "job.bbl").read_text())}
    union = multi.load([tmp_path / "a.bib", tmp_path / "b.bib"])
    mine = {k: {n: v for n, v in e.fields.items() if n in names} for k, e in union.entries.items()}
    assert mine == theirs
    assert theirs["b0"]["publisher"] == "First" and theirs["b1"]["publisher"] == "Second"
    assert not [p for p in union.problems if p.kind == "undefined-macro"]


# ------------------------------------------------------------------------------------ library
def test_an_unencodable_edit_writes_no_file(three: Path) -> None:
    (three / "misc.bib").write_bytes(
        MISC.replace("Left Alone", "Left \u00c0lone").encode("latin-1")
    )
    before = snapshot(three)
    union = multi.load([three / n for n in FILES], encoding="latin-1")
    union.set_field("other2020", "note", "fine")
    union.set_field("kept2019", "note", "Dvo\u0159\u00e1k")  # no such letter in Latin-1
    with pytest.raises(BibFileError) as err:
        union.save_all()
    assert "misc.bib:17: cannot write 'ř'" in str(err.value)
    assert snapshot(three) == before


def test_a_file_locked_by_another_process_writes_no_file(three: Path, monkeypatch) -> None:
    from pubman.store import lock as filelock

    monkeypatch.setattr(filelock, "DEFAULT_TIMEOUT", 0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import fcntl, sys, time\n"
                "fd = open(sys.argv[1], 'w')\nfcntl.flock(fd, fcntl.LOCK_EX)\n"
                "print('held', flush=True)\ntime.sleep(30)\n"
            ),
            str(three / ".misc.bib.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        before = snapshot(three)
        union = multi.load([three / n for n in FILES])
        union.set_field("doe2021deep", "note", "conf edit")
        union.set_field("kept2019", "note", "misc edit")
        with pytest.raises(BibFileError, match="another pubman process"):
            union.save_all()
        assert snapshot(three) == before
    finally:
        holder.kill()
        holder.wait()


def test_writes_never_pick_a_shadowed_duplicate(tmp_path: Path) -> None:
    (tmp_path / "conf.bib").write_text("@misc{shared, title = {Kept}}\n", encoding="utf-8")
    (tmp_path / "journal.bib").write_text("@misc{Shared, title = {Shadowed}}\n", encoding="utf-8")
    union = multi.load(
        [tmp_path / "conf.bib", tmp_path / "journal.bib"], add_to=tmp_path / "journal.bib"
    )
    union.set_field("shared", "year", "2020")
    with pytest.raises(KeyError):
        union.set_field("Shared", "year", "1999")
    with pytest.raises(KeyError):
        union.add_entry("SHARED", "misc", {"title": "New"})
    assert "Shared" in union.unparsed_keys  # sync's new keys avoid it too
    assert union.save_all() == [tmp_path / "conf.bib"]
    assert (tmp_path / "journal.bib").read_text(
        encoding="utf-8"
    ) == "@misc{Shared, title = {Shadowed}}\n"
    assert "year = {2020}" in (tmp_path / "conf.bib").read_text(encoding="utf-8")


def test_add_to_must_name_one_of_the_files(three: Path) -> None:
    toml = three / "pubman.toml"
    toml.write_text('add_to = "other.bib"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(three)
    done = run("sync", "--offline", cwd=three)
    assert done.returncode != 0
    assert done.stderr.splitlines()[0].endswith(
        'pubman.toml: add_to = "other.bib" is not one of the bib files '
        "(conf.bib, journal.bib, misc.bib)"
    )
    assert "remove add_to" in done.stderr
    assert snapshot(three) == before


def test_a_full_disk_while_staging_changes_no_file_and_leaves_no_temporary(
    three: Path, monkeypatch
) -> None:
    import errno

    from pubman.store import atomic

    real_write_new = atomic._write_new
    calls = []

    def failing(*args: object, **kw: object) -> Path:
        calls.append(args)
        if len(calls) == 3:  # conf.bib and its backup are staged; misc.bib's write fails
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_new(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "_write_new", failing)
    before = snapshot(three)
    union = multi.load([three / n for n in FILES])
    union.set_field("doe2021deep", "note", "conf edit")
    union.set_field("kept2019", "note", "misc edit")
    with pytest.raises(BibFileError, match="No space left on device") as err:
        union.save_all()
    assert err.value.hint == "no file was changed"
    assert snapshot(three) == before
    assert not [p.name for p in three.iterdir() if "pubman-tmp" in p.name or p.suffix == ".bak"]


def test_a_failing_rename_says_which_files_were_written(three: Path, monkeypatch) -> None:
    from pubman.store import atomic

    real_replace = os.replace

    def failing(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "misc.bib":
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", failing)
    misc = (three / "misc.bib").read_bytes()
    union = multi.load([three / n for n in FILES])
    union.set_field("doe2021deep", "note", "conf edit")
    union.set_field("kept2019", "note", "misc edit")
    with pytest.raises(BibFileError, match="cannot replace") as err:
        union.save_all()
    assert err.value.hint is not None and err.value.hint.startswith("written before it: ")
    assert "conf.bib" in err.value.hint and "conf edit" in (three / "conf.bib").read_text()
    assert (three / "misc.bib").read_bytes() == misc
    assert not [p.name for p in three.iterdir() if "pubman-tmp" in p.name]
