"""pytest-ckafka: test doubles for the Tencent Cloud CKafka API (2019-08-19).

Only re-exports: every public name is imported from here, whatever module holds
it. Names are imported on first access so that loading the pytest plugin (which
imports this package) stays cheap for runs that never use it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api.envelopes import error_envelope, success_envelope
    from .api.error_codes import ERROR_CODES, ErrorCode, error_codes
    from .api.limits import MAX_DEPTH
    from .api.scrub.scrubbers import (
        PLACEHOLDER,
        AccountIdScrubber,
        HeaderScrubber,
        ParamScrubber,
        Scrubber,
        Scrubbers,
        SecretParamsScrubber,
    )
    from .api.scrub.values import MIN_SECRET_LENGTH
    from .api.spec import API_VERSION, SERVICE, load_spec
    from .backend import State, stateful_actions
    from .cassettes.record_mode import RecordMode
    from .checks.ckafka import CKafka
    from .checks.policy import DEFAULT_POLICY, Policy
    from .checks.verdicts import MatrixReport, Verdict
    from .clock import Clock
    from .defaults import DEFAULT_MAX_CALLS
    from .exceptions import (
        CassetteFormatError,
        CassetteMissError,
        CKafkaAssertionError,
        CKafkaUsageError,
        HandlingError,
        ListenError,
        NetworkBlockedError,
        RetryStorm,
        UnknownActionError,
        UnknownErrorCodeError,
        UnknownFaultError,
        UnmatchedCallError,
        UnusedStubsError,
    )
    from .fake.calls import Call, CallLog
    from .fake.faults import FAULT_KINDS
    from .fake.options import Options
    from .fake.stubs import Stub
    from .intercept.mock import CKafkaMock, mock
    from .server.http import FakeServer

__all__ = [
    "API_VERSION",
    "DEFAULT_MAX_CALLS",
    "DEFAULT_POLICY",
    "ERROR_CODES",
    "FAULT_KINDS",
    "MAX_DEPTH",
    "MIN_SECRET_LENGTH",
    "PLACEHOLDER",
    "SERVICE",
    "AccountIdScrubber",
    "CKafka",
    "CKafkaAssertionError",
    "CKafkaMock",
    "CKafkaUsageError",
    "Call",
    "CallLog",
    "CassetteFormatError",
    "CassetteMissError",
    "Clock",
    "ErrorCode",
    "FakeServer",
    "HandlingError",
    "HeaderScrubber",
    "ListenError",
    "MatrixReport",
    "NetworkBlockedError",
    "Options",
    "ParamScrubber",
    "Policy",
    "RecordMode",
    "RetryStorm",
    "Scrubber",
    "Scrubbers",
    "SecretParamsScrubber",
    "State",
    "Stub",
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
    "error_envelope": "api.envelopes",
    "success_envelope": "api.envelopes",
    "ERROR_CODES": "api.error_codes",
    "ErrorCode": "api.error_codes",
    "error_codes": "api.error_codes",
    "MAX_DEPTH": "api.limits",
    "AccountIdScrubber": "api.scrub.scrubbers",
    "HeaderScrubber": "api.scrub.scrubbers",
    "PLACEHOLDER": "api.scrub.scrubbers",
    "ParamScrubber": "api.scrub.scrubbers",
    "Scrubber": "api.scrub.scrubbers",
    "Scrubbers": "api.scrub.scrubbers",
    "SecretParamsScrubber": "api.scrub.scrubbers",
    "MIN_SECRET_LENGTH": "api.scrub.values",
    "API_VERSION": "api.spec",
    "SERVICE": "api.spec",
    "load_spec": "api.spec",
    "State": "backend",
    "stateful_actions": "backend",
    "RecordMode": "cassettes.record_mode",
    "CKafka": "checks.ckafka",
    "DEFAULT_POLICY": "checks.policy",
    "Policy": "checks.policy",
    "MatrixReport": "checks.verdicts",
    "Verdict": "checks.verdicts",
    "Clock": "clock",
    "DEFAULT_MAX_CALLS": "defaults",
    "CKafkaAssertionError": "exceptions",
    "CKafkaUsageError": "exceptions",
    "CassetteFormatError": "exceptions",
    "CassetteMissError": "exceptions",
    "HandlingError": "exceptions",
    "ListenError": "exceptions",
    "NetworkBlockedError": "exceptions",
    "RetryStorm": "exceptions",
    "UnknownActionError": "exceptions",
    "UnknownErrorCodeError": "exceptions",
    "UnknownFaultError": "exceptions",
    "UnmatchedCallError": "exceptions",
    "UnusedStubsError": "exceptions",
    "Call": "fake.calls",
    "CallLog": "fake.calls",
    "FAULT_KINDS": "fake.faults",
    "Options": "fake.options",
    "Stub": "fake.stubs",
    "CKafkaMock": "intercept.mock",
    "mock": "intercept.mock",
    "FakeServer": "server.http",
}
"""Each public name -> the module that holds it (relative to this package)."""


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_ckafka' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
