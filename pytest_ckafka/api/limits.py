"""What the fake accepts and echoes: nesting depth, Unicode text, echoed lengths.

One depth limit and one text rule hold for everything that enters the fake,
whichever way it comes in: a CKafka request (JSON body or v1 flattened
names), a stub registered from Python or the control API, a seed, a loaded
state. A value past them is refused where it enters, so nothing accepted can
make a later encoding fail: every answer, ``GET /_ckafka/calls``,
``GET /_ckafka/state`` and the ``--state`` save always serialize.

* Depth: at most :data:`MAX_DEPTH` nested objects and arrays, the outermost
  one being level 1.
* Text: no lone surrogate (``"\\ud800"`` is valid JSON but no Unicode text, so
  it cannot be written as UTF-8), in names or values.
* Types: what JSON holds (strings, finite numbers, integers from :data:`MIN_INT`
  to :data:`MAX_INT`, booleans, null, lists, tuples and mappings), which a Python
  caller could otherwise break with a set, a ``datetime`` or ``10**400``.

Messages never echo a whole value: :func:`clip` cuts one to :data:`ECHO_CHARS`
characters and says how long it was.

>>> data_problem({"Filters": [{"Name": "\\ud800"}]}).describe()
'`Filters.0.Name` holds a lone surrogate (\\\\ud800 at character 0), which is not Unicode text'
>>> clip("x" * 1000, 5)
'xxxxx... (1000 characters)'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, NamedTuple, Optional

from ..exceptions import CKafkaUsageError

__all__ = [
    "ECHO_CHARS",
    "MAX_DEPTH",
    "MAX_INT",
    "MESSAGE_CHARS",
    "MIN_INT",
    "DataProblem",
    "check_data",
    "clip",
    "clip_quoted",
    "data_problem",
    "escape",
]

MAX_DEPTH = 32
"""The deepest nesting of objects and arrays accepted, the outermost being level 1.

The spec's deepest request nests 9 levels (``CreateDatahubTask``) and its deepest
answer 11, envelope included (``DescribeTopicSubscribeGroup``): 32 leaves a wide
margin, and keeps every later walk (JSON encoding too) far from Python's
recursion limit."""

MIN_INT = -(2**63)
"""The smallest integer accepted (int64)."""
MAX_INT = 2**64 - 1
"""The largest integer accepted (uint64, the widest CKafka integer)."""

ECHO_CHARS = 200
"""A value echoed in a message is cut to this many characters."""

MESSAGE_CHARS = 2000
"""A message the fake writes is cut to this many characters, whatever it echoes."""

_FLOAT_NAMES = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
_QUOTED = re.compile(r"`([^`]*)`")
_MARK_CHARS = len("... (999999999999 characters)")


def clip(value: object, limit: int = ECHO_CHARS) -> str:
    """``value`` as text, cut to ``limit`` characters with its full length said.

    >>> clip("orders"), clip("abcdef", 3)
    ('orders', 'abc... (6 characters)')
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def clip_quoted(message: str) -> str:
    """``message`` with every `` `quoted` `` value clipped, and the whole cut to MESSAGE_CHARS.

    The fake's messages quote what they echo in backticks, as the real API's
    do, so this one rule bounds every echo, including the backend's many.

    >>> clip_quoted("The topic `" + "t" * 300 + "` does not exist.")[-40:]
    'ttt... (300 characters)` does not exist.'
    """
    if len(message) <= ECHO_CHARS + _MARK_CHARS:
        return message
    return clip(_QUOTED.sub(_clip_match, message), MESSAGE_CHARS)


def _clip_match(match: re.Match[str]) -> str:
    value = match.group(1)
    # A value clipped where it was echoed is longer by its "... (N characters)":
    # clipping it again would count the clipped text, not the value.
    if len(value) <= ECHO_CHARS + _MARK_CHARS:
        return match.group(0)
    return "`" + clip(value) + "`"


