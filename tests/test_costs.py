"""Cost and latency of every strategy kind against numbers worked out by hand.

Prices and speeds are the default rules' (rules/models.yaml), USD per 1M tokens:

- gpt-4o-mini: input 0.15, cached input 0.075, output 0.60; 80 tokens/s; first token 0.4 s.
- llama-3.1-8b: input 0.10, no prompt caching (cached tokens pay 0.10), output 0.10; 300
  tokens/s; first token 0.2 s.
- o4-mini (reasoning): input 1.10, cached 0.275, output 4.40; 120 tokens/s; first token 0.8 s.
- o1 (reasoning): input 15, cached 7.5, output 60; 60 tokens/s; first token 1.5 s.
- gpt-4o-mini fine-tuned: input 0.30, cached 0.15, output 1.20 (each run's cost: test_training).

Task math (rules/strategies.yaml): prompt P = 300, answer A = 200, ordinary visible reasoning
V = 800 (non-reasoning tiers), hidden thinking at medium effort 6,000 × the effort's multiple
(settings: low 0.3, medium 1, high 3) on every call of a reasoning tier. Verifiers
(settings.yaml): verifiable_steps adds 0.5 s per check; external_judge reads P + A + V and writes
50 tokens (plus its thinking on a reasoning tier) per candidate.
"""

from __future__ import annotations

import pytest

from advisor import load_answers, recommend
from advisor.engine.costs import Workload, candidate_table, servings
from advisor.engine.anchors import tier_accuracy
from advisor import load_rules
from helpers import EXAMPLES_DIR, RULES_DIR

RULES = load_rules(RULES_DIR)

MATH = Workload.of(RULES, {"task_type": "math", "verifiability": "none"})
CALIBRATED = Workload.of(RULES, {"task_type": "math", "verifiability": "none"},
                         calibrated_only=True)
ACCURACY = tier_accuracy(RULES, "math", MATH.difficulty)

