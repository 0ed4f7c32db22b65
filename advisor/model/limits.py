"""The bounds every input is held to, in one place.

Rules files, answers files, uploads and share links are read by the same reader
(:mod:`advisor.source.inputs` and :mod:`advisor.source.yamlsource`) and validated by the same
models (:mod:`advisor.model.rules`, :mod:`advisor.model.answers`), and all of them check against
these numbers. Each bound is far above what a real rules directory or answers file needs (the
default rules: 6 files, 511 values in the largest, 8 levels deep, 24 rules of at most 4 conditions,
31 tests, 216 candidates) and low enough that the worst input within them still loads, and lints,
in well under 300 MB of memory (``tests/hostile_runner.py`` measures it).

Why bounds at all: a 518-byte YAML alias bomb expands to gigabytes, 10,000 nested brackets
exhaust the interpreter's stack, and a number such as 1e308 turns a cost into infinity three
multiplications later. Each of these is refused here with a message, before it can reach the
engine.

This module imports nothing from the advisor, so every other module may use it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

MAX_FILE_BYTES = 1_000_000
"""Largest rules file, answers file, upload or decoded share link, in bytes."""

MAX_RULES_FILES = 32
"""Most ``*.yaml`` files a rules directory may hold."""

MAX_DIRECTORY_VALUES = 100_000
"""Most values in all the files of a rules directory together (see :data:`MAX_VALUES`)."""

MAX_DEPTH = 32
"""Deepest nesting of lists and mappings in a document (aliases count as what they repeat)."""

MAX_VALUES = 50_000
"""Most values (scalars, lists, mappings) in one document, aliases expanded."""

MAX_ALIAS_VALUES = 10_000
"""Most values that ``*alias`` references may repeat in one document, in all."""

MAX_NUMBER = 1e15
"""Largest magnitude of any number in rules or answers."""

MIN_NONZERO = 1e-12
"""Smallest magnitude of any number other than zero in rules or answers."""

MAX_RULES = 500
"""Most rules in a rules directory."""

MAX_CONDITIONS_PER_RULE = 64
"""Most conditions in one rule's ``when``: every test, and every ``all``, ``any`` and ``not``."""

MAX_TESTS = 1_000
"""Most tests (``{field: …, op: …}``) in all the rules of a directory together.

Why a total: each test's value is a point where the answer can turn, and "what would change the
answer" probes every one on every recommendation (about a millisecond each).
"""

MAX_CANDIDATES = 10_000
"""Most candidate configurations (strategy × parameter values × served tier, trained variants
too)."""

MAX_LINT_PROFILES = 500_000
"""Most answer profiles lint enumerates (the default rules tell apart about 113,000)."""

MAX_LINT_CELLS = 20_000_000
"""Most profile × rule pairs lint holds in memory at once (one byte each)."""

MAX_PRICE_TABLE_BYTES = 16_000_000
"""Largest price table ``python -m advisor prices`` reads (litellm 1.110.2's is 3.5 MB)."""

MAX_PRICE_TABLE_VALUES = 1_000_000
"""Most JSON values in a price table, keys included (litellm 1.110.2's holds about 174,000)."""


def _number_text(value: float) -> str:
    """``1e+15`` → ``1e15``: numbers read as a person would write them."""
    return f"{value:g}".replace("e+", "e")


def number_problem(value: Any) -> str | None:
    """Why ``value`` is not a number rules or answers may hold, or None when it is (or is not a
    number at all: text, booleans and None are another check's business).

    >>> number_problem(1e308)
    'must be at most 1e15 in size, got 1e308'
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value}"
    size = abs(value)
    if size > MAX_NUMBER:
        # Why not float(value) alone: an integer past 1.8e308 has no float.
        shown = (f"about 1e{round(size.bit_length() * math.log10(2))}"
                 if isinstance(size, int) and size > 1e300 else _number_text(float(size)))
        shown = shown if value > 0 else "-" + shown
        return f"must be at most {_number_text(MAX_NUMBER)} in size, got {shown}"
    if 0 < size < MIN_NONZERO:
        return (f"must be 0 or at least {_number_text(MIN_NONZERO)} in size, "
                f"got {_number_text(value)}")
    return None


def nested_number_problem(value: Any, where: str = "") -> tuple[str, str] | None:
    """The first unusable number in ``value`` or in the lists and mappings it holds.

    Returns:
        ``(where, problem)``, where ``where`` is the path inside ``value`` (``.reasoning``,
        ``[2]``, or empty for ``value`` itself), or None when every number is usable. Models
        nested in ``value`` are skipped: they check their own fields.
    """
    if isinstance(value, BaseModel):
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = nested_number_problem(item, f"{where}.{getattr(key, 'value', key)}")
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = nested_number_problem(item, f"{where}[{index}]")
            if found:
                return found
        return None
    problem = number_problem(value)
    return (where, problem) if problem else None


def sane_numbers(value: Any) -> Any:
    """A pydantic validator: ``value`` as it is, or a ``number_range`` error naming the number.

    Raises:
        PydanticCustomError: a number in ``value`` is not finite, or out of range.
    """
    kind = type(value)
    if kind is str or value is None:  # the common cases, without the walk
        return value
    if (kind is float or kind is int) and (value == 0 or MIN_NONZERO <= abs(value) <= MAX_NUMBER):
        return value
    found = nested_number_problem(value)
    if found:
        raise PydanticCustomError("number_range", found[1], {"where": found[0]})
    return value
