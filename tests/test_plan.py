"""The improvement plan: levers only, best value first, the same steps on every surface."""

from __future__ import annotations

import pytest

from advisor import analyse, load_answers, load_rules
from advisor.analysis.plan import LEVERS, improvement_plan
from advisor.render.wording import plan_step_text, plan_summary
from helpers import EXAMPLES_DIR, RULES_DIR

RULES = load_rules(RULES_DIR)


@pytest.fixture(scope="module")
def faq_bot():
    return analyse(load_answers(EXAMPLES_DIR / "support-faq-bot.yaml"), RULES)


def test_the_faq_bot_s_plan_starts_with_the_step_that_pays_for_itself(faq_bot):
    steps = improvement_plan(faq_bot)
    assert [s.turn.field for s in steps] == ["latency_budget_s", "streaming"]
    first, second = steps
    # A second instead of 0.8 s buys a reasoning tier at low effort and drops the distillation:
    # the one-time saving outweighs a year of the dearer queries.
    assert first.quality_gain > 0 and first.extra_one_time_usd < 0
    assert first.extra_over_horizon_usd < 0 < second.extra_over_horizon_usd
    assert plan_step_text(first).startswith("Raise the latency budget to 0.94 s: then Single "
                                            "pass on gpt-oss-120b")
    assert "+0.06 quality (0.76 → 0.81)" in plan_step_text(first)
    assert "less once" in plan_step_text(first) and "a month more" in plan_step_text(first)
    assert plan_step_text(second).startswith("Stream the answer as it is written")


def test_facts_about_the_work_are_never_steps(faq_bot):
    # The task type and the difficulty change the answer, but nobody decides them.
    fields = {t.field for t in faq_bot.what_would_change}
    assert {"task_type", "difficulty"} <= fields
    assert {s.turn.field for s in improvement_plan(faq_bot)} <= set(LEVERS)


def test_an_answer_nothing_improves_says_so():
    rec = analyse(load_answers(EXAMPLES_DIR / "math-homework-at-scale.yaml"), RULES)
    assert improvement_plan(rec) == []
    assert plan_summary([]).startswith("No change of a budget, a check or streaming improves")


def test_when_nothing_fits_every_step_makes_it_fit():
    answers = load_answers(EXAMPLES_DIR / "support-faq-bot.yaml").model_copy(
        update={"budget_per_query_usd": 0.0})
    rec = analyse(answers, RULES)
    assert not rec.feasible
    steps = improvement_plan(rec)
    assert steps and all(s.makes_feasible and s.turn.feasible for s in steps)
    assert "makes every constraint fit" in plan_step_text(steps[0])
