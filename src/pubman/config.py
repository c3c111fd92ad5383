"""pubman.toml -> :class:`Settings`. Reads one small file; raises ConfigError on bad input.

Where the config is looked for, first hit wins: ``--config PATH``; ``pubman.toml`` next to the
bib given by ``--bib``; ``pubman.toml`` in the current directory. Without one, pubman works on
``./pubs.bib`` with no owner, and ``Settings.assumed`` says so. Environment variables
``PUBMAN_S2_API_URL`` and ``PUBMAN_ARXIV_API_URL`` override ``[api]``.

This is also the one module that writes pubman.toml: :func:`render_template` (``pubman
init``) and :func:`save_owner_ids` (``pubman sync --save-author-id``), which edits one line
and keeps every other line, comment and blank as it was.

A pubman.toml that parsed is kept parsed in the cache dir (:func:`_cached`), keyed by the
SHA-256 of its bytes: a run whose config has not changed skips ``import tomllib`` (~20 M
instructions of every command's start-up). Changed bytes have another key, so a stale answer
cannot be read; a config that does not parse is never stored, so its error is always tomllib's.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from pubman.errors import ConfigError
from pubman.store.digest import sha256_hex
from pubman.store.parsecache import cache_dir
from pubman.text.pattern import LazyPattern

if TYPE_CHECKING:
    from types import ModuleType

CONFIG_NAME = "pubman.toml"
PLACEHOLDER_NAME = "Your Name"  # what `pubman init` writes when it does not know the owner
DEFAULT_BIB = "pubs.bib"
S2_API_URL = "https://api.semanticscholar.org/graph/v1"
ARXIV_API_URL = "https://export.arxiv.org/api/query"

_KNOWN = {
    "": {"bib", "add_to", "encoding", "owner", "api", "venues", "sync", "format"},
    "owner": {"name", "aliases", "semantic_scholar_ids", "arxiv_query", "display", "advisees"},
    "api": {"semantic_scholar_url", "arxiv_url"},
    "sync": {"cache_ttl_days", "add_missing", "prefer", "timeout", "read_timeout"},
}


# Shared by every Settings without such a table, so read-only.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Settings(NamedTuple):
    """What a command runs with (see the module docstring for where each part comes from).

    A NamedTuple, not a frozen dataclass: the class is created on every start-up, and a frozen
    dataclass costs ~3 M instructions more to create (see :mod:`pubman.model`)."""

    bib_path: Path
    config_path: Path | None = None
    owner: str | None = None
    aliases: tuple[str, ...] = ()
    display: str | None = None  # [owner] display: the one form `format` prints
    advisees: tuple[str, ...] = ()  # [owner] advisees: names `format` marks as advisees
    semantic_scholar_ids: tuple[str, ...] = ()
    arxiv_query: str | None = None
    s2_api_url: str = S2_API_URL
    arxiv_api_url: str = ARXIV_API_URL
    venues: Mapping[str, Any] = _EMPTY
    sync: Mapping[str, Any] = _EMPTY
    format: Mapping[str, Any] = _EMPTY
    assumed: tuple[str, ...] = ()
    encoding: str | None = None  # the .bib's declared encoding (used when it is not UTF-8)
    # Every .bib read as one list (`bib = [...]`, `--bib` repeated); bib_path is the first.
    bib_paths: tuple[Path, ...] = ()
    # `add_to`: which of bib_paths new entries (sync, add) go to; None: the first
    add_to: Path | None = None

    @property
    def owner_names(self) -> tuple[str, ...]:
        """The owner's name followed by aliases; empty when no owner is known."""
        return ((self.owner,) if self.owner else ()) + self.aliases


def find_config(bib: Path | None, explicit: Path | None, cwd: Path) -> Path | None:
    if explicit is not None:
        if explicit.is_dir():
            raise ConfigError(
                "is a directory, not a config file",
                path=str(explicit),
                hint=f"pass the {CONFIG_NAME} inside it with --config",
            )
        if not explicit.is_file():
            raise ConfigError(
                "no such config file",
                path=str(explicit),
                hint="check --config, or create one with `pubman init`",
            )
        return explicit
    candidates = ([bib.parent / CONFIG_NAME] if bib is not None else []) + [cwd / CONFIG_NAME]
    return next((c for c in candidates if c.is_file()), None)


