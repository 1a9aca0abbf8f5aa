"""pytest-ckafka: test doubles for the Tencent Cloud CKafka API (2019-08-19).

Only re-exports. Names are imported on first access so that loading the pytest
plugin (which imports this package) stays cheap for runs that never use it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api.envelopes import error_envelope, success_envelope
    from .api.error_codes import ERROR_CODES, ErrorCode, error_codes
    from .api.limits import MAX_DEPTH
    from .api.spec import load_spec
    from .backend import State, stateful_actions
    from .checks.ckafka import CKafka
    from .checks.policy import DEFAULT_POLICY, Policy
    from .checks.verdicts import MatrixReport, Verdict
    from .clock import Clock
    from .defaults import DEFAULT_MAX_CALLS
    from .exceptions import (
        CassetteMissError,
        CKafkaAssertionError,
        CKafkaUsageError,
        HandlingError,
        NetworkBlockedError,
        UnknownActionError,
        UnknownErrorCodeError,
        UnknownFaultError,
        UnmatchedCallError,
        UnusedStubsError,
    )
    from .fake.calls import Call, CallLog
    from .fake.core import API_VERSION, SERVICE
    from .fake.faults import FAULT_KINDS
    from .intercept.mock import CKafkaMock, mock
    from .server.http import FakeServer

__all__ = [
    "API_VERSION",
    "DEFAULT_MAX_CALLS",
    "DEFAULT_POLICY",
    "ERROR_CODES",
    "FAULT_KINDS",
    "MAX_DEPTH",
    "SERVICE",
    "CKafka",
    "CKafkaAssertionError",
    "CKafkaMock",
    "CKafkaUsageError",
    "Call",
    "CallLog",
    "CassetteMissError",
    "Clock",
    "ErrorCode",
    "FakeServer",
    "HandlingError",
    "MatrixReport",
    "NetworkBlockedError",
    "Policy",
    "State",
    "UnknownActionError",
    "UnknownErrorCodeError",
    "UnknownFaultError",
    "UnmatchedCallError",
    "UnusedStubsError",
    "Verdict",
    "error_codes",
    "error_envelope",
    "load_spec",
    "mock",
    "stateful_actions",
    "success_envelope",
]

_WHERE = {
    "State": "backend",
    "stateful_actions": "backend",
    "API_VERSION": "fake.core",
    "DEFAULT_MAX_CALLS": "defaults",
    "MAX_DEPTH": "api.limits",
    "DEFAULT_POLICY": "checks.policy",
    "Clock": "clock",
    "FakeServer": "server.http",
    "HandlingError": "exceptions",
    "MatrixReport": "checks.verdicts",
    "NetworkBlockedError": "exceptions",
    "Policy": "checks.policy",
    "Verdict": "checks.verdicts",
    "ERROR_CODES": "api.error_codes",
    "FAULT_KINDS": "fake.faults",
    "SERVICE": "fake.core",
    "CKafka": "checks.ckafka",
    "CKafkaAssertionError": "exceptions",
    "CKafkaMock": "intercept.mock",
    "CKafkaUsageError": "exceptions",
    "CassetteMissError": "exceptions",
    "Call": "fake.calls",
    "CallLog": "fake.calls",
    "ErrorCode": "api.error_codes",
    "UnknownActionError": "exceptions",
    "UnknownErrorCodeError": "exceptions",
    "UnknownFaultError": "exceptions",
    "UnmatchedCallError": "exceptions",
    "UnusedStubsError": "exceptions",
    "error_codes": "api.error_codes",
    "error_envelope": "api.envelopes",
    "load_spec": "api.spec",
    "mock": "intercept.mock",
    "success_envelope": "api.envelopes",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_ckafka' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
