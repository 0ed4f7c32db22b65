"""Saved comparisons on the compare page with AppTest: save, reopen by link in a new session,
list, and a store that is down."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from test_compare_page import _compare_script, add_example, open_page
from advisor.render.markdown import md_escape

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


def saved_comparison() -> tuple[str, AppTest]:
    at = open_page()
    add_example(at, "Competition math", "Math <b>today</b>")
    add_example(at, "Support faq bot", "FAQ bot")
    at.multiselect(key="compare_pick").select("Math <b>today</b>").select("FAQ bot").run()
    at.text_input(key="compare_set_name").input("Q4 options")
    at.button(key="compare_set_save").click().run()
    assert not at.exception, at.exception
    set_id = at.query_params["compare_set"]
    assert at.success[0].value == md_escape(
        f"Saved 'Q4 options' as comparison {set_id}; the address bar now links to it.")
    return set_id, at


def test_a_saved_comparison_reopens_in_a_new_session_from_its_link():
    set_id, _ = saved_comparison()
    at = AppTest.from_function(_compare_script, default_timeout=30)
    at.query_params["compare_set"] = set_id
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["compare_pick"] == ["Math <b>today</b>", "FAQ bot"]
    assert at.success[0].value == md_escape(
        "Opened the saved comparison 'Q4 options' by anonymous.")
    assert list(at.dataframe[0].value.columns)[2:] == ["Math <b>today</b>", "FAQ bot"]


def test_saved_comparisons_are_listed_and_open_from_the_list():
    set_id, _ = saved_comparison()
    at = open_page()
    label = at.selectbox(key="compare_set_open").options[0]
    assert label.startswith("Q4 options · anonymous · ") and label.endswith("2 scenario(s)")
    at.button(key="compare_set_open_button").click().run()
    assert not at.exception
    assert at.query_params["compare_set"] == set_id
    assert at.session_state["compare_pick"] == ["Math <b>today</b>", "FAQ bot"]


def test_a_name_already_used_for_other_answers_is_kept_apart():
    set_id, at = saved_comparison()
    at.session_state["_scenarios"]["FAQ bot"] = at.session_state["_scenarios"]["Math <b>today</b>"]
    at.session_state["_compare_set_loaded"] = None
    at.query_params["compare_set"] = set_id
    at.run()
    assert not at.exception
    assert at.session_state["compare_pick"] == ["Math <b>today</b>", "FAQ bot (saved set)"]


def test_a_bad_set_link_is_one_message():
    at = AppTest.from_function(_compare_script, default_timeout=30)
    at.query_params["compare_set"] = "zzzzzzzz"
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith(md_escape(
        "The saved comparison cannot be opened: no compare set 'zzzzzzzz' in "))


def test_saving_without_a_name_is_refused_with_the_reason():
    at = open_page()
    add_example(at, "Competition math", "Math")
    at.button(key="compare_set_save").click().run()
    assert at.error[0].value == md_escape(
        "A saved comparison needs a name of 1 to 100 characters and 1 to 20 scenarios.")
    assert "compare_set" not in at.query_params


def test_a_store_that_is_down_turns_saving_off(monkeypatch):
    monkeypatch.setenv("ADVISOR_DATABASE_URL", "mysql://u:p@h/db")
    at = open_page()
    assert at.warning[0].value.startswith(md_escape(
        "Saving is turned off because the store cannot be used: ADVISOR_DATABASE_URL names"))
    assert not [b for b in at.button if b.key == "compare_set_save"]
