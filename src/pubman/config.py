"""pubman.toml -> :class:`Settings`. Reads one small file; raises ConfigError on bad input.

Where the config is looked for, first hit wins: ``--config PATH``; ``pubman.toml`` next to the
bib given by ``--bib``; ``pubman.toml`` in the current directory. Without one, pubman works on
``./pubs.bib`` with no owner, and ``Settings.assumed`` says so. Environment variables
``PUBMAN_S2_API_URL`` and ``PUBMAN_ARXIV_API_URL`` override ``[api]``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pubman.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = "pubman.toml"
PLACEHOLDER_NAME = "Your Name"  # what `pubman init` writes when it does not know the owner
DEFAULT_BIB = "pubs.bib"
S2_API_URL = "https://api.semanticscholar.org/graph/v1"
ARXIV_API_URL = "https://export.arxiv.org/api/query"

_KNOWN = {
    "": {"bib", "owner", "api", "venues", "sync", "format"},
    "owner": {"name", "aliases", "semantic_scholar_ids", "arxiv_query"},
    "api": {"semantic_scholar_url", "arxiv_url"},
    "sync": {"cache_ttl_days", "add_missing"},
}


@dataclass(frozen=True)
class Settings:
    bib_path: Path
    config_path: Path | None = None
    owner: str | None = None
    aliases: tuple[str, ...] = ()
    semantic_scholar_ids: tuple[str, ...] = ()
    arxiv_query: str | None = None
    s2_api_url: str = S2_API_URL
    arxiv_api_url: str = ARXIV_API_URL
    venues: Mapping[str, Any] = field(default_factory=dict)
    sync: Mapping[str, Any] = field(default_factory=dict)
    format: Mapping[str, Any] = field(default_factory=dict)
    assumed: tuple[str, ...] = ()

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


def read_config(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
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
    except OSError as err:
        raise ConfigError(f"cannot read: {err.strerror}", path=str(path)) from None
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


def load_settings(
    *,
    bib: str | None = None,
    config: str | None = None,
    owners: tuple[str, ...] = (),
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from flags, the config file and the environment."""
    cwd = cwd or Path.cwd()
    env = os.environ if env is None else env
    bib_path = Path(bib) if bib else None
    cfg_path = find_config(bib_path, Path(config) if config else None, cwd)
    data = read_config(cfg_path) if cfg_path else {}
    assumed: list[str] = []
    if bib_path is None:
        configured = _str(data.get("bib"), "bib", cfg_path)
        if configured and cfg_path:
            bib_path = cfg_path.parent / configured
        else:
            bib_path = cwd / DEFAULT_BIB if cfg_path is None else cfg_path.parent / DEFAULT_BIB
            if cfg_path is None:
                assumed.append(
                    f"no {CONFIG_NAME} found; using ./{DEFAULT_BIB} "
                    "(create a config with `pubman init`)"
                )
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
        config_path=cfg_path,
        owner=name,
        aliases=aliases,
        semantic_scholar_ids=_strs(
            owner_tbl.get("semantic_scholar_ids"), "[owner] semantic_scholar_ids", cfg_path
        ),
        arxiv_query=_str(owner_tbl.get("arxiv_query"), "[owner] arxiv_query", cfg_path),
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
    )


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string, quotes included (JSON's escapes are TOML's)."""
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

# Extra venues for `format` and `stats` (the shipped table covers the big ML/AI venues):
# [venues.MLSys]
# kind = "conference"
# aliases = ["Conference on Machine Learning and Systems"]
"""


def render_template(owner: str, bib_rel: str = DEFAULT_BIB) -> str:
    """A commented pubman.toml for ``owner`` whose bib is ``bib_rel`` (relative to it)."""
    text = CONFIG_TEMPLATE.replace('"{name}"', toml_string(owner))
    return text.replace('bib = "pubs.bib"', f"bib = {toml_string(bib_rel)}")