# (strategy, parameters, model, effort, verifiability, cost per query USD, latency s, calls)
COST_CASES = [
    # single pass: P in, O = A + V (+ H) out.
    ("single_pass", {}, "gpt-4o-mini", None, "none",
     (300 * 0.15 + 1000 * 0.60) / 1e6,                         # 0.000645
     0.4 + 1000 / 80, 1),                                      # 12.9 s
    ("single_pass", {}, "llama-3.1-8b", None, "none",
     (300 + 1000) * 0.10 / 1e6,                                # 0.00013
     0.2 + 1000 / 300, 1),                                     # 3.53 s
    ("single_pass", {}, "o4-mini", "medium", "none",
     (300 * 1.10 + 6200 * 4.40) / 1e6,                         # 0.02761: thinking is output
     0.8 + 6200 / 120, 1),                                     # 52.47 s
    ("single_pass", {}, "o4-mini", "low", "none",
     (300 * 1.10 + 2000 * 4.40) / 1e6,                         # 0.00913: 1,800 thinking
     0.8 + 2000 / 120, 1),                                     # 17.47 s
    ("single_pass", {}, "gpt-4o-mini-sft-10k", None, "none",
     (300 * 0.30 + 1000 * 1.20) / 1e6,                         # 0.00129 at fine-tuned prices
     0.4 + 1000 / 80, 1),
    # chain of thought (T tokens of reasoning instead of the ordinary 800).
    ("chain_of_thought", {"thinking_tokens": 2048}, "gpt-4o-mini", None, "none",
     (300 * 0.15 + 2248 * 0.60) / 1e6,                         # 0.0013938
     0.4 + 2248 / 80, 1),                                      # 28.5 s
    # majority vote (k): prompt once at the input price, k - 1 times cached; k × O out.
    ("self_consistency", {"samples": 5}, "gpt-4o-mini", None, "none",
     (300 * 0.15 + 4 * 300 * 0.075 + 5 * 1000 * 0.60) / 1e6,  # 45 + 90 + 3000 -> 0.003135
     0.4 + 1000 / 80, 5),                                      # parallel: one call
    ("self_consistency", {"samples": 5}, "o4-mini", "low", "none",
     (300 * 1.10 + 4 * 300 * 0.275 + 5 * 2000 * 4.40) / 1e6,   # every sample thinks: 0.04466
     0.8 + 2000 / 120, 5),
    # verified sampling, checked by a program: as majority vote, plus 0.5 s for the check.
    ("best_of_n_verifier", {"samples": 8}, "gpt-4o-mini", None, "verifiable_steps",
     (300 * 0.15 + 7 * 300 * 0.075 + 8 * 1000 * 0.60) / 1e6,   # 45 + 157.5 + 4800 -> 0.0050025
     0.4 + 1000 / 80 + 0.5, 8),                                # 13.4 s
    # with a judge: + k judge calls of P + A + V in, 50 out, in parallel.
    ("best_of_n_verifier", {"samples": 8}, "gpt-4o-mini", None, "external_judge",
     (5002.5 + 8 * (1300 * 0.15 + 50 * 0.60)) / 1e6,           # + 8 × 225 -> 0.0068025
     0.4 + 1000 / 80 + 0.4 + 50 / 80, 16),                     # 13.925 s
    # a reasoning judge thinks too: 4 samples of 6,200 out, 4 judge calls of 500 in, 6,050 out.
    ("best_of_n_verifier", {"samples": 4}, "o4-mini", "medium", "external_judge",
     (300 * 1.10 + 3 * 300 * 0.275 + 4 * 6200 * 4.40
      + 4 * (500 * 1.10 + 6050 * 4.40)) / 1e6,                 # 0.2183775
     0.8 + 6200 / 120 + 0.8 + 6050 / 120, 8),                  # 103.75 s
    # tree search (b, d): b·d calls each writing a step (A + V)/d plus its own thinking;
    # input P + b·(A + V)·(d - 1)/2, cached (b·d - 1)·P; d sequential levels of call + check.
    ("tree_search", {"breadth": 3, "depth": 4}, "gpt-4o-mini", None, "verifiable_steps",
     (4800 * 0.15 + 11 * 300 * 0.075 + 12 * 250 * 0.60) / 1e6,  # 720 + 247.5 + 1800 -> 0.0027675
     4 * (0.4 + 250 / 80 + 0.5), 12),                           # 16.1 s
    # o1, breadth 8 × depth 8: 64 calls, each thinking 6,000 tokens (not once per tree).
    ("tree_search", {"breadth": 8, "depth": 8}, "o1", "medium", "none",
     (5900 * 15 + 63 * 300 * 7.5 + 64 * 6025 * 60) / 1e6,      # 385,600 tokens out -> 23.37
     8 * (1.5 + 6025 / 60), 64),                               # 815.3 s
    # refinement (R rounds): 1 + 2R sequential calls of O; input P + 2R·(A + V), cached 2R·P.
    ("iterative_refinement", {"rounds": 2}, "gpt-4o-mini", None, "none",
     (4300 * 0.15 + 4 * 300 * 0.075 + 5 * 1000 * 0.60) / 1e6,  # 645 + 90 + 3000 -> 0.003735
     5 * (0.4 + 1000 / 80), 5),                                # 64.5 s
    ("iterative_refinement", {"rounds": 1}, "o4-mini", "low", "external_judge",
     (700 * 1.10 + 2 * 300 * 0.275 + 3 * 2000 * 4.40) / 1e6,   # no judge calls: 0.027335
     3 * (0.8 + 2000 / 120), 3),                               # 52.4 s
]


def find(table, strategy, parameters, model, effort):
    """The index of one candidate in a table."""
    return next(i for i in range(len(table))
                if table.strategy_ids[i] == strategy and table.parameters[i] == parameters
                and table.serving(i).model_id == model and table.efforts[i] == effort)


