"""pytest wiring: the ``ckafka`` and ``ckafka_server`` fixtures, their marker, the SDK clients.

Heavy imports (responses, respx, the spec, the SDK) happen inside the fixtures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ..defaults import DEFAULT_REGION, FAKE_SECRET_ID, FAKE_SECRET_KEY
from .cassettes import has_failed, open_cassette
from .matrix import add_report_rows

if TYPE_CHECKING:
    from ..checks.policy import Policy
    from ..fake.options import Options
    from ..intercept.mock import CKafkaMock
    from ..server.http import FakeServer

__all__ = [
    "ckafka",
    "ckafka_client",
    "ckafka_client_async",
    "ckafka_credential",
    "ckafka_endpoints",
    "ckafka_region",
    "ckafka_server",
    "marker_options",
]

_NOT_IN_THE_MARKER = {
    "policy": "the ckafka_policy fixture (or ini ckafka_policy) sets it",
    "clock": "each test's fake has a clock of its own: ckafka.clock (or ckafka_clock)",
}
"""Options a marker does not set, and what does: a marker's values are shared by its tests."""


def marker_options() -> tuple[str, ...]:
    """The options ``@pytest.mark.ckafka`` takes, in :class:`~pytest_ckafka.Options`' order."""
    from ..fake.options import OPTION_NAMES

    return tuple(name for name in OPTION_NAMES if name not in _NOT_IN_THE_MARKER)


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The keyword arguments of the test's ``ckafka`` markers, the closest winning."""
    options: dict[str, Any] = {}
    names = marker_options()
    for marker in reversed(list(request.node.iter_markers("ckafka"))):
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.ckafka takes keyword arguments only "
                f"({', '.join(names)}), got positional {marker.args!r}"
            )
        for key in marker.kwargs:
            if key in _NOT_IN_THE_MARKER:
                raise pytest.UsageError(
                    f'@pytest.mark.ckafka: "{key}" is not a marker option: '
                    + _NOT_IN_THE_MARKER[key]
                )
            if key not in names:
                from ..api.suggest import unknown_name_message

                raise pytest.UsageError(
                    "@pytest.mark.ckafka: " + unknown_name_message("option", key, names)
                )
        options.update(marker.kwargs)
    return options


def _options(
    request: pytest.FixtureRequest, endpoints: Iterable[str] = (), policy: object = None
) -> Options:
    """The test's options: its marker, then the command line, then the ini (and its fixtures)."""
    from ..exceptions import CKafkaUsageError
    from ..fake.options import Options

    config = request.config
    try:
        return Options.resolve(
            marker=_marker_options(request),
            cli={"strict": config.getoption("ckafka_strict")},
            ini={
                "strict": config.getini("ckafka_strict"),
                "endpoints": endpoints,
                "policy": policy,
            },
        )
    except CKafkaUsageError as exc:
        raise pytest.UsageError(str(exc)) from None


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

    fake = CKafkaMock(**_options(request, ckafka_endpoints, ckafka_policy).keywords())
    fake._nodeid = request.node.nodeid
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
        fake.verify()


@pytest.fixture
def ckafka_server(request: pytest.FixtureRequest, ckafka_policy: Policy) -> Iterator[FakeServer]:
    """The fake CKafka API as a real HTTP server on loopback: ``.endpoint``, ``.url``.

    Same API and ``@pytest.mark.ckafka(...)`` options as ``ckafka``, for clients
    outside the test process (tccli, other SDKs, subprocesses); its clock follows
    the real time.
    """
    from ..server.http import FakeServer

    server = FakeServer(**_options(request, policy=ckafka_policy).keywords()).start()
    try:
        yield server
    finally:
        server.stop()
        add_report_rows(request, server)
    if not has_failed(request):
        server.verify()


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
