"""The fake CKafka API without any transport: the core, stubs, the call log, faults.

Public names are imported from ``pytest_ckafka``; this package re-exports nothing.
"""

__all__: list[str] = []
