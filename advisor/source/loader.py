"""Load a rules directory into a validated :class:`RuleSet`, or list every problem in it.

Each top-level ``*.yaml`` file in the directory is a :class:`RulesFile`; sections from all files
are merged, then cross-checked (unknown questions, options and strategies, duplicate ids). Every
problem carries ``path:line``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor.errors import Problem, RulesError
from advisor.model.answers import (ANSWER_FIELDS, CONDITION_FIELDS, NUMERIC_FIELDS,
                                   RULES_CHOICE_FIELDS, TOKEN_FIELDS, Answers, field_options)
from advisor.model.limits import (MAX_CANDIDATES, MAX_DIRECTORY_VALUES, MAX_RULES, MAX_RULES_FILES,
                                  MAX_TESTS)
from advisor.model.rules import (BUDGET_FIELDS, Condition, Rule, RulesFile, RuleSet,
                                 fields_of)
from advisor.source.inputs import read_text
from advisor.source.messages import describe_error, did_you_mean, format_loc
from advisor.source.yamlsource import YamlDocument, parse_yaml

RULES_GLOBS = ("*.yaml", "*.yml")


@dataclass
class SourceFile:
    """One rules file: where it is, its text, its parsed document and its validated model."""

    path: str
    text: str
    doc: YamlDocument
    model: RulesFile | None = None


@dataclass
class Located:
    """A merged item and where it came from, so cross-checks can name the line."""

    item: Any
    source: SourceFile
    loc: tuple

    def problem(self, message: str, *sub: str | int, severity: str = "error") -> Problem:
        return Problem(self.source.path, self.source.doc.line_of(self.loc + sub), message,
                       severity)


def rules_files(directory: str | Path) -> list[Path]:
    """The rules files of a directory, in a stable order.

    Why everything but directories: a ``.yaml`` symlink to a device or to nothing is reported
    by the reader, not silently left out of the rules.
    """
    directory = Path(directory)
    return sorted({p for pattern in RULES_GLOBS for p in directory.glob(pattern)
                   if not p.is_dir()})


def rules_version(texts: dict[str, str]) -> str:
    """Short content hash of a rules directory: file names and contents, order-independent."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode() + b"\0")
    return digest.hexdigest()[:12]


def read_sources(directory: str | Path, *, overrides: dict[str, str] | None = None
                 ) -> tuple[list[SourceFile], list[Problem]]:
    """Read and parse every rules file; ``overrides`` maps a file name to replacement text.

    Why overrides: the app's sandbox previews an edited file without writing it to disk.
    """
    directory = Path(directory)
    overrides = dict(overrides or {})
    if not directory.is_dir():
        return [], [Problem(str(directory), 0, "rules directory not found")]
    sources, problems = [], []
    names = {p.name: p for p in rules_files(directory)}
    if len(set(names) | set(overrides)) > MAX_RULES_FILES:
        return [], [Problem(str(directory), 0, f"{len(set(names) | set(overrides)):,} rules "
                                               f"files (*.yaml); the limit is {MAX_RULES_FILES}")]
    values = 0
    for name in sorted(set(names) | set(overrides)):
        path = str(directory / name)
        if name in overrides:
            text = overrides[name]
        else:
            text, read_problems = read_text(names[name], what="rules file")
            if text is None:
                problems += read_problems
                continue
        doc = parse_yaml(text, path)
        problems += doc.problems
        values += doc.values
        if values > MAX_DIRECTORY_VALUES:
            problems.append(Problem(str(directory), 0, f"the rules files hold more than "
                                                       f"{MAX_DIRECTORY_VALUES:,} values in all; "
                                                       "stopped reading at " + name))
            break
        if not doc.problems:
            sources.append(SourceFile(path, text, doc))
    if not names and not overrides:
        problems.append(Problem(str(directory), 0, "no rules files (*.yaml) in this directory"))
    return sources, problems


