"""The review page (summarize.report) and ``summarize report``, read as HTML.

Records are built the way the pipeline builds them: a model answer validated as an
ArticleSummary, then grounded against the article by summarize.grounding.ground, which
fills the spans (or leaves them null and warns). tests/test_report_browser.py opens the
page in headless Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from importlib import resources

import lxml.html
import pytest
from click.testing import CliRunner

from summarize.articles import article_from_text
from summarize.cli import cli
from summarize.grounding import ground
from summarize.records import ArticleRef, ErrorInfo, Provenance, Record
from summarize.report import Interval, Mark, render_html, segments
from summarize.schema import SCHEMA_VERSION, ArticleSummary, Span

S1 = ("At least 12 civilians were killed on Monday when shells hit a market in Kafr Nabl, "
      "the Syrian Observatory for Human Rights said.")
S2 = "State news agency SANA said army units liberated two villages from terrorist groups near the town."
S3 = "Dozens of fighters were wounded in the clashes."
ARTICLE = f"{S1} {S2}\n\n{S3}"

ANSWER = {
    "summary": "Shelling killed at least 12 civilians in Kafr Nabl, according to the Syrian "
    "Observatory for Human Rights.",
    "events": [{"description": "Shells hit a market.", "event_type": "shelling",
                "location": "Kafr Nabl", "date_text": "on Monday", "actors": []}],
    "claims": [
        {"claim": "At least 12 civilians were killed in shelling.",
         "source": "the Syrian Observatory for Human Rights", "source_type": "monitor",
         "cue": "said", "quote": S1, "direct_quote": False},
        {"claim": "Army units captured two villages.", "source": "State news agency SANA",
         "source_type": "government", "cue": "said", "quote": S2, "direct_quote": False},
        # overlaps the claim above: both cover "SANA said army units liberated two villages"
        {"claim": "SANA reported the capture.", "source": "SANA", "source_type": "government",
         "cue": "said", "quote": "SANA said army units liberated two villages", "direct_quote": False},
        # not in the article: grounding leaves span null and warns
        {"claim": "The Observatory called it a war crime.", "source": "the Observatory",
         "source_type": "monitor", "cue": "called",
         "quote": "The Observatory called the attack a war crime.", "direct_quote": False},
    ],
    "casualties": [
        {"quantity_text": "At least 12", "outcome": "killed", "victims": "civilians",
         "victim_category": "civilian", "quantity_type": "at_least", "low": 12, "high": None,
         "stated_by": "the Syrian Observatory for Human Rights", "perpetrator": None, "quote": S1},
        {"quantity_text": "Dozens", "outcome": "wounded", "victims": "fighters",
         "victim_category": "combatant", "quantity_type": "vague", "low": 12, "high": None,
         "stated_by": "Example News", "perpetrator": None, "quote": S3},
    ],
    "loaded_terms": [
        {"term": "terrorist", "quote": S2, "neutral_alternative": "armed"},
        {"term": "liberated", "quote": S2, "neutral_alternative": "captured"},
    ],
}

HOSTILE = ('Residents said the leaflet read <script>document.title="pwned";'
           'document.body.setAttribute("data-pwned","1")</script> in red letters. '
           'A second line read <img src=x onerror="document.title=\'pwned\'"> and nothing else.')
HOSTILE_ANSWER = {
    "summary": "A leaflet carried <b>markup</b> and a <script>alert(1)</script> tag.",
    "events": [],
    "claims": [{"claim": "The leaflet read <script>.", "source": "Residents <i>", "source_type": "witness",
                "cue": "said", "direct_quote": False,
                "quote": 'Residents said the leaflet read <script>document.title="pwned";'}],
    "casualties": [],
    "loaded_terms": [],
}


def provenance() -> Provenance:
    return Provenance(backend="openai", model="gpt-4o-mini", prompt="neutral-v2",
                      schema_version=SCHEMA_VERSION, version="test")


def make_record(text: str = ARTICLE, answer: dict | None = None, *, id: str = "kafr-nabl",
                title: str | None = "Shelling kills civilians in Kafr Nabl",
                source: str | None = "Example News") -> Record:
    """An ok record: ``answer`` validated, then grounded like the pipeline does."""
    article = article_from_text(text, title=title, source=source, id=id)
    summary, warnings = ground(ArticleSummary.model_validate(answer or ANSWER), text)
    return Record(id=id, status="ok", article=ArticleRef.of(article), summary=summary,
                  warnings=warnings, provenance=provenance())


def error_record(text: str | None = ARTICLE, *, id: str = "failed-1") -> Record:
    article = article_from_text(text or "x", title="A failed article", source="Other Outlet", id=id)
    ref = ArticleRef.of(article)
    if text is None:
        ref = ref.model_copy(update={"text": None, "chars": 0})
    return Record(id=id, status="error", article=ref, provenance=provenance(),
                  error=ErrorInfo(type="model_error", message="HTTP 404: no such model 'gpt-9'",
                                  reason="not_found", attempts=1))


def page(records: list[Record], **kw) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(render_html(records, **kw))


def by_class(root, cls: str, tag: str = "*") -> list:
    """Elements under ``root`` whose class list holds ``cls``."""
    return root.xpath(f'.//{tag}[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]')


def main(root):
    """The page's main part: the index and the articles, not the legend."""
    return root.find(".//main")


