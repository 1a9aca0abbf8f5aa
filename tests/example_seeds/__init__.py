"""What each stateful action's documented example needs seeded, one module per family.

``tests/test_sdk.py`` runs every stateful action's documented example input through
the official SDK against seeded state. The instance/topic/group/user/ACL/route
actions are seeded by ``_seed_example`` there; a family module here registers its
own seeding with :func:`seeds_for`, and the fix for an example the fake must refuse
first (with the code it answers) in :data:`REFUSED`. Every module of this package is
imported, so a new family adds a file and touches nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable

SeedFunc = Callable[[Any, dict[str, Any]], None]
"""Seeds ``ckafka`` (the fixture) for ``example`` (the documented input, which it may edit)."""

SEEDS: dict[str, SeedFunc] = {}
REFUSED: dict[str, tuple[str, dict[str, Any]]] = {}
"""action -> (the code the fake answers the documented example, the members that fix it)."""


def seeds_for(*actions: str) -> Callable[[SeedFunc], SeedFunc]:
    """Register the decorated function as the seeding of ``actions``' examples."""

    def register(func: SeedFunc) -> SeedFunc:
        for action in actions:
            if action in SEEDS:
                raise RuntimeError(f"{action} has two example seeds")
            SEEDS[action] = func
        return func

    return register


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
