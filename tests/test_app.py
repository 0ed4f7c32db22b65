"""The Streamlit app, driven headless with AppTest: widgets, presets, share links, downloads."""

from __future__ import annotations

import datetime as dt
import shutil
from html import escape
from pathlib import Path
from urllib.parse import urlparse

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from advisor import load_answers, load_rules, recommend
from advisor.analysis.full import analyse
from advisor.render.html import to_html
from advisor.render.markdown import md_escape
from advisor.render.pdf import NO_CHROMIUM
from advisor.render.report import to_json
from advisor.render.vocabulary import Vocabulary
from advisor.model.answers import Answers
from advisor.render.wording import (figure_bounds, quality_meaning, seconds, usd,
                                    verdict_label)
from advisor.render.wording import headline as headline_text
from helpers import ROOT, open_tab, run_app

FIELDS = ["task_type", "latency_budget_s", "budget_per_query_usd", "training_budget_usd",
          "verifiability", "queries_per_day", "needs_calibration", "high_stakes"]
BANK_LINK = {"task_type": "multi_step_reasoning", "latency_budget_s": "30",
             "budget_per_query_usd": "0.5", "training_budget_usd": "20000",
             "verifiability": "external_judge", "queries_per_day": "2000",
             "needs_calibration": "true", "high_stakes": "true", "streaming": "false",
             "knowledge_source": "model"}


pytestmark = pytest.mark.usefixtures("fresh_streamlit")
RULES = load_rules(ROOT / "rules")


def widget(at: AppTest, key: str):
    return at.get_by_key(key) if hasattr(at, "get_by_key") else at.session_state[key]


def headline(at: AppTest) -> str:
    boxes = [*at.info, *at.warning, *at.success]
    return next(b.value for b in boxes if b.value.startswith("### "))


def test_default_run_shows_every_question_and_a_recommendation():
    at = run_app()
    for key in ("task_type", "verifiability", "_preset"):
        assert at.selectbox(key=key) is not None
    for key in ("latency_budget_s", "budget_per_query_usd", "training_budget_usd",
                "queries_per_day"):
        assert at.number_input(key=key).value is not None
    for key in ("needs_calibration", "high_stakes"):
        assert at.toggle(key=key).value is False
    assert [m.label for m in at.metric] == ["Cost per query", "Latency", "Expected quality",
                                            "Monthly cost"]
    assert headline(at).startswith("### ")
    assert all(at.number_input(key=k).help for k in ("latency_budget_s", "queries_per_day"))


def test_headline_figures_show_their_likely_range_and_what_quality_means():
    at = run_app(BANK_LINK)
    assert not at.exception
    rec = analyse(Answers.model_validate(BANK_LINK), RULES)
    bounds = figure_bounds(rec.chosen)
    captions = [c.value for c in at.caption]
    assert bounds["quality"] is not None
    for ends in bounds.values():
        assert (f"likely between {md_escape(ends[0])} and {md_escape(ends[1])}" if ends
                else "no assumed range") in captions
    meaning = quality_meaning(rec, Vocabulary.of(RULES))
    level = RULES.tasks["multi_step_reasoning"].level(None).label
    assert f"at the level '{level}'" in meaning and "on multi-step reasoning work" in meaning
    assert md_escape(meaning) in captions
    quality_metric = next(m for m in at.metric if m.label == "Expected quality")
    assert md_escape(meaning) in quality_metric.help


def expected_headline(answers) -> str:
    """The verdict line the app must show: what the library recommends for the answers."""
    return f"### {verdict_label(recommend(answers, RULES))}"


@pytest.mark.parametrize("example", ["Competition math", "Support faq bot",
                                     "Bank compliance review", "Creative writing assistant"])
def test_each_preset_fills_every_answer(example):
    at = run_app()
    at.selectbox(key="_preset").select(example).run()
    assert not at.exception
    file = ROOT / "examples" / (example.lower().replace(" ", "-") + ".yaml")
    answers = load_answers(file)
    expected = answers.model_dump(mode="json")
    for field in FIELDS:
        assert at.session_state[field] == expected[field], field
    assert headline(at).startswith(expected_headline(answers))
    assert at.query_params["task_type"] == expected["task_type"]


