"""The events JSON writer (orjson, one event at a time) writes the document json.dumps writes."""

from __future__ import annotations

import json

from summarize.inputs import load_articles
from summarize.events.grouping import EventGroup, group_events
from summarize.events.writers import FORMAT, FORMAT_VERSION, to_json
from summarize.pipeline import Summarizer
from summarize.places import gazetteer
from summarize.settings import Settings
from tests.conftest import ROOT
from tests.events_records import figure, report


def _dumps(groups: list[EventGroup], *, window_days: int, use_published: bool) -> str:
    """The document as the writer before orjson wrote it: json.dumps of the whole."""
    gaz = gazetteer()
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "window_days": window_days,
                "use_published": use_published, "gazetteer": {"source": gaz.source, "licence": gaz.licence},
                "events": [g.as_json() for g in groups]}
    return json.dumps(document, ensure_ascii=False, indent=1)


async def test_real_events_parse_to_what_json_dumps_wrote():
    articles = load_articles([ROOT / "evals" / "events" / "articles"])
    async with Summarizer(Settings(backend="rules")) as summarizer:
        records = [await summarizer.run(a) for a in articles]
    for use_published in (True, False):
        groups = group_events(records, use_published=use_published)
        text = to_json(groups, window_days=2, use_published=use_published)
        assert json.loads(text) == json.loads(_dumps(groups, window_days=2, use_published=use_published))
        assert len(json.loads(text)["events"]) == len(groups) > 5
        assert text.endswith("\n  ]\n}\n") and '\n    {\n      "id": ' in text  # each event two levels down


def test_non_ascii_text_is_written_as_utf8_characters():
    first = "Six people were killed in Aleppo (حلب) on Monday, « a monitor » said — naïvely\nquoted \"x\"."
    second = "Seven people died in Aleppo on Monday."
    records = [report("r1", first, title="Six killed in Aleppo", source="Outlet É", published="2016-04-25",
                      figures=[figure(first, "Six", 6)]),
               report("r2", second, title="Aleppo strike kills seven", source="Outlet B", published="2016-04-25",
                      figures=[figure(second, "Seven", 7)])]
    groups = group_events(records)
    text = to_json(groups, window_days=1, use_published=True)
    assert json.loads(text) == json.loads(_dumps(groups, window_days=1, use_published=True))
    assert "Outlet É" in text and "\\u" not in text
    assert [e["records"] for e in json.loads(text)["events"]] == [g.records for g in groups]


def test_no_events_is_an_empty_list():
    text = to_json([], window_days=1, use_published=False)
    assert json.loads(text) == json.loads(_dumps([], window_days=1, use_published=False))
    assert json.loads(text)["events"] == [] and text.endswith('"events": []\n}\n')
