"""The records of error-handling checks: one :class:`Verdict`, and a :class:`MatrixReport`.

``matrix`` makes them; the pytest report (``report``) and the user read them. A
report row's verdict (:data:`ROW_VERDICTS`) adds ``not checked``: a code a test
answered with but never checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Optional

__all__ = ["ROW_VERDICTS", "MatrixReport", "Outcome", "RowVerdict", "Verdict", "totals_line"]

Outcome = Literal["handled", "mishandled", "not injected"]
"""What one check found: ``not injected`` when something answered before the code could."""

RowVerdict = Literal["handled", "mishandled", "not checked", "not injected"]
ROW_VERDICTS: tuple[RowVerdict, ...] = ("handled", "mishandled", "not checked", "not injected")
"""A report row's verdict, from the worst a check found to nothing checked."""


def totals_line(totals: dict[str, int]) -> str:
    """``2 handled, 1 mishandled, 1 not checked, 0 not injected``."""
    return ", ".join(f"{totals[v.replace(' ', '_')]} {v}" for v in ROW_VERDICTS)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one ``assert_handles``: what was expected, what was seen."""

    code: str
    action: str
    expected: str  # "retry" or "raise"
    observed: str
    ok: bool
    attempts: int
    sleeps: tuple[float, ...] = ()
    problem: str = ""
    request_id: Optional[str] = None
    injected: int = 0  # answers that carried the injected code: 0 when refused first
    reason: str = ""  # why the policy expects ``expected``

    @property
    def outcome(self) -> Outcome:
        """``handled``, ``mishandled``, or ``not injected`` (refused before the code was sent)."""
        if self.ok:
            return "handled"
        return "mishandled" if self.injected else "not injected"

    def message(self) -> str:
        """The failure message a user reads (empty when the verdict is ok)."""
        return self.problem


@dataclass
class MatrixReport:
    """Every verdict of :func:`check_error_handling`, with a printable table."""

    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every code was handled as the policy says."""
        return all(v.ok for v in self.verdicts)

    @property
    def mishandled(self) -> list[Verdict]:
        """The verdicts that failed (``not injected`` ones too: nothing was checked)."""
        return [v for v in self.verdicts if not v.ok]

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self.verdicts)

    def __len__(self) -> int:
        return len(self.verdicts)

    def table(self) -> str:
        """``code | expected | observed | verdict`` as aligned text."""
        rows = [("code", "expected", "observed", "verdict")]
        rows += [
            (v.code, v.expected, v.observed, v.outcome if v.ok else v.outcome.upper())
            for v in self.verdicts
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        return "\n".join(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
            for row in rows
        )
