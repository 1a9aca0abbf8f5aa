"""Standard JSON in and out, for the control API and the ``--state`` file.

Python's :mod:`json` reads and writes ``NaN`` and ``Infinity``, turns ``1e400``
into ``inf``, converts a 5000-digit integer (or refuses it with an error that
names no field), keeps ``"\\ud800"`` as a lone surrogate that cannot be encoded
as UTF-8, and gives ``[[[[...`` to a recursive decoder. Each of these, accepted
once, breaks a later answer, the clock or the saved state; each is refused here
with the path of the value (``stubs[0].params.Limit``), so a 400 can name it.

One checker, :func:`first_problem`, judges decoded input and data about to be
written alike: what :func:`dumps` writes, :func:`loads` reads back. What a standard
number is (finite, an integer within int64..uint64) is said once, by
:func:`parse_int`, :func:`parse_float` and :func:`parse_constant`: the decoder hooks
of :func:`loads` and of the CKafka request parser, and the check of a v1 value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any, Callable, NoReturn, Optional, Union

from ..exceptions import CKafkaUsageError
from . import limits
from .wire import compact_json

__all__ = [
    "MAX_DEPTH",
    "MAX_INT",
    "MIN_INT",
    "JSONPath",
    "JSONSyntaxError",
    "JSONValueError",
    "NumberError",
    "dumps",
    "dumps_lenient",
    "first_problem",
    "format_path",
    "loads",
    "number_problem",
    "parse_constant",
    "parse_float",
    "parse_int",
]

MAX_DEPTH = limits.MAX_DEPTH
"""The deepest nesting accepted: the one limit of :mod:`pytest_ckafka.api.limits`."""
MIN_INT = limits.MIN_INT
"""The smallest integer accepted (int64): the one of :mod:`pytest_ckafka.api.limits`."""
MAX_INT = limits.MAX_INT
"""The largest integer accepted (uint64, the widest CKafka integer)."""

JSONPath = tuple[Union[str, int], ...]
"""Where a value is: the keys and list indexes that lead to it from the document's root."""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONValueError(CKafkaUsageError):
    """A value that is not standard JSON (or is out of range); ``path`` says where it is."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


class JSONSyntaxError(CKafkaUsageError):
    """Text that is not JSON at all; ``reason`` is the decoder's (line and column)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source} is not valid JSON: {reason}")
        self.reason = reason


class NumberError(ValueError):
    """A number JSON text can spell but no standard JSON value holds; ``problem`` says why."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def parse_constant(text: str) -> NoReturn:
    """The decoder hook for ``NaN``, ``Infinity`` and ``-Infinity``: always refused.

    >>> parse_constant("NaN")
    Traceback (most recent call last):
    ...
    pytest_ckafka.api.strict_json.NumberError: NaN is not standard JSON: send a finite number
    """
    raise NumberError(f"{text} is not standard JSON: send a finite number")


def parse_int(text: str) -> int:
    """``text`` (a signed run of digits) as an int from :data:`MIN_INT` to :data:`MAX_INT`.

    >>> parse_int("-42"), parse_int("007")
    (-42, 7)
    >>> parse_int("1" + "0" * 30)
    Traceback (most recent call last):
    ...
    pytest_ckafka.api.strict_json.NumberError: the integer 10000000000000000000... (31 digits) \
is out of range (-2**63 to 2**64-1)
    """
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) <= 20:  # 2**64 has 20 digits: only these can be in range (and int() is cheap)
        value = int(text)
        if MIN_INT <= value <= MAX_INT:
            return value
    shown = text if len(text) <= 24 else f"{text[:20]}... ({len(digits)} digits)"
    raise NumberError(f"the integer {shown} is out of range (-2**63 to 2**64-1)")


def parse_float(text: str) -> float:
    """``text`` (a JSON number with a fraction or an exponent) as a finite float.

    >>> parse_float("2.5e3")
    2500.0
    >>> parse_float("1e400")
    Traceback (most recent call last):
    ...
    pytest_ckafka.api.strict_json.NumberError: 1e400 is out of range: send a finite number
    """
    value = float(text)
    if math.isfinite(value):
        return value
    raise NumberError(f"{text[:24]} is out of range: send a finite number")


class _Refused:
    """A number the decoder met but must not convert: kept as text, refused by the checker."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem


def _kept(hook: Callable[[str], Any]) -> Callable[[str], Any]:
    """``hook`` returning its refusal as a value, so a whole document is decoded and walked."""

    def decode(text: str) -> Any:
        try:
            return hook(text)
        except NumberError as error:
            return _Refused(error.problem)

    return decode


