"""The replay HTTP server for tests: re-exports ``scripts/replay_server.py``.

The server lives in ``scripts/`` because users run it from the command line to try ``pubman
sync`` offline; it is not part of the installed package. Loading it by path keeps one copy of
the code for both uses. See that module's docstring for routes, replies and faults.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "replay_server.py"
_NAME = "pubman_replay_server"

if _NAME in sys.modules:
    _module = sys.modules[_NAME]
else:
    _spec = importlib.util.spec_from_file_location(_NAME, _PATH)
    assert _spec is not None and _spec.loader is not None, _PATH
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[_NAME] = _module  # dataclasses look their module up while the class is built
    _spec.loader.exec_module(_module)

RecordedRequest = _module.RecordedRequest
Reply = _module.Reply
ReplayServer = _module.ReplayServer
Route = _module.Route
atom_reply = _module.atom_reply
closed_port_url = _module.closed_port_url
drip = _module.drip
drop_connection = _module.drop_connection
entity_bomb = _module.entity_bomb
hang = _module.hang
html_error_page = _module.html_error_page
json_reply = _module.json_reply
malformed_atom = _module.malformed_atom
server_error = _module.server_error
short_body = _module.short_body
too_many_requests = _module.too_many_requests
truncated_json = _module.truncated_json
