"""Which partition a message goes to: Kafka's default partitioner, for SendMessage.

A keyed message goes where a Java producer would put it:
``toPositive(murmur2(key bytes)) % partitions`` (Kafka's ``Utils.murmur2`` and
``BuiltInPartitioner``), so a test that checks which partition a key lands on
sees what the real DataHub topic shows. A keyless message has no hash: Kafka's
sticky partitioner sends a whole batch to one random partition; the fake sends
each keyless batch (one SendMessage call) to the next partition in turn, so runs
repeat.
"""

from __future__ import annotations

__all__ = ["key_partition", "murmur2"]

_SEED = 0x9747B28C
_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def _signed(value: int) -> int:
    value &= _MASK
    return value - (1 << 32) if value & 0x80000000 else value


def murmur2(data: bytes) -> int:
    """Kafka's ``Utils.murmur2`` of ``data``, as the signed 32-bit int Java returns.

    >>> murmur2(b"21"), murmur2(b"foobar"), murmur2(b"abc")
    (-973932308, -790332482, 479470107)
    """
    length = len(data)
    h = (_SEED ^ length) & _MASK
    whole = length - length % 4
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    rest = length % 4
    if rest == 3:
        h ^= data[whole + 2] << 16
    if rest >= 2:
        h ^= data[whole + 1] << 8
    if rest >= 1:
        h ^= data[whole]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return _signed(h)


def key_partition(key: str, partitions: int) -> int:
    """The partition of ``partitions`` a Java producer's default partitioner picks for ``key``.

    >>> key_partition("21", 7)
    3
    """
    return (murmur2(key.encode("utf-8")) & 0x7FFFFFFF) % partitions