def tomllib_module() -> ModuleType:
    """tomllib (tomli before Python 3.11), imported only when a TOML text must be parsed: the
    one home of the TOML parser (pubman.toml here, the shipped venue table in venues.spec)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


CACHE_FORMAT = 1  # bump when the stored layout changes
_CACHE_KEEP = 16  # parsed configs kept (each edit of a pubman.toml adds one)


def _cache_file(digest: str) -> Path:
    return cache_dir() / "config" / f"{digest}.marshal"


def _cached(digest: str) -> dict[str, Any] | None:
    """The parsed config stored for bytes of SHA-256 ``digest``, or None (none stored, or
    the file is unreadable, corrupt or written by another layout or Python)."""
    try:
        with open(_cache_file(digest), "rb") as fh:
            stored = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, dict) or stored.get("stamp") != _cache_stamp(digest):
        return None
    data = stored.get("data")
    return data if isinstance(data, dict) else None


def _cache_stamp(digest: str) -> list[object]:
    return [CACHE_FORMAT, sys.version, digest]


def _store(digest: str, data: dict[str, Any]) -> None:
    """Keep a parsed config; never an error (a value marshal cannot hold, e.g. a TOML date,
    or an unwritable cache dir, only means tomllib runs again next time)."""
    file = _cache_file(digest)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    try:
        blob = marshal.dumps({"stamp": _cache_stamp(digest), "data": data})
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(blob)
        os.replace(tmp, file)
        stored = sorted(file.parent.glob("*.marshal"), key=lambda f: f.stat().st_mtime_ns)
        for old in stored[:-_CACHE_KEEP]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):
        try:
            tmp.unlink()
        except OSError:
            pass


def _parse(raw: bytes, path: Path) -> dict[str, Any]:
    """``raw`` (the bytes of ``path``) read by tomllib; raises ConfigError."""
    tomllib = tomllib_module()
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode())
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(
            f"not valid TOML: {err}",
            path=str(path),
            hint="fix the file or run `pubman init --force` for a fresh one",
        ) from None
    except UnicodeDecodeError as err:
        raise ConfigError(
            f"is not UTF-8 (byte 0x{err.object[err.start]:02x})",
            path=str(path),
            hint="save it as UTF-8; TOML files must be",
        ) from None
    return data


def read_config(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise ConfigError(f"cannot read: {err.strerror}", path=str(path)) from None
    digest = sha256_hex(raw)
    data = _cached(digest)
    if data is None:
        data = _parse(raw, path)
        # checked before it is kept: a key pubman does not know (an API key pasted into the
        # file, say) is an error and never reaches the cache
        _check_keys(data, path)
        _store(digest, data)
        return data
    _check_keys(data, path)
    return data


def _check_keys(data: Mapping[str, Any], path: Path) -> None:
    for section, known in _KNOWN.items():
        table = data if not section else data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table", path=str(path))
        unknown = sorted(set(table) - known)
        if unknown:
            where = f"[{section}]" if section else "top level"
            raise ConfigError(
                f"unknown key {unknown[0]!r} at {where}",
                path=str(path),
                hint=f"known keys there: {', '.join(sorted(known))}",
            )
    for section in ("venues", "format"):  # their keys are checked by the modules using them
        if not isinstance(data.get(section, {}), dict):
            raise ConfigError(f"[{section}] must be a table", path=str(path))


def _str(value: Any, name: str, path: Path | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{name} must be a non-empty string", path=str(path) if path else None)
    return value.strip()


def _strs(value: Any, name: str, path: Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ConfigError(f"{name} must be a list of strings", path=str(path) if path else None)
    return tuple(str(v).strip() for v in value if str(v).strip())


def _bib_list(data: Mapping[str, Any], cfg_path: Path | None) -> list[str]:
    """``bib = "pubs.bib"`` or ``bib = ["conf.bib", "journal.bib"]`` (relative to the config)."""
    value = data.get("bib")
    if isinstance(value, list):
        names = list(_strs(value, "bib", cfg_path))
        if not names:
            raise ConfigError("bib must name at least one file", path=str(cfg_path))
        return names
    configured = _str(value, "bib", cfg_path)
    return [configured] if configured else []


def _add_to(
    data: Mapping[str, Any], cfg_path: Path | None, listed: Sequence[str], used: Sequence[Path]
) -> Path | None:
    """``add_to = "misc.bib"``: the file of ``bib`` that new entries go to. It must be one of
    the config's ``bib`` files; when ``--bib`` names other files, it counts only if it is
    one of them (else new entries go to the first given)."""
    name = _str(data.get("add_to"), "add_to", cfg_path)
    if name is None or cfg_path is None:
        return None
    listed = list(listed) or [DEFAULT_BIB]
    real = os.path.realpath(cfg_path.parent / name)
    if real not in {os.path.realpath(cfg_path.parent / b) for b in listed}:
        files = ", ".join(listed)
        raise ConfigError(
            f"add_to = {toml_string(name)} is not one of the bib files ({files})",
            path=str(cfg_path),
            hint="name one of the files listed in `bib`, or remove add_to to add new entries "
            "to the first",
        )
    return next((p for p in used if os.path.realpath(p) == real), None)


def load_settings(
    *,
    bib: str | Sequence[str] | None = None,
    config: str | None = None,
    owners: tuple[str, ...] = (),
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from flags, the config file and the environment."""
    cwd = cwd or Path.cwd()
    env = os.environ if env is None else env
    given = [bib] if isinstance(bib, str) else list(bib or ())
    bib_path = Path(given[0]) if given else None
    extra = [Path(b) for b in given[1:]]
    cfg_path = find_config(bib_path, Path(config) if config else None, cwd)
    data = read_config(cfg_path) if cfg_path else {}
    assumed: list[str] = []
    if bib_path is None:
        configured_list = _bib_list(data, cfg_path)
        configured = configured_list[0] if configured_list else None
        if configured and cfg_path:
            bib_path = cfg_path.parent / configured
            extra = [cfg_path.parent / name for name in configured_list[1:]]
        else:
            bib_path = cwd / DEFAULT_BIB if cfg_path is None else cfg_path.parent / DEFAULT_BIB
            if cfg_path is None:
                assumed.append(
                    f"no {CONFIG_NAME} found; using ./{DEFAULT_BIB} "
                    "(create a config with `pubman init`)"
                )
    add_to = _add_to(data, cfg_path, _bib_list(data, cfg_path), (bib_path, *extra))
    owner_tbl = data.get("owner", {})
    api = data.get("api", {})
    name = _str(owner_tbl.get("name"), "[owner] name", cfg_path)
    aliases = _strs(owner_tbl.get("aliases"), "[owner] aliases", cfg_path)
    if owners:
        name, aliases = owners[0], tuple(owners[1:])
    elif name == PLACEHOLDER_NAME:
        name = None
        assumed.append(
            f"[owner] name in {cfg_path} is still the placeholder {PLACEHOLDER_NAME!r}"
            "; put your name there so pubman can find you in author lists"
        )
    return Settings(
        bib_path=bib_path,
        bib_paths=(bib_path, *extra),
        add_to=add_to,
        config_path=cfg_path,
        owner=name,
        aliases=aliases,
        semantic_scholar_ids=_strs(
            owner_tbl.get("semantic_scholar_ids"), "[owner] semantic_scholar_ids", cfg_path
        ),
        arxiv_query=_str(owner_tbl.get("arxiv_query"), "[owner] arxiv_query", cfg_path),
        display=_str(owner_tbl.get("display"), "[owner] display", cfg_path),
        advisees=_strs(owner_tbl.get("advisees"), "[owner] advisees", cfg_path),
        s2_api_url=(
            env.get("PUBMAN_S2_API_URL")
            or _str(api.get("semantic_scholar_url"), "[api] semantic_scholar_url", cfg_path)
            or S2_API_URL
        ).rstrip("/"),
        arxiv_api_url=(
            env.get("PUBMAN_ARXIV_API_URL")
            or _str(api.get("arxiv_url"), "[api] arxiv_url", cfg_path)
            or ARXIV_API_URL
        ),
        venues=data.get("venues", {}),
        sync=data.get("sync", {}),
        format=data.get("format", {}),
        assumed=tuple(assumed),
        encoding=_encoding(data.get("encoding"), cfg_path),
    )