def math_table(rules, verifiability: str):
    return candidate_table(rules, Workload.of(rules, {"task_type": "math",
                                                      "verifiability": verifiability}))


@pytest.mark.parametrize("strategy, params, model, effort, verifiability, cost, latency, calls",
                         COST_CASES,
                         ids=[f"{c[0]}-{'-'.join(map(str, c[1].values()))}-{c[2]}-{c[3]}-{c[4]}"
                              for c in COST_CASES])
def test_cost_and_latency(rules, strategy, params, model, effort, verifiability, cost, latency,
                          calls):
    table = math_table(rules, verifiability)
    index = find(table, strategy, params, model, effort)
    assert table.cost[index] == pytest.approx(cost, abs=1e-9)
    assert table.latency[index] == pytest.approx(latency, abs=1e-4)
    assert table.calls[index] == calls


# (strategy, parameters, model, effort, verifiability, first visible token s): a streamed answer
# appears after the hidden thinking of its one call (H / speed), or, for a strategy that picks
# its answer at the end, only when the whole procedure is done (its latency above).
FIRST_TOKEN_CASES = [
    ("single_pass", {}, "gpt-4o-mini", None, "none", 0.4),                   # no hidden thinking
    ("single_pass", {}, "o4-mini", "medium", "none", 0.8 + 6000 / 120),     # 50.8 s of thinking
    ("single_pass", {}, "o4-mini", "low", "none", 0.8 + 1800 / 120),        # 15.8 s
    ("chain_of_thought", {"thinking_tokens": 2048}, "gpt-4o-mini", None, "none", 0.4),  # shown
    ("self_consistency", {"samples": 5}, "gpt-4o-mini", None, "none", 0.4 + 1000 / 80),
    ("best_of_n_verifier", {"samples": 8}, "gpt-4o-mini", None, "external_judge",
     0.4 + 1000 / 80 + 0.4 + 50 / 80),
    ("tree_search", {"breadth": 3, "depth": 4}, "gpt-4o-mini", None, "verifiable_steps",
     4 * (0.4 + 250 / 80 + 0.5)),
    # refinement streams its last rewrite: 2R calls before it, then its own thinking.
    ("iterative_refinement", {"rounds": 2}, "gpt-4o-mini", None, "none",
     4 * (0.4 + 1000 / 80) + 0.4),                                          # 52 s of 64.5 s
    ("iterative_refinement", {"rounds": 1}, "o4-mini", "low", "external_judge",
     2 * (0.8 + 2000 / 120) + 0.8 + 1800 / 120),
]


@pytest.mark.parametrize("strategy, params, model, effort, verifiability, first_token",
                         FIRST_TOKEN_CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}-{c[4]}" for c in FIRST_TOKEN_CASES])
def test_first_visible_token(rules, strategy, params, model, effort, verifiability,
                             first_token):
    table = math_table(rules, verifiability)
    index = find(table, strategy, params, model, effort)
    assert table.first_token_latency[index] == pytest.approx(first_token, abs=1e-4)
    assert table.latency[index] == table.answer_latency[index]  # the budget reads the whole
    streamed = candidate_table(rules, Workload.of(rules, {
        "task_type": "math", "verifiability": verifiability, "streaming": True}))
    assert streamed.latency[index] == pytest.approx(first_token, abs=1e-4)


def test_first_visible_token_cases_cover_every_kind(rules):
    kinds = {rules.strategy(case[0]).kind for case in FIRST_TOKEN_CASES}
    assert kinds == {"single_pass", "chain_of_thought", "majority_vote", "verified_sampling",
                     "tree_search", "refinement"}


def test_every_strategy_kind_has_cost_cases(rules):
    kinds = {rules.strategy(case[0]).kind for case in COST_CASES}
    assert kinds == {"single_pass", "chain_of_thought", "majority_vote", "verified_sampling",
                     "tree_search", "refinement"}


