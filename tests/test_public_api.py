"""The package's public API is what ``advisor.__all__`` claims, and ``recommend`` takes a
mapping."""

from __future__ import annotations

import subprocess
import sys

import pytest

import advisor
from advisor import AnswersError, Recommendation, load_rules, recommend
from advisor.model.result import ESTIMATE_COLUMNS
from helpers import EXAMPLES_DIR, RULES_DIR

PUBLIC_API = [
    "AdvisorError",
    "Answers",
    "AnswersError",
    "Problem",
    "Recommendation",
    "RulesError",
    "UserInputError",
    "analyse",
    "check_rules",
    "decision_map",
    "default_rules_dir",
    "load_answers",
    "load_rules",
    "parse_answers",
    "recommend",
    "recommend_many",
]

ANSWERS = {
    "task_type": "math",
    "latency_budget_s": 300,
    "budget_per_query_usd": 1.0,
    "training_budget_usd": 0,
    "verifiability": "verifiable_steps",
}


def test_all_is_exactly_the_public_api():
    assert sorted(advisor.__all__) == PUBLIC_API
    assert len(set(advisor.__all__)) == len(advisor.__all__)


@pytest.mark.parametrize("name", PUBLIC_API)
def test_each_public_name_is_importable(name):
    namespace: dict = {}
    exec(f"from advisor import {name}", namespace)
    assert namespace[name] is getattr(advisor, name)


def test_star_import_gives_exactly_the_public_api():
    namespace: dict = {}
    exec("from advisor import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == PUBLIC_API


def test_user_errors_share_one_base():
    assert issubclass(advisor.RulesError, advisor.UserInputError)
    assert issubclass(advisor.AnswersError, advisor.UserInputError)
    assert issubclass(advisor.UserInputError, advisor.AdvisorError)


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES_DIR.glob("*.yaml")))
def test_recommend_with_ranges_is_the_headline_of_analyse(rules, example):
    """The app shows recommend(..., ranges=True) first and the analysis after it: both must
    name the same configuration with the same figures and ranges."""
    answers = advisor.load_answers(EXAMPLES_DIR / example)
    first, full = recommend(answers, rules, ranges=True), advisor.analyse(answers, rules)
    assert first.chosen == full.chosen
    assert first.chosen.expected_quality_low is not None
    assert (first.verdict, first.shares, first.table) == (full.verdict, full.shares, full.table)
    assert first.estimates == full.estimates


def test_recommend_accepts_a_mapping(rules):
    rec = recommend(ANSWERS, rules)
    assert isinstance(rec, Recommendation)
    assert rec.answers.queries_per_day == 1000  # the default fills in
    assert rec.verdict == recommend(advisor.parse_answers(ANSWERS), rules).verdict
    assert rec.rules_version == load_rules(RULES_DIR).version


@pytest.mark.parametrize("answers, message", [
    ({**ANSWERS, "latency_budget_s": -1},
     "<answers>: 'latency_budget_s' must be greater than 0, got -1"),
    ({**ANSWERS, "high_stake": True},
     "<answers>: unknown key 'high_stake' (did you mean 'high_stakes'?)"),
    ({k: v for k, v in ANSWERS.items() if k != "verifiability"},
     "<answers>: missing required key 'verifiability'"),
], ids=["out-of-range", "unknown-field", "missing-field"])
def test_recommend_raises_answers_error_on_a_bad_mapping(rules, answers, message):
    with pytest.raises(AnswersError) as caught:
        recommend(answers, rules)
    assert str(caught.value) == message
    assert [p.message for p in caught.value.problems] == [message.removeprefix("<answers>: ")]


@pytest.mark.parametrize("answers, got", [
    (None, "nothing (the file is empty)"),
    ([("task_type", "math")], "a list"),
    ("task_type: math", "text"),
], ids=["none", "list", "text"])
def test_recommend_raises_answers_error_on_a_non_mapping(rules, answers, got):
    with pytest.raises(AnswersError) as caught:
        recommend(answers, rules)
    assert str(caught.value) == ("<answers>: answers must be a mapping of field: value, such as "
                                 f"'task_type: math', got {got}")


def test_parse_answers_names_where_the_answers_came_from():
    with pytest.raises(AnswersError) as caught:
        advisor.parse_answers({**ANSWERS, "task_type": "maths"}, path="share-link",
                              lines={("task_type",): 3})
    assert str(caught.value).startswith("share-link:3: 'task_type' must be one of ")


def test_analyse_adds_break_even_and_turning_points_to_recommend(rules):
    from advisor import analyse

    plain = recommend(ANSWERS, rules)
    full = analyse(ANSWERS, rules)
    # analyse adds each estimate's interval; without them the two are the same result.
    bare = full.chosen.model_copy(update={name: None for name in type(full.chosen).model_fields
                                          if name.endswith(("_low", "_high"))})
    assert bare == plain.chosen
    assert full.chosen.expected_quality_low <= full.chosen.expected_quality \
        <= full.chosen.expected_quality_high
    assert (full.verdict, full.strategy, full.model, full.shares) == (
        plain.verdict, plain.strategy, plain.model, plain.shares.model_copy(
            update={"baseline": full.shares.baseline}))
    assert full.what_would_change


def test_analyse_rejects_a_non_mapping_like_recommend(rules):
    from advisor import analyse

    with pytest.raises(AnswersError):
        analyse(None, rules)


def test_estimates_frame_is_the_apps_table_from_the_library():
    """Every candidate as a DataFrame, without Streamlit: what a notebook user needs (issue 12)."""
    code = (
        "import sys; from advisor import load_rules, recommend\n"
        f"rec = recommend({ANSWERS!r}, load_rules({str(RULES_DIR)!r}))\n"
        "frame = rec.estimates_frame()\n"
        "assert 'streamlit' not in sys.modules, 'estimates_frame imported streamlit'\n"
        "print(len(frame), len(rec.estimates), int(frame['recommended'].sum()))\n"
        "print(frame[frame['recommended']].iloc[0]['model'] == rec.chosen.model_name)\n"
        "print('|'.join(frame.columns))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=RULES_DIR.parent)
    assert result.returncode == 0, result.stderr
    rows, estimates, recommended = map(int, result.stdout.splitlines()[0].split())
    assert rows == estimates > 100 and recommended == 1
    assert result.stdout.splitlines()[1:] == ["True", "|".join(ESTIMATE_COLUMNS)]
    assert ESTIMATE_COLUMNS == ["recommended", "strategy", "parameters", "model",
                                "cost per query (USD)", "per correct answer (USD)",
                                "latency (s)", "first token (s)",
                                "expected quality",
                                "quality likely from", "quality likely to", "thinking effort",
                                "monthly cost (USD)", "fits budgets", "available",
                                "why not available"]
