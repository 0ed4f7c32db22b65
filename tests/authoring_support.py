"""Helpers for the rule-authoring tests: a scratch copy of the rules, golden-file comparison."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
GOLDEN = Path(__file__).resolve().parent / "golden"
ALL_TASKS = ("[math, formal_verification, multi_step_reasoning, code_generation, knowledge_qa, "
             "classification, creative_writing, open_ended_explanation, nuanced_judgment]")


def copy_rules(target: Path, *, rules_yaml: str | None = None, scenarios: bool = True) -> Path:
    """Copy the default rules to ``target`` (and examples/ beside it, which scenarios read).

    Optionally replace rules.yaml's text, or leave out the scenarios (``tests/``).
    """
    shutil.copytree(RULES, target, ignore=None if scenarios else shutil.ignore_patterns("tests"))
    if scenarios and not (target.parent / "examples").exists():
        shutil.copytree(ROOT / "examples", target.parent / "examples")
    if rules_yaml is not None:
        (target / "rules.yaml").write_text(rules_yaml, encoding="utf-8")
    return target


def check_golden(request: pytest.FixtureRequest, name: str, text: str) -> None:
    """Compare ``text`` with tests/golden/<name>; ``pytest --update-golden`` rewrites it."""
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8")
