"""Accessibility in a real browser: axe-core on every page of the app and on the HTML report.

axe-core is vendored (tests/vendor/axe-core, version and licence in its README) and injected
into each page in Debian's Chromium. Every page, and the lazy tabs that hold charts and tables,
must have no serious or critical violation; every chart must carry a text alternative.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, sync_playwright

from advisor import load_rules
from advisor.analysis.full import analyse
from advisor.analysis.compare import NamedScenario, encode_scenarios
from advisor.store.snapshots import Snapshot
from advisor.store import open_store
from helpers import EXAMPLES_DIR, ROOT, RULES_DIR
from test_browser import ARTIFACTS
from streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
BLOCKING = ("serious", "critical")
LINK = {"task_type": "multi_step_reasoning", "latency_budget_s": "30",
        "budget_per_query_usd": "0.5", "training_budget_usd": "20000",
        "verifiability": "external_judge", "queries_per_day": "2000"}
# Issue 9's answers: a difficulty level and the user's own measurement of one tier.
MEASURED = {**LINK, "task_type": "code_generation", "difficulty": "function",
            "verifiability": "verifiable_steps", "measured_model": "gpt-4o-mini",
            "measured_accuracy": "0.87"}
MATH = {"task_type": "math", "latency_budget_s": 300, "budget_per_query_usd": 1,
        "training_budget_usd": 0, "verifiability": "verifiable_steps"}
COMPARISON = encode_scenarios([NamedScenario(name="Bank review", answers=LINK),
                               NamedScenario(name="Olympiad solver", answers=MATH)])
# name: (address, tab to open or None, viewport width)
PAGES = {
    "advisor": (f"/?{urlencode(LINK)}", None, 1366),
    "advisor on a phone": (f"/?{urlencode(LINK)}", None, 390),
    "advisor, own eval measured": (f"/?{urlencode(MEASURED)}", None, 1366),
    "advisor, break-even": (f"/?{urlencode(LINK)}", "Break-even", 1366),
    "advisor, training vs inference": (f"/?{urlencode(LINK)}", "Training vs inference", 1366),
    "advisor, decision map": (f"/?{urlencode(LINK)}", "Decision map", 1366),
    "advisor, all candidates": (f"/?{urlencode(LINK)}", "All candidates", 1366),
    "compare scenarios": (f"/compare?{urlencode({'compare': COMPARISON})}", None, 1366),
    "decisions": ("/decisions", None, 1366),
    "rules": ("/rules", None, 1366),
    "rules, sandbox": ("/rules", "Sandbox", 1366),
    # Not a tab: the rule chosen under "Open a rule", shown as YAML in a code block.
    "rules, a rule opened": ("/rules", "majority-vote-needs-one-answer", 1366),
    "about the method": ("/about", None, 1366),
    # Every page at a phone's width too (issue 21): axe-core, and a screenshot to look at.
    "compare scenarios on a phone": (f"/compare?{urlencode({'compare': COMPARISON})}", None,
                                     390),
    "decisions on a phone": ("/decisions", None, 390),
    "rules on a phone": ("/rules", None, 390),
    "about the method on a phone": ("/about", None, 390),
}
RULE_IDS = {rule.id for rule in load_rules(RULES_DIR).rules}
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
              where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""


def test_vendored_axe_is_the_pinned_version():
    assert AXE.read_text(encoding="utf-8")[:40].startswith(f"/*! axe v{AXE_VERSION}\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on loopback, its store holding one saved decision for the Decisions page."""
    database = tmp_path_factory.mktemp("a11y") / "snapshots.sqlite3"
    store = open_store(f"sqlite:///{database}")
    store.save(Snapshot.of(analyse(LINK, load_rules(RULES_DIR)), title="Q4 compliance review",
                           author="ada@example.com"))
    with serve({"ADVISOR_RULES_DIR": str(RULES_DIR), "ADVISOR_DATABASE_URL": "",
                "ADVISOR_SNAPSHOT_DB": str(database)}) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_until_idle(page: Page) -> None:
    """Until the script run is over and stays over (a tab or a link may start another)."""
    page.locator("[data-testid='stMain']").wait_for(timeout=60_000)
    for _ in range(3):
        page.wait_for_timeout(700)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=90_000)


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one readable line each."""
    page.add_script_tag(path=str(AXE))
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['where']}"
            for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(server, browser, name):
    address, tab, width = PAGES[name]
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  is_mobile=width < 500, has_touch=width < 500)
    try:
        page = context.new_page()
        page.goto(server + address)
        wait_until_idle(page)
        if tab in RULE_IDS:
            box = page.get_by_role("combobox", name="Open a rule")
            box.click()
            box.press_sequentially(tab)
            box.press("Enter")
            page.locator("[data-testid='stCode']").wait_for(timeout=60_000)
            wait_until_idle(page)
        elif tab:
            page.get_by_role("tab", name=tab).click()
            wait_until_idle(page)
        ARTIFACTS.mkdir(exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(ARTIFACTS / f"page-{slug}-{width}.png"))
        assert blocking_violations(page) == []
        charts = page.locator("[data-testid='stPlotlyChart']")
        names = [charts.nth(i).get_attribute("aria-label") or "" for i in range(charts.count())]
        assert all(len(label) > 40 for label in names), names  # a sentence, not a title
    finally:
        context.close()


def test_html_report_has_no_serious_accessibility_violations(browser, tmp_path):
    """The downloadable report, as the CLI writes it, opened from disk."""
    report = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "advisor", "recommend", "--answers",
                    str(EXAMPLES_DIR / "competition-math.yaml"), "--format", "html", "-o",
                    str(report)], cwd=ROOT, check=True, timeout=120)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(report.as_uri())
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        assert blocking_violations(page) == []
    finally:
        page.close()
