"""Does client code handle errors? The policy, the error-handling matrix, the reports.

Public names are imported from ``pytest_ckafka``; this package re-exports nothing.
"""

__all__: list[str] = []
