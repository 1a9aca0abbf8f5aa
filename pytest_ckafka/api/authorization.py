"""The one parser of who signed a request: the TC3 ``Authorization`` header or the v1 parameters.

Security-relevant parsing lives here once (STYLE rule 12). :func:`read_claim`
is called by :func:`~pytest_ckafka.api.protocol.parse_request` only, and
:mod:`~pytest_ckafka.api.signing` verifies the claim that call produced; the SecretId
an account is chosen by is therefore always the one whose signature was checked.

The grammar is strict: ``TC3-HMAC-SHA256`` then exactly the fields
``Credential=``, ``SignedHeaders=`` and ``Signature=``, each once, separated by
commas, nothing else. What the values must be (a real date, the service, lower-case
header names, 64 hex digits) is for verification to say, so a test without
``strict_auth`` can still send a placeholder signature and be given its account.

>>> claim = parse_authorization(
...     "TC3-HMAC-SHA256 Credential=AKIDexample/2024-01-01/ckafka/tc3_request, "
...     "SignedHeaders=content-type;host, Signature=" + "0" * 64)
>>> claim.secret_id, claim.scope, claim.signed_headers
('AKIDexample', '2024-01-01/ckafka/tc3_request', ('content-type', 'host'))
>>> parse_authorization("TC3-HMAC-SHA256 XCredential=AKIDvictim/, Credential=AKIDother/"
...                     "2024-01-01/ckafka/tc3_request, SignedHeaders=content-type;host, "
...                     "Signature=0")
Traceback (most recent call last):
  ...
pytest_ckafka.api.authorization.AuthorizationError: The Authorization header has an unknown field \
`XCredential`; did you mean `Credential`? Its fields are exactly `Credential`, `SignedHeaders` \
and `Signature`, each once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional, Union

from .suggest import closest

__all__ = [
    "TC3_ALGORITHM",
    "V1_MARKERS",
    "AuthorizationError",
    "Claim",
    "MalformedAuthorization",
    "MixedProtocols",
    "TC3Authorization",
    "V1Signature",
    "parse_authorization",
    "read_claim",
]

TC3_ALGORITHM = "TC3-HMAC-SHA256"
"""The algorithm word that opens every TC3 ``Authorization`` header."""

V1_MARKERS = frozenset(("Signature", "SecretId", "SignatureMethod"))
"""Parameters that make a query string or form body a v1-signed request."""

_FIELDS = ("Credential", "SignedHeaders", "Signature")
_EXPECTED = (
    f"`{TC3_ALGORITHM} Credential=SecretId/YYYY-MM-DD/ckafka/tc3_request, "
    "SignedHeaders=content-type;host, Signature=...`"
)
# Echoed back only when it looks like a short name: a SecretId (36 characters), a SecretKey
# (32) or a token pasted in the wrong place is longer, and never repeated.
_WORD = re.compile(r"[A-Za-z0-9._-]{1,20}")
_SPACE = re.compile(r"\s")


class AuthorizationError(ValueError):
    """A malformed ``Authorization`` header; ``message`` says what is wrong, never its values."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MixedProtocols(ValueError):
    """A request that carries two signing protocols, so its parameters are ambiguous."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TC3Authorization:
    """A well-formed TC3-HMAC-SHA256 ``Authorization`` header, field by field."""

    secret_id: str
    date: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str = field(repr=False)

    @property
    def scope(self) -> str:
        """The credential scope: ``date/service/tc3_request``."""
        return f"{self.date}/{self.service}/tc3_request"


@dataclass(frozen=True)
class V1Signature:
    """A v1 (HmacSHA1/HmacSHA256) request: ``params`` is its whole signed parameter set.

    They are the very parameters the call executes with, common ones included.
    """

    params: Mapping[str, str] = field(repr=False)

    @property
    def secret_id(self) -> str:
        """The ``SecretId`` parameter ("" when absent)."""
        return self.params.get("SecretId", "")

    @property
    def method(self) -> str:
        """``SignatureMethod``, or ``HmacSHA1``: v1 documents it as the default."""
        return self.params.get("SignatureMethod") or "HmacSHA1"


@dataclass(frozen=True)
class MalformedAuthorization:
    """An ``Authorization`` header that does not parse (``SKIP`` included), and why."""

    message: str


Claim = Union[TC3Authorization, V1Signature, MalformedAuthorization, None]
"""What a request says about its signature; None: it is not signed at all."""


def read_claim(
    authorization: Optional[str], params: Mapping[str, str], *, params_are_signed: bool
) -> Claim:
    """The claim of one request; raise :class:`MixedProtocols` for one mixing two protocols.

    ``params`` are the query string's parameters (and, for a form POST, the form's);
    ``params_are_signed`` is False when a JSON body carries the call's parameters, so
    v1 parameters in the query would sign something other than what is executed.

    >>> read_claim(None, {"Action": "DescribeTopic", "SecretId": "AKIDx"},
    ...            params_are_signed=True).secret_id
    'AKIDx'
    >>> read_claim("SKIP", {}, params_are_signed=False)
    MalformedAuthorization(message='The Authorization header must start with \
`TC3-HMAC-SHA256`, got `SKIP`.')
    """
    v1 = sorted(V1_MARKERS.intersection(params))
    if v1:
        names = ", ".join(f"`{name}`" for name in v1)
        if authorization is not None:
            raise MixedProtocols(
                f"The request has an Authorization header and the v1 signature parameters "
                f"{names}: sign it one way, with TC3-HMAC-SHA256 in the Authorization header "
                "or with the v1 parameters `SecretId`, `Timestamp`, `Nonce`, `Signature`."
            )
        if not params_are_signed:
            raise MixedProtocols(
                f"The request has the v1 signature parameters {names} in its query string and "
                "its parameters in a JSON body, which v1 does not sign: send every parameter "
                "in the signed query string or form body, or sign with TC3-HMAC-SHA256."
            )
        return V1Signature(dict(params))
    if authorization is None:
        return None
    try:
        return parse_authorization(authorization)
    except AuthorizationError as exc:
        return MalformedAuthorization(exc.message)


def parse_authorization(value: str) -> TC3Authorization:
    """Parse a TC3 ``Authorization`` header strictly, or raise :class:`AuthorizationError`."""
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != TC3_ALGORITHM:
        shown = algorithm if not algorithm or _WORD.fullmatch(algorithm) else "something else"
        raise AuthorizationError(
            f"The Authorization header must start with `{TC3_ALGORITHM}`, got `{shown}`."
        )
    fields: dict[str, str] = {}
    for position, item in enumerate(rest.split(",") if rest.strip() else [], start=1):
        name, equals, text = item.strip().partition("=")
        if not equals:
            raise AuthorizationError(
                f"Item {position} of the Authorization header is not `Name=value`; "
                f"expected {_EXPECTED}."
            )
        if name not in _FIELDS:
            shown = f"`{name}`" if _WORD.fullmatch(name) else "without a valid name"
            best = closest(name, _FIELDS, n=1) if _WORD.fullmatch(name) else []
            hint = f"; did you mean `{best[0]}`?" if best else "."
            raise AuthorizationError(
                f"The Authorization header has an unknown field {shown}{hint} Its fields are "
                "exactly `Credential`, `SignedHeaders` and `Signature`, each once."
            )
        if name in fields:
            raise AuthorizationError(
                f"The Authorization header has `{name}=` twice; each field may appear once."
            )
        if not text or _SPACE.search(text):
            problem = "is empty" if not text else "contains whitespace"
            raise AuthorizationError(f"The Authorization header's `{name}=` value {problem}.")
        fields[name] = text
    for name in _FIELDS:
        if name not in fields:
            raise AuthorizationError(
                f"The Authorization header has no `{name}=`; expected {_EXPECTED}."
            )
    scope = fields["Credential"].split("/")
    if len(scope) != 4 or not all(scope) or scope[3] != "tc3_request":
        raise AuthorizationError(
            "Credential must be `SecretId/YYYY-MM-DD/<service>/tc3_request`: four non-empty "
            "parts separated by `/`, the last one `tc3_request`."
        )
    secret_id, date, service, _ = scope
    signed = tuple(fields["SignedHeaders"].split(";"))
    return TC3Authorization(secret_id, date, service, signed, fields["Signature"])
