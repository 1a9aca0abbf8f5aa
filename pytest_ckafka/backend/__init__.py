"""The stateful backend: resources that live across calls (moto-style).

``models`` keeps the data, the family modules (``instances``, ``topics``,
``groups``, ``users``, ``acls``, ``routes``, ``messages``, ``catalog``) answer
one action per function, ``dispatch.Backend`` routes a call to them under one
lock, and ``state.State`` is the seeding API behind ``ckafka.state``.
"""

from __future__ import annotations

from .dispatch import Backend, stateful_actions
from .errors import ApiError, allowed_codes
from .state import State

__all__ = ["ApiError", "Backend", "State", "allowed_codes", "stateful_actions"]
