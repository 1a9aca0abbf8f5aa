"""A bounded fuzz of FakeServer over raw sockets: whatever bytes arrive, an envelope answers.

Hypothesis builds raw requests (request lines with odd methods, targets and versions;
headers with wrong Content-Lengths, content types, spec and random actions; bodies of
random bytes, broken, deep or huge-numbered JSON, form data and unicode) and sends each
on a fresh connection. The client half-closes after sending, so a body shorter than its
Content-Length is answered at once instead of after ``body_timeout`` (that wait is
tested in test_server.py). The run is derandomized and capped at 200 examples.
"""

from __future__ import annotations

import json
import re
import socket
import string
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.server.http import FakeServer

ACTIONS = sorted(load_spec().actions)
CONTROL = "/_ckafka/"
TRACEBACK = b"Traceback (most recent call last)"


class RawRequest(NamedTuple):
    """What is sent, with the two facts the property needs to judge the answers."""

    data: bytes
    method: bytes
    target: bytes


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    """One server for all examples; each starts with ``reset()`` and ends checking ``problems``."""
    fake = FakeServer(assert_all_used=False, body_timeout=0.5, fault_timeout=0.5).start()
    yield fake  # no verify() on the way out: it would repeat a failed example's problems
    fake.stop()


# -- strategies -----------------------------------------------------------------------------

_token = st.text(string.ascii_letters + string.digits + "-_.~!", min_size=1, max_size=16)
_unicode = st.text(max_size=24)  # any code point, surrogates and controls included
_utf8 = _unicode.map(lambda text: text.encode("utf-8", "surrogatepass"))
_latin1 = st.text(st.characters(max_codepoint=255), max_size=24).map(lambda s: s.encode("latin-1"))
# Small sizes, and sizes around the limits that matter: the recursion limit (1000)
# and the longest string int() converts (4300 digits).
_sizes = st.one_of(st.integers(1, 8), st.integers(990, 1100), st.integers(4290, 6000))


def _mostly(usual: list[str], rare: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """One of ``usual`` four times in five, else a draw from ``rare``."""
    common = st.sampled_from([u.encode() for u in usual])
    return st.integers(0, 4).flatmap(lambda n: common if n else rare)


def _odd(*values: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from([v.encode() for v in values])


_methods = _mostly(
    ["POST"] * 4 + ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "post"],
    _odd("TRACE", "CONNECT", "PRI", "", "G\x00T") | _token.map(str.encode) | _latin1,
)
_versions = _mostly(
    ["HTTP/1.1"] * 3 + ["HTTP/1.0"],
    _odd("", "HTTP/0.9", "HTTP/2.0", "HTTP/1.1.1", "HTTP/x.y", "http/1.1", "HTTP/1", "HTTP/01.1")
    | _token.map(str.encode),
)
_targets = _mostly(
    ["/"] * 3 + ["*", "//", "http://ckafka.tencentcloudapi.com/", "/?Action=DescribeRegion"],
    _odd("/_ckafka/health", "/_ckafka/stubs", "/_ckafka/calls", "/_ckafka/reset", "/_ckafka/x")
    | _odd("https://h:99999/", "http://[::1/", "/%ff%zz", "/" + "a" * 70_000)
    | st.text(string.printable, max_size=30).map(str.encode),
)
_actions = _mostly(ACTIONS, _odd("", "describeinstances", "DescribeInstance") | _utf8)
_api_versions = _mostly(["2019-08-19"], _odd("", "2017-03-12", "2019-08-19 ") | _utf8)
_content_types = _mostly(
    ["application/json"] * 3 + ["application/json; charset=utf-8", "APPLICATION/JSON"],
    _odd(
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/json;;;",
        ";",
        "",
    )
    | _latin1,
)

_numbers = st.one_of(
    _sizes.map(lambda n: "9" * n),
    _sizes.map(lambda n: "-1" + "0" * n + ".5"),
    st.integers(-99999, 99999).map(lambda e: f"1e{e}"),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "-0", "1.5", "0x10", "+1", "01", "1_0"]),
)
_params = st.sampled_from(["InstanceId", "Limit", "Offset", "TopicName", "Filters", "Status", "X"])
_form_keys = st.one_of(
    _params,
    st.builds(lambda p, n: p + ".0" * n, _params, _sizes),  # nested n deep
    st.builds(lambda p, n: f"{p}.{'9' * n}", _params, _sizes),  # list index n digits long
    st.builds(lambda p, k: f"{p}.{k}", _params, _token),
    _token,
)
_form_values = st.one_of(
    _numbers, _token, _unicode, _odd("", "%ff", "%zz", "a=b").map(bytes.decode)
)
_forms = st.lists(st.tuples(_form_keys, _form_values), min_size=1, max_size=3).map(
    lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass")
)

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _unicode,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(_params | _unicode, inner, max_size=3)
    ),
    max_leaves=8,
)
_json_texts = st.builds(
    lambda members, ascii_only: json.dumps(members, ensure_ascii=ascii_only),
    st.dictionaries(_params, _json_values, max_size=4),
    st.booleans(),
)


