"""pytest-ckafka: test doubles for the Tencent Cloud CKafka API (2019-08-19).

Only re-exports. Names are imported on first access so that loading the pytest
plugin (which imports this package) stays cheap for runs that never use it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .backend import State, stateful_actions
    from .calls import Call, CallLog
    from .cassette_file import CassetteFormatError
    from .catalog import ERROR_CODES, ErrorCode, error_codes
    from .clock import Clock
    from .core import API_VERSION, SERVICE, CKafka
    from .defaults import DEFAULT_MAX_CALLS
    from .envelopes import error_envelope, success_envelope
    from .exceptions import (
        CassetteMissError,
        CKafkaAssertionError,
        CKafkaUsageError,
        HandlingError,
        NetworkBlockedError,
        RetryStorm,
        UnknownActionError,
        UnknownErrorCodeError,
        UnknownFaultError,
        UnmatchedCallError,
        UnusedStubsError,
    )
    from .faults import FAULT_KINDS
    from .handling import MatrixReport, Verdict
    from .limits import MAX_DEPTH
    from .mocking import CKafkaMock, mock
    from .policy import DEFAULT_POLICY, Policy
    from .scrub import (
        PLACEHOLDER,
        AccountIdScrubber,
        HeaderScrubber,
        ParamScrubber,
        Scrubber,
        Scrubbers,
        SecretParamsScrubber,
    )
    from .server import FakeServer, ListenError
    from .spec import load_spec
    from .stubs import Stub

__all__ = [
    "API_VERSION",
    "DEFAULT_MAX_CALLS",
    "DEFAULT_POLICY",
    "ERROR_CODES",
    "FAULT_KINDS",
    "MAX_DEPTH",
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
    "ParamScrubber",
    "Policy",
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
    "State": "backend",
    "stateful_actions": "backend",
    "API_VERSION": "core",
    "DEFAULT_MAX_CALLS": "defaults",
    "MAX_DEPTH": "limits",
    "DEFAULT_POLICY": "policy",
    "Clock": "clock",
    "FakeServer": "server",
    "HandlingError": "exceptions",
    "MatrixReport": "handling",
    "NetworkBlockedError": "exceptions",
    "Policy": "policy",
    "Verdict": "handling",
    "ERROR_CODES": "catalog",
    "FAULT_KINDS": "faults",
    "SERVICE": "core",
    "CKafka": "core",
    "CKafkaAssertionError": "exceptions",
    "CKafkaMock": "mocking",
    "CKafkaUsageError": "exceptions",
    "CassetteMissError": "exceptions",
    "Call": "calls",
    "CallLog": "calls",
    "ErrorCode": "catalog",
    "UnknownActionError": "exceptions",
    "UnknownErrorCodeError": "exceptions",
    "UnknownFaultError": "exceptions",
    "UnmatchedCallError": "exceptions",
    "UnusedStubsError": "exceptions",
    "error_codes": "catalog",
    "error_envelope": "envelopes",
    "load_spec": "spec",
    "mock": "mocking",
    "success_envelope": "envelopes",
    "CassetteFormatError": "cassette_file",
    "ListenError": "server",
    "RetryStorm": "exceptions",
    "Stub": "stubs",
    "PLACEHOLDER": "scrub",
    "AccountIdScrubber": "scrub",
    "HeaderScrubber": "scrub",
    "ParamScrubber": "scrub",
    "Scrubber": "scrub",
    "Scrubbers": "scrub",
    "SecretParamsScrubber": "scrub",
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
