"""Same answers and rules, same bytes; the rules version follows the rules files' content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor import load_answers, load_rules, recommend
from advisor.analysis.full import analyse
from advisor.render.report import to_json
from helpers import EXAMPLES_DIR, RULES_DIR, run_cli

EXAMPLES = sorted(p.name for p in EXAMPLES_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def two_loads():
    """The default rules loaded twice, independently (no shared candidate cache)."""
    return load_rules(RULES_DIR), load_rules(RULES_DIR)


@pytest.mark.parametrize("example", EXAMPLES)
def test_to_json_is_byte_identical_across_two_loads(two_loads, example):
    first, second = (to_json(recommend(load_answers(EXAMPLES_DIR / example), rules))
                     for rules in two_loads)
    assert first == second
    assert json.loads(first)["rules_version"] == two_loads[0].version


def test_answers_as_a_mapping_give_the_same_json_as_the_file(rules):
    answers = load_answers(EXAMPLES_DIR / "bank-compliance-review.yaml")
    from_file = to_json(recommend(answers, rules))
    from_mapping = to_json(recommend(answers.model_dump(mode="json"), rules))
    assert from_file == from_mapping


def test_cli_output_is_byte_identical_across_two_runs():
    args = ("recommend", "--answers", "examples/competition-math.yaml", "--rules", "rules")
    first, second = run_cli(*args), run_cli(*args)
    assert first.returncode == second.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    # The CLI runs the full analysis (recommendation, break-even, what would change it).
    assert first.stdout == to_json(analyse(load_answers(EXAMPLES_DIR / "competition-math.yaml"),
                                           load_rules(RULES_DIR)))


def test_rules_version_is_stable_when_nothing_changes(rules_copy: Path):
    # A copy elsewhere has the same files and contents, so the same version.
    assert load_rules(rules_copy).version == load_rules(RULES_DIR).version
    assert load_rules(rules_copy).version == load_rules(rules_copy).version


@pytest.mark.parametrize("edit", [
    pytest.param(lambda text: text + "# a comment is content too\n", id="comment-appended"),
    pytest.param(lambda text: text.replace("weight: 2", "weight: 3", 1), id="weight-changed"),
])
def test_rules_version_changes_with_a_file_s_content(rules_copy: Path, edit):
    before = load_rules(rules_copy).version
    path = rules_copy / "rules.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(edit(original), encoding="utf-8")
    changed = load_rules(rules_copy).version
    assert changed != before
    path.write_text(original, encoding="utf-8")
    assert load_rules(rules_copy).version == before


def test_rules_version_changes_with_a_file_s_name(rules_copy: Path):
    before = load_rules(rules_copy).version
    (rules_copy / "settings.yaml").rename(rules_copy / "zz-settings.yaml")
    assert load_rules(rules_copy).version != before


def test_rules_version_follows_an_override_without_touching_disk(rules_copy: Path):
    text = (rules_copy / "rules.yaml").read_text(encoding="utf-8")
    before = load_rules(rules_copy).version
    assert load_rules(rules_copy, overrides={"rules.yaml": text}).version == before
    assert load_rules(rules_copy, overrides={"rules.yaml": text + "\n"}).version != before
    assert (rules_copy / "rules.yaml").read_text(encoding="utf-8") == text


def test_rules_version_reaches_the_report(rules_copy: Path):
    answers = load_answers(EXAMPLES_DIR / "support-faq-bot.yaml")
    before = recommend(answers, load_rules(rules_copy)).rules_version
    path = rules_copy / "models.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# re-read on 2026-11-29\n",
                    encoding="utf-8")
    after = recommend(answers, load_rules(rules_copy)).rules_version
    assert before != after
