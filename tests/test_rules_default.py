"""The default rules: every rule fires when it should and only then; the examples' verdicts hold.

Each rule has at least one case that fires it and one near miss that does not (the other side of
its threshold, or one half of a compound condition), starting from answers that fire as little as
possible.
"""

from __future__ import annotations

import pytest

from advisor import decision_map, load_answers, recommend
from helpers import EXAMPLES_DIR, RULES_DIR

# A profile sitting between every threshold: 5 s, $0.01 a query, $500 of training, 1,000 a day.
BASE = {
    "task_type": "code_generation",
    "latency_budget_s": 5,
    "budget_per_query_usd": 0.01,
    "training_budget_usd": 500,
    "verifiability": "external_judge",
    "queries_per_day": 1000,
    "needs_calibration": False,
    "high_stakes": False,
}

# (rule id, fires?, answers that differ from BASE)
RULE_CASES = [
    ("reasoning-task-favours-inference", True, {"task_type": "math"}),
    ("reasoning-task-favours-inference", False, {"task_type": "code_generation"}),
    ("hard-questions-need-a-capable-base", True, {"task_type": "formal_verification"}),
    ("hard-questions-need-a-capable-base", False, {"task_type": "knowledge_qa"}),
    ("knowledge-task-favours-training", True, {"task_type": "knowledge_qa"}),
    ("knowledge-task-favours-training", False, {"task_type": "classification"}),
    ("knowledge-task-favours-training", False, {"task_type": "knowledge_qa",
                                                "knowledge_source": "documents"}),
    ("documents-favour-retrieval", True, {"task_type": "knowledge_qa",
                                          "knowledge_source": "documents"}),
    ("documents-favour-retrieval", False, {"task_type": "knowledge_qa"}),
    ("documents-outside-knowledge-work", True, {"task_type": "math",
                                                "knowledge_source": "documents"}),
    ("documents-outside-knowledge-work", False, {"task_type": "knowledge_qa",
                                                 "knowledge_source": "documents"}),
    ("classification-favours-training", True, {"task_type": "classification"}),
    ("classification-favours-training", False, {"task_type": "knowledge_qa"}),
    ("open-ended-diminishing-returns", True, {"task_type": "nuanced_judgment"}),
    ("open-ended-diminishing-returns", False, {"task_type": "multi_step_reasoning"}),
    ("majority-vote-needs-one-answer", True, {"task_type": "open_ended_explanation"}),
    ("majority-vote-needs-one-answer", False, {"task_type": "nuanced_judgment"}),
    ("calibration-comes-from-training", True, {"needs_calibration": True}),
    ("calibration-comes-from-training", False, {"needs_calibration": False}),
    ("flexible-latency-favours-inference", True, {"latency_budget_s": 10}),
    ("flexible-latency-favours-inference", False, {"latency_budget_s": 9.99}),
    ("strict-latency-favours-training", True, {"latency_budget_s": 1.99}),
    ("strict-latency-favours-training", False, {"latency_budget_s": 2}),
    ("sub-second-rules-out-search", True, {"latency_budget_s": 0.99}),
    ("sub-second-rules-out-search", False, {"latency_budget_s": 1}),
    ("cheap-per-query-compute-favours-inference", True, {"budget_per_query_usd": 0.05}),
    ("cheap-per-query-compute-favours-inference", False, {"budget_per_query_usd": 0.0499}),
    ("tight-per-query-budget-favours-training", True, {"budget_per_query_usd": 0.0019}),
    ("tight-per-query-budget-favours-training", False, {"budget_per_query_usd": 0.002}),
    # "A training run is feasible" starts at the cheapest fine-tune of models.yaml: $1,005.
    ("feasible-training-run-favours-training", True, {"training_budget_usd": 1501.5}),
    ("feasible-training-run-favours-training", False, {"training_budget_usd": 1501.49}),
    ("no-training-run", True, {"training_budget_usd": 1501.49}),
    ("no-training-run", False, {"training_budget_usd": 1501.5}),
    ("high-volume-amortises-training", True, {"queries_per_day": 1_000_000}),
    ("high-volume-amortises-training", False, {"queries_per_day": 999_999}),
    ("verifiable-steps-favour-inference", True, {"verifiability": "verifiable_steps"}),
    ("verifiable-steps-favour-inference", False, {"verifiability": "external_judge"}),
    ("external-judge-favours-training", True, {"verifiability": "external_judge"}),
    ("external-judge-favours-training", False, {"verifiability": "none"}),
    ("no-verifier-no-verified-search", True, {"verifiability": "none"}),
    ("no-verifier-no-verified-search", False, {"verifiability": "verifiable_steps"}),
    ("self-refine-needs-feedback-on-reasoning", True,
     {"task_type": "math", "verifiability": "none"}),
    ("self-refine-needs-feedback-on-reasoning", False,
     {"task_type": "math", "verifiability": "external_judge"}),
    ("self-refine-needs-feedback-on-reasoning", False,
     {"task_type": "knowledge_qa", "verifiability": "none"}),
    ("refinement-suits-open-ended-with-feedback", True,
     {"task_type": "creative_writing", "verifiability": "external_judge"}),
    ("refinement-suits-open-ended-with-feedback", False,
     {"task_type": "creative_writing", "verifiability": "none"}),
    ("refinement-suits-open-ended-with-feedback", False,
     {"task_type": "math", "verifiability": "verifiable_steps"}),
    ("code-with-tests-favours-sampling", True,
     {"task_type": "code_generation", "verifiability": "verifiable_steps"}),
    ("code-with-tests-favours-sampling", False,
     {"task_type": "code_generation", "verifiability": "external_judge"}),
    ("code-with-tests-favours-sampling", False,
     {"task_type": "math", "verifiability": "verifiable_steps"}),
    ("high-stakes-can-afford-latency", True, {"high_stakes": True, "latency_budget_s": 10}),
    ("high-stakes-can-afford-latency", False, {"high_stakes": True, "latency_budget_s": 9.99}),
    ("high-stakes-can-afford-latency", False, {"high_stakes": False, "latency_budget_s": 10}),
    ("high-stakes-without-time", True, {"high_stakes": True, "latency_budget_s": 9.99}),
    ("high-stakes-without-time", False, {"high_stakes": True, "latency_budget_s": 10}),
    ("high-stakes-without-time", False, {"high_stakes": False, "latency_budget_s": 5}),
    ("frontier-systems-combine-both", True,
     {"training_budget_usd": 1501.5, "latency_budget_s": 10, "task_type": "code_generation"}),
    ("frontier-systems-combine-both", False,
     {"training_budget_usd": 1501, "latency_budget_s": 10, "task_type": "code_generation"}),
    ("frontier-systems-combine-both", False,
     {"training_budget_usd": 1501.5, "latency_budget_s": 9.99, "task_type": "code_generation"}),
    ("frontier-systems-combine-both", False,
     {"training_budget_usd": 1501.5, "latency_budget_s": 10, "task_type": "knowledge_qa"}),
]


