"""The review page in a real browser: headless Chromium opens the file.

Records come from the real pipeline, twice: through the model path (prompt, openai
client, instructor, grounding) talking to the fake OpenAI server in tests/fake_openai.py,
which answers each sample article with its gold labels (evals/gold) and articles without
gold labels with a 404, so the page holds both ok and error records; and through the
rules backend, as `summarize run --backend rules` makes them. Chromium's ``--dump-dom`` gives the DOM
after the page's scripts ran; ``--screenshot`` and ``--print-to-pdf`` write into the
test's tmp dir. Skipped, with the reason, when Chromium is not installed.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import lxml.html
import pytest

from summarize.articles import Article, article_from_text
from summarize.inputs import load_articles
from summarize.pipeline import Summarizer
from summarize.records import Record
from summarize.report import render_html
from summarize.settings import Settings
from tests.conftest import EXAMPLES_DIR, GOLD_DIR, ROOT
from tests.fake_openai import Action, answer, article_text_of, oracle
from tests.test_report import HOSTILE, HOSTILE_ANSWER, by_class, error_record

pytestmark = pytest.mark.browser

#: Flags that work when running as root in a container, with nothing fetched from the network.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


@pytest.fixture
def chromium() -> str:
    """Path of a Chromium binary, or skip the test."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)")