def test_the_candidate_table_is_the_librarys():
    """The app shows ``Recommendation.estimates_frame()``: one table, built in advisor/."""
    at = open_tab(run_app(BANK_LINK), "advisor_section", "All candidates")
    (table,) = [d.value for d in at.dataframe if "why not available" in d.value.columns]
    expected = recommend({**BANK_LINK, "needs_calibration": True, "high_stakes": True},
                         RULES).estimates_frame()
    assert list(table.columns) == list(expected.columns)
    assert table["recommended"].sum() == 1 and len(table) == len(expected)


def test_changing_an_answer_updates_the_result_and_the_link():
    at = run_app(BANK_LINK)
    before = BANK_LINK | {"needs_calibration": True, "high_stakes": True}
    assert headline(at).startswith(expected_headline(before))
    at.number_input(key="latency_budget_s").set_value(0.5).run()
    assert not at.exception
    after = recommend(before | {"latency_budget_s": 0.5}, RULES)
    assert headline(at).startswith(f"### {verdict_label(after)}")
    assert at.metric[1].value == seconds(after.chosen.latency_s)
    assert at.query_params["latency_budget_s"] == "0.5"


def test_share_link_round_trip():
    at = run_app(BANK_LINK)
    assert at.session_state["latency_budget_s"] == 30.0
    assert at.session_state["needs_calibration"] is True
    # The link gains the level the app shows: the task type's default, now explicit.
    assert dict(at.query_params) == {**BANK_LINK, "difficulty": "expert"}
    assert not [w for w in at.warning if w.value.startswith("Share link")]
    expected = recommend(BANK_LINK | {"needs_calibration": True, "high_stakes": True},
                         load_rules(ROOT / "rules"))
    assert at.metric[0].value == usd(expected.chosen.cost_usd)


@pytest.mark.parametrize("param, value, message", [
    ("latency_budget_s", "abc",
     "Share link: 'latency_budget_s' must be a number, got 'abc'; using the default "
     "(10) instead."),
    ("latency_budget_s", "-3",
     "Share link: 'latency_budget_s' must be at least 0.1, got -3; using the default "
     "(10) instead."),
    ("budget_per_query_usd", "nan",
     "Share link: 'budget_per_query_usd' must be a finite number, got 'nan'; using the default "
     "(0.05) instead."),
    ("queries_per_day", "12.5",
     "Share link: 'queries_per_day' must be a whole number, got '12.5'; using the default (1000) "
     "instead."),
    ("task_type", "astrology",
     "Share link: 'task_type' has no option 'astrology'; options: math, formal_verification, "
     "multi_step_reasoning, code_generation, knowledge_qa, classification, creative_writing, "
     "open_ended_explanation, nuanced_judgment; using the default "
     "(multi_step_reasoning) instead."),
    ("high_stakes", "maybe",
     "Share link: 'high_stakes' must be true or false, got 'maybe'; using the default (false) "
     "instead."),
    ("latency_budget", "30",
     "Share link: Ignored unknown parameter 'latency_budget' in the link."),
])
def test_tampered_link_warns_and_falls_back(param, value, message):
    at = run_app({**BANK_LINK, param: value} if param in BANK_LINK else {param: value})
    assert md_escape(message) in [w.value for w in at.warning]
    if param in FIELDS:
        defaults = {"latency_budget_s": 10.0, "budget_per_query_usd": 0.05,
                    "queries_per_day": 1000, "task_type": "multi_step_reasoning",
                    "high_stakes": False}
        assert at.session_state[param] == defaults[param]
    assert headline(at).startswith("### ")


@pytest.fixture
def media_stores(monkeypatch):
    """Capture AppTest's media manager and storage so download contents can be read back."""
    captured: list = []
    for cls in (MemoryMediaFileStorage, MediaFileManager):
        original = cls.__init__

        def record(self, *args, _original=original, **kwargs):
            _original(self, *args, **kwargs)
            captured.append(self)

        monkeypatch.setattr(cls, "__init__", record)
    return captured


