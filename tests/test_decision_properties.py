"""Invariants of the decision over the whole answer space, checked with hypothesis.

One objective drives every section (advisor/engine/decide.py). Whatever the answers:

- the choice is never dominated by another allowed option that fits;
- more latency, per-query or training budget never lowers the best quality that fits, never
  lowers the recommended quality by more than the quality tolerance, and never raises the cost
  without raising the quality;
- the verdict matches what the configuration spends;
- the batch engine, the decision map and ``recommend`` give the same answer;
- break-even and "what would change" agree with the recommendation;
- the training side: a larger training budget never buys a smaller run of the same option
  unless the best quality rose; no trained quality falls below the task's chance level; the
  verdict, the break-even and the frontier put the configuration on the same side; no line
  spends, or says it spends, more than the training budget, and a result where nothing fits
  says so first;
- retrieval: it is a candidate only where the knowledge lives in the user's documents, and
  there its quality never exceeds what its recall allows (the passages it finds read perfectly,
  the rest answered from what a fine-tuned model knows at best); no other candidate answers
  more than closed-book allows;
- the improvement plan: every step is a lever a team controls, gives what ``recommend`` gives
  for the changed answer, fits, and makes the answer fit, raises quality or saves money; the
  steps are in order of value, and none spends more training than the budget it sets;
- the lead sentence states the headline's own figures, and "nothing fits" first when nothing
  does;
- risks: caveats are listed most serious first, and the engine's own (nothing fits, a
  calibration the budget does not cover) are high.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import analyse, decision_map, load_rules, recommend
from advisor.model.answers import TaskType, Verifiability
from advisor.analysis.counterfactual import changed_answers
from advisor.analysis.plan import LEVERS, improvement_plan
from advisor.engine.decide import recommend_many
from advisor.render.formats import percent, seconds, usd
from advisor.render.wording import headline, lead_sentence, per_correct_text, training_text
from helpers import RULES_DIR

# Why not the ``rules`` fixture: hypothesis prints every argument of a failing example, and the
# whole rule set would bury the answers that matter.
RULES = load_rules(RULES_DIR)

PROPERTIES = settings(max_examples=150, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW_PROPERTIES = settings(max_examples=25, deadline=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture])

latencies = st.floats(min_value=0.1, max_value=3600, allow_nan=False)
budgets = st.one_of(st.just(0.0), st.floats(min_value=1e-5, max_value=20, allow_nan=False))
# Around the default runs' one-time costs (calibration about $450, a 1,000-example fine-tune
# $1,500-1,800, a distillation $1,100-1,800, 10,000 examples $5,600-6,100, 100,000 about $52,000).
training_budgets = st.sampled_from([0.0, 300.0, 451.0, 452.0, 1000.0, 1509.0, 1800.0, 5000.0,
                                    6100.0, 20_000.0, 52_000.0, 100_000.0, 1e6])
profiles = st.fixed_dictionaries({
    "task_type": st.sampled_from([t.value for t in TaskType]),
    "verifiability": st.sampled_from([v.value for v in Verifiability]),
    "latency_budget_s": latencies,
    "budget_per_query_usd": budgets,
    "training_budget_usd": training_budgets,
    "queries_per_day": st.sampled_from([0, 10, 1000, 50_000, 2_000_000]),
    "needs_calibration": st.booleans(),
    "high_stakes": st.booleans(),
}, optional={"answer_tokens": st.sampled_from([20, 60, 400, 3000]),
             "streaming": st.booleans(),
             "knowledge_source": st.sampled_from(["model", "documents"])})
BUDGET_FIELDS = ("latency_budget_s", "budget_per_query_usd", "training_budget_usd")


@PROPERTIES
@given(profiles)
def test_the_choice_is_never_dominated(answers):
    rec = recommend(answers, RULES)
    if not rec.feasible:
        return
    c = rec.chosen
    latency = rec.budgeted_latency_s  # the one the budget applies to
    for e in rec.estimates:
        if not (e.available and e.feasible) or e == c:
            continue
        no_worse = (e.expected_quality >= c.expected_quality
                    and e.amortised_cost_usd <= c.amortised_cost_usd
                    and latency(e) <= latency(c))
        better = (e.expected_quality > c.expected_quality
                  or e.amortised_cost_usd < c.amortised_cost_usd or latency(e) < latency(c))
        assert not (no_worse and better), (e, c)
    # Within the tolerance of the best that fits; nothing cheaper is.
    best = max(e.expected_quality for e in rec.estimates if e.available and e.feasible)
    tolerance = RULES.settings.quality_tolerance
    assert rec.objective.best_quality == best
    assert c.expected_quality >= best - tolerance - 1e-9
    assert all(e.amortised_cost_usd >= c.amortised_cost_usd for e in rec.estimates
               if e.available and e.feasible and e.expected_quality >= best - tolerance - 1e-9)


@PROPERTIES
@given(profiles, st.sampled_from(BUDGET_FIELDS), st.floats(min_value=1.0001, max_value=100))
def test_more_budget_never_gives_worse_advice(answers, field, factor):
    before = recommend(answers, RULES)
    grown = answers[field] * factor if answers[field] > 0 else factor
    after = recommend({**answers, field: grown}, RULES)
    if not before.feasible:
        return
    tolerance = RULES.settings.quality_tolerance
    assert after.feasible
    assert after.objective.best_quality >= before.objective.best_quality
    assert after.chosen.expected_quality >= before.chosen.expected_quality - tolerance - 1e-9
    if after.chosen.amortised_cost_usd > before.chosen.amortised_cost_usd + 1e-12:
        assert after.chosen.expected_quality > before.chosen.expected_quality


def _spends_training(rec) -> bool:
    return rec.training_route is not None


def _spends_inference(rec, RULES) -> bool:
    kind = RULES.strategy(rec.strategy).kind
    return kind != "single_pass" or rec.thinking_effort is not None


@PROPERTIES
@given(profiles)
def test_the_verdict_matches_what_is_spent(answers):
    rec = recommend(answers, RULES)
    s = rec.shares
    if rec.verdict == "combined":
        assert _spends_training(rec) and _spends_inference(rec, RULES)
        # A run paid once is combined with the inference it buys even when it adds little.
        assert (s.training_share >= RULES.settings.combined_margin
                or rec.training_route == "run")
        assert s.inference_share >= RULES.settings.combined_margin
    elif rec.verdict == "inference_time":
        assert _spends_inference(rec, RULES) and s.inference_gain > 0
    elif rec.verdict == "training":
        assert _spends_training(rec) and (rec.training is not None)
        assert (rec.training.action == "larger_model") == (not rec.chosen.fine_tuned)
    else:
        assert rec.verdict == "neither"
        assert max(s.tier_gain, 0) + s.fine_tune_gain + max(s.inference_gain, 0) == 0
    # The split adds up to the gain over the baseline.
    assert abs(s.tier_gain + s.fine_tune_gain + s.inference_gain + s.shorter_answer_gain
               - s.gain) <= 3e-4
    assert s.shorter_answer_gain <= 0
    if rec.training_route == "run":
        assert rec.verdict in ("training", "combined")  # a run is never "inference-time" alone


@PROPERTIES
@given(st.lists(profiles, min_size=1, max_size=6))
def test_the_batch_gives_what_recommend_gives(rows):
    frame = recommend_many(rows, RULES)
    for row, answers in zip(frame.itertuples(index=False), rows):
        rec = recommend(answers, RULES)
        effort = row.thinking_effort if isinstance(row.thinking_effort, str) else None
        assert (row.verdict, row.strategy, row.model, effort, row.parameters,
                row.feasible) == (rec.verdict, rec.strategy, rec.model, rec.thinking_effort,
                                  rec.parameters, rec.feasible)
        assert row.expected_quality == rec.chosen.expected_quality
        assert (row.latency_s, row.first_token_s, row.latency_measure) == (
            rec.chosen.latency_s, rec.chosen.first_token_s, rec.latency_measure)
        table = row.table_verdict if isinstance(row.table_verdict, str) else None
        assert table == rec.table.verdict
        # One rounding of the monthly cost, and a cascade's first stage named as recommend names it.
        assert row.monthly_cost_usd == rec.chosen.monthly_cost_usd
        first = row.first_stage if isinstance(row.first_stage, str) else None
        assert (first, row.first_stage_name if first else None) == (rec.first_stage,
                                                                    rec.first_stage_name)


def test_the_batch_takes_a_dataframe_with_empty_cells():
    frame = pd.DataFrame([
        {"task_type": "math", "latency_budget_s": 60, "budget_per_query_usd": 0.1,
         "training_budget_usd": 0, "verifiability": "verifiable_steps", "answer_tokens": None},
        {"task_type": "classification", "latency_budget_s": 0.5, "budget_per_query_usd": 0.001,
         "training_budget_usd": 5000, "verifiability": "none", "answer_tokens": 5}])
    out = recommend_many(frame, RULES)
    assert list(out["task_type"]) == ["math", "classification"]
    assert out.loc[1, "answer_tokens"] == 5 and pd.isna(out.loc[0, "answer_tokens"])


@SLOW_PROPERTIES
@given(profiles)
def test_the_decision_map_gives_what_recommend_gives(answers):
    rec = recommend(answers, RULES)
    latencies, budgets = [0.3, answers["latency_budget_s"]], [0.0005, answers[
        "budget_per_query_usd"]]
    grid = decision_map(rec.answers, RULES, latency_values=latencies, budget_values=budgets)
    for bi, budget in enumerate(budgets):
        for li, latency in enumerate(latencies):
            other = recommend({**answers, "latency_budget_s": latency,
                               "budget_per_query_usd": budget}, RULES)
            assert (grid.verdicts[bi][li], grid.feasible[bi][li]) == (other.verdict,
                                                                     other.feasible)
            assert grid.strategies[bi][li] == (other.strategy if other.feasible else "none fits")


@SLOW_PROPERTIES
@given(profiles)
def test_the_map_cell_under_your_answers_is_the_recommendation(answers):
    rec = recommend(answers, RULES)
    grid = decision_map(rec.answers, RULES)
    if answers["latency_budget_s"] not in grid.latency_values or \
            answers["budget_per_query_usd"] not in grid.budget_values:
        return  # outside the map's ranges: the cross sits on its edge
    li = grid.latency_values.index(answers["latency_budget_s"])
    bi = grid.budget_values.index(answers["budget_per_query_usd"])
    assert (grid.verdicts[bi][li], grid.feasible[bi][li]) == (rec.verdict, rec.feasible)


@SLOW_PROPERTIES
@given(profiles)
def test_break_even_and_turns_tell_the_same_story(answers):
    rec = analyse(answers, RULES)
    be = rec.break_even
    if rec.verdict == "neither":
        assert be is None
    elif be is not None:
        on_training_side = rec.training_route == "run"
        assert be.recommended == ("training" if on_training_side else "inference")
        ours = be.training if on_training_side else be.inference
        assert (ours.model, ours.strategy, ours.parameters) == (rec.model, rec.strategy,
                                                                rec.parameters)
        # Only the other side can be unreachable.
        assert be.outcome != ("inference_unreachable" if not on_training_side
                              else "training_unreachable")
        other = be.inference if on_training_side else be.training
        if rec.feasible and other is not None and other.fits_budget:
            # Both fit: the recommendation is the cheaper one over the horizon.
            horizon = be.horizon_days * be.queries_per_day
            cost = lambda o: o.one_time_cost_usd + o.cost_per_query_usd * horizon  # noqa: E731
            assert cost(ours) <= cost(other) + 1e-6
    for turn in rec.what_would_change:
        changed = recommend(changed_answers(rec.answers.model_dump(), turn.field, turn.value),
                            RULES)
        if turn.relation in ("above", "below"):
            continue  # the stated threshold itself keeps the old outcome
        assert (changed.verdict, changed.strategy) == (turn.verdict, turn.strategy)
        assert changed.chosen.expected_quality == turn.expected_quality
        assert changed.chosen.one_time_cost_usd == turn.one_time_cost_usd
        assert changed.chosen.monthly_cost_usd == turn.monthly_cost_usd
    _check_the_plan(rec)


def _check_the_plan(rec):
    steps = improvement_plan(rec)
    horizon = rec.answers.queries_per_day * rec.objective.horizon_days
    for step in steps:
        turn = step.turn
        assert turn.field in LEVERS and turn.feasible
        assert step.makes_feasible == (not rec.feasible)
        assert step.quality_gain == round(turn.expected_quality - rec.chosen.expected_quality, 4)
        extra = ((turn.cost_usd - rec.chosen.cost_usd) * horizon
                 + turn.one_time_cost_usd - rec.chosen.one_time_cost_usd)
        assert abs(step.extra_over_horizon_usd - extra) <= 0.01
        assert (step.makes_feasible or turn.quality_change == "up"
                or (turn.quality_change == "same" and extra < 0))
        budget = (turn.value if turn.field == "training_budget_usd"
                  else rec.answers.training_budget_usd)
        assert turn.one_time_cost_usd <= budget + 1e-6
    # Best value first: the ones that cost over the horizon by quality per dollar, falling.
    paying = [s.quality_gain / s.extra_over_horizon_usd for s in steps
              if s.extra_over_horizon_usd > 0.005]
    assert paying == sorted(paying, reverse=True)
    free = [i for i, s in enumerate(steps) if s.extra_over_horizon_usd <= 0.005]
    assert free == list(range(len(free)))


@PROPERTIES
@given(profiles)
def test_a_streamed_answer_never_fits_worse(answers):
    """Issue 20: with ``streaming`` the budget applies to the first visible token, which never
    comes after the whole answer, so no candidate fits worse and the advice is no worse."""
    whole = recommend({**answers, "streaming": False}, RULES)
    streamed = recommend({**answers, "streaming": True}, RULES)
    assert (whole.latency_measure, streamed.latency_measure) == ("whole_answer", "first_token")
    for before, after in zip(whole.estimates, streamed.estimates):
        assert (after.strategy, after.model, after.parameters) == (
            before.strategy, before.model, before.parameters)
        assert streamed.budgeted_latency_s(after) <= whole.budgeted_latency_s(before)
        assert after.fits_latency >= before.fits_latency
    assert streamed.feasible >= whole.feasible
    if whole.feasible:
        tolerance = RULES.settings.quality_tolerance
        assert streamed.objective.best_quality >= whole.objective.best_quality
        assert (streamed.chosen.expected_quality
                >= whole.chosen.expected_quality - tolerance - 1e-9)


# What real deployments serve every day (issue 8): each must find a feasible option.
CANONICAL_DEPLOYMENTS = {
    "a $0.0001 FAQ bot": {"task_type": "knowledge_qa", "latency_budget_s": 1,
                          "budget_per_query_usd": 0.0001, "training_budget_usd": 0,
                          "verifiability": "none", "queries_per_day": 100_000},
    "sub-second classification": {"task_type": "classification", "latency_budget_s": 0.5,
                                  "budget_per_query_usd": 0.001, "training_budget_usd": 0,
                                  "verifiability": "none", "queries_per_day": 1_000_000},
    "sub-second code completion": {"task_type": "code_generation", "latency_budget_s": 0.8,
                                   "budget_per_query_usd": 0.001, "training_budget_usd": 0,
                                   "verifiability": "none", "prompt_tokens": 1500,
                                   "answer_tokens": 40, "queries_per_day": 500_000},
}


def test_canonical_sub_second_and_sub_cent_deployments_find_an_option():
    for name, answers in CANONICAL_DEPLOYMENTS.items():
        rec = recommend(answers, RULES)
        assert rec.feasible, name
        assert rec.chosen.latency_s <= answers["latency_budget_s"], name
        assert rec.chosen.cost_usd <= answers["budget_per_query_usd"], name


# --- the training side ---------------------------------------------------------------------------

def _run_of(rec):
    t = rec.training
    return (t.base_model, t.run_name, t.run_size) if t is not None and t.run_size else None


@PROPERTIES
@given(profiles, training_budgets)
def test_a_larger_training_budget_never_buys_a_smaller_run_for_nothing(answers, larger):
    before = recommend(answers, RULES)
    if larger <= answers["training_budget_usd"] or not before.feasible:
        return
    after = recommend({**answers, "training_budget_usd": larger}, RULES)
    tolerance = RULES.settings.quality_tolerance
    assert after.objective.best_quality >= before.objective.best_quality
    assert after.chosen.expected_quality >= before.chosen.expected_quality - tolerance - 1e-9
    was, now = _run_of(before), _run_of(after)
    if was and now and was[:2] == now[:2] and now[2] < was[2]:
        # The larger run still fits; a smaller one wins only where the best quality rose.
        assert after.objective.best_quality > before.objective.best_quality


@PROPERTIES
@given(profiles)
def test_no_trained_quality_is_below_chance(answers):
    from advisor.engine.costs import Workload, chance_of

    rec = recommend(answers, RULES)
    # The benchmark's chance, or 0 for questions about the user's documents (no options).
    chance = chance_of(Workload.of(RULES, rec.answers.model_dump()), RULES)
    assert min(e.trained_quality for e in rec.estimates) >= chance - 1e-4
    assert min(e.expected_quality for e in rec.estimates) >= chance - 1e-4


@SLOW_PROPERTIES
@given(profiles)
def test_verdict_break_even_and_frontier_put_the_configuration_on_one_side(answers):
    rec = analyse(answers, RULES)
    if rec.training_route == "run":
        assert rec.verdict in ("training", "combined")
    if rec.break_even is not None:
        assert (rec.break_even.recommended == "training") == (rec.training_route == "run")
    r = rec.frontier.recommended if rec.frontier else None
    if r is not None and r.usd_point is not None:
        point = rec.frontier.curves[r.curve].usd_points[r.usd_point]
        assert point.training_route == rec.training_route


@PROPERTIES
@given(profiles)
def test_no_line_spends_more_than_the_training_budget(answers):
    rec = recommend(answers, RULES)
    budget = rec.answers.training_budget_usd
    text = training_text(rec)
    if rec.feasible:
        assert rec.chosen.one_time_cost_usd <= budget + 1e-6
        assert "over the $" not in text
        assert not headline(rec).startswith("Nothing fits")
    else:
        assert headline(rec).startswith("Nothing fits")
    if rec.training is not None and rec.training.one_time_cost_usd > budget + 1e-6:
        assert not rec.feasible and "over the $" in text


NO_CASCADES = RULES.model_copy(update={"strategies": [
    s for s in RULES.strategies if s.kind != "cascade"]})


@PROPERTIES
@given(profiles)
def test_a_cascade_is_chosen_only_when_it_beats_every_single_configuration(answers):
    rec = recommend(answers, RULES)
    if rec.strategy != "cascade" or not rec.feasible:
        return
    single = recommend(answers, NO_CASCADES)
    c, s = rec.chosen, single.chosen
    # On the objective: better quality, or as good (within the tolerance) for less.
    assert c.expected_quality > s.expected_quality + 1e-9 or (
        c.expected_quality >= s.expected_quality - RULES.settings.quality_tolerance - 1e-9
        and c.amortised_cost_usd <= s.amortised_cost_usd + 1e-12)
    assert 0 < c.escalation_share < 1 and c.first_stage != c.model
    assert c.latency_s >= rec.shares.baseline.latency_s or c.first_stage != \
        rec.shares.baseline.model  # the escalated path is never faster than its first stage


def test_a_cascade_never_runs_without_a_check():
    answers = {"task_type": "math", "difficulty": "grade_school", "verifiability": "none",
               "latency_budget_s": 10, "budget_per_query_usd": 0.001, "training_budget_usd": 0,
               "queries_per_day": 200_000}
    assert all(e.strategy != "cascade" for e in recommend(answers, RULES).estimates)


@SLOW_PROPERTIES  # analyse: the ranges need the sampled rule sets
@given(profiles, st.one_of(st.none(), st.floats(min_value=0.01, max_value=10_000)))
def test_a_correct_answer_never_costs_less_than_a_query(answers, person):
    rec = analyse({**answers, "human_cost_per_task_usd": person}, RULES)
    for e in rec.estimates:
        if e.cost_per_correct_usd is None:
            continue
        assert e.cost_per_correct_usd >= e.amortised_cost_usd - 1e-9
        if e.cost_per_correct_usd_low is not None:
            assert e.cost_per_correct_usd_low <= e.cost_per_correct_usd + 1e-9 \
                <= e.cost_per_correct_usd_high + 2e-9
    text = per_correct_text(rec)
    assert ("for a person doing the task" in text) == bool(person)


@PROPERTIES
@given(profiles)
def test_retrieval_is_bounded_by_its_recall(answers):
    from advisor.engine import quality as q
    from advisor.engine.costs import Workload, candidate_table

    workload = Workload.of(RULES, answers)
    table = candidate_table(RULES, workload)
    family = RULES.families[workload.family]
    retrieves = [s.retrieval is not None for s in table.strategies]
    rows = [i for i in range(len(table)) if retrieves[table.strategy_index[i]]]
    assert bool(rows) == workload.documents
    if not workload.documents:
        return
    share = family.closed_book_share
    known = share + (1 - share) * (family.fine_tuned_share or 0.0)  # the most any row knows
    for i in range(len(table)):
        strategy = table.strategies[table.strategy_index[i]]
        if strategy.retrieval is None:
            assert table.quality[i] <= known + 1e-4
            continue
        r = strategy.retrieval
        recall = float(q.retrieval_recall(table.parameters[i]["chunks"],
                                          at_reference=r.recall_at_reference,
                                          reference=r.reference_chunks,
                                          maximum=r.recall_maximum, decay=r.recall_decay))
        assert table.quality[i] <= recall + (1 - recall) * known + 1e-4



@PROPERTIES
@given(profiles)
def test_risks_are_listed_most_serious_first(answers):
    rec = recommend(answers, RULES)
    order = {"high": 0, "medium": 1, "low": 2}
    ranks = [order[c.severity] for c in rec.caveats]
    assert ranks == sorted(ranks)
    engine = [c for c in rec.caveats if c.rule_id is None]
    assert all(c.severity == "high" for c in engine)
    if not rec.feasible:  # "nothing fits" is said first
        assert engine and rec.caveats[0].rule_id is None


@PROPERTIES
@given(profiles)
def test_the_lead_sentence_states_the_headline_s_figures(answers):
    rec = recommend(answers, RULES)
    lead, c = lead_sentence(rec), rec.chosen
    assert lead.startswith("Nothing fits every constraint") == (not rec.feasible)
    shown = c.first_token_s if rec.latency_measure == "first_token" else c.latency_s
    for figure in (usd(c.cost_usd), usd(c.monthly_cost_usd), seconds(shown),
                   percent(c.expected_quality)):
        assert figure in lead, (figure, lead)
    once = rec.training is not None and rec.training.one_time_cost_usd > 0
    assert ("is paid once" in lead) == once
