"""The full analysis of one profile: the recommendation, its break-even and what would change it.

Why a module of its own: ``recommend`` stays the fast step the decision map and the
counterfactual search call hundreds of times; ``analyse`` adds the two views a person reads once
per profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.analysis.breakeven import break_even
from advisor.analysis.counterfactual import what_would_change
from advisor.analysis.frontier import frontier
from advisor.engine.decide import build_recommendation, validated_answers, decide
from advisor.model.answers import Answers
from advisor.model.result import Recommendation
from advisor.model.rules import RuleSet


def analyse(answers: Answers | Mapping[str, Any], rules: RuleSet) -> Recommendation:
    """Recommend, then add the break-even, the answers that would change the result and the
    frontier of training against inference compute.

    Args:
        answers: an :class:`Answers` or a mapping that validates into one.
        rules: a loaded rule set.

    Returns:
        The :class:`Recommendation` of :func:`~advisor.engine.decide.recommend` with ``break_even``
        and ``what_would_change`` and ``frontier`` filled in, and every estimate's interval from
        the rules' ranges.

    Raises:
        AnswersError: ``answers`` is a mapping with bad or unknown fields.
    """
    answers = validated_answers(answers, rules)
    decision = decide(rules, answers.model_dump())
    rec = build_recommendation(decision, answers, rules, ranges=True)
    return rec.model_copy(update={
        "break_even": break_even(answers, rules, decision=decision),
        "what_would_change": what_would_change(answers, rules),
        "frontier": frontier(rules, answers, decision=decision),
    })
