"""The HTML reports printed by a real browser (Debian's chromium, driven by Playwright).

Printed to A4 with ``page.pdf()``, and laid out as print media at the page's printable width:
every axis title, tick label, colour-bar label, legend and annotation of every chart must sit
inside its chart and inside the page, axis titles must not run into the legend or the tick
labels, and at phone width nothing may overflow sideways. A missing browser fails the tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from advisor import analyse, decision_map, load_answers, load_rules
from advisor.analysis.compare import NamedScenario, compare
from advisor.render.html import comparison_to_html, to_html
from advisor.render.vocabulary import Vocabulary
from helpers import EXAMPLES_DIR, RULES_DIR
from streamlit_server import CHROMIUM, CHROMIUM_ARGS

RULES = load_rules(RULES_DIR)
VOCABULARY = Vocabulary.of(RULES)
# report.css prints on A4 with 12 mm side margins: 186 mm at 96 px per inch.
PRINT_WIDTH_PX = round(186 / 25.4 * 96)
PHONE = {"width": 390, "height": 844}
# 9 since the options table holds a cascade and both latencies, 10 since the one-page summary
# comes first (issue 21); the longest, contract Q&A, prints on 10.
MAX_PAGES = 10

# Every piece of text a chart draws, with its box, in page coordinates.
CHART_TEXT = """plot => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const pick = (kind, selector) => Array.from(plot.querySelectorAll(selector))
      .filter(el => el.getBoundingClientRect().width > 0)
      .map(el => ({kind, text: el.textContent, box: box(el)}));
  return {plot: box(plot.querySelector('.main-svg')), items: [
    ...pick('xtitle', '.g-xtitle text'), ...pick('ytitle', '.g-ytitle text'),
    ...pick('xtick', '.xtick text'), ...pick('ytick', '.ytick text'),
    ...pick('colorbar', '.colorbar text'), ...pick('legend', '.legend .legendtext'),
    ...pick('annotation', '.annotation-text'), ...pick('label', '.textpoint text')]};
}"""


def _reports() -> dict[str, str]:
    reports = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        answers = load_answers(path)
        reports[path.stem] = to_html(analyse(answers, RULES), vocabulary=VOCABULARY,
                                     dmap=decision_map(answers, RULES))
    math = load_answers(EXAMPLES_DIR / "competition-math.yaml")
    comparison = compare([NamedScenario(name="Today", answers=math),
                          NamedScenario(name="Fast", answers=math.model_copy(
                              update={"latency_budget_s": 5}))], RULES)
    reports["comparison"] = comparison_to_html(comparison, vocabulary=VOCABULARY)
    return reports


REPORTS = _reports()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _open(browser, tmp_path: Path, name: str, viewport: dict):
    file = tmp_path / f"{name}.html"
    file.write_text(REPORTS[name], encoding="utf-8")
    page = browser.new_page(viewport=viewport)
    page.goto(file.as_uri())
    plots = page.locator(".plot")
    page.wait_for_function("n => document.querySelectorAll('.plot .main-svg').length >= n",
                           arg=plots.count(), timeout=30_000)
    return page


def _titles(html: str) -> list[str]:
    """Every axis title the report's figures ask for."""
    titles = []
    for data in re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', html):
        layout = json.loads(data)["layout"]
        titles += [axis["title"]["text"] for key, axis in layout.items()
                   if re.fullmatch(r"[xy]axis\d*", key) and axis.get("title", {}).get("text")]
    return titles


def _overlap(a: dict, b: dict) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1)


def _inside(inner: dict, outer: dict, slack: float = 1) -> bool:
    return (inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack
            and inner["top"] >= outer["top"] - slack
            and inner["bottom"] <= outer["bottom"] + slack)


@pytest.mark.parametrize("name", REPORTS)
def test_the_printed_report_fits_a4(browser, tmp_path, name):
    page = _open(browser, tmp_path, name, {"width": 1280, "height": 900})
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 <= pages <= MAX_PAGES
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINT_WIDTH_PX, "height": 1100})
    page.wait_for_timeout(500)  # the charts follow the new width
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINT_WIDTH_PX
    drawn = []
    paper = {"left": 0, "right": PRINT_WIDTH_PX, "top": -1e9, "bottom": 1e9}
    for plot in page.locator(".plot").all():
        chart = plot.evaluate(CHART_TEXT)
        assert _inside(chart["plot"], paper), chart["plot"]
        for item in chart["items"]:
            assert _inside(item["box"], chart["plot"]), item
        titles = [i for i in chart["items"] if i["kind"] in ("xtitle", "ytitle", "annotation")]
        ticks = [i for i in chart["items"] if i["kind"] in ("xtick", "ytick")]
        others = ticks + [i for i in chart["items"] if i["kind"] == "legend"]
        for title in titles:
            clashes = [o for o in others if _overlap(title["box"], o["box"])]
            assert clashes == [], (title, clashes)
        for n, tick in enumerate(ticks):
            clashes = [t for t in ticks[n + 1:] if _overlap(tick["box"], t["box"])]
            assert clashes == [], (tick, clashes)
        drawn += [i["text"] for i in titles if i["kind"] != "annotation"]
    assert sorted(drawn) == sorted(_titles(REPORTS[name]))
    page.close()


@pytest.mark.parametrize("name", REPORTS)
def test_the_report_does_not_overflow_a_phone(browser, tmp_path, name):
    page = _open(browser, tmp_path, name, PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for plot in page.locator(".plot").all():
        assert plot.bounding_box()["width"] <= PHONE["width"]
    page.close()
