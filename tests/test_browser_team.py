"""Several app servers, one database, in a real browser: two `streamlit run` servers share the
test run's PostgreSQL; a snapshot saved on one opens by its link on the other, with who saved it
(from the trusted proxy header, which Chromium sends like a reverse proxy would)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import sync_playwright

from advisor import load_rules, recommend
from advisor.render.wording import verdict_label
from helpers import ROOT, RULES_DIR
from streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve

ARTIFACTS = ROOT / "artifacts"
MATH_LINK = {"task_type": "math", "difficulty": "olympiad", "latency_budget_s": "300",
             "budget_per_query_usd": "1",
             "training_budget_usd": "0", "verifiability": "verifiable_steps",
             "queries_per_day": "200", "needs_calibration": "false", "high_stakes": "false"}
HEADING = verdict_label(recommend({**MATH_LINK, "needs_calibration": False,
                                   "high_stakes": False}, load_rules(RULES_DIR)))


@pytest.fixture(scope="module")
def servers(postgres_server):
    """Two app servers on different ports sharing one fresh PostgreSQL database."""
    import psycopg
    from sqlalchemy.engine import make_url

    from conftest import libpq_url

    with psycopg.connect(libpq_url(postgres_server), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS browser_team WITH (FORCE)")
        admin.execute("CREATE DATABASE browser_team")
    url = make_url(postgres_server).set(database="browser_team").render_as_string(
        hide_password=False)
    env = {"ADVISOR_RULES_DIR": str(ROOT / "rules"), "ADVISOR_DATABASE_URL": url,
           "ADVISOR_USER_HEADER": "X-Forwarded-Email"}
    with serve(env) as first, serve(env) as second:
        yield first, second


def test_a_snapshot_saved_on_one_server_opens_on_the_other(servers):
    first, second = servers
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 1400},
                                          extra_http_headers={
                                              "X-Forwarded-Email": "ada@example.com"})
            page = context.new_page()
            page.goto(f"{first}/?{urlencode(MATH_LINK)}")
            page.get_by_role("heading", name=HEADING, exact=True).wait_for(timeout=60_000)
            page.get_by_text("Save a snapshot for stakeholders").click()
            page.get_by_role("textbox",
                             name="Snapshot title (optional)").fill("Olympiad solver, Q4 review")
            page.get_by_role("textbox", name="Snapshot title (optional)").press("Enter")
            page.get_by_role("button", name="Save snapshot").click()
            saved = page.get_by_text(re.compile(r"Saved as snapshot [a-z2-7]{8}\."))
            saved.wait_for(timeout=60_000)
            snapshot_id = re.search(r"snapshot ([a-z2-7]{8})\.", saved.inner_text()).group(1)
            saved.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "team-1-saved-on-first-server.png"))

            other = browser.new_context(viewport={"width": 1366, "height": 1000},
                                        extra_http_headers={
                                            "X-Forwarded-Email": "bob@example.com"})
            page = other.new_page()
            page.goto(f"{second}/?snapshot={snapshot_id}")
            page.get_by_role("heading", name="Snapshot", exact=True).wait_for(timeout=60_000)
            page.get_by_text("Olympiad solver, Q4 review").wait_for(timeout=30_000)
            # An e-mail address is shown with invisible word joiners, so it is never a link.
            assert "by ada@example.com" in page.inner_text("body").replace("\u2060", "")
            assert page.get_by_role("button", name="Delete this snapshot").count() == 0
            page.get_by_text("Cost per query").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "team-2-opened-on-second-server.png"))

            page.goto(f"{second}/decisions")
            page.get_by_role("heading", name="Decisions", exact=True).wait_for(timeout=60_000)
            page.get_by_text("1 decision(s) match.").wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "team-3-decisions-on-second-server.png"))
        finally:
            browser.close()
