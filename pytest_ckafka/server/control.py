"""The HTTP control API of the server, for clients that are not Python.

Pure: ``(method, path, body) -> ControlAnswer`` over the registration API of
:class:`~pytest_ckafka.CKafka`; :mod:`pytest_ckafka.server.http` only routes the
reserved prefix ``/_ckafka/`` here (the CKafka API itself is always POSTed to
``/``). Every answer is JSON (``Content-Type: application/json``). Bad input gets
400 with ``{"error": "..."}`` carrying the message the Python API gives,
suggestion included; an unknown path 404, a wrong method 405 (with ``Allow``).

``GET /_ckafka/health``
    ``{"status": "ok", "service": "ckafka", "version": "2019-08-19", "stubs": N, "calls": N}``.
``POST /_ckafka/stubs``
    Register one stub (a JSON object) or several (a list: all or none). Each is
    ``{"kind": "respond" | "fail" | "fault", "action": ..., ...}`` with, by kind,
    ``body`` (respond), ``code``, ``message``, ``custom`` (fail), ``fault`` and
    ``status`` (fault: ``fault`` is the fault kind, e.g. ``"timeout"``), and for
    all ``times`` and ``params``, exactly as :meth:`~pytest_ckafka.CKafka.respond`,
    :meth:`~pytest_ckafka.CKafka.fail` and :meth:`~pytest_ckafka.CKafka.fault`
    take them. Answers ``{"stubs": [...]}``, the stubs added. ``action`` ``"*"``
    (fail, fault) answers any action.
``GET /_ckafka/stubs``
    ``{"stubs": [...]}``: every stub as registered, plus ``"used"``, the calls it answered.
``DELETE /_ckafka/stubs``
    Forget every stub; ``{"removed": N}``.
``GET /_ckafka/calls``
    ``{"calls": [{"action", "params", "region", "version", "request_id", "error_code",
    "secret_id", "account"}], "dropped": N}`` in arrival order; ``error_code`` is
    ``null`` on success, ``"fault:KIND"`` for a fault; ``secret_id`` is the SecretId
    the request named (``null`` if unsigned), ``account`` the stateful account it
    acted in (``null`` if refused first: unparseable, or not authenticated under
    ``strict_auth``). ``params`` hide secrets as a cassette does (a ``Password``
    reads ``SCRUBBED``). The log keeps the last ``max_calls`` calls (``--max-calls``);
    ``dropped`` counts the older ones it let go since the last reset.
``POST /_ckafka/credentials``
    Register one key (an object) or several (a list: all or none), each
    ``{"secret_id", "secret_key", "token"?, "token_expires_at"?, "account"?}`` as
    :meth:`~pytest_ckafka.CKafka.add_credentials` takes them (the ``--credentials``
    file's entries). Answers ``{"credentials": [...]}``, the keys added as ``GET`` shows them.
``GET /_ckafka/credentials``
    ``{"credentials": [{"secret_id", "account", "temporary", "token_expires_at"}]}``:
    never a secret key or token.
``DELETE /_ckafka/credentials``
    Forget every key; ``{"removed": N}``. (A reset keeps them.)
``POST /_ckafka/reset``
    Forget stubs, calls and the stateful backend's resources (registered
    credentials stay); ``{"reset": true}``.
``GET /_ckafka/state``
    ``{"state": {"stores": [...]}}``: every resource, as ``State.dump()`` gives it,
    users' passwords in clear (a saved state must hold them to be loaded back).
``POST /_ckafka/state``
    Seed: one entry or a list (all or none), each ``{"add": KIND, ...}`` with
    KIND one of ``instance``, ``topic``, ``messages``, ``group``, ``user``,
    ``acl``, ``route``, ``configure`` and the keyword arguments of the matching
    ``ckafka.state.add_KIND(...)`` (see :mod:`pytest_ckafka.server.seeding`). Answers
    ``{"added": [...]}``, what each returned (e.g. the new instance id).
``PUT /_ckafka/state``
    Replace the whole state with ``GET /_ckafka/state``'s ``state`` object.
``DELETE /_ckafka/state``
    Forget every resource (stubs stay); ``{"reset": true}``.
``GET /_ckafka/clock``, ``POST /_ckafka/clock``
    ``{"now": T}``, the backend's clock; POST ``{"advance": SECONDS}`` moves it
    forward first (the 60-second topic-delete rule, instances becoming ready);
    ``SECONDS`` is a number from 0 to 315360000 (10 years).

``HEAD`` is answered as ``GET`` without the body. Every body is standard JSON
(:mod:`pytest_ckafka.api.strict_json`), both ways: ``NaN``, ``Infinity``, an integer
beyond int64/uint64, a lone surrogate (``"\\ud800"``) or nesting deeper than
:data:`~pytest_ckafka.api.limits.MAX_DEPTH` is refused with a 400 naming the field
(``stubs[0].params.Limit: NaN is not standard JSON...``), and every field is
type-checked (seed arguments against the ``State.add_*`` signatures,
``PUT /_ckafka/state`` against the models). Answers
never carry non-standard JSON: a value that got into the fake from Python and has
no JSON form is written replaced (``"NaN"``, U+FFFD).

With ``pytest-ckafka serve --port 0`` running (its first line names the port, ``$PORT`` here)::

    curl -s localhost:$PORT/_ckafka/health
    curl -s -X POST localhost:$PORT/_ckafka/stubs \\
        -d '{"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", "times": 1}'
    curl -s -X POST localhost:$PORT/_ckafka/stubs \\
        -d '[{"kind": "respond", "action": "DescribeTopic",
              "body": {"Result": {"TotalCount": 0, "TopicList": []}}},
             {"kind": "fault", "action": "*", "fault": "http_status", "status": 503}]'
    curl -s localhost:$PORT/_ckafka/stubs
    curl -s localhost:$PORT/_ckafka/calls
    curl -s -X POST localhost:$PORT/_ckafka/credentials \\
        -d '{"secret_id": "AKIDteam", "secret_key": "team-key", "account": "team"}'
    curl -s localhost:$PORT/_ckafka/credentials
    curl -s -X DELETE localhost:$PORT/_ckafka/stubs
    curl -s -X POST localhost:$PORT/_ckafka/reset
    curl -s -X POST localhost:$PORT/_ckafka/state \\
        -d '[{"add": "instance", "instance_id": "ckafka-00000001"},
             {"add": "topic", "instance_id": "ckafka-00000001", "name": "orders"}]'
    curl -s localhost:$PORT/_ckafka/state
    curl -s -X POST localhost:$PORT/_ckafka/clock -d '{"advance": 60}'

The same entries make the ``stubs`` list of a ``--state`` or ``--seed`` file (see
:mod:`pytest_ckafka.server.cli`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..api.envelopes import CONTENT_TYPE, Reply
from ..api.json_types import describe_type, json_echo, json_kind
from ..api.spec import API_VERSION, SERVICE
from ..api.strict_json import dumps_lenient, loads
from ..api.suggest import unknown_name_message
from ..checks.ckafka import CKafka
from ..exceptions import CKafkaUsageError
from ..fake.stubs import Stub
from .credentials import add_credential_entries, credential_entry
from .seeding import apply_seeds, load_dump

__all__ = [
    "MAX_ADVANCE",
    "PREFIX",
    "ControlAnswer",
    "add_stubs",
    "handle_control",
    "is_control_path",
    "json_kind",
    "stub_entry",
]

PREFIX = "/_ckafka/"
"""Paths under this prefix are the control API, never a CKafka call."""

MAX_ADVANCE = 10 * 365 * 86_400
"""The most ``POST /_ckafka/clock`` moves the clock at once: 10 years, in seconds."""

STUB_KINDS = ("respond", "fail", "fault")
_COMMON = ("kind", "action", "times", "params")
_FIELDS = {
    "respond": (*_COMMON, "body"),
    "fail": (*_COMMON, "code", "message", "custom"),
    "fault": (*_COMMON, "fault", "status"),
}


@dataclass(frozen=True)
class ControlAnswer:
    """A control API answer: an HTTP status and a JSON object (``allow`` for a 405)."""

    status: int
    body: Mapping[str, Any]
    allow: Optional[str] = None

    def reply(self) -> Reply:
        """The answer as the :class:`~pytest_ckafka.api.envelopes.Reply` the server writes."""
        headers = {"Content-Type": CONTENT_TYPE}
        if self.allow:
            headers["Allow"] = self.allow
        return Reply(self.status, headers, dumps_lenient(self.body))


def is_control_path(path: str) -> bool:
    """True for ``/_ckafka`` and anything under it."""
    return path == PREFIX.rstrip("/") or path.startswith(PREFIX)


def handle_control(fake: CKafka, method: str, path: str, body: bytes) -> ControlAnswer:
    """Answer one control request. Pure: no socket, no HTTP library.

    >>> fake = CKafka()
    >>> entry = b'{"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse"}'
    >>> handle_control(fake, "POST", "/_ckafka/stubs", entry).status
    200
    >>> answer = handle_control(fake, "POST", "/_ckafka/stubs", b'{"kind": "fial"}')
    >>> answer.status, answer.body["error"]
    (400, 'unknown stub kind "fial": did you mean "fail"? Valid choices: fail, fault, respond.')
    """
    path = path.split("?", 1)[0].rstrip("/")
    routes = _ROUTES.get(path)
    if routes is None:
        message = unknown_name_message("control path", path, _ROUTES)
        return ControlAnswer(404, {"error": message})
    method = method.upper()
    route = routes.get("GET" if method == "HEAD" else method)  # the server drops the body
    if route is None:
        allowed = ", ".join(sorted([*routes, "HEAD"] if "GET" in routes else routes))
        message = f"{method} {path} is not allowed: use {allowed}"
        return ControlAnswer(405, {"error": message}, allow=allowed)
    try:
        return ControlAnswer(200, route(fake, body))
    except CKafkaUsageError as exc:
        return ControlAnswer(400, {"error": str(exc)})


def add_stubs(fake: CKafka, entries: Any) -> list[Stub]:
    """Register one entry (a dict) or a list of them; all or none.

    An error in the N-th entry of a list is prefixed ``stubs[N]: ``. Raises
    :class:`~pytest_ckafka.exceptions.CKafkaUsageError` with the Python API's
    message, and registers nothing, if any entry is bad.
    """
    if isinstance(entries, list):
        added: list[Stub] = []
        for index, entry in enumerate(entries):
            try:
                added.append(_add_stub(fake, entry))
            except CKafkaUsageError as exc:
                for stub in added:
                    fake.remove(stub)
                raise CKafkaUsageError(f"stubs[{index}]: {exc}") from None
        return added
    return [_add_stub(fake, entries)]


def stub_entry(stub: Stub, *, remaining: bool = False) -> dict[str, Any]:
    """``stub`` as the JSON entry that registers it; ``remaining``: ``times`` left, not given."""
    entry: dict[str, Any] = {"kind": stub.kind, "action": stub.action}
    if stub.kind == "respond" and stub.body_json is not None:
        entry["body"] = json.loads(stub.body_json)
    elif stub.kind == "fail":
        entry["code"] = stub.code
        if stub.message is not None:
            entry["message"] = stub.message
        if stub.custom:
            entry["custom"] = True
    elif stub.kind == "fault":
        entry["fault"] = stub.fault
        if stub.fault == "http_status":
            entry["status"] = stub.status
    if stub.times is not None:
        entry["times"] = stub.times - stub.used if remaining else stub.times
    if stub.params is not None:
        entry["params"] = dict(stub.params)
    return entry


def _add_stub(fake: CKafka, entry: Any) -> Stub:
    if not isinstance(entry, Mapping):
        raise CKafkaUsageError(f"a stub must be a JSON object, got {json_kind(entry)}")
    kind = entry.get("kind")
    if kind is None:
        raise CKafkaUsageError('a stub needs "kind": one of ' + ", ".join(STUB_KINDS))
    if kind not in STUB_KINDS:
        raise CKafkaUsageError(unknown_name_message("stub kind", kind, STUB_KINDS))
    fields = _FIELDS[kind]
    for key in entry:
        if key not in fields:
            raise CKafkaUsageError(f"{kind} stub: " + unknown_name_message("field", key, fields))
    action = _get(entry, kind, "action", str, required=True)
    times = _get(entry, kind, "times", int)
    params = _get(entry, kind, "params", dict)
    if kind == "respond":
        return fake.respond(action, _get(entry, kind, "body", dict), times=times, params=params)
    if kind == "fail":
        code = _get(entry, kind, "code", str, required=True)
        message = _get(entry, kind, "message", str)
        custom = bool(_get(entry, kind, "custom", bool))
        return fake.fail(action, code, message, times=times, params=params, custom=custom)
    fault = _get(entry, kind, "fault", str, required=True)
    status = _get(entry, kind, "status", int)
    return fake.fault(
        action, fault, times=times, params=params, status=502 if status is None else status
    )


def _get(
    entry: Mapping[str, Any], kind: str, key: str, kind_of: type, required: bool = False
) -> Any:
    value = entry.get(key)
    if value is None:
        if required:
            raise CKafkaUsageError(f'{kind} stub: missing field "{key}"')
        return None
    if not isinstance(value, kind_of) or (kind_of is int and isinstance(value, bool)):
        raise CKafkaUsageError(
            f'{kind} stub: "{key}" must be {describe_type(kind_of)}, got {json_echo(value)}'
        )
    return value


def _json_body(body: bytes, what: str, root: str = "") -> Any:
    """The body as standard JSON; ``root`` names a list body in paths (``stubs[0]``)."""
    if not body.strip():
        raise CKafkaUsageError(f"the request needs a JSON body: {what}")
    return loads(body, root, source="the request body")


def _health(fake: CKafka, body: bytes) -> dict[str, Any]:
    stubs, calls = len(fake.stubs), len(fake.calls)
    return {
        "status": "ok",
        "service": SERVICE,
        "version": API_VERSION,
        "stubs": stubs,
        "calls": calls,
    }


def _post_stubs(fake: CKafka, body: bytes) -> dict[str, Any]:
    entries = _json_body(body, "a stub object or a list of them", "stubs")
    return {"stubs": [stub_entry(stub) for stub in add_stubs(fake, entries)]}


def _get_stubs(fake: CKafka, body: bytes) -> dict[str, Any]:
    return {"stubs": [{**stub_entry(stub), "used": stub.used} for stub in fake.stubs]}


def _delete_stubs(fake: CKafka, body: bytes) -> dict[str, Any]:
    stubs = fake.stubs
    for stub in stubs:
        fake.remove(stub)
    return {"removed": len(stubs)}


def _calls(fake: CKafka, body: bytes) -> dict[str, Any]:
    dropped, kept = fake.calls.snapshot()
    # The SecretId is shown: the control API is the test's own view of its fake keys,
    # never recorded (cassettes and error messages keep it out).
    calls = [
        {
            "action": call.action,
            "params": call.scrubbed_params(),  # secrets hidden, as in Call.summary
            "region": call.region,
            "version": call.version,
            "request_id": call.request_id,
            "error_code": call.error_code,
            "secret_id": call.secret_id,
            "account": call.account,
        }
        for call in kept
    ]
    return {"calls": calls, "dropped": dropped}


def _post_credentials(fake: CKafka, body: bytes) -> dict[str, Any]:
    entries = _json_body(body, "a credentials object or a list of them", "credentials")
    added = add_credential_entries(fake, entries, "credentials")
    default = fake.backend.default_account
    return {"credentials": [credential_entry(c, default) for c in added]}


def _get_credentials(fake: CKafka, body: bytes) -> dict[str, Any]:
    default = fake.backend.default_account
    return {"credentials": [credential_entry(c, default) for c in fake.credentials]}


def _delete_credentials(fake: CKafka, body: bytes) -> dict[str, Any]:
    removed = len(fake.credentials)
    fake.credentials.clear()
    return {"removed": removed}


def _reset(fake: CKafka, body: bytes) -> dict[str, Any]:
    fake.reset(state=True)
    return {"reset": True}


def _get_state(fake: CKafka, body: bytes) -> dict[str, Any]:
    return {"state": fake.state.dump()}


def _seed_state(fake: CKafka, body: bytes) -> dict[str, Any]:
    entries = _json_body(body, 'a seed object {"add": KIND, ...} or a list of them', "seed")
    return {"added": apply_seeds(fake.state, entries)}


def _put_state(fake: CKafka, body: bytes) -> dict[str, Any]:
    data = _json_body(body, 'the state object {"stores": [...]}', "state")
    load_dump(fake.state, data.get("state", data) if isinstance(data, dict) else data)
    return {"state": fake.state.dump()}


def _delete_state(fake: CKafka, body: bytes) -> dict[str, Any]:
    fake.state.reset()
    return {"reset": True}


def _get_clock(fake: CKafka, body: bytes) -> dict[str, Any]:
    return {"now": fake.clock.now()}


def _advance_clock(fake: CKafka, body: bytes) -> dict[str, Any]:
    data = _json_body(body, '{"advance": SECONDS}')
    if not isinstance(data, Mapping):
        raise CKafkaUsageError(
            f'clock: expected an object {{"advance": SECONDS}}, got {json_kind(data)}'
        )
    for key in data:
        if key != "advance":
            raise CKafkaUsageError("clock: " + unknown_name_message("field", key, ["advance"]))
    seconds = data.get("advance")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise CKafkaUsageError(f"advance: expected a number of seconds, got {json_echo(seconds)}")
    if not 0 <= seconds <= MAX_ADVANCE:
        raise CKafkaUsageError(
            f"advance: expected 0 to {MAX_ADVANCE} seconds (10 years), got {json_echo(seconds)}"
        )
    fake.clock.advance(float(seconds))
    return {"now": fake.clock.now()}


_Route = Callable[[CKafka, bytes], dict[str, Any]]
_ROUTES: dict[str, dict[str, _Route]] = {
    "/_ckafka/health": {"GET": _health},
    "/_ckafka/stubs": {"GET": _get_stubs, "POST": _post_stubs, "DELETE": _delete_stubs},
    "/_ckafka/calls": {"GET": _calls},
    "/_ckafka/credentials": {
        "GET": _get_credentials,
        "POST": _post_credentials,
        "DELETE": _delete_credentials,
    },
    "/_ckafka/reset": {"POST": _reset},
    "/_ckafka/state": {
        "GET": _get_state,
        "POST": _seed_state,
        "PUT": _put_state,
        "DELETE": _delete_state,
    },
    "/_ckafka/clock": {"GET": _get_clock, "POST": _advance_clock},
}
