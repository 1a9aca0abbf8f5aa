"""The fake credentials and region pytest-ckafka uses when a test names none.

Never real secrets: the client fixtures sign with these, and the stateful
backend files resources seeded without an account or region under them.
"""

from __future__ import annotations

__all__ = ["DEFAULT_REGION", "FAKE_SECRET_ID", "FAKE_SECRET_KEY"]

FAKE_SECRET_ID = "AKIDpytestckafkaFAKE0000000000000000"
FAKE_SECRET_KEY = "pytest-ckafka-fake-secret-key-000"
DEFAULT_REGION = "ap-guangzhou"
