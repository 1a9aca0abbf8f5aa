"""api/wire.py: the one reading of headers and media types, the one JSON writer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pytest_ckafka.api.wire import FORM, JSON, compact_json, header, media_type, request_media_type

PACKAGE = Path(__file__).resolve().parent.parent / "pytest_ckafka"


def test_header_ignores_case_and_reads_bytes_as_latin_1() -> None:
    headers = {"X-TC-Action": "DescribeTopic", "Content-Type": b"application/json; charset=\xe9"}
    assert header(headers, "x-tc-action") == "DescribeTopic"
    assert header(headers, "X-TC-ACTION") == "DescribeTopic"
    assert header(headers, "content-type") == "application/json; charset=é"
    assert header(headers, "x-tc-version") == ""


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", JSON),
        ("Application/JSON; charset=utf-8", JSON),
        (" application/x-www-form-urlencoded ;charset=utf-8", FORM),
        ("text/plain", "text/plain"),
        ("", ""),
        (None, ""),
    ],
)
def test_media_type_drops_parameters_and_case(content_type: str | None, expected: str) -> None:
    assert media_type(content_type) == expected


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("text/plain", b"{}", "text/plain"),  # a stated type is never second-guessed
        (None, None, JSON),
        ("", b"", JSON),
        (None, b'  {"Limit": 1}', JSON),
        (None, "[1]", JSON),
        (None, b"Action=DescribeTopic&Version=2019-08-19", FORM),
        (None, "Action=DescribeTopic", FORM),
    ],
)
def test_request_media_type_guesses_only_without_a_content_type(
    content_type: str | None, body: bytes | str | None, expected: str
) -> None:
    assert request_media_type(content_type, body) == expected


def test_compact_json_writes_as_the_api_does() -> None:
    data = {"Name": "café", "B": [1, 2.5, None, True], "A": {}}
    assert compact_json(data) == '{"Name":"café","B":[1,2.5,null,true],"A":{}}'
    assert compact_json(data, sort_keys=True) == '{"A":{},"B":[1,2.5,null,true],"Name":"café"}'
    assert json.loads(compact_json(data)) == data
    assert compact_json({"R": float("inf")}) == '{"R":Infinity}'
    with pytest.raises(ValueError, match="JSON compliant"):
        compact_json({"R": float("inf")}, standard=True)


def test_no_other_module_writes_compact_json_or_reads_a_header_itself() -> None:
    """One home: a second spelling of these rules would drift from this one."""
    copies = re.compile(r"separators=|^def _?header\(|^def _?media_type\(", re.MULTILINE)
    found = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "wire.py" and copies.search(path.read_text("utf-8"))
    ]
    assert found == []
