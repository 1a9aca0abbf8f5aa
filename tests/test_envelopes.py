"""One module builds every envelope; shapes and content type are pinned here."""

from __future__ import annotations

import json
import uuid

import pytest

from pytest_ckafka import error_envelope, success_envelope
from pytest_ckafka.api.envelopes import CONTENT_TYPE, encode, envelope_reply, success_reply
from pytest_ckafka.exceptions import UnknownActionError, UnknownErrorCodeError


def test_success_envelope_adds_a_uuid4_request_id() -> None:
    envelope = success_envelope("DeleteTopic", {"Result": {"ReturnCode": "0"}})
    response = envelope["Response"]
    assert list(response) == ["Result", "RequestId"]
    assert uuid.UUID(response["RequestId"]).version == 4


def test_success_envelope_without_body_is_the_default() -> None:
    envelope = success_envelope("DescribeInstances", request_id="r-1")
    assert envelope["Response"]["RequestId"] == "r-1"
    assert isinstance(envelope["Response"]["Result"]["TotalCount"], int)


def test_error_envelope_shape_and_default_message() -> None:
    envelope = error_envelope("RequestLimitExceeded", request_id="r-2")
    assert envelope == {
        "Response": {
            "Error": {
                "Code": "RequestLimitExceeded",
                "Message": "The number of requests exceeds the frequency limit.",
            },
            "RequestId": "r-2",
        }
    }


def test_unknown_names_are_rejected() -> None:
    with pytest.raises(UnknownActionError, match='did you mean "DescribeInstances"'):
        success_envelope("DescribeInstance")
    with pytest.raises(UnknownErrorCodeError, match='did you mean "InternalError"'):
        error_envelope("InternalErorr")
    custom = error_envelope("Vendor.Thing", "boom", custom=True)
    assert custom["Response"]["Error"] == {"Code": "Vendor.Thing", "Message": "boom"}


def test_replies_are_200_with_exactly_application_json() -> None:
    assert CONTENT_TYPE == "application/json"
    reply = envelope_reply(error_envelope("InternalError", request_id="r"))
    assert (reply.status, dict(reply.headers)) == (200, {"Content-Type": "application/json"})
    assert json.loads(reply.body)["Response"]["Error"]["Code"] == "InternalError"


@pytest.mark.parametrize("body", ["{}", '{"Result":{"A":1}}'])
def test_success_reply_splices_the_request_id(body: str) -> None:
    reply = success_reply(body, "rid")
    assert json.loads(reply.body) == {"Response": {**json.loads(body), "RequestId": "rid"}}


def test_encode_keeps_unicode() -> None:
    assert encode({"Response": {"Name": "主题"}}) == '{"Response":{"Name":"主题"}}'.encode()
