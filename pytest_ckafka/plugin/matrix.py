"""pytest wiring for the error matrix: code/fault parametrization, policy, clock, report.

Part of the ``ckafka`` plugin (``plugin/__init__.py`` re-exports these hooks and fixtures).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional

import pytest

if TYPE_CHECKING:
    from ..checks.policy import Policy
    from ..checks.report import Report
    from ..clock import Clock
    from ..intercept.mock import CKafkaMock

__all__ = [
    "REPORT_OPTIONS",
    "add_report_rows",
    "ckafka_clock",
    "ckafka_error_code",
    "ckafka_fault",
    "ckafka_policy",
    "pytest_generate_tests",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "start_report",
]

REPORT_OPTIONS = ("ckafka_report", "ckafka_report_json", "ckafka_report_html")
"""The options that keep a report (``--ckafka-report``, ``-json=PATH``, ``-html=PATH``)."""
ERROR_CODES_OPTIONS = ("scope", "action", "retryable", "category", "include", "exclude")
FAULTS_OPTIONS = ("include", "exclude")
REPORT_KEY: pytest.StashKey[Report] = pytest.StashKey()


def start_report(config: pytest.Config) -> None:
    """Collect report rows for this session (any of :data:`REPORT_OPTIONS`)."""
    from ..checks.report import Report

    config.stash[REPORT_KEY] = Report()


def add_report_rows(request: pytest.FixtureRequest, fake: Any) -> None:
    """Add a finished test's calls and verdicts to the session report, if one is kept."""
    report = request.config.stash.get(REPORT_KEY, None)
    if report is not None:
        from ..checks.report import rows_for

        report.add(rows_for(fake, request.node.nodeid))


