"""``python -m pytest_ckafka``: the ``pytest-ckafka`` command (see :mod:`pytest_ckafka.cli`)."""

import sys

from .cli import main

sys.exit(main())
