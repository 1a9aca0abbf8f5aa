"""The pytest plugin (entry point ``pytest_ckafka.plugin``): options, markers and fixtures.

pytest registers the hooks and fixtures found here; ``-p no:ckafka`` drops them all.
This module declares the options and markers; ``fixtures`` holds the ``ckafka``
fixtures, ``matrix`` the error-matrix wiring and report, ``cassettes`` the cassette
wiring, re-exported here. (The hooks live here rather than in a module of their
own: each module the plugin imports is start-up time for every pytest run.)
Heavy imports (responses, respx, the spec, the SDK) happen inside the fixtures, so a
run that never asks for ``ckafka`` pays only for these small modules.

Settings, highest first: the test's marker, the command line, the ini file, the
default; the fake's options are merged in one place, ``Options.resolve``
(:mod:`pytest_ckafka.fake.options`), the record mode in ``resolve_record_mode``
(:mod:`pytest_ckafka.cassettes.record_mode`).
The ``ckafka_endpoints`` and ``ckafka_policy`` fixtures read the ini: a conftest
that overrides one replaces what the ini says, and a marker's ``endpoints`` add to it.
"""

from __future__ import annotations

import pytest

from ..defaults import DEFAULT_MAX_CALLS
from .cassettes import (
    ckafka_scrubbers,
    pytest_configure_node,
    pytest_runtest_makereport,
    pytest_unconfigure,
)
from .fixtures import (
    ckafka,
    ckafka_client,
    ckafka_client_async,
    ckafka_credential,
    ckafka_endpoints,
    ckafka_region,
    ckafka_server,
)
from .matrix import (
    REPORT_OPTIONS,
    ckafka_clock,
    ckafka_error_code,
    ckafka_fault,
    ckafka_policy,
    pytest_generate_tests,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
    start_report,
)

__all__ = [
    "ckafka",
    "ckafka_client",
    "ckafka_client_async",
    "ckafka_clock",
    "ckafka_credential",
    "ckafka_endpoints",
    "ckafka_error_code",
    "ckafka_fault",
    "ckafka_policy",
    "ckafka_region",
    "ckafka_scrubbers",
    "ckafka_server",
    "pytest_addoption",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_generate_tests",
    "pytest_runtest_makereport",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "pytest_unconfigure",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ckafka", "Tencent Cloud CKafka API test doubles (pytest-ckafka)")
    group.addoption(
        "--ckafka-strict",
        action="store_true",
        default=None,
        help="fail any CKafka call that no stub answers (ini: ckafka_strict).",
    )
    parser.addini(
        "ckafka_strict", type="bool", default=False, help="fail CKafka calls no stub answers."
    )
    group.addoption(
        "--ckafka-report",
        action="store_true",
        default=False,
        help="print the CKafka actions called, codes injected and handling verdicts at the end.",
    )
    group.addoption(
        "--ckafka-report-json",
        metavar="PATH",
        default=None,
        help="write the CKafka error-handling report as JSON to PATH (merged under xdist).",
    )
    group.addoption(
        "--ckafka-report-html",
        metavar="PATH",
        default=None,
        help="write the CKafka error-handling report as one self-contained HTML page to PATH: "
        "actions x codes, coloured by verdict (merged under xdist).",
    )
    # The modes written out: importing RecordMode would cost every run (tests/test_record_mode.py
    # checks that this names them all).
    group.addoption(
        "--ckafka-record-mode",
        metavar="MODE",
        default=None,
        help="cassette record mode: none (default: replay only), once, new_episodes, all, "
        "rewrite (ini: ckafka_record_mode).",
    )
    parser.addini("ckafka_record_mode", default="none", help="default cassette record mode.")
    group.addoption(
        "--ckafka-block-network",
        action="store_true",
        default=None,
        help="while a cassette replays, refuse connections to every host but loopback and "
        "ckafka_allowed_hosts, not only to CKafka's (ini: ckafka_block_network).",
    )
    parser.addini(
        "ckafka_block_network",
        type="bool",
        default=False,
        help="while a cassette replays, refuse connections to every host but loopback.",
    )
    parser.addini(
        "ckafka_allowed_hosts",
        type="linelist",
        default=[],
        help="hosts (names or IP addresses) reachable under ckafka_block_network, one per line.",
    )
    parser.addini(
        "ckafka_cassette_dir",
        default="cassettes",
        help="folder of the cassettes, relative to the rootdir (default: cassettes).",
    )
    parser.addini(
        "ckafka_policy",
        type="linelist",
        default=[],
        help="error-handling policy overrides, one 'Code = retry|raise' per line.",
    )
    parser.addini(
        "ckafka_endpoints",
        type="linelist",
        default=[],
        help="extra CKafka endpoints to intercept, one per line, e.g. 127.0.0.1:9100.",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Written out, not built from Options: importing it would cost every run ~3 ms
    # (tests/test_options.py checks that the two agree).
    config.addinivalue_line(
        "markers",
        "ckafka(strict=None, assert_all_used=True, endpoints=(), passthrough=(), "
        "strict_auth=False, "
        f"validate=True, stateful=None, max_calls={DEFAULT_MAX_CALLS}): configure the ckafka "
        "fixture for this test (strict mode: only stubs answer; unused-stub check; extra "
        "endpoints; hosts whose CKafka calls reach the network untouched; signature "
        "checks against ckafka.add_credentials; request validation "
        "against the spec; the stateful backend, on unless strict; how many calls "
        "ckafka.calls keeps, None: all).",
    )
    config.addinivalue_line(
        "markers",
        "ckafka_error_codes(scope='all', action=None, retryable=None, category=None, "
        "include=(), exclude=()): the codes a test using ckafka_error_code runs for.",
    )
    config.addinivalue_line(
        "markers",
        "ckafka_faults(include=(), exclude=()): the fault kinds a test using ckafka_fault "
        "runs for.",
    )
    config.addinivalue_line(
        "markers",
        "ckafka_cassette(name=None, record_mode=None, match_on=None, scrub_account_ids=False, "
        "block_network=None, allowed_hosts=None): replay (and record) this test's CKafka calls "
        "from a cassette; default name <test module>/<test name>. While it replays, connections "
        "to CKafka hosts are refused (block_network: to every host but loopback and "
        "allowed_hosts).",
    )
    cli_mode, ini_mode = config.getoption("ckafka_record_mode"), config.getini("ckafka_record_mode")
    if (cli_mode, ini_mode) != (None, "none"):  # the default needs no check (nor an import)
        from ..cassettes.record_mode import resolve_record_mode
        from ..exceptions import CKafkaUsageError

        try:
            resolve_record_mode(cli=cli_mode, ini=ini_mode)
        except CKafkaUsageError as exc:
            raise pytest.UsageError(str(exc)) from None
    policy_lines = config.getini("ckafka_policy")
    if policy_lines:  # a typo here would otherwise error every test that asks for the policy
        from ..checks.policy import Policy

        for number, line in enumerate(policy_lines, 1):
            try:
                Policy.from_lines([line])
            except ValueError as exc:
                raise pytest.UsageError(f"ini ckafka_policy, line {number}: {exc}") from None
    if any(config.getoption(name) for name in REPORT_OPTIONS):
        start_report(config)