def open_in_chromium(chromium: str, page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run Chromium on ``page`` with a fresh profile; fail with its log if it fails."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def csp_violations(log: str) -> list[str]:
    """Console messages about something the page's Content-Security-Policy blocked."""
    return [line for line in log.splitlines() if "Content Security Policy" in line]


def run_pipeline(settings: Settings, articles: list[Article]) -> list[Record]:
    """One record per article from the real pipeline."""
    async def run() -> list[Record]:
        async with Summarizer(settings) as summarizer:
            return [await summarizer.run(article) for article in articles]

    return asyncio.run(run())


def model_records(server_factory, articles: list[Article]) -> list[Record]:
    """Records from the model path and the fake server: gold labels for the sample
    articles that have them, HOSTILE_ANSWER for the hostile one, a 404 for the rest."""
    gold = oracle(GOLD_DIR)

    def respond(request: dict, index: int) -> Action:
        if "data-pwned" in article_text_of(request):
            return answer(HOSTILE_ANSWER)
        return gold(request, index)

    server = server_factory(respond)
    return run_pipeline(Settings(backend="openai", base_url=server.base_url, api_key="test-key-not-secret",
                                 model="gpt-4o-mini", max_retries=0, max_reasks=1, timeout=20.0), articles)


def hostile_article() -> Article:
    return article_from_text(HOSTILE, id="hostile", title="Leaflet <script>document.title='pwned'</script>",
                             source="<b>Outlet</b>")


def assert_hostile_article_is_inert(dom: lxml.html.HtmlElement, title: str, section_id: str, *,
                                    quoted: bool = True) -> None:
    """The hostile article's markup is text and did nothing; with ``quoted``, its first
    claim (HOSTILE_ANSWER) is highlighted, markup included."""
    assert dom.get("data-js") == "on", "the page's own script did not run (CSP hash wrong?)"
    assert dom.findtext(".//title") == title
    assert dom.xpath("//*[@data-pwned]") == []
    assert len(dom.xpath("//script")) == 1 and dom.xpath("//img | //b") == []
    section = dom.get_element_by_id(section_id)
    assert "Leaflet <script>document.title='pwned'</script>" in section.findtext(".//h2")
    (text,) = by_class(section, "article-text")
    assert '<script>document.title="pwned";' in text.text_content()
    assert '<img src=x onerror="document.title=\'pwned\'">' in text.text_content()
    if quoted:
        (quote,) = [m for m in text.xpath(".//mark") if m.get("data-refs") == f"{section_id}-c1"]
        assert quote.text_content().startswith("Residents said the leaflet read <script>")


@pytest.mark.parametrize("backend", ["model", "rules"])
def test_sample_articles_render_in_chromium_with_highlights(backend, chromium, tmp_path, fake_server,
                                                            monkeypatch):
    monkeypatch.chdir(ROOT)  # records name their files as a user's run would: examples/...
    articles = [*load_articles([EXAMPLES_DIR.relative_to(ROOT)]), hostile_article()]
    assert len(articles) == 46
    if backend == "model":
        records = model_records(fake_server, articles)
    else:
        records = run_pipeline(Settings(backend="rules"), articles)
    assert sum(r.ok for r in records) >= 30, [r.error for r in records if not r.ok][:3]
    page = tmp_path / "report.html"
    page.write_text(render_html(records, title="Sample articles"), encoding="utf-8")

    shown = open_in_chromium(chromium, page, tmp_path, "--dump-dom")
    assert csp_violations(shown.stderr) == []
    dom = lxml.html.fromstring(shown.stdout)
    assert len(dom.xpath("//main/article")) == len(records)
    highlighted = 0
    for number, record in enumerate(records, start=1):
        section = dom.get_element_by_id(f"a{number}")
        marks = {ref for m in section.xpath(".//mark[@data-refs]") for ref in m.get("data-refs").split()}
        for letter, items in (("c", record.summary.claims if record.summary else []),
                              ("f", record.summary.casualties if record.summary else []),
                              ("l", record.summary.loaded_terms if record.summary else [])):
            for index, item in enumerate(items, start=1):
                anchor = f"a{number}-{letter}{index}"
                if item.span is None:
                    assert anchor not in marks
                    continue
                assert anchor in marks, f"{record.id}: {anchor} not highlighted"
                assert section.xpath(f'.//a[@id="{anchor}-q"][@href="#{anchor}"]')
                assert section.xpath(f'.//tr[@id="{anchor}"]//a[@href="#{anchor}-q"]')
                highlighted += 1
    assert highlighted > 300
    for kind in ("claim", "casualty", "loaded"):
        assert len(by_class(dom.find(".//main"), f"k-{kind}", "mark")) > 20
    ids = set(dom.xpath("//@id"))
    assert {href[1:] for href in dom.xpath("//a/@href")} <= ids
    assert_hostile_article_is_inert(dom, "Sample articles", f"a{len(records)}", quoted=backend == "model")

    screenshot = tmp_path / "report.png"
    open_in_chromium(chromium, page, tmp_path, "--window-size=1280,2400", f"--screenshot={screenshot}")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 50_000

    # one article on its own page, for a human to look at (docs/report-article.png)
    complete = [r for r in records if r.ok and all(
        any(item.span for item in getattr(r.summary, name))
        for name in ("claims", "casualties", "loaded_terms"))]
    single = tmp_path / "article.html"
    single.write_text(render_html([min(complete, key=lambda r: len(r.article.text))]), encoding="utf-8")
    article_shot = tmp_path / "article.png"
    open_in_chromium(chromium, single, tmp_path, "--window-size=1100,2100", f"--screenshot={article_shot}")
    assert article_shot.stat().st_size > 50_000
    print(f"screenshots: {screenshot} {article_shot}")


def test_script_in_an_article_shows_as_text_and_runs_nothing(chromium, tmp_path, fake_server):
    (record,) = model_records(fake_server, [hostile_article()])
    assert record.ok and record.summary.claims[0].span is not None
    page = tmp_path / "hostile.html"
    page.write_text(render_html([record]), encoding="utf-8")
    shown = open_in_chromium(chromium, page, tmp_path, "--dump-dom")
    assert csp_violations(shown.stderr) == []
    assert_hostile_article_is_inert(lxml.html.fromstring(shown.stdout), "Review of 1 article", "a1")
    screenshot = tmp_path / "hostile.png"
    open_in_chromium(chromium, page, tmp_path, "--window-size=1280,1600", f"--screenshot={screenshot}")
    assert screenshot.stat().st_size > 10_000


def test_page_prints_each_article_on_its_own_pages(chromium, tmp_path):
    # short records (no text), so that without page breaks they would share one page
    records = [error_record(None, id=f"article-{n}") for n in range(5)]
    page = tmp_path / "print.html"
    page.write_text(render_html(records), encoding="utf-8")
    pdf = tmp_path / "print.pdf"
    open_in_chromium(chromium, page, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert pages >= 1 + len(records)  # the index, then a page break before each article
