"""An eval file round-trips in a real browser: upload → fit → a changed recommendation and link.

Chromium comes from Debian (scripts/test installs it); a missing browser fails the test.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import numpy as np
from playwright.sync_api import sync_playwright

from advisor import load_rules, recommend
from advisor.engine.evalfit import fit_eval, read_eval
from advisor.render.wording import configuration_text
from streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
LINK = {"task_type": "code_generation", "difficulty": "function", "latency_budget_s": "30",
        "budget_per_query_usd": "0.05", "training_budget_usd": "0",
        "verifiability": "verifiable_steps", "measured_model": "gpt-4o-mini",
        "measured_accuracy": "0.87"}


def _eval_csv(path: Path) -> bytes:
    """A hard eval: most problems out of reach for the model, a few solved sometimes."""
    rng = np.random.default_rng(11)
    rates = rng.beta(0.05, 1.0, size=200)
    correct = rng.binomial(10, rates)
    rows = "\n".join(f"task-{i},10,{c}" for i, c in enumerate(correct))
    path.write_text(f"problem_id,attempts,correct\n{rows}\n", encoding="utf-8")
    return path.read_bytes()


def test_an_eval_upload_changes_the_recommendation(tmp_path):
    rules = load_rules(ROOT / "rules")
    before = recommend({**LINK, "measured_accuracy": 0.87}, rules)
    csv = tmp_path / "my-eval.csv"
    fit = fit_eval(*read_eval(_eval_csv(csv), name=csv.name))
    after = recommend({**LINK, "measured_accuracy": fit.accuracy,
                       "measured_dispersion": fit.dispersion}, rules)
    assert configuration_text(after) != configuration_text(before)
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    database = tmp_path / "snapshots.sqlite3"
    with serve({"ADVISOR_RULES_DIR": str(ROOT / "rules"), "ADVISOR_DATABASE_URL": "",
                "ADVISOR_SNAPSHOT_DB": str(database)}) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 2400})
            page.goto(f"{base}/?{urlencode(LINK)}")
            page.get_by_text(configuration_text(before)).first.wait_for(timeout=60_000)
            page.get_by_text("Your own eval result").click()
            uploader = page.locator("[data-testid=stFileUploader]").filter(
                has_text="Per-problem results")
            uploader.locator("input[type=file]").set_input_files(str(csv))
            try:
                page.get_by_text(configuration_text(after)).first.wait_for(timeout=60_000)
            except Exception:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "browser-eval-upload-failed.png"),
                                full_page=True)
                raise
            page.get_by_text(f"Fitted on {fit.problems:,} problems").first.wait_for(timeout=30_000)
            assert page.locator(".js-plotly-plot").count() >= 2
            query = parse_qs(urlparse(page.url).query)
            assert query["measured_accuracy"] == [str(fit.accuracy)]
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser-eval-upload.png"), full_page=True)
        finally:
            browser.close()