def article_text_without_labels(div) -> str:
    """The article text as the page shows it, minus the item labels (C1, F1 ...)."""
    div = lxml.html.fromstring(lxml.html.tostring(div, encoding="unicode"))
    for label in by_class(div, "ref"):
        label.drop_tree()
    return div.text_content()


# ---- segments: overlapping spans become non-overlapping pieces ----------------------


def mark(kind: str, ref: str, **kw) -> Mark:
    return Mark(kind=kind, ref=ref, label=ref.upper(), tooltip=ref, **kw)


def test_segments_cut_overlaps_into_pieces_with_every_covering_mark():
    a, b, c = mark("claim", "a"), mark("casualty", "b"), mark("casualty", "b", focus=True)
    pieces = segments("abcdefghij", [Interval(0, 6, a), Interval(3, 9, b), Interval(4, 5, c)])
    assert [p.text for p in pieces] == ["abc", "d", "e", "f", "ghi", "j"]
    assert [[m.ref for m in p.marks] for p in pieces] == [["a"], ["a", "b"], ["a", "b", "b"],
                                                           ["a", "b"], ["b"], []]
    assert pieces[2].css_class == "hl k-casualty k-claim f-casualty"
    # labels where a quote starts; a focus (the quantity) gets none
    assert [[m.ref for m in p.badges] for p in pieces] == [["a"], ["b"], [], [], [], []]


def test_segments_clip_intervals_outside_the_text_and_ignore_empty_ones():
    a, b, c = mark("claim", "a"), mark("claim", "b"), mark("loaded", "c", neutral="n")
    pieces = segments("hello", [Interval(3, 99, a), Interval(2, 2, b), Interval(-5, 1, c)])
    assert "".join(p.text for p in pieces) == "hello"
    assert [(p.text, [m.ref for m in p.marks]) for p in pieces] == [("h", ["c"]), ("el", []), ("lo", ["a"])]
    assert pieces[0].neutral == ["n"]
    assert segments("", [Interval(0, 3, a)]) == []


def test_overlapping_claims_are_marked_darker():
    a, b = mark("claim", "a"), mark("claim", "b")
    pieces = segments("abcd", [Interval(0, 3, a), Interval(1, 4, b)])
    assert ["multi-claim" in p.css_class for p in pieces] == [False, True, False]


# ---- the page ----------------------------------------------------------------------


def test_every_grounded_item_is_highlighted_and_linked_both_ways():
    record = make_record()
    root = page([record])
    for kind, letter, items in (("claim", "c", record.summary.claims),
                                ("casualty", "f", record.summary.casualties),
                                ("loaded", "l", record.summary.loaded_terms)):
        for index, item in enumerate(items, start=1):
            anchor = f"a1-{letter}{index}"
            row = root.get_element_by_id(anchor)
            assert row.tag == "tr"
            if item.span is None:
                continue
            link = row.xpath(f'.//a[@href="#{anchor}-q"]')
            assert link, f"{anchor} has no link to its quote"
            label = root.get_element_by_id(f"{anchor}-q")
            assert label.get("href") == f"#{anchor}" and label.text == f"{letter.upper()}{index}"
            marks = [m for m in by_class(main(root), f"k-{kind}", "mark") if anchor in m.get("data-refs").split()]
            assert marks, f"{anchor} is not highlighted"
            shown = "".join(m.text_content() for m in marks)
            if kind == "loaded":
                assert shown == item.term  # the term itself, not its whole sentence
            else:
                assert shown == ARTICLE[item.span.start:item.span.end].replace("\n\n", "")


