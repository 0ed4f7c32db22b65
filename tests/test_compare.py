"""Comparison data, exports and share links (library half; the app half is in
test_compare_page)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from advisor import load_answers, load_rules
from advisor.analysis.compare import (NamedScenario, compare, decode_scenarios, encode_scenarios,
                                      to_json)
from advisor.render.comparison import differences
from advisor.render.comparison import answers_table, results_table, to_markdown
from advisor.analysis.full import analyse
from advisor.errors import AnswersError
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import configuration_text, verdict_label

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules(ROOT / "rules")
VOCABULARY = Vocabulary.of(RULES)
MATH = load_answers(ROOT / "examples" / "competition-math.yaml")
FAQ = load_answers(ROOT / "examples" / "support-faq-bot.yaml")


def scenarios() -> list[NamedScenario]:
    return [NamedScenario(name="Math", answers=MATH),
            NamedScenario(name="Math | fast",
                          answers=MATH.model_copy(update={"latency_budget_s": 5})),
            NamedScenario(name="FAQ", answers=FAQ)]


def test_rows_line_up_with_the_scenarios():
    comparison = compare(scenarios(), RULES)
    rows = {row.label: row for row in answers_table(comparison, VOCABULARY).rows}
    assert rows["Latency budget"].cells == ["5 min", "5 s", "0.8 s"]
    assert rows["Latency budget"].differs
    assert rows["Task type"].cells == ["Math", "Math", "Knowledge Q&A"]
    results = {row.label: row for row in results_table(comparison).rows}
    expected = [analyse(s.answers, RULES) for s in scenarios()]
    assert results["Verdict"].cells == [verdict_label(r) for r in expected]
    assert results["Configuration"].cells[0] == configuration_text(expected[0])
    assert [r.strategy for r in comparison.results] == [
        analyse(s.answers, RULES).strategy for s in scenarios()]


def test_markdown_and_json_exports():
    comparison = compare(scenarios(), RULES)
    markdown = to_markdown(comparison, vocabulary=VOCABULARY)
    assert "|  | Math | Math \\| fast | FAQ |" in markdown
    verdicts = [verdict_label(analyse(s.answers, RULES)) for s in scenarios()]
    assert f"| Verdict | {' | '.join(verdicts)} |" in markdown
    data = json.loads(to_json(comparison))
    assert [s["name"] for s in data["scenarios"]] == ["Math", "Math | fast", "FAQ"]
    assert data["results"][2]["break_even"]["outcome"] == "inference_unreachable"


@pytest.mark.parametrize(("count", "message"), [
    (1, "compare 2 to 4 scenarios; got 1"), (5, "compare 2 to 4 scenarios; got 5")])
def test_two_to_four_scenarios(count, message):
    many = [NamedScenario(name=f"S{i}", answers=MATH) for i in range(count)]
    with pytest.raises(AnswersError) as err:
        compare(many, RULES)
    assert [p.message for p in err.value.problems] == [message]


def test_names_must_differ():
    with pytest.raises(AnswersError) as err:
        compare([NamedScenario(name="A", answers=MATH), NamedScenario(name="A", answers=FAQ)],
                RULES)
    assert [p.message for p in err.value.problems] == ["scenario names must differ; repeated: A"]


def test_share_link_round_trip():
    link = encode_scenarios(scenarios())
    assert link.isascii() and "=" not in link
    assert decode_scenarios(link) == scenarios()


@pytest.mark.parametrize(("text", "message"), [
    ("%%%", "the comparison link is damaged: it does not decode; ask for a new link"),
    ("bm90IGpzb24", "the comparison link is damaged: it does not decode; ask for a new link"),
    ("W10",  # base64 of []
     "the comparison link must carry 2 to 4 named scenarios"),
    ("x" * 5000, "the comparison link is too long (5,000 characters; at most 4,000)"),
])
def test_damaged_links(text, message):
    with pytest.raises(AnswersError) as err:
        decode_scenarios(text)
    assert [p.message for p in err.value.problems] == [message]


def test_a_link_with_bad_answers_names_the_scenario():
    payload = json.dumps([["A", MATH.model_dump(mode="json")],
                          ["B", {**MATH.model_dump(mode="json"), "latency_budget_s": -1}]])
    text = base64.urlsafe_b64encode(payload.encode()).decode()
    with pytest.raises(AnswersError) as err:
        decode_scenarios(text)
    assert [str(p).split(":")[0] for p in err.value.problems] == ["comparison link, scenario 2"]
    assert "latency_budget_s" in err.value.problems[0].message


def test_differences_between_a_frozen_and_a_fresh_result():
    before = analyse(MATH, RULES)
    assert differences(before, before) == []
    after = analyse(MATH.model_copy(update={"budget_per_query_usd": 0.05}), RULES)
    changed = {d.label: (d.before, d.after) for d in differences(before, after)}
    assert configuration_text(before) != configuration_text(after)
    assert changed["Configuration"] == (configuration_text(before), configuration_text(after))
    assert "Rules version" not in changed
