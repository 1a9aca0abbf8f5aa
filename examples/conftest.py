"""The fake CKafka account the examples run against.

pytest-ckafka's stateful backend answers like the real service: an instance or a
topic must exist before it can be used, exactly as in production. This autouse
fixture seeds one running instance with two topics before every test, so the
manager's happy paths (and the "then success" attempt after an injected error
code) are answered from that state. Seeding is not an API call: it never shows
up in ``ckafka.calls``.
"""

from __future__ import annotations

from typing import Any

import pytest

INSTANCE = "ckafka-abc12345"
"""The instance every example test manages."""


@pytest.fixture(autouse=True)
def kafka_instance(ckafka: Any) -> str:
    """A running instance holding ``orders`` (3 partitions) and ``orders-dlq``; its id."""
    ckafka.state.add_instance(INSTANCE, name="shop-events")
    ckafka.state.add_topic(INSTANCE, "orders", partitions=3, replicas=2)
    ckafka.state.add_topic(INSTANCE, "orders-dlq", partitions=1, replicas=2)
    return INSTANCE
