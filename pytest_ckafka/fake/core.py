"""The pure core: registered answers plus ``handle(request) -> Reply``.

No HTTP library is imported here. The adapters for ``requests`` (responses) and
``httpx`` (respx) in :mod:`..intercept`, and the HTTP server in :mod:`..server`,
turn their request objects into ``handle``'s arguments and its :class:`Reply`
into their own responses. The error-handling checks (``assert_handles``...) are
not the core's: :class:`pytest_ckafka.CKafka` adds them (:mod:`..checks.ckafka`).

How a call is answered: the one statement of the order (``handle`` and
``_answer`` follow it; each step's label is the call's ``answered_by``). The
checks come first and answer what the real API would refuse whatever the test
set up:

1. a request that cannot be read: its protocol error (``protocol``);
2. with ``strict_auth``, a signature that does not verify (``auth``);
3. no version, an unknown version or an unknown action (``protocol``);
4. with ``validate``, parameters the API refuses (``invalid``).

Then the first of these that has an answer:

5. a stub, searched in the slots :func:`stub_slots` lists: the codes
   ``assert_handles`` injected before the test's own stubs (which must not hide
   the code under test), and within each the call's action before ``"*"``
   (``injected``, ``stub``);
6. the test's cassette: what it recorded (``cassette``); a call it lacks goes to
   the network while it records (``network``) and is a ``CassetteMissError``
   while it replays (``miss``): nothing below answers a call while a cassette is
   attached;
7. the stateful backend, for the actions it implements, unless ``stateful`` is
   off (``state``);
8. in strict mode, an ``UnmatchedCallError`` naming the call (``unmatched``);
9. the synthesized default (``default``).
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, Union
from urllib.parse import urlsplit

from ..api.bodycheck import check_body
from ..api.envelopes import (
    PASSTHROUGH,
    Reply,
    envelope_reply,
    error_envelope,
    new_request_id,
    success_reply,
)
from ..api.error_codes import lookup_code
from ..api.hosts import Endpoints
from ..api.json_types import json_kind
from ..api.limits import check_data, clip, clip_quoted
from ..api.protocol import ParsedRequest, ProtocolError, parse_request
from ..api.recognize import is_ckafka_request
from ..api.scrub.values import is_server_endpoint
from ..api.signing import AuthError, CredentialStore, authenticate
from ..api.spec import API_VERSION, SERVICE, load_spec
from ..api.suggest import closest
from ..api.synth import default_body_json
from ..api.validation import validate_request
from ..api.wire import compact_json, header
from ..backend import ApiError, Backend, State
from ..clock import Clock
from ..exceptions import (
    CassetteMissError,
    CKafkaUsageError,
    RetryStorm,
    UnmatchedCallError,
    UnusedStubsError,
)
from .calls import NOT_MADE_HERE, AnsweredBy, Call, CallLog, parsed_size
from .faults import check_fault
from .options import OptionKeywords, Options
from .stubs import ANY_ACTION, Slot, Stub, StubRegistry, check_params, check_times

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["CKafkaCore", "CassettePlayer", "stub_slots"]


@functools.lru_cache(maxsize=512)  # one tuple per action, not one per call
def stub_slots(action: str) -> tuple[Slot, ...]:
    """Where a stub for a call to ``action`` is looked for, first to last (step 5 above).

    >>> [(slot.action, slot.injected) for slot in stub_slots("DeleteTopic")]
    [('DeleteTopic', True), ('*', True), ('DeleteTopic', False), ('*', False)]
    """
    return (
        Slot(action, injected=True),
        Slot(ANY_ACTION, injected=True),
        Slot(action, injected=False),
        Slot(ANY_ACTION, injected=False),
    )


class CKafkaCore:
    """The fake CKafka API without transport or error-handling checks: answers and calls.

    Users hold :class:`pytest_ckafka.CKafka` (this, plus ``assert_handles`` and
    ``check_error_handling``), or the ``CKafkaMock`` and ``FakeServer`` built on it.
    Every one takes the same options (:class:`~pytest_ckafka.Options`); ``policy``
    is kept for those checks and never read here.
    """

    _OWN_KEYWORDS: tuple[str, ...] = ()
    """A subclass's keyword arguments besides the options, suggested for a misspelled one."""

    def __init__(self, **options: Unpack[OptionKeywords]) -> None:
        clock = options.get("clock")
        if clock is None:  # the options name the clock the fake has, not None
            clock = options["clock"] = Clock()
        built = Options.from_keywords(options, also=self._OWN_KEYWORDS)
        self.options = built
        """The :class:`~pytest_ckafka.Options` this fake was built with."""
        self.clock = clock
        self.strict = built.strict
        self.validate = built.validate
        # Strict means only what the test set up answers; state must be asked for.
        self.stateful = built.stateful_backend
        self.strict_auth = built.strict_auth
        self.assert_all_used = built.assert_all_used
        self.credentials = CredentialStore()
        # Clients sign with the real time; the fake clock jumps ahead on every sleep.
        self._auth_now: Callable[[], float] = time.time
        self.endpoints = Endpoints(built.endpoints)
        self.passthrough = Endpoints(built.passthrough, public=False)
        """Hosts whose CKafka calls reach the network untouched (:meth:`add_passthrough`)."""
        self.calls = CallLog(built.max_calls)
        """Every call answered, the last ``max_calls`` of them (see :class:`CallLog`)."""
        self.backend = Backend(self.clock)
        self.state = State(self.backend)
        """Seed and inspect the stateful backend, e.g. ``state.add_instance()``."""
        # A cassette (replay.Replayer) answers after the stubs, instead of the backend
        # and the default: what it did not record is a miss, or (recording) the network.
        self._cassette: Optional[CassettePlayer] = None
        self._nodeid: Optional[str] = None  # the pytest test, named in cassette-miss messages
        self._policy = built.policy  # the error-handling policy: CKafka.policy reads it
        self._stubs = StubRegistry()
        self._unmatched = _FirstProblems()
        self._misses = _FirstProblems()
        self._reported_unused: list[Stub] = []  # raised by verify(): not raised again
        self._made_while_recording: set[str] = set()  # see _is_synthetic
        self._lock = threading.Lock()

    # -- registering answers -------------------------------------------------

    def respond(
        self,
        action: str,
        body: Optional[Mapping[str, Any]] = None,
        *,
        times: Optional[int] = None,
        params: Optional[Mapping[str, Any]] = None,
    ) -> Stub:
        """Answer ``action`` with these Response members (RequestId added).

        With no ``body`` the synthesized default answers, which also overrides
        ``"*"`` stubs. The body is checked against the spec now, so a typo in a
        member name or a wrong type fails here rather than deep in the client.

        >>> from pytest_ckafka import CKafka
        >>> fake = CKafka()
        >>> _ = fake.respond("DescribeTopic", {"Result": {"TotalCount": 0, "TopicList": []}})
        """
        load_spec().action(action)
        check_times(times)
        check_params(action, params)
        body_json = None
        if body is not None:
            if not isinstance(body, Mapping):
                raise CKafkaUsageError(
                    f"{action}: body must be an object of Response members, got {json_kind(body)}"
                )
            check_data(body, action, root="body")
            check_body(action, body)
            body_json = compact_json(body)
        stub = Stub(action=action, kind="respond", body_json=body_json, times=times, params=params)
        return self._stubs.add(stub)

    def fail(
        self,
        action: str,
        code: str,
        message: Optional[str] = None,
        *,
        times: Optional[int] = None,
        params: Optional[Mapping[str, Any]] = None,
        custom: bool = False,
    ) -> Stub:
        """Answer ``action`` (``"*"``: any action) with the error envelope of ``code``.

        An unknown code fails with a suggestion; ``custom=True`` allows one.

        >>> from pytest_ckafka import CKafka
        >>> fake = CKafka()
        >>> _ = fake.fail("DeleteTopic", "ResourceInUse", times=1)
        """
        self._check_action(action)
        check_times(times)
        check_params(action, params)
        check_data({"code": code, "message": message}, action)
        lookup_code(code, custom=custom)
        stub = Stub(
            action=action,
            kind="fail",
            code=code,
            message=message,
            custom=custom,
            times=times,
            params=params,
        )
        return self._stubs.add(stub)

    def fault(
        self,
        action: str,
        kind: str,
        *,
        times: Optional[int] = None,
        status: int = 502,
        params: Optional[Mapping[str, Any]] = None,
    ) -> Stub:
        """Answer ``action`` (``"*"``: any action) with a transport fault.

        ``kind`` is one of :data:`pytest_ckafka.FAULT_KINDS`; ``status`` is the
        HTTP status of an ``http_status`` fault.

        >>> from pytest_ckafka import CKafka
        >>> fake = CKafka()
        >>> _ = fake.fault("DescribeInstances", "timeout", times=2)
        """
        self._check_action(action)
        check_times(times)
        check_params(action, params)
        check_fault(kind, status)
        stub = Stub(
            action=action, kind="fault", fault=kind, status=status, times=times, params=params
        )
        return self._stubs.add(stub)

    def add_credentials(
        self,
        secret_id: str,
        secret_key: str,
        *,
        token: Optional[str] = None,
        token_expires_at: Optional[float] = None,
        account: Optional[str] = None,
    ) -> None:
        """Accept signatures made with this key (and ``token``, until ``token_expires_at``).

        Checked only with ``strict_auth=True``; :meth:`reset` keeps the keys.
        The key acts in the stateful account named ``account``: by default the
        default account (``"default"``), which every SecretId shares, so what a
        test seeds is seen whatever key signs. Name one to keep keys apart:
        ``add_credentials("AKIDteam", "k", account="team")`` sees what
        ``state.add_instance(account="team")`` seeded, and nothing else.

        >>> from pytest_ckafka import CKafka
        >>> fake = CKafka(strict_auth=True)
        >>> fake.add_credentials("AKIDtest", "secret", token="t", token_expires_at=2e9)
        >>> [c.secret_id for c in fake.credentials]
        ['AKIDtest']
        """
        self.credentials.add(
            secret_id,
            secret_key,
            token=token,
            token_expires_at=token_expires_at,
            account=account,
        )

    def remove(self, stub: Stub) -> None:
        """Unregister a stub returned by :meth:`respond`, :meth:`fail` or :meth:`fault`."""
        self._stubs.remove(stub)

    def add_endpoint(self, endpoint: str) -> None:
        """Intercept ``endpoint`` too, e.g. ``"127.0.0.1:9100"`` for a custom HttpProfile."""
        self.endpoints.add(endpoint)
        self._endpoints_changed()

    def add_passthrough(self, endpoint: str) -> None:
        """Let CKafka calls to ``endpoint`` (``"127.0.0.1:9100"``) reach it untouched.

        A CKafka API call to any host is the fake's (see :meth:`intercepts`);
        this is the way out for a real server the test means to talk to, such
        as a ``pytest-ckafka serve`` in another process, as ``responses``'
        ``add_passthru`` is. A registered endpoint (:meth:`add_endpoint`) wins.

        >>> from pytest_ckafka import CKafka
        >>> fake = CKafka()
        >>> fake.add_passthrough("127.0.0.1:9100")
        >>> headers = {"X-TC-Action": "DescribeInstances", "X-TC-Version": "2019-08-19"}
        >>> fake.intercepts("POST", "http://127.0.0.1:9100/", headers, b"{}")
        False
        """
        self.passthrough.add(endpoint)

    def _endpoints_changed(self) -> None:
        """Hook for transports that must re-register their URL patterns (see ``intercept.mock``)."""

    @staticmethod
    def _check_action(action: str) -> None:
        if action != ANY_ACTION:
            load_spec().action(action)

    # -- inspecting ----------------------------------------------------------

    @property
    def stubs(self) -> list[Stub]:
        """Every registered stub, with how often it was used."""
        return self._stubs.all()

    def assert_called(
        self, action: str, times: Optional[int] = None, params: Optional[Mapping[str, Any]] = None
    ) -> list[Call]:
        """Fail unless ``action`` was called (``times`` times; ``params`` a subset match)."""
        __tracebackhide__ = True
        self._check_action(action)
        return self.calls.assert_called(action, times, params)

    def assert_not_called(self, action: str) -> None:
        """Fail if ``action`` was called."""
        __tracebackhide__ = True
        self._check_action(action)
        self.calls.assert_not_called(action)

    def reset(self, *, state: bool = False) -> None:
        """Forget stubs, calls and pending teardown problems; ``state=True``: resources too.

        The stateful backend's resources (:attr:`state`) are kept unless
        ``state=True``, as ``responses.reset()`` forgets registered answers and
        calls, not the world they answer about. Credentials, endpoints and the
        clock are always kept. Narrower: ``calls.clear()`` forgets only the call
        log, ``state.reset()`` only the resources.

        >>> from pytest_ckafka import CKafka
        >>> fake = CKafka()
        >>> _ = fake.state.add_instance("ckafka-1")
        >>> fake.reset()
        >>> [i.instance_id for i in fake.state.instances()]
        ['ckafka-1']
        >>> fake.reset(state=True)
        >>> fake.state.instances()
        []
        """
        self._stubs.clear()
        if state:
            self.state.reset()
        self.calls.clear()
        with self._lock:
            self._unmatched.clear()
            self._misses.clear()
            self._reported_unused.clear()
            self._made_while_recording.clear()

    def verify(self, *, assert_all_used: Optional[bool] = None) -> None:
        """Raise for problems a test should fail on: strict misses, unused ``times`` stubs.

        Unused stubs count unless ``assert_all_used`` (by default the option of
        that name) is False.

        A problem raised here is consumed: a later :meth:`verify` (the fixture's,
        at teardown) does not raise it again, so a test that checks it with
        ``pytest.raises`` passes, and a test that fails on it fails once.
        """
        __tracebackhide__ = True
        if assert_all_used is None:
            assert_all_used = self.assert_all_used
        with self._lock:
            # The misses first: a cassette miss explains the strict misses after it.
            for problems, error in (
                (self._misses, CassetteMissError),
                (self._unmatched, UnmatchedCallError),
            ):
                text = problems.text()
                if text:
                    problems.clear()
                    raise error(text)
            reported = self._reported_unused
            unused = [s for s in self._stubs.unused() if not any(s is r for r in reported)]
            if assert_all_used:
                reported.extend(unused)
        if assert_all_used and unused:
            lines = "\n".join(f"  {stub.describe()}" for stub in unused)
            raise UnusedStubsError(
                f"{len(unused)} CKafka stub{'s were' if len(unused) != 1 else ' was'} registered "
                f"with times=N but not used up:\n{lines}\n"
                "Remove them, or opt out with @pytest.mark.ckafka(assert_all_used=False)."
            )

    # -- answering -----------------------------------------------------------

    def handle(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: Union[bytes, str, None],
    ) -> Reply:
        """Answer one HTTP request to a CKafka endpoint. Pure: bytes in, :class:`Reply` out."""
        request_id = new_request_id()
        try:
            parsed = parse_request(method, url, headers, body)
        except ProtocolError as exc:
            reply = self._error(exc.code, exc.message, request_id)
            action = header(headers, "X-TC-Action")
            self._log(
                Call(
                    action=action,
                    params={},
                    region=None,
                    version="",
                    request_id=request_id,
                    method=method.upper(),
                    url=url,
                    secret_id=None,
                    language=None,
                    reply=reply,
                    answered_by="protocol",
                ),
                _size(body),
            )
            return _for_method(reply, method)
        if self.strict_auth:
            try:
                verified = authenticate(
                    parsed, url, headers, body, self.credentials, now=self._auth_now()
                )
            except AuthError as refused:
                reply = self._error(refused.code, refused.message, request_id)
                self._log(_call(parsed, url, request_id, reply, "auth"), _size(body))
                return _for_method(reply, method)
            # The account is the key that verified, never a second reading of the request.
            account = verified.account or self.backend.default_account
        else:
            account = self._account(parsed)
        reply, answered_by = self._answer(parsed, request_id, account)
        self._log(_call(parsed, url, request_id, reply, answered_by, account), _size(body))
        if answered_by == "unmatched":
            raise UnmatchedCallError(self._record_unmatched(parsed.action, parsed.params))
        if answered_by == "miss":
            assert self._cassette is not None
            message = self._cassette.miss_message(parsed, parsed.host, self._nodeid)
            with self._lock:
                self._misses.add(message)
            raise CassetteMissError(message)
        return _for_method(reply, method)

    def intercepts(
        self, method: str, url: str, headers: Mapping[str, str], body: Union[bytes, str, None]
    ) -> bool:
        """True if this fake takes the request: what the transports ask of every request.

        A request to a registered endpoint is the fake's; so is a CKafka API call
        to any other host (see :mod:`..api.recognize`), so that a client pointed at an
        endpoint nobody registered is still answered, logged, recorded and
        replayed instead of passing by unseen. Two exceptions: hosts given to
        :meth:`add_passthrough`, and, without a cassette, a ``FakeServer`` running
        in this process, which answers and logs its calls itself.
        """
        netloc = urlsplit(url).netloc
        if self.endpoints.matches(netloc):
            return True
        if self.passthrough.matches(netloc) or not is_ckafka_request(method, url, headers, body):
            return False
        return self._cassette is not None or not is_server_endpoint(netloc)

    def _passes_through(
        self, method: str, url: str, headers: Mapping[str, str], body: Union[bytes, str, None]
    ) -> bool:
        """True when a recording cassette should get this call from the network.

        Transports that must decide before answering (``responses``' matchers) ask
        this first; it consumes nothing, and logs the call when it passes through.
        """
        if self._cassette is None or not self._cassette.recording:
            return False
        try:
            parsed = parse_request(method, url, headers, body)
        except ProtocolError:
            return False
        if parsed.version != API_VERSION or parsed.action not in load_spec().actions:
            return False
        # The real API would refuse it too: answer it here, as handle() does.
        if self.validate and validate_request(parsed.action, parsed.params, parsed.region):
            return False
        if self._stubs.take(stub_slots(parsed.action), parsed.params, count=False) is not None:
            return False
        if self._cassette.answer(parsed, parsed.host, "", peek=True) is not None:
            return False
        self.calls.append(_call(parsed, url, "", PASSTHROUGH, "network"), _size(body))
        return True

    def _is_synthetic(self, request_id: str) -> bool:
        """True if this fake (not the network) produced the answer with ``request_id``.

        Known for the calls still in :attr:`calls`, and for every answer made while
        a cassette records (a recording must never keep one, even once the bounded
        log has dropped its call); :meth:`reset` forgets them all.
        """
        if self.calls.answered_here(request_id):
            return True
        with self._lock:
            return request_id in self._made_while_recording

    def _detach_cassette(self) -> None:
        """Stop answering from the cassette; forget the answers made while it recorded."""
        self._cassette = None
        with self._lock:
            self._made_while_recording.clear()

    def _log(self, call: Call, size: int) -> None:
        self.calls.append(call, size)
        cassette = self._cassette
        if cassette is not None and cassette.recording and call.answered_by not in NOT_MADE_HERE:
            with self._lock:
                self._made_while_recording.add(call.request_id)

    def _answer(
        self, parsed: ParsedRequest, request_id: str, account: str
    ) -> tuple[Reply, AnsweredBy]:
        """Steps 3 to 9 of the order in the module docstring: the reply and who gave it."""
        action, version, params = parsed.action, parsed.version, parsed.params
        if not version:
            return self._error("MissingParameter", _missing("Version"), request_id), "protocol"
        if version != API_VERSION:
            message = (
                f"The API version `{version}` does not exist for {SERVICE}; "
                f"the supported version is `{API_VERSION}`."
            )
            return self._error("NoSuchVersion", message, request_id), "protocol"
        spec = load_spec()
        if action not in spec.actions:
            message = f"The action `{action}` does not exist in {SERVICE} {API_VERSION}."
            best = closest(action, spec.actions, n=1)
            if best:
                message += f" Did you mean `{best[0]}`?"
            return self._error("InvalidAction", message, request_id), "protocol"
        if self.validate:
            problem = validate_request(action, params, parsed.region)
            if problem is not None:
                return self._error(problem[0], problem[1], request_id), "invalid"
        stub = self._stubs.take(stub_slots(action), params)
        if stub is not None:
            if stub.abort_after is not None and stub.used > stub.abort_after:
                raise RetryStorm(
                    f"pytest-ckafka: {action} was attempted {stub.used} times while "
                    f"{stub.code or stub.fault} was injected; stopping the retry loop"
                )
            # "injected": assert_handles' own stub, told apart from the test's in the report.
            by: AnsweredBy = "injected" if stub.injected else "stub"
            return stub.reply(action, request_id, default_body_json(action)), by
        if self._cassette is not None:
            recorded = self._cassette.answer(parsed, parsed.host, request_id)
            if recorded is not None:
                return recorded, "cassette"
            if self._cassette.recording:
                return PASSTHROUGH, "network"
            return PASSTHROUGH, "miss"
        if self.stateful and self.backend.implements(action):
            try:
                body = self.backend.answer(
                    action,
                    params,
                    account,
                    parsed.region,
                    validated=self.validate,
                )
            except ApiError as error:
                return self._error(error.code, error.message, request_id), "state"
            return success_reply(compact_json(body), request_id), "state"
        if self.strict:
            return self._error("InternalError", "no stub (strict mode)", request_id), "unmatched"
        return success_reply(default_body_json(action), request_id), "default"

    def _account(self, parsed: ParsedRequest) -> str:
        """The stateful account of an unverified call: its key's, once registered.

        Without ``strict_auth`` nothing is verified, so the SecretId the request
        names (read by the same parser that ``strict_auth`` verifies) picks the
        account it was registered with. Any other SecretId (and an unsigned call)
        acts in the default account, as moto maps every access key to one
        account, so seeded resources are seen by whatever fake key the client
        under test was given.
        """
        secret_id = parsed.secret_id
        registered = self.credentials.get(secret_id) if secret_id else None
        if registered is not None and registered.account:
            return registered.account
        return self.backend.default_account

    @staticmethod
    def _error(code: str, message: str, request_id: str) -> Reply:
        # Every message the fake writes quotes what it echoes in backticks; a
        # 10 MB parameter must not come back (and be logged) in full.
        return envelope_reply(error_envelope(code, clip_quoted(message), request_id, custom=True))

    def _record_unmatched(self, action: str, params: Mapping[str, Any]) -> str:
        from ..api.scrub.scrubbers import (
            Scrubbers,  # a message shows no secret, as a cassette keeps none
        )

        stubs = self._stubs.all()
        listing = "\n".join(f"  {s.describe()}" for s in stubs) if stubs else "  (none)"
        shown = Scrubbers().scrub_params(action, dict(params))
        text = (
            f"pytest-ckafka strict mode: no stub answers {action} "
            f"{clip(json.dumps(shown, ensure_ascii=False, sort_keys=True))}\n"
            f"Registered stubs:\n{listing}\n"
            f'Register one with ckafka.respond("{action}", ...) or ckafka.fail("{action}", ...).'
        )
        if not self.stateful and self.backend.implements(action):
            text += "\nOr let the stateful backend answer it too: strict=True, stateful=True."
        with self._lock:
            self._unmatched.add(text)
        return text


