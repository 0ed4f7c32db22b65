"""The compare page with AppTest: scenarios, duplicate-and-change, side by side, share links."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor import load_answers, load_rules, recommend
from advisor.analysis.full import analyse
from advisor.model.answers import ANSWER_FIELDS
from advisor.analysis.compare import NamedScenario, decode_scenarios, encode_scenarios
from advisor.render.markdown import md_escape
from advisor.render.wording import configuration_text, verdict_label

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules(ROOT / "rules")
MATH = load_answers(ROOT / "examples" / "competition-math.yaml")
FAQ = load_answers(ROOT / "examples" / "support-faq-bot.yaml")


pytestmark = pytest.mark.usefixtures("fresh_streamlit")


def _compare_script():
    from ui.pages import compare as compare_page

    compare_page.render()


def open_page(link: str | None = None) -> AppTest:
    at = AppTest.from_function(_compare_script, default_timeout=30)
    if link is not None:
        at.query_params["compare"] = link
    at.run()
    assert not at.exception, at.exception
    return at


def add_example(at: AppTest, example: str, name: str) -> None:
    at.selectbox(key="scenario_source").select(example)
    at.text_input(key="scenario_name").input(name)
    at.button(key="scenario_add").click().run()
    assert not at.exception, at.exception


def table(at: AppTest, key: str):
    """The answers (a dataframe) or results (a static table) as a frame with a label column."""
    if key == "compare_answers":
        return at.dataframe[0].value  # AppTest does not expose a dataframe's key
    return at.table[0].value.reset_index().rename(columns={"index": ""})


def test_keep_duplicate_change_and_compare():
    at = open_page()
    assert at.info[0].value.startswith("Pick 2 to 4 scenarios to compare")
    add_example(at, "Competition math", "Math today")
    add_example(at, "Support faq bot", "FAQ bot")
    assert list(at.session_state["_scenarios"]) == ["Math today", "FAQ bot"]

    at.selectbox(key="change_base").select("Math today")
    at.selectbox(key="change_field").select("latency_budget_s").run()
    at.number_input(key="change_value_latency_budget_s").set_value(5.0)
    at.text_input(key="change_name").input("Math, 5 s")
    at.button(key="scenario_duplicate").click().run()
    assert not at.exception
    stored = at.session_state["_scenarios"]["Math, 5 s"]
    assert stored == {**MATH.model_dump(mode="json"), "latency_budget_s": 5.0}

    at.multiselect(key="compare_pick").set_value(["Math today", "Math, 5 s", "FAQ bot"]).run()
    assert not at.exception
    answers = table(at, "compare_answers")
    assert list(answers.columns) == ["", "differs", "Math today", "Math, 5 s", "FAQ bot"]
    latency = answers[answers[""] == "Latency budget"].iloc[0]
    assert (latency["differs"], latency["Math today"], latency["Math, 5 s"]) == ("≠", "5 min",
                                                                                "5 s")
    task = answers[answers[""] == "Task type"].iloc[0]
    assert (task["Math today"], task["FAQ bot"]) == ("Math", "Knowledge Q&A")
    results = table(at, "compare_results")
    rules = load_rules(ROOT / "rules")
    configuration = results[results[""] == "Configuration"].iloc[0]
    assert configuration["Math, 5 s"] == configuration_text(
        analyse(MATH.model_copy(update={"latency_budget_s": 5.0}), rules))
    assert len(at.get("plotly_chart")) == 1
    # The address bar is the share link of exactly these scenarios.
    linked = decode_scenarios(at.query_params["compare"])
    assert [s.name for s in linked] == ["Math today", "Math, 5 s", "FAQ bot"]
    assert linked[1].answers.latency_budget_s == 5.0
    assert [b.proto.label for b in at.get("download_button")] == [
        "Comparison (Markdown)", "Comparison (JSON)", "Comparison (HTML)"]


def test_a_duplicate_is_named_after_the_changed_answer_in_words():
    at = open_page()
    add_example(at, "Competition math", "Math today")
    at.selectbox(key="change_base").select("Math today")
    at.selectbox(key="change_field").select("task_type").run()
    at.selectbox(key="change_value_task_type").select("multi_step_reasoning")
    at.button(key="scenario_duplicate").click().run()
    assert not at.exception
    assert list(at.session_state["_scenarios"]) == ["Math today",
                                                    "Math today · Multi-step reasoning"]
    # The maths level does not exist for multi-step reasoning: the duplicate takes its default.
    assert (at.session_state["_scenarios"]["Math today · Multi-step reasoning"]["difficulty"]
            is None)


def test_every_answer_can_be_changed_and_a_level_reads_as_its_label():
    at = open_page()
    add_example(at, "Competition math", "Math today")
    at.selectbox(key="change_base").select("Math today")
    for field in ANSWER_FIELDS:
        at.selectbox(key="change_field").select(field).run()
        assert not at.exception, (field, at.exception)
    at.selectbox(key="change_field").select("difficulty").run()
    levels = RULES.tasks["math"].difficulties
    assert at.selectbox(key="change_value_difficulty").options == [
        f"{RULES.tasks['math'].level(None).label} (default)", *(lv.label for lv in levels)]
    at.selectbox(key="change_value_difficulty").select(levels[0].id)
    at.button(key="scenario_duplicate").click().run()
    assert not at.exception
    assert f"Math today · {levels[0].label}" in at.session_state["_scenarios"]


def test_share_link_round_trip():
    link = encode_scenarios([NamedScenario(name="Math", answers=MATH),
                             NamedScenario(name="FAQ", answers=FAQ)])
    at = open_page(link)
    assert at.multiselect(key="compare_pick").value == ["Math", "FAQ"]
    verdicts = table(at, "compare_results")
    assert list(verdicts[verdicts[""] == "Verdict"].iloc[0])[2:] == [
        verdict_label(recommend(a, RULES)) for a in (MATH, FAQ)]
    assert at.query_params["compare"] == link
    # A second run does not load the link again over the user's edits.
    at.multiselect(key="compare_pick").set_value(["FAQ", "Math"]).run()
    assert not at.exception
    assert [s.name for s in decode_scenarios(at.query_params["compare"])] == ["FAQ", "Math"]


@pytest.mark.parametrize(("link", "message"), [
    ("not-a-link!", "The comparison link cannot be used: the comparison link is damaged: it does "
                    "not decode; ask for a new link"),
    ("W10", "The comparison link cannot be used: the comparison link must carry 2 to 4 named "
            "scenarios"),
])
def test_tampered_link_is_a_message_not_a_crash(link, message):
    at = open_page(link)
    assert [e.value for e in at.error] == [md_escape(message)]


def test_names_must_be_unique_and_user_text_is_escaped():
    at = open_page()
    add_example(at, "Competition math", "[click](javascript:alert(1))")
    assert "[click](javascript:alert(1))" in at.session_state["_scenarios"]
    success = at.success[0].value
    assert "\\[click\\](javascript:\u2060alert(1))" in success
    add_example(at, "Support faq bot", "[click](javascript:alert(1))")
    assert at.error[0].value.startswith("There is already a scenario called")
    assert list(at.session_state["_scenarios"]) == ["[click](javascript:alert(1))"]


def test_picking_another_scenario_starts_from_its_answers():
    at = open_page()
    add_example(at, "Competition math", "Math")
    add_example(at, "Support faq bot", "FAQ")
    at.selectbox(key="change_field").select("latency_budget_s").run()
    at.selectbox(key="change_base").select("Math").run()
    assert at.number_input(key="change_value_latency_budget_s").value == 300.0
    at.selectbox(key="change_base").select("FAQ").run()
    assert not at.exception
    assert at.number_input(key="change_value_latency_budget_s").value == 0.8
