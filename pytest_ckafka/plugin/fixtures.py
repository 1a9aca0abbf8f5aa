"""pytest wiring: the ``ckafka`` and ``ckafka_server`` fixtures, their marker, the SDK clients.

Heavy imports (responses, respx, the spec, the SDK) happen inside the fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional

import pytest

from ..defaults import DEFAULT_MAX_CALLS, DEFAULT_REGION, FAKE_SECRET_ID, FAKE_SECRET_KEY
from .cassettes import has_failed, open_cassette
from .matrix import add_report_rows

if TYPE_CHECKING:
    from ..checks.policy import Policy
    from ..intercept.mock import CKafkaMock
    from ..server.http import FakeServer

__all__ = [
    "MARKER_OPTIONS",
    "ckafka",
    "ckafka_client",
    "ckafka_client_async",
    "ckafka_credential",
    "ckafka_endpoints",
    "ckafka_region",
    "ckafka_server",
]

MARKER_OPTIONS = (
    "strict",
    "assert_all_used",
    "endpoints",
    "passthrough",
    "strict_auth",
    "validate",
    "stateful",
    "max_calls",
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
                from ..api.suggest import unknown_name_message

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
def ckafka(
    request: pytest.FixtureRequest, ckafka_endpoints: list[str], ckafka_policy: Policy
) -> Iterator[CKafkaMock]:
    """The fake CKafka API: answers every CKafka call made by the test.

    >>> def test_delete_retries(ckafka, ckafka_client):
    ...     ckafka.fail("DeleteTopic", "ResourceInUse", times=1)
    """
    from ..intercept.mock import CKafkaMock

    options = _marker_options(request)
    strict = _strict(request, options)
    endpoints = [*ckafka_endpoints, *options.get("endpoints", ())]
    assert_all_used = options.get("assert_all_used", True)
    fake = CKafkaMock(
        strict=bool(strict),
        endpoints=endpoints,
        passthrough=options.get("passthrough", ()),
        assert_all_used=assert_all_used,
        policy=ckafka_policy,
        strict_auth=bool(options.get("strict_auth", False)),
        validate=bool(options.get("validate", True)),
        stateful=_optional_bool(options.get("stateful")),
        max_calls=_max_calls(options),
    )
    fake.nodeid = request.node.nodeid
    fake.start()
    session = None
    try:
        session = open_cassette(request, fake)
        yield fake
    finally:
        if session is not None:
            session.close(fake, passed=not has_failed(request))
        fake.stop()
        add_report_rows(request, fake)
    if not has_failed(request):  # a failed test already shows what went wrong, once
        fake.verify(assert_all_used=bool(assert_all_used))


def _optional_bool(value: Any) -> Optional[bool]:
    return None if value is None else bool(value)


def _max_calls(options: dict[str, Any]) -> Optional[int]:
    from ..exceptions import CKafkaUsageError
    from ..fake.calls import check_max_calls

    try:
        return check_max_calls(options.get("max_calls", DEFAULT_MAX_CALLS))
    except CKafkaUsageError as exc:
        raise pytest.UsageError(f"@pytest.mark.ckafka: {exc}") from None


def _strict(request: pytest.FixtureRequest, options: dict[str, Any]) -> bool:
    strict = options.get("strict")
    if strict is None:
        cli: Optional[bool] = request.config.getoption("ckafka_strict")
        strict = cli if cli is not None else request.config.getini("ckafka_strict")
    return bool(strict)


@pytest.fixture
def ckafka_server(request: pytest.FixtureRequest, ckafka_policy: Policy) -> Iterator[FakeServer]:
    """The fake CKafka API as a real HTTP server on loopback: ``.endpoint``, ``.url``.

    Same API and ``@pytest.mark.ckafka(strict=..., validate=..., stateful=...,
    max_calls=...)`` options as ``ckafka``, for clients outside the test process
    (tccli, other SDKs, subprocesses).
    """
    from ..server.http import FakeServer

    options = _marker_options(request)
    assert_all_used = bool(options.get("assert_all_used", True))
    server = FakeServer(
        strict=_strict(request, options),
        policy=ckafka_policy,
        assert_all_used=assert_all_used,
        strict_auth=bool(options.get("strict_auth", False)),
        validate=bool(options.get("validate", True)),
        stateful=_optional_bool(options.get("stateful")),
        max_calls=_max_calls(options),
    ).start()
    try:
        yield server
    finally:
        server.stop()
        add_report_rows(request, server)
    if not has_failed(request):
        server.verify(assert_all_used=assert_all_used)


@pytest.fixture
def ckafka_region() -> str:
    """Region of the ``ckafka_client`` fixtures; override to test another region."""
    return DEFAULT_REGION


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
