"""A minimal Django project serving the example workflows at /api/novu."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:  # a checkout: find `examples` and the package
    sys.path.insert(0, _ROOT)
