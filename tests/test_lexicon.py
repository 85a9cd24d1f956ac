"""The loaded-terms lexicon finds one-sided words and tells attributed uses apart."""

from __future__ import annotations

import pytest

from summarize.lexicon import load_lexicon

LEXICON = load_lexicon()


def test_every_entry_names_a_known_source_and_a_neutral_alternative():
    assert len(LEXICON.entries) >= 25
    for entry in LEXICON.entries:
        assert entry.source in LEXICON.sources, entry.term
        assert entry.neutral.strip(), entry.term


@pytest.mark.parametrize("text, found", [
    ("Takfiri terrorists attacked", ["Takfiri", "terrorists"]),
    ("the Syrian regime’s army", ["regime"]),
    ("a ceasefire regime held", []),
    ("troops liberated the town", ["liberated"]),
    ("the so-called rebels", ["so-called"]),
    ("terrorist organizations", ["terrorist"]),
    ("martyrs fell", ["martyrs"]),
    ("Liberationists", []),
])
def test_find(text, found):
    assert [hit.text for hit in LEXICON.find(text)] == found


@pytest.mark.parametrize("summary", [
    'SANA said the army killed fighters it described as "terrorists".',
    "The army fought what the government calls terrorists near Aleppo.",
    "The group, labelled terrorists by Damascus, withdrew.",
    "Rebels, described by state media as terrorists, withdrew.",
    "Rahman said “the regime is launching counter-attacks”.",
])
def test_attributed_uses_are_allowed(summary):
    assert LEXICON.unattributed(summary) == []


@pytest.mark.parametrize("summary", [
    "Terrorists attacked army positions in Aleppo.",
    "The regime retook two hilltops. Government forces said so.",
    "The army liberated 13 towns, SANA said.",
])
def test_unattributed_uses_are_caught(summary):
    assert LEXICON.unattributed(summary)
