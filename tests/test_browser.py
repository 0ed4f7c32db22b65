"""One real-browser test: `streamlit run` on loopback, a share link opened in headless Chromium.

Chromium comes from Debian (scripts/test installs it); Playwright only drives it. A missing
browser fails the test: a skip here would hide a broken set-up.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect, sync_playwright

from advisor import load_rules, recommend
from advisor.wording import VERDICT_LABELS, configuration_text
from streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
LINK = {"task_type": "multi_step_reasoning", "latency_budget_s": "30",
        "budget_per_query_usd": "0.5", "training_budget_usd": "20000",
        "verifiability": "external_judge", "queries_per_day": "2000",
        "needs_calibration": "true", "high_stakes": "true"}
# What the library recommends for the link: the page must show the same.
EXPECTED = recommend({**LINK, "needs_calibration": True, "high_stakes": True},
                     load_rules(ROOT / "rules"))
HEADING = VERDICT_LABELS[EXPECTED.verdict]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = tmp_path_factory.mktemp("browser") / "snapshots.sqlite3"
    with serve({"ADVISOR_RULES_DIR": str(ROOT / "rules"), "ADVISOR_DATABASE_URL": "",
                "ADVISOR_SNAPSHOT_DB": str(database)}) as base:
        yield base


@pytest.fixture
def page(server):
    """A page of Debian's chromium, opened on the bank compliance share link."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 1400})
            page.goto(f"{server}/?{urlencode(LINK)}")
            page.get_by_role("heading", name=HEADING, exact=True).wait_for(timeout=60_000)
            yield page
        finally:
            browser.close()


def test_share_link_opens_with_the_same_recommendation(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.get_by_text(configuration_text(EXPECTED)).count()
    assert page.locator(".js-plotly-plot").count() >= 2
    assert "high_stakes=true" in page.url and "latency_budget_s=30" in page.url
    page.screenshot(path=str(ARTIFACTS / "browser-share-link.png"))
    assert (ARTIFACTS / "browser-share-link.png").stat().st_size > 10_000


def test_answers_survive_a_visit_to_another_page(page):
    page.get_by_role("link", name="About the method").click()
    page.get_by_role("heading", name="About the method").wait_for(timeout=60_000)
    page.get_by_role("link", name="Advisor").click()
    page.get_by_role("heading", name=HEADING, exact=True).wait_for(timeout=60_000)
    latency = page.get_by_role("spinbutton", name="Slowest acceptable response")
    expect(latency).to_have_value("30.0", timeout=30_000)
