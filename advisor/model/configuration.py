"""A configuration: a strategy with its parameter values on a model tier.

Why a module of its own: the result models and the frontier's points are both configurations, and
the result models import the frontier's (a recommendation carries its frontier).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from advisor.model.rules import Effort


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


M = TypeVar("M", bound=BaseModel)
_DEFAULTS: dict[type, dict[str, Any]] = {}
_REQUIRED = object()


def trusted(cls: type[M], values: dict[str, Any]) -> M:
    """What ``cls.model_construct(**values)`` gives, for values the engine computed itself.

    Why not model_construct: it looks up every field's aliases and default on each call, 30 µs
    an estimate, and every result has a thousand estimates (half an edit's time in the app).
    Only for models without aliases, factories or post-init, which the first call checks.
    """
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        fields = cls.model_fields
        if cls.__pydantic_post_init__ or any(
                f.alias or f.validation_alias or f.default_factory for f in fields.values()):
            raise TypeError(f"{cls.__name__} needs model_construct")
        defaults = _DEFAULTS[cls] = {name: _REQUIRED if f.is_required() else f.default
                                     for name, f in fields.items()}
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", {name: values[name] if name in values else default
                                       for name, default in defaults.items()
                                       if default is not _REQUIRED or name in values})
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def stored_first_token(data: Any) -> Any:
    """``data`` with ``first_token_s`` set to its ``latency_s`` when it has none.

    Why: a result stored before answers could stream has no first token; the whole answer is
    the latency it was judged by.
    """
    if isinstance(data, dict) and "first_token_s" not in data and "latency_s" in data:
        return {**data, "first_token_s": data["latency_s"]}
    return data


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
    first_stage: str | None = Field(
        None, description="A cascade's cheap first stage (a tier id): it answers every query and "
                          "the model above takes those its check rejects; None otherwise.")
    first_stage_name: str | None = Field(None, description="Display name of first_stage.")
    escalation_share: float | None = Field(
        None, description="Share of queries a cascade's check sends on to the stronger model.")
