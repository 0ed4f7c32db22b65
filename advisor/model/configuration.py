"""A configuration: a strategy with its parameter values on a model tier.

Why a module of its own: the result models and the frontier's points are both configurations, and
the result models import the frontier's (a recommendation carries its frontier).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from advisor.model.rules import Effort


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Configuration(Frozen):
    """A strategy with its parameter values on a model tier (base or fine-tuned)."""

    strategy: str
    strategy_name: str
    model: str
    model_name: str
    fine_tuned: bool
    parameters: dict[str, int]
    thinking_effort: Effort | None = Field(
        None, description="low, medium or high hidden thinking per call on a reasoning tier; "
                          "None on a tier that does not think.")
