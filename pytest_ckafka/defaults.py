"""The defaults pytest-ckafka uses when a test names none: credentials, region, log size.

Never real secrets: the client fixtures sign with these, and the stateful
backend files resources seeded without an account or region under them.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_MAX_CALLS",
    "DEFAULT_REGION",
    "FAKE_SECRET_ID",
    "FAKE_SECRET_KEY",
]

FAKE_SECRET_ID = "AKIDpytestckafkaFAKE0000000000000000"
FAKE_SECRET_KEY = "pytest-ckafka-fake-secret-key-000"
DEFAULT_REGION = "ap-guangzhou"
DEFAULT_ACCOUNT = "default"
"""The stateful account every SecretId acts in unless registered with another ``account``.

As moto maps every access key to one account: what a test seeds is seen by
whatever fake key the client under test was given, registered or not."""
DEFAULT_MAX_CALLS = 10_000
"""How many calls a call log keeps (fixtures, ``mock()``, the server), the oldest dropped.

Enough for any test to assert on all of its calls, and a bound on what a
long-running server keeps (a few tens of MB at most)."""