def download_bytes(at: AppTest, key: str, captured) -> bytes:
    """The bytes a download button serves; deferred downloads are generated as on a click."""
    proto = next(b.proto for b in at.get("download_button") if key in b.proto.id)
    storage = [c for c in captured if isinstance(c, MemoryMediaFileStorage)][-1]
    url = proto.url
    if proto.HasField("deferred_file_id"):
        manager = [c for c in captured if isinstance(c, MediaFileManager)][-1]
        url = manager.execute_deferred(proto.deferred_file_id)
    return storage.get_file(Path(urlparse(url).path).name).content


def test_downloads_carry_date_answers_and_rules_version(media_stores):
    at = run_app(BANK_LINK)
    rules = load_rules(ROOT / "rules")
    rec = analyse(BANK_LINK | {"needs_calibration": True, "high_stakes": True}, rules)
    markdown = download_bytes(at, "download_markdown", media_stores).decode()
    assert markdown.startswith(f"# Decision record: {headline_text(rec)}")
    assert f"Rules version: `{rules.version}`" in markdown
    assert "| Latency budget | 30 s |" in markdown
    assert f"Date: {dt.date.today().isoformat()}" in markdown
    assert download_bytes(at, "download_json", media_stores).decode() == to_json(rec)
    html = download_bytes(at, "download_html", media_stores).decode()
    assert html.startswith("<!DOCTYPE html>") and "<script src" not in html
    assert f"Generated {dt.date.today().isoformat()}" in html and rules.version in html
    assert escape(headline_text(rec)) in html
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Decision record (Markdown)", "Report (HTML, works offline)",
                      "Full result (JSON)"]
    # The PDF takes seconds: prepared on request, each step shown, then offered for download.
    at.button(key="prepare_pdf").click().run()
    assert not at.exception
    assert [s.label for s in at.status][-1].startswith("PDF ready (")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Decision record (Markdown)", "Report (HTML, works offline)",
                      "Report (PDF)", "Full result (JSON)"]
    pdf = download_bytes(at, "download_pdf", media_stores)
    assert pdf.startswith(b"%PDF-") and b"/Type /Page" in pdf
    at.radio(key="report_paper").set_value("letter").run()  # other paper: prepared anew
    assert "download_pdf" not in [b.proto.id.rsplit("-", 1)[-1] for b in
                                  at.get("download_button")]


def test_without_chromium_the_app_says_how_to_get_a_pdf(monkeypatch):
    monkeypatch.setenv("ADVISOR_CHROMIUM", "/nonexistent/chromium")
    at = run_app(BANK_LINK)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Decision record (Markdown)", "Report (HTML, works offline)",
                      "Full result (JSON)"]
    assert md_escape(NO_CHROMIUM) in [c.value for c in at.caption]


def test_html_report_is_self_contained_and_escaped(rules):
    rec = recommend(BANK_LINK | {"needs_calibration": True, "high_stakes": True}, rules)
    html = to_html(rec, vocabulary=Vocabulary.of(rules))
    assert "<script src" not in html
    assert "Plotly.newPlot" in html and "<!DOCTYPE html>" in html
    assert rec.rules_version in html and "@media print" in html


def test_rule_text_is_escaped_in_html(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    text = (rules_dir / "rules.yaml").read_text()
    text = text.replace("source: Snell et al. 2024 (arXiv 2408.03314)",
                        "source: \"<script>alert(1)</script> Snell\"")
    (rules_dir / "rules.yaml").write_text(text)
    rules = load_rules(rules_dir)
    rec = recommend(load_answers(ROOT / "examples" / "competition-math.yaml"), rules)
    html = to_html(rec, vocabulary=Vocabulary.of(rules))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Snell" in html


def test_broken_rules_on_disk_keep_the_last_valid_rules(tmp_path, monkeypatch):
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(rules_dir))
    at = run_app(BANK_LINK)
    before = headline(at)
    (rules_dir / "settings.yaml").write_text("settings: [unclosed\n")
    at.run()
    assert not at.exception
    assert headline(at) == before
    errors = [e.value for e in at.error]
    assert any("last valid rules are still in use" in e and md_escape("settings.yaml:2") in e
               for e in errors), errors
    shutil.copy(ROOT / "rules" / "settings.yaml", rules_dir / "settings.yaml")
    at.run()
    assert not at.error


