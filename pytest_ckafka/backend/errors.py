"""API errors raised by the stateful backend, and the rule that keeps them honest.

A handler raises :class:`ApiError` with the code the real API answers. Which
codes an action may answer is API data: the ones the reference documents for
that action plus the common codes. :func:`allowed_codes` reads it from the
generated catalog, and the dispatcher refuses any other (a pytest-ckafka bug).
"""

from __future__ import annotations

import functools

from ..api.error_codes import ERROR_CODES
from ..api.spec import load_spec

__all__ = ["INSTANCE_NOT_EXIST", "ApiError", "ShapeError", "allowed_codes", "not_found_code"]

INSTANCE_NOT_EXIST = "InvalidParameterValue.InstanceNotExist"


class ApiError(Exception):
    """An error envelope to answer with: ``code`` and the real-format ``message``.

    >>> ApiError("ResourceNotFound", "The topic `orders` does not exist.").code
    'ResourceNotFound'
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ShapeError(ApiError):
    """A broken request-shape rule: a range, enum, length, format, filter name or page size.

    Such a rule reads the request alone, never the state, like the spec checks
    of :mod:`pytest_ckafka.api.validation`; ``validate=False`` turns it off with
    them (see :meth:`~.registry.Context.reject_shape`). Business rules (what
    exists, duplicates, quotas, timing, states) raise a plain :class:`ApiError`
    and always hold.
    """


@functools.cache
def allowed_codes(action: str) -> frozenset[str]:
    """The codes ``action`` may answer: documented for it, or common to every action.

    >>> "InvalidParameterValue.TopicNameAlreadyExist" in allowed_codes("CreateTopic")
    True
    >>> "InvalidParameterValue.TopicNameAlreadyExist" in allowed_codes("DeleteTopic")
    False
    """
    common = {code for code, info in ERROR_CODES.items() if info.scope == "common"}
    return frozenset(common | set(load_spec().action(action).errors))


def not_found_code(action: str, preferred: str = INSTANCE_NOT_EXIST) -> str:
    """``preferred`` when the reference documents it for ``action``, else ``ResourceNotFound``.

    >>> not_found_code("CreateTopic"), not_found_code("FetchMessageByOffset")
    ('InvalidParameterValue.InstanceNotExist', 'ResourceNotFound')
    """
    return preferred if preferred in load_spec().action(action).errors else "ResourceNotFound"
