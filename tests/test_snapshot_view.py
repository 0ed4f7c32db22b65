"""Snapshots in the app with AppTest: save, reopen by link, re-evaluate, and every failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor import load_answers, load_rules
from advisor.analysis import analyse
from advisor.markdown import md_escape
from advisor.snapshots import Snapshot, SQLiteSnapshotStore

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MATH_LINK = {"task_type": "math", "latency_budget_s": "300", "budget_per_query_usd": "1",
             "training_budget_usd": "0", "verifiability": "verifiable_steps",
             "queries_per_day": "200", "needs_calibration": "false", "high_stakes": "false"}


pytestmark = pytest.mark.usefixtures("fresh_streamlit")


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
    assert f"Saved as snapshot `{snapshot_id}`" in at.success[0].value
    return snapshot_id


def test_save_then_reopen_exactly_as_recommended(tmp_path):
    snapshot_id = save_from_app("Board review <b>Q4</b>")
    stored = SQLiteSnapshotStore(tmp_path / "snapshots.sqlite3").get(snapshot_id)
    expected = analyse(load_answers(ROOT / "examples" / "competition-math.yaml"),
                       load_rules(ROOT / "rules"))
    assert stored.result() == expected

    at = run_app({"snapshot": snapshot_id})
    assert at.title[0].value == "Snapshot"
    header = at.markdown[0].value
    assert header.startswith(f"**{md_escape('Board review <b>Q4</b>')}** · saved ")
    assert f"id `{snapshot_id}`" in header
    assert "The rules are unchanged since this snapshot was saved." in [c.value for c in at.caption]
    assert at.metric[0].value == "$0.524"
    at.button(key="snapshot_reevaluate").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Nothing differs: the current rules give the same recommendation."]


def test_reevaluate_after_the_rules_changed(tmp_path, monkeypatch):
    snapshot_id = save_from_app("Before the price change")
    changed = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", changed)
    models = changed / "models.yaml"
    # o4-mini's output price triples: the frozen configuration no longer fits the budget.
    models.write_text(models.read_text().replace("output_per_1m: 4.40", "output_per_1m: 13.20"))
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(changed))

    at = run_app({"snapshot": snapshot_id})
    assert at.info[0].value.startswith("The rules have changed since this snapshot")
    assert at.metric[0].value == "$0.524"  # still exactly what was recommended then
    at.button(key="snapshot_reevaluate").click().run()
    assert not at.exception
    assert at.warning[0].value.startswith("With the current rules (version `")
    differences = at.dataframe[-1].value
    assert "Rules version" in list(differences[""])
    assert "Configuration" in list(differences[""])


@pytest.mark.parametrize(("snapshot_id", "message"), [
    ("'; DROP TABLE", "'''; DROP TABLE' is not a snapshot id: ids are 8 characters, letters a-z "
                      "and digits 2-7. Check the link you were given."),
    ("abcdefgh", "no snapshot database at {db}: nothing has been saved there yet. Set "
                 "ADVISOR_SNAPSHOT_DB to the database the link was made with."),
])
def test_bad_links_show_a_message(tmp_path, snapshot_id, message):
    at = run_app({"snapshot": snapshot_id})
    expected = message.format(db=tmp_path / "snapshots.sqlite3").replace("'''", "''")
    assert [e.value for e in at.error] == [
        md_escape(f"This snapshot cannot be shown. {expected}")]
    at.button(key="snapshot_leave").click().run()
    assert not at.exception
    assert "snapshot" not in at.query_params
    assert at.title[0].value == "Inference-time or training compute?"


def test_unknown_id_and_corrupt_database(tmp_path):
    db = tmp_path / "snapshots.sqlite3"
    SQLiteSnapshotStore(db).save(Snapshot.of(analyse(
        load_answers(ROOT / "examples" / "competition-math.yaml"), load_rules(ROOT / "rules"))))
    at = run_app({"snapshot": "zzzzzzzz"})
    assert at.error[0].value == md_escape(
        f"This snapshot cannot be shown. no snapshot 'zzzzzzzz' in {db}: the link may be "
        "mistyped, or it was saved with another database.")
    db.write_bytes(b"garbage" * 100)
    at = run_app({"snapshot": "zzzzzzzz"})
    assert "is damaged or is not a snapshot database" in at.error[0].value


def test_saving_to_an_unwritable_path_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_SNAPSHOT_DB", str(tmp_path / "missing-folder" / "s.sqlite3"))
    at = run_app(MATH_LINK)
    at.button(key="snapshot_save").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("The snapshot was not saved: " + md_escape(
        "cannot create or open the snapshot database"))
    assert "_snapshot_saved" not in at.session_state


def test_open_the_snapshot_answers_in_the_advisor():
    snapshot_id = save_from_app("Reopen")
    at = run_app({"snapshot": snapshot_id})
    at.button(key="snapshot_open").click().run()
    assert not at.exception
    assert "snapshot" not in at.query_params
    assert at.session_state["task_type"] == "math"
    assert at.session_state["latency_budget_s"] == 300.0
    assert at.query_params["task_type"] == "math"
