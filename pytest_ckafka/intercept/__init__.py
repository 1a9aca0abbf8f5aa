"""``mock()`` and ``CKafkaMock``: the fake wired to ``requests`` and ``httpx``.

Public names are imported from ``pytest_ckafka``; this package re-exports nothing.
"""

__all__: list[str] = []