def test_page_shows_the_article_text_exactly_and_overlaps_carry_every_kind():
    root = page([make_record()])
    (div,) = by_class(root, "article-text")
    assert article_text_without_labels(div) == ARTICLE
    # S2 is covered by two claims and holds both loaded terms
    liberated = [m for m in by_class(main(root), "k-loaded", "mark") if m.text_content() == "liberated"]
    assert liberated and "k-claim" in liberated[0].get("class") and "multi-claim" in liberated[0].get("class")
    assert "a1-c2" in liberated[0].get("data-refs") and "a1-c3" in liberated[0].get("data-refs")
    # the casualty quote coincides with claim 1; its quantity is the bold focus
    (quantity,) = by_class(main(root), "f-casualty", "mark")[:1]
    assert quantity.text_content() == "At least 12"
    assert set(quantity.get("class").split()) >= {"k-claim", "k-casualty", "f-casualty"}


def test_loaded_terms_show_their_neutral_alternative():
    root = page([make_record()])
    neutral = [n.get("data-neutral") for n in by_class(main(root), "neutral", "span")]
    assert neutral == ["captured", "armed"]  # in text order: "liberated" comes before "terrorist"
    (mark_,) = [m for m in by_class(main(root), "k-loaded", "mark") if m.text_content() == "terrorist"]
    assert "neutral alternative: 'armed'" in mark_.get("title")
    cells = [row.xpath("./td")[1].text_content() for row in root.xpath('//tr[starts-with(@id, "a1-l")]')]
    assert cells == ["armed", "captured"]


def test_an_item_without_span_is_listed_as_not_found_and_never_highlighted():
    record = make_record()
    assert record.summary.claims[3].span is None
    root = page([record])
    row = root.get_element_by_id("a1-c4")
    assert "not found in the article" in row.text_content()
    assert "The Observatory called the attack a war crime." in row.text_content()
    assert not row.xpath('.//a[@href="#a1-c4-q"]')
    assert root.xpath('//*[@id="a1-c4-q"]') == []
    assert not [m for m in root.xpath("//mark[@data-refs]") if "a1-c4" in m.get("data-refs").split()]
    # the grounding warning is shown and links to the item
    (warning,) = [li for li in root.xpath("//section[contains(@class, 'warnings')]//li")
                  if "ungrounded_quote" in li.text_content()]
    assert warning.xpath('.//a[@href="#a1-c4"]')


def test_a_span_that_does_not_fit_the_text_is_not_highlighted():
    record = make_record()
    record.summary.claims[0].span = Span(start=5, end=len(ARTICLE) + 40, match="exact")
    root = page([record])
    assert "span outside the article text" in root.get_element_by_id("a1-c1").text_content()
    assert not [m for m in root.xpath("//mark[@data-refs]") if "a1-c1" in m.get("data-refs").split()]


def test_error_records_show_type_message_and_text_without_highlights():
    root = page([make_record(), error_record(), error_record(None, id="no-text")])
    section = root.get_element_by_id("a2")
    text = section.text_content()
    assert "model_error" in text and "HTTP 404: no such model 'gpt-9'" in text and "not found" in text
    assert not section.xpath(".//mark")
    assert by_class(section, "article-text")[0].text_content() == ARTICLE
    assert "does not carry the article text" in root.get_element_by_id("a3").text_content()
    rows = root.xpath('//nav[@id="index"]//tbody/tr')
    assert [r.xpath("./td")[3].text_content().strip() for r in rows] == ["warnings", "model_error", "model_error"]
    assert "2 failed" in " ".join(by_class(root, "totals")[0].text_content().split())


def test_a_record_without_its_text_keeps_items_listed():
    record = make_record()
    record.article.text = None
    root = page([record])
    assert "does not carry the article text" in root.get_element_by_id("a1").text_content()
    assert "article text not in the record" in root.get_element_by_id("a1-c1").text_content()
    assert not root.xpath("//article//mark")


