"""The advisor page in AppTest: heavy sections built only when their tab is open, the questions
in the page itself, and words wherever a chart would need a pointer."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from advisor import load_answers
from advisor.analysis.full import analyse
from advisor.render.chart_text import (cost_latency_summary, decision_map_lines,
                                       decision_map_summary)
from advisor.analysis.compare import NamedScenario, encode_scenarios
from advisor.engine.decide import decision_map
from advisor.render.markdown import md_escape
from helpers import EXAMPLES_DIR, open_tab, run_app

LINK = {"task_type": "multi_step_reasoning", "latency_budget_s": "30",
        "budget_per_query_usd": "0.5", "training_budget_usd": "20000",
        "verifiability": "external_judge", "queries_per_day": "2000"}
SECTION = "advisor_section"
# Words that need a mouse, or a screen wide enough to have a left side.
POINTER_WORDS = re.compile(r"\bhover|\bclick|\bmouse|on the left|\bleft side", re.IGNORECASE)

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


def charts(at: AppTest) -> dict[str, object]:
    """The page's plotly charts by key (a chart's element id ends with its key)."""
    return {c.proto.id.rsplit("-", 1)[-1]: c.proto for c in at.get("plotly_chart")}


def texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "info", "warning", "success", "error")
            for e in getattr(at, kind)]


def test_only_the_cost_chart_is_built_until_a_tab_asks_for_more(rules):
    at = run_app(LINK)
    assert [t.label for t in at.tabs] == ["What would change", "Break-even",
                                          "Training vs inference", "Decision map",
                                          "All candidates"]
    assert list(charts(at)) == ["cost_latency_chart"]
    assert not at.dataframe
    rec = analyse(LINK, rules)
    assert charts(at)["cost_latency_chart"].alt == cost_latency_summary(rec)
    open_tab(at, SECTION, "Decision map")
    assert list(charts(at)) == ["cost_latency_chart", "decision_map_chart"]
    dmap = decision_map(rec.answers, rules)
    assert charts(at)["decision_map_chart"].alt == decision_map_summary(dmap, rec)
    lines = decision_map_lines(dmap, rec)
    assert any(all(line.replace("$", "\\$") in m for line in lines) for m in texts(at))
    open_tab(at, SECTION, "All candidates")
    assert list(charts(at)) == ["cost_latency_chart"]
    assert len(at.dataframe[0].value) == len(rec.estimates)


def test_a_map_of_one_colour_is_said_in_words():
    # A labelling workload with a training budget: a fine-tune wins at every latency and price.
    labels = {"task_type": "classification", "latency_budget_s": "0.8",
              "budget_per_query_usd": "0.001", "training_budget_usd": "5000",
              "verifiability": "none", "queries_per_day": "50000"}
    at = open_tab(run_app(labels), SECTION, "Decision map")
    assert "decision_map_chart" not in charts(at)
    assert any(i.value.endswith("A map of one colour would show nothing more, so none is drawn.")
               for i in at.info)


def test_the_questions_are_in_the_page_not_behind_the_sidebar():
    at = run_app(LINK)
    assert not at.sidebar.number_input and not at.sidebar.selectbox
    assert at.main.number_input(key="latency_budget_s").value == 30.0
    assert at.main.selectbox(key="_preset") is not None
    assert at.header[0].value == "Your situation"


def test_the_frontier_is_listed_in_words_for_touch_screens(rules):
    at = run_app(LINK)
    rec = analyse(LINK, rules)
    expander = next(e for e in at.expander if e.label.startswith(
        "The recommendation and the frontier, in words"))
    assert expander.markdown[0].value.count("\n- ") + 1 == int(expander.label[-2])
    assert "Recommended: " in expander.markdown[0].value
    assert rec.chosen.model_name.split(" ")[0] in expander.markdown[0].value


def _page(name: str) -> None:
    import importlib

    importlib.import_module(f"ui.pages.{name}").render()


@pytest.mark.parametrize("tab", [None, "Break-even", "Training vs inference", "Decision map",
                                 "All candidates"])
def test_no_words_that_assume_a_mouse_or_a_left_side_on_the_advisor(tab):
    at = run_app(LINK)
    if tab:
        open_tab(at, SECTION, tab)
    assert [t for t in texts(at) if POINTER_WORDS.search(t)] == []


@pytest.mark.parametrize("page", ["compare", "decisions", "rules", "about"])
def test_no_words_that_assume_a_mouse_or_a_left_side_on_other_pages(page):
    at = AppTest.from_function(_page, args=(page,), default_timeout=60)
    at.query_params["compare"] = encode_scenarios([  # two scenarios: the chart and its words
        NamedScenario(name="Bank", answers=LINK),
        NamedScenario(name="FAQ", answers=load_answers(EXAMPLES_DIR / "support-faq-bot.yaml"))])
    at.run()
    assert not at.exception
    assert [t for t in texts(at) if POINTER_WORDS.search(t)] == []


def test_your_eval_chart_has_its_words_and_is_built_once_per_fit(rules, monkeypatch):
    """The eval section from issue 9: a text alternative, and an edit elsewhere reuses it."""
    from advisor.render.chart_text import eval_fit_summary
    from advisor.engine.evalfit import fit_eval, read_eval
    from ui.components import questionnaire as widgets

    built = []
    figure = widgets.eval_fit_figure
    monkeypatch.setattr(widgets, "eval_fit_figure",
                        lambda *args, **kwargs: built.append(1) or figure(*args, **kwargs))

    rows = "\n".join(f"p{i},4,{i % 5 if i % 5 <= 4 else 4}" for i in range(40))
    fit = fit_eval(*read_eval(f"problem_id,attempts,correct\n{rows}\n".encode(), name="e.csv"))
    at = run_app({**LINK, "measured_model": "gpt-4o-mini",
                  "measured_accuracy": str(fit.accuracy)})
    at.session_state[widgets.EVAL_FIT_KEY] = ("gpt-4o-mini", fit)
    at.run()
    assert not at.exception, at.exception
    summary = eval_fit_summary(fit, model_name=rules.model("gpt-4o-mini").name)
    assert charts(at)["eval_fit_chart"].alt == summary
    assert summary.startswith("Share of your 40 eval problems that ")
    at.number_input(key="latency_budget_s").set_value(12.0).run()
    assert "eval_fit_chart" in charts(at) and len(built) == 1


def test_an_eval_result_that_moves_the_answer_says_what_it_changed_from():
    """Issue 21: after an eval result the answer can move out of sight ($0.37 to $0.015); the
    page says from what to what, and an ordinary edit, which moves it in plain sight, clears
    the notice."""
    from advisor import load_rules
    from advisor.model.answers import Answers
    from advisor.source.links import answers_from_link
    from helpers import RULES_DIR
    from ui.pages.advise import answer_in_brief

    rules = load_rules(RULES_DIR)

    def answered(at):
        values, _ = answers_from_link(dict(at.query_params), rules)
        return analyse(Answers.model_validate(values), rules)

    at = run_app(LINK)
    before = answered(at)
    at.selectbox(key="measured_model").set_value("gpt-4o-mini")
    at.number_input(key="measured_accuracy").set_value(0.97).run()
    assert not at.exception, at.exception
    after = answered(at)
    assert answer_in_brief(after) != answer_in_brief(before)
    notices = [i.value for i in at.info if i.value.startswith("The answer changed")]
    assert notices == [md_escape(f"The answer changed with your eval result: from "
                                 f"{answer_in_brief(before)} to {answer_in_brief(after)}.")]
    at.number_input(key="latency_budget_s").set_value(2.0).run()
    assert not [i for i in at.info if i.value.startswith("The answer changed")]


@pytest.mark.parametrize("example", ["competition-math", "support-faq-bot"])
def test_the_app_and_the_report_draw_one_decision_map(rules, example):
    """Issue 21: one function, one meaning. The app's map (its default colouring) and the HTML
    report's are the same figure with the same summary, or, where the map has one colour, the
    same sentence and no chart."""
    from html import unescape

    from advisor.render.charts import decision_map_figure
    from advisor.render.html import MAP_COLOUR_BY, to_html
    from advisor.render.vocabulary import Vocabulary
    from advisor.source.links import link_from_answers

    answers = load_answers(EXAMPLES_DIR / f"{example}.yaml")
    rec = analyse(answers, rules)
    dmap = decision_map(answers, rules)
    names = dict(Vocabulary.of(rules).strategies)
    summary = decision_map_summary(dmap, rec, colour_by=MAP_COLOUR_BY, strategy_names=names)
    report = unescape(to_html(rec, vocabulary=Vocabulary.of(rules), dmap=dmap))
    at = open_tab(run_app(link_from_answers(answers)), SECTION, "Decision map")
    assert at.radio(key="map_colour_by").value == MAP_COLOUR_BY
    drawn = charts(at).get("decision_map_chart")
    if drawn is None:
        assert '"decision-map-chart"' not in report
        assert any(i.value == md_escape(summary) + " A map of one colour would show nothing "
                   "more, so none is drawn." for i in at.info)
        assert summary + " A map of one colour would show nothing more" in report
        return
    assert drawn.alt == summary and f"<figcaption>{summary}</figcaption>" in report
    figure = decision_map_figure(dmap, rec, colour_by=MAP_COLOUR_BY, strategy_names=names)
    assert ([trace.get("name") for trace in json.loads(drawn.spec)["data"]]
            == [trace.name for trace in figure.data])
