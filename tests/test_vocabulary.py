"""Ids become the words the rules give them; an id the rules no longer name still reads as
words."""

from __future__ import annotations

import pytest

from advisor.render.vocabulary import Vocabulary, humanise
from advisor.render.wording import answer_text, in_sentence


@pytest.fixture(scope="module")
def vocabulary(rules):
    return Vocabulary.of(rules)


@pytest.mark.parametrize(("field", "value", "label"), [
    ("task_type", "multi_step_reasoning", "Multi-step reasoning"),
    ("task_type", "knowledge_qa", "Knowledge Q&A"),
    ("verifiability", "external_judge", "Only by a judge"),
    ("needs_calibration", True, "Yes"),
    ("task_type", "retired_task", "Retired task"),
])
def test_answer_values_read_as_their_labels(vocabulary, field, value, label):
    assert vocabulary.option(field, value) == label
    assert answer_text(field, value, vocabulary) == label


def test_strategies_and_models_read_as_their_names(vocabulary, rules):
    assert vocabulary.strategy("best_of_n_verifier") == rules.strategy("best_of_n_verifier").name
    assert vocabulary.model("llama-3.1-8b") == rules.model("llama-3.1-8b").name
    assert vocabulary.strategy("gone_strategy") == "Gone strategy"
    assert Vocabulary.of(rules) is vocabulary  # built once per rule set


def test_rule_effects_name_strategies(vocabulary, rules):
    names = [rules.strategy(i).name for i in ("tree_search", "iterative_refinement")]
    assert vocabulary.effects(["excludes tree_search, iterative_refinement", "adds a caveat"]) == (
        f"excludes {names[0]}, {names[1]}; adds a caveat")


@pytest.mark.parametrize(("label", "text"), [("Multi-step reasoning", "multi-step reasoning"),
                                             ("Knowledge Q&A", "knowledge Q&A"),
                                             ("GPT-5", "GPT-5")])
def test_labels_inside_sentences(label, text):
    assert in_sentence(label) == text


def test_humanise_is_the_last_resort():
    assert humanise("multi_step_reasoning") == "Multi step reasoning"


def test_difficulty_levels_read_as_their_task_types_labels(vocabulary, rules):
    """Level ids repeat across task types ('everyday'), each with its own label and benchmark."""
    for task_type in ("multi_step_reasoning", "creative_writing"):
        level = rules.tasks[task_type].level("everyday")
        assert vocabulary.level(task_type, "everyday").label == level.label
        assert answer_text("difficulty", "everyday", vocabulary,
                           task_type=task_type) == level.label
    assert (vocabulary.level("multi_step_reasoning", "everyday").label
            != vocabulary.level("creative_writing", "everyday").label)
    default = rules.tasks["math"].level(None)
    assert vocabulary.level("math", None).benchmark == rules.benchmarks[default.benchmark].name
    assert answer_text("difficulty", None, vocabulary, task_type="math") == (
        f"{default.label} (the task type's default)")
    assert vocabulary.level("math", "retired_level").label == "Retired level"


@pytest.mark.parametrize(("field", "value", "text"), [
    ("measured_model", "llama-3.1-8b", None),
    ("measured_model", None, "not measured"),
    ("measured_accuracy", 0.6254, "62.5%"),
    ("measured_accuracy", None, "not measured"),
    ("measured_dispersion", 3.7312, "3.7"),
])
def test_measured_answers_read_as_words_and_formatted_numbers(vocabulary, rules, field, value,
                                                              text):
    expected = rules.model(value).name if text is None else text
    assert answer_text(field, value, vocabulary) == expected
