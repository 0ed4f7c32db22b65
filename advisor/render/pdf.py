"""Print an HTML report to PDF with headless Chromium, when Chromium is installed.

Why a browser: the report's charts are drawn by plotly.js, so only a browser renders the report
as its readers see it; the PDF is that page printed on A4 (the report's ``@page`` rule).

Chromium is optional: without it :func:`html_to_pdf` raises :class:`PdfError` with a message to
show, and the app offers the HTML report (which prints from any browser) instead. The binary is
``$ADVISOR_CHROMIUM`` if set, else the first of ``chromium``, ``chromium-browser``,
``google-chrome`` on the ``PATH``.

Why ``--no-sandbox`` is acceptable here: the page printed is our own report from a temporary
directory (every rule or user text escaped, no script but the vendored plotly.js and the chart
loader), and every host name resolves to nothing, so the page can reach no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from advisor.errors import PdfError

CHROMIUM_ENV = "ADVISOR_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 60
# How long the page may run its scripts (drawing the charts) before it is printed, in virtual
# time: the browser skips idle waits, so this costs real time only while it renders.
RENDER_BUDGET_MS = 10_000
NO_CHROMIUM = ("PDF export needs Chromium or Google Chrome, and none was found here (set "
               f"{CHROMIUM_ENV} to its path). The HTML report prints to PDF from any browser "
               "(Print, then Save as PDF): it is laid out for A4.")


PRINT_IT = "The HTML report prints to PDF from any browser instead."


def find_chromium() -> str | None:
    """The Chromium or Chrome binary to print with, or None when none is installed."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)


def pdf_available() -> bool:
    """Whether :func:`html_to_pdf` can run here."""
    return find_chromium() is not None


def html_to_pdf(html: str, *, chromium: str | None = None, timeout_s: float = TIMEOUT_S) -> bytes:
    """The PDF of ``html`` printed by headless Chromium on A4.

    Args:
        html: a self-contained page (an :mod:`advisor.render.html` report).
        chromium: the browser binary; :func:`find_chromium` when omitted.
        timeout_s: how long printing may take.

    Raises:
        PdfError: no Chromium is installed, or it failed or timed out.
    """
    browser = chromium or find_chromium()
    if browser is None:
        raise PdfError(NO_CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="advisor-pdf-") as work:
        page, pdf = Path(work) / "report.html", Path(work) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-dev-shm-usage", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--disable-extensions",
                   "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND",
                   f"--user-data-dir={Path(work) / 'profile'}", "--no-pdf-header-footer",
                   f"--virtual-time-budget={RENDER_BUDGET_MS}", f"--print-to-pdf={pdf}",
                   page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish printing within {timeout_s:g} s. {PRINT_IT}"
                           ) from None
        except OSError as exc:
            raise PdfError(f"Chromium could not be started: {exc.strerror}. "
                           f"{PRINT_IT}") from None
        if done.returncode != 0 or not pdf.is_file():
            raise PdfError(f"Chromium could not print the report (exit status "
                           f"{done.returncode}). {PRINT_IT}")
        return pdf.read_bytes()
