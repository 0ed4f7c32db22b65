"""The base models every rules section is built from: strict, immutable, sane, with ranges.

Imports only pydantic and :mod:`advisor.model.answers` / :mod:`advisor.model.limits`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.model.answers import Verifiability
from advisor.model.limits import sane_numbers

Family = Literal["reasoning", "code", "knowledge", "classification", "open_ended"]
IDENTIFIER = r"^[a-z0-9][a-z0-9_.-]*$"

__all__ = ["IDENTIFIER", "Family", "Range", "Ranged", "Strict", "Verifiability"]


class Strict(BaseModel):
    """Base: unknown keys are errors, instances are immutable, every number is finite and sane."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    # Why every field: 1e308 is finite, yet a price of it makes every cost infinite.
    _sane_numbers = field_validator("*")(sane_numbers)


# A plausible low and high for an assumed number: [low, high].
Range = Annotated[tuple[float, float], Field(description="[low, high]")]


class Ranged(Strict):
    """A model whose assumed numbers may carry a plausible range.

    ``ranges`` maps a numeric field to ``[low, high]``, or a mapping field (``scores``,
    ``gain_logit``, ``refine_gain``) to ``{key: [low, high]}``. Every estimate comes with an
    interval drawn from these ranges (``advisor.engine.intervals``); a number without a range
    counts as known exactly.
    """

    ranges: dict[str, Range | dict[str, Range]] = Field(
        default_factory=dict,
        description="Plausible [low, high] of assumed numbers, by field name (a mapping for "
                    "fields such as scores or gain_logit); each must contain the value.",
        examples=[{"output_tokens_per_s": [80, 160], "scores": {"aime_2024": [0.6, 0.8]}}])

    @model_validator(mode="after")
    def _ranges_hold(self) -> Ranged:
        for path, low, value, high in self.range_items():
            if not low <= value <= high:
                raise ValueError(f"ranges.{'.'.join(path)} is [{low:g}, {high:g}], which does "
                                 f"not contain the value {value:g}")
        return self

    def range_items(self) -> list[tuple[tuple[str, ...], float, float, float]]:
        """``(path, low, value, high)`` of every ranged number, e.g. ``(("scores", "gsm8k"), …)``.

        Raises:
            ValueError: a range names a field that is not a number here.
        """
        items = []
        for name, spec in self.ranges.items():
            current = getattr(self, name, None) if name in type(self).model_fields else None
            if isinstance(spec, dict):
                for key, bounds in spec.items():
                    value = (current.get(key) if isinstance(current, dict)
                             else getattr(current, key, None))
                    items.append(_range_item((name, key), bounds, value))
            else:
                items.append(_range_item((name,), spec, current))
        return items

    def with_values(self, values: dict[tuple[str, ...], float]) -> Ranged:
        """A copy with the numbers at ``values`` (paths as in :meth:`range_items`) replaced.

        Why model_copy: the values were validated as ranges already; revalidating each of the
        many samples of an interval would cost more than the estimate itself.
        """
        update: dict[str, Any] = {}
        for path, value in values.items():
            if len(path) == 1:
                update[path[0]] = value
                continue
            name, key = path
            current = update.get(name, getattr(self, name))
            if isinstance(current, dict):
                update[name] = {**current, key: value}
            else:
                update[name] = current.model_copy(update={key: value})
        return self.model_copy(update=update)


def _range_item(path: tuple[str, ...], bounds: Any, value: Any
                ) -> tuple[tuple[str, ...], float, float, float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"ranges.{'.'.join(path)} names no number of this entry")
    low, high = bounds
    return path, float(low), float(value), float(high)
