"""Page debris fused into article text, removed at reading time (summarize.textclean)."""

from __future__ import annotations

import json

import pytest

from summarize.articles import text_id
from summarize.inputs import load_articles
from summarize.textclean import clean_text


@pytest.mark.parametrize("raw, clean", [
    ("Intro.\n\nSyrian forcesMilitants and their allies attacked.",
     "Intro.\n\nSyrian forces\nMilitants and their allies attacked."),
    ("28.04.2017Get short URL 1195 Over 100 fighters were killed.",
     "28.04.2017 Over 100 fighters were killed."),
    ("Fighters near the border (File photo) (Example Agencies) A bomb exploded.",
     "Fighters near the border (Example Agencies) A bomb exploded."),
    ("The minister attends a meeting Thursday (Photo AP) Print Tweet",
     "The minister attends a meeting Thursday Print Tweet"),
    ("Soldiers pose for a picture. (Photo by AFP)\n\nThe gains came a day later.",
     "Soldiers pose for a picture.\n\nThe gains came a day later."),
    ("Army forces. File photo\n\nExample News", "Army forces.\n\nExample News"),
    ("Posted 2016Syria news", "Posted 2016 Syria news"),
])
def test_debris_is_removed_and_fused_words_split(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize("text", [
    "Messages were sent on WhatsApp and shown on YouTube.",
    "Senator McCain and Staffan de Mistura met in Geneva.",
    "The al-Nusra Front and ISIS fought in Deir Ezzor.",
    "A photo of the victims was shared by the Photo Agency.",
    "Some 2,000 people fled on 3 May 2017.",
])
def test_ordinary_text_is_unchanged(text):
    assert clean_text(text) == text


def test_cleaning_twice_changes_nothing_more():
    raw = "forcesMilitants (File photo) Get short URL 12 2017Over it"
    assert clean_text(clean_text(raw)) == clean_text(raw)


def test_nothing_but_debris_keeps_the_text():
    assert clean_text("  Get short URL 12 ") == "Get short URL 12"


def test_every_reader_cleans_and_keeps_the_id_of_the_file_text(tmp_path):
    raw = "Syrian forcesMilitants attacked the town on Monday."
    (tmp_path / "a.txt").write_text(f"Title\n\n{raw}\n", "utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"title": "T", "text": raw}), "utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "x1", "text": raw}) + "\n", "utf-8")
    articles = load_articles(tmp_path)
    assert [a.text for a in articles] == ["Syrian forces\nMilitants attacked the town on Monday."] * 3
    assert [a.id for a in articles] == [text_id(raw), f"{text_id(raw)}#2", "x1"]


def test_a_run_of_fused_words_is_split_at_every_place_at_once():
    raw = "standardsDiscussionComment via Facebook"
    assert clean_text(raw) == "standards\nDiscussion\nComment via Facebook"
    assert clean_text(clean_text(raw)) == clean_text(raw)


def test_a_share_link_is_removed():
    assert clean_text("Published August 1 2016 SEND httpsexample.lyAbc At least 15 people died.") == \
        "Published August 1 2016 At least 15 people died."


def test_the_quick_check_changes_nothing_the_full_passes_would_not():
    """clean_text skips the fused-word and fused-number passes when no capital follows a
    lower-case letter or a digit: on random text it equals running them always."""
    import random

    from summarize import textclean

    def always(text: str) -> str:
        original = text
        if "short URL" in text or "SEND" in text:
            text = textclean._SHORT_URL.sub(" ", text)
        if "hoto" in text:
            text = textclean._PHOTO_CREDIT.sub("", text)
        text = textclean._LETTERS.sub(textclean._split_fused, text)
        text = textclean._FUSED_NUMBER.sub(" ", text).strip()
        return text or original.strip()

    pieces = ["forcesMilitants", "28.04.2017Over", "WhatsApp", "McCain", "xyzAbcDef", "ÉtéAbc",
              "iPhone", "٣Abc", "3Abc", "killed", "Aleppo", "(File photo)", "  ", "\n", ". "]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 12)))
        assert clean_text(text) == always(text), repr(text)
