"""Turn an intercepted HTTP request into the CKafka call it encodes.

Pure Python on purpose: the ``requests``/``httpx`` adapters and the local server
all hand their request here as plain ``(method, url, headers, body)``, so every
transport sees exactly the same parsing and the same protocol errors.

Two wire formats exist, both sent by the official SDKs:

* TC3-HMAC-SHA256 (the default): common parameters travel as ``X-TC-*`` headers
  and the call's parameters as a JSON body (POST) or a flattened query (GET).
* The older v1 signature (HmacSHA1/HmacSHA256): everything, common parameters
  included, is one flattened query string or form body.

Either way the parameters nest at most :data:`~pytest_ckafka.api.limits.MAX_DEPTH`
levels, hold Unicode text only (no lone surrogate, in names or values) and standard
numbers only (finite, integers within int64..uint64, as :mod:`~pytest_ckafka.api.strict_json`
says); a request past that is refused here with ``InvalidParameter`` naming the parameter,
so nothing accepted can fail to encode later (in an answer, the call log, the state).

Flattened values are all strings, so :func:`unflatten` rebuilds the nesting and
uses the spec to give them back the types the JSON path would have carried.

>>> req = parse_request(
...     "POST", "https://ckafka.tencentcloudapi.com/",
...     {"X-TC-Action": "DescribeTopic", "Content-Type": "application/json"},
...     b'{"InstanceId": "ckafka-1"}')
>>> req.action, req.params
('DescribeTopic', {'InstanceId': 'ckafka-1'})
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn, Optional, Union
from urllib.parse import parse_qsl, urlsplit

from .authorization import (
    TC3_ALGORITHM,
    Claim,
    MixedProtocols,
    TC3Authorization,
    V1Signature,
    read_claim,
)
from .json_types import json_kind
from .limits import MAX_DEPTH, clip, data_problem
from .spec import Member, load_spec
from .strict_json import NumberError, number_problem, parse_constant, parse_float, parse_int
from .wire import FORM, JSON, request_media_type

__all__ = ["ParsedRequest", "ProtocolError", "parse_request", "unflatten"]


# v1 puts these next to the call's own parameters; none of them is an input
# member of any CKafka action, so removing them never loses a real parameter.
_COMMON_PARAMS = (
    "Action Version Region Timestamp Nonce SecretId Signature SignatureMethod Token Language"
    " RequestClient"
).split()

_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
# What float() takes but no client sends for a number: "1_0", " 1", "nan", "infinity".
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
# The scalar kind of a list item (Member.kind) -> the member type it parses as.
_ITEM_TYPES = dict(int64="int", uint64="int", int="int", float="float", double="float", bool="bool")
_TYPE_WORDS = {"int": "integer", "bool": "boolean", "float": "number"}
_EXPECTED = {"int": "an integer", "bool": "a boolean (true or false)", "float": "a finite number"}


@dataclass(frozen=True)
class ParsedRequest:
    """The transport-independent view of one call, whatever protocol carried it.

    ``params`` is nested and typed the same way for every protocol, so stubs
    and recorded calls can compare it with what the SDK model serialized.
    """

    action: str
    version: str
    region: Optional[str]
    language: Optional[str]
    secret_id: Optional[str]
    token: Optional[str]
    params: dict[str, Any]
    signature_method: Optional[str]
    method: str
    host: str
    claim: Claim = field(default=None, repr=False, compare=False)
    """Who the request says signed it, for :mod:`~pytest_ckafka.api.signing` to verify."""


class ProtocolError(Exception):
    """A request the real API would refuse before looking at the action.

    It carries the common error ``code`` and ``message`` so the caller can answer
    with the same error envelope the real endpoint would send.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def _invalid(message: str) -> NoReturn:
    raise ProtocolError("InvalidParameter", message)


