"""What would change the answer: every turn is what the engine returns, and the nearest one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advisor import load_answers, load_rules, parse_answers, recommend
from advisor.analysis import counterfactual
from advisor.analysis.full import analyse
from advisor.model.answers import field_options
from advisor.analysis.counterfactual import changed_answers, what_would_change
from advisor.render.markdown import md_escape
from advisor.render.report import to_json, to_markdown
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import turn_text

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules(ROOT / "rules")
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
# Multi-step reasoning in 5 s for a cent: several budgets sit close to a change.
PROFILE = dict(task_type="multi_step_reasoning", latency_budget_s=5, budget_per_query_usd=0.01,
               training_budget_usd=0, verifiability="none", queries_per_day=1000)


def outcome(rec):
    return (rec.verdict, rec.strategy, rec.chosen.fine_tuned)


def _changed(answers, turn):
    return changed_answers(answers.model_dump(), turn.field, turn.value)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_turn_is_what_recommend_returns(path):
    answers = load_answers(path)
    base = recommend(answers, RULES)
    turns = what_would_change(answers, RULES)
    assert turns
    for turn in turns:
        changed = _changed(answers, turn)
        if turn.relation in ("above", "below"):
            # The boundary itself still gives the current outcome; just beyond it changes.
            assert outcome(recommend(changed, RULES)) == outcome(base)
            step = 1 if turn.field == "queries_per_day" else abs(turn.value) * 1e-6 or 1e-9
            changed[turn.field] = turn.value + (step if turn.relation == "above" else -step)
        rec = recommend(changed, RULES)
        assert (rec.verdict, rec.strategy, rec.model) == (turn.verdict, turn.strategy, turn.model)
        assert rec.chosen.expected_quality == turn.expected_quality
        assert rec.chosen.cost_usd == turn.cost_usd
        assert turn.changes and outcome(rec) != outcome(base)


@pytest.mark.parametrize("path", EXAMPLES + ["profile"], ids=lambda p: getattr(p, "stem", p))
def test_numeric_turns_are_the_nearest_on_a_fine_grid(path):
    """Between the answer and a turn nothing else changes, up to the turn's short rounding
    ("29 s or less" for a change at 29.7 s: two significant figures, at most 10% out)."""
    answers = parse_answers(PROFILE) if path == "profile" else load_answers(path)
    base = outcome(recommend(answers, RULES))
    for turn in what_would_change(answers, RULES):
        if turn.field not in ("latency_budget_s", "budget_per_query_usd", "training_budget_usd",
                              "queries_per_day"):
            continue
        now, target = float(getattr(answers, turn.field)), float(turn.value)
        grid = (np.geomspace(max(now, 1e-6), max(target, 1e-6), 60)[1:-1]
                if min(now, target) > 0 else np.linspace(now, target, 60)[1:-1])
        for value in grid:
            if turn.field == "queries_per_day":
                value = int(value)
            rec = recommend(changed_answers(answers.model_dump(), turn.field, value), RULES)
            if outcome(rec) != base:
                # The first change: the turn's own outcome, within its rounding.
                assert (rec.verdict, rec.strategy) == (turn.verdict, turn.strategy)
                assert abs(value - target) <= 0.1 * abs(target) + 1, (turn.field, value)
                break


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_turns_say_whether_quality_and_cost_go_up_or_down(path):
    answers = load_answers(path)
    base = recommend(answers, RULES)
    tolerance = RULES.settings.quality_tolerance
    for turn in what_would_change(answers, RULES):
        delta = turn.expected_quality - base.chosen.expected_quality
        assert turn.quality_change == ("same" if abs(delta) <= tolerance
                                       else "up" if delta > 0 else "down")
        assert turn.cost_change in ("up", "down", "same")
        if turn.cost_change == "up":
            assert turn.cost_usd > base.chosen.cost_usd
        text = turn_text(turn, Vocabulary.of(RULES))
        assert "quality " in text and "cost " in text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_options_not_listed_do_not_change_the_outcome(path):
    answers = load_answers(path)
    base = outcome(recommend(answers, RULES))
    listed = {(t.field, t.value) for t in what_would_change(answers, RULES)}
    task = RULES.tasks[answers.task_type]
    options = {field: field_options(field) for field in
               ("task_type", "verifiability", "needs_calibration", "high_stakes")}
    options["difficulty"] = [level.id for level in task.difficulties]
    current = {**answers.model_dump(), "difficulty": task.level(answers.difficulty).id}
    for field, values in options.items():
        for option in values:
            if option != current[field] and (field, option) not in listed:
                changed = recommend(changed_answers(answers.model_dump(), field, option), RULES)
                assert outcome(changed) == base, (field, option)


def test_grid_and_bisection_find_a_turn_the_candidate_points_miss(monkeypatch):
    exact = {(t.field, t.relation): t for t in what_would_change(parse_answers(PROFILE), RULES)}
    turn = exact[("latency_budget_s", "at_least")]
    # Hide the candidate figures: only the fallback grid and bisection can find it now.
    real = counterfactual._points
    monkeypatch.setattr(counterfactual, "_points",
                        lambda field, rules, answers: (real(field, rules, answers)[0], set()))
    found = {(t.field, t.relation): t
             for t in what_would_change(parse_answers(PROFILE), RULES)}[("latency_budget_s",
                                                                        "at_least")]
    assert (found.verdict, found.strategy, found.model) == (turn.verdict, turn.strategy,
                                                            turn.model)
    assert found.value == pytest.approx(turn.value, rel=0.05)


def test_a_strict_threshold_on_a_whole_number_turns_at_the_next_number():
    chosen = recommend(PROFILE, RULES).strategy
    text = (ROOT / "rules" / "rules.yaml").read_text(encoding="utf-8") + f"""
  - id: busy-services-avoid-it
    when: {{field: queries_per_day, gt: 1000000}}
    exclude: [{chosen}]
    because: A test rule.
    source: A test.
