"""Paging, search words and filters, the way CKafka's list actions read them.

The page sizes and filter names are the ones each action's member documents
state (the spec's :class:`~pytest_ckafka.api.spec.Member` facts), so a handler
never types them. Breaking one is a request-shape rule
(:meth:`~.registry.Context.reject_shape`): refused, or with ``validate=False``
clamped into range (a page size) or ignored (a filter).

The page is cut with ``islice``, so answering one page of an unfiltered list
costs the page, not the list: DescribeTopic over 10,000 topics answers its 20
as fast as over 10.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Callable, Optional, TypeVar

from ..api.spec import load_spec
from ..api.suggest import closest
from .registry import Context

__all__ = [
    "bounded_number",
    "count_and_page",
    "filter_values",
    "keep",
    "matches",
    "page",
    "window",
]

T = TypeVar("T")


def bounded_number(
    ctx: Context, member: str, *, default: Optional[int] = None, minimum: int = 1
) -> int:
    """The int ``member`` with the default and bounds its document states.

    ``default`` and ``minimum`` stand in where the document states none. Out of
    bounds is refused (``InvalidParameterValue``), or clamped into them when
    validation is off; above a maximum the document says is clamped, clamped.
    """
    facts = load_spec().input_members(ctx.action)[member]
    low = minimum if facts.minimum is None else facts.minimum
    high = facts.maximum
    fallback = facts.default if facts.default is not None else default
    value = ctx.get(member, fallback)
    if value is None:  # a handler bug: the call site must give the undocumented default
        raise RuntimeError(f"{ctx.action}: `{member}` has no documented default; pass one")
    number = int(value)
    if facts.clamps and high is not None and number > high:
        return high  # the document says so: "above the maximum, the maximum"
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"{low} or more"
        ctx.reject_shape(f"The parameter `{member}` must be {bound}, got {number}.")
        number = max(low, number if high is None else min(number, high))
    return number


def window(ctx: Context, *, default: Optional[int] = None) -> tuple[int, int]:
    """``(Offset, Limit)`` of a list call, with the action's documented default and maximum.

    ``default`` is the ``Limit`` where the reference documents none. An
    ``Offset`` below 0 reads as 0 when validation is off.
    """
    return (
        bounded_number(ctx, "Offset", default=0, minimum=0),
        bounded_number(ctx, "Limit", default=default),
    )


def page(items: Iterable[T], offset: int, limit: int) -> list[T]:
    """Items ``offset`` to ``offset + limit``, without copying the rest."""
    return list(islice(items, offset, offset + limit))


def matches(word: Optional[str], *texts: str, ignore_case: bool = False) -> bool:
    """True when ``word`` (a ``SearchWord``, fuzzy: a substring) is in any of ``texts``."""
    if not word:
        return True
    if ignore_case:
        word = word.lower()
        return any(word in text.lower() for text in texts)
    return any(word in text for text in texts)


def filter_values(ctx: Context, member: str = "Filters") -> dict[str, list[str]]:
    """The request's ``Filters`` as ``{Name: [values]}``, by the names its document lists.

    An unknown name or too many values is refused, or with validation off the
    filter is ignored (a name the server does not know cannot narrow the list)
    and every value kept.
    """
    facts = load_spec().input_members(ctx.action)[member]
    supported = sorted(facts.filter_names)
    result: dict[str, list[str]] = {}
    for item in ctx.get(member) or ():
        name = str(item.get("Name", ""))
        values = [str(v) for v in item.get("Values") or ()]
        most = facts.filter_values_max
        if most is not None and len(values) > most:
            ctx.reject_shape(
                f"The filter `{name}` has {len(values)} values; at most {most} are allowed."
            )
        if name not in supported:
            valid = ", ".join(supported) or "(none)"
            message = f"The filter `{name}` is not supported here; valid names: {valid}."
            best = closest(name, supported, n=1)
            if best:
                message += f" Did you mean `{best[0]}`?"
            ctx.reject_shape(message)
            continue
        result.setdefault(name, []).extend(values)
    return result


def keep(items: Iterable[T], *tests: Callable[[T], bool]) -> Iterable[T]:
    """Lazily keep the items that pass every test (no tests: all of them)."""
    if not tests:
        return items
    if len(tests) == 1:  # the usual case, at C speed: a SearchWord scan of 10,000 names
        return filter(tests[0], items)
    return (item for item in items if all(test(item) for test in tests))


def count_and_page(
    items: Sequence[T] | Iterable[T], total: Optional[int], offset: int, limit: int
) -> tuple[int, list[T]]:
    """``(TotalCount, page)``: with ``total`` known (no filter), only the page is walked."""
    if total is not None:
        return total, page(items, offset, limit)
    selected = list(items)
    return len(selected), selected[offset : offset + limit]
