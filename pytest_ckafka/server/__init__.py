"""The fake as a real HTTP server: ``FakeServer``, its control API, the CLI, seeding.

Public names are imported from ``pytest_ckafka``; this package re-exports nothing.
"""

__all__: list[str] = []