def test_index_lists_outlet_counts_and_status():
    root = page([make_record(), error_record()], title="Morning batch")
    assert root.findtext(".//title") == "Morning batch"
    first, second = root.xpath('//nav[@id="index"]//tbody/tr')
    cells = [td.text_content().strip() for td in first.xpath("./td")]
    assert cells == ["1", "Shelling kills civilians in Kafr Nabl", "Example News", "warnings", "4", "2", "2", "1"]
    assert first.xpath('.//a[@href="#a1"]') and second.xpath('.//a[@href="#a2"]')
    assert [td.text_content().strip() for td in second.xpath("./td")][4:] == ["—", "—", "—", "0"]


def test_casualty_table_has_quantity_outcome_victims_stated_by_and_low_high():
    root = page([make_record()])
    row = root.get_element_by_id("a1-f1")
    cells = [" ".join(td.text_content().split()) for td in row.xpath("./td")]
    assert cells[:6] == ["At least 12 at least", "killed", "civilians civilian",
                         "the Syrian Observatory for Human Rights", "≥ 12", "—"]
    claim = [" ".join(td.text_content().split()) for td in root.get_element_by_id("a1-c2").xpath("./td")]
    assert claim[:3] == ["State news agency SANA government", "“said”", "Army units captured two villages."]


def test_article_text_is_escaped_so_markup_in_it_is_shown_as_text():
    record = make_record(HOSTILE, HOSTILE_ANSWER, id="hostile", title="<script>alert('title')</script>",
                         source='"><img src=x onerror=alert(1)>')
    html = render_html([record])
    assert "<script>document.title" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.title=&#34;pwned&#34;" in html
    root = lxml.html.fromstring(html)
    assert len(root.xpath("//script")) == 1  # the page's own
    assert root.xpath("//img") == [] and root.xpath("//*[@onerror]") == [] and root.xpath("//b | //i") == []
    (div,) = by_class(root, "article-text")
    assert article_text_without_labels(div) == HOSTILE
    (quote,) = root.xpath('//mark[@data-refs="a1-c1"]')
    assert quote.text_content().startswith("Residents said the leaflet read <script>")
    assert root.findtext(".//title") == "Review of 1 article"
    assert root.get_element_by_id("a1-title").text_content() == "<script>alert('title')</script>"


def test_page_loads_nothing_from_outside_and_pins_its_own_style_and_script():
    html = render_html([make_record(), error_record()])
    root = lxml.html.fromstring(html)
    (csp,) = root.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'none'"

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert directives["script-src"] == sha(root.xpath("//script")[0].text)
    assert directives["style-src"] == sha(root.xpath("//style")[0].text)
    assert root.xpath("//link | //iframe | //object | //embed | //img | //*[@src]") == []
    assert not re.search(r"url\(|@import|https?://", root.xpath("//style")[0].text)
    assert all(href.startswith("#") for href in root.xpath("//a/@href"))


def test_links_resolve_ids_are_unique_and_the_page_is_keyboard_ready():
    root = page([make_record(), error_record(), make_record(id="kafr-nabl-2")])
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    for href in root.xpath("//a/@href"):
        assert root.xpath(f'//*[@id="{href[1:]}"]'), f"dangling link {href}"
    first_link = root.xpath("//body//a")[0]
    assert "skip" in first_link.get("class") and first_link.get("href") == "#index"
    assert all(int(t) <= 0 for t in root.xpath("//@tabindex"))
    css = root.xpath("//style")[0].text
    assert ":focus-visible" in css and ".skip:focus" in css
    print_css = css[css.index("@media print"):]
    assert re.search(r"\.nav[^{]*\{[^}]*display: none", print_css)
    assert "break-before: page" in print_css
    assert "text-decoration: underline" in print_css and "dotted" in print_css and "outline" in print_css


def test_templates_ship_inside_the_package():
    templates = resources.files("summarize") / "templates"
    for name in ("report.html.j2", "report.css", "report.js"):
        assert (templates / name).is_file()


def test_no_records_still_renders_a_page():
    root = page([])
    assert root.findtext(".//title") == "Review of 0 articles"
    assert "No records." in root.get_element_by_id("index").text_content()


# ---- summarize report ---------------------------------------------------------------


def write_jsonl(path, records: list[Record], tail: str = "") -> None:
    path.write_text("".join(r.model_dump_json() + "\n" for r in records) + tail, encoding="utf-8")


