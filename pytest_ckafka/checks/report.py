"""The session's error-handling coverage: actions called, codes answered, what was checked.

Each ``ckafka`` fixture contributes rows at teardown; under pytest-xdist the
workers ship their rows to the controller, which merges them into one report.
Every error answer is counted by where it came from: ``injected`` by
``assert_handles``, a ``test stub`` (``ckafka.fail``/``ckafka.fault``), or the
fake's own rules (the ``backend``, ``validation``, ``auth``...). A row's verdict
says what was checked: ``handled``/``mishandled`` by ``assert_handles``; ``not
checked`` for a code the test stubbed but never checked; ``not injected`` when
only the fake's rules answered it, or an ``assert_handles`` was refused before
its code could be sent.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .verdicts import ROW_VERDICTS, RowVerdict, totals_line

if TYPE_CHECKING:
    from ..fake.calls import AnsweredBy
    from .ckafka import CKafka
    from .policy import Policy

__all__ = ["SOURCES", "Report", "rows_for"]

SOURCES: dict[AnsweredBy, str] = {
    "injected": "injected",
    "stub": "test stub",
    "state": "backend",
    "invalid": "validation",
    "auth": "auth",
    "protocol": "protocol",
    "unmatched": "strict",
    "cassette": "cassette",
    "network": "network",
    "default": "default",
    "miss": "miss",
}
"""A call's ``answered_by`` -> the word the report uses for it, in the report's order."""


def rows_for(fake: CKafka, test: str) -> list[dict[str, Any]]:
    """One row per API call, and one per ``assert_handles`` verdict, of a test."""
    rows: list[dict[str, Any]] = [
        {
            "kind": "call",
            "test": test,
            "action": call.action,
            "code": _code(call.error_code),
            "source": SOURCES.get(call.answered_by, call.answered_by),
        }
        for call in fake.calls
        if call.action
    ]
    rows += [
        {
            "kind": "verdict",
            "test": test,
            "action": verdict.action,
            "code": verdict.code,
            "expected": verdict.expected,
            "reason": verdict.reason,
            "observed": verdict.observed,
            "injected": verdict.injected,
            "verdict": verdict.outcome,
            "text": verdict.problem or verdict.observed,
        }
        for verdict in fake.verdicts
    ]
    return rows


def _code(error_code: Any) -> Any:
    """``fault:timeout`` in the call log is ``timeout`` in verdicts: one row per fault."""
    text = str(error_code or "")
    return text[len("fault:") :] if text.startswith("fault:") else error_code


def _row_verdict(checks: Counter[str], answers: Counter[str]) -> RowVerdict:
    if checks["mishandled"]:
        return "mishandled"
    if checks["handled"]:
        return "handled"
    if answers["injected"] or answers[SOURCES["stub"]]:
        return "not checked"
    return "not injected"


def _source_order(source: str) -> tuple[int, str]:
    words = list(SOURCES.values())
    return (words.index(source) if source in words else len(words), source)


class Report:
    """Rows from every test (and every xdist worker), summarised as a table, JSON or HTML."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Add rows from one test or one worker."""
        self.rows.extend(rows)

    def summary(self) -> dict[str, Any]:
        """Actions called (with counts), and per (action, code) its answers and checks."""
        calls = Counter(r["action"] for r in self.rows if r["kind"] == "call")
        answers: dict[tuple[str, str], Counter[str]] = {}
        checks: dict[tuple[str, str], Counter[str]] = {}
        for row in self.rows:
            pair = (row["action"], row["code"])
            if row["kind"] == "call" and row["code"]:
                answers.setdefault(pair, Counter())[row.get("source", "")] += 1
            elif row["kind"] == "verdict":
                checks.setdefault(pair, Counter())[row["verdict"]] += 1
        codes = []
        for pair in sorted({*answers, *checks}):
            got, done = answers.get(pair, Counter()), checks.get(pair, Counter())
            others = {
                source: got[source]
                for source in sorted(got, key=_source_order)
                if source != "injected"
            }
            codes.append(
                {
                    "action": pair[0],
                    "code": pair[1],
                    "injected": got["injected"],
                    "other_answers": others,
                    "checks": sum(done.values()),
                    "handled": done["handled"],
                    "mishandled": done["mishandled"],
                    "not_injected": done["not injected"],
                    "verdict": _row_verdict(done, got),
                }
            )
        totals = Counter(c["verdict"] for c in codes)
        return {
            "actions": dict(sorted(calls.items())),
            "codes": codes,
            "totals": {
                "calls": sum(calls.values()),
                **{verdict.replace(" ", "_"): totals[verdict] for verdict in ROW_VERDICTS},
            },
        }

    def lines(self) -> list[str]:
        """The terminal table."""
        summary = self.summary()
        called = summary["actions"]
        if not called:
            out = ["no CKafka API calls were made"]
        else:
            out = ["actions called: " + ", ".join(f"{a} ({n})" for a, n in called.items())]
        if not summary["codes"]:
            if called:
                out.append("no error codes or faults were answered")
            return out
        header = ("action", "code", "injected", "other answers", "checks", "verdict")
        table = [header] + [
            (
                c["action"],
                c["code"],
                str(c["injected"]),
                ", ".join(f"{source} {n}" for source, n in c["other_answers"].items()),
                str(c["checks"]),
                c["verdict"],
            )
            for c in summary["codes"]
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        out += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
        out.append(totals_line(summary["totals"]))
        return out

    def write_json(self, path: str) -> None:
        """Write the summary (and raw rows) atomically to ``path``."""
        payload = {**self.summary(), "rows": self.rows}
        _write(path, json.dumps(payload, indent=2, sort_keys=True) + "\n")

    def write_html(self, path: str, policy: Policy) -> None:
        """Write the report as one self-contained HTML page (see ``report_html``)."""
        from .report_html import render_html

        _write(path, render_html(self.summary(), self.rows, policy))


def _write(path: str, text: str) -> None:
    """Replace ``path`` by ``text`` in one rename: a reader never sees half a report."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
