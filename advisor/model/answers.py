"""The questionnaire: the answers a user gives, as a strict pydantic model.

This is a public contract: the CLI's answers files, the app's share links and the tests all use
these field names. Question texts, help and option labels live in ``rules/questions.yaml``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from advisor.model.limits import sane_numbers


class TaskType(StrEnum):
    """The dominant kind of work the system does."""

    math = "math"
    formal_verification = "formal_verification"
    multi_step_reasoning = "multi_step_reasoning"
    code_generation = "code_generation"
    knowledge_qa = "knowledge_qa"
    classification = "classification"
    creative_writing = "creative_writing"
    open_ended_explanation = "open_ended_explanation"
    nuanced_judgment = "nuanced_judgment"


class KnowledgeSource(StrEnum):
    """Where the facts the answers need live: in what a model learned, or in documents the
    user holds (contracts, manuals, tickets) that no model was trained on."""

    model = "model"
    documents = "documents"


class Verifiability(StrEnum):
    """Whether answers or intermediate steps can be checked automatically."""

    verifiable_steps = "verifiable_steps"
    external_judge = "external_judge"
    none = "none"


NUMERIC_FIELDS: tuple[str, ...] = ("latency_budget_s", "budget_per_query_usd",
                                   "training_budget_usd", "queries_per_day")
# Advanced answers: left empty, the task type's token shape in the rules applies.
TOKEN_FIELDS: tuple[str, ...] = ("prompt_tokens", "answer_tokens")
MAX_TOKENS = 1_000_000
# Answers whose options come from the rules: the task type's difficulty levels, the model tiers.
RULES_CHOICE_FIELDS: tuple[str, ...] = ("difficulty", "measured_model")
# What the user measured on their own eval set; left empty, the published anchors apply.
MEASURED_FIELDS: tuple[str, ...] = ("measured_model", "measured_accuracy", "measured_dispersion")
# Optional numbers: empty means "not given".
OPTIONAL_NUMBER_FIELDS: tuple[str, ...] = ("measured_accuracy", "measured_dispersion",
                                           "human_cost_per_task_usd")
# Answers the result reads out but no candidate depends on: never a rule condition.
REPORT_FIELDS: tuple[str, ...] = ("human_cost_per_task_usd",)
IDENTIFIER = r"^[a-z0-9][a-z0-9_.-]*$"


class Answers(BaseModel):
    """A filled-in questionnaire."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    task_type: TaskType = Field(description="The dominant kind of work.")
    difficulty: str | None = Field(
        None, pattern=IDENTIFIER, max_length=64,
        description="How hard the queries are: one of the task type's difficulty levels in the "
                    "rules, each tied to a public benchmark; empty = the task type's default.")
    knowledge_source: KnowledgeSource = Field(
        KnowledgeSource.model,
        description="Where the knowledge the answers need lives: 'model' (general knowledge a "
                    "model learns in training) or 'documents' (documents you hold that no model "
                    "was trained on): then every candidate without retrieval answers "
                    "closed-book, and retrieval from them becomes a candidate (knowledge work).")
    latency_budget_s: float = Field(gt=0, description="Slowest acceptable response, in seconds.")
    budget_per_query_usd: float = Field(ge=0, description="What one answer may cost, in USD.")
    training_budget_usd: float = Field(
        ge=0, description="One-time USD for a training run or fine-tune; 0 means none is "
                          "feasible.")
    verifiability: Verifiability = Field(
        description="Can steps or answers be checked automatically, only by a judge, or not at "
                    "all.")
    queries_per_day: int = Field(1000, ge=0, description="Queries per day.")
    needs_calibration: bool = Field(False, description="Confidence must track accuracy.")
    high_stakes: bool = Field(False, description="Regulated or high-stakes decisions.")
    streaming: bool = Field(
        False, description="The user watches the answer appear (a streamed chat answer): the "
                           "latency budget applies to the time to its first visible token, a "
                           "reasoning tier's hidden thinking included, not to the whole answer.")
    prompt_tokens: int | None = Field(
        None, ge=1, le=MAX_TOKENS,
        description="Tokens read per query (instructions, context, question); empty = the task "
                    "type's typical size.")
    answer_tokens: int | None = Field(
        None, ge=1, le=MAX_TOKENS,
        description="Tokens in the final answer; empty = the task type's typical size (a code "
                    "completion is tens of tokens, a generated module thousands).")
    measured_model: str | None = Field(
        None, pattern=IDENTIFIER, max_length=64,
        description="The model tier you measured on your own eval set (a model id).")
    measured_accuracy: float | None = Field(
        None, gt=0, lt=1,
        description="Its single-pass accuracy on your eval set: the share of problems it answers "
                    "correctly with one attempt. Every other tier is re-anchored from it.")
    measured_dispersion: float | None = Field(
        None, gt=0, le=1000,
        description="α + β of the per-problem success rates fitted to your eval results (set by "
                    "an eval file); empty = the task family's published-curve value.")
    human_cost_per_task_usd: float | None = Field(
        None, ge=0, le=1e9,
        description="What a person costs to do one of these tasks right (loaded hourly cost × "
                    "time per task), USD; empty = no comparison with people.")

    @field_validator(*NUMERIC_FIELDS, *TOKEN_FIELDS, mode="before")
    @classmethod
    def _not_a_boolean(cls, value: Any, info: Any) -> Any:
        """Refuse true/false where a number belongs.

        Why: pydantic's lax mode reads True as 1, so YAML's ``latency_budget_s: yes`` silently
        became a one-second budget.
        """
        if isinstance(value, bool):
            kind = ("int_type" if info.field_name in ("queries_per_day", *TOKEN_FIELDS)
                    else "float_type")
            raise PydanticCustomError(kind, "Input should be a number, not a boolean")
        return value

    # Why: 10**306 queries a day is a valid int that overflows the first float it meets.
    _sane_numbers = field_validator(*NUMERIC_FIELDS)(sane_numbers)

    @model_validator(mode="after")
    def _measured_together(self) -> Answers:
        # Why: an accuracy without its model (or the reverse) re-anchors nothing we can name.
        if (self.measured_model is None) != (self.measured_accuracy is None):
            raise ValueError("measured_model and measured_accuracy go together: give both (the "
                             "tier you measured and its single-pass accuracy) or neither")
        if self.measured_dispersion is not None and self.measured_model is None:
            raise ValueError("measured_dispersion needs measured_model and measured_accuracy")
        return self