def _nest(depth: int, kind: int, closed: bool) -> bytes:
    opener, closer = [("[", "]"), ('{"a":', "}"), ('{"Filters":[', "]}")][kind]
    return (opener * depth + "1" + (closer * depth if closed else "")).encode()


def _garble(text: str, at: int, byte: int) -> bytes:
    data = bytearray(text.encode())
    data[at % len(data)] = byte
    return bytes(data)


_json_bodies = st.one_of(
    st.just(b""),
    st.just(b"{}"),
    st.binary(max_size=300),
    _json_texts.map(str.encode),
    st.builds(lambda text, cut: text.encode()[: cut % (len(text) + 1)], _json_texts, st.integers()),
    st.builds(_garble, _json_texts, st.integers(0, 10_000), st.integers(0, 255)),
    st.builds(_nest, _sizes, st.integers(0, 2), st.booleans()),
    _numbers.map(lambda n: f'{{"Limit": {n}, "Offset": [{n}]}}'.encode()),
    _numbers.map(str.encode),
    st.builds(
        lambda text, codec: text.encode(codec, "surrogatepass"),
        _unicode,
        st.sampled_from(["utf-8", "utf-16", "utf-32"]),
    ),
    st.sampled_from([b'{"InstanceId": "\\ud800"}', b'{"a": "\\u00"}', b"\xef\xbb\xbf{}", b"null"]),
)


@st.composite
def _content_length(draw: st.DrawFn, size: int) -> list[bytes]:
    """The Content-Length header lines: right, wrong, absent, repeated or not a number."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return []
    if kind == 1:
        return [b"%d" % max(0, size + draw(st.integers(-50, 50)))]
    if kind == 2:
        return [b"%d" % size, b"%d" % draw(st.sampled_from([size, size + 1]))]
    if kind == 3:
        return [b"%d" % draw(st.integers(10 * 1024 * 1024, 10**30))]
    if kind == 4:
        return [b"9" * draw(_sizes)]
    return [draw(_odd("-1", "+5", " 5 ", "0x10", "1, 2", "\u0663", "") | _latin1)]


_header_names = _odd(
    "Host", "Connection", "Expect", "Transfer-Encoding", "Authorization", "X-TC-Region",
    "X-TC-Timestamp", "X-TC-Token", "X-TC-Language", "Content-Encoding", "X-TC-Action",
) | _token.map(str.encode)  # fmt: skip
_header_values = st.one_of(
    _odd("keep-alive", "close", "100-continue", "chunked", "gzip", "ap-guangzhou", "SKIP",
         "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/ckafka/tc3_request, Signature=x"),
    _latin1,
    _utf8,
)  # fmt: skip


@st.composite
def raw_requests(draw: st.DrawFn) -> RawRequest:
    """Three in five: a well-framed request whose body, content type or action is odd.

    Otherwise anything may be broken: the request line, the header lines and their end,
    Content-Length, and the bytes that follow the request.
    """
    wild = draw(st.integers(0, 4)) >= 3
    form = draw(st.integers(0, 3)) == 0
    body = draw(_forms if form else _json_bodies)
    headers = [(b"Host", b"h"), (b"X-TC-Action", draw(_actions))]
    headers.append((b"X-TC-Version", draw(_api_versions)))
    if not wild:
        method = b"GET" if form and draw(st.booleans()) else b"POST"
        target, body = (b"/?" + body, b"") if method == b"GET" else (b"/", body)
        content_type = b"application/x-www-form-urlencoded" if form else draw(_content_types)
        headers.append((b"Content-Type", content_type))
        headers.append((b"Content-Length", b"%d" % len(body)))
        headers += draw(st.lists(st.tuples(_header_names, _header_values), max_size=2))
        head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        data = method + b" " + target + b" HTTP/1.1\r\n" + head + b"\r\n" + body
        return RawRequest(data, method, target)

    method, target, version = draw(_methods), draw(_targets), draw(_versions)
    space = draw(st.sampled_from([b" ", b" ", b" ", b"  ", b"\t"]))
    eol = draw(st.sampled_from([b"\r\n", b"\r\n", b"\r\n", b"\n"]))
    line = method + space + target + (space + version if version else b"") + eol
    headers.append((b"Content-Type", draw(_content_types)))
    headers += [(b"Content-Length", value) for value in draw(_content_length(len(body)))]
    headers += draw(st.lists(st.tuples(_header_names, _header_values), max_size=3))
    lines = [name + b": " + value + eol for name, value in draw(st.permutations(headers))]
    if draw(st.integers(0, 5)) == 0:
        lines.append(draw(_odd("NoColon\r\n", " folded\r\n", ": x\r\n", "X-Y:\r\n")))
    ending = draw(st.sampled_from([eol, eol, eol, b""]))  # b"": the headers never end
    tail = draw(st.sampled_from([b"", b"", b"\r\n", _normal_request(), b"\x16\x03\x01"]))
    return RawRequest(line + b"".join(lines) + ending + body + tail, method, target)


def _normal_request(close: bool = False) -> bytes:
    body = b'{"Limit": 10}'
    return (
        b"POST / HTTP/1.1\r\nHost: h\r\nX-TC-Action: DescribeRegion\r\n"
        b"X-TC-Version: 2019-08-19\r\nContent-Type: application/json\r\n"
        + (b"Connection: close\r\n" if close else b"")
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )


def _post(
    body: bytes, content_type: bytes = b"application/json", length: bytes = b""
) -> RawRequest:
    head = b"POST / HTTP/1.1\r\nHost: h\r\nX-TC-Action: DescribeInstances\r\n"
    head += b"X-TC-Version: 2019-08-19\r\nContent-Type: " + content_type + b"\r\n"
    head += b"Content-Length: " + (length or b"%d" % len(body)) + b"\r\n\r\n"
    return RawRequest(head + body, b"POST", b"/")


_FORM = b"application/x-www-form-urlencoded"


# -- the property ---------------------------------------------------------------------------


def _exchange(server: FakeServer, data: bytes) -> tuple[bytes, bool]:
    """Send ``data``, half-close, read until the server closes: (bytes, ended by a reset)."""
    host, port = server.endpoint.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        raw = b""
        try:
            while chunk := sock.recv(65536):
                raw += chunk
        except ConnectionResetError:  # it answered and closed with our bytes unread
            return raw, True
    return raw, False


def _answers(raw: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split a byte stream into answers, checking each one's framing."""
    answers = []
    while raw:
        head, sep, raw = raw.partition(b"\r\n\r\n")
        assert sep, f"an answer whose headers never end: {head[:300]!r}"
        status_line, *lines = head.decode("latin-1").split("\r\n")
        version, status, _ = status_line.split(" ", 2)
        assert version == "HTTP/1.1", status_line
        if status.startswith("1"):  # 100 Continue, for Expect: 100-continue: no body
            continue
        headers = dict(line.split(": ", 1) for line in lines)
        length = int(headers["Content-Length"])
        body, raw = raw[:length], raw[length:]
        assert len(body) == length, f"a truncated answer: {head!r} {body[:300]!r}"
        answers.append((int(status), headers, body))
    return answers


