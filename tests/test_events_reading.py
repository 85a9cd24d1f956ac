"""Reading a long records file by several processes gives what one process gives."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import signal
import threading
import time

import pytest

from summarize.errors import ConfigError
from summarize.events import group_events
from summarize.events.grouping import group_reports
from summarize.events import output
from summarize.events.output import iter_records, iter_reports
from tests.conftest import ROOT, run_cli, subprocess_env
from tests.events_records import failed, figure, report

PLACES = ["Aleppo", "Idlib", "Homs", "Raqqa"]


def _lines() -> str:
    records = []
    for n in range(24):
        place, day = PLACES[n % 4], f"2016-0{1 + n % 3}-1{n % 5}"
        text = f"Shelling killed {n + 3} people in {place} on Monday, a monitor said."
        records.append(report(f"r{n:02d}", text, source=f"Outlet {n % 6}", published=day, kinds=("shelling",),
                              figures=[figure(text, str(n + 3), n + 3, stated_by="a monitor")]))
    records.append(failed("err", "Aleppo blast kills six. A bomb went off in Aleppo.", published="2016-01-10"))
    return "".join(r.model_dump_json() + "\n" for r in records)


def _events(groups) -> list[dict]:
    return [g.as_json() for g in groups]


@pytest.fixture(autouse=True)
def small_tasks(monkeypatch):
    """Tasks of 4 lines: the 25 lines are 7 tasks for 2 workers, so results come back from
    several tasks and the queue of waiting tasks is topped up."""
    monkeypatch.setattr("summarize.events.output.TASK_LINES", 4)


@pytest.mark.parametrize("use_published", [True, False])
def test_several_processes_group_a_file_as_one_process_does(use_published):
    text = _lines()
    one = group_events(iter_records(io.StringIO(text), "r.jsonl", []), use_published=use_published)
    notices: list[str] = []
    several = group_reports(iter_reports(io.StringIO(text), "r.jsonl", notices, use_published=use_published,
                                         workers=2, parallel_after=5))
    assert _events(several) == _events(one) and not notices
    assert sum(len(g.records) for g in several) == 25


def test_a_torn_last_line_read_by_several_processes_is_skipped_with_a_notice():
    notices: list[str] = []
    reports = list(iter_reports(io.StringIO(_lines() + '{"id": "half'), "r.jsonl", notices, workers=2,
                                parallel_after=5))
    assert len(reports) == 25 and len(notices) == 1
    assert notices[0].startswith("r.jsonl:26: skipped a torn last line")


def test_a_bad_line_read_by_several_processes_names_its_file_and_line():
    lines = _lines().splitlines(keepends=True)
    lines[20] = json.dumps({"id": "x", "status": "ok"}) + "\n"
    with pytest.raises(ConfigError, match=r"r\.jsonl:21: not a summarize record"):
        list(iter_reports(io.StringIO("".join(lines)), "r.jsonl", [], workers=2, parallel_after=5))


@pytest.mark.parametrize("read", [
    lambda stream: list(iter_records(stream, "r.jsonl", [])),
    lambda stream: list(iter_reports(stream, "r.jsonl", [], workers=1)),
])
def test_blank_lines_before_the_first_record_count_in_a_bad_lines_number(read):
    lines = _lines().splitlines(keepends=True)
    lines[2] = "not json\n"
    with pytest.raises(ConfigError, match=r"r\.jsonl:5: not a JSON line"):
        read(io.StringIO("\n \n" + "".join(lines)))
    # a lone bad line is an error, not a torn last line, however many blank lines open the file
    with pytest.raises(ConfigError, match=r"r\.jsonl:3: not a JSON line"):
        read(io.StringIO("\n\nnot json\n"))


#: Where the first worker to die leaves its mark, and the test's own process (set per test).
_DEATH: dict = {}


def _dies_once(lines, **options):
    """The workers' task, except that the first call in a worker process exits it at once
    (as a worker killed for memory does): fork carries this patch into the workers."""
    if os.getpid() != _DEATH["parent"]:
        try:
            os.close(os.open(_DEATH["marker"], os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            pass
        else:
            os._exit(1)
    return _DEATH["task"](lines, **options)


@pytest.fixture
def a_worker_dies(monkeypatch, tmp_path):
    """The first worker process to take a task dies; the path it marks."""
    marker = tmp_path / "died"
    monkeypatch.setitem(_DEATH, "marker", marker)
    monkeypatch.setitem(_DEATH, "parent", os.getpid())
    monkeypatch.setitem(_DEATH, "task", output._task_reports)
    monkeypatch.setattr(output, "_task_reports", _dies_once)
    return marker


def _within(seconds: float, call):
    """``call()``'s result, or a failed test (not a hung suite) when it is not back in time."""
    done: dict = {}

    def run() -> None:
        try:
            done["result"] = call()
        except Exception as exc:  # raised again in the test's thread
            done["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"not done after {seconds} s: the reading hangs")
    if "error" in done:
        raise done["error"]
    return done["result"]


@pytest.mark.parametrize("use_published", [True, False])
def test_a_worker_that_dies_loses_no_report_and_hangs_nothing(a_worker_dies, caplog, use_published):
    text = _lines()
    serial = list(iter_reports(io.StringIO(text), "r.jsonl", [], use_published=use_published, workers=1))
    notices: list[str] = []
    reports = _within(120, lambda: list(iter_reports(io.StringIO(text), "r.jsonl", notices,
                                                     use_published=use_published, workers=2, parallel_after=5)))
    assert a_worker_dies.exists()  # a worker did die
    assert [r.id for r in reports] == [r.id for r in serial]  # every report once, in order
    assert reports == serial and not notices
    assert "a worker process reading lines" in caplog.text and "died" in caplog.text
    grouped = _events(group_reports(iter(reports)))
    assert grouped == _events(group_events(iter_records(io.StringIO(text), "r.jsonl", []),
                                           use_published=use_published))


def test_a_worker_that_dies_keeps_the_notices_and_errors_of_the_lines(a_worker_dies):
    notices: list[str] = []
    reports = _within(120, lambda: list(iter_reports(io.StringIO(_lines() + '{"id": "half'), "r.jsonl", notices,
                                                     workers=2, parallel_after=5)))
    assert a_worker_dies.exists() and len(reports) == 25
    assert len(notices) == 1 and notices[0].startswith("r.jsonl:26: skipped a torn last line")
    lines = _lines().splitlines(keepends=True)
    lines[20] = json.dumps({"id": "x", "status": "ok"}) + "\n"
    a_worker_dies.unlink()
    with pytest.raises(ConfigError, match=r"r\.jsonl:21: not a summarize record"):
        _within(120, lambda: list(iter_reports(io.StringIO("".join(lines)), "r.jsonl", [], workers=2,
                                               parallel_after=5)))


#: Where the first worker to get stuck writes its process id, and the test's own process.
_STUCK: dict = {}


def _stuck_once(lines, **options):
    """The workers' task, except that the first call in a worker process writes its id and
    then stops the process (SIGSTOP) or sleeps inside the task (a deadlock): alive, but no
    answer ever comes back. Fork carries this patch into the workers."""
    if os.getpid() != _STUCK["parent"]:
        try:
            handle = os.open(_STUCK["marker"], os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.write(handle, str(os.getpid()).encode())
            os.close(handle)
            if _STUCK["how"] == "stop":
                os.kill(os.getpid(), signal.SIGSTOP)
            else:
                time.sleep(3600)
    return _STUCK["task"](lines, **options)


def _gone(pid: int) -> bool:
    """Whether process ``pid`` no longer exists (ended and reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(params=["stop", "sleep"])
def a_worker_is_stuck(request, monkeypatch, tmp_path):
    """The first worker process to take a task stops answering; a task's deadline is 2 s.
    Yields the path where it writes its process id, and ends it afterwards whatever the
    test did, so that no stopped process is left behind."""
    marker = tmp_path / "stuck"
    monkeypatch.setitem(_STUCK, "marker", marker)
    monkeypatch.setitem(_STUCK, "parent", os.getpid())
    monkeypatch.setitem(_STUCK, "how", request.param)
    monkeypatch.setitem(_STUCK, "task", output._task_reports)
    monkeypatch.setattr(output, "_task_reports", _stuck_once)
    monkeypatch.setenv(output.DEADLINE_VARIABLE, "2")
    yield marker
    if marker.exists() and not _gone(pid := int(marker.read_text())):
        for sig in (signal.SIGCONT, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)


@pytest.mark.parametrize("use_published", [True, False])
def test_a_worker_that_stops_answering_is_ended_and_its_lines_read_here(a_worker_is_stuck, caplog,
                                                                        use_published):
    text = _lines()
    serial = list(iter_reports(io.StringIO(text), "r.jsonl", [], use_published=use_published, workers=1))
    notices: list[str] = []
    reports = _within(120, lambda: list(iter_reports(io.StringIO(text), "r.jsonl", notices,
                                                     use_published=use_published, workers=2, parallel_after=5)))
    assert a_worker_is_stuck.exists()  # a worker did get stuck
    assert [r.id for r in reports] == [r.id for r in serial]  # every report once, in order
    assert reports == serial and not notices
    warnings = [r for r in caplog.records if "worker process reading lines" in r.getMessage()]
    assert len(warnings) == 1 and "gave no result in 2 s" in warnings[0].getMessage()
    assert _gone(int(a_worker_is_stuck.read_text()))  # ended, not left stopped or asleep
    grouped = _events(group_reports(iter(reports)))
    assert grouped == _events(group_events(iter_records(io.StringIO(text), "r.jsonl", []),
                                           use_published=use_published))


def test_a_worker_that_stops_answering_keeps_the_notices_of_the_lines(a_worker_is_stuck):
    notices: list[str] = []
    reports = _within(120, lambda: list(iter_reports(io.StringIO(_lines() + '{"id": "half'), "r.jsonl", notices,
                                                     workers=2, parallel_after=5)))
    assert a_worker_is_stuck.exists() and len(reports) == 25
    assert len(notices) == 1 and notices[0].startswith("r.jsonl:26: skipped a torn last line")


def test_a_read_interrupted_while_a_worker_is_stuck_ends_the_workers(a_worker_is_stuck, monkeypatch):
    """Ctrl-C (KeyboardInterrupt) while a task's result is awaited: the workers are killed,
    not left to finish tasks nobody will read (a stopped or stuck one would keep the
    command from exiting: the executor's thread waits for its workers at exit)."""
    monkeypatch.setenv(output.DEADLINE_VARIABLE, "600")
    parent = os.getpid()

    def interrupt() -> None:
        for _ in range(1200):
            if a_worker_is_stuck.exists():
                time.sleep(0.5)  # the reader is waiting for the stuck task's result
                os.kill(parent, signal.SIGINT)
                return
            time.sleep(0.05)

    threading.Thread(target=interrupt, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        list(iter_reports(io.StringIO(_lines()), "r.jsonl", [], workers=2, parallel_after=5))
    assert _gone(int(a_worker_is_stuck.read_text()))
    # the other worker was killed too; on a loaded machine it may take a moment to be reaped
    for _ in range(300):
        if not multiprocessing.active_children():
            break
        time.sleep(0.1)
    assert not multiprocessing.active_children()


def test_a_tasks_deadline_grows_with_its_lines_and_the_environment_overrides_it(monkeypatch):
    monkeypatch.delenv(output.DEADLINE_VARIABLE, raising=False)
    assert output.task_deadline(0) >= 60 and output.task_deadline(250) > output.task_deadline(0)
    monkeypatch.setenv(output.DEADLINE_VARIABLE, "1.5")
    assert output.task_deadline(250) == 1.5
    for bad in ("soon", "0", "-3"):
        monkeypatch.setenv(output.DEADLINE_VARIABLE, bad)
        with pytest.raises(ConfigError, match=output.DEADLINE_VARIABLE):
            list(iter_reports(io.StringIO(_lines()), "r.jsonl", [], workers=2, parallel_after=5))


@pytest.mark.parametrize("bad", ["soon", "0", "-3", "nan", "inf", "1e400"])
def test_a_bad_deadline_is_a_config_error_for_any_stream_not_a_crash_of_the_wait(monkeypatch, bad):
    """Not a number, not more than 0 or not finite ("inf" once crashed the wait with an
    OverflowError): a ConfigError naming the variable, also for a stream too short for
    workers, where the value would otherwise go unnoticed until a longer one."""
    monkeypatch.setenv(output.DEADLINE_VARIABLE, bad)
    for parallel_after in (5, 2000):
        with pytest.raises(ConfigError, match=f"{output.DEADLINE_VARIABLE} must be a"):
            list(iter_reports(io.StringIO(_lines()), "r.jsonl", [], workers=2, parallel_after=parallel_after))


def test_a_bad_deadline_exits_2_with_one_line_naming_it(tmp_path):
    records = tmp_path / "r.jsonl"
    records.write_text(_lines(), encoding="utf-8")
    result = run_cli("events", str(records), cwd=tmp_path, env={output.DEADLINE_VARIABLE: "inf"})
    assert result.returncode == 2 and not result.stdout
    assert f"{output.DEADLINE_VARIABLE} must be a finite number of seconds more than 0, not 'inf'" in result.stderr
    assert "Traceback" not in result.stderr


#: The child of the next test: reads the test lines by two workers with a deadline of 8 s;
#: the worker's task waits for the file GO (written while the job is stopped).
_STOPPED_JOB = """
import io, logging, os, sys, time
from summarize.events import output
from tests.test_events_reading import _lines
logging.basicConfig(level=logging.WARNING)
parent, ready, go = os.getpid(), sys.argv[1], sys.argv[2]
task = output._task_reports
def waiting(lines, **options):
    if os.getpid() != parent:
        open(ready, "w").close()
        while not os.path.exists(go):
            time.sleep(0.02)
    return task(lines, **options)
output._task_reports = waiting
print(len(list(output.iter_reports(io.StringIO(_lines()), "r.jsonl", [], workers=2, parallel_after=5))))
"""


def test_a_job_stopped_and_continued_does_not_count_the_stop_against_its_workers(tmp_path):
    """Ctrl-Z then fg: the whole job (this process and its workers) stopped for longer
    than a task's deadline, then continued, goes on with its workers; the time it was
    stopped is not theirs to answer for (before: the wait woke past its deadline, the
    healthy workers were killed and the rest read in one process)."""
    import subprocess
    import sys

    ready, go = tmp_path / "ready", tmp_path / "go"
    child = subprocess.Popen([sys.executable, "-c", _STOPPED_JOB, str(ready), str(go)],
                             env=subprocess_env({output.DEADLINE_VARIABLE: "8"}), cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for _ in range(1200):  # a worker took the task
            if ready.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists()
        os.killpg(child.pid, signal.SIGSTOP)
        time.sleep(11)  # stopped for longer than the deadline
        go.touch()
        os.killpg(child.pid, signal.SIGCONT)
        out, err = child.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGCONT)
            os.killpg(child.pid, signal.SIGKILL)
    assert child.returncode == 0, err
    assert out.strip() == "25"
    assert "worker process reading lines" not in err, err
