"""``-v/--verbose``: log lines on stderr, with every secret blanked.

``-v`` shows INFO and above, ``-vv`` DEBUG, from every logger: this package's and those of
the libraries it drives (openai, instructor, httpx2, aiohttp ...), also in the worker
processes of ``--workers``. Every line passes through the key-redaction of
summarize.model.guards (see summarize.logs). Without -v nothing is logged but warnings,
as before.

:func:`verbose_option` is added to every command by the command group (see
summarize.cli), so a new command gets it without asking.
"""

from __future__ import annotations

import click

from summarize.logs import configure_logging


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
    configure_logging(value or 0)


def verbose_option() -> click.Option:
    """The ``-v/--verbose`` option (repeatable; also $SUMMARIZE_VERBOSE=1 or 2)."""
    return click.Option(["-v", "--verbose"], count=True, expose_value=False, is_eager=True,
                        callback=_set_verbosity, envvar="SUMMARIZE_VERBOSE",
                        help="Log what happens to stderr (-vv: debug detail, HTTP included); "
                        "keys are blanked.")