def parse_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: Union[bytes, str, None],
) -> ParsedRequest:
    """Parse one CKafka request; raise :class:`ProtocolError` as the real API would.

    Unknown actions and versions are *not* rejected here: the caller answers
    ``InvalidAction`` with a suggestion, which needs more context than a parser has.

    >>> parse_request("GET", "http://127.0.0.1:9100/?Action=DescribeInstances&Limit=5"
    ...               "&Status.0=1", {}, None).params
    {'Limit': 5, 'Status': [1]}
    """
    verb = method.upper()
    if verb != "POST" and verb != "GET":
        raise ProtocolError(
            "UnsupportedProtocol",
            f"The HTTP method `{method}` is not supported; use GET or POST.",
        )
    hdr = _wanted_headers(headers)
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    host = netloc.rpartition("@")[2] if "@" in netloc else netloc

    json_params: Optional[dict[str, Any]] = None
    flat: Optional[dict[str, str]] = None
    if verb == "POST":
        mime = request_media_type(hdr.get("content-type"), body)
        if mime == JSON:
            json_params = _parse_json(body)
        elif mime == FORM:
            flat = _parse_query(parts.query, "query string")
            if body:
                flat.update(_parse_query(_decode(body), "request body"))
            _check_flat(flat)
        else:
            raise ProtocolError(
                "UnsupportedProtocol",
                f"The content type `{mime}` is not supported; send `{JSON}` "
                f"(TC3-HMAC-SHA256) or `{FORM}` (HmacSHA1/HmacSHA256).",
            )
    else:
        # A GET body is meaningless to the API (the SDK sends none), so it is ignored.
        flat = _parse_query(parts.query, "query string")
        _check_flat(flat)

    try:
        claim = read_claim(
            hdr.get("authorization"),
            flat if flat is not None else _parse_query(parts.query, "query string"),
            params_are_signed=flat is not None,
        )
    except MixedProtocols as exc:
        _invalid(exc.message)

    common: dict[str, str] = {}
    if flat is not None:
        for name in _COMMON_PARAMS:
            if name in flat:
                common[name] = flat.pop(name)

    secret_id: Optional[str] = None
    signature_method: Optional[str] = None
    if isinstance(claim, V1Signature):
        # The signature covers the parameters only: a header may not change what it signed.
        _refuse_unsigned_overrides(hdr, common)
        signature_method, secret_id = claim.method, claim.secret_id or None
        values = {name: common.get(name) for name, _ in _COMMON_HEADERS}
    else:
        # Headers win: a TC3 request may only carry its common parameters there.
        values = {name: hdr.get(header) or common.get(name) for name, header in _COMMON_HEADERS}
        if isinstance(claim, TC3Authorization):
            signature_method, secret_id = TC3_ALGORITHM, claim.secret_id

    action = values["Action"] or ""
    if not action:
        raise ProtocolError(
            "MissingParameter", "The request is missing a required parameter `Action`."
        )

    if json_params is not None:
        params = json_params
    else:
        spec = load_spec()
        members = spec.input_members(action) if action in spec.actions else {}
        params = unflatten(flat or {}, members)
    params.pop("RequestId", None)

    return _new_parsed(
        action=action,
        version=values["Version"] or "",
        region=values["Region"],
        language=values["Language"],
        secret_id=secret_id,
        token=values["Token"],
        params=params,
        signature_method=signature_method,
        method=verb,
        host=host,
        claim=claim,
    )


# The common parameters a TC3 request sends as headers and a v1 request signs as parameters.
_COMMON_HEADERS = (
    ("Action", "x-tc-action"),
    ("Version", "x-tc-version"),
    ("Region", "x-tc-region"),
    ("Language", "x-tc-language"),
    ("Token", "x-tc-token"),
)


def _refuse_unsigned_overrides(hdr: Mapping[str, str], signed: Mapping[str, str]) -> None:
    for name, header in _COMMON_HEADERS:
        sent = hdr.get(header)
        if sent and sent != signed.get(name):
            wanted = signed.get(name)
            # A token is a secret: say that it differs, never what it is.
            if name == "Token":
                detail = "differs from the signed `Token`" if wanted else "is not signed"
            elif wanted is None:
                detail = f"`{_clip(sent)}` is not signed: the v1 parameters have no `{name}`"
            else:
                detail = f"`{_clip(sent)}` disagrees with the signed `{name}` `{_clip(wanted)}`"
            raise ProtocolError(
                "AuthFailure.SignatureFailure",
                f"The {_HEADER_NAMES[header]} header {detail}. A v1-signed request takes its "
                "common parameters from the signed parameters only: drop the header.",
            )


_HEADER_NAMES = {header: "X-TC-" + header[5:].title() for _, header in _COMMON_HEADERS}


def _clip(text: str, limit: int = 64) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


_WANTED_HEADERS = frozenset(
    "content-type authorization x-tc-action x-tc-version x-tc-region x-tc-language"
    " x-tc-token".split()
)