ANSWER_FIELDS: tuple[str, ...] = tuple(Answers.model_fields)
# Values computed from the answers that rule conditions may test like answers.
DERIVED_FIELDS: dict[str, str] = {
    "training_run_feasible": "true when the training budget covers the cheapest run that changes "
                             "weights any training option offers (from training.yaml)",
}
# Why not the difficulty and the measurement: their options depend on the rules (levels per task
# type, tier ids), so rules cannot test them like the questionnaire's fixed answers; they act
# through the quality model instead.
CONDITION_FIELDS: tuple[str, ...] = tuple(
    f for f in ANSWER_FIELDS if f not in (*RULES_CHOICE_FIELDS, *MEASURED_FIELDS,
                                          *REPORT_FIELDS)
) + tuple(DERIVED_FIELDS)
BOOL_FIELDS: tuple[str, ...] = ("needs_calibration", "high_stakes", "streaming")
ENUM_FIELDS: dict[str, type[StrEnum]] = {"task_type": TaskType, "verifiability": Verifiability,
                                         "knowledge_source": KnowledgeSource}


def field_options(name: str) -> list[Any] | None:
    """The allowed values of a categorical field (enum or bool), or None for a numeric one."""
    if name in ENUM_FIELDS:
        return [member.value for member in ENUM_FIELDS[name]]
    if name in BOOL_FIELDS or name in DERIVED_FIELDS:
        return [False, True]
    return None


def answers_to_json(answers: Answers) -> str:
    """Canonical JSON of the answers (used for hashing, snapshots and comparisons)."""
    return json.dumps(answers.model_dump(mode="json"), sort_keys=True)
