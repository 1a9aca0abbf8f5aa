"""The one parser of a request's signature claim (``pytest_ckafka.api.authorization``)."""

from __future__ import annotations

import doctest

import pytest

from pytest_ckafka.api import authorization
from pytest_ckafka.api.authorization import (
    AuthorizationError,
    MalformedAuthorization,
    MixedProtocols,
    TC3Authorization,
    V1Signature,
    parse_authorization,
    read_claim,
)

SIGNATURE = "ab" * 32
GOOD = (
    "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-01/ckafka/tc3_request, "
    f"SignedHeaders=content-type;host, Signature={SIGNATURE}"
)


def test_module_doctests() -> None:
    assert doctest.testmod(authorization).failed == 0


@pytest.mark.parametrize(
    "value",
    [
        GOOD,
        GOOD.replace(", ", ","),  # hand-made clients leave the spaces out
        f"  {GOOD}  ",
        "TC3-HMAC-SHA256 Signature=" + SIGNATURE + ", SignedHeaders=content-type;host, "
        "Credential=AKIDx/2024-01-01/ckafka/tc3_request",  # any order, each once
    ],
)
def test_well_formed_headers(value: str) -> None:
    assert parse_authorization(value) == TC3Authorization(
        "AKIDx", "2024-01-01", "ckafka", ("content-type", "host"), SIGNATURE
    )


def test_the_signature_is_not_in_the_repr() -> None:
    assert SIGNATURE not in repr(parse_authorization(GOOD))
    assert "secret-token" not in repr(V1Signature({"Token": "secret-token"}))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (GOOD.replace("TC3-HMAC-SHA256 ", "TC3-HMAC-SHA256/"), "must start with `TC3-HMAC-SHA256`,"
         " got `something else`."),
        (GOOD.replace("Credential=AKIDx/", "Credential=AKIDx/extra/"), "Credential must be "
         "`SecretId/YYYY-MM-DD/<service>/tc3_request`: four non-empty parts separated by `/`, "
         "the last one `tc3_request`."),
        (GOOD.replace("/tc3_request", "/tc3"), "the last one `tc3_request`."),
        (GOOD.replace("/ckafka/", "//"), "four non-empty parts"),
        (GOOD + ",", "Item 4 of the Authorization header is not `Name=value`"),
        (GOOD.replace("Signature=", "Signature = "), "unknown field without a valid name"),
        ("TC3-HMAC-SHA256", "The Authorization header has no `Credential=`"),
    ],
)  # fmt: skip
def test_malformed_headers(value: str, message: str) -> None:
    with pytest.raises(AuthorizationError) as info:
        parse_authorization(value)
    assert message in info.value.message


def test_read_claim() -> None:
    assert read_claim(None, {"Action": "DescribeTopic"}, params_are_signed=True) is None
    assert isinstance(read_claim(GOOD, {"Limit": "1"}, params_are_signed=True), TC3Authorization)
    assert read_claim("SKIP", {}, params_are_signed=True) == MalformedAuthorization(
        "The Authorization header must start with `TC3-HMAC-SHA256`, got `SKIP`."
    )
    claim = read_claim(None, {"SecretId": "AKIDv1", "Limit": "1"}, params_are_signed=True)
    assert isinstance(claim, V1Signature)
    assert (claim.secret_id, claim.method, dict(claim.params)) == (
        "AKIDv1",
        "HmacSHA1",
        {"SecretId": "AKIDv1", "Limit": "1"},
    )
    with pytest.raises(MixedProtocols, match="in its query string and its parameters in a JSON"):
        read_claim(None, {"Signature": "x"}, params_are_signed=False)
    with pytest.raises(MixedProtocols, match="has an Authorization header and the v1 signature"):
        read_claim("SKIP", {"SignatureMethod": "HmacSHA1"}, params_are_signed=True)
