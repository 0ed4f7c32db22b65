"""The Markdown and HTML reports: words not ids, one table model, size, structure, escaping."""

from __future__ import annotations

import hashlib
import re
import shutil
from html import unescape
from html.parser import HTMLParser

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from advisor import analyse, decision_map, load_answers, load_rules, recommend
from advisor.model.answers import TaskType
from advisor.analysis.compare import NamedScenario, compare
from advisor.render.html import (PLOTLY_BUNDLE, REPORT_TRACES, comparison_to_html, plotly_js,
                                 report_chart, to_html)
from advisor.render.report import to_markdown
from advisor.analysis.plan import improvement_plan
from advisor.render.wording import per_correct_text, plan_step_text, plan_summary
from advisor.source.links import answers_from_link, link_from_answers
from advisor.render.tables import break_even_table, context_table, options_table
from advisor.render.formats import quality, usd
from advisor.render.markdown import md_escape
from advisor.render.vocabulary import Vocabulary
from advisor.render.wording import (RANGES_NOTE, figure_bounds, headline_metrics, latency_text,
                                    quality_meaning)
from helpers import EXAMPLES_DIR, ROOT, RULES_DIR, run_cli

RULES = load_rules(RULES_DIR)
VOCABULARY = Vocabulary.of(RULES)
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))
MAX_REPORT_BYTES = 1_500_000
STATIC = ROOT / "advisor" / "render" / "static"


def internal_ids(rules) -> list[str]:
    """Ids a reader must never see: answer values, strategy and model ids that are not plain
    words and do not read as their own label (``math`` is both; ``gpt-oss-120b`` is its name)."""
    pairs = [(o.value, o.label) for q in rules.questions for o in q.options or []
             if isinstance(o.value, str)]
    pairs += [(s.id, s.name) for s in rules.strategies] + [(m.id, m.name) for m in rules.models]
    pairs += [(level.id, level.label) for task in rules.tasks.values()
              for level in task.difficulties]
    return sorted({i for i, label in pairs if not i.isalpha() and i not in label})


def ids_in(text: str) -> list[str]:
    return [i for i in internal_ids(RULES)
            if re.search(r"(?<![\w-])" + re.escape(i) + r"(?![\w-])", text)]


