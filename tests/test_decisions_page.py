"""The Decisions page with AppTest: list, filter, open, re-evaluate several, and a store that is
down."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from advisor import load_answers, load_rules
from advisor.analysis.full import analyse
from advisor.store.snapshots import Snapshot
from advisor.store import open_store
from advisor.render.wording import VERDICT_LABELS
from helpers import EXAMPLES_DIR, ROOT, RULES_DIR
from advisor.render.markdown import md_escape

APP = str(ROOT / "app.py")
RULES = load_rules(RULES_DIR)
CREATED = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


def save(db: Path, example: str, title: str, author: str, minutes: int) -> str:
    result = analyse(load_answers(EXAMPLES_DIR / f"{example}.yaml"), RULES)
    return open_store(f"sqlite:///{db}").save(Snapshot.of(
        result, title=title, author=author, created=CREATED + dt.timedelta(minutes=minutes)))


@pytest.fixture
def saved(tmp_path) -> dict[str, str]:
    db = tmp_path / "snapshots.sqlite3"
    return {"math": save(db, "competition-math", "Olympiad <b>solver</b>", "ada@example.com", 0),
            "faq": save(db, "support-faq-bot", "Support bot", "bob@example.com", 1),
            "bank": save(db, "bank-compliance-review", "Bank review", "ada@example.com", 2)}


def _decisions_script():
    from ui.pages import decisions as decisions_page

    decisions_page.render()


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_decisions_script, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def listed(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["id"])


def test_every_saved_decision_is_listed_newest_first_with_who_when_and_what(saved):
    at = open_page()
    assert at.title[0].value == "Decisions"
    frame = at.dataframe[0].value
    assert list(frame["id"]) == [saved["bank"], saved["faq"], saved["math"]]
    math = frame[frame["id"] == saved["math"]].iloc[0]
    assert math["title"] == "Olympiad <b>solver</b>"  # a dataframe cell: shown as text
    assert math["saved by"] == "ada@example.com"
    assert math["saved (UTC)"] == "2026-11-28 12:00"
    expected = analyse(load_answers(EXAMPLES_DIR / "competition-math.yaml"), RULES)
    assert math["verdict"] == VERDICT_LABELS[expected.verdict]
    assert math["configuration"] == f"{expected.strategy_name} on {expected.model_name}"
    assert math["task type"] == "Math"
    assert math["rules version"] == RULES.version
    assert math["open"] == f"./?snapshot={saved['math']}"
    assert "3 decision(s) match." in [c.value for c in at.caption]


def test_filter_by_text_task_type_and_verdict(saved):
    at = open_page()
    at.text_input(key="decisions_text").input("ADA@").run()
    assert listed(at) == [saved["bank"], saved["math"]]
    at.selectbox(key="decisions_task_type").select("math").run()
    assert listed(at) == [saved["math"]]
    at.text_input(key="decisions_text").input("").run()
    at.selectbox(key="decisions_task_type").select("any").run()
    verdicts = {name: analyse(load_answers(EXAMPLES_DIR / file), RULES).verdict
                for name, file in (("faq", "support-faq-bot.yaml"),
                                   ("math", "competition-math.yaml"),
                                   ("bank", "bank-compliance-review.yaml"))}
    at.selectbox(key="decisions_verdict").select(verdicts["faq"]).run()
    assert set(listed(at)) == {saved[name] for name, verdict in verdicts.items()
                               if verdict == verdicts["faq"]}
    other = next(v for v in ("training", "inference_time", "neither")
                 if v not in verdicts.values())
    at.selectbox(key="decisions_verdict").select(other).run()
    assert listed(at) == []
    at.selectbox(key="decisions_verdict").select(verdicts["faq"]).run()
    at.text_input(key="decisions_text").input("no such thing").run()
    assert not at.exception
    assert "0 decision(s) match." in [c.value for c in at.caption]


def test_open_one_shows_it_as_it_was_saved(saved):
    at = open_page()
    at.selectbox(key="decisions_open").select(saved["faq"])
    at.button(key="decisions_open_button").click().run()
    assert not at.exception
    assert at.query_params["snapshot"] == saved["faq"]
    assert at.title[0].value == "Snapshot"
    assert at.markdown[0].value.startswith("**Support bot** · saved 2026-11-28 12:01 UTC by ")


def test_reevaluate_several_lists_only_the_ones_that_would_change(saved, tmp_path, monkeypatch):
    changed = tmp_path / "rules"
    shutil.copytree(RULES_DIR, changed)
    models = changed / "models.yaml"
    # The math solver's model triples its output price: its configuration no longer wins.
    before = analyse(load_answers(EXAMPLES_DIR / "competition-math.yaml"), RULES)
    data = yaml.safe_load(models.read_text())
    for model in data["models"]:
        if model["id"] == before.model:
            model["output_per_1m"] *= 3
    models.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(changed))
    at = open_page()
    at.multiselect(key="decisions_pick").select(saved["math"]).select(saved["faq"])
    at.button(key="decisions_reevaluate").click().run()
    assert not at.exception
    assert at.warning[0].value.startswith("1 of 2 decision(s) would change under the current "
                                          "rules (version `")
    changes = at.dataframe[1].value
    assert list(changes["id"]) == [saved["math"]]
    assert changes["what"][0]
    assert changes["then"][0] == before.strategy_name or before.model_name in changes["then"][0]


def test_reevaluate_with_none_picked_runs_every_listed_one(saved):
    at = open_page()
    at.button(key="decisions_reevaluate").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        f"None of the 3 decision(s) would change under the current rules (version "
        f"`{RULES.version}`)."]


def test_an_empty_store_lists_nothing():
    at = open_page()
    assert "0 decision(s) match." in [c.value for c in at.caption]
    assert not at.button


def test_a_store_that_is_down_is_one_message(monkeypatch):
    monkeypatch.setenv("ADVISOR_DATABASE_URL", "mysql://u:p@h/db")
    at = open_page()
    assert [e.value for e in at.error] == [md_escape(
        "The saved decisions cannot be listed: ADVISOR_DATABASE_URL names an unsupported "
        "database 'mysql'; the store supports postgresql (with psycopg) and sqlite.")]


def test_the_audit_log_of_rule_edits_is_listed_with_each_diff(tmp_path):
    from advisor.store import RuleEdit

    store = open_store(f"sqlite:///{tmp_path / 'snapshots.sqlite3'}")
    store.record_rule_edit(RuleEdit(created=CREATED, author="ada@example.com", file="rules.yaml",
                                    diff="--- a/rules.yaml\n+++ b/rules.yaml\n-x: 1\n+x: 2\n",
                                    rules_version_before="aaa", rules_version_after="bbb"))
    at = open_page()
    edits = at.dataframe[-1].value  # below the (empty) list of decisions
    assert list(edits.iloc[0]) == [1, "2026-11-28 12:00", "ada@example.com", "rules.yaml", "aaa",
                                   "bbb"]
    assert at.code[0].value == "--- a/rules.yaml\n+++ b/rules.yaml\n-x: 1\n+x: 2"
