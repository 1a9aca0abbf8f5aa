"""Paging, search words and filters, the way CKafka's list actions read them.

The page is cut with ``islice``, so answering one page of an unfiltered list
costs the page, not the list: DescribeTopic over 10,000 topics answers its 20
as fast as over 10.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import islice
from typing import Any, Callable, Optional, TypeVar

from ..suggest import closest
from .errors import ApiError

__all__ = ["count_and_page", "filter_values", "keep", "matches", "page", "window"]

T = TypeVar("T")


def window(params: Mapping[str, Any], *, default: int, maximum: Optional[int]) -> tuple[int, int]:
    """``(Offset, Limit)`` from the request, with the action's documented default and maximum.

    >>> window({"Limit": 5}, default=20, maximum=50)
    (0, 5)
    >>> try:
    ...     window({"Offset": -1}, default=20, maximum=50)
    ... except ApiError as error:
    ...     print(error.code)
    InvalidParameterValue
    """
    offset = params.get("Offset")
    limit = params.get("Limit")
    offset = 0 if offset is None else int(offset)
    limit = default if limit is None else int(limit)
    if offset < 0:
        raise ApiError(
            "InvalidParameterValue", f"The parameter `Offset` must be 0 or more, got {offset}."
        )
    if limit < 1 or (maximum is not None and limit > maximum):
        bound = f"between 1 and {maximum}" if maximum is not None else "1 or more"
        raise ApiError(
            "InvalidParameterValue", f"The parameter `Limit` must be {bound}, got {limit}."
        )
    return offset, limit


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


def filter_values(
    params: Mapping[str, Any], supported: Collection[str], *, member: str = "Filters"
) -> dict[str, list[str]]:
    """The request's ``Filters`` as ``{Name: [values]}``; an unsupported name is refused.

    >>> filter_values({"Filters": [{"Name": "ReplicaNum", "Values": ["2"]}]}, ["ReplicaNum"])
    {'ReplicaNum': ['2']}
    """
    result: dict[str, list[str]] = {}
    for item in params.get(member) or ():
        name = str(item.get("Name", ""))
        if name not in supported:
            valid = ", ".join(sorted(supported)) or "(none)"
            message = f"The filter `{name}` is not supported here; valid names: {valid}."
            best = closest(name, sorted(supported), n=1)
            if best:
                message += f" Did you mean `{best[0]}`?"
            raise ApiError("InvalidParameterValue", message)
        result.setdefault(name, []).extend(str(v) for v in item.get("Values") or ())
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