def _encoding(value: Any, path: Path | None) -> str | None:
    import codecs

    name = _str(value, "encoding", path)
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ConfigError(
            f"unknown encoding {name!r}",
            path=str(path) if path else None,
            hint="name a Python codec, e.g. latin-1, cp1252, iso8859-2, gbk",
        ) from None


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string, quotes included (JSON's escapes are TOML's)."""
    # Lazy: json costs ~3 ms that every command would pay at start-up (`pubman --version`).
    import json

    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


CONFIG_TEMPLATE = """\
# pubman configuration. pubman looks for this file next to the .bib it works on,
# then in the current directory; `pubman --config PATH` names one explicitly.

# The bibliography this config belongs to (relative to this file).
bib = "pubs.bib"

[owner]
# Your name as you write it; pubman matches it by name parts, so initials,
# "Last, First" order, accents and equal-contribution marks need no alias.
name = "{name}"
# Other forms your name takes in author lists (a maiden name, a transliteration).
aliases = []
# Your Semantic Scholar author id(s), from your profile URL
# https://www.semanticscholar.org/author/<name>/<id>; `pubman sync` uses them.
# semantic_scholar_ids = ["1234567"]
# An arXiv API query that finds your preprints, e.g. "au:Lastname_F".
# arxiv_query = ""

