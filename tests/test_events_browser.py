"""The events page in headless Chromium (skipped, with the reason, without Chromium).

Records: the rules backend's records of the cross-outlet sample (evals/events) and a
hostile report of the same event whose title, outlet and text carry markup and script.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import lxml.html
import pytest

from summarize.inputs import load_articles
from summarize.events import group_events
from summarize.events.page import render_events_html
from summarize.pipeline import Summarizer
from summarize.settings import Settings
from tests.conftest import ROOT
from tests.events_records import figure, report
from tests.test_report_browser import chromium, csp_violations, open_in_chromium  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

HOSTILE = ("Residents said <script>document.title='pwned'</script> a bomb killed 6 people in the "
           "Salah al-Din district of Aleppo on Wednesday <img src=x onerror=\"document.title='pwned'\">.")


def sample_records(monkeypatch) -> list:
    monkeypatch.chdir(ROOT)
    articles = load_articles([Path("evals/events/articles")])

    async def run() -> list:
        async with Summarizer(Settings(backend="rules")) as summarizer:
            return [await summarizer.run(a) for a in articles]

    records = asyncio.run(run())
    hostile = report("hostile", HOSTILE, title="Blast <script>document.title='pwned'</script>",
                     source="<b>Outlet</b>", published="2017-04-19", kinds=("bombing",),
                     figures=[figure(HOSTILE, "6", 6, stated_by="<i>residents</i>")])
    return [*records, hostile]


def test_events_page_renders_in_chromium_and_markup_stays_text(chromium, tmp_path, monkeypatch):  # noqa: F811
    records = sample_records(monkeypatch)
    groups = group_events(records)
    page = tmp_path / "events.html"
    page.write_text(render_events_html(groups, {r.id: r for r in records}, title="Sample events"), encoding="utf-8")

    shown = open_in_chromium(chromium, page, tmp_path, "--dump-dom")
    assert csp_violations(shown.stderr) == []
    dom = lxml.html.fromstring(shown.stdout)
    assert dom.get("data-js") == "on", "the page's own script did not run (CSP hash wrong?)"
    assert dom.findtext(".//title") == "Sample events"
    assert dom.xpath("//*[@data-pwned]") == [] and dom.xpath("//img | //b | //i") == []
    assert len(dom.xpath("//script")) == 1

    assert len(dom.xpath("//main/article")) == len(groups)
    assert len(dom.xpath("//nav[@id='index']//tbody/tr")) == len(groups)
    ids = set(dom.xpath("//@id"))
    assert {href[1:] for href in dom.xpath("//a/@href")} <= ids

    hostile_event = next(g for g in groups if "hostile" in g.records)
    assert len(hostile_event.outlets) > 1  # it joined the Salah al-Din blast reported by others
    section = dom.get_element_by_id(hostile_event.id.lower())
    text = section.text_content()
    assert "<script>document.title='pwned'</script>" in text
    assert "<b>Outlet</b>" in text and "Blast <script>" in text
    columns = section.xpath(".//section[@class='outlet']/h4/text()")
    assert columns == hostile_event.outlets

    # every grounded figure in a column links to its highlighted sentence
    linked = 0
    for anchor in section.xpath(".//ul[@class='figures']/li/@id"):
        target = section.xpath(f".//li[@id='{anchor}']//a/@href")
        if target:
            quote = target[0][1:]
            assert quote in ids
            refs = {r for m in section.xpath(".//mark[@data-refs]") for r in m.get("data-refs").split()}
            assert anchor in refs
            linked += 1
    assert linked >= 5

    screenshot = tmp_path / "events.png"
    open_in_chromium(chromium, page, tmp_path, "--window-size=1280,2400", f"--screenshot={screenshot}")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 50_000
    print(f"screenshot: {screenshot}")
