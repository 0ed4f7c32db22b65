"""Pydantic models of ``training:``: the training runs a team can pay for once.

A training option is one kind of run (:data:`TrainingKind`) with its inputs — how many examples
or hours, tokens per example, the price of a label — at a few sizes. What a run costs is worked
out from those inputs and the trained tier's prices (``fine_tune:`` on the tier); what it buys
follows the kind's quality shape (:mod:`advisor.engine.training`). A better-trained tier is not
an option here: that is training compute someone else spent, bought through the price per token.

Imports only :mod:`advisor.model.base`.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from advisor.model.base import IDENTIFIER, Family, Ranged, Strict, Verifiability

TrainingKind = Literal["supervised_fine_tune", "distillation", "reinforcement_fine_tune",
                       "calibration"]
"""supervised_fine_tune: train on labelled examples of your task (LoRA or full);
distillation: a strong tier writes answers (and its reasoning) for your prompts once, and a small
fast tier is fine-tuned on them; reinforcement_fine_tune: reward the tier on answers a checker
can grade; calibration: fit how the tier's confidence maps to accuracy on a labelled held-out
set (temperature or Platt scaling, conformal thresholds), weights unchanged."""


class GainCurve(Ranged):
    """How much a run lifts a tier, growing with its size and levelling off.

    ``gain(n) = min(maximum, at_reference + per_10x · log10(n / reference_size))``, never below
    0, per task family. For a fine-tune or RL the gain is a shift of the log-odds of a correct
    answer (0.5 takes 60% to 71%); for a distillation it is the share of the log-odds gap to the
    teacher that the student closes (0.7 closes seven tenths of it).
    """

    at_reference: dict[Family, float] = Field(
        description="The gain at reference_size, per task family.",
        examples=[{"reasoning": 0.15, "code": 0.3, "knowledge": 0.05, "classification": 1.0,
                   "open_ended": 0.4}])
    per_10x: dict[Family, float] = Field(
        description="What ten times the size adds, per family (≥ 0: a larger run never loses).",
        examples=[{"reasoning": 0.1, "code": 0.15, "knowledge": 0.02, "classification": 0.35,
                   "open_ended": 0.15}])
    maximum: dict[Family, float] = Field(
        description="Where the gain levels off, per family.",
        examples=[{"reasoning": 0.4, "code": 0.7, "knowledge": 0.15, "classification": 1.8,
                   "open_ended": 0.8}])

    @model_validator(mode="after")
    def _grows(self) -> GainCurve:
        for name in ("at_reference", "per_10x", "maximum"):
            bad = [f"{family} {value:g}" for family, value in getattr(self, name).items()
                   if value < 0]
            if bad:
                raise ValueError(f"{name} must not be negative (a run never loses quality "
                                 f"here): {', '.join(bad)}")
        return self

    def at(self, family: str, size: float, reference_size: float) -> float:
        """The gain of a run of ``size`` on ``family`` work (0 for a family not listed)."""
        if family not in self.at_reference:
            return 0.0
        grown = (self.at_reference[family]
                 + self.per_10x.get(family, 0.0) * math.log10(size / reference_size))
        return max(0.0, min(self.maximum.get(family, grown), grown))


class TrainingOption(Ranged):
    """One training run a team can pay for once, at a few sizes."""

    id: str = Field(pattern=IDENTIFIER, description="Unique, stable id; a trained variant of a "
                                                    "tier is '<tier>-<option>-<size>'.",
                    examples=["sft"])
    name: str = Field(description="What the user reads.", examples=["Supervised fine-tune (LoRA)"])
    kind: TrainingKind = Field(description="Which kind of run (see the module docstring).",
                               examples=["supervised_fine_tune"])
    description: str = Field(description="What the run is, in one or two sentences a lead "
                                          "repeats.",
                             examples=["Train a low-rank adapter on labelled examples of your "
                                       "task."])
    sizes: list[int] = Field(min_length=1, max_length=6,
                             description="Run sizes on offer, smallest first: examples (hours "
                                         "for reinforcement_fine_tune).",
                             examples=[[1000, 10000, 100000]])
    reference_size: int = Field(gt=0, description="The size the gain curve's at_reference is "
                                                  "quoted at.", examples=[1000])
    tiers: list[str] | None = Field(
        None, description="Tiers it applies to; empty means every tier with a fine_tune block "
                          "(for calibration: every tier).", examples=[["llama-3.1-8b"]])
    tokens_per_example: int = Field(
        0, ge=0, description="Training tokens per example and epoch (prompt + answer, plus the "
                             "teacher's reasoning for a distillation).", examples=[1000])
    epochs: float = Field(3, gt=0, le=20, description="Passes over the examples.", examples=[3])
    training_price_multiple: float = Field(
        1, gt=0, le=50, description="Training price as a multiple of the tier's LoRA price "
                                    "per token (a full fine-tune trains every weight).",
        examples=[1, 4])
    label_usd_per_example: float = Field(
        0, ge=0, description="Labelling or collecting one example (0 where the examples need no "
                             "label, as a teacher's traces).", examples=[0.5])
    prompt_usd_per_example: float = Field(
        0, ge=0, description="Collecting one unlabelled prompt of your task (distillation).",
        examples=[0.02])
    teacher: str | None = Field(None, description="The tier that writes the traces "
                                                  "(distillation).",
                                examples=["deepseek-reasoner"])
    teacher_output_tokens: int = Field(
        0, ge=0, description="Tokens the teacher writes per example, reasoning included "
                             "(distillation).", examples=[4000])
    student_reasoning_tokens: int | None = Field(
        None, ge=0, description="Visible reasoning the distilled student writes per answer "
                                "(a short rationale, so it answers fast); never more than the "
                                "task's ordinary reasoning; empty keeps that (distillation).",
        examples=[100])
    fixed_usd: float = Field(0, ge=0, description="Per run: evaluation, engineering time and "
                                                  "failed attempts, USD.", examples=[500])
    verifiabilities: list[Verifiability] | None = Field(
        None, description="Only where answers can be checked this way (reinforcement "
                          "fine-tuning needs a reward); empty means any.",
        examples=[["verifiable_steps"]])
    gain: GainCurve | None = Field(
        None, description="What the run buys with its size (empty for calibration, which "
                          "changes no answer).",
        examples=[{"at_reference": {"classification": 1.0}, "per_10x": {"classification": 0.35},
                   "maximum": {"classification": 1.8}}])
    calibrates: bool = Field(
        False, description="The run leaves a calibrated tier: its confidence is fitted to its "
                           "accuracy on held-out data. True only for calibration; a fine-tune "
                           "leaves calibration to be measured (post-training can hurt it).",
        examples=[False])
    source: str = Field(min_length=1, description="Where the prices and gains come from, and "
                                                  "what is an assumption.",
                        examples=["Zhang et al. 2024 (arXiv 2402.17193); assumption"])

    @model_validator(mode="after")
    def _consistent(self) -> TrainingOption:
        if self.sizes != sorted(set(self.sizes)) or self.sizes[0] <= 0:
            raise ValueError("sizes must be positive and grow, without repeats")
        if self.kind == "calibration":
            if self.gain is not None or not self.calibrates:
                raise ValueError("a calibration option has no gain and calibrates: true")
        elif self.gain is None:
            raise ValueError(f"a {self.kind} option needs a gain curve")
        if self.kind == "distillation" and (self.teacher is None
                                            or self.teacher_output_tokens <= 0):
            raise ValueError("a distillation option names its teacher and "
                             "teacher_output_tokens")
        if self.kind != "distillation" and (self.teacher or
                                            self.student_reasoning_tokens is not None):
            raise ValueError("only a distillation option has a teacher or "
                             "student_reasoning_tokens")
        return self


class TrainingCatalogue(Strict):
    """The ``training:`` section: the runs on offer."""

    options: list[TrainingOption] = Field(
        description="The training runs on offer, each at a few sizes.",
        examples=[[{"id": "calibrate", "name": "Post-hoc calibration", "kind": "calibration",
                    "description": "Fit confidence to accuracy on labelled held-out answers.",
                    "sizes": [1000], "reference_size": 1000, "tokens_per_example": 800,
                    "label_usd_per_example": 0.5, "calibrates": True,
                    "source": "Guo et al. 2017 (arXiv 1706.04599)"}]])

    @model_validator(mode="after")
    def _unique(self) -> TrainingCatalogue:
        ids = [option.id for option in self.options]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"training option ids must be unique: {', '.join(repeated)}")
        return self