[api]
# Base URLs; environment variables PUBMAN_S2_API_URL / PUBMAN_ARXIV_API_URL win.
# semantic_scholar_url = "https://api.semanticscholar.org/graph/v1"
# arxiv_url = "https://export.arxiv.org/api/query"

[sync]
# How long fetched API responses are reused before asking again.
# cache_ttl_days = 7
# Whose value wins where a source writes a field differently: "file" (yours; the default)
# or "source".
# prefer = "file"
# Seconds: a silent connection fails after read_timeout; a whole sync stops after timeout.
# read_timeout = 15
# timeout = 300

# Extra venues for `format` and `stats` (the shipped table covers the big ML/AI venues):
# [venues.MLSys]
# kind = "conference"
# aliases = ["Conference on Machine Learning and Systems"]
"""


def render_template(owner: str, bib_rel: str = DEFAULT_BIB) -> str:
    """A commented pubman.toml for ``owner`` whose bib is ``bib_rel`` (relative to it)."""
    text = CONFIG_TEMPLATE.replace('"{name}"', toml_string(owner))
    return text.replace('bib = "pubs.bib"', f"bib = {toml_string(bib_rel)}")


# --------------------------------------------------------------------------- editing

_HEADER = LazyPattern(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")
_IDS_LINE = LazyPattern(r"^\s*semantic_scholar_ids\s*=")
_IDS_COMMENT = LazyPattern(r"^\s*#\s*semantic_scholar_ids\s*=")


def _owner_section(lines: list[str]) -> tuple[int, int] | None:
    """(index of the [owner] header, index just past its last line) or None."""
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if (m := _HEADER.match(ln)) and m.group(1).strip() == "owner"
        ),
        None,
    )
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def set_owner_ids_text(text: str, ids: Iterable[str]) -> str:
    """``text`` (pubman.toml) with ``[owner] semantic_scholar_ids = [...]`` set to ``ids``.

    Replaces an existing setting, else goes below a commented-out example of it, else at the
    end of ``[owner]`` (a new ``[owner]`` table when there is none). Raises ConfigError if
    the result would not read back as those ids.
    """
    ids = [str(i) for i in ids]
    line = "semantic_scholar_ids = [" + ", ".join(toml_string(i) for i in ids) + "]"
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    section = _owner_section(lines)
    if section is None:
        sep = "" if not text or text.endswith(("\n", "\r")) else nl
        new = text + sep + ("" if not text.strip() else nl) + f"[owner]{nl}{line}{nl}"
    else:
        start, end = section
        body = range(start + 1, end)
        current = next((i for i in body if _IDS_LINE.match(lines[i])), None)
        if current is not None:
            stop = current
            if "]" not in lines[current]:  # a multi-line array
                stop = next((i for i in range(current, end) if "]" in lines[i]), current)
            lines[current : stop + 1] = [line]
        else:
            comment = next((i for i in body if _IDS_COMMENT.match(lines[i])), None)
            lines.insert(comment + 1 if comment is not None else end, line)
        new = nl.join(lines) + (nl if text.endswith(("\n", "\r")) else "")
    tomllib = tomllib_module()
    try:
        got = tomllib.loads(new).get("owner", {}).get("semantic_scholar_ids")
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(
            f"could not add semantic_scholar_ids: {err}",
            hint=f"add it by hand under [owner]: {line}",
        ) from None
    if [str(g) for g in got or []] != ids:
        raise ConfigError(
            "could not add semantic_scholar_ids", hint=f"add it by hand under [owner]: {line}"
        )
    return new


def save_owner_ids(settings: Settings, ids: Iterable[str]) -> Path:
    """Set ``[owner] semantic_scholar_ids`` in the settings' pubman.toml (atomically, no
    backup); without a config, write a new one beside the .bib that also names the owner, or
    the next command would not know him. Returns the file written."""
    # Lazy: the store costs ~15 ms of imports that every command reading settings would pay.
    from pubman.store.bibliography import atomic_write

    path = settings.config_path or settings.bib_path.with_name(CONFIG_NAME)
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = render_template(settings.owner or PLACEHOLDER_NAME, settings.bib_path.name)
    atomic_write(path, set_owner_ids_text(text, ids).encode("utf-8"), backup=False)
    return path
