"""What a long command is doing, on a terminal: one status line on standard error.

``python -m advisor recommend --format pdf``, ``--batch`` and ``eval`` take seconds; on a
terminal they say which step they are on ("Printing the PDF with Chromium… 3.1 s"), then clear
the line before the result. Piped or redirected (a script, CI, ``> report.pdf``) they stay silent,
so the output and standard error hold nothing but the result and real problems.

Why a status line and not a progress bar: each command is a few steps of unknown length (one
array computation, one browser run), not a loop with a count.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

CLEAR_LINE = "\r\033[K"


class Progress:
    """The steps of one command, shown on ``stream`` when it is a terminal.

    Use as a context manager: the line is cleared on the way out, whatever happened.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = (self.stream.isatty() if enabled is None else enabled)
        self.started = time.perf_counter()

    def step(self, text: str) -> None:
        """Show ``text`` as the current step, with the time since the command started."""
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"{CLEAR_LINE}{text}… {elapsed:.1f} s")
            self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()