class _Text(HTMLParser):
    """What a reader sees of a page: its text and its text alternatives, never its scripts."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self.skip += tag in ("script", "style")
        self.parts += [attrs[a] for a in ("aria-label", "title") if attrs.get(a)]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page(html: str) -> _Text:
    parsed = _Text()
    parsed.feed(html)
    return parsed


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def report(request):
    answers = load_answers(request.param)
    rec = analyse(answers, RULES)
    return rec, to_html(rec, vocabulary=VOCABULARY, dmap=decision_map(answers, RULES))


def test_no_internal_id_reaches_a_reader_of_the_markdown_report(report):
    rec, _ = report
    markdown = to_markdown(rec, vocabulary=VOCABULARY)
    assert ids_in(markdown) == []
    assert "Task type | " + VOCABULARY.option("task_type", rec.answers.task_type) in markdown


def test_no_internal_id_reaches_a_reader_of_the_html_report(report):
    rec, html = report
    assert ids_in(" ".join(page(html).parts)) == []
    # The charts' own words: legend entries, colour-bar labels and annotations.
    legend_and_labels = " ".join(re.findall(r'"(?:name|text|ticktext)":(\[[^\]]*\]|"[^"]*")',
                                            html))
    assert ids_in(unescape(legend_and_labels)) == []


def test_the_html_report_stays_small_enough_to_mail(report):
    _, html = report
    assert len(html.encode()) <= MAX_REPORT_BYTES


def test_the_html_report_has_a_main_landmark_headings_in_order_and_chart_alternatives(report):
    rec, html = report
    parsed = page(html)
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("main") == 1 and tags.count("h1") == 1
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    levels = [int(tag[1]) for tag in tags if re.fullmatch(r"h[1-6]", tag)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    plots = [attrs for tag, attrs in parsed.tags if "plot" in attrs.get("class", "").split()]
    # Cost and latency, break-even (unless one side reaches nothing: a sentence instead),
    # decision map, frontier.
    drawn_break_even = not rec.break_even.outcome.endswith("_unreachable")
    assert len(plots) == 3 + drawn_break_even
    for attrs in plots:
        assert attrs["role"] == "img" and len(attrs["aria-label"]) > 40
        assert f"<figcaption>{attrs['aria-label']}</figcaption>" in unescape(html)


def test_both_reports_say_what_quality_means_at_the_difficulty_level(report):
    rec, html = report
    level = VOCABULARY.level(rec.answers.task_type, rec.answers.difficulty)
    meaning = quality_meaning(rec, VOCABULARY)
    assert f"at the level '{level.label}', anchored on {level.benchmark} scores" in meaning
    assert md_escape(meaning) in to_markdown(rec, vocabulary=VOCABULARY)
    assert f'<p class="meaning">{meaning}</p>' in unescape(html)
    assert ("Difficulty", level.label) in [(r.label, r.cells[0])
                                           for r in context_table(rec.answers, VOCABULARY).rows]


def test_both_reports_give_each_estimate_its_likely_range(report):
    rec, html = report
    c = rec.chosen
    bounds = figure_bounds(c)
    assert bounds["quality"] is not None  # analyse() fills the ranges of the default rules
    markdown = to_markdown(rec, vocabulary=VOCABULARY)
    low, high = bounds["quality"]
    assert f"- Expected quality: {quality(c.expected_quality)} ({low}–{high}). " in markdown
    assert md_escape(RANGES_NOTE) in markdown
    text = unescape(html)
    for metric in headline_metrics(c, measure=rec.latency_measure):
        if metric.bounds:
            ends = metric.bounds
            assert f'<dd class="range">likely between {ends[0]} and {ends[1]}</dd>' in text
    # Both latencies with their ranges, and which one the budget applies to.
    assert f"Latency: {latency_text(rec)}." in text
    assert f"- Latency: {md_escape(latency_text(rec))}" in markdown
    chosen_row = options_table(rec).rows[0]
    assert chosen_row.cells[1] == usd(c.cost_per_correct_usd)  # beside cost per query
    assert chosen_row.cells[4] == f"{quality(c.expected_quality)} ({low}–{high})"
    assert RANGES_NOTE in text


def test_without_ranges_the_reports_state_single_figures(rules):
    rec = recommend(load_answers(EXAMPLES_DIR / "competition-math.yaml"), rules)
    assert figure_bounds(rec.chosen) == dict.fromkeys(("quality", "cost", "latency", "monthly",
                                                       "first_token"))
    markdown = to_markdown(rec, vocabulary=VOCABULARY)
    assert RANGES_NOTE not in markdown and "–" not in markdown.split("## Options")[0]
    assert "likely between" not in to_html(rec, vocabulary=VOCABULARY)


def test_markdown_and_html_show_the_same_tables(report):
    rec, html = report
    markdown = to_markdown(rec, vocabulary=VOCABULARY)
    tables = [context_table(rec.answers, VOCABULARY), options_table(rec)]
    if rec.break_even is not None:
        tables.append(break_even_table(rec.break_even))
    # A trailing range sits in a span that keeps it on one line; its text is the cell's.
    text = unescape(re.sub(r'<span class="range">(.*?)</span>', r"\1", html))
    for table in tables:
        assert "\n".join(table.markdown()) in markdown
        for row in table.rows:
            assert f">{row.label}</th>" in text
            assert all(f">{cell}</td>" in text for cell in row.cells)


def test_the_comparison_page_escapes_scenario_names_and_uses_labels():
    math = load_answers(EXAMPLES_DIR / "competition-math.yaml")
    names = ["<script>alert(1)</script>", "Math </script><img src=x onerror=alert(2)>"]
    comparison = compare([NamedScenario(name=names[0], answers=math),
                          NamedScenario(name=names[1], answers=math.model_copy(
                              update={"task_type": TaskType.multi_step_reasoning,
                                      "difficulty": None}))], RULES)
    html = comparison_to_html(comparison, vocabulary=VOCABULARY)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ids_in(" ".join(page(html).parts)) == []
    assert "<td>Multi-step reasoning</td>" in html


def test_rule_text_cannot_end_a_chart_script(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules_dir)
    strategies = rules_dir / "strategies.yaml"
    strategies.write_text(strategies.read_text().replace(
        "name: Self-consistency", 'name: "Self</script><script>alert(1)</script>"', 1))
    rules = load_rules(rules_dir)
    answers = load_answers(EXAMPLES_DIR / "creative-writing-assistant.yaml")
    html = to_html(analyse(answers, rules), vocabulary=Vocabulary.of(rules),
                   dmap=decision_map(answers, rules))
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == html.count("<script")


def test_the_vendored_plotly_bundle_is_the_version_plotly_emits():
    bundle = (STATIC / PLOTLY_BUNDLE).read_bytes()
    assert bundle.startswith(f"/*! plotly.js v{get_plotlyjs_version()} (partial: ".encode())
    assert hashlib.sha256(bundle).hexdigest() == (STATIC / f"{PLOTLY_BUNDLE}.sha256").read_text(
        ).strip()
    assert "MIT License" in (STATIC / "plotly-LICENSE.txt").read_text()
    assert "</script" not in plotly_js() and "<!--" not in plotly_js()


def test_a_trace_the_bundle_cannot_draw_is_refused():
    assert REPORT_TRACES == {"scatter", "heatmap"}
    with pytest.raises(ValueError, match=r"cannot draw \['bar'\]"):
        report_chart(go.Figure(go.Bar(x=[1], y=[1])), chart_id="x", summary="a bar")


def test_cli_html_report_is_written_and_names_the_rules_version(tmp_path):
    out = tmp_path / "r.html"
    done = run_cli("recommend", "--answers", EXAMPLES_DIR / "competition-math.yaml",
                   "--format", "html", "-o", out)
    assert done.returncode == 0, done.stderr
    html = out.read_text()
    assert RULES.version in html and len(html.encode()) <= MAX_REPORT_BYTES


def test_a_person_s_cost_round_trips_in_a_link_and_is_compared_only_when_given():
    rules = load_rules(RULES_DIR)
    base = load_answers(EXAMPLES_DIR / "math-homework-at-scale.yaml")
    given = base.model_copy(update={"human_cost_per_task_usd": 2.5})
    values, problems = answers_from_link(link_from_answers(given), rules)
    assert problems == [] and values["human_cost_per_task_usd"] == 2.5
    with_person = per_correct_text(recommend(given, rules))
    assert "against $2.50 for a person doing the task" in with_person and "× less" in with_person
    assert "person" not in per_correct_text(recommend(base, rules))


def test_both_reports_rank_the_risks_most_serious_first_with_a_count(report):
    rec, html = report
    order = {"high": 0, "medium": 1, "low": 2}
    levels = [c.severity for c in rec.caveats]
    assert levels == sorted(levels, key=order.__getitem__)
    markdown = to_markdown(rec, vocabulary=VOCABULARY)
    section = markdown.split("## Risks and caveats", 1)[1].split("\n## ", 1)[0]
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert [item.split(":**", 1)[0] for item in items] == [
        f"- **{level.capitalize()}" for level in levels]
    counts = ", ".join(f"{levels.count(level)} {level}" for level in order if level in levels)
    assert f"Most serious first: {counts}." in section
    text = " ".join(page(html).parts)
    assert f"Most serious first: {counts}." in text
    classes = [a.get("class") for tag, a in page(html).tags
               if tag == "li" and (a.get("class") or "").startswith("risk-")]
    # The summary page holds the first three, the section all of them, in the same order.
    assert classes == [f"risk-{level}" for level in levels[:3] + levels]


def test_both_reports_give_the_improvement_plan_the_app_gives(report):
    rec, html = report
    steps = [plan_step_text(step) for step in improvement_plan(rec)]
    markdown = to_markdown(rec, vocabulary=VOCABULARY)
    section = markdown.split("## Improvement plan", 1)[1].split("\n## ", 1)[0]
    assert plan_summary(improvement_plan(rec)) in section
    assert [line.split(". ", 1)[1] for line in section.splitlines()
            if re.match(r"\d+\. ", line)] == [md_escape(step) for step in steps]
    text = unescape(html)
    plans = [part.split("</ol>", 1)[0] for part in text.split('<ol class="plan">')[1:]]
    # The summary page holds the first three steps, the Improvement plan section all of them.
    assert [re.findall(r"<li>(.*?)</li>", plan) for plan in plans] == (
        [steps[:3], steps] if steps else [])


def test_a_scenario_name_cannot_end_the_running_header_s_style():
    # The running header is CSS text inside <style>, where HTML escaping does nothing: every
    # character but letters and digits is a CSS escape, so no quote or </style can end it.
    math = load_answers(EXAMPLES_DIR / "competition-math.yaml")
    name = '"; } </style><script>alert(1)</script> \\'
    comparison = compare([NamedScenario(name=name, answers=math),
                          NamedScenario(name="B", answers=math)], RULES)
    html = comparison_to_html(comparison, vocabulary=VOCABULARY, paper="letter")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style.split("@top-left", 1)[1] and "size: letter" in style
    assert "<script>alert(1)" not in html
    header = re.search(r'@top-left \{ content: "([^"]*)"', style)[1]
    decoded = re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m[1], 16)), header)
    assert decoded.startswith("Compute advice compared: " + name + ", B · ")
