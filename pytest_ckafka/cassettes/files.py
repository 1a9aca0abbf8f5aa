"""Read and write cassette files: vcrpy's YAML format, loaded safely, written atomically.

What is written is exactly what vcrpy's own serializer writes (``version: 1``,
``interactions`` of ``request``/``response`` mappings, keys sorted, bodies as
readable strings), so a cassette stays a valid vcrpy cassette. What is read is
checked, and a bad file is reported with its path and line, the way a compiler
would: ``cassettes/x.yaml:12: interactions[0].response.status.code must be an
integer, got 'OK'``.

Writes never leave a half-written file: the new content goes to a temporary
file in the same folder, is flushed to disk, then renamed over the cassette.
An exclusive ``fcntl.flock`` on a sibling ``<name>.lock`` file is held around
read-merge-write, so pytest-xdist workers recording into the same cassette keep
each other's interactions. (Windows has no ``flock``; there, saves are atomic but
not serialized between processes.)

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "DescribeTopic.yaml"
>>> call = Interaction("POST", "https://ckafka.tencentcloudapi.com/",
...     {"X-TC-Action": ["DescribeTopic"]}, b'{"InstanceId":"ckafka-1"}',
...     200, "OK", {"Content-Type": ["application/json"]}, b'{"Response":{"RequestId":"r"}}')
>>> save(path, [call], merge=True)
>>> load(path) == [call]
True
"""

from __future__ import annotations

import collections
import gc
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union
from urllib.parse import parse_qsl, urlsplit

import yaml

from ..api import strict_json
from ..api.spec import load_spec
from ..exceptions import CassetteFormatError

if sys.platform != "win32":
    import fcntl

if TYPE_CHECKING:
    from .rewrite import RewriteRun

__all__ = [
    "FORMAT_VERSION",
    "Interaction",
    "check_version",
    "dumps",
    "load",
    "save",
]

FORMAT_VERSION = 1
"""The vcrpy cassette format version written and accepted."""

# Any HTTP status a server can send; a 0 or 2000 is a hand edit gone wrong.
_STATUS_RANGE = (100, 599)

try:  # libyaml is much faster on big cassettes; the pure-Python classes behave the same
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


@dataclass(frozen=True)
class Interaction:
    """One recorded request and its response, bodies as bytes.

    Headers map a name to its values, as vcrpy stores them. ``line`` is where the
    interaction starts in the file it was loaded from (for error messages); it
    takes no part in comparisons.
    """

    method: str
    uri: str
    headers: dict[str, list[str]]
    body: bytes
    status: int
    reason: str
    response_headers: dict[str, list[str]]
    response_body: bytes
    line: Optional[int] = field(default=None, compare=False, repr=False)


class _DuplicateKey(yaml.MarkedYAMLError):
    """A mapping that gives one key twice: YAML would silently keep the last value."""


