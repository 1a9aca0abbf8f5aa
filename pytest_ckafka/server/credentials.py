"""Credentials as JSON entries: the ``--credentials`` file and ``/_ckafka/credentials``.

One parser for both, as keys are security-relevant: an entry is
``{"secret_id", "secret_key", "token"?, "token_expires_at"?, "account"?}``, the
keyword arguments of :meth:`~pytest_ckafka.CKafka.add_credentials`. A list
is registered all or none. What is shown back (:func:`credential_entry`) never
holds the key or the token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..api.json_types import json_kind
from ..api.signing import Credentials, CredentialStore
from ..api.suggest import unknown_name_message
from ..checks.ckafka import CKafka
from ..defaults import DEFAULT_ACCOUNT
from ..exceptions import CKafkaUsageError

__all__ = ["CREDENTIAL_FIELDS", "add_credential_entries", "credential_entry"]

CREDENTIAL_FIELDS = ("secret_id", "secret_key", "token", "token_expires_at", "account")
"""The keys of a credentials entry; the first two are required."""
_REQUIRED = CREDENTIAL_FIELDS[:2]


def add_credential_entries(fake: CKafka, entries: Any, root: str = "") -> list[Credentials]:
    """Register one entry (an object) or a list of them on ``fake``; all or none.

    An error in the N-th entry of a list is prefixed ``ROOT[N]: `` and nothing is
    registered. Returns the credentials registered, in order.

    >>> from pytest_ckafka import CKafka
    >>> fake = CKafka(strict_auth=True)
    >>> added = add_credential_entries(fake, [{"secret_id": "AKIDa", "secret_key": "k",
    ...                                        "account": "team"}])
    >>> credential_entry(added[0])
    {'secret_id': 'AKIDa', 'account': 'team', 'temporary': False, 'token_expires_at': None}
    >>> add_credential_entries(fake, [{"secret_id": "AKIDb", "secret_kye": "k"}], "credentials")
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: credentials[0]: unknown key "secret_kye": did you \
mean "secret_key"? Valid choices: account, secret_id, secret_key, token, token_expires_at.
    """
    items = entries if isinstance(entries, list) else [entries]
    # Checked into a scratch store first, so a bad entry anywhere registers nothing.
    scratch = CredentialStore()
    for index, entry in enumerate(items):
        where = f"{root}[{index}]: " if isinstance(entries, list) else ""
        try:
            scratch.add(**_keywords(entry))
        except CKafkaUsageError as exc:
            raise CKafkaUsageError(f"{where}{exc}") from None
    added = list(scratch)
    for credentials in added:
        fake.add_credentials(
            credentials.secret_id,
            credentials.secret_key,
            token=credentials.token,
            token_expires_at=credentials.token_expires_at,
            account=credentials.account,
        )
    return added


def credential_entry(
    credentials: Credentials, default_account: str = DEFAULT_ACCOUNT
) -> dict[str, Any]:
    """What may be shown of a key: its SecretId, account and expiry, never the key or token."""
    return {
        "secret_id": credentials.secret_id,
        "account": credentials.account or default_account,
        "temporary": credentials.token is not None,
        "token_expires_at": credentials.token_expires_at,
    }


def _keywords(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        raise CKafkaUsageError(
            'expected an object {"secret_id", "secret_key", "token"?, "token_expires_at"?, '
            f'"account"?}}, got {json_kind(entry)}'
        )
    for key in entry:
        if key not in CREDENTIAL_FIELDS:
            raise CKafkaUsageError(unknown_name_message("key", key, CREDENTIAL_FIELDS))
    for key in _REQUIRED:
        if key not in entry:
            raise CKafkaUsageError(f'missing "{key}"')
    return dict(entry)
