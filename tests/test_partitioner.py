"""Kafka's default partitioner, as SendMessage uses it: the values Kafka's own tests pin."""

from __future__ import annotations

import pytest

from pytest_ckafka.backend.partitioner import key_partition, murmur2

# org.apache.kafka.common.utils.UtilsTest.testMurmur2
KAFKA_VECTORS = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
}


@pytest.mark.parametrize(("data", "expected"), KAFKA_VECTORS.items())
def test_murmur2_is_kafkas(data: bytes, expected: int) -> None:
    assert murmur2(data) == expected


def test_a_key_goes_where_a_java_producer_puts_it() -> None:
    # BuiltInPartitioner: toPositive(murmur2(key)) % partitions, toPositive = & 0x7fffffff.
    assert [key_partition("foobar", n) for n in (1, 2, 3, 4, 5, 7)] == [
        (-790332482 & 0x7FFFFFFF) % n for n in (1, 2, 3, 4, 5, 7)
    ]
    assert key_partition("", 5) == (murmur2(b"") & 0x7FFFFFFF) % 5
    assert key_partition("é", 9) == (murmur2("é".encode()) & 0x7FFFFFFF) % 9  # UTF-8 bytes