class _Loader(_BaseLoader):
    """YAML's safe loader, plus the harmless plain-value tags older vcrpy versions wrote.

    It also refuses a mapping that repeats a key, which PyYAML would silently
    resolve by keeping the last value: in a hand-edited cassette that is almost
    always a mistake (a status or a header edited in the wrong copy).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        _check_unique_keys(self, node)
        return super().construct_mapping(node, deep=deep)


def _check_unique_keys(loader: _Loader, node: yaml.MappingNode) -> None:
    if not isinstance(node, yaml.MappingNode):
        return  # the base constructor reports what is not a mapping
    seen: dict[tuple[type, Any], yaml.Node] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` entries may be overridden on purpose
        key = loader.construct_object(key_node, deep=True)
        try:
            # By type too: `1` and `true` are two keys to YAML, though Python finds them equal.
            first = seen.setdefault((type(key), key), key_node)
        except TypeError:
            continue  # an unhashable key: the base constructor says so
        if first is not key_node:
            raise _DuplicateKey(
                problem=f"duplicate key {key!r} (also at line {first.start_mark.line + 1})",
                problem_mark=key_node.start_mark,
            )


def _construct_str(loader: Any, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)


def _construct_tuple(loader: Any, node: yaml.Node) -> Any:
    return list(loader.construct_sequence(node))


_Loader.add_constructor("tag:yaml.org,2002:python/str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:python/unicode", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:python/tuple", _construct_tuple)


# -- reading ---------------------------------------------------------------------------


def load(path: Path) -> list[Interaction]:
    """Return the interactions recorded in ``path``; ``[]`` when it is missing or empty.

    Raises :class:`CassetteFormatError` naming the file and line for a directory
    or an unreadable file, invalid UTF-8, invalid YAML, unsafe tags, a key given
    twice in one mapping, or a document that is not a vcrpy cassette (a status
    outside 100..599 included).
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    except IsADirectoryError:
        raise CassetteFormatError(
            f"{path}:1: the cassette is a directory, not a file; move the directory "
            "away or give @pytest.mark.ckafka_cassette another name"
        ) from None
    except OSError as exc:
        raise CassetteFormatError(f"{path}:1: cannot be read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CassetteFormatError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip():
        # vcrpy treats an empty file as a missing cassette, to be recorded again.
        return []
    # PyYAML allocates a node per scalar; the cyclic collector firing again and
    # again over them makes large cassettes load in quadratic time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        node, data = _parse(path, text)
        if node is None:  # only comments: as empty as an empty file
            return []
        return _interactions(path, node, data)
    finally:
        if collecting:
            gc.enable()


def _parse(path: Path, text: str) -> tuple[Optional[yaml.Node], Any]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise CassetteFormatError(_yaml_problem(path, exc)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks all it raises from text
        raise CassetteFormatError(f"{path}: invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return node, data


def _yaml_problem(path: Path, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    if isinstance(exc, _DuplicateKey):
        return f"{where}: {exc.problem}; YAML would silently keep only the last, remove one"
    if isinstance(exc, yaml.constructor.ConstructorError):
        # Safe loading refuses any tag that would build a Python object.
        return f"{where}: unsafe or unknown YAML tag refused: {exc.problem}"
    text = f"{where}: invalid YAML: {exc.problem}"
    if exc.context and exc.context_mark is not None:
        text += f" ({exc.context} at line {exc.context_mark.line + 1})"
    return text


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return repr(value)


class _Node:
    """A constructed value with the YAML node it came from, for line numbers."""

    def __init__(self, path: Path, node: Optional[yaml.Node], value: Any, where: str) -> None:
        self.path = path
        self.node = node
        self.value = value
        self.where = where

    @property
    def line(self) -> Optional[int]:
        return self.node.start_mark.line + 1 if self.node is not None else None

    def fail(self, problem: str) -> CassetteFormatError:
        prefix = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return CassetteFormatError(f"{prefix}: {self.where or 'the cassette'} {problem}")

    def child(self, key: Union[str, int], required: bool = True) -> Optional[_Node]:
        where = f"{self.where}[{key}]" if isinstance(key, int) else f"{self.where}.{key}"
        where = where.lstrip(".")
        if isinstance(key, int):
            nodes = self.node.value if isinstance(self.node, yaml.SequenceNode) else None
            return _Node(self.path, nodes[key] if nodes else None, self.value[key], where)
        if key not in self.value:
            if required:
                raise self.fail(f"has no `{key}`")
            return None
        sub = None
        if isinstance(self.node, yaml.MappingNode):
            for key_node, value_node in self.node.value:
                if getattr(key_node, "value", None) == key:
                    sub = value_node
        return _Node(self.path, sub if sub is not None else self.node, self.value[key], where)

    def mapping(self) -> _Node:
        if not isinstance(self.value, Mapping):
            raise self.fail(f"must be a mapping, got {_kind(self.value)}")
        return self

    def text(self, default: Optional[str] = None) -> str:
        if self.value is None and default is not None:
            return default
        if not isinstance(self.value, str):
            raise self.fail(f"must be a string, got {_kind(self.value)}")
        return self.value

    def body(self) -> bytes:
        if self.value is None:
            return b""
        if isinstance(self.value, bytes):
            return self.value
        if isinstance(self.value, str):
            return self.value.encode("utf-8")
        raise self.fail(f"must be a string, binary or null, got {_kind(self.value)}")

    def headers(self) -> dict[str, list[str]]:
        self.mapping()
        result: dict[str, list[str]] = {}
        seen: dict[str, str] = {}  # lower case -> as written
        for name, values in self.value.items():
            item = self.child(name)
            assert item is not None
            if not isinstance(name, str):
                raise self.fail(f"header names must be strings, got {name!r}")
            first = seen.setdefault(name.lower(), name)
            if first != name:  # HTTP header names ignore case: which one would be sent?
                raise item.fail(
                    f"repeats the header `{first}` (header names ignore case); "
                    "keep one, with every value in its list"
                )
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise item.fail(f"must be a list of strings, got {_kind(values)}")
            result[name] = list(values)
        return result


def _interactions(path: Path, node: yaml.Node, data: Any) -> list[Interaction]:
    top = _Node(path, node, data, "")
    if not isinstance(data, Mapping):
        raise top.fail(
            f"must be a mapping with `version: {FORMAT_VERSION}` and `interactions` "
            f"(vcrpy's cassette format), got {_kind(data)}"
        )
    version = top.child("version", required=False)
    if version is not None and (isinstance(version.value, bool) or version.value != FORMAT_VERSION):
        raise version.fail(
            f"must be {FORMAT_VERSION} (vcrpy's cassette format), got {_kind(version.value)}"
        )
    listed = _required(top, "interactions")
    if not isinstance(listed.value, list):
        raise listed.fail(f"must be a list, got {_kind(listed.value)}")
    return [_interaction(_item(listed, index)) for index in range(len(listed.value))]


def _interaction(item: _Node) -> Interaction:
    item.mapping()
    request = _required(item, "request").mapping()
    response = _required(item, "response").mapping()
    method = _required(request, "method").text()
    uri = _required(request, "uri").text()
    headers = _required(request, "headers").headers()
    body = _required(request, "body").body()
    status = _required(response, "status").mapping()
    code = _required(status, "code")
    if isinstance(code.value, bool) or not isinstance(code.value, int):
        raise code.fail(f"must be an integer, got {_kind(code.value)}")
    if not _STATUS_RANGE[0] <= code.value <= _STATUS_RANGE[1]:
        raise code.fail(
            f"must be an HTTP status from {_STATUS_RANGE[0]} to {_STATUS_RANGE[1]}, "
            f"got {code.value}"
        )
    message = status.child("message", required=False)
    response_headers = _required(response, "headers").headers()
    body_node = _required(_required(response, "body").mapping(), "string")
    response_body = body_node.body()
    _check_json_body(body_node, response_headers, response_body)
    return Interaction(
        method=method,
        uri=uri,
        headers=headers,
        body=body,
        status=code.value,
        reason=message.text(default="") if message is not None else "",
        response_headers=response_headers,
        response_body=response_body,
        line=item.line,
    )


def _check_json_body(node: _Node, headers: dict[str, list[str]], body: bytes) -> None:
    """A hand-edited JSON answer must still be JSON: fail here, naming the line."""
    content_type = next((v[0] for k, v in headers.items() if k.lower() == "content-type"), "")
    if not content_type.startswith("application/json") or not body.strip():
        return
    try:
        strict_json.loads(body)  # one depth limit, standard numbers and text, never recursion
    except strict_json.JSONSyntaxError as exc:
        raise node.fail(f"is not valid JSON ({exc.reason}); re-record it or fix the edit") from None
    except strict_json.JSONValueError as exc:
        raise node.fail(f"cannot be replayed ({exc}); re-record it or fix the edit") from None


def _item(parent: _Node, index: int) -> _Node:
    found = parent.child(index)
    assert found is not None
    return found


def _required(parent: _Node, key: str) -> _Node:
    found = parent.child(key)
    assert found is not None  # child() raises for a missing required key
    return found


# -- writing ---------------------------------------------------------------------------


def _readable(body: bytes) -> Union[str, bytes]:
    # As vcrpy's compat.convert_to_unicode: text as a plain YAML string, other
    # bytes kept as bytes (YAML !!binary), which vcrpy reads back as bytes.
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body


def _as_dict(interaction: Interaction) -> dict[str, Any]:
    return {
        "request": {
            "body": _readable(interaction.body),
            "headers": {k: list(v) for k, v in interaction.headers.items()},
            "method": interaction.method,
            "uri": interaction.uri,
        },
        "response": {
            "body": {"string": _readable(interaction.response_body)},
            "headers": {k: list(v) for k, v in interaction.response_headers.items()},
            "status": {"code": interaction.status, "message": interaction.reason},
        },
    }


def dumps(interactions: Iterable[Interaction]) -> str:
    """Serialize ``interactions`` exactly as vcrpy's YAML serializer would (keys sorted).

    >>> print(dumps([]), end="")
    interactions: []
    version: 1
    """
    data = {"interactions": [_as_dict(i) for i in interactions], "version": FORMAT_VERSION}
    return yaml.dump(data, Dumper=_Dumper, sort_keys=True)


def _identity(interaction: Interaction) -> tuple[Any, ...]:
    return (
        interaction.method,
        interaction.uri,
        tuple(sorted((k, tuple(v)) for k, v in interaction.headers.items())),
        interaction.body,
        interaction.status,
        interaction.reason,
        tuple(sorted((k, tuple(v)) for k, v in interaction.response_headers.items())),
        interaction.response_body,
    )


def save(
    path: Path,
    interactions: Iterable[Interaction],
    *,
    merge: bool,
    run: Optional[RewriteRun] = None,
) -> None:
    """Write ``interactions`` to ``path`` atomically, creating parent folders.

    ``merge=True`` appends them to what is on disk at the moment of writing,
    skipping those already there (as many times as they are there: a call
    recorded twice on purpose stays twice). ``merge=False`` replaces the file;
    with a ``run``, only on that test run's first save of ``path`` (by any of
    its processes), and later saves of the run merge: how ``rewrite`` keeps
    every test of the run. On any failure, including Ctrl-C, the previous file
    is left as it was.
    """
    path = Path(path)
    ours = list(interactions)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_name(path.name + ".lock")):
        if not merge and run is not None:
            merge = not run.claim(path)
        if merge:
            existing = load(path)
            on_disk = collections.Counter(_identity(i) for i in existing)
            merged = list(existing)
            for interaction in ours:
                key = _identity(interaction)
                if on_disk[key]:
                    on_disk[key] -= 1
                else:
                    merged.append(interaction)
            ours = merged
        _write_atomically(path, dumps(ours).encode("utf-8"))


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) everywhere.
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    if sys.platform == "win32":  # pragma: no cover
        yield
        return
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            # The holder before us deletes the lock file when done; if we locked
            # a file that is no longer at lock_path, another process may hold a
            # newer one, so start again on the file that is there now.
            if os.stat(lock_path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        # Deleted while still locked, so no lock file is left next to the cassette.
        with suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


# -- checking --------------------------------------------------------------------------


def _recorded_version(interaction: Interaction) -> Optional[str]:
    for name, values in interaction.headers.items():
        if name.lower() == "x-tc-version" and values:
            return values[0]
    flat = dict(parse_qsl(urlsplit(interaction.uri).query, keep_blank_values=True))
    if "Version" in flat:
        return flat["Version"]
    content_type = ""
    for name, values in interaction.headers.items():
        if name.lower() == "content-type" and values:
            content_type = values[0]
    if "x-www-form-urlencoded" in content_type.lower():
        try:
            form = dict(parse_qsl(interaction.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return None
        return form.get("Version")
    return None


def check_version(interactions: Iterable[Interaction], path: Path) -> None:
    """Raise :class:`CassetteFormatError` unless every request used the spec's API version."""
    expected = load_spec().version
    for index, interaction in enumerate(interactions):
        found = _recorded_version(interaction)
        if found == expected:
            continue
        where = f"{path}:{interaction.line}" if interaction.line is not None else str(path)
        what = f"API version {found!r}" if found is not None else "no API version"
        raise CassetteFormatError(
            f"{where}: interactions[{index}] was recorded with {what}, but pytest-ckafka "
            f"replays CKafka {expected}; re-record this cassette against {expected}."
        )