_KEEP_CONSTANT, _KEEP_INT, _KEEP_FLOAT = _kept(parse_constant), _kept(parse_int), _kept(parse_float)


def _decode_keeping(data: Union[bytes, str]) -> Any:
    return json.loads(
        data, parse_constant=_KEEP_CONSTANT, parse_int=_KEEP_INT, parse_float=_KEEP_FLOAT
    )


def format_path(root: str, path: JSONPath) -> str:
    """``root`` then ``[0]`` for a list index, ``.name`` for a key (``["odd key"]`` if odd).

    >>> format_path("stubs", (0, "params", "Limit"))
    'stubs[0].params.Limit'
    >>> format_path("", ("advance",)), format_path("seed", ())
    ('advance', 'seed')
    """
    text, shown = root, path if len(path) <= 12 else path[:12]
    for step in shown:
        if isinstance(step, int):
            text += f"[{step}]"
        elif _NAME.fullmatch(step):
            text += f".{step}" if text else step
        else:  # ASCII-escaped: a message must never carry a lone surrogate itself
            text += f"[{json.dumps(step)}]"
    if len(shown) < len(path):
        text += "..."
    return text or "the body"


def first_problem(value: Any, *, check_ints: bool = True) -> Optional[tuple[JSONPath, str]]:
    """The first value that is not standard JSON, in document order: ``(path, problem)``.

    Non-finite floats, integers out of :data:`MIN_INT`..:data:`MAX_INT` (unless
    ``check_ints`` is false), lone surrogates in strings or keys, nesting deeper than
    :data:`MAX_DEPTH`, and values JSON has no type for. Iterative: never a
    ``RecursionError``.

    >>> first_problem({"stubs": [{"times": float("nan")}]})
    (('stubs', 0, 'times'), 'NaN is not standard JSON: send a finite number')
    >>> first_problem({"ok": [1, "two", None, True, 2.5]}) is None
    True
    """
    problem = _scalar_problem(value, check_ints)
    if problem is not None or not isinstance(value, (Mapping, list, tuple)):
        return None if problem is None else ((), problem)
    # One frame per open container: [its (key, child) iterator, is it an object, the key
    # being visited]. The path is read off the frames only when a problem is found, so a
    # large state costs no tuple per value.
    frames: list[list[Any]] = [[*_members(value), None]]
    while frames:
        frame = frames[-1]
        for key, child in frame[0]:
            frame[2] = key
            if frame[1] and (type(key) is not str or not key.isascii()):
                if not isinstance(key, str):
                    frame[2] = repr(key)
                    return _path(frames[:-1]), f"has a key that is not a string: {key!r}"
                if _SURROGATE.search(key):
                    return _path(frames), _surrogate_problem("key", key)
            kind = type(child)
            if kind is str:
                if child.isascii() or not _SURROGATE.search(child):
                    continue
                return _path(frames), _surrogate_problem("string", child)
            if kind is bool or child is None:
                continue
            if kind is int and (not check_ints or MIN_INT <= child <= MAX_INT):
                continue
            if isinstance(child, (Mapping, list, tuple)):
                if len(frames) >= MAX_DEPTH:
                    return _path(frames), f"is nested more than {MAX_DEPTH} levels deep"
                frames.append([*_members(child), None])
                break
            problem = _scalar_problem(child, check_ints)
            if problem is not None:
                return _path(frames), problem
        else:
            frames.pop()
    return None


def _members(container: Any) -> tuple[Any, bool]:
    """An iterator of ``(key or index, child)`` and whether ``container`` is an object."""
    if isinstance(container, Mapping):
        return iter(container.items()), True
    return enumerate(container), False


def _path(frames: list[list[Any]]) -> JSONPath:
    return tuple(frame[2] for frame in frames)


def _scalar_problem(item: Any, check_ints: bool) -> Optional[str]:
    if item is None or isinstance(item, (bool, Mapping, list, tuple)):
        return None
    if isinstance(item, str):
        return (
            None
            if item.isascii() or not _SURROGATE.search(item)
            else _surrogate_problem("string", item)
        )
    if isinstance(item, int):
        if check_ints and not MIN_INT <= item <= MAX_INT:
            return _problem(parse_int, str(item))
        return None
    if isinstance(item, float):
        return None if math.isfinite(item) else _problem(parse_constant, _FLOAT_NAMES[repr(item)])
    if isinstance(item, _Refused):
        return item.problem
    return f"{type(item).__name__} is not a JSON value"