def test_broken_rules_at_start_show_the_problems(tmp_path, monkeypatch):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "rules.yaml").write_text("rules:\n  - id: x\n    wen: {}\n")
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(rules_dir))
    at = run_app()
    assert "The rules could not be loaded" in at.error[0].value
    assert md_escape("rules.yaml:3") in at.error[0].value
    # The directory by its name: users are not told where the server keeps it.
    assert md_escape("problems in rules/:") in at.error[0].value
    assert str(tmp_path) not in at.error[0].value.replace("\\", "")


def test_about_page_renders():
    at = AppTest.from_function(_about_script, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "About the method"
    assert at.selectbox(key="about_model").value == "llama-3.1-8b"
    levels = next(d.value for d in at.dataframe if "level" in d.value.columns)
    assert "Multi-step reasoning" in set(levels["task type"])
    assert "multi_step_reasoning" not in set(levels["task type"])


def _about_script():
    from ui.pages import about as about_page

    about_page.render()


@pytest.mark.parametrize("raw, errors", [
    (b"task_type: math\nlatency_budget_s: 5000\nbudget_per_query_usd: 1\n"
     b"training_budget_usd: 0\nverifiability: none\n",
     ["up.yaml: 'latency_budget_s' is 5000, above the largest value the app offers (3600); "
      "the CLI accepts it"]),
    (b"task_type: math\nlatency_budget: 5\n", None),
    (b"\x00\x01binary", ["up.yaml: file is binary, not YAML or JSON text"]),
])
def test_answers_upload_applies_nothing_on_errors(raw, errors, rules):
    from ui.state import answers_from_upload

    values, found = answers_from_upload(raw, "up.yaml", rules)
    assert values is None
    if errors is not None:
        assert found == errors
    else:
        assert ("up.yaml:2: unknown key 'latency_budget' (did you mean 'latency_budget_s'?)"
                in found)


def test_answers_upload_of_an_example_applies_every_answer(rules):
    from ui.state import answers_from_upload

    raw = (ROOT / "examples" / "support-faq-bot.yaml").read_bytes()
    values, errors = answers_from_upload(raw, "faq.yaml", rules)
    assert (errors == [] and values["latency_budget_s"] == 0.8
            and values["task_type"] == "knowledge_qa")


def _link(task: str, latency: str, budget: str, training: str) -> dict[str, str]:
    return {"task_type": task, "verifiability": "verifiable_steps", "latency_budget_s": latency,
            "budget_per_query_usd": budget, "training_budget_usd": training}


# One profile per break-even outcome the default rules reach (found by running analyse; pinned
# by the assert below). "cheaper_from_start" needs a run that costs nothing more once than the
# option without it; the crossing's own tests cover it.
BREAK_EVEN_LINKS = {
    "training_unreachable": _link("math", "1", "0.001", "0"),
    "inference_unreachable": _link("math", "1", "0.001", "5000"),
    "pays_off": _link("math", "5", "0.001", "5000"),
    "never": _link("math", "30", "0.001", "5000"),
}


@pytest.mark.parametrize("outcome", sorted(BREAK_EVEN_LINKS))
def test_every_break_even_outcome_renders(outcome):
    link = BREAK_EVEN_LINKS[outcome]
    assert analyse(link, RULES).break_even.outcome == outcome
    at = open_tab(run_app(link), "advisor_section", "Break-even")
    assert any(h.value == "Break-even: a training run against paying per query"
               for h in at.subheader)
    assert any("Target quality" in c.value for c in at.caption)
