"""How commands name files in what they print: relative to the working folder when the
file is under it (``evals/gold``, not the machine's absolute path), else as given."""

from __future__ import annotations

import os
from pathlib import Path


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the current folder when it lies under it, else unchanged."""
    given = Path(path)
    try:
        return str(given.resolve().relative_to(Path.cwd().resolve())) if given.is_absolute() \
            else str(given)
    except (ValueError, OSError):
        return str(given)
