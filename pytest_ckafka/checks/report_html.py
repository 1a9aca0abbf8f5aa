"""The error-handling report as one self-contained HTML page (``--ckafka-report-html``).

A grid of actions x codes and faults, each cell coloured by its verdict and
linking to the checks behind it (test id and verdict text), then the policy the
checks used and the totals. Plain HTML and inline CSS: no script, nothing fetched,
so the file opens anywhere (a CI artifact, a browser without network). Built from
the report's summary and rows; the order is sorted, so a run renders the same page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from ..fake.faults import FAULT_KINDS
from .verdicts import ROW_VERDICTS, totals_line

if TYPE_CHECKING:
    from .policy import Policy

__all__ = ["LEGEND", "render_html"]

LEGEND: dict[str, tuple[str, str]] = {
    "handled": ("&#10003;", "every assert_handles check of the code passed"),
    "mishandled": ("&#10007;", "an assert_handles check failed: the client mishandled the code"),
    "not checked": ("?", "the test stubbed the code (ckafka.fail/fault) but did not check it"),
    "not injected": (
        "&#8211;",
        "only the fake's own rules answered the code (backend, validation...), or "
        "assert_handles was refused before its code could be sent",
    ),
}
"""Each verdict's cell symbol (so colour is not the only cue) and meaning."""

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.totals { font-size: 1.1em; font-weight: 600; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d0d7; padding: 2px 5px; }
table.grid th.col { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; font-weight: 500; vertical-align: bottom; }
table.grid th.row { text-align: left; white-space: nowrap; }
table.grid td { text-align: center; width: 1.4em; height: 1.4em; }
table.grid td a { color: inherit; text-decoration: none; display: block; }
.handled { background: #b9e4c0; } .mishandled { background: #f4a3a3; }
.not-checked { background: #f8dc8b; } .not-injected { background: #dcdce2; }
td.empty { background: #fff; }
ul.legend { list-style: none; padding: 0; }
ul.legend li { margin: 3px 0; }
.swatch { display: inline-block; width: 1.4em; text-align: center; border: 1px solid #aaa; }
section.detail { border-left: 6px solid #ccc; padding: 2px 10px; margin: 10px 0; }
section.detail.handled { border-color: #3c9a4e; background: none; }
section.detail.mishandled { border-color: #c43b3b; background: none; }
section.detail.not-checked { border-color: #d7a21c; background: none; }
section.detail.not-injected { border-color: #8a8a96; background: none; }
section.detail:target { outline: 2px solid #3367d6; }
pre { white-space: pre-wrap; margin: 2px 0 8px; background: #f5f5f7; padding: 4px 6px; }
table.policy td, table.policy th { text-align: left; vertical-align: top; }
"""


def _css_class(verdict: str) -> str:
    return verdict.replace(" ", "-")


def _columns(codes: Sequence[Mapping[str, Any]]) -> list[str]:
    """Error codes in name order, then the fault kinds in their usual order."""
    names = {str(c["code"]) for c in codes}
    faults = [kind for kind in FAULT_KINDS if kind in names]
    return sorted(names - set(faults)) + faults


def _policy_rows(
    columns: Sequence[str], rows: Sequence[Mapping[str, Any]], policy: Policy
) -> list[tuple[str, str, str]]:
    """Per column: the handling the checks expected (the session's policy if unchecked)."""
    used: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for row in rows:
        if row["kind"] == "verdict":
            used[row["code"]][(row["expected"], row.get("reason", ""))] += 1
    out = []
    for code in columns:
        seen = used.get(code)
        if not seen:
            out.append((code, f"{policy.decide(code)} (not checked)", policy.reason(code)))
            continue
        for (expected, reason), n in sorted(seen.items()):
            many = f" ({n} checks)" if len(seen) > 1 else ""
            out.append((code, expected + many, reason))
    return out


def _overrides(policy: Policy) -> list[str]:
    from .policy import DEFAULT_POLICY

    default = DEFAULT_POLICY.rules()
    return [f"{k} = {v}" for k, v in sorted(policy.rules().items()) if default.get(k) != v]


def render_html(
    summary: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], policy: Policy
) -> str:
    """The page for a report ``summary`` and its ``rows``; ``policy`` is the session's.

    >>> from pytest_ckafka.checks.policy import DEFAULT_POLICY
    >>> from pytest_ckafka.checks.report import Report
    >>> page = render_html(Report().summary(), [], DEFAULT_POLICY)
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page
    (True, False)
    """
    codes: list[Mapping[str, Any]] = list(summary["codes"])
    columns = _columns(codes)
    actions = sorted({str(c["action"]) for c in codes})
    anchor = {(c["action"], c["code"]): f"r{n}" for n, c in enumerate(codes, 1)}
    by_pair = {(c["action"], c["code"]): c for c in codes}
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>pytest-ckafka error-handling report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>pytest-ckafka error-handling report</h1>",
        f'<p class="totals" id="totals">{escape(totals_line(summary["totals"]))}; '
        f"{summary['totals']['calls']} API calls</p>",
        '<ul class="legend">',
    ]
    for verdict in ROW_VERDICTS:
        symbol, meaning = LEGEND[verdict]
        out.append(
            f'<li><span class="swatch {_css_class(verdict)}">{symbol}</span> '
            f"<b>{verdict}</b>: {escape(meaning)}</li>"
        )
    out.append("</ul>")
    out.append("<h2>Actions &#215; codes and faults</h2>")
    if not codes:
        out.append("<p>No error codes or faults were answered.</p>")
    else:
        out.append('<div class="scroll"><table class="grid"><thead><tr><th>action</th>')
        out += [f'<th class="col" scope="col">{escape(code)}</th>' for code in columns]
        out.append("</tr></thead><tbody>")
        for action in actions:
            out.append(f'<tr><th class="row" scope="row">{escape(action)}</th>')
            for code in columns:
                row = by_pair.get((action, code))
                if row is None:
                    out.append('<td class="empty"></td>')
                    continue
                shown = str(row["verdict"])
                title = f"{action} {code}: {shown}"
                out.append(
                    f'<td class="{_css_class(shown)}"><a href="#{anchor[(action, code)]}" '
                    f'title="{escape(title)}">{LEGEND[shown][0]}</a></td>'
                )
            out.append("</tr>")
        out.append("</tbody></table></div>")
    out.append("<h2>Checks and answers</h2>")
    out += _details(codes, rows, anchor)
    out.append("<h2>Policy</h2>")
    overrides = _overrides(policy)
    out.append(
        "<p>The default policy"
        + (
            " with the project's rules: "
            + ", ".join(f"<code>{escape(r)}</code>" for r in overrides)
            if overrides
            else ""
        )
        + ". A check made with another policy (the <code>ckafka_policy</code> fixture, "
        "<code>policy=</code>) shows the handling it expected.</p>"
    )
    out.append('<table class="policy"><tr><th>code or fault</th><th>handling</th><th>why</th></tr>')
    for code, handling, reason in _policy_rows(columns, rows, policy):
        out.append(
            f"<tr><td><code>{escape(code)}</code></td><td>{escape(handling)}</td>"
            f"<td>{escape(reason)}</td></tr>"
        )
    out.append("</table>")
    out.append("<h2>Actions called</h2><ul>")
    out += [f"<li>{escape(a)}: {n}</li>" for a, n in summary["actions"].items()]
    out.append("</ul></body></html>")
    return "\n".join(out) + "\n"


def _details(
    codes: Sequence[Mapping[str, Any]],
    rows: Sequence[Mapping[str, Any]],
    anchor: Mapping[tuple[Any, Any], str],
) -> list[str]:
    """One section per grid cell: its answers, and each check with its test id and text."""
    checks: dict[tuple[Any, Any], list[Mapping[str, Any]]] = defaultdict(list)
    answered: dict[tuple[Any, Any], Counter[tuple[str, str]]] = defaultdict(Counter)
    for row in rows:
        pair = (row["action"], row["code"])
        if row["kind"] == "verdict":
            checks[pair].append(row)
        elif row["code"]:
            answered[pair][(str(row["test"]), str(row.get("source", "")))] += 1
    out = []
    for code in codes:
        pair = (code["action"], code["code"])
        verdict = str(code["verdict"])
        out.append(
            f'<section class="detail {_css_class(verdict)}" id="{anchor[pair]}">'
            f"<h3>{escape(str(pair[0]))} &#183; {escape(str(pair[1]))}: {verdict}</h3>"
        )
        others = ", ".join(f"{source} {n}" for source, n in code["other_answers"].items())
        out.append(
            f"<p>Answers: {code['injected']} injected"
            + (f", {escape(others)}" if others else "")
            + f"; checks: {code['checks']}.</p>"
        )
        found = sorted(checks.get(pair, ()), key=lambda r: (str(r["test"]), str(r["text"])))
        if found:
            out.append("<ul>")
            for check in found:
                out.append(
                    f'<li><code class="test">{escape(str(check["test"]))}</code> '
                    f'<span class="outcome">{escape(str(check["verdict"]))}</span>'
                    f'<pre class="verdict">{escape(str(check["text"]))}</pre></li>'
                )
            out.append("</ul>")
        tests = sorted(answered.get(pair, Counter()).items())
        if tests:
            out.append("<p>Answered in:</p><ul>")
            out += [
                f'<li><code class="test">{escape(test)}</code>: {escape(source)} {n}</li>'
                for (test, source), n in tests
            ]
            out.append("</ul>")
        out.append("</section>")
    return out