def test_chain_of_thought_is_only_more_than_ordinary_reasoning(rules):
    # 512 tokens is less than the 800 a model writes on math anyway; reasoning tiers use effort.
    table = math_table(rules, "none")
    budgets = {table.parameters[i]["thinking_tokens"] for i in range(len(table))
               if table.strategy_ids[i] == "chain_of_thought"}
    assert budgets == {2048, 8192}
    assert not any(table.strategy_ids[i] == "chain_of_thought" and table.serving(i).tier.reasoning
                   for i in range(len(table)))


def test_token_overrides_change_the_shape(rules):
    short = candidate_table(rules, Workload.of(rules, {
        "task_type": "code_generation", "verifiability": "none", "answer_tokens": 40,
        "prompt_tokens": 500}))
    index = find(short, "single_pass", {}, "llama-3.1-8b", None)
    assert short.cost[index] == pytest.approx(540 * 0.10 / 1e6)
    assert short.latency[index] == pytest.approx(0.2 + 40 / 300, abs=1e-4)


def test_trained_servings_serve_at_the_tuned_price(rules):
    found = {s.model_id: s for s in servings(rules.model("gpt-4o-mini"), MATH, ACCURACY, rules)}
    calibrated = {s.model_id: s for s in servings(rules.model("gpt-4o-mini"), CALIBRATED,
                                                  ACCURACY, rules)}
    base, tuned = found["gpt-4o-mini"], found["gpt-4o-mini-sft-10k"]
    assert (base.fine_tuned, base.cached_input_per_1m, base.training_cost_usd) == (False, 0.075, 0)
    assert tuned.model_name == "GPT-4o mini (fine-tuned, 10,000 examples)"
    assert tuned.base_model == "gpt-4o-mini"
    assert (tuned.input_per_1m, tuned.output_per_1m, tuned.cached_input_per_1m) == (0.30, 1.20,
                                                                                   0.15)
    assert not tuned.calibrated and set(calibrated) == {f"{i}-cal" for i in found}
    twin = calibrated["gpt-4o-mini-sft-10k-cal"]
    assert twin.calibrated and twin.training_cost_usd > tuned.training_cost_usd
    assert tuned.tier_logit == base.trained_logit


def test_a_tier_that_cannot_be_trained_is_served_as_it_comes_or_calibrated(rules):
    assert [s.model_id for s in servings(rules.model("o1"), MATH, ACCURACY, rules)] == ["o1"]
    assert [s.model_id for s in servings(rules.model("o1"), CALIBRATED, ACCURACY, rules)] == [
        "o1-cal"]


@pytest.mark.parametrize("queries_per_day", [200, 50_000, 0])
def test_monthly_cost_is_cost_times_queries_times_30_days(rules, queries_per_day):
    answers = load_answers(EXAMPLES_DIR / "competition-math.yaml").model_copy(
        update={"queries_per_day": queries_per_day})
    rec = recommend(answers, rules)
    for estimate in rec.estimates:
        assert estimate.monthly_cost_usd == pytest.approx(
            estimate.cost_usd * queries_per_day * 30, abs=0.01)


def test_amortised_cost_spreads_the_fine_tune_over_the_horizon(rules):
    answers = load_answers(EXAMPLES_DIR / "support-faq-bot.yaml").model_copy(
        update={"queries_per_day": 1000, "training_budget_usd": 10_000})
    rec = recommend(answers, rules)
    tuned = next(e for e in rec.estimates if e.model == "gpt-4o-mini-sft-1k"
                 and e.strategy == "single_pass")
    assert tuned.one_time_cost_usd == 1509  # test_training works it out
    assert tuned.amortised_cost_usd == pytest.approx(tuned.cost_usd + 1509 / (1000 * 365))
    base = next(e for e in rec.estimates if e.model == "gpt-4o-mini"
                and e.strategy == "single_pass")
    assert base.amortised_cost_usd == base.cost_usd
