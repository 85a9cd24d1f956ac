"""The events JSON writer: the same bytes as ``json.dumps(..., ensure_ascii=False, indent=1)``."""

from __future__ import annotations

import json
import math

import pytest

from summarize.events.grouping import group_events
from summarize.events.writers import indented, to_json
from tests.events_records import figure, report

CASES = [
    {}, [], "", None, True, False, 0, -7, 10**30, 1.5, 1e-9, 1e300, -0.0, math.nan, math.inf, -math.inf,
    "quote \" backslash \\ newline \n tab \t é ü \u2028 \x00 <script>",
    {"a": [], "b": {}, "c": [1, [2, [3, {"d": None}]]], "é": ("tuple", 2)},
    {1: "int key", 2.5: "float key", True: "bool key", None: "none key"},
    [{"record": "r1", "span": {"start": 0, "end": 5, "match": "exact", "score": 100.0}}] * 3,
]


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
@pytest.mark.parametrize("level", [0, 2])
def test_indented_writes_what_json_dumps_writes(value: object, level: int) -> None:
    nested = [[value]] if level else value  # two levels down, as the writer places an event
    assert indented(nested) == json.dumps(nested, ensure_ascii=False, indent=1)


def test_indented_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        indented({"a": object()})
    with pytest.raises(TypeError):
        indented({(1, 2): "tuple key"})


def test_to_json_is_json_dumps_of_the_document() -> None:
    first, second = "Six people were killed in Aleppo on Monday.", "Seven people died in Aleppo on Monday."
    records = [report("r1", first, title="Six killed in Aleppo", source="Outlet A", published="2016-04-25",
                      figures=[figure(first, "Six", 6)]),
               report("r2", second, title="Aleppo strike kills seven", source="Outlet B", published="2016-04-25",
                      figures=[figure(second, "Seven", 7)])]
    groups = group_events(records)
    text = to_json(groups, window_days=1, use_published=True)
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    assert [e["records"] for e in document["events"]] == [g.records for g in groups]
    empty = to_json([], window_days=1, use_published=False)
    assert empty == json.dumps(json.loads(empty), ensure_ascii=False, indent=1) + "\n"
    assert json.loads(empty)["events"] == []
