"""PDF reports printed by headless Chromium, and a clear message when there is none."""

from __future__ import annotations

import re

import pytest

from advisor.errors import PdfError
from advisor.render.pdf import NO_CHROMIUM, find_chromium, html_to_pdf
from helpers import EXAMPLES_DIR, run_cli
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
    assert 3 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 9  # see test_print.MAX_PAGES


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
