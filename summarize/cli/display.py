"""How commands name files in what they print: relative to the working folder when the
file is under it (``evals/gold``, not the machine's absolute path), else as given.
The rule lives in summarize/paths.py (with the one for paths a written file records)."""

from __future__ import annotations

from summarize.paths import recorded_path, shown_path

__all__ = ["recorded_path", "shown_path"]
