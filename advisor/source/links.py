"""Share links: answers to and from a link's query parameters, and the app's question ranges.

One codec for answers that reach the app from outside its widgets. A link's parameters are
coerced by the answers model's own field types (pydantic, as an answers file is), then held to
the question ranges in the rules (``RuleSet.question(field).min``/``max``), then to the model's
constraints; an uploaded answers file is held to the same ranges (:func:`range_problems`).

Why parameter by parameter: a link is a URL someone may have edited or cut short; each bad
parameter is named in a warning and falls back to its default, the others are kept.
"""

from __future__ import annotations

from functools import cache
from types import UnionType
from typing import Any, NamedTuple, get_args
from urllib.parse import urlencode

from pydantic import ConfigDict, TypeAdapter, ValidationError

from advisor.model.answers import (ANSWER_FIELDS, OPTIONAL_NUMBER_FIELDS, RULES_CHOICE_FIELDS,
                                   TOKEN_FIELDS, Answers, field_options)
from advisor.model.rules import Question, RuleSet
from advisor.source.messages import describe_error

# Parameters of the app's own pages, not answers: never warned about as unknown.
PAGE_PARAMETERS: tuple[str, ...] = ("page", "snapshot", "compare", "embed")
# A link's wording of pydantic's errors, keyed by pydantic's error type.
# Why not error_messages.yaml's: a link's value is echoed cut short (it is the user's URL, not a
# file to fix), and the file hint about quotes means nothing in an address bar.
_LINK_WORDING = {
    "float_parsing": "'{name}' must be a number, got {raw}",
    "finite_number": "'{name}' must be a finite number, got {raw}",
    "int_parsing": "'{name}' must be a whole number, got {raw}",
    "int_from_float": "'{name}' must be a whole number, got {raw}",
    "bool_parsing": "'{name}' must be true or false, got {raw}",
    "enum": "'{name}' has no option {raw}; options: {options}",
}


class Bound(NamedTuple):
    """The end of a question's range a value falls outside: ``min`` or ``max``, and its value."""

    end: str
    limit: float


def default_answers(rules: RuleSet) -> dict[str, Any]:
    """Each question's default answer."""
    return {q.field: q.default for q in rules.questions}


def outside_range(question: Question, value: Any) -> Bound | None:
    """Which end of the question's range (from the rules) ``value`` falls outside, if any."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if question.min is not None and value < question.min:
        return Bound("min", question.min)
    if question.max is not None and value > question.max:
        return Bound("max", question.max)
    return None


def range_problems(answers: Answers, rules: RuleSet, *, name: str) -> list[str]:
    """Answers of a file ``name`` outside the ranges the app's questions offer.

    Why: the CLI accepts any value the model does; the app's widgets cannot show one outside
    their range, so an upload carrying one is refused with what to change.
    """
    problems = []
    for question in rules.questions:
        value = getattr(answers, question.field)
        bound = outside_range(question, value)
        if bound is None:
            continue
        if bound.end == "min":
            problems.append(f"{name}: '{question.field}' is {value:g}, below the smallest value "
                            f"the app offers ({bound.limit:g})")
        else:
            problems.append(f"{name}: '{question.field}' is {value:g}, above the largest value "
                            f"the app offers ({bound.limit:g}); the CLI accepts it")
    return problems


def quoted(raw: str, limit: int = 40) -> str:
    """``'raw'``, cut short: a link's value is echoed in a warning, not reproduced whole."""
    return repr(raw if len(raw) <= limit else raw[:limit - 1] + "…")


def shown_value(value: Any) -> str:
    """A value as a link carries it: ``true``, ``30`` (not ``30.0``), ``math``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def link_from_answers(answers: Answers) -> dict[str, str]:
    """The share-link parameters for ``answers`` (every answered field, canonical text)."""
    return {name: shown_value(value) for name, value in answers.model_dump(mode="json").items()
            if value is not None}


def app_link(base: str, answers: Answers) -> str:
    """The address that opens ``answers`` in the app at ``base`` (its root, or any page of it):
    ``https://advisor.example.com/?task_type=math&…``."""
    root = base.split("?", 1)[0].split("#", 1)[0]
    return f"{root}?{urlencode(link_from_answers(answers))}"


