"""Snapshots in the app with AppTest: save, reopen by link, re-evaluate, and every failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
import yaml
from streamlit.testing.v1 import AppTest

from advisor import load_answers, load_rules, recommend
from advisor.analysis.full import analyse
from advisor.render.markdown import md_escape
from advisor.store.snapshots import Snapshot
from advisor.store import open_store
from advisor.render.wording import usd

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MATH_LINK = {"task_type": "math", "difficulty": "olympiad", "latency_budget_s": "300",
             "budget_per_query_usd": "1",
             "training_budget_usd": "0", "verifiability": "verifiable_steps",
             "queries_per_day": "200", "needs_calibration": "false", "high_stakes": "false"}


pytestmark = pytest.mark.usefixtures("fresh_streamlit")
MATH = recommend(load_answers(ROOT / "examples" / "competition-math.yaml"),
                 load_rules(ROOT / "rules"))
MATH_COST = usd(MATH.chosen.cost_usd)


def run_app(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def save_from_app(title: str) -> str:
    at = run_app(MATH_LINK)
    at.text_input(key="snapshot_title").input(title)
    at.button(key="snapshot_save").click().run()
    assert not at.exception, at.exception
    snapshot_id = at.session_state["_snapshot_saved"]
    assert any(f"Saved as snapshot `{snapshot_id}`" in box.value for box in at.success)
    return snapshot_id


def test_save_then_reopen_exactly_as_recommended(tmp_path):
    snapshot_id = save_from_app("Board review <b>Q4</b>")
    stored = open_store(f"sqlite:///{tmp_path / 'snapshots.sqlite3'}").get(snapshot_id)
    expected = analyse(load_answers(ROOT / "examples" / "competition-math.yaml"),
                       load_rules(ROOT / "rules"))
    assert stored.result() == expected

    at = run_app({"snapshot": snapshot_id})
    assert at.title[0].value == "Snapshot"
    header = at.markdown[0].value
    assert header.startswith(f"**{md_escape('Board review <b>Q4</b>')}** · saved ")
    assert " by anonymous · " in header
    assert f"id `{snapshot_id}`" in header
    assert ("The rules are unchanged since this snapshot was saved."
            in [c.value for c in at.caption])
    assert at.metric[0].value == MATH_COST
    answers = dict(at.dataframe[0].value.values.tolist())
    assert (answers["Task type"], answers["Verifiability"]) == (
        "Math", "Yes, steps or answers can be checked")  # labels, not math / verifiable_steps
    at.button(key="snapshot_reevaluate").click().run()
    assert not at.exception
    assert "Nothing differs: the current rules give the same recommendation." in [
        s.value for s in at.success]


def test_reevaluate_after_the_rules_changed(tmp_path, monkeypatch):
    snapshot_id = save_from_app("Before the price change")
    changed = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", changed)
    models = changed / "models.yaml"
    # The recommended tier's output price triples: the frozen configuration no longer wins.
    data = yaml.safe_load(models.read_text())
    for model in data["models"]:
        if model["id"] == MATH.model:
            model["output_per_1m"] *= 3
    models.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(changed))

    at = run_app({"snapshot": snapshot_id})
    assert at.info[0].value.startswith("The rules have changed since this snapshot")
    assert at.metric[0].value == MATH_COST  # still exactly what was recommended then
    at.button(key="snapshot_reevaluate").click().run()
    assert not at.exception
    assert at.warning[0].value.startswith("With the current rules (version `")
    differences = at.dataframe[-1].value
    assert "Rules version" in list(differences[""])
    assert "Configuration" in list(differences[""])


@pytest.mark.parametrize(("snapshot_id", "message"), [
    ("'; DROP TABLE", "'''; DROP TABLE' is not a snapshot id: ids are 8 characters, letters a-z "
                      "and digits 2-7. Check the link you were given."),
    ("abcdefgh", "no snapshot 'abcdefgh' in the team store: the link may be mistyped, or it "
                 "was saved with another database."),
])
def test_bad_links_show_a_message(tmp_path, snapshot_id, message):
    at = run_app({"snapshot": snapshot_id})
    expected = message.replace("'''", "''")
    assert [e.value for e in at.error] == [
        md_escape(f"This snapshot cannot be shown. {expected}")]
    at.button(key="snapshot_leave").click().run()
    assert not at.exception
    assert "snapshot" not in at.query_params
    assert at.title[0].value == "Inference-time or training compute?"


def test_unknown_id_and_corrupt_database(tmp_path):
    db = tmp_path / "snapshots.sqlite3"
    open_store(f"sqlite:///{db}").save(Snapshot.of(analyse(
        load_answers(ROOT / "examples" / "competition-math.yaml"), load_rules(ROOT / "rules"))))
    at = run_app({"snapshot": "zzzzzzzz"})
    assert at.error[0].value == md_escape(
        "This snapshot cannot be shown. no snapshot 'zzzzzzzz' in the team store: the link may "
        "be mistyped, or it was saved with another database.")
    db.write_bytes(b"garbage" * 100)
    st.cache_resource.clear()  # a new server process opens the damaged file
    at = run_app({"snapshot": "zzzzzzzz"})
    assert "the team store is damaged or is not a snapshot database" in at.error[0].value
    assert str(tmp_path) not in at.error[0].value  # the log has the path; users do not


def test_an_unusable_store_turns_saving_off_and_keeps_recommending(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_SNAPSHOT_DB", str(tmp_path / "missing-folder" / "s.sqlite3"))
    at = run_app(MATH_LINK)
    assert at.metric[0].value == MATH_COST  # the recommendation is all there
    assert at.warning[-1].value == md_escape(
        "Saving is turned off because the store cannot be used: cannot create or open the "
        "team store: unable to open database file. Check that the folder exists and is "
        "writable, or set ADVISOR_SNAPSHOT_DB to another file.")
    assert at.button(key="snapshot_save").disabled
    assert "_snapshot_saved" not in at.session_state


def test_an_unreachable_database_url_is_one_message_and_the_app_still_recommends(monkeypatch):
    monkeypatch.setenv("ADVISOR_DATABASE_URL", "postgresql://advisor:secret@127.0.0.1:9/advisor")
    at = run_app(MATH_LINK)
    assert at.metric[0].value == MATH_COST
    assert at.warning[-1].value.startswith(md_escape(
        "Saving is turned off because the store cannot be used: cannot reach the team store: "))
    assert "secret" not in at.warning[-1].value and "advisor:***" not in at.warning[-1].value
    at = run_app({"snapshot": "abcdefgh"})
    assert at.error[0].value.startswith(md_escape("This snapshot cannot be shown. cannot reach"))


def test_who_saved_it_comes_from_the_trusted_header_and_only_they_can_delete(monkeypatch):
    from ui.components import team

    monkeypatch.setenv("ADVISOR_USER_HEADER", "X-Forwarded-Email")
    monkeypatch.setattr(team, "request_headers",
                        lambda: {"x-forwarded-email": "ada@example.com"})
    snapshot_id = save_from_app("Ada's decision")
    monkeypatch.setattr(team, "request_headers", lambda: {"x-forwarded-email": "bob@example.com"})
    at = run_app({"snapshot": snapshot_id})
    assert f" by {md_escape('ada@example.com')} · " in at.markdown[0].value
    assert not [b for b in at.button if b.key == "snapshot_delete"]
    monkeypatch.setattr(team, "request_headers", lambda: {"x-forwarded-email": "ada@example.com"})
    at = run_app({"snapshot": snapshot_id})
    at.button(key="snapshot_delete").click().run()
    assert not at.exception
    assert "snapshot" not in at.query_params
    assert at.info[0].value == f"Deleted snapshot {snapshot_id}."
    at = run_app({"snapshot": snapshot_id})
    assert "was deleted by the person who saved it" in at.error[0].value


def test_open_the_snapshot_answers_in_the_advisor():
    snapshot_id = save_from_app("Reopen")
    at = run_app({"snapshot": snapshot_id})
    at.button(key="snapshot_open").click().run()
    assert not at.exception
    assert "snapshot" not in at.query_params
    assert at.session_state["task_type"] == "math"
    assert at.session_state["latency_budget_s"] == 300.0
    assert at.query_params["task_type"] == "math"


def test_who_saved_it_comes_from_streamlit_login_when_there_is_no_header():
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = {"is_logged_in": True, "email": "carol@example.com"}
    for key, value in MATH_LINK.items():
        at.query_params[key] = value
    at.run()
    assert f"Signed in as {md_escape('carol@example.com')}" in [c.value for c in at.caption]
    assert f"Saved as {md_escape('carol@example.com')}; listed on the Decisions page." in [
        c.value for c in at.caption]
    at.user = {"is_logged_in": False}
    at.run()
    assert at.button(key="team_login")
    assert "Saved as anonymous; listed on the Decisions page." in [c.value for c in at.caption]