class _FirstProblems:
    """The first problems of one kind, in full for the teardown report, and how many more.

    A strict server that misses all day must not keep every message.
    """

    KEPT = 20

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.more = 0

    def add(self, text: str) -> None:
        if len(self.kept) < self.KEPT:
            self.kept.append(text)
        else:
            self.more += 1

    def clear(self) -> None:
        self.kept.clear()
        self.more = 0

    def text(self) -> str:
        """Every kept problem, then ``... and N more like these``; ``""`` if none."""
        more = f"\n\n... and {self.more} more like these" if self.more else ""
        return "\n\n".join(self.kept) + more


class CassettePlayer(Protocol):
    """What the core needs from a cassette (see ``cassettes.replay.Replayer``)."""

    recording: bool

    def answer(
        self, parsed: ParsedRequest, host: str, request_id: str, *, peek: bool = False
    ) -> Optional[Reply]: ...

    def miss_message(self, parsed: ParsedRequest, host: str, nodeid: Optional[str]) -> str: ...


def _call(
    parsed: ParsedRequest,
    url: str,
    request_id: str,
    reply: Reply,
    by: AnsweredBy,
    account: Optional[str] = None,
) -> Call:
    """The log entry of one parsed call and its answer (``account``: None if it acted in none)."""
    return Call(
        action=parsed.action,
        params=parsed.params,
        region=parsed.region,
        version=parsed.version,
        request_id=request_id,
        method=parsed.method,
        url=url,
        secret_id=parsed.secret_id,
        language=parsed.language,
        reply=reply,
        answered_by=by,
        account=account,
    )


def _size(body: Union[bytes, str, None]) -> int:
    return parsed_size(body)  # the log keeps the parsed params, not the body


def _for_method(reply: Reply, method: str) -> Reply:
    """A HEAD answer has headers only: a body would break the client's framing."""
    if method.upper() != "HEAD" or not reply.body:
        return reply
    return Reply(reply.status, reply.headers, b"", reply.raise_kind, reply.fault)


def _missing(name: str) -> str:
    return f"The request is missing a required parameter `{name}`."
