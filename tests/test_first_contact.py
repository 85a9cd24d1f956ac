"""What a new user meets first, through the installed ``summarize`` entry point: every
kind of input read, inputs that are not regular files reported and counted, a broken
HTML reader costing only the HTML articles, usage errors as one line with exit 2, a dry
run that needs no key, a gate that cannot silently fall back to the baseline, and an
endpoint that is not there stopping the batch at once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarize import BatchOptions, ConfigError, Settings, load_articles, run_batch
from summarize.errors import EndpointUnreachableError
from tests.conftest import run_cli, subprocess_env
from tests.test_bad_input import HTML
from tests.test_cli_run import read_records

ENTRY_POINT = Path(sys.executable).with_name("summarize")

TEXT = "At least 12 civilians were killed in Aleppo on Monday, the Syrian Observatory said."


def summarize_cli(*args: str, cwd: Path, stdin: str | None = None,
                  timeout: float = 120) -> subprocess.CompletedProcess:
    """The console script pip installed, as a user runs it."""
    return subprocess.run([str(ENTRY_POINT), *args], cwd=cwd, env=subprocess_env(),
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def write_every_kind(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.txt").write_text(f"Clashes in Aleppo\n{TEXT}\n")
    (folder / "b.md").write_text(f"# Shelling in Idlib\n\n{TEXT.replace('Aleppo', 'Idlib')}\n")
    (folder / "c.json").write_text(json.dumps({"id": "c", "title": "Homs", "source": "sana",
                                               "text": TEXT.replace("Aleppo", "Homs")}))
    (folder / "d.jsonl").write_text(
        json.dumps({"id": "d1", "text": TEXT.replace("Aleppo", "Hama")}) + "\n"
        + json.dumps({"id": "d2", "text": TEXT.replace("Aleppo", "Daraa")}) + "\n")
    (folder / "e.html").write_text(HTML)


@pytest.mark.skipif(not ENTRY_POINT.exists(), reason="summarize is not installed in this venv")
def test_every_input_kind_is_read_through_the_installed_entry_point(tmp_path: Path):
    write_every_kind(tmp_path / "in")
    result = summarize_cli("run", "in", "-", "-o", "out.jsonl", cwd=tmp_path,
                           stdin=f"From stdin\n{TEXT.replace('Aleppo', 'Raqqa')}\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    records = read_records(tmp_path / "out.jsonl")
    by_path = {}
    for record in records:
        by_path.setdefault(Path(record["article"]["path"]).name, []).append(record)
    assert sorted(by_path) == ["-", "a.txt", "b.md", "c.json", "d.jsonl", "e.html"]
    assert len(records) == 7 and all(r["status"] == "ok" for r in records)
    html = by_path["e.html"][0]["article"]
    assert "Kafr Nabl" in html["text"] and "NAV-TEXT" not in html["text"]
    assert all(r["summary"]["casualties"] for r in records if r["article"]["path"] != "e.html")


def test_an_html_and_a_text_article_give_two_ok_records(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.html").write_text(HTML)
    (tmp_path / "in" / "story.txt").write_text(f"Clashes\n{TEXT}\n")
    result = run_cli("run", "in", "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [r["status"] for r in read_records(tmp_path / "out.jsonl")] == ["ok", "ok"]


#: Runs summarize with the HTML cleaner's module made unimportable, as on a machine
#: where pip skipped lxml_html_clean.
_WITHOUT_HTML_CLEAN = (
    "import sys; sys.modules['lxml_html_clean'] = None; sys.modules['lxml.html.clean'] = None;"
    "sys.argv = ['summarize', *sys.argv[1:]]; from summarize.cli import main; main()")


def test_a_missing_html_module_costs_only_the_html_articles(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("one", "two"):
        (folder / f"{name}.txt").write_text(f"Title {name}\n{TEXT} ({name})\n")
        (folder / f"{name}.html").write_text(HTML.replace("Kafr Nabl", f"Kafr Nabl {name}"))
    result = subprocess.run([sys.executable, "-c", _WITHOUT_HTML_CLEAN, "run", "in", "-o",
                             "out.jsonl"], cwd=tmp_path, env=subprocess_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    records = {Path(r["article"]["path"]).name: r for r in read_records(tmp_path / "out.jsonl")}
    assert sorted(records) == ["one.html", "one.txt", "two.html", "two.txt"]
    assert records["one.txt"]["status"] == records["two.txt"]["status"] == "ok"
    for name in ("one.html", "two.html"):
        error = records[name]["error"]
        assert error["type"] == "input_error"
        assert "cannot read HTML" in error["message"] and "lxml_html_clean" in error["message"]
        assert "\n" not in error["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_paths_that_are_not_regular_files_each_get_a_record_and_are_counted(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(f"Good\n{TEXT}\n")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7")
    (folder / "README").write_text("not an article")
    result = run_cli("run", "in", "-o", "out.jsonl", cwd=tmp_path, timeout=60)
    assert result.returncode == 1, result.stderr
    records = {Path(r["article"]["path"]).name: r for r in read_records(tmp_path / "out.jsonl")}
    assert sorted(records) == ["dangling.txt", "good.txt", "loop-a.txt", "loop-b.txt", "pipe.txt"]
    assert records["good.txt"]["status"] == "ok"
    assert "dangling symlink" in records["dangling.txt"]["error"]["message"]
    assert "symlink loop" in records["loop-a.txt"]["error"]["message"]
    assert "FIFO" in records["pipe.txt"]["error"]["message"]
    assert "5 of 5 articles" in result.stderr
    assert "skipped 2 file(s)" in result.stderr and "README" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_as_an_input_is_refused_not_read(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe")
    [article] = load_articles(tmp_path / "pipe")  # would block forever if it were opened
    assert "FIFO" in article.error and "not read" in article.error


def test_an_explicit_input_that_does_not_exist_is_a_usage_error(tmp_path: Path):
    result = run_cli("run", "/no/such/file.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: /no/such/file.txt: no such file or folder"
    glob_result = run_cli("run", "none/*.txt", cwd=tmp_path)  # a glob stays an error record
    assert glob_result.returncode == 1
    assert "no file matches this pattern" in glob_result.stdout


def test_a_suffix_that_contradicts_the_format_is_refused(tmp_path: Path):
    (tmp_path / "a.txt").write_text(f"Title\n{TEXT}\n")
    result = run_cli("run", "a.txt", "-o", "x.csv", "--format", "jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "x.csv names a csv file but --format is jsonl" in result.stderr
    assert not (tmp_path / "x.csv").exists()
    assert run_cli("run", "a.txt", "-o", "x.out", "--format", "csv", cwd=tmp_path).returncode == 0


def test_a_dry_run_estimates_the_model_named_without_a_key(tmp_path: Path):
    (tmp_path / "a.txt").write_text(f"Title\n{TEXT}\n")
    result = run_cli("run", "a.txt", "--dry-run", "--model", "gpt-4o", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "model gpt-4o: about" in result.stdout
    assert "cost: about $" in result.stdout
    rules = run_cli("run", "a.txt", "--dry-run", cwd=tmp_path)
    assert "backend rules: no model calls" in rules.stdout


def test_a_gate_with_no_model_endpoint_is_a_usage_error_not_a_baseline_pass(tmp_path: Path):
    result = run_cli("eval", "--fail-under", "casualties.f1=0.1", cwd=tmp_path)
    assert result.returncode == 2
    assert "--backend rules" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    baseline = run_cli("eval", "--backend", "rules", "--fail-under", "casualties.f1=0.1",
                       cwd=tmp_path)
    assert baseline.returncode == 0, baseline.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_endpoint_that_is_not_there_stops_the_api_batch_with_one_error(tmp_path: Path):
    articles = load_articles([_write(tmp_path, n) for n in range(30)])
    settings = Settings(backend="openai", base_url=f"http://127.0.0.1:{_free_port()}/v1",
                        backoff_initial=0.05)
    started = time.monotonic()
    with pytest.raises(EndpointUnreachableError) as raised:
        run_batch(articles, settings, options=BatchOptions(concurrency=4, use_cache=False))
    elapsed = time.monotonic() - started
    assert isinstance(raised.value, ConfigError)
    assert "no request reached the endpoint" in str(raised.value)
    records = raised.value.records
    assert len(records) == 30 and not any(r.ok for r in records)
    reasons = {r.error.reason for r in records}
    assert reasons == {"connection_error", "not_attempted"}
    sent = sum(r.usage.requests for r in records)
    assert sent <= 2 * 8, f"{sent} requests to an endpoint that never answered"
    assert elapsed < 30


def _write(folder: Path, number: int) -> Path:
    path = folder / f"a{number}.txt"
    path.write_text(f"Title {number}\n{TEXT} ({number})\n")
    return path
