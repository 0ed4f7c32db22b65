"""PDF reports printed by headless Chromium, and a clear message when there is none."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from advisor.errors import PdfError
from advisor.render.pdf import NO_CHROMIUM, find_chromium, html_to_pdf
from advisor.source.links import app_link
from helpers import EXAMPLES_DIR, run_cli
from test_print import MAX_PAGES
from streamlit_server import CHROMIUM

MATH = EXAMPLES_DIR / "competition-math.yaml"
A4_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\s*\]")


def test_chromium_is_found_on_the_path(monkeypatch):
    monkeypatch.delenv("ADVISOR_CHROMIUM", raising=False)
    assert find_chromium() == CHROMIUM


def test_a_page_prints_on_a4():
    pdf = html_to_pdf("<!DOCTYPE html><style>@page { size: A4 }</style><p>Hello</p>")
    assert pdf.startswith(b"%PDF-") and A4_MEDIA_BOX.search(pdf)


def test_no_chromium_is_a_message_not_a_crash(monkeypatch):
    monkeypatch.setenv("ADVISOR_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(PdfError) as err:
        html_to_pdf("<p>x</p>")
    assert err.value.message == NO_CHROMIUM


def test_a_browser_that_fails_is_reported():
    with pytest.raises(PdfError) as err:
        html_to_pdf("<p>x</p>", chromium="/bin/false")
    assert err.value.message == ("Chromium could not print the report (exit status 1). The HTML "
                                 "report prints to PDF from any browser instead.")


def test_cli_writes_a_pdf_report(tmp_path):
    out = tmp_path / "report.pdf"
    done = run_cli("recommend", "--answers", MATH, "--format", "pdf", "-o", out)
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and A4_MEDIA_BOX.search(pdf)
    assert 3 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= MAX_PAGES


def test_cli_pdf_needs_an_output_file():
    done = run_cli("recommend", "--answers", MATH, "--format", "pdf")
    assert done.returncode == 2
    assert done.stderr == "python -m advisor recommend: --format pdf needs --output FILE.pdf\n"


def test_cli_without_chromium_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CHROMIUM", "/nonexistent/chromium")
    done = run_cli("recommend", "--answers", MATH, "--format", "pdf", "-o", tmp_path / "r.pdf")
    assert done.returncode == 1
    assert done.stderr == f"pdf: {NO_CHROMIUM}\n"
    assert not (tmp_path / "r.pdf").exists()


def _printed(example: str, paper: str, link: str | None = None) -> tuple[list[str], list, object]:
    """The text of each page of an example's PDF report, the pages and the recommendation."""
    from pypdf import PdfReader

    from advisor import analyse, decision_map, load_answers, load_rules
    from advisor.render.html import to_html
    from advisor.render.vocabulary import Vocabulary
    from helpers import RULES_DIR

    rules = load_rules(RULES_DIR)
    answers = load_answers(EXAMPLES_DIR / f"{example}.yaml")
    rec = analyse(answers, rules)
    html = to_html(rec, vocabulary=Vocabulary.of(rules), dmap=decision_map(answers, rules),
                   paper=paper, link=link and app_link(link, answers),
                   generated=dt.date(2026, 12, 7))
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    return [page.extract_text() for page in reader.pages], reader.pages, rec


# (width, height) in points: A4 is 210 × 297 mm, Letter 8.5 × 11 in.
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_pdf_opens_on_a_one_page_summary_and_numbers_every_page(paper):
    texts, pages, rec = _printed("support-faq-bot", paper, link="https://advisor.example.com/")
    first = " ".join(texts[0].split())  # lines joined: a phrase may wrap
    # The summary: the verdict, the four figures with ranges, the top risks, the plan, the link.
    for words in ("Summary", "Combine a distillation you pay for once", "Cost per query",
                  "Latency", "Chance an answer is", "Monthly cost", "likely between",
                  "$1,763 is paid once", "Top risks", "High:", "Plan",
                  "Raise the latency budget to 0.94 s"):
        assert words in first, words
    assert "https://advisor.example.com/?task_type=knowledge_qa" in texts[0].replace("\n", "")
    # ... and nothing else: the detail starts on the second page.
    assert "The decision in detail" not in first and "The decision in detail" in texts[1]
    header = "Compute advice: Combine a distillation you pay for once with inference-time compute"
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text
        assert header in " ".join(text.split()) and "2026-12-07" in text
    width, height = PAPER_POINTS[paper]
    assert all(abs(float(p.mediabox.width) - width) < 1.5
               and abs(float(p.mediabox.height) - height) < 1.5 for p in pages)


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml")))
def test_every_example_s_summary_fits_its_first_letter_page(example):
    # Letter is the shorter page: what fits there fits on A4 (both are checked above).
    texts, _, _ = _printed(example, "letter", link="https://advisor.example.com/")
    assert texts[0].count("Summary") >= 1 and "The decision in detail" in texts[1]
    assert len(texts) <= MAX_PAGES
