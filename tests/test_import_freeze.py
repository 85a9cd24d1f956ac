"""The openai/instructor import of the first model client, frozen with the collector
paused only in a process that asked for it (the command line, summarize.cli.main): a
library caller's process keeps its collector and its unfrozen objects, even when it
froze its own (a pre-fork server does). Each case runs in a fresh interpreter, where that
import has not happened yet."""

from __future__ import annotations

from tests.conftest import run_python

_PROBE = """
import gc, sys
gc.freeze()  # the process froze what it holds so far
{opt_in}
from summarize.model.backend import OpenAIBackend
from summarize.settings import Settings
assert "summarize.model.client" not in sys.modules
before = gc.get_freeze_count()
OpenAIBackend(Settings(api_key="sk-test-0123456789", base_url="http://127.0.0.1:9/v1")).client
print(gc.get_freeze_count() - before, gc.isenabled())
"""


def _newly_frozen(opt_in: str) -> tuple[int, str]:
    frozen, enabled = run_python(_PROBE.format(opt_in=opt_in)).split()
    return int(frozen), enabled


def test_a_library_callers_frozen_process_is_left_as_it_is():
    frozen, enabled = _newly_frozen("")
    assert frozen <= 0  # nothing frozen (frozen objects freed since lower the count)
    assert enabled == "True"


def test_the_command_line_freezes_the_model_clients_imports_too():
    frozen, enabled = _newly_frozen(
        "from summarize.model.backend import freeze_later_imports; freeze_later_imports()")
    assert frozen > 10_000  # openai's and instructor's objects (about 100,000)
    assert enabled == "True"
