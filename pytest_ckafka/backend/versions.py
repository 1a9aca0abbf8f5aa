"""Broker versions: what DescribeCkafkaVersion lists and UpgradeBrokerVersion moves between.

A broker version reads ``v<Kafka version>_r<release>`` (``v2.8.1_r1.1.6``), as the
API reference writes them in DescribeCkafkaVersion's ``LatestBrokerVersion`` and
UpgradeBrokerVersion's example. Nothing here is a hand-typed table: the latest
build of each Kafka version is read from DescribeCkafkaVersion's documented
example (2.4.1 runs ``v2.4.2_r1.2.4`` there, so the Kafka part of a build may
differ from the instance's ``KafkaVersion``). A Kafka version the example does not
list runs ``v<version>_r1.0.0``.
"""

from __future__ import annotations

import functools
import re
from typing import Optional

from ..api.synth import default_body
from .models import Instance

__all__ = ["BROKER_VERSION", "broker_version", "latest_broker_versions", "release_of"]

BROKER_VERSION = re.compile(r"v(\d+(?:\.\d+)+)_r(\d+(?:\.\d+)*)")
"""The shape of a broker version: ``v``, the Kafka version, ``_r`` and the release."""
_FIRST_RELEASE = "1.0.0"


@functools.cache
def _documented() -> tuple[tuple[str, str], ...]:
    result = default_body("DescribeCkafkaVersion").get("Result") or {}
    return tuple(
        (str(item["KafkaVersion"]), str(item["BrokerVersion"]))
        for item in result.get("LatestBrokerVersion") or ()
    )


def latest_broker_versions() -> list[tuple[str, str]]:
    """``(KafkaVersion, BrokerVersion)`` for every Kafka version the reference documents."""
    return list(_documented())


def broker_version(instance: Instance) -> str:
    """The broker version ``instance`` runs now (see the module for the default)."""
    if instance.broker_version:
        return instance.broker_version
    for kafka, broker in _documented():
        if kafka == instance.kafka_version:
            return broker
    return f"v{instance.kafka_version}_r{_FIRST_RELEASE}"


def release_of(version: str) -> Optional[tuple[str, tuple[int, ...]]]:
    """``(Kafka version, release numbers)`` of a broker version, None if it is malformed.

    >>> release_of("v2.8.1_r1.1.7")
    ('2.8.1', (1, 1, 7))
    >>> release_of("2.8.1") is None
    True
    """
    match = BROKER_VERSION.fullmatch(version)
    if match is None:
        return None
    return match.group(1), tuple(int(n) for n in match.group(2).split("."))
