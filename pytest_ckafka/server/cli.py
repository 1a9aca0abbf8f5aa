"""The ``pytest-ckafka`` command: the fake CKafka API as a server for any client.

``pytest-ckafka serve`` (or ``python -m pytest_ckafka serve``) runs a
:class:`~pytest_ckafka.server.http.FakeServer` on loopback, prints one line with its
URL and endpoint on stdout and serves until SIGINT or SIGTERM, then exits 0::

    $ pytest-ckafka serve --port 0
    pytest-ckafka: serving the CKafka API on http://127.0.0.1:40159/ (endpoint 127.0.0.1:40159)

Options: ``--host`` (default ``127.0.0.1``), ``--port`` (default 0: a free port
the system picks, read from that line, so two servers on one machine never
collide), ``--strict`` (only stubs answer: any other call
is an error; add ``--stateful`` to let the stateful backend answer too),
``--max-calls N`` (the calls ``GET /_ckafka/calls`` keeps, the last 10000 by
default; ``none`` keeps every one), ``--strict-auth`` and ``--credentials FILE`` (signature
checking; the file is a JSON list of ``{"secret_id", "secret_key", "token"?,
"token_expires_at"?, "account"?}``, the expiry a Unix time in seconds, the account
the stateful one the key acts in, the shared ``"default"`` unless named), ``--seed FILE``,
``--state FILE``. Stubs, keys, the call log and resets are driven over HTTP through
the control API under ``/_ckafka/`` (see :mod:`pytest_ckafka.server.control`).

Limits, for a server that runs all day (see :mod:`pytest_ckafka.server.http`):
``--header-timeout SECONDS`` (10) for a request line and headers to arrive from
their first byte, else 408; ``--max-connections N`` (256) open connections, past
which the longest-idle one is closed for room or, with none idle, a newcomer gets
503 ``RequestLimitExceeded``; ``--fault-timeout SECONDS`` (120) for the longest
hold of a ``timeout`` fault.

``--state FILE``: the whole fake between runs. The file is a JSON object with
any of ``"state"`` (the resources, as ``GET /_ckafka/state`` answers them),
``"seed"`` (a list of seed entries, each as ``POST /_ckafka/state`` takes it,
applied after ``"state"``: the easy way to write a file by hand) and
``"stubs"`` (a list of entries as ``POST /_ckafka/stubs`` takes them). It is
loaded (and every entry validated) at start; a file that does not exist yet
starts empty. On a clean shutdown the state and the stubs still registered are
written back atomically (a temporary file, then ``os.replace``; the file keeps
its mode), each stub's ``times`` being the uses left; spent stubs are dropped.
Calls are not saved. A temporary that a killed save left is removed at the next
start or save (:mod:`pytest_ckafka.server.state_file`). The file is standard JSON both
ways: a state that cannot be written as such (``NaN``, a lone surrogate) is not
written; the previous file is kept and the exit code is 1. A symbolic link is
followed (it stays a link); a file that cannot be written (a read-only folder, a
full disk) gets its state saved to ``NAME.unsaved-PID.json`` in the same folder,
else in the temporary folder, named on stderr, and the exit code is 1.

``--seed FILE``: the same format, loaded at start and never written, so a
hand-written file stays as it is and every start begins from it. With ``--state``
too, the seed is what a state file that does not exist yet starts from: once it
exists, it is loaded instead (a note on stderr says so) and saved on exit, so a
restart never applies the seed twice. The seed is checked at every start.

``--no-validate`` answers requests the spec would refuse; ``--stateless``
answers every action with its synthesized default instead of the stateful
backend (stubs still win); ``--stateful`` is the opposite, the default unless
``--strict``.

Bad input gets one line on stderr and a non-zero exit, never a traceback: 2 for
a usage error (an unknown option or command, with the closest match suggested;
a bad value), 1 for a port that cannot be bound or a ``--state``, ``--seed`` or
``--credentials`` file that cannot be read, parsed or saved.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, Optional

from ..api import strict_json
from ..api.json_types import json_kind
from ..api.suggest import closest, unknown_name_message
from ..checks.ckafka import CKafka
from ..defaults import DEFAULT_MAX_CALLS
from ..exceptions import CKafkaUsageError, ListenError
from .control import add_stubs, stub_entry
from .credentials import add_credential_entries
from .http import FAULT_TIMEOUT, HEADER_TIMEOUT, MAX_CONNECTIONS, FakeServer
from .seeding import apply_seeds, load_dump
from .state_file import remove_stale_temporaries, save_elsewhere, write_atomically

__all__ = ["main"]

PROG = "pytest-ckafka"
COMMANDS = {"serve": "run the fake CKafka API as an HTTP server until SIGINT/SIGTERM"}


class CommandError(Exception):
    """Bad input: ``message`` is the one line printed, ``status`` the exit code."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage, so every error is one line."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(message, 2)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``pytest-ckafka`` with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args:
            raise CommandError(f"missing command (valid: {', '.join(COMMANDS)})", 2)
        if args[0].startswith("-") and args[0] not in ("-h", "--help"):
            raise CommandError(_misplaced(args[0].split("=", 1)[0]), 2)
        top = _top_parser()
        parsed = _parse(top, args)
        if parsed.command not in COMMANDS:
            raise CommandError(_unknown("command", parsed.command, COMMANDS), 2)
        serve = _serve_parser()
        return _serve(_parse(serve, parsed.args))
    except CommandError as exc:
        _say(sys.stderr, f"{PROG}: {exc}")
        return exc.status


