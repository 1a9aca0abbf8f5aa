"""Record once, replay forever: a test's cassette, its file, replay index, recording.

Public names are imported from ``pytest_ckafka``; this package re-exports nothing.
"""

__all__: list[str] = []
