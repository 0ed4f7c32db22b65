"""The docs can't drift: every question, option, rule, strategy and tier explains itself."""

from __future__ import annotations

import pytest

from advisor import Answers, load_rules
from advisor.model.answers import TaskType, field_options
from helpers import RULES_DIR

RULES = load_rules(RULES_DIR)


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


@pytest.mark.parametrize("question", RULES.questions, ids=lambda q: q.field)
def test_question_has_label_and_help(question):
    assert _filled(question.label)
    assert _filled(question.help)


@pytest.mark.parametrize("question", [q for q in RULES.questions if q.options],
                         ids=lambda q: q.field)
def test_every_option_has_a_label(question):
    assert [o.value for o in question.options] == field_options(question.field)
    for option in question.options:
        assert _filled(option.label), option.value


def test_every_answer_field_has_a_question():
    assert [q.field for q in RULES.questions] == list(Answers.model_fields)


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_says_why_and_cites_a_source(rule):
    assert _filled(rule.because)
    assert _filled(rule.source)


@pytest.mark.parametrize("strategy", RULES.strategies, ids=lambda s: s.id)
def test_strategy_describes_itself_and_cites_a_source(strategy):
    assert _filled(strategy.name)
    assert _filled(strategy.description)
    assert _filled(strategy.source)


@pytest.mark.parametrize("model", RULES.models, ids=lambda m: m.id)
def test_model_tier_cites_its_sources(model):
    assert _filled(model.price_table_id)
    assert _filled(model.price_source)
    assert _filled(model.speed_source)
    assert _filled(model.quality_source)
    if model.fine_tune is not None:
        assert _filled(model.fine_tune.source)


@pytest.mark.parametrize("family", sorted(RULES.families))
def test_family_curve_cites_a_source(family):
    assert _filled(RULES.families[family].label)
    assert _filled(RULES.families[family].source)


@pytest.mark.parametrize("task_type", [t.value for t in TaskType])
def test_every_task_type_has_a_profile(task_type):
    profile = RULES.tasks[task_type]
    assert profile.family in RULES.families
    assert _filled(profile.source)


@pytest.mark.parametrize("verifiability", list(RULES.settings.verifiers))
def test_every_verifier_cites_a_source(verifiability):
    assert _filled(RULES.settings.verifiers[verifiability].source)


def test_blank_text_counts_as_missing():
    assert not _filled("   ") and not _filled("") and not _filled(None) and _filled("x")
