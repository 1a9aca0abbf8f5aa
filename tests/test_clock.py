"""The fake clock: sleeps are recorded and advance it, nothing waits."""

from __future__ import annotations

import asyncio
import time

import pytest

from pytest_ckafka.clock import Clock


def test_patched_sleep_records_and_advances_without_waiting() -> None:
    clock = Clock(start=1_000.0)
    started = time.monotonic()
    with clock.patched() as patched:
        assert patched is clock
        time.sleep(30)
        time.sleep(0.5)
    assert time.monotonic() - started < 10  # a real sleep(30) would take 30 s
    assert clock.sleeps == [30.0, 0.5]
    assert (clock.now(), clock.total_sleep) == (1_030.5, 30.5)


def test_sleep_is_real_again_after_the_block() -> None:
    real = time.sleep, asyncio.sleep
    clock = Clock()
    with clock.patched():
        assert (time.sleep, asyncio.sleep) != real
    assert (time.sleep, asyncio.sleep) == real
    time.sleep(0)
    assert clock.sleeps == []


def test_sleep_is_restored_when_the_block_raises() -> None:
    real = time.sleep
    with pytest.raises(KeyError), Clock().patched():
        raise KeyError("boom")
    assert time.sleep is real


def test_nested_patching_records_on_the_inner_clock_and_restores_the_outer() -> None:
    real = time.sleep
    outer, inner = Clock(start=0), Clock(start=0)
    with outer.patched():
        time.sleep(1)
        with inner.patched():
            time.sleep(2)
        time.sleep(3)  # the outer clock is recording again
    assert (outer.sleeps, inner.sleeps) == ([1.0, 3.0], [2.0])
    assert time.sleep is real


def test_mark_and_since_read_the_sleeps_of_one_call() -> None:
    clock = Clock(start=0)
    with clock.patched():
        time.sleep(1)
        mark = clock.mark()
        time.sleep(2)
        time.sleep(4)
    assert clock.since(mark) == [2.0, 4.0]


def test_a_negative_sleep_is_recorded_but_does_not_move_time_back() -> None:
    clock = Clock(start=10)
    with clock.patched():
        time.sleep(-1)
    assert (clock.sleeps, clock.now()) == ([-1.0], 10.0)


def test_advance() -> None:
    clock = Clock(start=5)
    clock.advance(2.5)
    assert clock.now() == 7.5
    assert clock.sleeps == []


@pytest.mark.parametrize("seconds", [-1, float("nan"), float("inf")])
def test_advance_refuses_to_go_back_or_break_the_clock(seconds: float) -> None:
    clock = Clock(start=5)
    with pytest.raises(ValueError) as info:
        clock.advance(seconds)
    assert str(info.value) == (
        f"the clock only moves forward by a finite number; got advance({seconds!r})"
    )
    assert clock.now() == 5  # NaN would make every later time NaN, skipping time-based rules


def test_clock_starts_at_the_real_time_by_default() -> None:
    before = time.time()
    assert before <= Clock().now() <= time.time()


async def test_asyncio_sleep_is_recorded_and_still_yields_to_the_loop() -> None:
    clock = Clock(start=0)
    order: list[str] = []

    async def other() -> None:
        order.append("other ran")

    with clock.patched():
        task = asyncio.create_task(other())
        result = await asyncio.sleep(60, result="done")
        order.append("sleeper resumed")
    await task
    assert result == "done"
    assert order == ["other ran", "sleeper resumed"]
    assert (clock.sleeps, clock.now()) == ([60.0], 60.0)


async def test_asyncio_sleep_is_restored() -> None:
    real = asyncio.sleep
    with Clock().patched():
        assert asyncio.sleep is not real
    assert asyncio.sleep is real


def test_ckafka_clock_fixture_records_the_test_sleeps(ckafka_clock: Clock, ckafka: object) -> None:
    time.sleep(5)
    assert ckafka_clock.sleeps == [5.0]
    assert ckafka_clock is ckafka.clock  # type: ignore[attr-defined]


def test_a_live_clock_follows_the_real_time_plus_what_was_advanced() -> None:
    import time as real_time

    clock = Clock(live=True)
    before = real_time.time()
    assert before - 1 <= clock.now() <= real_time.time() + 1
    clock.advance(60)
    assert clock.now() >= before + 60
    real_time.sleep(0.05)
    first = clock.now()
    real_time.sleep(0.05)
    assert clock.now() > first  # it moves on its own
