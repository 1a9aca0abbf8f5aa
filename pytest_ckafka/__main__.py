"""``python -m pytest_ckafka``: the ``pytest-ckafka`` command (see :mod:`.server.cli`)."""

import sys

from .server.cli import main

sys.exit(main())
