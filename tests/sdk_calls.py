"""Calling one CKafka action through the official SDK, for the stateful-backend tests.

Each helper builds ``models.<Action>Request`` from keyword members (as JSON, so
nested members may be plain dicts and lists) and sends it with the given sync
client. ``sdk_error`` also checks that the code the backend answered is one the
API reference documents for the action (or a common code).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from pytest_ckafka.backend import allowed_codes


def sdk_request(action: str, params: dict[str, Any]) -> Any:
    """``models.<action>Request`` with ``params`` as its members."""
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    return request


def sdk_response(client: Any, action: str, **params: Any) -> dict[str, Any]:
    """Call ``action``; answer the whole response as plain data (a dict)."""
    response = getattr(client, action)(sdk_request(action, params))
    return dict(json.loads(response.to_json_string()))


def sdk_result(client: Any, action: str, **params: Any) -> Any:
    """Call ``action``; answer the response's ``Result`` as plain data."""
    return sdk_response(client, action, **params)["Result"]


def sdk_error(client: Any, action: str, **params: Any) -> tuple[str, str]:
    """Call ``action``, which must fail with a code allowed for it; answer ``(code, message)``."""
    with pytest.raises(TencentCloudSDKException) as info:
        getattr(client, action)(sdk_request(action, params))
    assert info.value.code in allowed_codes(action)
    return info.value.code, info.value.message
