"""The rules page's "Add a model" form (issue 12, point 8) in AppTest, and
advisor.authoring.newmodel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from advisor.engine.decide import recommend
from advisor.errors import RulesError
from advisor.source.loader import load_rules
from advisor.render.markdown import md_escape
from advisor.authoring.newmodel import (LOCAL_MODELS_FILE, NewModel, add_model, local_models_text,
                              model_id_for, tier_entry)
from helpers import RULES_DIR, open_tab, run_app
from test_rules_page import media_stores, rules_dir  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("fresh_streamlit")

ANSWERS = {"task_type": "math", "latency_budget_s": 300, "budget_per_query_usd": 1.0,
           "training_budget_usd": 0, "verifiability": "verifiable_steps"}


def _page():
    from ui.pages import rules as rules_page

    rules_page.render()


def fill(at: AppTest, *, name: str = "Mistral Large 2", model_id: str = "",
         input_price: float = 2.0, like: str | None = "llama-3.1-70b",
         scores: dict[str, float] | None = None) -> AppTest:
    """Fill the form: a name, prices, speed, and the tier it resembles or its scores (%)."""
    at.text_input(key="add_model_name").input(name)
    at.text_input(key="add_model_id").input(model_id)
    at.number_input(key="add_model_input").set_value(input_price)
    at.number_input(key="add_model_output").set_value(6.0)
    at.number_input(key="add_model_speed").set_value(45.0)
    at.number_input(key="add_model_ttft").set_value(0.4)
    if like is not None:
        at.run()
        at.selectbox(key="add_model_like").select(like)
    else:
        at.radio(key="add_model_quality").set_value("Its published benchmark scores").run()
        for bench_id, percent in (scores or {}).items():
            at.number_input(key=f"add_model_score_{bench_id}").set_value(percent)
    at.run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest) -> AppTest:
    at.button(key="add_model_submit").click().run()
    assert not at.exception, at.exception
    return at


def open_page() -> AppTest:
    """The Rules page with its "Add a model" tab open (tabs are built only while open)."""
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert not at.exception, at.exception
    return open_tab(at, "rules_section", "Add a model")


def problems(at: AppTest) -> list[str]:
    """The lines of the form's error box."""
    return [line for e in at.error if e.value.startswith("Not added")
            for line in e.value.splitlines()[2:]]


def test_edits_off_offers_the_file_as_a_download(rules_dir, media_stores):
    at = fill(open_page())
    assert at.text_input(key="add_model_id").proto.placeholder == "mistral-large-2"
    assert at.button(key="add_model_submit").label == "Check the entry"
    submit(at)
    assert "Saving from the app is off (ADVISOR_ALLOW_RULE_EDITS=1 turns it on)" in \
        at.success[0].value
    button = at.get("download_button")[0]
    assert button.proto.label == f"Download {LOCAL_MODELS_FILE}"
    content = media_stores[-1].get_file(Path(urlparse(button.proto.url).path).name).content
    (entry,) = yaml.safe_load(content)["models"]
    assert entry["id"] == "mistral-large-2" and entry["input_per_1m"] == 2.0
    like = next(t for t in load_rules(RULES_DIR).models if t.id == "llama-3.1-70b")
    assert entry["scores"] == like.scores
    assert not (rules_dir / LOCAL_MODELS_FILE).exists()
    # The downloaded file loads with the rules as it is.
    (rules_dir / LOCAL_MODELS_FILE).write_bytes(content)
    assert "mistral-large-2" in [t.id for t in load_rules(rules_dir).models]