def _marker_kwargs(node: Any, name: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The keyword arguments of every ``name`` marker on ``node``, the closest winning."""
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(name))):
        bad = [key for key in marker.kwargs if key not in allowed]
        if marker.args or bad:
            from ..api.suggest import unknown_name_message

            what = (
                unknown_name_message("option", bad[0], allowed)
                if bad
                else (f"takes keyword arguments only, got {marker.args!r}")
            )
            raise pytest.UsageError(f"@pytest.mark.{name}: {what}")
        options.update(marker.kwargs)
    return options


def _select(
    names: list[str], options: dict[str, Any], valid: Any, kind: str, marker: str
) -> list[str]:
    from ..api.suggest import unknown_name_message

    picked: dict[str, list[str]] = {}
    for key in ("include", "exclude"):
        value = options.get(key, ())
        # A bare string is one name, not a sequence of one-letter names.
        picked[key] = [value] if isinstance(value, str) else list(value)
        for name in picked[key]:
            if name not in valid:
                raise pytest.UsageError(
                    f"@pytest.mark.{marker}: {key}: " + unknown_name_message(kind, name, valid)
                )
    chosen = [n for n in names if n not in set(picked["exclude"])]
    return chosen + [n for n in picked["include"] if n not in chosen]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ckafka_error_code" in metafunc.fixturenames:
        from ..api.error_codes import ERROR_CODES, select_codes

        options = _marker_kwargs(metafunc.definition, "ckafka_error_codes", ERROR_CODES_OPTIONS)
        filters = {k: options[k] for k in ("action", "category") if k in options}
        retryable = _retryable(options)
        try:
            chosen = select_codes(options.get("scope", "all"), **filters)
        except ValueError as exc:
            raise pytest.UsageError(f"@pytest.mark.ckafka_error_codes: {exc}") from None
        names = [info.code for info in chosen]
        if retryable is not None:
            # The policy the ckafka_policy fixture gives unless a conftest overrides it;
            # an override is only known when the test runs (see ckafka_error_code).
            from ..checks.policy import Policy

            policy = Policy.from_lines(metafunc.config.getini("ckafka_policy"))
            names = [n for n in names if (policy.decide(n) == "retry") is retryable]
        codes = _select(names, options, ERROR_CODES, "error code", "ckafka_error_codes")
        metafunc.parametrize("ckafka_error_code", codes, ids=codes, indirect=True)
    if "ckafka_fault" in metafunc.fixturenames:
        from ..fake.faults import FAULT_KINDS

        options = _marker_kwargs(metafunc.definition, "ckafka_faults", FAULTS_OPTIONS)
        kinds = _select(list(FAULT_KINDS), options, FAULT_KINDS, "fault kind", "ckafka_faults")
        metafunc.parametrize("ckafka_fault", kinds, ids=kinds)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: merge a worker's report rows."""
    report = node.config.stash.get(REPORT_KEY, None)
    rows = getattr(node, "workeroutput", {}).get("ckafka_report")
    if report is not None and rows:
        import json

        report.add(json.loads(rows))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    report = config.stash.get(REPORT_KEY, None)
    if report is None:
        return
    if hasattr(config, "workerinput"):  # an xdist worker: ship rows to the controller
        import json

        config.workeroutput["ckafka_report"] = json.dumps(report.rows)  # type: ignore[attr-defined]
        return
    path = config.getoption("ckafka_report_json")
    if path:
        report.write_json(path)
    page = config.getoption("ckafka_report_html")
    if page:
        from ..checks.policy import Policy

        report.write_html(page, Policy.from_lines(config.getini("ckafka_policy")))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(REPORT_KEY, None)
    if report is None or hasattr(config, "workerinput") or not config.getoption("ckafka_report"):
        return
    terminalreporter.section("pytest-ckafka error-handling report")
    for line in report.lines():
        terminalreporter.write_line(line)


@pytest.fixture
def ckafka_policy(pytestconfig: pytest.Config) -> Policy:
    """The handling policy ``assert_handles`` checks (default + ini ``ckafka_policy``).

    Override it to set a project's policy, e.g. return
    ``pytest_ckafka.Policy({"ResourceInUse": "raise"})``.
    """
    from ..checks.policy import Policy

    return Policy.from_lines(pytestconfig.getini("ckafka_policy"))


@pytest.fixture
def ckafka_clock(ckafka: CKafkaMock) -> Iterator[Clock]:
    """The ``ckafka`` fake clock, with ``time.sleep``/``asyncio.sleep`` recorded for the test.

    A sleep bound as a default argument is reached with ``ckafka_clock.patch_defaults(func)``.
    """
    with ckafka.clock.patched() as clock:
        yield clock


def _retryable(options: dict[str, Any]) -> Optional[bool]:
    retryable = options.get("retryable")
    if retryable is not None and not isinstance(retryable, bool):
        raise pytest.UsageError(
            "@pytest.mark.ckafka_error_codes: retryable must be True, False or None, "
            f"got {retryable!r}"
        )
    return retryable


@pytest.fixture
def ckafka_error_code(request: pytest.FixtureRequest) -> str:
    """One catalog error code per test run (narrow with ``@pytest.mark.ckafka_error_codes``).

    ``retryable=True``/``False`` selects the codes the active policy retries/raises;
    a code that a conftest's ``ckafka_policy`` fixture decides otherwise is skipped.
    """
    code = getattr(request, "param", None)
    if code is None:  # pragma: no cover - pytest_generate_tests always parametrizes it
        raise pytest.UsageError("ckafka_error_code is parametrized by the plugin")
    options = _marker_kwargs(request.node, "ckafka_error_codes", ERROR_CODES_OPTIONS)
    retryable = _retryable(options)
    included = options.get("include", ())
    if retryable is not None and code not in (
        [included] if isinstance(included, str) else included
    ):
        policy: Policy = request.getfixturevalue("ckafka_policy")
        decision = policy.decide(code)
        if (decision == "retry") is not retryable:
            pytest.skip(
                f"{code}: the ckafka_policy fixture says {decision} "
                f"({policy.reason(code)}); @pytest.mark.ckafka_error_codes(retryable="
                f"{retryable}) selects the codes it {'retries' if retryable else 'raises'}"
            )
    return str(code)


@pytest.fixture
def ckafka_fault(request: pytest.FixtureRequest) -> str:
    """One transport fault kind per test run (narrow with ``@pytest.mark.ckafka_faults``)."""
    raise pytest.UsageError("ckafka_fault is parametrized by the plugin")  # pragma: no cover
