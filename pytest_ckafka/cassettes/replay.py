"""Answer calls from a recorded cassette, by what identifies a CKafka call.

vcrpy compares every request with every recorded one, on the URL and body, so
on this API (one URL, the action in a header, a fresh signature per call) it
cannot tell calls apart and it slows down as the cassette grows. Here each
recorded interaction is parsed once, keyed on its action, version, region and
canonical parameters, and queued under that key: answering a call is one dict
lookup and one ``popleft``, and identical calls replay in recorded order.

Pure Python: interactions in, :class:`~pytest_ckafka.api.envelopes.Reply` out.

>>> from pathlib import Path
>>> from pytest_ckafka.cassettes.files import Interaction
>>> from pytest_ckafka.api.protocol import parse_request
>>> from pytest_ckafka.api.scrub.scrubbers import Scrubbers
>>> recorded = Interaction(
...     method="POST", uri="https://ckafka.tencentcloudapi.com/",
...     headers={"X-TC-Action": ["DescribeTopic"], "X-TC-Version": ["2019-08-19"],
...              "Content-Type": ["application/json"]},
...     body=b'{"InstanceId": "ckafka-1"}', status=200, reason="OK",
...     response_headers={"Content-Type": ["application/json"]},
...     response_body=b'{"Response": {"RequestId": "r-1"}}')
>>> replayer = Replayer(Path("x.yaml"), [recorded], Scrubbers(), existed=True)
>>> call = parse_request("POST", "https://ckafka.ap-guangzhou.tencentcloudapi.com/",
...     {"X-TC-Action": "DescribeTopic", "X-TC-Version": "2019-08-19",
...      "Content-Type": "application/json"}, b'{"InstanceId":"ckafka-1"}')
>>> replayer.answer(call, call.host, "r-2").body
b'{"Response": {"RequestId": "r-1"}}'
>>> replayer.answer(call, call.host, "r-3") is None  # the one recording was played
True
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from ..api.envelopes import Reply
from ..api.hosts import normal_host
from ..api.protocol import ParsedRequest, ProtocolError, parse_request
from ..api.spec import load_spec
from ..api.suggest import unknown_name_message
from ..api.wire import compact_json
from ..exceptions import CKafkaUsageError
from .paths import shown_path
from .record_mode import RecordMode

if TYPE_CHECKING:
    from ..api.scrub.scrubbers import Scrubbers
    from .files import Interaction

__all__ = ["DEFAULT_MATCH_ON", "MATCH_FIELDS", "Replayer"]

#: The fields a call can be matched on. Signatures, timestamps, nonces, trace
#: ids and SDK headers are deliberately not among them: they change every call.
MATCH_FIELDS: tuple[str, ...] = ("action", "version", "region", "params", "host")
DEFAULT_MATCH_ON: tuple[str, ...] = ("action", "version", "region", "params")

_SHOWN_CANDIDATES = 3
_SHOWN_DIFF_LINES = 8
_SHOWN_PARAMS_CHARS = 400


@dataclass(frozen=True)
class _Entry:
    """One parsed recorded interaction; ``position`` is its index in the cassette."""

    position: int
    interaction: Interaction
    parsed: ParsedRequest
    host: str
    key: tuple[Any, ...]


class Replayer:
    """The interactions of one cassette, indexed for O(1) replay.

    ``match_on`` names the fields that must be equal for a recorded interaction
    to answer a call (any of :data:`MATCH_FIELDS`). ``existed`` says whether the
    cassette file was there when the test started, which decides ``once``.
    Requests that cannot be read as CKafka calls are kept aside and named in
    :meth:`miss_message` rather than failing the test at load time.
    """

    recording: bool
    """True when calls that miss go to the network and are recorded."""

    def __init__(
        self,
        path: Path,
        interactions: Sequence[Interaction],
        scrubbers: Scrubbers,
        *,
        match_on: tuple[str, ...] = DEFAULT_MATCH_ON,
        record_mode: Union[RecordMode, str] = RecordMode.NONE,
        existed: bool,
        library: bool = False,
    ) -> None:
        self.library = library  # a shipped example: it cannot be recorded into
        mode = RecordMode.parse(record_mode)
        for name in match_on:
            if name not in MATCH_FIELDS:
                raise CKafkaUsageError(
                    unknown_name_message("match_on field", name, MATCH_FIELDS)
                    + f" Received match_on={tuple(match_on)!r}."
                )
        self.path = path
        self.record_mode = mode
        self.existed = existed
        self.match_on = tuple(dict.fromkeys(match_on))  # drop repeats, keep the order
        self._scrubbers = scrubbers
        self.recording = mode.records(existed=existed)
        self._replaying = mode.replays(existed=existed)
        self._lock = threading.Lock()
        self._count = len(interactions)
        self._entries: list[_Entry] = []
        self._unreadable: list[tuple[int, Interaction, str]] = []
        self._queues: dict[tuple[Any, ...], deque[_Entry]] = {}
        self._recorded: Counter[tuple[Any, ...]] = Counter()
        for position, interaction in enumerate(interactions):
            try:
                parsed = parse_request(
                    interaction.method,
                    interaction.uri,
                    _first_values(interaction.headers),
                    interaction.body,
                )
            except ProtocolError as exc:
                self._unreadable.append((position, interaction, str(exc)))
                continue
            host = normal_host(parsed.host)
            key = self.key(parsed, host)
            entry = _Entry(position, interaction, parsed, host, key)
            self._entries.append(entry)
            self._queues.setdefault(key, deque()).append(entry)
            self._recorded[key] += 1

    def key(self, parsed: ParsedRequest, host: str) -> tuple[Any, ...]:
        """The match key of a call: one value per ``match_on`` field, in that order.

        Parameters go through the scrubbers first, so a live ``Password`` keys the
        same as the ``SCRUBBED`` one written to the cassette (and so does any other
        parameter holding the call's password, SecretId or token).
        """
        values: list[Any] = []
        for name in self.match_on:
            if name == "params":
                values.append(self._canonical_params(parsed))
            elif name == "host":
                values.append(normal_host(host))
            else:
                values.append(getattr(parsed, name) or "")
        return tuple(values)

    def answer(
        self, parsed: ParsedRequest, host: str, request_id: str, *, peek: bool = False
    ) -> Optional[Reply]:
        """The next recorded reply for this call, or None on a miss (``peek``: don't consume).

        The recorded status, headers and body are replayed as they are on disk,
        the recorded ``RequestId`` included (``request_id`` is not spliced in, so
        a replay is byte-for-byte the recording). Always None in ``all`` and
        ``rewrite`` modes, which never replay.
        """
        if not self._replaying:
            return None
        key = self.key(parsed, host)
        with self._lock:
            queue = self._queues.get(key)
            if not queue:
                return None
            entry = queue[0] if peek else queue.popleft()
        return _reply(entry.interaction)

    def miss_message(self, parsed: ParsedRequest, host: str, nodeid: Optional[str]) -> str:
        """Explain why no recorded interaction answers this call, and how to record it."""
        call_params = self._scrubbed(parsed)
        call_host = normal_host(host)
        key = self.key(parsed, host)
        missing = not self.existed and not self._count
        where = f": the cassette {shown_path(self.path)} does not exist" if missing else ""
        lines = [f"pytest-ckafka: no recorded answer for this {parsed.action} call{where}.", ""]
        lines += self._describe_call(parsed, call_params, call_host)
        lines.append("")
        with self._lock:
            left = len(self._queues.get(key, ()))
        recorded = self._recorded[key]
        if recorded and not left:
            same = [_where(e.position, e.interaction) for e in self._entries if e.key == key]
            times = "once" if recorded == 1 else f"{recorded} times"
            every = "the one recorded interaction" if recorded == 1 else f"all {recorded}"
            noun = "" if recorded == 1 else " recorded interactions"
            lines.append(
                f"This call was recorded {times}, and {every}{noun} for this call "
                f"{'was' if recorded == 1 else 'were'} already played ({', '.join(same)}): "
                "the test made this call more times than the recording did."
            )
        elif missing:
            lines.append(
                "Nothing has been recorded at that path yet (if the cassette was moved, check "
                "the marker's name and the ini option ckafka_cassette_dir)."
            )
        elif not self._count:
            lines.append("The cassette has no interactions at all.")
        else:
            lines += self._closest(parsed, call_params, call_host, key)
        if self._unreadable:
            lines.append("")
            lines += self._describe_unreadable()
        if self.library:
            lines += [
                "",
                "This is a documented example shipped with pytest-ckafka: send the documented",
                'params, replay it for any params with match_on=("action", "version"), or',
                "record your own cassette under another name.",
            ]
        else:
            lines += [
                "",
                "To record it, run:" if missing else "To record this call into the cassette, run:",
                "  "
                + _record_command(nodeid, RecordMode.ONCE if missing else RecordMode.NEW_EPISODES),
            ]
        return "\n".join(lines)

    # -- building blocks -------------------------------------------------

    def _canonical_params(self, parsed: ParsedRequest) -> str:
        return compact_json(_canonical(self._scrubbed(parsed)), sort_keys=True)

    def _scrubbed(self, parsed: ParsedRequest) -> dict[str, Any]:
        # The call's own credentials too: recording scrubbed them from its params.
        values = [v for v in (parsed.secret_id, parsed.token) if v]
        return self._scrubbers.scrub_params(parsed.action, parsed.params, values=values)

    def _describe_call(
        self, parsed: ParsedRequest, params: Mapping[str, Any], host: str
    ) -> list[str]:
        size = {0: "no interactions", 1: "1 interaction"}.get(
            self._count, f"{self._count} interactions"
        )
        if not self.existed and not self._count:
            size = "does not exist"
        lines = [
            f"  action:   {parsed.action or '(none)'}",
            f"  version:  {parsed.version or '(none)'}",
            f"  region:   {parsed.region or '(none)'}",
            f"  params:   {_short(_json(params))}",
        ]
        if "host" in self.match_on:
            lines.append(f"  host:     {host or '(none)'}")
        lines.append(
            f"  cassette: {shown_path(self.path)} ({size}, record mode {self.record_mode.value!r})"
        )
        return lines

    def _closest(
        self,
        parsed: ParsedRequest,
        params: Mapping[str, Any],
        host: str,
        key: tuple[Any, ...],
    ) -> list[str]:
        lines: list[str] = []
        if not any(e.parsed.action == parsed.action for e in self._entries):
            counts = Counter(e.parsed.action for e in self._entries)
            recorded = ", ".join(
                f"{action} ({n}{_unknown_note(action, ', ')})"
                for action, n in sorted(counts.items())
            )
            lines.append(
                f"The cassette has no {parsed.action} call; it records "
                f"{recorded or 'no readable call'}."
            )
        flat_call = _flatten(params)
        ranked: list[tuple[tuple[Any, ...], list[str], _Entry]] = []
        for entry in self._entries:
            if entry.key == key:
                continue  # the same call: it cannot be what made this one miss
            if entry.parsed.action == parsed.action:
                diff = self._diff(parsed, flat_call, host, entry)
                rank: tuple[Any, ...] = (0, len(diff), entry.position)
            else:
                # Another action's params are not comparable; a near-identical
                # name (a typo, a renamed action) is the likeliest culprit.
                similarity = SequenceMatcher(None, parsed.action, entry.parsed.action).ratio()
                diff = []
                rank = (1, -similarity, entry.position)
            ranked.append((rank, diff, entry))
        ranked.sort(key=lambda item: item[0])
        if not ranked:
            return lines
        if lines:
            lines.append("")
        lines.append("Closest recorded interactions:")
        for _, diff, entry in ranked[:_SHOWN_CANDIDATES]:
            lines += self._describe_candidate(parsed, diff, entry)
        if len(ranked) > _SHOWN_CANDIDATES:
            more = len(ranked) - _SHOWN_CANDIDATES
            lines.append(f"  ... and {more} more recorded interaction{'s' if more > 1 else ''}")
        return lines

    def _describe_candidate(
        self, parsed: ParsedRequest, diff: list[str], entry: _Entry
    ) -> list[str]:
        action = entry.parsed.action
        head = f"  {_where(entry.position, entry.interaction)} {action}"
        if action != parsed.action:
            params = _short(_json(self._scrubbed(entry.parsed)))
            return [
                f"{head}, another action{_unknown_note(action, ' (', ')')}:",
                f"      params: {params}",
            ]
        count = len(diff)
        lines = [f"{head}, {'1 difference' if count == 1 else f'{count} differences'}:"]
        lines += [f"      {line}" for line in diff[:_SHOWN_DIFF_LINES]]
        if count > _SHOWN_DIFF_LINES:
            lines.append(f"      ... and {count - _SHOWN_DIFF_LINES} more")
        return lines

    def _diff(
        self, parsed: ParsedRequest, flat_call: Mapping[str, Any], host: str, entry: _Entry
    ) -> list[str]:
        lines: list[str] = []
        recorded = entry.parsed
        for name in ("version", "region", "host"):
            if name not in self.match_on:
                continue
            mine = host if name == "host" else getattr(parsed, name)
            theirs = entry.host if name == "host" else getattr(recorded, name)
            if (mine or "") != (theirs or ""):
                lines.append(f"{name}: {_field(mine)} (this call) != {_field(theirs)} (recorded)")
        if "params" in self.match_on:
            lines += _params_diff(flat_call, _flatten(self._scrubbed(recorded)))
        return lines

    def _describe_unreadable(self) -> list[str]:
        count = len(self._unreadable)
        noun = "interaction" if count == 1 else "interactions"
        lines = [f"Skipped {count} recorded {noun} that could not be read as a CKafka call:"]
        for position, interaction, reason in self._unreadable[:_SHOWN_CANDIDATES]:
            request = f"{interaction.method} {interaction.uri}"
            lines.append(f"  {_where(position, interaction)} {request}: {reason}")
        if count > _SHOWN_CANDIDATES:
            lines.append(f"  ... and {count - _SHOWN_CANDIDATES} more")
        return lines


def _where(position: int, interaction: Interaction) -> str:
    """``interactions[3]``, with the line it starts on when it was loaded from a file."""
    line = interaction.line
    return f"interactions[{position}]" + (f" (line {line})" if line is not None else "")


def _unknown_note(action: str, before: str, after: str = "") -> str:
    """Flag a recorded action the spec does not know: a hand edit or another API's call."""
    spec = load_spec()
    if action in spec.actions:
        return ""
    return f"{before}not a CKafka {spec.version} action{after}"


def _first_values(headers: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """vcrpy stores every header as a list; HTTP clients see its first value."""
    out: dict[str, str] = {}
    for name, values in headers.items():
        if isinstance(values, str):
            out[name] = values
        elif values:
            out[name] = str(values[0])
    return out


def _reply(interaction: Interaction) -> Reply:
    headers = _first_values(interaction.response_headers)
    body = interaction.response_body
    # Scrubbing can change the body's length after it was recorded; a stale
    # Content-Length would make the client truncate or wait for more bytes.
    for name in headers:
        if name.lower() == "content-length":
            headers[name] = str(len(body))
    return Reply(interaction.status, headers, body)


def _canonical(value: Any) -> Any:
    """Integral floats as ints: a v1 form ``1`` and a JSON ``1.0`` are the same number."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _flatten(params: Mapping[str, Any]) -> dict[str, Any]:
    """``{"Filters": [{"Values": ["a", "b"]}]}`` -> ``{"Filters.0.Values.1": "b", ...}``."""
    flat: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict) and value:
            for name, child in value.items():
                walk(child, f"{path}.{name}" if path else str(name))
        elif isinstance(value, list) and value:
            for index, child in enumerate(value):
                walk(child, f"{path}.{index}")
        else:
            flat[path] = _canonical(value)

    walk(params, "")
    flat.pop("", None)  # an empty top level has no field to name
    return flat


def _path_order(path: str) -> tuple[tuple[int, Any], ...]:
    # Numeric segments sort as numbers, so Topics.10 comes after Topics.9.
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in path.split("."))


def _params_diff(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for path in sorted(set(mine) | set(theirs), key=_path_order):
        if path not in theirs:
            lines.append(f"+{path}: {_json(mine[path])} (only in this call)")
        elif path not in mine:
            lines.append(f"-{path}: {_json(theirs[path])} (only in the recording)")
        elif _json(mine[path]) != _json(theirs[path]):
            lines.append(
                f"{path}: {_json(mine[path])} (this call) != {_json(theirs[path])} (recorded)"
            )
    return lines


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _field(value: Optional[str]) -> str:
    return _json(value) if value else "(none)"


def _short(text: str) -> str:
    if len(text) <= _SHOWN_PARAMS_CHARS:
        return text
    return text[: _SHOWN_PARAMS_CHARS - 1] + "…"


def _record_command(nodeid: Optional[str], mode: RecordMode) -> str:
    # Single quotes keep a parametrized id (brackets, spaces) one shell word.
    node = " '" + nodeid.replace("'", "'\"'\"'") + "'" if nodeid else ""
    return f"pytest{node} --ckafka-record-mode={mode.value}"