def _validate_file(source: SourceFile) -> list[Problem]:
    data = source.doc.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [Problem(source.path, 1, "a rules file must be a mapping with sections such as "
                                        "'rules:', 'strategies:' or 'models:'")]
    try:
        source.model = RulesFile.model_validate(data)
    except ValidationError as exc:
        return [Problem(source.path, source.doc.line_of(tuple(err["loc"])),
                        describe_error(err, known=_known_keys(err["loc"])))
                for err in exc.errors()]
    return []


def _known_keys(loc: tuple) -> list[str]:
    """Key names valid beside the last element of ``loc``, for "did you mean" suggestions."""
    model: type[BaseModel] | None = RulesFile
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            field = next((f for f in model.model_fields.values() if f.alias == part), None)
        model = _inner_model(field.annotation) if field else None
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _items(sources: list[SourceFile], section: str) -> Iterator[Located]:
    for source in sources:
        value = getattr(source.model, section)
        if value is None:
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                yield Located((key, item), source, (section, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield Located(item, source, (section, index))
        else:
            yield Located(value, source, (section,))


def _unique(located: list[Located], key, what: str) -> list[Problem]:
    problems, seen = [], {}
    for entry in located:
        name = key(entry.item)
        if name in seen:
            first = seen[name]
            problems.append(entry.problem(
                f"duplicate {what} '{name}' (first defined at {first.source.path}:"
                f"{first.source.doc.line_of(first.loc)})"))
        else:
            seen[name] = entry
    return problems


def _check_condition(cond: Condition, where: Located, sub: tuple) -> list[Problem]:
    problems = []
    for kind in ("all", "any"):
        for index, child in enumerate(getattr(cond, kind) or []):
            problems += _check_condition(child, where, sub + (kind, index))
    if cond.not_ is not None:
        problems += _check_condition(cond.not_, where, sub + ("not",))
    if cond.field is None:
        return problems
    if cond.field not in CONDITION_FIELDS:
        return problems + [where.problem(
            f"unknown question '{cond.field}'{did_you_mean(cond.field, CONDITION_FIELDS)}; "
            f"known: {', '.join(CONDITION_FIELDS)}", *sub, "field")]
    options = field_options(cond.field)
    for op, value in cond.operators.items():
        if op in ("lt", "le", "gt", "ge"):
            if cond.field not in NUMERIC_FIELDS + TOKEN_FIELDS:
                problems.append(where.problem(
                    f"'{op}' compares numbers, but '{cond.field}' is not numeric; "
                    "use eq, ne, in or not_in", *sub, op))
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if options is None:
                if isinstance(item, bool) or not isinstance(item, (int, float)):
                    problems.append(where.problem(
                        f"'{cond.field}' is numeric; {item!r} is not a number", *sub, op))
            elif item not in options or isinstance(item, bool) != isinstance(options[0], bool):
                shown = ", ".join(str(o).lower() if isinstance(o, bool) else str(o)
                                  for o in options)
                problems.append(where.problem(
                    f"unknown option {item!r} for '{cond.field}'"
                    f"{did_you_mean(item, [str(o) for o in options])}; options: {shown}",
                    *sub, op))
    return problems


# Fields a rule that changes the quality model may test: quality must not depend on budgets.
QUALITY_CONDITION_FIELDS = ("task_type", "verifiability", "knowledge_source", "needs_calibration",
                            "high_stakes")


def _grows_with_budget(cond: Condition, negated: bool = False) -> list[str]:
    """Budget tests in ``cond`` that can switch it on as a budget grows ("ge 10", "not lt 10").

    Why: a constraint that starts to hold at a larger budget would make more budget give worse
    advice; a constraint may only stop holding as budgets grow.
    """
    if cond.all is not None or cond.any is not None:
        return [t for c in (cond.all or cond.any) for t in _grows_with_budget(c, negated)]
    if cond.not_ is not None:
        return _grows_with_budget(cond.not_, not negated)
    if cond.field not in BUDGET_FIELDS:
        return []
    (op, value), = cond.operators.items()
    if cond.field == "training_run_feasible":
        holds_when_feasible = {"eq": value is True, "ne": value is False}.get(op)
        switches_on = True if holds_when_feasible is None else holds_when_feasible != negated
    elif op in ("lt", "le"):
        switches_on = negated
    elif op in ("gt", "ge"):
        switches_on = not negated
    else:
        switches_on = True  # an equality test on a budget is not monotone
    shown = (str(value).lower() if isinstance(value, bool)
             else f"{value:g}" if isinstance(value, float) else value)
    return [f"{'not ' if negated else ''}{cond.field} {op} {shown}"] if switches_on else []


def _check_effects(rule: Rule, where: Located) -> list[Problem]:
    problems = []
    if rule.exclude or rule.require:
        for test in _grows_with_budget(rule.when):
            problems.append(where.problem(
                f"rule '{rule.id}' excludes or requires options when {test}: a constraint that "
                "can switch on as a budget grows would make more budget give worse advice; "
                "test budgets with lt or le in rules that exclude or require", "when"))
    if rule.inference_gain is not None:
        other = sorted(fields_of(rule.when) - set(QUALITY_CONDITION_FIELDS))
        if other:
            problems.append(where.problem(
                f"rule '{rule.id}' changes the quality model (inference_gain) but tests "
                f"{', '.join(other)}; such rules may test only "
                f"{', '.join(QUALITY_CONDITION_FIELDS)}, so quality never depends on a budget",
                "when"))
    return problems


def _test_count(rules: list[Located]) -> list[Problem]:
    """A problem at the rule whose tests take the directory past :data:`MAX_TESTS`."""
    total = 0
    for rule in rules:
        total += sum(cond.field is not None for cond in rule.item.when.walk())
        if total > MAX_TESTS:
            return [rule.problem(f"the rules up to this one hold {total:,} tests in all; the "
                                 f"limit is {MAX_TESTS:,} for the whole directory", "when")]
    return []


def _candidate_count(strategies: list[Located], models: list[Located], training: list[Located]
                     ) -> list[Problem]:
    """A problem when strategies × parameter values × served tiers are too many to estimate."""
    options = training[0].item.options if training else []

    def variants(tier) -> int:
        # Every size of every run the tier can take (any verifiability); where calibration is
        # required each is served calibrated instead, so the count stays the same.
        return 1 + sum(len(o.sizes) for o in options if o.kind != "calibration"
                       and tier.fine_tune is not None and (o.tiers is None or tier.id in o.tiers))

    # A reasoning tier serves each strategy at three thinking efforts.
    servings = sum(variants(m.item) * (3 if m.item.reasoning else 1) for m in models)
    per_strategy = [math.prod(len(v) for v in s.item.parameters.values()) for s in strategies]
    count = sum(per_strategy) * servings
    if count <= MAX_CANDIDATES:
        return []
    largest = strategies[per_strategy.index(max(per_strategy))]
    return [largest.problem(f"{count:,} candidate configurations (strategies × parameter values "
                            f"× served tiers, trained variants included); the limit is "
                            f"{MAX_CANDIDATES:,}", "parameters")]


def _check_benchmarks(models: list[Located], tasks: list[Located], benchmarks: list[Located]
                      ) -> list[Problem]:
    """Scores name known benchmarks; every level's benchmark exists and fits its task's family;
    every tier is placed in every family a task uses (one score there at least)."""
    problems: list[Problem] = []
    known = {name: bench for name, bench in (b.item for b in benchmarks)}
    names = list(known)
    for m in models:
        for name in m.item.scores:
            if name not in known and benchmarks:
                problems.append(m.problem(f"unknown benchmark '{name}' in scores"
                                          f"{did_you_mean(name, names)}; benchmarks: "
                                          f"{', '.join(names)}", "scores", name))
    used: set[str] = set()
    for t in tasks:
        task_type, profile = t.item
        used.add(profile.family)
        for index, level in enumerate(profile.difficulties):
            bench = known.get(level.benchmark)
            if bench is None and benchmarks:
                problems.append(t.problem(f"unknown benchmark '{level.benchmark}' for level "
                                          f"'{level.id}'{did_you_mean(level.benchmark, names)}",
                                          "difficulties", index, "benchmark"))
            elif not any(level.benchmark in m.item.scores for m in models):
                problems.append(t.problem(
                    f"level '{level.id}' of '{task_type}' is anchored on {bench.name}, which no "
                    f"model tier has a score for; add one to some tier's scores",
                    "difficulties", index, "benchmark"))
            elif bench is not None and bench.family != profile.family:
                problems.append(t.problem(
                    f"level '{level.id}' of '{task_type}' is anchored on {bench.name}, a "
                    f"{bench.family} benchmark, but the task type is {profile.family} work",
                    "difficulties", index, "benchmark"))
    for m in models:
        families = {known[name].family for name in m.item.scores if name in known}
        for family in sorted(used - families):
            if benchmarks:
                problems.append(m.problem(f"model '{m.item.id}' has no score on any {family} "
                                          f"benchmark, so it cannot be placed for {family} work",
                                          "scores"))
    return problems


_SECTIONS = ("questions", "rules", "strategies", "models", "families", "benchmarks", "tasks",
            "settings", "economics", "training")
"""The sections of a rules file, merged across the directory's files."""


def _cross_check(sources: list[SourceFile]) -> tuple[dict, list[Problem]]:
    """The sections of all files merged into :class:`RuleSet` fields, and what is wrong across
    files (each problem at the line of the item that causes it)."""
    found = {section: list(_items(sources, section)) for section in _SECTIONS}
    first_path = sources[0].path if sources else "rules"
    problems = _check_shape(found, first_path)
    problems += _check_questions(found["questions"], first_path)
    if found["questions"] and not problems:
        problems += _check_defaults(found["questions"])
    problems += _check_rules(found["rules"], found["strategies"])
    problems += _check_tasks(found["tasks"], found["families"])
    problems += _check_benchmarks(found["models"], found["tasks"], found["benchmarks"])
    problems += _check_training(found["training"], found["models"])
    problems += _check_first_stages(found["strategies"], found["models"])
    problems += _check_without_thinking(found["models"])
    return _merged(found), problems


def _check_shape(found: dict[str, list[Located]], first_path: str) -> list[Problem]:
    """Ids unique across files, one settings and economics, limits kept, no section missing."""
    problems = _unique(found["questions"], lambda q: q.field, "question for field")
    problems += _unique(found["rules"], lambda r: r.id, "rule id")
    problems += _unique(found["strategies"], lambda s: s.id, "strategy id")
    problems += _unique(found["models"], lambda m: m.id, "model id")
    problems += _unique(found["families"], lambda kv: kv[0], "family")
    problems += _unique(found["benchmarks"], lambda kv: kv[0], "benchmark")
    problems += _unique(found["tasks"], lambda kv: kv[0], "task type")
    for section in ("settings", "economics", "training"):
        problems += [entry.problem(f"'{section}' is defined in more than one file")
                     for entry in found[section][1:]]
    rules = found["rules"]
    if len(rules) > MAX_RULES:
        problems.append(rules[MAX_RULES].problem(f"{len(rules):,} rules in the directory; the "
                                                 f"limit is {MAX_RULES}"))
    problems += _test_count(rules)
    problems += _candidate_count(found["strategies"], found["models"], found["training"])
    for section in ("settings", "strategies", "models", "families", "tasks", "benchmarks",
                    "questions"):
        if not found[section]:
            problems.append(Problem(first_path, 0, f"no file defines '{section}'"))
    return problems


def _check_questions(questions: list[Located], first_path: str) -> list[Problem]:
    """One question per answer field, its options exactly the field's options."""
    problems: list[Problem] = []
    for q in questions:
        question = q.item
        if question.field not in ANSWER_FIELDS:
            problems.append(q.problem(f"unknown question field '{question.field}'"
                                      f"{did_you_mean(question.field, ANSWER_FIELDS)}", "field"))
            continue
        options = field_options(question.field)
        given = [o.value for o in question.options or []]
        if question.field in RULES_CHOICE_FIELDS and given:
            problems.append(q.problem(f"'{question.field}' takes its options from the rules "
                                      "(difficulty levels, model tiers); list none here",
                                      "options"))
        elif options is None and given:
            problems.append(q.problem(f"'{question.field}' is numeric and takes no options",
                                      "options"))
        elif options is not None:
            for index, value in enumerate(given):
                if value not in options:
                    problems.append(q.problem(
                        f"unknown option {value!r} for '{question.field}'"
                        f"{did_you_mean(value, [str(o) for o in options])}",
                        "options", index, "value"))
            for value in options:
                if value not in given:
                    problems.append(q.problem(f"question '{question.field}' has no option "
                                              f"{value!r}", "options"))
    asked = {q.item.field for q in questions}
    for name in ANSWER_FIELDS:
        if questions and name not in asked:
            problems.append(Problem(first_path, 0, f"no question asks for '{name}'"))
    return problems


def _check_defaults(questions: list[Located]) -> list[Problem]:
    """The questions' defaults together make valid answers.

    Why only when nothing else is wrong: with a question missing or an option unknown, the
    defaults fail for that reason again, in words that say less.
    """
    defaults = {q.item.field: q.item.default for q in questions}
    try:
        Answers.model_validate(defaults)
    except ValidationError as exc:
        return [next(q for q in questions if q.item.field == err["loc"][0])
                .problem("default: " + describe_error(err), "default") for err in exc.errors()]
    return []


def _check_rules(rules: list[Located], strategies: list[Located]) -> list[Problem]:
    """Conditions on known questions and options; effects on known strategies."""
    problems: list[Problem] = []
    strategy_ids = [s.item.id for s in strategies]
    for r in rules:
        problems += _check_condition(r.item.when, r, ("when",))
        problems += _check_effects(r.item, r)
        for index, sid in enumerate(r.item.exclude):
            if sid not in strategy_ids:
                problems.append(r.problem(
                    f"unknown strategy '{sid}' in 'exclude'{did_you_mean(sid, strategy_ids)}; "
                    f"strategies: {', '.join(strategy_ids)}", "exclude", index))
    return problems


def _check_tasks(tasks: list[Located], families: list[Located]) -> list[Problem]:
    """A profile for every task type, each in a family that exists."""
    problems: list[Problem] = []
    family_names = [name for name, _ in (f.item for f in families)]
    if tasks:
        covered = {name for name, _ in (t.item for t in tasks)}
        for name in field_options("task_type"):
            if name not in covered:
                problems.append(Problem(tasks[0].source.path,
                                        tasks[0].source.doc.line_of(("tasks",)),
                                        f"tasks has no profile for task type '{name}'"))
    for t in tasks:
        if t.item[1].family not in family_names and families:
            problems.append(t.problem(f"unknown family '{t.item[1].family}'", "family"))
    return problems


def _check_training(training: list[Located], models: list[Located]) -> list[Problem]:
    """Training options name tiers that exist and can take them; a teacher is a known tier."""
    if not training:
        return []
    entry = training[0]
    tiers = {m.item.id: m.item for m in models}
    problems = []
    for index, option in enumerate(entry.item.options):
        for tier_index, tier_id in enumerate(option.tiers or []):
            tier = tiers.get(tier_id)
            if tier is None:
                problems.append(entry.problem(
                    f"training option '{option.id}' names unknown tier '{tier_id}'"
                    f"{did_you_mean(tier_id, list(tiers))}", "options", index, "tiers",
                    tier_index))
            elif option.kind != "calibration" and tier.fine_tune is None:
                problems.append(entry.problem(
                    f"training option '{option.id}' names tier '{tier_id}', which has no "
                    "fine_tune block with its training prices", "options", index, "tiers",
                    tier_index))
        if option.teacher is not None and option.teacher not in tiers:
            problems.append(entry.problem(
                f"training option '{option.id}' has unknown teacher '{option.teacher}'"
                f"{did_you_mean(option.teacher, list(tiers))}", "options", index, "teacher"))
    return problems


def _check_first_stages(strategies: list[Located], models: list[Located]) -> list[Problem]:
    """A cascade's first stages are known tiers."""
    tiers = [m.item.id for m in models]
    return [s.problem(f"strategy '{s.item.id}' has unknown first stage '{tier}'"
                      f"{did_you_mean(tier, tiers)}", "first_stages", index)
            for s in strategies for index, tier in enumerate(s.item.first_stages)
            if tiers and tier not in tiers]


def _check_without_thinking(models: list[Located]) -> list[Problem]:
    """A reasoning tier's scores without thinking sit beside its normal-setting scores."""
    problems = []
    for m in models:
        tier = m.item
        if tier.without_thinking is None:
            continue
        if not tier.reasoning:
            problems.append(m.problem(f"model '{tier.id}' is not a reasoning tier, so it has "
                                      "no scores without thinking", "without_thinking"))
        for name, score in tier.without_thinking.scores.items():
            if name not in tier.scores:
                problems.append(m.problem(
                    f"without_thinking score on '{name}', which model '{tier.id}' has no "
                    "normal-setting score on", "without_thinking", "scores", name))
            elif score > tier.scores[name]:
                problems.append(m.problem(
                    f"without_thinking score {score:g} on '{name}' is above the tier's "
                    f"{tier.scores[name]:g} with thinking", "without_thinking", "scores", name))
    return problems


def _merged(found: dict[str, list[Located]]) -> dict[str, Any]:
    """The :class:`RuleSet` fields: every file's items of each section, in file order."""
    settings, economics = found["settings"], found["economics"]
    return {
        "questions": [q.item for q in found["questions"]],
        "rules": [r.item for r in found["rules"]],
        "strategies": [s.item for s in found["strategies"]],
        "models": [m.item for m in found["models"]],
        "families": dict(f.item for f in found["families"]),
        "benchmarks": dict(b.item for b in found["benchmarks"]),
        "tasks": {str(k): v for k, v in (t.item for t in found["tasks"])},
        "settings": settings[0].item if settings else None,
        "economics": economics[0].item if economics else None,
        **({"training": found["training"][0].item} if found["training"] else {}),
    }


def inspect_rules(directory: str | Path, *, overrides: dict[str, str] | None = None
                  ) -> tuple[RuleSet | None, list[Problem], list[SourceFile]]:
    """Load a rules directory without raising: the rule set (None if any error) and problems."""
    sources, problems = read_sources(directory, overrides=overrides)
    for source in sources:
        problems += _validate_file(source)
    valid = [s for s in sources if s.model is not None]
    if problems:
        return None, sorted(set(problems)), sources
    merged, cross = _cross_check(valid)
    if cross:
        return None, sorted(set(cross)), sources
    ruleset = RuleSet(**merged,
                      version=rules_version({Path(s.path).name: s.text for s in valid}),
                      files=[s.path for s in valid])
    return ruleset, [], sources


def load_rules(directory: str | Path = "rules", *, overrides: dict[str, str] | None = None
               ) -> RuleSet:
    """Load and validate a rules directory.

    Args:
        directory: folder holding the rules ``*.yaml`` files.
        overrides: file name → text to use instead of the file on disk (not written).

    Raises:
        RulesError: listing every problem, each as ``path:line: message``.
    """
    ruleset, problems, _ = inspect_rules(directory, overrides=overrides)
    if ruleset is None:
        raise RulesError(problems)
    return ruleset


__all__ = ["inspect_rules", "load_rules", "rules_files", "rules_version",
           "format_loc"]
