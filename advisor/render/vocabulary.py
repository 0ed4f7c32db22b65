"""The words people read for the ids the engine works with, taken from the rules files.

Answers, strategies and model tiers are stored by id (``multi_step_reasoning``,
``best_of_n_verifier``, ``llama-3.1-8b``, ``competition``): ids are a public contract for answers
files, share links and JSON. People read the labels and names the rules give them
(``questions.yaml`` option labels, each strategy's and tier's ``name``, each task type's difficulty
levels and the benchmarks that anchor them). Every renderer that shows an answer or an id takes a
:class:`Vocabulary`, so a rule editor who renames an option renames it in every report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.model.rules import RuleSet

_EXCLUDES = "excludes "


def humanise(identifier: str) -> str:
    """``multi_step_reasoning`` → ``Multi step reasoning``: the last resort for an id the rules
    no longer name (a snapshot saved under older rules), so no raw id reaches a reader."""
    text = identifier.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Level:
    """A difficulty level as people read it: its label and the name of its benchmark (None for a
    level the rules no longer have)."""

    label: str
    benchmark: str | None


@dataclass(frozen=True)
class Vocabulary:
    """Labels for answer values and difficulty levels, and names for strategy and model ids."""

    options: Mapping[str, Mapping[Any, str]]
    strategies: Mapping[str, str]
    models: Mapping[str, str]
    # Why per task type: level ids repeat across task types with different labels ("everyday").
    levels: Mapping[str, Mapping[str, Level]] = field(default_factory=dict)
    default_levels: Mapping[str, str] = field(default_factory=dict)
    # Task types whose family says how much of the user's documents a model knows: where
    # "the knowledge lives in documents you hold" changes the answer.
    documents_tasks: frozenset[str] = frozenset()

    @classmethod
    def of(cls, rules: RuleSet) -> Vocabulary:
        """The vocabulary of a rule set (built once per rule set)."""
        def build() -> Vocabulary:
            return cls(options={q.field: {o.value: o.label for o in q.options}
                                for q in rules.questions if q.options},
                       strategies={s.id: s.name for s in rules.strategies},
                       models={m.id: m.name for m in rules.models},
                       levels={name: {level.id: Level(level.label,
                                                      rules.benchmarks[level.benchmark].name)
                                      for level in task.difficulties}
                               for name, task in rules.tasks.items()},
                       default_levels={name: task.default_difficulty
                                       for name, task in rules.tasks.items()},
                       documents_tasks=frozenset(
                           name for name, task in rules.tasks.items()
                           if rules.families[task.family].closed_book_share is not None))
        return rules.memo(("vocabulary",), build)

    def option(self, field: str, value: Any) -> str:
        """The label of an answer value: ``Multi-step reasoning`` for ``multi_step_reasoning``."""
        value = getattr(value, "value", value)
        label = self.options.get(field, {}).get(value)
        if label is not None:
            return label
        return humanise(value) if isinstance(value, str) else str(value)

    def strategy(self, strategy_id: str) -> str:
        return self.strategies.get(strategy_id) or humanise(strategy_id)

    def model(self, model_id: str) -> str:
        return self.models.get(model_id) or humanise(model_id)

    def level(self, task_type: Any, difficulty: str | None) -> Level:
        """The level ``difficulty`` of ``task_type`` (its default level for None)."""
        task_type = getattr(task_type, "value", task_type)
        wanted = difficulty or self.default_levels.get(task_type)
        found = self.levels.get(task_type, {}).get(wanted) if wanted else None
        return found or Level(humanise(wanted or "default level"), None)

    def effect(self, effect: str) -> str:
        """A rule's effect with strategy names: ``excludes Tree search with verification``.

        Why here and not in the engine: the engine states effects by id (stable, what the rules
        say); naming them is the renderers' job.
        """
        if not effect.startswith(_EXCLUDES):
            return effect
        ids = effect[len(_EXCLUDES):].split(", ")
        return _EXCLUDES + ", ".join(self.strategy(i) for i in ids)

    def effects(self, effects: list[str]) -> str:
        """A fired rule's effects in one phrase: ``table vote: training ×2; adds a caveat``."""
        return "; ".join(self.effect(e) for e in effects)
