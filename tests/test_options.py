"""The fake's options: one declaration, the same keywords for every fake, one precedence."""

from __future__ import annotations

import re
from typing import Any, Callable

import pytest

import pytest_ckafka
from pytest_ckafka import (
    CKafka,
    CKafkaMock,
    CKafkaUsageError,
    Clock,
    FakeServer,
    Options,
    Policy,
)
from pytest_ckafka.fake.options import OPTION_NAMES

FAKES: dict[str, Callable[..., CKafka]] = {
    "CKafka": CKafka,
    "CKafkaMock": CKafkaMock,
    "mock": pytest_ckafka.mock,
    "FakeServer": FakeServer,
}
"""Every way to build a fake: each takes the same options."""

VALID = (
    "assert_all_used, clock, endpoints, max_calls, passthrough, policy, stateful, strict, "
    "strict_auth, validate"
)


def test_the_options_are_declared_once_in_this_order() -> None:
    assert OPTION_NAMES == (
        "strict",
        "assert_all_used",
        "endpoints",
        "passthrough",
        "strict_auth",
        "validate",
        "stateful",
        "max_calls",
        "policy",
        "clock",
    )
    assert Options() == Options(
        strict=False,
        assert_all_used=True,
        endpoints=(),
        passthrough=(),
        strict_auth=False,
        validate=True,
        stateful=None,
        max_calls=10_000,
        policy=None,
        clock=None,
    )


@pytest.mark.parametrize("make", FAKES.values(), ids=FAKES.keys())
def test_every_fake_takes_every_option(make: Callable[..., CKafka]) -> None:
    clock = Clock(start=5)
    policy = Policy({"ResourceInUse": "raise"})
    fake = make(
        strict=True,
        assert_all_used=False,
        endpoints=["127.0.0.1:9100"],
        passthrough=("127.0.0.1:9200",),
        strict_auth=True,
        validate=False,
        stateful=True,
        max_calls=7,
        policy=policy,
        clock=clock,
    )
    assert fake.options == Options(
        strict=True,
        assert_all_used=False,
        endpoints=("127.0.0.1:9100",),
        passthrough=("127.0.0.1:9200",),
        strict_auth=True,
        validate=False,
        stateful=True,
        max_calls=7,
        policy=policy,
        clock=clock,
    )
    assert (fake.strict, fake.assert_all_used, fake.strict_auth) == (True, False, True)
    assert (fake.validate, fake.stateful, fake.calls.max_calls) == (False, True, 7)
    assert list(fake.endpoints) == ["127.0.0.1:9100"]
    assert list(fake.passthrough) == ["127.0.0.1:9200"]
    assert fake.policy is policy and fake.clock is clock


def test_mock_takes_a_clock() -> None:
    clock = Clock(start=1_000)
    with pytest_ckafka.mock(clock=clock) as fake:
        assert fake.clock is clock and fake.clock.now() == 1_000


@pytest.mark.parametrize("make", FAKES.values(), ids=FAKES.keys())
def test_the_defaults(make: Callable[..., CKafka]) -> None:
    fake = make()
    assert (fake.strict, fake.stateful, fake.validate, fake.strict_auth) == (
        False,
        True,
        True,
        False,
    )
    assert fake.assert_all_used and fake.calls.max_calls == 10_000
    assert fake.options.clock is fake.clock  # the options name the clock the fake has
    assert fake.clock.live is (make is FakeServer)  # a server's clients wait in real time


def test_none_is_the_default_but_max_calls_none_keeps_every_call() -> None:
    fake = CKafka(strict=None, validate=None, endpoints=None, stateful=None, max_calls=None)
    assert (fake.strict, fake.validate, list(fake.endpoints)) == (False, True, [])
    assert fake.calls.max_calls is None


def test_a_bare_string_is_one_endpoint() -> None:
    assert list(CKafka(endpoints="127.0.0.1:9100").endpoints) == ["127.0.0.1:9100"]


def test_stateful_follows_strict_unless_set() -> None:
    assert [CKafka(strict=s).stateful for s in (False, True)] == [True, False]
    assert CKafka(strict=True, stateful=True).stateful is True
    assert CKafka(stateful=False).stateful is False


def test_verify_checks_unused_stubs_as_the_option_says() -> None:
    lenient = CKafka(assert_all_used=False)
    lenient.respond("DescribeRegion", times=1)
    lenient.verify()
    with pytest.raises(pytest_ckafka.UnusedStubsError):
        lenient.verify(assert_all_used=True)