def _wanted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers parsing reads, keyed in lower case whatever the caller's spelling."""
    # ``lower_items`` marks requests' CaseInsensitiveDict, whose get() already
    # ignores case; seven lookups beat walking its slow items() view.
    if hasattr(headers, "lower_items"):
        return {k: v for k in _WANTED_HEADERS if (v := headers.get(k)) is not None}
    return {lk: v for k, v in headers.items() if (lk := k.lower()) in _WANTED_HEADERS}


def _new_parsed(**fields: Any) -> ParsedRequest:
    # A frozen dataclass's __init__ assigns each field through object.__setattr__,
    # which costs more than the rest of the JSON path; ParsedRequest has no
    # __post_init__, so filling __dict__ directly builds an identical object.
    parsed: ParsedRequest = object.__new__(ParsedRequest)
    parsed.__dict__.update(fields)
    return parsed


def _decode(body: Union[bytes, str]) -> str:
    if isinstance(body, str):
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        _invalid(f"The request body is not valid UTF-8: {exc}.")


# Built once: json.loads with keyword arguments would build a decoder per call. The hooks
# refuse what no standard JSON number holds (NaN, 1e400, an integer past 64 bits), which
# would otherwise be answered, logged and saved as inf or a 400-digit int.
_DECODER = json.JSONDecoder(
    parse_constant=parse_constant, parse_int=parse_int, parse_float=parse_float
)


def _parse_json(body: Union[bytes, str, None]) -> dict[str, Any]:
    if not body:
        return {}
    text = _decode(body)
    if text.isspace():
        return {}
    try:
        value = _DECODER.decode(text)
    except NumberError as exc:
        _bad_number(text, exc.problem)
    except ValueError as exc:
        _invalid(f"The request body is not valid JSON: {exc}.")
    except RecursionError:
        _too_deep("The request body")
    if not isinstance(value, dict):
        _invalid(f"The request body must be a JSON object, but it is {json_kind(value)}.")
    # Only a \u escape makes a lone surrogate out of UTF-8 bytes (a str body may
    # hold one as is), and only that many brackets can nest past the limit: a
    # request with neither, nearly every one, skips the walk.
    if (
        "\\u" in text
        or (isinstance(body, str) and not text.isascii())
        or text.count("{") + text.count("[") > MAX_DEPTH
    ):
        _check_params(value)
    return value


def _bad_number(text: str, problem: str) -> NoReturn:
    # The decoder stopped at the number; decoding again without stopping says where it is.
    found = number_problem(text)
    if found is None or not found[0]:
        _invalid(f"The request body holds a number that is not standard JSON: {problem}.")
    path = ".".join(str(step) for step in found[0])
    _invalid(f"Invalid value for parameter `{clip(path)}`: {found[1]}.")


def _check_params(params: Mapping[str, Any]) -> None:
    problem = data_problem(params)
    if problem is not None:
        noun = "The parameter name" if problem.name else "The parameter"
        _invalid(f"{noun} `{clip(problem.path)}` {problem.what}.")


def _check_flat(flat: Mapping[str, str]) -> None:
    """Flattened names and values: Unicode text only (a str URL or body may hold a surrogate)."""
    if not all(key.isascii() and value.isascii() for key, value in flat.items()):
        _check_params(flat)


def _too_deep(what: str) -> NoReturn:
    _invalid(f"{what} is nested more than {MAX_DEPTH} levels deep.")


def _parse_query(text: str, where: str) -> dict[str, str]:
    if not text:
        return {}
    try:
        return dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError as exc:
        _invalid(f"The {where} is not valid UTF-8 once percent-decoded: {exc}.")


def unflatten(flat: Mapping[str, str], members: Mapping[str, Member]) -> dict[str, Any]:
    """Rebuild ``Filters.0.Name=x``-style parameters into typed, nested JSON.

    Flattened values are all strings; ``members`` (an action's input members)
    says which are numbers, booleans, lists or objects, so the result equals
    what the JSON protocol would have sent. Names the spec does not know keep
    their nesting but stay strings, for the caller's validation to report.

    >>> from pytest_ckafka.api.spec import load_spec
    >>> unflatten({"Status.0": "1", "Status.1": "7", "Limit": "5"},
    ...           load_spec().input_members("DescribeInstances"))
    {'Status': [1, 7], 'Limit': 5}
    """
    return _convert_object(_tree(flat), members, "")


