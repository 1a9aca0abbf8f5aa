"""The session's error-handling coverage: actions called, codes injected, verdicts.

Each ``ckafka`` fixture contributes rows at teardown; under pytest-xdist the
workers ship their rows to the controller, which merges them into one report.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import CKafka

__all__ = ["Report", "rows_for"]


def rows_for(fake: CKafka, test: str) -> list[dict[str, Any]]:
    """One row per API call, and one per ``assert_handles`` verdict, of a test."""
    rows: list[dict[str, Any]] = [
        {"kind": "call", "test": test, "action": call.action, "code": _code(call.error_code)}
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
            "observed": verdict.observed,
            "verdict": "handled" if verdict.ok else "mishandled",
        }
        for verdict in fake.verdicts
    ]
    return rows


def _code(error_code: Any) -> Any:
    """``fault:timeout`` in the call log is ``timeout`` in verdicts: one row per fault."""
    text = str(error_code or "")
    return text[len("fault:") :] if text.startswith("fault:") else error_code


class Report:
    """Rows from every test (and every xdist worker), summarised as a table or JSON."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Add rows from one test or one worker."""
        self.rows.extend(rows)

    def summary(self) -> dict[str, Any]:
        """Actions called (with counts), and per (action, code) how it was handled."""
        calls = Counter(r["action"] for r in self.rows if r["kind"] == "call")
        injected = Counter(
            (r["action"], r["code"]) for r in self.rows if r["kind"] == "call" and r["code"]
        )
        verdicts: Counter[tuple[str, str, str]] = Counter(
            (r["action"], r["code"], r["verdict"]) for r in self.rows if r["kind"] == "verdict"
        )
        pairs = sorted({*injected, *((a, c) for a, c, _ in verdicts)})
        codes = []
        for action, code in pairs:
            handled, mishandled = (
                verdicts[(action, code, "handled")],
                verdicts[(action, code, "mishandled")],
            )
            codes.append(
                {
                    "action": action,
                    "code": code,
                    "injected": injected[(action, code)],
                    "handled": handled,
                    "mishandled": mishandled,
                    "verdict": "mishandled"
                    if mishandled
                    else "handled"
                    if handled
                    else "not checked",
                }
            )
        return {
            "actions": dict(sorted(calls.items())),
            "codes": codes,
            "totals": {
                "calls": sum(calls.values()),
                "handled": sum(1 for c in codes if c["verdict"] == "handled"),
                "mishandled": sum(1 for c in codes if c["verdict"] == "mishandled"),
                "not_checked": sum(1 for c in codes if c["verdict"] == "not checked"),
            },
        }

    def lines(self) -> list[str]:
        """The terminal table."""
        summary = self.summary()
        if not summary["actions"]:
            return ["no CKafka API calls were made"]
        out = ["actions called: " + ", ".join(f"{a} ({n})" for a, n in summary["actions"].items())]
        if not summary["codes"]:
            out.append("no error codes or faults were injected")
            return out
        header = ("action", "code", "injected", "verdict")
        table = [header] + [
            (c["action"], c["code"], str(c["injected"]), c["verdict"]) for c in summary["codes"]
        ]
        widths = [max(len(row[i]) for row in table) for i in range(4)]
        out += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
        totals = summary["totals"]
        out.append(
            f"{totals['handled']} handled, {totals['mishandled']} mishandled, "
            f"{totals['not_checked']} not checked"
        )
        return out

    def write_json(self, path: str) -> None:
        """Write the summary (and raw rows) atomically to ``path``."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {**self.summary(), "rows": self.rows}
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, indent=2, sort_keys=True)
                handle.write("\n")
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
