"""Scrubbing secrets out of what is kept: recorded cassettes, messages, the call log.

Public names are imported from ``pytest_ckafka``; this package re-exports nothing.
"""

__all__: list[str] = []
