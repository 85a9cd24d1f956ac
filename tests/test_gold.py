"""The gold set: enough articles, every label verbatim and schema-valid, the same text
summarize reads, and malformed files rejected with the file and the item named."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from summarize.inputs import load_articles
from summarize.errors import ConfigError, EvalDataError
from summarize.evaluation.gold import default_gold_dir, load_gold, load_gold_file
from summarize.schema import AttributedClaim, CasualtyFigure, LoadedTerm
from tests.conftest import EXAMPLES_DIR, GOLD_DIR, ROOT

EVENTS_DIR = ROOT / "evals" / "events"

GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


def test_at_least_60_articles_load_and_validate():
    golds = load_gold(GOLD_DIR)
    assert len(golds) >= 60
    seeds = [g for g in golds if g.origin.startswith("seed document")]
    fakes = [g for g in golds if g.origin.startswith("FA-KES")]
    assert len(seeds) == 5 and len(fakes) >= 55
    assert len({g.article.source for g in fakes}) >= 10, "FA-KES articles spread across outlets"
    assert sum(len(g.casualties) for g in golds) >= 150
    assert sum(len(g.claims) for g in golds) >= 300


def test_the_test_split_is_held_back_and_stratified_by_outlet():
    golds = load_gold(GOLD_DIR)
    test = [g for g in golds if g.split == "test"]
    assert len(test) >= 30
    assert all(g.first_pass is not None for g in test), "test files keep their first pass"
    outlets = {g.article.source for g in golds if g.origin.startswith("FA-KES")}
    with_test = {g.article.source for g in test}
    several = {o for o in outlets if sum(g.article.source == o for g in golds) >= 3}
    assert several <= with_test, f"outlets with 3+ articles but none held back: {several - with_test}"
    texts = {}
    for g in golds:
        texts.setdefault(" ".join(g.text.split()), set()).add(g.split)
    assert all(len(splits) == 1 for splits in texts.values()), "an identical text is in both splits"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_every_label_is_verbatim_and_parses_into_the_schema(path: Path):
    gold = json.loads(path.read_text("utf-8"))
    text = gold["article"]["text"]
    strict = {"article": text, "strict": True}
    for item in gold["claims"]:
        assert item["quote"] in text
        AttributedClaim.model_validate(item, context=strict)
    for item in gold["casualties"]:
        for quote in (item["quote"], *item["alt_quotes"]):
            assert quote in text, quote
        assert item["quantity_text"] in text and item["quantity_text"] in item["quote"]
        CasualtyFigure.model_validate({k: v for k, v in item.items() if k != "alt_quotes"}, context=strict)
    for item in gold["loaded_terms"]:
        assert item["term"] in text and item["term"] in item["quote"] and item["quote"] in text
        LoadedTerm.model_validate(item, context=strict)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_text_is_the_text_summarize_reads(path: Path):
    gold = json.loads(path.read_text("utf-8"))
    folder, name = re.search(r"(seed document |fakes-dev/|events-dev/)(\S+)$", gold["origin"]).groups()
    where = {"seed document ": EXAMPLES_DIR / "seeds", "fakes-dev/": EXAMPLES_DIR / "fakes-dev",
             "events-dev/": EVENTS_DIR / "articles"}[folder]
    (article,) = load_articles(where / name)
    assert article.text == gold["article"]["text"]
    assert article.id == gold["article"]["id"] == gold["id"]


# ---- malformed files --------------------------------------------------------------------


@pytest.fixture
def one_gold(tmp_path: Path) -> Path:
    """A copy of a gold file with claims and figures, in its own folder."""
    source = next(p for p in GOLD_FILES if (d := json.loads(p.read_text("utf-8")))["claims"]
                  and len(d["casualties"]) >= 2)
    folder = tmp_path / "gold"
    folder.mkdir()
    return Path(shutil.copy(source, folder / source.name))


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize("change, where, message", [
    (lambda d: d["claims"][0].update(quote="Words the article never printed."), "claims[0].quote",
     "does not occur verbatim"),
    (lambda d: d["casualties"][1].update(outcome="vanished"), "casualties[1].outcome", "Input should be"),
    (lambda d: d["casualties"][0].update(alt_quotes=["Not in the text at all."]), "casualties[0].alt_quotes[0]",
     "does not occur verbatim"),
    (lambda d: d["casualties"][0].update(quantity_text="98765"), "casualties[0].quantity_text",
     "does not occur verbatim"),
    (lambda d: d["casualties"][0].update(low=50, high=10), "casualties[0]", "greater than high"),
    (lambda d: d["claims"].append(dict(d["claims"][0])), "claims[", "same source and quote"),
    (lambda d: d["loaded_terms"].append({"term": "zyxwv", "quote": d["claims"][0]["quote"],
                                         "neutral_alternative": "x"}), "loaded_terms[", "zyxwv"),
    (lambda d: d["article"].pop("text"), "article.text", "Field required"),
    (lambda d: d["casualties"][1].update(perpetrater="the army"), "casualties[1]", "unknown field(s) 'perpetrater'"),
])
def test_a_malformed_gold_file_names_file_and_item(one_gold: Path, change, where, message):
    edit(one_gold, change)
    with pytest.raises(EvalDataError) as caught:
        load_gold(one_gold.parent)
    text = str(caught.value)
    assert str(one_gold) in text and where in text and message in text


def test_invalid_json_names_the_file(tmp_path: Path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(EvalDataError, match="broken.json"):
        load_gold_file(bad)


def test_duplicate_ids_are_rejected(one_gold: Path):
    shutil.copy(one_gold, one_gold.with_name("copy.json"))
    with pytest.raises(EvalDataError, match="is also the id of"):
        load_gold(one_gold.parent)


def test_missing_or_empty_folder_is_a_configuration_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_gold(tmp_path / "nope")
    with pytest.raises(ConfigError, match="no \\*.json"):
        load_gold(tmp_path)


def test_default_gold_dir_prefers_the_working_directory(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_gold_dir() == GOLD_DIR
    (tmp_path / "evals" / "gold").mkdir(parents=True)
    assert default_gold_dir() == tmp_path / "evals" / "gold"


def test_outlet_names():
    golds = {g.id: g for g in load_gold(GOLD_DIR)}
    fakes = next(g for g in golds.values() if g.article.source)
    assert fakes.outlet_names == {"the outlet", fakes.article.source}
    ara = next(g for g in golds.values() if "Source: ARA News" in g.text)
    assert "ARA News" in ara.outlet_names