def _case_id(case: tuple) -> str:
    rule_id, fires, changes = case
    return f"{rule_id}-{'fires' if fires else 'quiet'}-" + ",".join(f"{k}={v}" for k, v in
                                                                   changes.items())


@pytest.mark.parametrize("rule_id, fires, changes", RULE_CASES,
                         ids=[_case_id(c) for c in RULE_CASES])
def test_rule_fires_only_when_its_condition_holds(rules, rule_id, fires, changes):
    rec = recommend({**BASE, **changes}, rules)
    fired = [r.id for r in rec.fired_rules]
    assert (rule_id in fired) is fires, fired


def test_every_default_rule_has_a_firing_and_a_quiet_case(rules):
    """Adding a rule to rules/rules.yaml without cases here fails this test."""
    rule_ids = {rule.id for rule in rules.rules}
    assert rules.files[0].startswith(str(RULES_DIR))
    firing = {rule_id for rule_id, fires, _ in RULE_CASES if fires}
    quiet = {rule_id for rule_id, fires, _ in RULE_CASES if not fires}
    assert firing == rule_ids
    assert quiet == rule_ids


def test_fired_rules_carry_effects_in_file_order(rules):
    rec = recommend({**BASE, "task_type": "knowledge_qa", "latency_budget_s": 0.5,
                     "verifiability": "none"}, rules)
    assert [(r.id, r.effects) for r in rec.fired_rules] == [
        ("knowledge-task-favours-training", ["table vote: training ×4", "adds a caveat"]),
        ("strict-latency-favours-training", ["table vote: training ×1"]),
        ("sub-second-rules-out-search",
         ["table vote: training ×5", "excludes tree_search, iterative_refinement",
          "adds a caveat"]),
        ("no-training-run", ["adds a caveat"]),
        ("no-verifier-no-verified-search",
         ["excludes best_of_n_verifier, tree_search", "adds a caveat"]),
    ]
    assert rec.table.scores.training == 10 and rec.table.scores.inference_time == 0


