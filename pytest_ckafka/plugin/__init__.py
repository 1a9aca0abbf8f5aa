"""The pytest plugin (entry point ``pytest_ckafka.plugin``): options, markers and fixtures.

pytest registers the hooks and fixtures re-exported here; ``-p no:ckafka`` drops them
all. ``hooks`` declares the options and markers, ``fixtures`` the ``ckafka`` fixtures,
``matrix`` the error-matrix wiring and report, ``cassettes`` the cassette wiring.
Heavy imports (responses, respx, the spec, the SDK) happen inside the fixtures, so a
run that never asks for ``ckafka`` pays only for these small modules.

Settings, highest first: the test's marker, the command line, the ini file. The
``ckafka_endpoints`` and ``ckafka_policy`` fixtures read the ini: a conftest that
overrides one replaces what the ini says, and a marker's ``endpoints`` add to it.
"""

from __future__ import annotations

from .cassettes import (
    ckafka_scrubbers,
    pytest_configure_node,
    pytest_runtest_makereport,
    pytest_unconfigure,
)
from .fixtures import (
    ckafka,
    ckafka_client,
    ckafka_client_async,
    ckafka_credential,
    ckafka_endpoints,
    ckafka_region,
    ckafka_server,
)
from .hooks import pytest_addoption, pytest_configure
from .matrix import (
    ckafka_clock,
    ckafka_error_code,
    ckafka_fault,
    ckafka_policy,
    pytest_generate_tests,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)

__all__ = [
    "ckafka",
    "ckafka_client",
    "ckafka_client_async",
    "ckafka_clock",
    "ckafka_credential",
    "ckafka_endpoints",
    "ckafka_error_code",
    "ckafka_fault",
    "ckafka_policy",
    "ckafka_region",
    "ckafka_scrubbers",
    "ckafka_server",
    "pytest_addoption",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_generate_tests",
    "pytest_runtest_makereport",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "pytest_unconfigure",
]
