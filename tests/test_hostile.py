"""Hostile input can't hurt anyone (issue #10): bounded, escaped, nothing lost.

The corpus (``tests/hostile_corpus.py``) runs in one ``tests/hostile_runner.py`` process, every
case forked under a memory limit; each case must end in the exact message a user should read,
within :data:`MEMORY_LIMIT_MB` of peak memory, with nothing on disk lost or half-written. The
app's own entry points (share links, compare links, uploads through the widgets, rules files
that break under a running app) are driven with AppTest below, and injection strings go through
every place untrusted text reaches Markdown.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor import analyse, load_rules
from advisor.analysis.compare import NamedScenario, compare, encode_scenarios
from advisor.render.comparison import to_markdown as comparison_markdown
from advisor.render.markdown import md_cell, md_escape
from advisor.render.report import to_markdown
from advisor.render.vocabulary import Vocabulary
from hostile_corpus import CASES, alias_bomb
from helpers import ROOT, RULES_DIR, run_app

RUNNER = Path(__file__).with_name("hostile_runner.py")
MEMORY_LIMIT_MB = 300
IMAGE = "![x](http://127.0.0.1:8790/t.png)"
PHISH = "[Official fix: click here](http://127.0.0.1:8790/phish)"
INJECTIONS = [
    IMAGE, PHISH, "<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
    "`code` and ``` a fence", ":red[alert] and :material/warning:", "$\\frac{1}{0}$",
    "www.evil.example/phish", "mail admin@evil.example", "# heading\n- a list\n> a quote",
    "<http://127.0.0.1:8790/autolink>", "1. ordered\n===",
]


# --- the corpus: every case in a forked, memory-limited process ----------------------------------

@pytest.fixture(scope="module")
def corpus() -> dict[str, dict]:
    result = subprocess.run([sys.executable, str(RUNNER), "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.mark.parametrize("case_id", [case.id for case in CASES])
def test_hostile_input_ends_in_a_clear_message_within_bounded_memory(corpus, case_id):
    result = corpus[case_id]
    assert result["error"] is None, result["error"]
    assert result["lines"] == result["expected"]
    assert result["peak_mb"] < MEMORY_LIMIT_MB


def test_the_corpus_covers_every_entry_point():
    assert {case.entry for case in CASES} == {
        "rules directory", "answers file", "upload", "link", "library", "output", "save"}
    assert len({case.id for case in CASES}) == len(CASES)


# --- injection strings: never Markdown, wherever they come from ----------------------------------

@pytest.mark.parametrize("text, escaped", [
    (IMAGE, "!\\[x\\](http:\u2060//127.0.0.1:8790/t.png)"),
    (PHISH, "\\[Official fix: click here\\](http:\u2060//127.0.0.1:8790/phish)"),
    ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)>"),
    ("a `b` c", r"a \`b\` c"),
    (":red[alert] :material/warning: :smile:",
     ":\u2060red\\[alert\\] :\u2060material/warning: :\u2060smile:"),
    ("$x$ *y* _z_ ~w~ a|b", r"\$x\$ \*y\* \_z\_ \~w\~ a\|b"),
    ("www.evil.example and admin@evil.example",
     "www\u2060.evil.example and admin\u2060@evil.example"),
    ("&lt; & &#60; at 10:30", r"\&lt; & \&#60; at 10:30"),
    ("# h\n- l\n+ m\n> q\n1. o\n2) p\n===", "\\# h\n\\- l\n\\+ m\n\\> q\n1\\. o\n2\\) p\n\\==="),
    ("Training compute: self-consistency (samples 20) on o4-mini",
     "Training compute: self-consistency (samples 20) on o4-mini"),
])
def test_markdown_escape(text, escaped):
    assert md_escape(text) == escaped


@pytest.fixture(scope="module")
def injected_rules(tmp_path_factory) -> Path:
    """The default rules with injection strings in a rule's reason, source and caveat, a
    strategy's name and a question's label, help and option label."""
    target = tmp_path_factory.mktemp("injected") / "rules"
    shutil.copytree(RULES_DIR, target, ignore=shutil.ignore_patterns("tests"))
    rules = target / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    start = text.index("  - id: ", text.index("rules:"))
    rule = (f"  - id: injected\n    when: {{field: task_type, eq: math}}\n"
            f"    caveat: {json.dumps(INJECTIONS[2] + ' ' + PHISH)}\n"
            f"    because: {json.dumps(INJECTIONS[3] + ' ' + IMAGE)}\n"
            f"    source: {json.dumps(INJECTIONS[1])}\n")
    rules.write_text(text[:start] + rule + text[start:], encoding="utf-8")
    for name, old, new in [
        ("strategies.yaml", "name: Single pass", f"name: {json.dumps('Single ' + IMAGE)}"),
        ("questions.yaml", "label: Slowest acceptable response",
         f"label: {json.dumps('Slowest ' + IMAGE)}"),
        ("questions.yaml", "label: Math\n", f"label: {json.dumps('Math ' + IMAGE)}\n"),
    ]:
        path = target / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    path = target / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    help: >\n      Seconds from request",
                                 f"    help: >\n      {PHISH} Seconds from request", 1),
                    encoding="utf-8")
    return target


def _raw_constructs(markdown: str) -> list[str]:
    """Pieces of the injections that would render as a link, an image or HTML: what is left once
    every backslash escape (``\\[``, ``\\<``, and ``\\\\`` itself) is taken out. Bare
    addresses count too: Streamlit links them even when escaped (see advisor.render.markdown)."""
    unescaped = re.sub(r"\\.", "", markdown)
    return [piece for piece in ("](", "<img", "<script", "[Official", "![x]", "http://", "www.",
                                "n@evil", ":material/", ":red[") if piece in unescaped]


def test_the_markdown_report_escapes_rule_text(injected_rules):
    rec = analyse({"task_type": "math", "latency_budget_s": 30, "budget_per_query_usd": 0.5,
                   "training_budget_usd": 0, "verifiability": "none"}, load_rules(injected_rules))
    markdown = to_markdown(rec, vocabulary=Vocabulary.of(load_rules(injected_rules)))
    assert _raw_constructs(markdown) == []
    assert md_escape(INJECTIONS[3] + " " + IMAGE) in markdown
    assert md_escape(INJECTIONS[2] + " " + PHISH) in markdown


def test_the_comparison_export_escapes_scenario_names(rules):
    answers = {"task_type": "math", "latency_budget_s": 30, "budget_per_query_usd": 0.5,
               "training_budget_usd": 0, "verifiability": "none"}
    scenarios = [NamedScenario(name=IMAGE, answers=answers),
                 NamedScenario(name=PHISH, answers=answers)]
    markdown = comparison_markdown(compare(scenarios, rules), vocabulary=Vocabulary.of(rules))
    assert _raw_constructs(markdown) == []
    assert f"|  | {md_cell(IMAGE)} | {md_cell(PHISH)} |" in markdown


# --- the app ------------------------------------------------------------------------------------

app_test = pytest.mark.usefixtures("fresh_streamlit")


@app_test
def test_a_share_link_cannot_put_an_image_or_a_link_in_the_page():
    at = run_app({"task_type": IMAGE, "verifiability": PHISH})
    warnings = [w.value for w in at.warning if w.value.startswith("Share link")]
    assert warnings == [
        "Share link: " + md_escape(f"'task_type' has no option {IMAGE!r}; options: math, "
                                   "formal_verification, multi_step_reasoning, code_generation, "
                                   "knowledge_qa, classification, creative_writing, "
                                   "open_ended_explanation, nuanced_judgment; using the default "
                                   "(multi_step_reasoning) instead."),
        # Echoed values are cut at 40 characters.
        "Share link: " + md_escape("'verifiability' has no option '[Official fix: click here]"
                                   "(http://127.0…'; options: verifiable_steps, external_judge, "
                                   "none; using the default (external_judge) instead.")]


def _compare_script():
    from ui.pages import compare as compare_page

    compare_page.render()


@app_test
def test_compare_link_names_are_escaped_in_the_static_table():
    answers = {"task_type": "math", "latency_budget_s": 30, "budget_per_query_usd": 0.5,
               "training_budget_usd": 0, "verifiability": "none"}
    link = encode_scenarios([NamedScenario(name=IMAGE, answers=answers),
                             NamedScenario(name=PHISH, answers=answers)])
    at = AppTest.from_function(_compare_script, default_timeout=30)
    at.query_params["compare"] = link
    at.run()
    assert not at.exception, at.exception
    table = at.table[0].value
    assert list(table.columns) == ["differs", md_escape(IMAGE), md_escape(PHISH)]
    assert _raw_constructs(" ".join(map(str, table.to_numpy().ravel()))) == []


@app_test
def test_rule_and_question_text_is_escaped_in_the_app(injected_rules, monkeypatch):
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(injected_rules))
    at = run_app({"task_type": "math", "latency_budget_s": "30", "budget_per_query_usd": "0.5",
               "training_budget_usd": "0", "verifiability": "none"})
    latency = at.number_input(key="latency_budget_s")
    assert latency.label == md_escape(f"Slowest {IMAGE} (seconds)")
    assert latency.help.startswith(md_escape(PHISH))
    assert md_escape(f"Math {IMAGE}") in at.selectbox(key="task_type").help
    shown = [e.value for e in (*at.markdown, *at.caption, *at.warning, *at.info, *at.success)]
    assert _raw_constructs("\n".join(shown)) == []
    assert f"**{md_escape(INJECTIONS[3] + ' ' + IMAGE)}**" in shown


@app_test
def test_a_backtick_in_a_rules_key_cannot_break_the_error_banner(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("tests"))
    (rules / "extra.yaml").write_text(f"rules:\n  - id: x\n    \"a` {IMAGE} `b\": 1\n",
                                      encoding="utf-8")
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(rules))
    at = run_app()
    banner = at.error[0].value
    assert _raw_constructs(banner) == []
    assert md_escape(f"extra.yaml:3: unknown key 'rules[0].a` {IMAGE} `b'") in banner


# --- the app keeps serving the last valid rules, whatever breaks ---------------------------------

def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _sparse(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(3_000_000_000)


# How settings.yaml breaks, and what follows "settings.yaml" in the problem shown.
BREAKAGES = {
    "symlink to /dev/zero": (lambda p: (p.unlink(), p.symlink_to("/dev/zero")),
                             ": cannot read rules file: it is a character device, not a regular "
                             "file"),
    "3 GB sparse file": (_sparse, ": file is 3,000,000,000 bytes; the limit is 1,000,000 bytes"),
    "named pipe": (_fifo, ": cannot read rules file: it is a named pipe, not a regular file"),
    "alias bomb": (lambda p: p.write_text(alias_bomb(), encoding="utf-8"),
                   ":5: aliases repeat more than 10,000 values; each *alias stands for everything "
                   "its &anchor holds, and this many look like an alias bomb"),
    "deep nesting": (lambda p: p.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8"),
                     ":1: nested more than 32 levels deep; rules and answers files need far "
                     "fewer"),
}


@app_test
@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_rules_file_that_breaks_under_a_running_app_keeps_the_last_valid_rules(
        tmp_path, monkeypatch, breakage):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("tests"))
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(rules))
    at = run_app({"task_type": "math"})
    before = [m.value for m in at.metric]
    breaker, shown = BREAKAGES[breakage]
    breaker(rules / "settings.yaml")
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric] == before
    assert at.error[0].value == (
        "The rules files in rules/ have problems, so the last valid rules are "
        "still in use. Fix these and the app picks the change up:\n\n- "
        + md_escape("settings.yaml" + shown))


@app_test
def test_rules_that_crash_a_later_stage_keep_the_last_valid_rules(tmp_path, monkeypatch):
    from advisor.authoring import trial

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("tests"))
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(rules))
    at = run_app({"task_type": "math"})
    before = [m.value for m in at.metric]

    def chart_that_fails_on_boom(rec, **kwargs):
        if any(e.model_name == "Boom" for e in rec.estimates):
            raise ValueError("Invalid value of type 'builtins.float' received for 'size'")
        return original(rec, **kwargs)

    original = trial.cost_latency_figure
    monkeypatch.setattr(trial, "cost_latency_figure", chart_that_fails_on_boom)
    models = rules / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8").replace(
        "name: Llama 3.1 8B (hosted)", "name: Boom", 1), encoding="utf-8")
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric] == before
    assert at.error[0].value.endswith(md_escape(
        "rules/: the rules load, but the advisor fails with them on the answers "
        "task_type=multi_step_reasoning, knowledge_source=model, latency_budget_s=10, "
        "budget_per_query_usd=0.05, "
        "training_budget_usd=0, verifiability=external_judge, queries_per_day=1000, "
        "needs_calibration=false, high_stakes=false, streaming=false: ValueError: Invalid "
        "value of type 'builtins.float' received for 'size'"))


@app_test
def test_an_alias_bomb_upload_is_refused_and_changes_no_answer():
    at = run_app({"task_type": "math"})
    before = {k: at.session_state[k] for k in ("task_type", "latency_budget_s")}
    at.file_uploader(key="_answers_upload").upload("bomb.yaml", alias_bomb().encode(),
                                                   "application/yaml").run()
    assert not at.exception
    assert at.error[0].value == (
        "This file was not applied; your answers are unchanged:\n\n- " + md_escape(
            "bomb.yaml:5: aliases repeat more than 10,000 values; each *alias stands for "
            "everything its &anchor holds, and this many look like an alias bomb"))
    assert {k: at.session_state[k] for k in before} == before

