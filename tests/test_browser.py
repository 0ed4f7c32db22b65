"""Real-browser tests: `streamlit run` on loopback, share links opened in headless Chromium.

Chromium comes from Debian (scripts/test installs it); Playwright only drives it. A missing
browser fails the test: a skip here would hide a broken set-up.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect, sync_playwright

from advisor import load_rules, recommend
from advisor.render.wording import configuration_text, verdict_label
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
HEADING = verdict_label(EXPECTED)


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
    # The cost chart; the decision map and break-even charts wait until their tab is opened.
    assert page.locator(".js-plotly-plot").count() == 1
    assert "high_stakes=true" in page.url and "latency_budget_s=30" in page.url
    page.screenshot(path=str(ARTIFACTS / "browser-share-link.png"))
    assert (ARTIFACTS / "browser-share-link.png").stat().st_size > 10_000


def test_answers_survive_a_visit_to_another_page(page):
    page.get_by_role("link", name="About the method").click()
    page.get_by_role("heading", name="About the method").wait_for(timeout=60_000)
    page.get_by_role("link", name="Advisor").click()
    page.get_by_role("heading", name=HEADING, exact=True).wait_for(timeout=60_000)
    latency = page.get_by_role("spinbutton", name="Slowest acceptable response")
    expect(latency).to_have_value("30", timeout=30_000)


def test_number_fields_show_the_value_in_use(page, server):
    """A budget of $0.00012 reads 0.00012 (a fixed %.4f showed 0.0001), and no value is rounded
    or written as 1.23457e+06."""
    link = {**LINK, "budget_per_query_usd": "0.00012", "latency_budget_s": "2.25",
            "training_budget_usd": "1234567.5"}
    page.goto(f"{server}/?{urlencode(link)}")
    budget = page.get_by_role("spinbutton", name="Budget per answer")
    expect(budget).to_have_value("0.00012", timeout=60_000)
    expect(page.get_by_role("spinbutton", name="Slowest acceptable response")).to_have_value(
        "2.25")
    expect(page.get_by_role("spinbutton", name="One-time training budget")).to_have_value(
        "1234567.5")


def test_no_developer_options_for_users(page):
    """No Deploy button, rerun or clear cache: on loopback Streamlit's "auto" shows all three.

    The test ids are Streamlit's own; with ``--client.toolbarMode auto`` the same page shows the
    Deploy button and the menu starts with Rerun and Clear cache.
    """
    page.get_by_test_id("stMainMenu").wait_for(timeout=30_000)
    assert page.get_by_test_id("stAppDeployButton").count() == 0
    page.get_by_test_id("stMainMenu").click()
    page.get_by_test_id("stMainMenuItemLabel").first.wait_for(timeout=10_000)
    labels = [text.strip()
              for text in page.get_by_test_id("stMainMenuItemLabel").all_inner_texts()]
    assert "Print" in labels
    assert not {"Rerun", "Clear cache", "Deploy"} & set(labels)


IMAGE = "![x](http://127.0.0.1:8790/t.png)"
PHISH = "[Official fix: click here](http://127.0.0.1:8790/phish)"


def test_injected_markdown_in_links_stays_text(server):
    """A share link and a comparison link carrying Markdown: no image is fetched, no link made."""
    from advisor.analysis.compare import NamedScenario, encode_scenarios

    answers = {"task_type": "math", "latency_budget_s": 30, "budget_per_query_usd": 0.5,
               "training_budget_usd": 0, "verifiability": "none"}
    comparison = encode_scenarios([NamedScenario(name=IMAGE, answers=answers),
                                   NamedScenario(name=PHISH, answers=answers)])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 1400})
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{server}/?{urlencode({'task_type': IMAGE, 'verifiability': PHISH})}")
            injected = page.locator("a[href*='8790'], img[src*='8790']")
            page.get_by_text("Share link:").first.wait_for(timeout=60_000)
            expect(page.get_by_text("Official fix: click here").first).to_be_visible()
            assert injected.count() == 0
            page.goto(f"{server}/compare?{urlencode({'compare': comparison})}")
            page.get_by_role("heading", name="Side by side").wait_for(timeout=60_000)
            expect(page.get_by_text(IMAGE).first).to_be_visible()
            page.wait_for_timeout(1000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser-injected-compare.png"))
            assert injected.count() == 0
            assert not [url for url in requested if url.startswith("http://127.0.0.1:8790")]
        finally:
            browser.close()


def test_on_a_phone_the_questions_and_the_details_are_in_the_page(server):
    """At 390 × 844 with touch: the questions sit in the page (no sidebar to open), nothing is
    wider than the screen, no text asks for a mouse, and the chart's details open with a tap."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          is_mobile=True, has_touch=True)
            page = context.new_page()
            page.goto(f"{server}/?{urlencode(LINK)}")
            page.get_by_role("heading", name=HEADING, exact=True).wait_for(timeout=60_000)
            latency = page.locator("[data-testid='stMain'] .st-key-latency_budget_s input")
            expect(latency).to_be_visible(timeout=30_000)
            assert page.locator("[data-testid='stSidebar'] input").count() == 0
            latency.fill("20")
            latency.press("Enter")
            expect(page.get_by_role("spinbutton", name="Slowest acceptable response")
                   ).to_have_value("20", timeout=30_000)
            page.wait_for_timeout(1500)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            words = page.locator("[data-testid='stMain']").inner_text()
            assert not re.search(r"\bhover|on the left|\bmouse", words, re.IGNORECASE)
            details = page.get_by_text("The recommendation and the frontier, in words")
            details.tap()
            expect(page.get_by_text(re.compile("^Recommended: ")).first).to_be_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser-phone.png"), full_page=True)
        finally:
            browser.close()


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 900)])
def test_a_shared_link_opens_on_the_answer_and_its_four_figures(server, width, height):
    """The one-minute test on the first screen: the verdict, the configuration and the four
    figures are inside the first viewport at a phone's and a laptop's width, before any
    question (on a phone the questions follow the answer)."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    phone = width < 640
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height},
                                          is_mobile=phone, has_touch=phone)
            page = context.new_page()
            page.goto(f"{server}/?{urlencode(LINK)}")
            heading = page.get_by_role("heading", name=HEADING, exact=True)
            heading.wait_for(timeout=60_000)
            metrics = page.locator("[data-testid='stMetric']")
            expect(metrics.first).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1000)
            first_four = [metrics.nth(i).bounding_box() for i in range(4)]
            shown = [heading.bounding_box(), page.get_by_text("Configuration:").bounding_box(),
                     *first_four]
            assert all(box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height
                       for box in shown), shown
            question = page.locator("[data-testid='stMain'] .st-key-latency_budget_s").bounding_box()
            if phone:  # the questions come after the answer
                assert question["y"] > max(b["y"] for b in first_four)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"first-screen-{width}.png"))
        finally:
            browser.close()


def test_the_advisor_page_opens_at_its_own_path(server):
    """/advisor?… (the page's name in a bookmark or an old link) opens the advisor with its
    answers, not Streamlit's "Page not found"."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{server}/advisor?{urlencode(LINK)}")
            page.get_by_role("heading", name=HEADING, exact=True).wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            assert page.get_by_text("Page not found").count() == 0
        finally:
            browser.close()
