"""The CKafka API itself, pure: spec, error codes, protocol, envelopes, signing, hosts,
request validation, synthesized answers and body checks, scrubbing. No HTTP library.

Public names are imported from ``pytest_ckafka``; this package re-exports nothing.
"""

__all__: list[str] = []
