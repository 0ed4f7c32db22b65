"""Decide whether to buy answer quality with inference-time compute, training compute, or both.

Public API::

    from advisor import analyse, load_rules, recommend
    result = recommend(answers, load_rules("rules"))   # fast: verdict, configuration, estimates
    report = analyse(answers, load_rules("rules"))     # plus break-even and what would change it
    table = recommend_many(rows, load_rules("rules"))  # a portfolio: one DataFrame row each
    result.estimates_frame()                           # every candidate, as a DataFrame

``default_rules_dir()`` finds the rules the package ships with (installed or in a checkout).

``python -m advisor recommend`` prints what ``analyse`` returns.
"""

from advisor.analysis.full import analyse
from advisor.authoring.lint import check_rules
from advisor.engine.decide import decision_map, recommend, recommend_many
from advisor.errors import AdvisorError, AnswersError, Problem, RulesError, UserInputError
from advisor.model.answers import Answers
from advisor.model.result import Recommendation
from advisor.source.answers_file import load_answers, parse_answers
from advisor.source.bundled import default_rules_dir
from advisor.source.loader import load_rules

__all__ = [
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