def test_edits_on_write_the_file_and_the_advice_weighs_the_new_tier(rules_dir, monkeypatch):
    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    at = fill(open_page(), name="Our Fast Model", model_id="our-fast", like=None,
              input_price=0.05, scores={"gsm8k": 90.0, "humaneval": 80.0, "mmlu": 75.0,
                                        "label_accuracy": 80.0, "acceptable_answer": 55.0})
    assert at.button(key="add_model_submit").label == "Check and add to the rules"
    submit(at)
    assert at.success[0].value.startswith(md_escape(
        f"Added Our Fast Model to {LOCAL_MODELS_FILE}: the advice now weighs it")), \
        [m.value for m in at.error] + problems(at)
    written = yaml.safe_load((rules_dir / LOCAL_MODELS_FILE).read_text(encoding="utf-8"))
    (entry,) = written["models"]
    assert entry["scores"] == {"gsm8k": 0.9, "humaneval": 0.8, "mmlu": 0.75,
                               "label_accuracy": 0.8, "acceptable_answer": 0.55}
    assert entry["price_date"] == dt.date.today()
    rules = load_rules(rules_dir)
    assert "our-fast" in {e.model for e in recommend(ANSWERS, rules).estimates}
    # The app's own advice lists it among the candidates.
    advisor = open_tab(run_app(), "advisor_section", "All candidates")
    table = next(d.value for d in advisor.dataframe if "why not available" in d.value.columns)
    assert "Our Fast Model" in set(table["model"])
    # A second model goes into the same file, after the first.
    at = fill(open_page(), name="Another One", like="gpt-4o")
    submit(at)
    assert [m["id"] for m in yaml.safe_load(
        (rules_dir / LOCAL_MODELS_FILE).read_text(encoding="utf-8"))["models"]] == [
        "our-fast", "another-one"]
    assert (rules_dir / f"{LOCAL_MODELS_FILE}.1.bak").exists()


@pytest.mark.parametrize(("fields", "line", "message"), [
    ({"input_price": -2.0}, 8,
     "Input price: 'models[0].input_per_1m' must be at least 0, got -2.0"),
    ({"model_id": "gpt-4o"}, 6,
     "duplicate model id 'gpt-4o' (first defined at models.yaml:{line})"),
    ({"like": None, "scores": {"gsm8k": 90.0}}, 14,
     "model 'mistral-large-2' has no score on any code benchmark, so it cannot be placed for "
     "code work"),
])
def test_a_bad_entry_says_what_to_fix_and_writes_nothing(rules_dir, monkeypatch, fields, line,
                                                        message):
    monkeypatch.setenv("ADVISOR_ALLOW_RULE_EDITS", "1")
    before = sorted(p.name for p in rules_dir.iterdir())
    at = submit(fill(open_page(), **fields))
    assert at.error[0].value.startswith("Not added: the rules would not load with this entry, "
                                        "so nothing was written. Fix this and check again:")
    lines = (rules_dir / "models.yaml").read_text(encoding="utf-8").splitlines()
    expected = message.format(line=lines.index("  - id: gpt-4o") + 1)
    assert "- " + md_escape(f"{LOCAL_MODELS_FILE}:{line}: {expected}") in problems(at)
    assert not [m for m in at.success if m.value.startswith("Added")]
    assert sorted(p.name for p in rules_dir.iterdir()) == before


def test_model_ids_are_made_from_names():
    assert model_id_for("Mistral Large 2 (self-hosted)") == "mistral-large-2-self-hosted"
    assert model_id_for("  GPT-4.1 mini ") == "gpt-4.1-mini"
    assert model_id_for("日本語") == "model"


def test_a_new_file_that_appeared_meanwhile_is_not_overwritten(tmp_path):
    from authoring_support import copy_rules

    directory = copy_rules(tmp_path / "rules", scenarios=False)
    rules = load_rules(directory)
    entry = tier_entry(NewModel("Ours", "ours", 1.0, 2.0, 50.0, 0.3, resembles="gpt-4o"), rules,
                       today=dt.date(2026, 11, 29))
    text = local_models_text(None, entry)
    (directory / LOCAL_MODELS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        add_model(directory, text.replace("ours", "ours-2"), opened_hash="")
    assert "was created since you looked" in str(caught.value.problems[0])
    assert (directory / LOCAL_MODELS_FILE).read_text(encoding="utf-8") == text
