"""Progress on long commands: a status line on a terminal, silence anywhere else."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys

from advisor.progress import CLEAR_LINE, Progress
from helpers import EXAMPLES_DIR, ROOT, run_cli


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_each_step_and_a_cleared_line_at_the_end():
    stream = _Terminal()
    with Progress(stream) as progress:
        progress.step("Printing the PDF with Chromium")
    text = stream.getvalue()
    assert text.startswith(CLEAR_LINE + "Printing the PDF with Chromium… ")
    assert text.endswith(" s" + CLEAR_LINE)


def test_a_pipe_sees_nothing():
    stream = io.StringIO()
    with Progress(stream) as progress:
        progress.step("Printing the PDF with Chromium")
    assert stream.getvalue() == ""


def _stderr_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run the CLI with standard error on a pseudo-terminal; its exit code and what it wrote."""
    main, side = os.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "advisor", *args], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=side, timeout=120)
        os.close(side)
        side = -1
        chunks = []
        while select.select([main], [], [], 0.2)[0]:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other end is closed: everything has been read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return done.returncode, b"".join(chunks).decode()
    finally:
        os.close(main)
        if side != -1:
            os.close(side)


def test_the_pdf_command_says_what_it_is_doing_on_a_terminal(tmp_path):
    out = tmp_path / "r.pdf"
    code, stderr = _stderr_on_a_terminal("recommend", "--answers",
                                         str(EXAMPLES_DIR / "support-faq-bot.yaml"),
                                         "--format", "pdf", "-o", str(out))
    assert code == 0 and out.read_bytes().startswith(b"%PDF-")
    steps = [part.split("…")[0] for part in stderr.split(CLEAR_LINE) if "…" in part]
    assert steps == ["Analysing: the recommendation, break-even, what would change",
                     "Drawing the report's charts and decision map",
                     "Printing the PDF with Chromium"]
    assert stderr.endswith(CLEAR_LINE)  # the line is gone before the shell prompt returns


def test_the_same_command_is_silent_when_standard_error_is_not_a_terminal(tmp_path):
    done = run_cli("recommend", "--answers", EXAMPLES_DIR / "support-faq-bot.yaml",
                   "--format", "pdf", "-o", tmp_path / "r.pdf")
    assert done.returncode == 0 and done.stderr == ""
