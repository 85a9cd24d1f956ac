"""scripts/reclean_gold.py: gold files follow the reading-time cleaning mechanically."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "reclean_gold.py"


def _gold(folder: Path) -> Path:
    text = ("Intro line.\n\nArmy forcesMilitants launched an assault, killing 12 people, the army said. "
            "28.04.2017Get short URL 99 Over 100 terrorists were killed.")
    data = {
        "id": "x", "split": "test", "article": {"id": "x", "text": text},
        "claims": [{"cue": "said", "quote": "Army forcesMilitants launched an assault, killing 12 people, the army said."}],
        "casualties": [
            {"quantity_text": "12", "quote": "Army forcesMilitants launched an assault, killing 12 people, the army said.",
             "alt_quotes": []},
            {"quantity_text": "Over 100", "quote": "28.04.2017Get short URL 99 Over 100 terrorists were killed.",
             "alt_quotes": []}],
        "loaded_terms": [{"term": "terrorists", "quote": "28.04.2017Get short URL 99 Over 100 terrorists were killed."}],
        "first_pass": {"claims": [], "casualties": [], "loaded_terms": [
            {"term": "terrorists", "quote": "28.04.2017Get short URL 99 Over 100 terrorists were killed."}]},
    }
    path = folder / "x.json"
    path.write_text(json.dumps(data, indent=2), "utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True)


def test_text_and_quotes_follow_the_cleaning_and_nothing_else_changes(tmp_path):
    path = _gold(tmp_path)
    assert _run(str(tmp_path), "--check").returncode == 1
    assert json.loads(path.read_text("utf-8"))["article"]["text"].startswith("Intro line.\n\nArmy forcesMilitants")
    result = _run(str(tmp_path))
    assert result.returncode == 0 and "Militants" not in result.stdout  # no article text printed
    data = json.loads(path.read_text("utf-8"))
    text = data["article"]["text"]
    assert "forces\nMilitants" in text and "Get short URL" not in text
    cut = "Militants launched an assault, killing 12 people, the army said."
    assert data["claims"][0]["quote"] == cut and data["casualties"][0]["quote"] == cut
    assert data["casualties"][1]["quote"] == "28.04.2017 Over 100 terrorists were killed."
    assert data["first_pass"]["loaded_terms"][0]["quote"] == "28.04.2017 Over 100 terrorists were killed."
    assert [c["quantity_text"] for c in data["casualties"]] == ["12", "Over 100"]
    assert _run(str(tmp_path), "--check").returncode == 0  # idempotent
