"""The fake clock: sleeps are recorded and advance it, nothing waits."""

from __future__ import annotations

import asyncio
import time

import pytest

from pytest_ckafka.clock import Clock
from pytest_ckafka.exceptions import CKafkaUsageError


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


# -- sleeps bound as default arguments ------------------------------------------------------

RETRYING = '''
import time


def retry_on(fn, attempts=3, sleep_fn=time.sleep):
    """Written the way the user's collection wrote it: the sleep is bound at import."""
    for attempt in range(attempts):
        try:
            return fn()
        except Exception:
            if attempt == attempts - 1:
                raise
            sleep_fn(30 * 2**attempt)
'''


def test_patch_defaults_records_a_sleep_bound_as_a_default_argument(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(retrying=RETRYING)
    pytester.makepyfile(
        test_retry="""
import time

from tencentcloud.ckafka.v20190819 import models

from retrying import retry_on


def list_instances(client):
    return client.DescribeInstances(models.DescribeInstancesRequest())


def test_backoff_is_recorded(ckafka, ckafka_clock, ckafka_client):
    ckafka_clock.patch_defaults(retry_on)
    ckafka.fail("DescribeInstances", "RequestLimitExceeded", times=2)
    retry_on(lambda: list_instances(ckafka_client))
    assert ckafka_clock.sleeps == [30.0, 60.0]  # recorded, not slept


def test_assert_handles_sees_them(ckafka, ckafka_clock, ckafka_client):
    ckafka_clock.patch_defaults(retry_on)
    verdict = ckafka.assert_handles(
        "RequestLimitExceeded", lambda: retry_on(lambda: list_instances(ckafka_client)),
        backoff=True,
    )
    assert verdict.sleeps == (30.0, 60.0)


def test_the_default_is_real_again_in_the_next_test():
    assert retry_on.__defaults__ == (3, time.sleep)
"""
    )
    pytester.runpytest().assert_outcomes(passed=3)


def test_patch_defaults_swaps_keyword_only_async_method_and_wrapped_defaults() -> None:
    import functools

    def decorated(func):  # type: ignore[no-untyped-def]
        @functools.wraps(func)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            return func(*args, **kwargs)

        return wrapper

    class Poller:
        def wait(self, seconds: float, sleep: object = time.sleep) -> None:
            sleep(seconds)  # type: ignore[operator]

    @decorated
    def keyword_only(*, pause: object = time.sleep) -> None:
        pause(2)  # type: ignore[operator]

    async def poll(*, nap: object = asyncio.sleep) -> None:
        await nap(4)  # type: ignore[operator]

    clock = Clock(start=0)
    poller = Poller()
    with clock.patched():
        clock.patch_defaults(poller.wait, keyword_only, poll)
        poller.wait(1)
        keyword_only()
        asyncio.run(poll())
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert Poller.wait.__defaults__ == (time.sleep,)
    assert keyword_only.__wrapped__.__kwdefaults__ == {"pause": time.sleep}  # type: ignore[attr-defined]
    assert poll.__kwdefaults__ == {"nap": asyncio.sleep}


def test_patch_defaults_refuses_a_function_it_cannot_change() -> None:
    def no_sleep(fn: object, attempts: int = 3) -> None:
        pass

    clock = Clock()
    with clock.patched(), pytest.raises(CKafkaUsageError) as info:
        clock.patch_defaults(no_sleep)
    assert str(info.value) == (
        "patch_defaults(test_patch_defaults_refuses_a_function_it_cannot_change.<locals>."
        "no_sleep): no default argument of test_patch_defaults_refuses_a_function_it_cannot_"
        "change.<locals>.no_sleep is time.sleep or asyncio.sleep (its defaults: attempts=3). "
        "Give the function whose parameter defaults to the sleep, e.g. `def retry_on(call, "
        "sleep_fn=time.sleep)`; for a module that did `from time import sleep`, use "
        'monkeypatch.setattr(module, "sleep", ckafka_clock.sleep).'
    )


def test_patch_defaults_outside_a_patched_block_says_where_it_works() -> None:
    def retry_on(fn: object, sleep_fn: object = time.sleep) -> None:
        pass

    with pytest.raises(CKafkaUsageError) as info:
        Clock().patch_defaults(retry_on)
    assert str(info.value) == (
        "patch_defaults() works while the clock is patched: call it inside "
        "`with clock.patched():`, or on the ckafka_clock fixture"
    )
    assert retry_on.__defaults__ == (time.sleep,)


def test_the_clock_sleep_can_be_injected() -> None:
    clock = Clock(start=0)

    def retry_on(fn: object, sleep_fn: object = time.sleep) -> None:
        sleep_fn(5)  # type: ignore[operator]

    retry_on(None, sleep_fn=clock.sleep)
    assert (clock.sleeps, clock.now()) == ([5.0], 5.0)