def _check_answer(request: RawRequest, status: int, headers: dict[str, str], body: bytes) -> None:
    assert headers["Content-Type"] == "application/json", headers
    if not body and request.method.upper() == b"HEAD":
        return  # headers only, as HEAD must
    document = json.loads(body)
    assert isinstance(document, dict), body
    if "Response" not in document:  # only the control API answers its own JSON
        assert CONTROL.encode() in request.target, body
        assert status in (200, 400, 404, 405), (status, body)
        return
    assert list(document) == ["Response"], body
    response: dict[str, Any] = document["Response"]
    assert uuid.UUID(response["RequestId"]).version == 4
    assert list(response)[-1] == "RequestId", body
    error = response.get("Error")
    if status != 200:
        assert error is not None, (status, body)
    if error is not None:
        assert set(error) == {"Code", "Message"}, error
        assert isinstance(error["Code"], str) and isinstance(error["Message"], str), error
        assert error["Code"] != "InternalError", error["Message"]  # a crash in the server


def _code(body: bytes) -> str:
    """The error code of an answer, for the statistics (``--hypothesis-show-statistics``)."""
    response = json.loads(body or b"{}").get("Response", {})
    return str(response.get("Error", {}).get("Code", "success" if response else "-"))


def _assert_still_answers(server: FakeServer) -> None:
    raw, _ = _exchange(server, _normal_request(close=True))
    [(status, _, body)] = _answers(raw)
    response = json.loads(body)["Response"]
    assert status == 200 and "Error" not in response and response["Result"], body


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(request=raw_requests())
@example(request=_post(b"[" * 5000))  # recursion in the JSON decoder
@example(request=_post(b'{"a":' * 2000 + b"1" + b"}" * 2000))
@example(request=_post(b"Status." + b"9" * 5000 + b"=1", _FORM))  # int() of a 5000-digit index
@example(request=_post(b"Limit=" + b"9" * 5000, _FORM))  # int() of a 5000-digit value
@example(request=_post(b"Filters" + b".0" * 3000 + b"=1", _FORM))  # recursion when unflattening
@example(request=_post(b"{}", length=b"9" * 5000))  # int() of a 5000-digit Content-Length
@example(request=RawRequest(b"\r\n\r\n", b"", b""))
@example(request=RawRequest(b"\x16\x03\x01\x02\x00", b"", b""))
def test_every_answer_is_an_envelope_and_the_server_keeps_answering(
    server: FakeServer, request: RawRequest
) -> None:
    server.reset()  # no stub or fault from an earlier example (the control API can add one)
    raw, reset = _exchange(server, request.data)
    assert TRACEBACK not in raw
    answers = _answers(raw)
    if reset:
        event("reset after answering")
    if not answers:  # only blank lines, which RFC 9112 says to skip, may go unanswered
        assert re.fullmatch(rb"(\r?\n)*", request.data), raw
        assert not reset
    for status, headers, body in answers:
        _check_answer(request, status, headers, body)
        event(f"answered {status} {_code(body)}")
    assert list(server.problems) == []
    _assert_still_answers(server)