_FLOAT_NAMES = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _problem(hook: Callable[[str], Any], text: str) -> str:
    refused = _kept(hook)(text)
    assert isinstance(refused, _Refused)
    return refused.problem


def _surrogate_problem(what: str, text: str) -> str:
    match = _SURROGATE.search(text)
    assert match is not None
    # The wording of limits.data_problem, so a lone surrogate reads the same everywhere.
    return (
        f"the {what} holds a lone surrogate ({limits.escape(match.group())} at character "
        f"{match.start()}), which is not Unicode text"
    )


def loads(data: Union[bytes, str], root: str = "", *, source: str = "the body") -> Any:
    """Decode standard JSON; anything else raises :class:`CKafkaUsageError` naming where.

    ``root`` names a list document in a path (``"stubs"`` gives ``stubs[0].times``);
    the members of an object document are named alone (``times``). ``source``
    names the document in a syntax error.

    >>> loads(b'{"advance": 60}')
    {'advance': 60}
    >>> try:
    ...     loads(b'[{"times": NaN}]', "stubs")
    ... except JSONValueError as error:
    ...     print(error)
    stubs[0].times: NaN is not standard JSON: send a finite number
    """
    try:
        value = _decode_keeping(data)
    except RecursionError:
        deep = f"is nested more than {MAX_DEPTH} levels deep"
        raise JSONValueError(root or "the body", deep) from None
    except ValueError as exc:  # UnicodeDecodeError included
        raise JSONSyntaxError(source, str(exc)) from None
    _refuse(first_problem(value), root if isinstance(value, list) else "")
    return value


def number_problem(text: str) -> Optional[tuple[JSONPath, str]]:
    """The first value of JSON ``text`` that is not standard, as :func:`first_problem` says.

    For a decoder that stopped at the first :class:`NumberError` of its hooks and
    now wants to say where it was (``None`` if ``text`` does not decode at all).

    >>> number_problem('{"Tags": [{"TagValue": 1e400}]}')
    (('Tags', 0, 'TagValue'), '1e400 is out of range: send a finite number')
    """
    try:
        value = _decode_keeping(text)
    except (ValueError, RecursionError):
        return None
    return first_problem(value)


def _refuse(problem: Optional[tuple[JSONPath, str]], root: str) -> None:
    if problem is not None:
        raise JSONValueError(format_path(root, problem[0]), problem[1])


def dumps(value: Any, root: str = "", *, indent: Optional[int] = None) -> str:
    """Encode ``value`` as standard JSON text; what :func:`loads` refuses raises instead.

    >>> try:
    ...     dumps([{"now": float("inf")}], "clocks")
    ... except JSONValueError as error:
    ...     print(error.path, "|", error.problem)
    clocks[0].now | Infinity is not standard JSON: send a finite number
    """
    _refuse(first_problem(value), root if isinstance(value, list) else "")
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)


def dumps_lenient(value: Any) -> bytes:
    """Compact UTF-8 standard JSON of anything: what is not JSON is replaced, never raised.

    For answers that must always be valid JSON (the call log, the stubs, the
    state): a non-finite float becomes the string ``"NaN"``/``"Infinity"``, a lone
    surrogate U+FFFD, an unknown type its ``repr``, nesting beyond :data:`MAX_DEPTH`
    the string ``"..."``.

    >>> dumps_lenient({"Limit": float("nan"), "Name": "a\\ud800"}).decode()
    '{"Limit":"NaN","Name":"a\ufffd"}'
    """
    try:
        return compact_json(value, standard=True).encode("utf-8")
    except (ValueError, TypeError, RecursionError):  # UnicodeEncodeError is a ValueError
        pass
    clean = _replaced(value, 0)
    return compact_json(clean).encode("utf-8")


def _replaced(item: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        return "..."
    if item is None or isinstance(item, (bool, int)):
        return item
    if isinstance(item, float):
        return item if math.isfinite(item) else _FLOAT_NAMES[repr(item)]
    if isinstance(item, str):
        return _SURROGATE.sub("\ufffd", item)
    if isinstance(item, Mapping):
        return {_replaced(str(k), depth): _replaced(v, depth + 1) for k, v in item.items()}
    if isinstance(item, (list, tuple)):
        return [_replaced(v, depth + 1) for v in item]
    return _replaced(repr(item), depth)