def _top_parser() -> _Parser:
    commands = "\n".join(f"  {name:8}{text}" for name, text in COMMANDS.items())
    parser = _Parser(
        prog=PROG,
        description="Test doubles for the Tencent Cloud CKafka API.",
        epilog=f"commands:\n{commands}\n\nRun `{PROG} COMMAND --help` for its options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("command", metavar="COMMAND", help="one of: " + ", ".join(COMMANDS))
    parser.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _serve_parser() -> _Parser:
    parser = _Parser(
        prog=f"{PROG} serve",
        description=COMMANDS["serve"] + ". The control API is under /_ckafka/.",
        allow_abbrev=False,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (%(default)s)")
    parser.add_argument("--port", type=_port, default=0, help="port to bind; 0: any free one")
    parser.add_argument(
        "--strict", action="store_true", help="only stubs answer: any other call is an error"
    )
    parser.add_argument(
        "--strict-auth", action="store_true", help="check request signatures (see --credentials)"
    )
    parser.add_argument(
        "--credentials", metavar="FILE", type=Path, help="JSON list of accepted key pairs"
    )
    parser.add_argument(
        "--state", metavar="FILE", type=Path, help="state and stubs loaded at start, saved on exit"
    )
    parser.add_argument(
        "--seed",
        metavar="FILE",
        type=Path,
        help="state and stubs loaded at start, never written (with --state: "
        "only while the state file does not exist)",
    )
    parser.add_argument(
        "--no-validate", action="store_true", help="do not check requests against the spec"
    )
    backend = parser.add_mutually_exclusive_group()
    backend.add_argument(
        "--stateless", action="store_true", help="synthesized answers only, no stateful backend"
    )
    backend.add_argument(
        "--stateful",
        action="store_true",
        help="the stateful backend answers (the default, unless --strict)",
    )
    parser.add_argument(
        "--max-calls",
        metavar="N",
        type=_max_calls,
        default=DEFAULT_MAX_CALLS,
        help="calls kept in the log, the oldest dropped (%(default)s); none: keep all",
    )
    parser.add_argument(
        "--header-timeout",
        metavar="SECONDS",
        type=_seconds,
        default=HEADER_TIMEOUT,
        help="a request line and headers must arrive within this, or 408 (%(default)g)",
    )
    parser.add_argument(
        "--fault-timeout",
        metavar="SECONDS",
        type=_seconds,
        default=FAULT_TIMEOUT,
        help="a timeout fault holds a connection at most this long (%(default)g)",
    )
    parser.add_argument(
        "--max-connections",
        metavar="N",
        type=_positive,
        default=MAX_CONNECTIONS,
        help="open connections at most; then the longest-idle one is closed, "
        "or a newcomer gets 503 (%(default)s)",
    )
    return parser


def _max_calls(text: str) -> Optional[int]:
    if text.lower() == "none":
        return None
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"invalid count {text!r}: expected a positive integer, or none to keep every call"
        )
    return int(text)


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: expected 0 to 65535")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def _parse(parser: _Parser, args: list[str]) -> argparse.Namespace:
    """``parse_known_args``, then an unknown option named with its closest match."""
    namespace, extra = parser.parse_known_args(args)
    if extra:
        word = extra[0]
        if not word.startswith("-") or word == "-":
            raise CommandError(f"unexpected argument {word} ({parser.prog} takes options only)", 2)
        raise CommandError(_unknown("option", word.split("=", 1)[0], _options(parser)), 2)
    return namespace


def _misplaced(option: str) -> str:
    """An option before the command: say where it goes if the command has it."""
    serve = _options(_serve_parser())
    best = closest(option, serve, n=1)
    if best:
        return f"option {best[0]} goes after the command: {PROG} serve {best[0]} ..."
    return _unknown("option", option, ["--help"])


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return sorted(s for a in parser._actions for s in a.option_strings if s.startswith("--"))


def _unknown(kind: str, name: str, choices: Iterable[str]) -> str:
    pool = sorted(choices)
    best = closest(name, pool, n=1)
    if best:
        return f"unknown {kind} {name}; did you mean {best[0]}?"
    return f"unknown {kind} {name} (valid: {', '.join(pool)})"


# -- serve -----------------------------------------------------------------


def _serve(options: argparse.Namespace) -> int:
    stop = threading.Event()

    def on_signal(signum: int, frame: Optional[FrameType]) -> None:
        stop.set()

    # Installed before the files are read, so an early Ctrl-C still ends in a clean
    # shutdown; restored after, so main() can run inside another program (a test).
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _run(options, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(options: argparse.Namespace, stop: threading.Event) -> int:
    server = FakeServer(
        options.host,
        options.port,
        strict=options.strict,
        strict_auth=options.strict_auth,
        validate=not options.no_validate,
        stateful=False if options.stateless else (True if options.stateful else None),
        max_calls=options.max_calls,
        header_timeout=options.header_timeout,
        fault_timeout=options.fault_timeout,
        max_connections=options.max_connections,
    )
    if options.credentials is not None:
        _load_credentials(server, options.credentials)
    _load_files(server, options.seed, options.state)
    try:
        server.start()
    except ListenError as exc:
        where = f"{exc.host}:{exc.port}"
        raise CommandError(f"cannot listen on {where}: {_lower(exc.reason)}") from None
    try:
        _say(
            sys.stdout,
            f"{PROG}: serving the CKafka API on {server.url} (endpoint {server.endpoint})",
        )
        while not stop.wait(0.5):  # a timeout keeps the main thread responsive to signals
            pass
    finally:
        server.stop()
    if options.state is not None:
        _save_state(options.state, server)
    return 0


def _load_credentials(server: FakeServer, path: Path) -> None:
    data = _read_json(path, "credentials")
    where = f"invalid credentials file {path}"
    if not isinstance(data, list):
        raise CommandError(f"{where}: expected a JSON list of key pairs, got {json_kind(data)}")
    try:
        add_credential_entries(server, data)
    except CKafkaUsageError as exc:
        raise CommandError(f"{where}: {exc}") from None


def _load_files(server: FakeServer, seed: Optional[Path], state: Optional[Path]) -> None:
    """Load ``--seed`` and ``--state``: a state file that exists wins, as a saved run goes on.

    The seed is what a state file that does not exist yet starts from (as a
    database image runs its init scripts on an empty data directory only), so a
    restart never applies the seed's stubs and resources twice. It is checked
    even when not applied, so a broken seed file fails every start.
    """
    if seed is not None and state is not None and seed.resolve() == state.resolve():
        raise CommandError(
            f"--seed and --state name the same file {seed}: --seed is never written, "
            "--state is saved on exit; use one of them",
            2,
        )
    saved = None
    if state is not None:
        remove_stale_temporaries(state)  # what a save killed midway left
        saved = _load_state(state, "state")
    if seed is not None:
        data = _load_state(seed, "seed") or {}
        _apply_file(
            server if saved is None else CKafka(validate=server.validate), data, seed, "seed"
        )
        if saved is not None:
            _say(
                sys.stderr,
                f"{PROG}: state file {state} exists, so it is loaded and --seed {seed} "
                f"is not applied (delete {state} to start from the seed again)",
            )
    if state is not None and saved is not None:
        _apply_file(server, saved, state, "state")


def _apply_file(fake: CKafka, data: dict[str, Any], path: Path, what: str) -> None:
    try:
        load_dump(fake.state, data.get("state", {"stores": []}))
        apply_seeds(fake.state, data.get("seed", []))
        add_stubs(fake, data.get("stubs", []))
    except CKafkaUsageError as exc:
        raise CommandError(f"invalid {what} file {path}: {exc}") from None


_STATE_KEYS = {"state": dict, "seed": list, "stubs": list}


def _load_state(path: Path, what: str) -> Optional[dict[str, Any]]:
    """The ``--state`` or ``--seed`` file's data; ``None`` for a state file not written yet."""
    if what == "state" and not path.exists() and not path.is_symlink():
        parent = path.parent
        if not parent.is_dir():
            raise CommandError(f"cannot use state file {path}: directory {parent} does not exist")
        return None
    data = _read_json(path, what)
    where = f"invalid {what} file {path}"
    if not isinstance(data, dict):
        raise CommandError(
            f'{where}: expected an object {{"state"?, "seed"?, "stubs"?}}, got {json_kind(data)}'
        )
    for key, value in data.items():
        if key not in _STATE_KEYS:
            raise CommandError(f"{where}: " + unknown_name_message("key", key, _STATE_KEYS))
        if not isinstance(value, _STATE_KEYS[key]):
            wanted = json_kind(_STATE_KEYS[key]())
            raise CommandError(f'{where}: "{key}" must be {wanted}, got {json_kind(value)}')
    return data


def _save_state(path: Path, server: FakeServer) -> None:
    """Write the state and live stubs; on any failure say why and leave the old file as it was."""
    kept = "the previous file is kept" if os.path.lexists(path) else "nothing was written"
    remove_stale_temporaries(path)
    try:
        live = [s for s in server.stubs if not s.exhausted and not s.injected]
        data = {
            "state": server.state.dump(),
            "stubs": [stub_entry(stub, remaining=True) for stub in live],
        }
        # Strict: what is written must load at the next start (no NaN, no lone surrogate).
        text = strict_json.dumps(data, indent=2) + "\n"
    except Exception as exc:  # a bug elsewhere must not cost the session's previous save
        reason = str(exc) if isinstance(exc, CKafkaUsageError) else f"{type(exc).__name__}: {exc}"
        raise CommandError(f"cannot save state file {path}: {reason} ({kept})") from None
    try:
        write_atomically(path, text)
    except OSError as exc:
        saved = save_elsewhere(path, text)  # the session's state is never just dropped
        where = f"saved to {saved} instead" if saved else "lost: no folder could take it"
        raise CommandError(
            f"cannot save state file {path}: {_reason(exc)} ({kept}); this session's state was "
            f"{where}"
        ) from None


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {what} file {path}: {_reason(exc)}") from None
    try:
        return strict_json.loads(text, source=f"{what} file")
    except strict_json.JSONSyntaxError as exc:
        raise CommandError(f"invalid {what} file {path}: not JSON: {exc.reason}") from None
    except CKafkaUsageError as exc:  # NaN, a lone surrogate...: named by its path
        raise CommandError(f"invalid {what} file {path}: {exc}") from None


def _reason(exc: OSError) -> str:
    return _lower(exc.strerror or str(exc))


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _say(stream: Any, line: str) -> None:
    """Print one line and flush; a closed stream (a reader that went away) is no error."""
    try:
        print(line, file=stream, flush=True)
    except (OSError, ValueError):
        pass