# --- the four examples (their verdicts are pinned in rules/tests/examples.yaml) ----------------

EXAMPLES = ["competition-math", "support-faq-bot", "bank-compliance-review",
            "creative-writing-assistant", "support-chatbot-streamed", "math-homework-at-scale",
            "contract-qa"]


def test_every_example_is_covered():
    assert {p.stem for p in EXAMPLES_DIR.glob("*.yaml")} == set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_has_a_configuration_that_fits(rules, name):
    rec = recommend(load_answers(EXAMPLES_DIR / f"{name}.yaml"), rules)
    assert rec.feasible is True and rec.broken_constraints == []
    assert rec.verdict != "neither"


def test_support_bot_trains_within_its_training_budget(rules):
    rec = recommend(load_answers(EXAMPLES_DIR / "support-faq-bot.yaml"), rules)
    assert rec.chosen.fine_tuned is True and rec.training_route == "run"
    assert rec.training.action == "distillation" and rec.training.model == rec.model
    assert rec.model == f"{rec.training.base_model}-distil-10k"
    assert (rec.training.teacher, rec.training.run_size) == ("deepseek-reasoner", 10_000)
    assert 0 < rec.training.one_time_cost_usd <= rec.answers.training_budget_usd == 5000


@pytest.mark.parametrize("name", EXAMPLES)
def test_chosen_configuration_is_one_of_the_estimates(rules, name):
    rec = recommend(load_answers(EXAMPLES_DIR / f"{name}.yaml"), rules)
    matches = [e for e in rec.estimates
               if (e.strategy, e.model, e.parameters, e.thinking_effort, e.first_stage)
               == (rec.strategy, rec.model, rec.parameters, rec.thinking_effort,
                   rec.first_stage)]
    assert matches == [rec.chosen]
    assert rec.chosen.available and rec.chosen.feasible
    best = max(e.expected_quality for e in rec.estimates if e.available and e.feasible)
    assert rec.chosen.expected_quality >= best - rules.settings.quality_tolerance


def test_calibration_keeps_only_options_that_are_calibrated(rules):
    answers = {**BASE, "task_type": "classification", "needs_calibration": True,
               "training_budget_usd": 5000}
    rec = recommend(answers, rules)
    assert rec.feasible and rec.training.calibrated
    # Every candidate is calibrated: natively, or after a one-time calibration run.
    assert all(e.model.endswith("-cal") for e in rec.estimates)
    calibrated_only = [e for e in rec.estimates if not e.fine_tuned]
    assert min(e.one_time_cost_usd for e in calibrated_only) > 0


