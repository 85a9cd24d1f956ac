"""``-v/--verbose``: log lines on stderr, with every secret blanked.

``-v`` shows INFO and above, ``-vv`` DEBUG, from every logger: this package's and those of
the libraries it drives (openai, instructor, httpx2, aiohttp ...). Every line passes
through the key-redaction of summarize.model.guards (the keys this process sent or read
from OPENAI_API_KEY, and key-shaped strings), applied to the whole formatted line,
traceback included. Without -v nothing is logged but warnings, as before.

:func:`verbose_option` is added to every command by the command group (see
summarize.cli), so a new command gets it without asking.
"""

from __future__ import annotations

import logging
import os
import sys

import click

#: The handler -v installs on the root logger (one per process).
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


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
    configure_logging(value or 0)


def verbose_option() -> click.Option:
    """The ``-v/--verbose`` option (repeatable; also $SUMMARIZE_VERBOSE=1 or 2)."""
    return click.Option(["-v", "--verbose"], count=True, expose_value=False, is_eager=True,
                        callback=_set_verbosity, envvar="SUMMARIZE_VERBOSE",
                        help="Log what happens to stderr (-vv: debug detail, HTTP included); "
                        "keys are blanked.")
