"""What quality means: anchors at difficulty levels, the user's own measurement, the curves
against the published record (one replication table), and the `curve` command."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import AnswersError, load_rules, recommend
from advisor.engine import quality as q
from advisor.engine.anchors import fit_placement, placement, tier_accuracy
from advisor.cli import main
from advisor.engine.curve import coverage, predict
from advisor.engine.effort import tier_slope
from advisor.analysis.replication import CASES, replicate
from helpers import RULES_DIR

RULES = load_rules(RULES_DIR)


# --- the replication table ---------------------------------------------------------------------

@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c.paper.split(' ')[0]}-{i}" for i, c in enumerate(CASES)])
def test_published_results_are_reproduced(index):
    row = replicate(RULES, (CASES[index],))[0]
    assert row.holds, f"{row.paper}: {row.setting}: published {row.published}, " \
                      f"predicted {row.predicted}"


def test_the_table_names_what_was_not_checked():
    rows = replicate(RULES)
    assert len(rows) == len(CASES) >= 12
    assert {row.checked for row in rows} == {True, False}


# --- anchors -----------------------------------------------------------------------------------

def test_published_scores_are_used_as_published():
    # GPT-4o's AIME 2024 (12%, OpenAI) and Llama 3.1 8B's GSM8K (84.5%) anchor their levels.
    assert tier_accuracy(RULES, "math", "olympiad")["gpt-4o"] == pytest.approx(0.12)
    assert tier_accuracy(RULES, "math", "grade_school")["llama-3.1-8b"] == pytest.approx(0.845)


def test_a_missing_score_is_placed_by_the_fit():
    fit = placement(RULES, "reasoning")
    o1 = fit.predicted("o1", "gsm8k")
    assert "gsm8k" not in RULES.model("o1").scores
    assert tier_accuracy(RULES, "math", "grade_school")["o1"] == pytest.approx(o1)
    assert o1 > RULES.model("o1").scores["math"]  # easier than MATH for the same tier


def test_the_fit_recovers_an_exact_rasch_table():
    ability = {"a": 2.0, "b": 0.5, "c": -1.0}
    difficulty = {"x": -1.0, "y": 1.0}
    scores = [(t, bench, float(q.sigmoid(ability[t] - difficulty[bench])))
              for t in ability for bench in difficulty if (t, bench) != ("c", "y")]
    fit = fit_placement(scores)
    assert fit.predicted("c", "y") == pytest.approx(float(q.sigmoid(-2.0)), abs=1e-9)


def test_levels_order_every_tier_easiest_first():
    for task_type, task in RULES.tasks.items():
        by_level = [tier_accuracy(RULES, task_type, level.id) for level in task.difficulties]
        for easier, harder in zip(by_level, by_level[1:]):
            for model_id in easier:
                assert easier[model_id] >= harder[model_id] - 0.02, (task_type, model_id)


def test_a_measurement_re_anchors_every_tier():
    measured = tier_accuracy(RULES, "code_generation", measured=("gpt-4o-mini", 0.62))
    fit = placement(RULES, "code")
    assert measured["gpt-4o-mini"] == pytest.approx(0.62)
    # Every tier keeps its distance in log-odds from the measured one.
    for model_id, value in measured.items():
        expected = fit.ability[model_id] - fit.ability["gpt-4o-mini"]
        assert float(q.logit(value) - q.logit(0.62)) == pytest.approx(expected, abs=1e-9)


def test_a_measurement_changes_the_recommendation():
    answers = {"task_type": "code_generation", "latency_budget_s": 30,
               "budget_per_query_usd": 0.05, "training_budget_usd": 0,
               "verifiability": "verifiable_steps"}
    plain = recommend(answers, RULES)
    measured = recommend({**answers, "measured_model": "gpt-4o-mini",
                          "measured_accuracy": 0.05, "measured_dispersion": 0.4}, RULES)
    assert measured.chosen.expected_quality < plain.chosen.expected_quality
    assert (measured.strategy, measured.model) != (plain.strategy, plain.model)


@pytest.mark.parametrize("answers, message", [
    ({"difficulty": "olympiad", "task_type": "code_generation"},
     "'difficulty' has no level 'olympiad' for code_generation; levels: function, repository"),
    ({"measured_model": "gpt-9", "measured_accuracy": 0.5},
     "'measured_model' 'gpt-9' is not a model tier"),
])
def test_answers_the_rules_do_not_know_are_named(answers, message):
    base = {"task_type": "math", "latency_budget_s": 30, "budget_per_query_usd": 0.05,
            "training_budget_usd": 0, "verifiability": "none"}
    with pytest.raises(AnswersError) as caught:
        recommend({**base, **answers}, RULES)
    assert message in str(caught.value.problems[0])


def test_a_measurement_needs_its_model_and_accuracy():
    with pytest.raises(AnswersError) as caught:
        recommend({"task_type": "math", "latency_budget_s": 30, "budget_per_query_usd": 0.05,
                   "training_budget_usd": 0, "verifiability": "none",
                   "measured_accuracy": 0.5}, RULES)
    assert "measured_model and measured_accuracy go together" in str(caught.value.problems[0])


def test_the_result_names_its_level():
    rec = recommend({"task_type": "math", "latency_budget_s": 30, "budget_per_query_usd": 0.05,
                     "training_budget_usd": 0, "verifiability": "none"}, RULES)
    assert rec.answers.difficulty == RULES.tasks["math"].default_difficulty


# --- curves ------------------------------------------------------------------------------------

@pytest.mark.parametrize("accuracy, dispersion", [(0.16, 0.78), (0.5, 2.0), (0.05, 0.3)])
def test_closed_form_coverage_matches_the_grid(accuracy, dispersion):
    for k in (1, 10, 250):
        perfect = q.verified_curve(k, 1.0, 0.0)
        grid = q.expected_gain(np.array([accuracy]), dispersion, perfect)[0]
        assert grid == pytest.approx(coverage(accuracy, dispersion, k), abs=2e-3)


def test_knowledge_cannot_rise_above_what_some_tier_knows():
    best = max(tier_accuracy(RULES, "knowledge_qa", "long_tail").values())
    for tier in ("llama-3.1-8b", "gpt-4o", "gpt-4.1-mini"):
        point = predict(RULES, task="knowledge_qa", difficulty="long_tail", tier=tier,
                        strategy="best_of_n_verifier", samples=10_000,
                        verifiability="verifiable_steps")
        assert point.accuracy <= max(best, point.single_pass) + 0.05


def test_any_sample_count_is_allowed():
    small = predict(RULES, task="math", difficulty="olympiad", tier="gpt-4o",
                    strategy="best_of_n_verifier", samples=7, verifiability="verifiable_steps")
    large = predict(RULES, task="math", difficulty="olympiad", tier="gpt-4o",
                    strategy="best_of_n_verifier", samples=10_000,
                    verifiability="verifiable_steps")
    assert small.accuracy < large.accuracy < 1
    assert small.cost_usd < large.cost_usd


# --- the curve command -------------------------------------------------------------------------

def test_curve_prints_json_with_meanings(capsys):
    code = main(["curve", "--task", "math", "--difficulty", "olympiad", "--tier", "o1",
                 "--strategy", "self_consistency", "--samples", "64"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["accuracy"] == pytest.approx(0.83, abs=0.03)
    assert out["benchmark"] == "AIME 2024" and out["single_pass_accuracy"] == 0.74
    assert "probability that one answer is correct" in out["meaning"]["accuracy"]


@pytest.mark.parametrize("argv, message", [
    (["--tier", "o1", "--strategy", "self_consistency"], "needs --samples"),
    (["--base-accuracy", "1.5", "--strategy", "single_pass"], "between 0 and 1"),
    (["--tier", "o1", "--difficulty", "easy", "--strategy", "single_pass"],
     "--difficulty 'easy' is not a level of math"),
    (["--tier", "o1", "--strategy", "self_consistency", "--samples", "0"],
     "--samples must be a positive whole number"),
])
def test_curve_errors_name_the_flag(capsys, argv, message):
    assert main(["curve", "--task", "math", *argv]) == 1
    out, err = capsys.readouterr()
    assert out == "" and message in err and "Traceback" not in err


# --- verifiers that err, step-level search, reasoning effort ------------------------------------


_rates = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(p=_rates, n=st.integers(1, 4096), recall=_rates, false_accept=_rates)
def test_best_of_n_never_beats_its_coverage(p, n, recall, false_accept):
    # A correct answer has to be among the samples to be picked.
    picked = float(q.verified_at(np.float64(p), n, recall, false_accept))
    assert -1e-12 <= picked <= 1 - (1 - p) ** n + 1e-9


@settings(max_examples=100, deadline=None)
@given(mean=st.floats(0.01, 0.99), dispersion=st.floats(0.05, 5.0), n=st.integers(1, 512),
       recall=st.floats(0.5, 1.0), false_accept=st.floats(0.01, 0.6))
def test_selection_through_an_erring_check_stays_below_coverage(mean, dispersion, n, recall,
                                                                false_accept):
    accuracy = float(q.expected_gain(np.array([mean]), dispersion,
                                     q.verified_curve(n, recall, false_accept))[0])
    assert accuracy <= coverage(mean, dispersion, n) + 1e-6


def test_repository_tests_pass_wrong_patches_so_search_plateaus_below_coverage():
    # GPT-5 on SWE-bench Verified with the repository's tests: more samples stop helping long
    # before coverage does (the tests pass about 30% of wrong patches).
    setting = dict(task="code_generation", difficulty="repository", tier="gpt-5",
                   verifiability="verifiable_steps")
    many = predict(RULES, strategy="best_of_n_verifier", samples=128, **setting)
    fewer = predict(RULES, strategy="best_of_n_verifier", samples=16, **setting)
    assert many.accuracy - fewer.accuracy < 0.01 < many.coverage - many.accuracy
    tree = predict(RULES, strategy="tree_search", breadth=8, depth=8, **setting)
    assert tree.accuracy < 0.9


def test_a_reasoning_tier_goes_through_its_own_published_effort_scores():
    published = {(b, row.model): row for b, bench in RULES.benchmarks.items()
                 for row in bench.effort}
    task_of = {"aime_2024": ("math", "olympiad"), "gpqa_diamond": ("multi_step_reasoning",
                                                                   "expert")}
    checked = 0
    for (benchmark, model), row in published.items():
        if benchmark not in task_of or model not in {m.id for m in RULES.models}:
            continue
        task, level = task_of[benchmark]
        assert tier_slope(RULES, task, level, model).basis == "own"
        for effort in ("low", "medium", "high"):
            if getattr(row, effort) is None:
                continue
            point = predict(RULES, task=task, difficulty=level, tier=model,
                            strategy="single_pass", effort=effort)
            assert point.accuracy == pytest.approx(getattr(row, effort), abs=0.01)
            checked += 1
    assert checked >= 6


def test_a_tier_with_no_published_effort_curve_says_it_borrows_one():
    slope = tier_slope(RULES, "math", "olympiad", "o1")
    assert slope.basis == "fitted" and "gpt-oss-120b" in slope.models
    assert tier_slope(RULES, "math", "competition", "o1").basis == "assumed"
    assert 0 < slope.above and 0 < slope.below