@pytest.mark.parametrize(
    ("make", "keyword", "line"),
    [
        (
            CKafka,
            "stict",
            f'unknown option "stict": did you mean "strict"? Valid choices: {VALID}.',
        ),
        (
            pytest_ckafka.mock,
            "clok",
            f'unknown option "clok": did you mean "clock"? Valid choices: {VALID}.',
        ),
        (
            CKafkaMock,
            "verbose",
            f'unknown option "verbose". Valid choices: {VALID}.',
        ),
        (
            FakeServer,
            "heder_timeout",
            'unknown option "heder_timeout": did you mean "header_timeout"? Valid choices: '
            "assert_all_used, body_timeout, clock, endpoints, fault_timeout, header_timeout, "
            "host, idle_timeout, max_calls, max_connections, passthrough, policy, port, "
            "stateful, strict, strict_auth, validate.",
        ),
    ],
)
def test_an_unknown_keyword_names_it_and_the_valid_ones(
    make: Callable[..., Any], keyword: str, line: str
) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        make(**{keyword: True})
    assert str(info.value) == line


@pytest.mark.parametrize(
    ("keywords", "line"),
    [
        ({"strict": "yes"}, "strict must be True or False, got 'yes' (a str)"),
        ({"assert_all_used": 1}, "assert_all_used must be True or False, got 1 (an int)"),
        (
            {"stateful": "on"},
            "stateful must be True, False or None (on unless strict), got 'on' (a str)",
        ),
        (
            {"endpoints": 9100},
            'endpoints must be a list of "host[:port]" strings, e.g. ["127.0.0.1:9100"], '
            "got 9100 (an int)",
        ),
        (
            {"passthrough": ["127.0.0.1:9200", 9300]},
            'passthrough must be a list of "host[:port]" strings, e.g. ["127.0.0.1:9100"]; '
            "got 9300 (an int) in ['127.0.0.1:9200', 9300]",
        ),
        (
            {"max_calls": 0},
            "max_calls must be a positive integer or None (keep every call), got 0",
        ),
        (
            {"policy": ["ResourceInUse"]},
            "policy must be a pytest_ckafka.Policy or a dict of code -> 'retry'/'raise', got list",
        ),
        (
            {"policy": {"ResourceInUse": "ignore"}},
            "policy for 'ResourceInUse': unknown handling \"ignore\". Valid choices: raise, retry.",
        ),
        ({"clock": 5.0}, "clock must be a pytest_ckafka.Clock or None, got 5.0 (a float)"),
    ],
)
def test_a_wrong_type_says_what_was_wrong(keywords: dict[str, Any], line: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        CKafka(**keywords)
    assert str(info.value) == line


def test_options_refuse_what_the_fakes_refuse() -> None:
    with pytest.raises(CKafkaUsageError, match=r"^strict must be True or False, got 'yes'"):
        Options(strict="yes")  # type: ignore[arg-type]
    with pytest.raises(dataclass_frozen_error()):
        Options().strict = True  # type: ignore[misc]


def dataclass_frozen_error() -> type[Exception]:
    import dataclasses

    return dataclasses.FrozenInstanceError


# -- Options.resolve: marker > command line > ini > default ---------------------------


def test_resolve_each_level() -> None:
    assert Options.resolve().strict is False  # the default
    assert Options.resolve(ini={"strict": True}).strict is True
    assert Options.resolve(cli={"strict": True}, ini={"strict": False}).strict is True
    assert Options.resolve(cli={"strict": False}, ini={"strict": True}).strict is False
    assert Options.resolve(marker={"strict": False}, cli={"strict": True}).strict is False
    assert Options.resolve(marker={"strict": True}, ini={"strict": False}).strict is True


def test_resolve_none_sets_nothing_but_max_calls_none() -> None:
    assert Options.resolve(marker={"strict": None}, cli={"strict": True}).strict is True
    assert Options.resolve(cli={"strict": None}, ini={"strict": True}).strict is True
    assert Options.resolve(marker={"max_calls": None}).max_calls is None


def test_resolve_adds_up_the_endpoints() -> None:
    options = Options.resolve(
        marker={"endpoints": ["m:1"], "passthrough": "p:1"}, ini={"endpoints": ["i:1", "j:1"]}
    )
    assert (options.endpoints, options.passthrough) == (("i:1", "j:1", "m:1"), ("p:1",))


@pytest.mark.parametrize(
    ("layers", "line"),
    [
        (
            {"marker": {"strict": "yes"}},
            "@pytest.mark.ckafka: strict must be True or False, got 'yes' (a str)",
        ),
        (
            {"cli": {"strikt": True}},
            'command line: unknown option "strikt": did you mean "strict"? '
            f"Valid choices: {VALID}.",
        ),
        (
            {"ini": {"policy": 3}},
            "ini: policy must be a pytest_ckafka.Policy or a dict of code -> 'retry'/'raise', "
            "got int",
        ),
    ],
)
def test_resolve_names_the_layer_of_a_bad_value(layers: dict[str, Any], line: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        Options.resolve(**layers)
    assert str(info.value) == line


def test_the_marker_line_agrees_with_the_options(pytester: pytest.Pytester) -> None:
    """The plugin writes the marker's line out (cheaper than importing Options on every run)."""
    from pytest_ckafka.plugin.fixtures import marker_options

    result = pytester.runpytest("--markers")
    line = next(x for x in result.stdout.lines if x.startswith("@pytest.mark.ckafka("))
    shown = re.match(r"@pytest\.mark\.ckafka\((.*?)\): ", line)
    assert shown is not None
    pairs = [pair.split("=") for pair in shown.group(1).split(", ")]
    defaults = {name: repr(getattr(Options(), name)) for name in marker_options()}
    defaults["strict"] = "None"  # unset: the command line or the ini decides
    assert pairs == [[name, value] for name, value in defaults.items()]


# -- through pytest ---------------------------------------------------------------------

PRECEDENCE_TESTS = """
import pytest

def test_unmarked(ckafka):
    print("unmarked strict", ckafka.strict)

@pytest.mark.ckafka(strict=False)
def test_marked_off(ckafka):
    print("marked_off strict", ckafka.strict)

@pytest.mark.ckafka(strict=True)
def test_marked_on(ckafka):
    print("marked_on strict", ckafka.strict)
"""


@pytest.mark.parametrize(
    ("ini", "args", "expected"),
    [
        ("", [], {"unmarked": False, "marked_off": False, "marked_on": True}),  # default
        ("ckafka_strict = true", [], {"unmarked": True, "marked_off": False, "marked_on": True}),
        ("", ["--ckafka-strict"], {"unmarked": True, "marked_off": False, "marked_on": True}),
        (
            "ckafka_strict = false",
            ["--ckafka-strict"],
            {"unmarked": True, "marked_off": False, "marked_on": True},
        ),
    ],
    ids=["default", "ini", "cli", "cli-over-ini"],
)
def test_strict_marker_over_cli_over_ini_over_default(
    pytester: pytest.Pytester, ini: str, args: list[str], expected: dict[str, bool]
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(test_precedence=PRECEDENCE_TESTS)
    result = pytester.runpytest("-s", *args)
    result.assert_outcomes(passed=3)
    for name, strict in expected.items():
        assert f"{name} strict {strict}" in result.stdout.str()


def test_endpoints_add_up_and_a_fixture_replaces_the_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nckafka_endpoints =\n    127.0.0.1:9100\n")
    pytester.makepyfile(
        test_endpoints="""
import pytest

@pytest.mark.ckafka(endpoints=["127.0.0.1:9200"])
def test_both(ckafka):
    assert list(ckafka.endpoints) == ["127.0.0.1:9100", "127.0.0.1:9200"]

def test_ini(ckafka):
    assert list(ckafka.endpoints) == ["127.0.0.1:9100"]

class TestOverridden:
    @pytest.fixture
    def ckafka_endpoints(self):
        return ["127.0.0.1:9300"]

    def test_fixture(self, ckafka):
        assert list(ckafka.endpoints) == ["127.0.0.1:9300"]
"""
    )
    pytester.runpytest().assert_outcomes(passed=3)


def test_the_policy_fixture_and_the_marker_reach_both_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_policy="""
import pytest
from pytest_ckafka import Policy

@pytest.fixture
def ckafka_policy():
    return Policy({"ResourceInUse": "raise"})

@pytest.mark.ckafka(validate=False, max_calls=3, assert_all_used=False)
def test_both(ckafka, ckafka_server):
    for fake in (ckafka, ckafka_server):
        assert fake.policy.decide("ResourceInUse") == "raise"
        assert (fake.validate, fake.calls.max_calls, fake.assert_all_used) == (False, 3, False)
    ckafka.respond("DescribeRegion", times=1)  # unused: the marker lets it pass
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marker", "line"),
    [
        (
            "strict='yes'",
            "@pytest.mark.ckafka: strict must be True or False, got 'yes' (a str)",
        ),
        (
            "endpoints=[9100]",
            '@pytest.mark.ckafka: endpoints must be a list of "host[:port]" strings, '
            'e.g. ["127.0.0.1:9100"]; got 9100 (an int) in [9100]',
        ),
        (
            "policy={}",
            '@pytest.mark.ckafka: "policy" is not a marker option: the ckafka_policy fixture '
            "(or ini ckafka_policy) sets it",
        ),
        (
            "clock=None",
            '@pytest.mark.ckafka: "clock" is not a marker option: each test\'s fake has a clock '
            "of its own: ckafka.clock (or ckafka_clock)",
        ),
    ],
    ids=["type", "endpoint", "policy", "clock"],
)
def test_a_bad_marker_says_what_was_wrong(
    pytester: pytest.Pytester, marker: str, line: str
) -> None:
    pytester.makepyfile(
        f"""
import pytest

@pytest.mark.ckafka({marker})
def test_x(ckafka):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    # pytest 9 names the class pytest.UsageError; older versions its defining module.
    result.stdout.re_match_lines(
        [r"^E +(pytest|_pytest\.config\.exceptions)\.UsageError: " + re.escape(line) + "$"]
    )
