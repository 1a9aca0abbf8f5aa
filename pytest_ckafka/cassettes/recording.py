"""Adapter: record CKafka calls that reach the network with vcrpy, in vcrpy's cassette format.

pytest-ckafka decides which calls go to the network (see ``replay.Replayer``):
vcrpy is only asked to record, never to play back, so it runs in its own
``all`` mode and with a persister that hands the interactions back here. They
are scrubbed, stripped of answers the fake produced itself (a stub answering
an httpx call passes through vcrpy's patch on its way back), and written
atomically, merged with what is on disk, only when the test passed.

Responses and their headers are scrubbed by value with every secret of the
whole recording, not only their own request's: a message may name another
call's SecretId. The keys of the fake (``ckafka.add_credentials``) and of an
in-process ``FakeServer`` the calls went to count as secrets too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union
from urllib.parse import parse_qs, urlsplit

from ..api.scrub.scrubbers import Scrubbers
from ..api.scrub.values import credential_secrets, server_secrets
from ..api.wire import header
from .files import Interaction, save
from .record_mode import RecordMode

if TYPE_CHECKING:
    from ..api.signing import CredentialStore
    from .rewrite import RewriteRun

__all__ = ["Recorder"]


class Recorder:
    """Records one test's network calls to ``path`` (``mode`` is a pytest-ckafka record mode).

    ``is_ckafka_call(method, url, headers, body)`` picks, from what vcrpy saw, the
    calls the cassette keeps (``CKafka.intercepts``). In ``rewrite`` mode, ``run``
    is the test run the test belongs to: the run's first save replaces the
    cassette and later ones add to it. Without a run, every save replaces it.
    """

    def __init__(
        self,
        path: Path,
        mode: Union[RecordMode, str],
        scrubbers: Scrubbers,
        is_synthetic: Callable[[str], bool],
        is_ckafka_call: Callable[[str, str, Mapping[str, str], bytes], bool],
        credentials: Optional[CredentialStore] = None,
        run: Optional[RewriteRun] = None,
    ) -> None:
        self.path = path
        self._credentials = credentials
        self._run = run
        self._is_ckafka_call = is_ckafka_call
        self.mode = RecordMode.parse(mode)
        self._scrubbers = scrubbers
        self._is_synthetic = is_synthetic
        self._context: Any = None
        self._captured: Optional[dict[str, Any]] = None

    def start(self) -> None:
        """Patch the HTTP libraries through vcrpy so network answers are captured."""
        import vcr

        recorder = vcr.VCR(record_mode="all", decode_compressed_response=True)
        recorder.register_persister(_Persister(self))
        self._context = recorder.use_cassette(str(self.path))
        self._context.__enter__()

    def stop(self, *, keep: bool) -> int:
        """Unpatch; if ``keep``, write what was recorded. Returns the interactions written."""
        if self._context is None:
            return 0
        context, self._context = self._context, None
        context.__exit__(None, None, None)  # vcrpy hands its data to _Persister.save_cassette
        if not keep:
            return 0
        interactions = list(self._interactions())
        if interactions or self.mode.replaces:
            save(self.path, interactions, merge=not self.mode.replaces, run=self._run)
        return len(interactions)

    def _interactions(self) -> Iterable[Interaction]:
        data = self._captured or {"requests": [], "responses": []}
        calls: list[tuple[Any, dict[str, str], bytes, str, Any, bytes]] = []
        for request, response in zip(data["requests"], data["responses"]):
            body = _as_bytes(request.body)
            if not self._is_ckafka_call(request.method, request.uri, request.headers, body):
                continue  # vcrpy saw the test's other traffic too; the cassette is CKafka's
            response_body = _as_bytes(response.get("body", {}).get("string"))
            if self._produced_here(response_body):
                continue
            headers = dict(request.headers)
            action = header(headers, "x-tc-action") or _action_from(request.uri, body)
            calls.append((request, headers, body, action, response, response_body))
        scrubbers = self._scrubbers
        secrets: set[str] = set(credential_secrets(self._credentials or ()))
        for request, headers, body, action, _, response_body in calls:
            secrets |= scrubbers.request_values(request.method, request.uri, headers, body)
            secrets |= scrubbers.response_values(action, response_body)
            secrets.update(server_secrets(urlsplit(request.uri).netloc))
        for request, headers, body, action, response, response_body in calls:
            url, headers, body = scrubbers.scrub_request(request.method, request.uri, headers, body)
            status = response.get("status", {})
            new_body = scrubbers.scrub_response(action, response_body, values=secrets)
            response_headers = {}
            for name, values in response.get("headers", {}).items():
                listed = values if isinstance(values, (list, tuple)) else [values]
                if name.lower() == "content-length":  # the body may have been scrubbed
                    response_headers[name] = [str(len(new_body))]
                else:
                    response_headers[name] = [
                        scrubbers.scrub_text(str(v), values=secrets) for v in listed
                    ]
            yield Interaction(
                method=request.method,
                uri=url,
                headers={k: [v] for k, v in headers.items()},
                body=body,
                status=int(status.get("code", 200)),
                reason=scrubbers.scrub_text(str(status.get("message", "OK")), values=secrets),
                response_headers=response_headers,
                response_body=new_body,
            )

    def _produced_here(self, body: bytes) -> bool:
        try:
            request_id = json.loads(body)["Response"]["RequestId"]
        except (ValueError, KeyError, TypeError):
            return False
        return isinstance(request_id, str) and self._is_synthetic(request_id)


class _Persister:
    """vcrpy's persister interface: load nothing (vcrpy never replays), keep what it saves."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder

    def load_cassette(self, cassette_path: str, serializer: Any) -> Any:
        from vcr.persisters.filesystem import CassetteNotFoundError

        raise CassetteNotFoundError()

    def save_cassette(self, cassette_path: str, cassette_dict: Any, serializer: Any) -> None:
        self._recorder._captured = cassette_dict


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    return bytes(body)


def _action_from(url: str, body: bytes) -> str:
    """The v1 ``Action`` parameter of a query or form request."""
    query = parse_qs(urlsplit(url).query)
    form = parse_qs(body.decode("utf-8", "replace")) if body[:1] not in (b"{", b"") else {}
    found = (query.get("Action") or form.get("Action") or [""])[0]
    return found
