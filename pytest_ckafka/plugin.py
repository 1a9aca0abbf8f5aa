"""pytest wiring for pytest-ckafka: options, markers and fixtures. Nothing else.

Heavy imports (responses, respx, the spec, the SDK) happen inside the fixtures,
so a run that never asks for ``ckafka`` pays only for this module.

Precedence of settings, highest first: marker > command line > ini > fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional

import pytest

if TYPE_CHECKING:
    from .mocking import CKafkaMock

__all__ = [
    "ckafka",
    "ckafka_client",
    "ckafka_client_async",
    "ckafka_credential",
    "ckafka_endpoints",
    "ckafka_region",
]

MARKER_OPTIONS = ("strict", "assert_all_used", "endpoints")
FAKE_SECRET_ID = "AKIDpytestckafkaFAKE0000000000000000"
FAKE_SECRET_KEY = "pytest-ckafka-fake-secret-key-000"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ckafka", "Tencent Cloud CKafka API test doubles (pytest-ckafka)")
    group.addoption(
        "--ckafka-strict",
        action="store_true",
        default=None,
        help="fail any CKafka call that no stub answers (ini: ckafka_strict).",
    )
    parser.addini(
        "ckafka_strict", type="bool", default=False, help="fail CKafka calls no stub answers."
    )
    parser.addini(
        "ckafka_endpoints",
        type="linelist",
        default=[],
        help="extra CKafka endpoints to intercept, one per line, e.g. 127.0.0.1:9100.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ckafka(strict=None, assert_all_used=True, endpoints=()): configure the ckafka "
        "fixture for this test (strict mode, unused-stub check, extra endpoints).",
    )


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("ckafka"))):
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.ckafka takes keyword arguments only "
                f"({', '.join(MARKER_OPTIONS)}), got positional {marker.args!r}"
            )
        for key in marker.kwargs:
            if key not in MARKER_OPTIONS:
                from .suggest import unknown_name_message

                raise pytest.UsageError(
                    "@pytest.mark.ckafka: " + unknown_name_message("option", key, MARKER_OPTIONS)
                )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def ckafka_endpoints(pytestconfig: pytest.Config) -> list[str]:
    """Extra endpoints the ``ckafka`` fixture intercepts (default: ini ``ckafka_endpoints``)."""
    return list(pytestconfig.getini("ckafka_endpoints"))


@pytest.fixture
def ckafka(request: pytest.FixtureRequest, ckafka_endpoints: list[str]) -> Iterator[CKafkaMock]:
    """The fake CKafka API: answers every CKafka call made by the test.

    >>> def test_delete_retries(ckafka, ckafka_client):
    ...     ckafka.fail("DeleteTopic", "ResourceInUse", times=1)
    """
    from .mocking import CKafkaMock

    options = _marker_options(request)
    cli_strict: Optional[bool] = request.config.getoption("ckafka_strict")
    strict = options.get("strict")
    if strict is None:
        strict = cli_strict if cli_strict is not None else request.config.getini("ckafka_strict")
    endpoints = [*ckafka_endpoints, *options.get("endpoints", ())]
    assert_all_used = options.get("assert_all_used", True)
    fake = CKafkaMock(strict=bool(strict), endpoints=endpoints, assert_all_used=assert_all_used)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
    fake.verify(assert_all_used=bool(assert_all_used))


@pytest.fixture
def ckafka_region() -> str:
    """Region of the ``ckafka_client`` fixtures; override to test another region."""
    return "ap-guangzhou"


@pytest.fixture
def ckafka_credential() -> Any:
    """A fake SDK ``Credential`` (never a real secret) for the client fixtures."""
    credential = _sdk_import("tencentcloud.common.credential")
    return credential.Credential(FAKE_SECRET_ID, FAKE_SECRET_KEY)


@pytest.fixture
def ckafka_client(ckafka: CKafkaMock, ckafka_credential: Any, ckafka_region: str) -> Any:
    """An official-SDK ``CkafkaClient`` (sync, over requests) answered by ``ckafka``."""
    module = _sdk_import("tencentcloud.ckafka.v20190819.ckafka_client")
    return module.CkafkaClient(ckafka_credential, ckafka_region)


@pytest.fixture
def ckafka_client_async(
    ckafka: CKafkaMock, ckafka_credential: Any, ckafka_region: str
) -> Iterator[Any]:
    """An official-SDK async ``CkafkaClient`` (over httpx) answered by ``ckafka``."""
    module = _sdk_import("tencentcloud.ckafka.v20190819.ckafka_client_async")
    client = module.CkafkaClient(ckafka_credential, ckafka_region)
    yield client
    import asyncio

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(client.close())
    finally:
        loop.close()


def _sdk_import(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.fail(
            f"this fixture needs the official Tencent Cloud SDK ({exc}); install it with "
            "pip install tencentcloud-sdk-python-ckafka",
            pytrace=False,
        )