"""
    rules = load_rules(ROOT / "rules", overrides={"rules.yaml": text})
    turn = next(t for t in what_would_change(parse_answers(PROFILE), rules)
                if t.field == "queries_per_day" and t.relation == "at_least")
    assert (turn.value, turn.relation) == (1_000_001, "at_least")
    assert recommend({**PROFILE, "queries_per_day": 1_000_000}, rules).strategy == chosen
    assert recommend({**PROFILE, "queries_per_day": 1_000_001}, rules).strategy != chosen


def test_markdown_lists_what_would_change():
    rec = analyse(PROFILE, RULES)
    vocabulary = Vocabulary.of(RULES)
    markdown = to_markdown(rec, vocabulary=vocabulary)
    assert "## What would change the answer" in markdown
    for turn in rec.what_would_change:
        assert f"- {md_escape(turn_text(turn, vocabulary))}" in markdown


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_analysis_is_byte_identical_across_two_loads(path):
    answers = load_answers(path)
    first, second = (to_json(analyse(answers, load_rules(ROOT / "rules"))) for _ in range(2))
    assert first == second


def test_a_cascade_turn_is_said_as_the_headline_says_a_cascade():
    # What would change and the plan name a cascade's split, as the configuration line does.
    answers = load_answers(ROOT / "examples" / "math-homework-at-scale.yaml")
    turns = [t for t in what_would_change(answers, RULES) if t.strategy == "cascade"]
    assert turns
    for turn in turns:
        changed = recommend(changed_answers(answers.model_dump(), turn.field, turn.value), RULES)
        assert (turn.first_stage, turn.first_stage_name) == (changed.first_stage,
                                                             changed.first_stage_name)
        assert turn.escalation_share == pytest.approx(changed.escalation_share)
        assert "% answered by " in turn_text(turn, Vocabulary.of(RULES))