def escape(text: str) -> str:
    """``text`` with any lone surrogate written as a ``\\udXXX`` escape, so it always encodes.

    >>> escape("a\\ud800b")
    'a\\\\ud800b'
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class DataProblem(NamedTuple):
    """Where a value breaks a rule: ``path`` (dotted, escaped) and ``what`` is wrong.

    ``name`` is true when the name at ``path``, not its value, is the problem.
    """

    path: str
    what: str
    name: bool = False

    def describe(self) -> str:
        """``the name `a.b` holds ...`` / ```a.b` nests ...``: a message fragment."""
        if not self.path:
            return f"the value {self.what}"
        return f"{'the name ' if self.name else ''}`{clip(self.path)}` {self.what}"


def data_problem(value: Any, root: str = "") -> Optional[DataProblem]:
    """The first place ``value`` breaks the depth, text or type rule, or ``None``.

    Objects are mappings, arrays lists and tuples; ``root`` names ``value``
    itself in the path. Walks at most :data:`MAX_DEPTH` levels, so a deep or
    even cyclic value is reported, never followed.

    >>> data_problem([[["ok"]]]) is None
    True
    >>> deep = []
    >>> for _ in range(40):
    ...     deep = [deep]
    >>> data_problem({"Tags": deep}, "body").describe()  # doctest: +ELLIPSIS
    '`body.Tags.0.0...0` is nested more than 32 levels deep'
    """
    return _walk(value, root, 0)


def check_data(value: Any, where: str, root: str = "") -> None:
    """Raise :class:`CKafkaUsageError` (``"<where>: ..."``) if ``value`` breaks a rule.

    >>> check_data({"note": "\\udc00"}, "state.add_topic")
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: state.add_topic: `note` holds a lone \
surrogate (\\udc00 at character 0), which is not Unicode text
    """
    problem = data_problem(value, root)
    if problem is not None:
        raise CKafkaUsageError(f"{where}: {problem.describe()}")


def _walk(value: Any, path: str, depth: int) -> Optional[DataProblem]:
    cls = type(value)
    if cls is str:
        return _text_problem(value, path)
    if cls is int:
        return None if MIN_INT <= value <= MAX_INT else DataProblem(path, _out_of_range(value))
    if cls is bool or value is None:
        return None  # JSON's scalars, before the slower ABC test below
    if cls is float or isinstance(value, float):
        if math.isfinite(value):
            return None
        return DataProblem(path, f"is {_FLOAT_NAMES[repr(value)]}, which JSON cannot hold")
    if cls is dict or isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    elif isinstance(value, str):
        return _text_problem(value, path)
    elif isinstance(value, int):
        return None if MIN_INT <= value <= MAX_INT else DataProblem(path, _out_of_range(value))
    else:
        return DataProblem(path, f"is {_a(type(value).__name__)}, which JSON cannot hold")
    if depth >= MAX_DEPTH:
        return DataProblem(path, f"is nested more than {MAX_DEPTH} levels deep")
    prefix = path + "." if path else ""
    for key, item in items:
        if isinstance(key, str):
            bad = _text_problem(key, prefix + key)
            if bad is not None:
                return bad._replace(name=True)
        elif not isinstance(key, (int, float)) and key is not None:
            what = f"is {_a(type(key).__name__)}, which JSON cannot hold as a name"
            return DataProblem(escape(prefix + str(key)), what, name=True)
        problem = _walk(item, prefix + str(key), depth + 1)
        if problem is not None:
            return problem
    return None


def _out_of_range(value: int) -> str:
    digits = len(str(abs(value))) if value.bit_length() < 14_000 else value.bit_length() * 3 // 10
    shown = str(value) if digits <= 22 else f"of {digits} digits"
    return f"is an integer {shown}, out of range (-2**63 to 2**64-1)"


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _text_problem(text: str, path: str) -> Optional[DataProblem]:
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        what = (
            f"holds a lone surrogate ({escape(text[exc.start])} at character {exc.start}), "
            "which is not Unicode text"
        )
        return DataProblem(escape(path), what)
    return None
