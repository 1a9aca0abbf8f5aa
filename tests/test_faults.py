"""Fault replies: what each kind puts on the wire."""

from __future__ import annotations

import json

import pytest

from pytest_ckafka.exceptions import CKafkaUsageError, UnknownFaultError
from pytest_ckafka.fake.faults import FAULT_KINDS, check_fault, fault_reply


@pytest.mark.parametrize("kind", ["timeout", "connection_error"])
def test_no_answer_faults_make_the_adapter_raise(kind: str) -> None:
    reply = fault_reply(kind, "r-1")
    assert (reply.raise_kind, reply.fault, reply.body) == (kind, kind, b"")


def test_http_status_is_html_with_the_status() -> None:
    reply = fault_reply("http_status", "r-1", 503)
    assert (reply.status, reply.content_type) == (503, "text/html")
    assert b"503 Service Unavailable" in reply.body


def test_malformed_json_does_not_parse() -> None:
    reply = fault_reply("malformed_json", "r-1")
    assert (reply.status, reply.content_type) == (200, "application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.body)


def test_wrong_content_type_is_a_real_error_envelope() -> None:
    reply = fault_reply("wrong_content_type", "r-1")
    assert reply.content_type == "application/json; charset=utf-8"
    assert json.loads(reply.body)["Response"]["RequestId"] == "r-1"


def test_every_kind_is_described() -> None:
    assert sorted(FAULT_KINDS) == [
        "connection_error",
        "http_status",
        "malformed_json",
        "timeout",
        "wrong_content_type",
    ]
    assert all(FAULT_KINDS.values())


def test_bad_kinds_and_statuses() -> None:
    with pytest.raises(UnknownFaultError, match='did you mean "http_status"'):
        check_fault("http_stat", 502)
    with pytest.raises(CKafkaUsageError, match="between 300 and 599, got 700"):
        check_fault("http_status", 700)
