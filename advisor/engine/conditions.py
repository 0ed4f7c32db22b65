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


ColumnTest = Callable[[Mapping[str, np.ndarray]], np.ndarray]


def compile_columns(cond: Condition) -> ColumnTest:
    """:func:`holds` over many profiles at once, as a function of answer columns (one array
    per field), built once.

    Why built once: a batch of a few hundred profiles spent a fifth of its time walking the
    condition trees. Every function here returns a new array, so ``all`` and ``any`` combine
    in place.
    """
    if cond.field is not None:
        (op, expected), = cond.operators.items()
        name = cond.field
        if op in ("in", "not_in"):
            members, negate = tuple(expected), op == "not_in"

            def member(columns: Mapping[str, np.ndarray]) -> np.ndarray:
                column = columns[name]
                found = np.zeros(len(column), dtype=bool)
                for value in members:
                    found |= _equal(column, value)
                return ~found if negate else found
            return member
        if op == "eq":
            return lambda columns: _equal(columns[name], expected)
        if op == "ne":
            return lambda columns: ~_equal(columns[name], expected)
        compare, bound = _OPERATOR[op], float(expected)
        return lambda columns: compare(_floats(columns[name]), bound)
    if cond.not_ is not None:
        inner = compile_columns(cond.not_)
        return lambda columns: ~inner(columns)
    every = cond.all is not None
    parts = [compile_columns(c) for c in (cond.all if every else cond.any)]

    def combined(columns: Mapping[str, np.ndarray]) -> np.ndarray:
        if not parts:
            make = np.ones if every else np.zeros
            return make(len(next(iter(columns.values()))), dtype=bool)
        result = parts[0](columns)
        for part in parts[1:]:
            if every:
                result &= part(columns)
            else:
                result |= part(columns)
        return result
    return combined


def _floats(column: np.ndarray) -> np.ndarray:
    return column if column.dtype == np.float64 else column.astype(float)


def _equal(column: np.ndarray, value: Any) -> np.ndarray:
    """Element-wise ``==`` with the scalar semantics of :func:`holds` (1 == 1.0,
    True != 'true')."""
    if column.dtype == object:
        return np.array([item == value for item in column], dtype=bool)
    if (column.dtype.kind == "U") != isinstance(value, str):
        return np.zeros(len(column), dtype=bool)
    return column == value
