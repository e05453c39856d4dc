"""Allow ``python -m screener``."""

from __future__ import annotations

import sys

from screener.cli import main

sys.exit(main())
