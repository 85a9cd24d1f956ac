"""Reading a long records file by several processes gives what one process gives."""

from __future__ import annotations

import io
import json

import pytest

from summarize.errors import ConfigError
from summarize.events import group_events
from summarize.events.grouping import group_reports
from summarize.events.output import iter_records, iter_reports
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