@cache
def _field_type(name: str, *, as_read: bool = False) -> TypeAdapter:
    """The answers model's type of field ``name`` (without its ``None``), with its config.

    ``as_read``: a whole-number field as a number, so that ``1e3`` reads as 1000 and ``-1.5``
    is told the question's range before being told it is not whole.
    """
    annotation = Answers.model_fields[name].annotation
    if isinstance(annotation, UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if as_read and annotation is int:
        annotation = float
    return TypeAdapter(annotation,
                       config=ConfigDict(allow_inf_nan=Answers.model_config["allow_inf_nan"]))


def _coerced(name: str, raw: str, value: Any, *, as_read: bool = False
             ) -> tuple[Any, str | None]:
    """``value`` as field ``name``'s type (see :func:`_field_type`), or None and why not."""
    try:
        return _field_type(name, as_read=as_read).validate_python(value), None
    except ValidationError as exc:
        return None, _link_wording(name, raw, exc.errors()[0])


def _link_wording(name: str, raw: str, error: dict) -> str:
    template = _LINK_WORDING.get(error["type"], "'{name}': {msg}")
    options = ", ".join(map(str, field_options(name) or []))
    return template.format(name=name, raw=quoted(raw), options=options, msg=error["msg"])


def _model_problem(name: str, value: Any, rules: RuleSet) -> str | None:
    """What the answers model says of ``value`` as field ``name``, beyond its type, if anything.

    Why only the field's own errors: the other answers are the defaults, and whether a
    measurement is complete is :func:`consistent`'s to settle once every parameter is read.
    """
    try:
        Answers.model_validate({**default_answers(rules), name: value})
    except ValidationError as exc:
        mine = [error for error in exc.errors() if tuple(error["loc"]) == (name,)]
        return describe_error(mine[0]) if mine else None
    return None


def _parse_parameter(name: str, raw: str, rules: RuleSet) -> tuple[Any, str | None]:
    """One link parameter as an answer value, or None and why it can't be used."""
    if (name in TOKEN_FIELDS + OPTIONAL_NUMBER_FIELDS + RULES_CHOICE_FIELDS
            and raw.strip().lower() in ("", "none")):
        return None, None  # optional: the task type's typical size, or not measured
    if name == "difficulty":
        return raw, None  # checked against the task type's levels once all are read
    if name == "measured_model":
        if raw not in [m.id for m in rules.models]:
            return None, f"'{name}' has no model tier {quoted(raw)}"
        return raw, None
    value, problem = _coerced(name, raw, raw, as_read=True)
    if problem:
        return None, problem
    bound = outside_range(rules.question(name), value)
    if bound is not None:
        words = "at least" if bound.end == "min" else "at most"
        return None, f"'{name}' must be {words} {bound.limit:g}, got {value:g}"
    value, problem = _coerced(name, raw, value)
    problem = problem or _model_problem(name, value, rules)
    return (None, problem) if problem else (_field_type(name).dump_python(value, mode="json"),
                                            None)


def answers_from_link(params: dict[str, str], rules: RuleSet
                      ) -> tuple[dict[str, Any], list[str]]:
    """Answers from a share link's parameters, with defaults for anything missing or bad.

    Args:
        params: the link's query parameters, name to raw text.
        rules: the rules in force (question ranges and defaults, task levels, model tiers).

    Returns:
        The answers (JSON-like values, by field) and one warning per parameter that was unknown
        or unusable, each naming it and the default used instead.
    """
    answers = default_answers(rules)
    warnings = []
    for name, raw in params.items():
        if name not in ANSWER_FIELDS:
            if not name.startswith("_") and name not in PAGE_PARAMETERS:
                warnings.append(f"Ignored unknown parameter {quoted(name)} in the link.")
            continue
        value, problem = _parse_parameter(name, raw, rules)
        if problem:
            warnings.append(f"{problem}; using the default ({shown_value(answers[name])}) "
                            "instead.")
        else:
            answers[name] = value
    answers, more = consistent(answers, rules)
    return answers, warnings + more


def consistent(values: dict[str, Any], rules: RuleSet) -> tuple[dict[str, Any], list[str]]:
    """``values`` with what cannot go together dropped, and why.

    A difficulty of another task type falls back to this task type's default; a measurement
    without its model or its accuracy is not used.
    """
    values, notes = dict(values), []
    task = rules.tasks.get(str(values.get("task_type")))
    level = values.get("difficulty")
    if task is not None and level is not None and level not in [lv.id for lv in
                                                                task.difficulties]:
        notes.append(f"'difficulty' has no level {quoted(str(level))} for "
                     f"{values['task_type']}; using the default ({task.default_difficulty}) "
                     "instead.")
        values["difficulty"] = None
    if (values.get("measured_model") is None) != (values.get("measured_accuracy") is None):
        notes.append("a measured model needs its measured accuracy (and the reverse); the "
                     "measurement is not used.")
        values.update(measured_model=None, measured_accuracy=None, measured_dispersion=None)
    elif values.get("measured_model") is None and values.get("measured_dispersion") is not None:
        values["measured_dispersion"] = None
    return values, notes


__all__ = ["Bound", "PAGE_PARAMETERS", "answers_from_link", "consistent", "default_answers",
           "link_from_answers", "outside_range", "quoted", "range_problems", "shown_value"]