def _tree(flat: Mapping[str, str]) -> dict[str, Any]:
    """Nest ``a.b.0=v`` into ``{"a": {"b": {"0": "v"}}}``; lists are decided later."""
    root: dict[str, Any] = {}
    for key, value in flat.items():
        # The request's own object is level 1, so `a.b.c` nests 3 levels.
        if key.count(".") >= MAX_DEPTH:
            _too_deep(f"The parameter `{clip(key)}`")
        node = root
        *path, last = key.split(".")
        for depth, part in enumerate(path):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                _invalid(
                    f"The parameter `{clip('.'.join(path[: depth + 1]))}` was sent both as a "
                    f"value and as `{clip(key)}`."
                )
            node = child
        if isinstance(node.get(last), dict):
            _invalid(f"The parameter `{clip(key)}` was sent both as a value and with sub-fields.")
        node[last] = value
    return root


def _convert_object(
    node: Mapping[str, Any], members: Optional[Mapping[str, Member]], prefix: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, child in node.items():
        member = members.get(name) if members is not None else None
        out[name] = _convert(child, member, prefix + name)
    return out


def _convert(node: Any, member: Optional[Member], name: str) -> Any:
    if member is None:
        return _untyped(node, name)
    if member.type == "list":
        if not isinstance(node, dict):
            _invalid(
                f"The parameter `{name}` is a list; send its items as `{name}.0`, `{name}.1`, ..."
            )
        return [
            _convert_item(item, member, f"{name}.{index}")
            for index, item in enumerate(_as_list(node, name))
        ]
    if member.type == "object":
        if not isinstance(node, dict):
            _invalid(f"The parameter `{name}` is an object; send its fields as `{name}.<Field>`.")
        return _convert_object(node, _object_members(member.kind), name + ".")
    if not isinstance(node, str):
        _invalid(
            f"The parameter `{name}` is a single {_TYPE_WORDS.get(member.type, 'string')}, "
            f"but `{name}.{next(iter(node))}` was sent."
        )
    return _scalar(node, member.type, name)


def _convert_item(node: Any, member: Member, name: str) -> Any:
    if member.is_object:
        if not isinstance(node, dict):
            _invalid(f"The parameter `{name}` is an object; send its fields as `{name}.<Field>`.")
        return _convert_object(node, _object_members(member.kind), name + ".")
    if not isinstance(node, str):
        _invalid(f"The parameter `{name}` is a single value, but it was sent with sub-fields.")
    return _scalar(node, _ITEM_TYPES.get(member.kind, "string"), name)


def _object_members(object_name: str) -> Optional[Mapping[str, Member]]:
    try:
        return load_spec().members(object_name)
    except KeyError:
        return None


def _untyped(node: Any, name: str) -> Any:
    if isinstance(node, str):
        return node
    if all(key.isascii() and key.isdigit() for key in node):
        return [
            _untyped(item, f"{name}.{index}") for index, item in enumerate(_as_list(node, name))
        ]
    return {key: _untyped(child, f"{name}.{key}") for key, child in node.items()}


def _as_list(node: Mapping[str, Any], name: str) -> list[Any]:
    indexed: list[tuple[int, Any]] = []
    for key, item in node.items():
        if not (key.isascii() and key.isdigit()):
            name = clip(name)
            _invalid(
                f"The parameter `{name}` is a list, so `{name}.{clip(key)}` is not valid; "
                f"use numeric indices `{name}.0`, `{name}.1`, ..."
            )
        # Python refuses int() of 4300+ digits; any index that long is past every list.
        indexed.append((int(key) if len(key) < 19 else 1 << 63, item))
    indexed.sort(key=lambda pair: pair[0])
    indices = [index for index, _ in indexed]
    # "01" and "1" both parse to 1, so a duplicate shows up as a gap here too.
    if indices != list(range(len(indices))):
        received = clip(", ".join(str(index) for index in indices))
        _invalid(
            f"The list parameter `{clip(name)}` must be indexed 0, 1, 2, ... without gaps; "
            f"received indices {received}."
        )
    return [item for _, item in indexed]


def _scalar(value: str, kind: str, name: str) -> Any:
    try:
        if kind == "int" and _INT_RE.match(value):
            return parse_int(value)
        if kind == "float" and _FLOAT_RE.match(value):
            return parse_float(value)
    except NumberError as exc:
        _invalid(f"Invalid value for parameter `{clip(name)}`: {exc.problem}.")
    if kind == "bool":
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    elif kind not in _EXPECTED:
        return value
    _invalid(
        f"Invalid value `{clip(value)}` for parameter `{clip(name)}`: expected {_EXPECTED[kind]}."
    )
