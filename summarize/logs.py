"""Log lines on stderr with every secret blanked (``-v``/``-vv``), in this process or in
a worker process of ``--workers`` (which sets up the same logging as its parent).

Every line passes through the key-redaction of summarize.model.guards (the keys this
process sent or read from OPENAI_API_KEY, key-shaped strings, credentials in URLs),
applied to the whole formatted line, traceback included.
"""

from __future__ import annotations

import logging
import os
import sys

#: The handler :func:`configure_logging` installs on the root logger (one per process).
_HANDLER: logging.Handler | None = None


class _RedactingFormatter(logging.Formatter):
    """Formats a record, then blanks secrets in the whole text (message and traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        from summarize.model.guards import redact_text

        return redact_text(super().format(record))


def configure_logging(verbosity: int) -> None:
    """Log to stderr at INFO (``verbosity`` 1) or DEBUG (2 or more); 0 changes nothing.
    Calling it again only raises the level."""
    global _HANDLER
    if verbosity <= 0:
        return
    from summarize.model.guards import RedactingFilter, remember_secret

    remember_secret(os.environ.get("OPENAI_API_KEY"))
    level = logging.INFO if verbosity == 1 else logging.DEBUG
    root = logging.getLogger()
    if _HANDLER is None:
        _HANDLER = logging.StreamHandler(sys.stderr)
        _HANDLER.setFormatter(_RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        _HANDLER.addFilter(RedactingFilter())
        root.addHandler(_HANDLER)
    if root.getEffectiveLevel() > level:
        root.setLevel(level)


def current_verbosity() -> int:
    """The verbosity :func:`configure_logging` set in this process (0 when it did not):
    what a worker process is given to log as its parent does."""
    if _HANDLER is None:
        return 0
    return 2 if logging.getLogger().getEffectiveLevel() <= logging.DEBUG else 1
