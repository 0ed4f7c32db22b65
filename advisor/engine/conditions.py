"""Evaluate rule conditions against answers, and explain why one did or did not hold.

Conditions are data (see :class:`advisor.model.rules.Condition`); nothing here evaluates strings.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from advisor.model.rules import Condition

_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}
_SYMBOL = {"eq": "=", "ne": "≠", "in": "in", "not_in": "not in", "lt": "<", "le": "≤", "gt": ">",
           "ge": "≥"}


def holds(cond: Condition, answers: Mapping[str, Any]) -> bool:
    """True when ``cond`` holds for ``answers`` (a mapping of answer field to value)."""
    if cond.field is not None:
        (op, expected), = cond.operators.items()
        return _COMPARE[op](answers[cond.field], expected)
    if cond.all is not None:
        return all(holds(c, answers) for c in cond.all)
    if cond.any is not None:
        return any(holds(c, answers) for c in cond.any)
    return not holds(cond.not_, answers)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe(cond: Condition) -> str:
    """Human-readable form, e.g. ``task_type in [math, formal_verification]``."""
    if cond.field is not None:
        (op, expected), = cond.operators.items()
        return f"{cond.field} {_SYMBOL[op]} {_value(expected)}"
    if cond.all is not None:
        return "(" + " and ".join(describe(c) for c in cond.all) + ")"
    if cond.any is not None:
        return "(" + " or ".join(describe(c) for c in cond.any) + ")"
    return "not " + describe(cond.not_)


def why_not(cond: Condition, answers: Mapping[str, Any]) -> list[str]:
    """For a condition that does not hold: the tests that made it fail, with the actual values.

    Returns an empty list when the condition holds.
    """
    if holds(cond, answers):
        return []
    if cond.field is not None:
        return [f"{describe(cond)} is false: {cond.field} is {_value(answers[cond.field])}"]
    if cond.all is not None:
        return [reason for c in cond.all for reason in why_not(c, answers)]
    if cond.any is not None:
        return ["none of: " + "; ".join(r for c in cond.any for r in why_not(c, answers))]
    return [f"{describe(cond)} is false: {describe(cond.not_)} holds"]


def thresholds(cond: Condition) -> dict[str, set[float]]:
    """Numeric constants each field is compared against (for lint and the decision map)."""
    found: dict[str, set[float]] = {}
    children = (cond.all or []) + (cond.any or []) + ([cond.not_] if cond.not_ else [])
    for child in children:
        for name, values in thresholds(child).items():
            found.setdefault(name, set()).update(values)
    if cond.field is not None:
        for value in cond.operators.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, (int, float)) and not isinstance(item, bool):
                    found.setdefault(cond.field, set()).add(float(item))
    return found


_OPERATOR = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
             "gt": operator.gt, "ge": operator.ge}


def compile_condition(cond: Condition) -> Callable[[Mapping[str, Any]], bool]:
    """``cond`` as a function of the answers, equivalent to :func:`holds` but built once.

    Why: the engine tests every rule on every recommendation; a closure per node skips the
    tree walk and the operator lookup (data in, data out: still nothing is evaluated as code).
    """
    if cond.field is not None:
        (op, expected), = cond.operators.items()
        name = cond.field
        if op in ("in", "not_in"):
            members = frozenset(expected) if all(isinstance(v, str) for v in expected) \
                else tuple(expected)
            if op == "in":
                return lambda answers: answers[name] in members
            return lambda answers: answers[name] not in members
        compare = _OPERATOR[op]
        return lambda answers: compare(answers[name], expected)
    if cond.all is not None:
        return _chain([compile_condition(c) for c in cond.all], every=True)
    if cond.any is not None:
        return _chain([compile_condition(c) for c in cond.any], every=False)
    inner = compile_condition(cond.not_)
    return lambda answers: not inner(answers)


def _chain(parts: list[Callable[[Mapping[str, Any]], bool]], *, every: bool
           ) -> Callable[[Mapping[str, Any]], bool]:
    """``all`` (``every``) or ``any`` of ``parts``, short-circuiting in order.

    Why nested closures, not ``all(generator)``: a generator per test was a fifth of a single
    recommendation; ``and``/``or`` between two calls costs nothing extra.
    """
    if not parts:
        return (lambda answers: True) if every else (lambda answers: False)
    first, *rest = parts
    if not rest:
        return lambda answers: bool(first(answers))
    others = _chain(rest, every=every)
    if every:
        return lambda answers: bool(first(answers)) and others(answers)
    return lambda answers: bool(first(answers)) or others(answers)


def holds_columns(cond: Condition, columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """:func:`holds` over many profiles at once: ``columns`` maps each field to one array."""
    if cond.field is not None:
        (op, expected), = cond.operators.items()
        column = columns[cond.field]
        if op in ("in", "not_in"):
            found = np.zeros(len(column), dtype=bool)
            for value in expected:
                found |= _equal(column, value)
            return found if op == "in" else ~found
        if op in ("eq", "ne"):
            found = _equal(column, expected)
            return found if op == "eq" else ~found
        return _OPERATOR[op](column.astype(float), float(expected))
    if cond.all is not None:
        result = np.ones(len(next(iter(columns.values()))), dtype=bool)
        for child in cond.all:
            result &= holds_columns(child, columns)
        return result
    if cond.any is not None:
        result = np.zeros(len(next(iter(columns.values()))), dtype=bool)
        for child in cond.any:
            result |= holds_columns(child, columns)
        return result
    return ~holds_columns(cond.not_, columns)


def _equal(column: np.ndarray, value: Any) -> np.ndarray:
    """Element-wise ``==`` with the scalar semantics of :func:`holds` (1 == 1.0, True != 'true')."""
    if column.dtype == object:
        return np.array([item == value for item in column], dtype=bool)
    if (column.dtype.kind == "U") != isinstance(value, str):
        return np.zeros(len(column), dtype=bool)
    return column == value