def test_calibration_without_a_training_budget_names_the_cheapest_run_that_meets_it(rules):
    answers = {**BASE, "task_type": "classification", "needs_calibration": True,
               "training_budget_usd": 0}
    rec = recommend(answers, rules)
    assert rec.feasible is False and not rec.chosen.fine_tuned
    assert rec.training.action in ("calibration", "larger_model") and rec.training.calibrated
    assert [b.answer for b in rec.broken_constraints] == ["training_budget_usd"]
    assert rec.broken_constraints[0].needed == rec.chosen.one_time_cost_usd
    # The least one-time spend that meets the requirement: a calibration, hundreds of dollars.
    assert rec.chosen.one_time_cost_usd == min(e.one_time_cost_usd for e in rec.estimates) < 1000
    # The engine's own caveat is high and listed first, before the rules'.
    assert rec.caveats[0].severity == "high"
    assert rec.caveats[0].text.startswith("Confidence has to be calibrated on labelled "
                                          "held-out answers")


def test_nothing_fits_a_zero_budget(rules):
    rec = recommend({**BASE, "budget_per_query_usd": 0}, rules)
    assert rec.feasible is False
    assert [b.answer for b in rec.broken_constraints] == ["budget_per_query_usd"]
    broken = rec.broken_constraints[0]
    assert broken.allowed == 0 and broken.needed == rec.chosen.cost_usd > 0
    assert rec.chosen.fits_budget is False and rec.chosen.fits_latency is True
    assert rec.caveats[0].text == ("No configuration fits both budgets; the recommendation is "
                                    "the closest option.")
    assert rec.verdict == "neither" or rec.chosen.cost_usd > 0


def test_nothing_fits_an_impossible_latency(rules):
    rec = recommend({**BASE, "latency_budget_s": 0.01}, rules)
    assert rec.feasible is False
    assert [b.answer for b in rec.broken_constraints] == ["latency_budget_s"]
    assert rec.broken_constraints[0].allowed == 0.01
    # The closest option is the fastest allowed one (the best of them, if several tie).
    fastest = min(e.latency_s for e in rec.estimates if e.available)
    assert rec.broken_constraints[0].needed == rec.chosen.latency_s == fastest


def test_a_feasible_recommendation_breaks_nothing(rules):
    rec = recommend(BASE, rules)
    assert rec.feasible is True
    assert rec.broken_constraints == []
    assert rec.chosen.latency_s <= 5 and rec.chosen.cost_usd <= 0.01


# --- the decision map agrees with recommend ------------------------------------------------------

# Both sides of every latency and budget threshold in the default rules.
MAP_LATENCIES = [0.5, 0.99, 1, 1.99, 2, 9.99, 10, 300]
MAP_BUDGETS = [0, 0.0019, 0.002, 0.0499, 0.05, 1]


@pytest.mark.parametrize("name", EXAMPLES)
def test_decision_map_agrees_with_recommend(rules, name):
    """The map is a batch through the same objective: every cell is what recommend says."""
    answers = load_answers(EXAMPLES_DIR / f"{name}.yaml")
    grid = decision_map(answers, rules, latency_values=MAP_LATENCIES, budget_values=MAP_BUDGETS)
    for bi, budget in enumerate(MAP_BUDGETS):
        for li, latency in enumerate(MAP_LATENCIES):
            rec = recommend(answers.model_copy(update={"latency_budget_s": latency,
                                                       "budget_per_query_usd": budget}), rules)
            assert (grid.verdicts[bi][li], grid.strategies[bi][li], grid.feasible[bi][li]) == (
                rec.verdict, rec.strategy if rec.feasible else "none fits", rec.feasible), (
                latency, budget)


def test_decision_map_grid_crosses_a_verdict_threshold(rules):
    """The agreement test above must exercise more than one verdict."""
    answers = load_answers(EXAMPLES_DIR / "bank-compliance-review.yaml")
    grid = decision_map(answers, rules, latency_values=MAP_LATENCIES, budget_values=MAP_BUDGETS)
    assert len({v for row in grid.verdicts for v in row}) > 1