def test_report_command_joins_files_and_skips_a_torn_last_line(tmp_path):
    first, second, out = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "report.html"
    write_jsonl(first, [make_record()])
    torn = error_record().model_dump_json()[:150]
    write_jsonl(second, [error_record(), make_record(id="third")], tail=torn)
    result = CliRunner().invoke(cli, ["report", str(first), str(second), "-o", str(out), "--title", "Two runs"])
    assert result.exit_code == 0, result.output
    assert f"{second}:3: skipped a torn last line" in result.stderr
    assert "3 articles (2 ok, 1 failed)" in result.stderr
    root = lxml.html.fromstring(out.read_text("utf-8"))
    assert root.findtext(".//title") == "Two runs"
    assert len(root.xpath("//article")) == 3
    assert not list(tmp_path.glob(".report.html.*"))  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_report_command_reads_stdin_and_a_json_list(tmp_path):
    listed = tmp_path / "records.json"
    listed.write_text(json.dumps([json.loads(make_record().model_dump_json())]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(listed), "-"], input=error_record().model_dump_json() + "\n")
    assert result.exit_code == 0, result.output
    root = lxml.html.fromstring(result.stdout)
    assert [a.get("id") for a in root.xpath("//article")] == ["a1", "a2"]


def test_report_command_keeps_line_separators_inside_records(tmp_path):
    text = ARTICLE.replace("Monday", "Monday\u2028") + "\x85"
    path = tmp_path / "out.jsonl"
    write_jsonl(path, [make_record(text)])
    assert "\u2028" in path.read_text("utf-8")  # pydantic writes it raw
    result = CliRunner().invoke(cli, ["report", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "Monday\u2028" in result.stdout


@pytest.mark.parametrize("content, message", [
    ('{"id": "x"}\n{"id": "y"}\n', "a.jsonl:1: not a summarize record (status: missing)"),
    ("not json\n" + make_record().model_dump_json() + "\n", "a.jsonl:1: not a JSON line"),
    ("", "no records in"),
])
def test_report_command_rejects_files_that_hold_no_records(tmp_path, content, message):
    path = tmp_path / "a.jsonl"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_command_names_a_missing_file(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2
    assert "missing.jsonl: no such file" in result.stderr


def test_an_inexact_match_is_flagged_beside_its_item():
    text = 'Police said "the road is closed" near the border on Friday.'
    answer_ = {"summary": "Police said a road was closed.", "claims": [{
        "claim": "A road near the border was closed.", "source": "Police", "source_type": "official",
        "cue": "said", "quote": "Police said \u201cthe road is closed\u201d near the border", "direct_quote": True}]}
    record = make_record(text, answer_)
    assert record.summary.claims[0].span.match == "normalized"
    root = page([record])
    assert "(normalized match, score 100)" in root.get_element_by_id("a1-c1").text_content()
    (quote,) = root.xpath('//main//mark[@data-refs="a1-c1"]')
    assert quote.text_content() == 'Police said "the road is closed" near the border'


def test_a_span_that_does_not_hold_its_quote_is_not_highlighted():
    record = make_record()
    claim = record.summary.claims[0]
    length = claim.span.end - claim.span.start
    claim.span = Span(start=0, end=min(length, len(ARTICLE) - 1) or 1, match="exact")
    if ARTICLE[claim.span.start:claim.span.end] == claim.quote:  # the quote opens the text
        claim.span = Span(start=1, end=claim.span.end + 1, match="exact")
    root = page([record])
    assert "span does not hold the quote" in root.get_element_by_id("a1-c1").text_content()
    assert not [m for m in root.xpath("//mark[@data-refs]") if "a1-c1" in m.get("data-refs").split()]


@pytest.mark.parametrize("path, shown", [
    ("articles/x.txt", "articles/x.txt"),                      # as the run was given it
    ("/srv/someone/feeds/2026/x.txt", ".../2026/x.txt"),       # outside: named, not located
])
def test_the_article_file_is_shown_without_the_machine_s_folders(path, shown, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    record = make_record()
    record = record.model_copy(update={"article": record.article.model_copy(update={"path": path})})
    under = make_record(id="under")
    under = under.model_copy(update={"article": under.article.model_copy(update={"path": str(tmp_path / "in" / "y.txt")})})
    html = render_html([record, under])
    codes = [c.text_content() for c in lxml.html.fromstring(html).xpath("//dd/code")]
    assert shown in codes and "in/y.txt" in codes
    assert "/srv/someone" not in html and str(tmp_path) not in html
